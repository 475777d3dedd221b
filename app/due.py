"""What is due and overdue for the worker at the keyboard: the data behind the Today screen and `lieta due`.

Application deadlines, case reviews, plan and child-protection tasks, expiring household statuses, issued
decisions still waiting for notification, decisions the head returned — and, for the head, the approval
queue. Every item names its record and client (by id) and its date; a past date is overdue.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import conflicts, decision_timeline
from app.access import visible_clients_clause
from app.context import Context
from storage.errors import N_
from storage.models import (Application, Client, Decision, DecisionApproval, DecisionNotification, HomeVisit,
                            HouseholdMember, HouseholdStatus, Person, PlanTask, SocialCase)

KINDS = {
    "application_deadline": N_("Decide the application"),
    "case_review": N_("Review the social case"),
    "monitoring_end": N_("Monitoring after closure ends"),
    "task": N_("Plan task"),
    "child_protection": N_("Child protection report"),
    "status_expiry": N_("Household status expires"),
    "notification": N_("Notify the client of the decision"),
    "returned_decision": N_("Decision returned by the head"),
    "approval": N_("Approve and sign the decision"),
}


@dataclass(frozen=True)
class DueItem:
    kind: str
    due_on: dt.date
    client_id: uuid.UUID | None
    record_id: uuid.UUID
    detail: str  # a number, a task's text — never a person's name

    def overdue(self, today: dt.date) -> bool:
        return self.due_on < today


def due_items(ctx: Context, *, within_days: int = 14, everyone: bool = False) -> list[DueItem]:
    """Items due up to ``within_days`` from today (and everything overdue), oldest first. By default only
    the user's own work; ``everyone`` (the head) covers every visible client."""
    today = ctx.today()
    horizon = today + dt.timedelta(days=within_days)
    with ctx.read() as session:
        mine = None if everyone else ctx.user_id
        items = [*_applications(ctx, session, mine, horizon), *_cases(ctx, session, mine, horizon),
                 *_tasks(ctx, session, mine, horizon), *_statuses(ctx, session, mine, today, horizon),
                 *_decisions(ctx, session, mine, today)]
    return sorted(items, key=lambda item: (item.due_on, item.kind))


def _clients(ctx: Context, mine: uuid.UUID | None):
    query = select(Client.id).where(Client.deleted.is_(False), visible_clients_clause(ctx))
    if mine is not None:
        query = query.where(Client.responsible_user_id == mine)
    return query


def _applications(ctx: Context, session: Session, mine, horizon) -> list[DueItem]:
    due = func.coalesce(Application.extended_until, Application.decision_due)
    query = select(Application.id, Application.client_id, due, Application.registration_number).where(
        Application.deleted.is_(False), Application.status.in_(("registered", "in_review")), due <= horizon,
        Application.client_id.in_(_clients(ctx, None)))
    if mine is not None:
        query = query.where(or_(Application.handled_by_user_id == mine, Application.client_id.in_(_clients(ctx, mine))))
    return [DueItem("application_deadline", day, client, row, number or "") for row, client, day, number
            in session.execute(query)]


def _cases(ctx: Context, session: Session, mine, horizon) -> list[DueItem]:
    visible = SocialCase.client_id.in_(_clients(ctx, None))
    owner = [SocialCase.responsible_user_id == mine] if mine is not None else []
    reviews = session.execute(select(SocialCase.id, SocialCase.client_id, SocialCase.next_review_on).where(
        SocialCase.deleted.is_(False), SocialCase.closed_on.is_(None), SocialCase.next_review_on <= horizon,
        visible, *owner))
    monitoring = session.execute(select(SocialCase.id, SocialCase.client_id, SocialCase.monitoring_until).where(
        SocialCase.deleted.is_(False), SocialCase.stage == "monitoring", SocialCase.monitoring_until <= horizon,
        visible, *owner))
    return ([DueItem("case_review", day, client, case, "") for case, client, day in reviews]
            + [DueItem("monitoring_end", day, client, case, "") for case, client, day in monitoring])


def _tasks(ctx: Context, session: Session, mine, horizon) -> list[DueItem]:
    query = select(PlanTask.id, PlanTask.client_id, PlanTask.deadline, PlanTask.description, PlanTask.origin).where(
        PlanTask.deleted.is_(False), PlanTask.status == "open", PlanTask.deadline <= horizon,
        PlanTask.responsible_kind == "worker", PlanTask.client_id.in_(_clients(ctx, None)))
    if mine is not None:
        query = query.where(PlanTask.responsible_user_id == mine)
    return [DueItem("child_protection" if (origin or "").startswith("cp_report:") else "task", day, client, task,
                    text) for task, client, day, text, origin in session.execute(query)]


def _statuses(ctx: Context, session: Session, mine, today, horizon) -> list[DueItem]:
    households = select(HouseholdMember.household_id).join(Client, Client.person_id == HouseholdMember.person_id).where(
        HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False), Client.id.in_(_clients(ctx, mine)))
    rows = session.execute(select(HouseholdStatus.id, HouseholdStatus.valid_to, HouseholdStatus.status).where(
        HouseholdStatus.deleted.is_(False), HouseholdStatus.cancelled_from.is_(None),
        HouseholdStatus.valid_to >= today, HouseholdStatus.valid_to <= horizon,
        HouseholdStatus.household_id.in_(households)))
    return [DueItem("status_expiry", day, None, row, status) for row, day, status in rows]


def _decisions(ctx: Context, session: Session, mine, today) -> list[DueItem]:
    items = []
    clients = _clients(ctx, None)
    notified = select(DecisionNotification.id).where(DecisionNotification.decision_id == Decision.id,
                                                     DecisionNotification.deleted.is_(False)).exists()
    limited = select(Client.id).where(Client.capacity_limited.is_(True))
    # only decisions that may lack a notification: none recorded, or a guardian to notify as well
    issued = select(Decision).where(Decision.deleted.is_(False), Decision.status == "issued",
                                    Decision.client_id.in_(clients),
                                    or_(~notified, Decision.client_id.in_(limited)))
    if mine is not None:
        issued = issued.where(or_(Decision.drafted_by_user_id == mine, Decision.client_id.in_(_clients(ctx, mine))))
    for decision in session.scalars(issued):
        if decision_timeline.timeline(session, decision, today).state == "awaiting_notification":
            items.append(DueItem("notification", decision.issued_on, decision.client_id, decision.id,
                                 decision.number or ""))
    returned = _waiting("returned", clients)
    if mine is not None:
        returned = returned.where(Decision.drafted_by_user_id == mine)
    items += [DueItem("returned_decision", day, client, row, "") for row, client, day in _since(session, returned)]
    if ctx.has_role("head"):
        items += [DueItem("approval", day, client, row, "")
                  for row, client, day in _since(session, _waiting("submitted", clients))]
    return items


def _waiting(status: str, clients):
    """Decisions in ``status`` with the moment of their latest approval step (submitted or returned), in one
    query: a head's queue can hold thousands, and one query per decision took seconds."""
    last_step = (select(func.max(DecisionApproval.at)).where(DecisionApproval.decision_id == Decision.id)
                 .correlate(Decision).scalar_subquery())
    return select(Decision.id, Decision.client_id, last_step, Decision.updated_at).where(
        Decision.deleted.is_(False), Decision.status == status, Decision.client_id.in_(clients))


def _since(session: Session, query) -> list[tuple[uuid.UUID, uuid.UUID, dt.date]]:
    """(decision, client, the day it has waited since) — the last step, or the last change without steps."""
    return [(row, client, (at or updated).date()) for row, client, at, updated in session.execute(query)]


# -- the Today screen: visits, returned decisions, names --------------------------------------------------------
@dataclass(frozen=True)
class PlannedVisit:
    visit_id: uuid.UUID
    client_id: uuid.UUID
    planned_on: dt.date
    purpose: str
    started: bool  # the checklist is open (in progress), not yet signed

    def overdue(self, today: dt.date) -> bool:
        return self.planned_on < today


@dataclass(frozen=True)
class ReturnedDecision:
    decision_id: uuid.UUID
    client_id: uuid.UUID
    returned_on: dt.date
    comment: str  # the head's words: what to correct


@dataclass(frozen=True)
class TodaySummary:
    """Everything the Today screen shows, read in one go (one worker-lane load)."""

    items: list[DueItem]  # deadlines, reviews, tasks, statuses, notifications — oldest first
    visits: list[PlannedVisit]
    returned: list[ReturnedDecision]
    approvals: int  # decisions waiting for this head's signature (0 for everyone else)
    conflicts: int  # unresolved sync conflicts on records this user may see
    names: dict[uuid.UUID, str]  # client id → "Given Surname", for the clients above only


def planned_visits(ctx: Context, *, within_days: int = 7) -> list[PlannedVisit]:
    """This worker's home visits planned up to ``within_days`` ahead, and every earlier one not yet signed
    (a missed date, a checklist left open), oldest first."""
    horizon = ctx.today() + dt.timedelta(days=within_days)
    mine = or_(HomeVisit.worker_user_id == ctx.user_id,
               HomeVisit.worker_user_id.is_(None) & HomeVisit.client_id.in_(_clients(ctx, ctx.user_id)))
    query = (select(HomeVisit.id, HomeVisit.client_id, HomeVisit.planned_on, HomeVisit.purpose, HomeVisit.status)
             .where(HomeVisit.deleted.is_(False), HomeVisit.status.in_(("planned", "in_progress")),
                    HomeVisit.planned_on.is_not(None), HomeVisit.planned_on <= horizon,
                    HomeVisit.client_id.in_(_clients(ctx, None)), mine)
             .order_by(HomeVisit.planned_on, HomeVisit.id))
    with ctx.read() as session:
        return [PlannedVisit(row, client, day, purpose, status == "in_progress")
                for row, client, day, purpose, status in session.execute(query)]


def returned_decisions(ctx: Context) -> list[ReturnedDecision]:
    """Decisions this worker drafted that the head returned, with the head's latest comment, oldest first."""
    query = select(Decision.id, Decision.client_id).where(
        Decision.deleted.is_(False), Decision.status == "returned", Decision.drafted_by_user_id == ctx.user_id,
        Decision.client_id.in_(_clients(ctx, None)))
    found = []
    with ctx.read() as session:
        for decision_id, client_id in session.execute(query):
            step = session.execute(select(DecisionApproval.at, DecisionApproval.comment).where(
                DecisionApproval.decision_id == decision_id, DecisionApproval.action == "returned",
                DecisionApproval.deleted.is_(False)).order_by(DecisionApproval.at.desc()).limit(1)).first()
            found.append(ReturnedDecision(decision_id, client_id, step.at.date() if step else ctx.today(),
                                          (step.comment or "") if step else ""))
    return sorted(found, key=lambda r: (r.returned_on, str(r.decision_id)))


def client_names(ctx: Context, client_ids: set[uuid.UUID] | list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """"Given Surname" of each visible client among ``client_ids`` (an invisible one is simply absent)."""
    ids = sorted({i for i in client_ids if i is not None})
    names: dict[uuid.UUID, str] = {}
    with ctx.read() as session:
        for start in range(0, len(ids), 500):
            rows = session.execute(select(Client.id, Person.given_name, Person.surname)
                                   .join(Person, Person.id == Client.person_id)
                                   .where(Client.id.in_(ids[start:start + 500]), visible_clients_clause(ctx)))
            names.update({row: f"{given} {surname}" for row, given, surname in rows})
    return names


def today_summary(ctx: Context, *, within_days: int = 14, visit_days: int = 7) -> TodaySummary:
    """The Today screen of the user at the keyboard: own due items (a household status names the user's
    client in that household, so it can be opened), planned visits, returned decisions, and counts."""
    every = due_items(ctx, within_days=within_days)
    approvals = sum(1 for item in every if item.kind == "approval")
    items = _with_household_clients(ctx, [i for i in every if i.kind not in ("approval", "returned_decision")])
    visits, returned = planned_visits(ctx, within_days=visit_days), returned_decisions(ctx)
    ids = {i.client_id for i in items} | {v.client_id for v in visits} | {r.client_id for r in returned}
    return TodaySummary(items, visits, returned, approvals, len(conflicts.unresolved(ctx)), client_names(ctx, ids))


def _with_household_clients(ctx: Context, items: list[DueItem]) -> list[DueItem]:
    statuses = [i.record_id for i in items if i.kind == "status_expiry" and i.client_id is None]
    if not statuses:
        return items
    with ctx.read() as session:
        rows = session.execute(select(HouseholdStatus.id, Client.id)
                               .join(HouseholdMember, HouseholdMember.household_id == HouseholdStatus.household_id)
                               .join(Client, Client.person_id == HouseholdMember.person_id)
                               .where(HouseholdStatus.id.in_(statuses), HouseholdMember.left_on.is_(None),
                                      HouseholdMember.deleted.is_(False), Client.id.in_(_clients(ctx, ctx.user_id)))
                               .order_by(Client.id))
        owner: dict[uuid.UUID, uuid.UUID] = {}
        for status_id, client_id in rows:
            owner.setdefault(status_id, client_id)
    return [replace(i, client_id=owner.get(i.record_id)) if i.record_id in owner else i for i in items]
