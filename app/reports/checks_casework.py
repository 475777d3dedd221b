"""Inspection checks on the social casework (DOMAIN.md §3, §6): contacts and consultations registered,
functional assessment and situation analysis made, an intervention plan in force and re-evaluated in time.

Each check returns the records behind it as :class:`Finding` rows; terms come from the dated norms
(``norms_lv``: ``casework``, ``review_intervals``), valid on the day the term started where that matters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import Select, func, or_, select

from app import reviews
from app.deadlines import add_months
from app.reports.model import Finding, Message
from app.reports.source import ONE_DAY, Source, day_start, local_day
from storage.errors import N_
from storage.models import (Assessment, CaseReview, Client, HomeVisit, InterventionPlan, JournalEntry, Person,
                            SocialCase)

#: the template of the functional assessment scale ("zirneklis") in resources/templates
FUNCTIONAL_TEMPLATE = "functional_assessment"


def _is_open(src: Source):
    return (SocialCase.deleted.is_(False), SocialCase.opened_on <= src.today,
            or_(SocialCase.closed_on.is_(None), SocialCase.closed_on > src.today))


def _open_case_clients(src: Source) -> Select:
    return select(SocialCase.client_id).where(*_is_open(src))


def open_cases(src: Source) -> list[tuple[SocialCase, Client]]:
    """Cases open on the report date that the user may see, with their client."""
    def load():
        return [tuple(row) for row in src.session.execute(
            select(SocialCase, Client).join(Client, Client.id == SocialCase.client_id)
            .where(*_is_open(src), Client.deleted.is_(False), src.visible())
            .order_by(SocialCase.opened_on, SocialCase.id))]
    return src.memo("open_cases", load)


def _case_finding(case: SocialCase, client: Client, msgid: str, **params) -> Finding:
    """A finding on the case, dated by its ``day`` parameter (the missed date)."""
    return Finding("social_cases", case.id, case.client_id, case.responsible_user_id, client.parish_id,
                   params.get("day"), Message(msgid, params))


def _assessment_due(src: Source, case: SocialCase) -> dt.date:
    return case.opened_on + dt.timedelta(days=src.casework(case.opened_on)["functional_assessment_within_days"])


def _past_assessment_stage(src: Source):
    return [(case, client) for case, client in open_cases(src) if _assessment_due(src, case) < src.today]


# -- the checks --------------------------------------------------------------------------------------------------
def unregistered_consultations(src: Source) -> list[Finding]:
    """Home visits made with no journal entry for the client that day (the day over); open cases with no
    contact for longer than the limit."""
    end = day_start(src.today + ONE_DAY)
    visits = src.session.execute(
        select(HomeVisit.id, HomeVisit.client_id, HomeVisit.visited_at, HomeVisit.worker_user_id,
               Client.parish_id, Client.responsible_user_id)
        .join(Client, Client.id == HomeVisit.client_id)
        .where(HomeVisit.deleted.is_(False), HomeVisit.status != "cancelled", HomeVisit.visited_at.is_not(None),
               HomeVisit.visited_at < day_start(src.today), Client.deleted.is_(False), src.visible())
        .order_by(HomeVisit.visited_at)).all()
    visited = select(HomeVisit.client_id).where(HomeVisit.visited_at.is_not(None))
    contacts = {(client_id, local_day(at)) for client_id, at in src.session.execute(
        select(JournalEntry.client_id, JournalEntry.occurred_at).where(
            JournalEntry.deleted.is_(False), JournalEntry.occurred_at < end, JournalEntry.client_id.in_(visited)))}
    found = []
    for visit in visits:
        day = local_day(visit.visited_at)
        if (visit.client_id, day) not in contacts:
            found.append(Finding("home_visits", visit.id, visit.client_id,
                                 visit.worker_user_id or visit.responsible_user_id, visit.parish_id, day,
                                 Message(N_("home visit on {day} has no journal entry for that day"), {"day": day})))
    last = dict(src.session.execute(
        select(JournalEntry.client_id, func.max(JournalEntry.occurred_at)).where(
            JournalEntry.deleted.is_(False), JournalEntry.occurred_at < end,
            JournalEntry.client_id.in_(_open_case_clients(src))).group_by(JournalEntry.client_id)).all())
    gap = src.casework()["contact_gap_days"]
    for case, client in open_cases(src):
        since = max(case.opened_on, local_day(last[case.client_id])) if case.client_id in last else case.opened_on
        days = (src.today - since).days
        if days > gap:
            found.append(_case_finding(case, client, N_(
                "open case has no registered contact since {day} ({days} days; the limit is {limit})"),
                day=since, days=days, limit=gap))
    return found


def missing_functional_assessment(src: Source) -> list[Finding]:
    """Open cases past the assessment term with no final functional assessment made within it."""
    cases = _past_assessment_stage(src)
    made = defaultdict(list)
    for client_id, day in src.session.execute(select(Assessment.client_id, Assessment.assessed_on).where(
            Assessment.template_id == FUNCTIONAL_TEMPLATE, Assessment.status == "final",
            Assessment.deleted.is_(False), Assessment.assessed_on <= src.today,
            Assessment.client_id.in_(_open_case_clients(src)))):
        made[client_id].append(day)
    found = []
    for case, client in cases:
        days = src.casework(case.opened_on)["functional_assessment_within_days"]
        start, due = case.opened_on - dt.timedelta(days=days), _assessment_due(src, case)
        if not any(start <= day <= due for day in made[case.client_id]):
            found.append(_case_finding(case, client, N_(
                "no final functional assessment within {days} days of opening (due {day})"), days=days, day=due))
    return found


def missing_situation_analysis(src: Source) -> list[Finding]:
    """Open cases past the assessment term without the defined problem or the social diagnosis."""
    found = []
    for case, client in _past_assessment_stage(src):
        no_problem, no_diagnosis = not (case.problem or "").strip(), not (case.diagnosis or "").strip()
        if no_problem and no_diagnosis:
            msgid = N_("no problem definition and no social diagnosis (due {day})")
        elif no_problem:
            msgid = N_("no problem definition (due {day})")
        elif no_diagnosis:
            msgid = N_("no social diagnosis (due {day})")
        else:
            continue
        due = _assessment_due(src, case)
        found.append(_case_finding(case, client, msgid, day=due))
    return found


def missing_plan(src: Source) -> list[Finding]:
    """Open cases past the assessment term without an active intervention plan."""
    planned = set(src.session.scalars(select(InterventionPlan.case_id).where(
        InterventionPlan.status == "active", InterventionPlan.deleted.is_(False),
        InterventionPlan.valid_from <= src.today)))
    found = []
    for case, client in _past_assessment_stage(src):
        if case.id not in planned:
            due = _assessment_due(src, case)
            found.append(_case_finding(case, client, N_("no intervention plan in force (due {day})"),
                                       day=due))
    return found


def overdue_review(src: Source) -> list[Finding]:
    """Open cases past their review date; else an active plan that ended, or that was not re-evaluated within
    the review interval for the client (app/reviews.py: 12 months, sooner for a child or an elderly client)
    since it started or since the case's last review. One finding per case."""
    reviewed = dict(src.session.execute(
        select(CaseReview.case_id, func.max(CaseReview.reviewed_on)).where(
            CaseReview.deleted.is_(False), CaseReview.reviewed_on <= src.today).group_by(CaseReview.case_id)).all())
    plans = {plan.case_id: plan for plan in src.session.scalars(
        select(InterventionPlan).where(InterventionPlan.status == "active", InterventionPlan.deleted.is_(False),
                                       InterventionPlan.valid_from <= src.today,
                                       InterventionPlan.case_id.in_(select(SocialCase.id).where(*_is_open(src))))
        .order_by(InterventionPlan.valid_from))}
    # A plan younger than the shortest review interval of any client cannot be overdue: skip the lookup.
    shortest = min(months for key, months in src.norm("review_intervals").items() if key.endswith("_months"))
    # load the persons into the session once, so reviews.interval_months finds each without a query (held in a
    # local list: the session's identity map keeps only weak references)
    keep_alive = src.session.scalars(select(Person).where(Person.id.in_(
        select(Client.person_id).join(SocialCase, SocialCase.client_id == Client.id).where(*_is_open(src))))).all()
    found = []
    for case, client in open_cases(src):
        plan = plans.get(case.id)
        if case.next_review_on is not None and case.next_review_on < src.today:
            found.append(_case_finding(case, client, N_("case review was due on {day}"), day=case.next_review_on))
            continue
        if plan is None:
            continue
        since = max(plan.valid_from, reviewed.get(case.id, plan.valid_from))
        ended = plan.valid_to is not None and plan.valid_to < src.today
        if not ended and add_months(since, shortest) >= src.today:
            continue
        months = reviews.interval_months(src.session, client, since)
        due = add_months(since, months)  # as reviews.next_review
        if ended and plan.valid_to < due:
            message = Message(N_("intervention plan ended on {day} and no new plan is in force"),
                              {"day": plan.valid_to})
        elif due < src.today:
            message = Message(N_("intervention plan not re-evaluated since {since}: due within {months} months, "
                                 "on {day}"), {"since": since, "months": months, "day": due})
        else:
            continue
        found.append(Finding("intervention_plans", plan.id, case.client_id, case.responsible_user_id,
                             client.parish_id, message.params["day"], message))
    del keep_alive
    return found
