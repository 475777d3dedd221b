"""The client card (klienta karte): one summary of the file for a handover, a case conference or the inspector —
who the client is, the household and the genogram, the social case with its goals, plan and latest assessment,
the recent journal, applications and decisions, and what falls due next.

It summarises; the full record is the case documents and the data report. Printing it is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer
from sqlalchemy import select

from app import audit, due
from app.cases import list_journal, visible_client
from app.context import Context
from app.deadlines import age_on
from app.visits import list_assessments
from app.i18n import N_, _, gettext
from forms.blocks import BLANK, catalogue_name, facts, grid, heading, numbered, scores_text
from forms.labels import date_text, euros, label, labels, moment_text, period_text, person_name, text_or_dash
from forms.genogram import genogram_data, genogram_drawing, legend_drawing
from forms.intervention_plan import case_title
from forms.pdf import letterhead, para, render, styles
from storage.models import (Agreement, AgreementDuty, Application, CaseGoal, Client, Decision, Household,
                            HouseholdMember, HouseholdStatus, InterventionPlan, Person, PlanTask,
                            Relation, SocialCase, User)

DOCUMENT_KIND = "client_card"
RECENT_JOURNAL = 10  # the latest contacts; the whole journal is in the data report
DUE_WITHIN_DAYS = 60


def client_card(ctx: Context, client_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The card as PDF bytes (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        data = _data(session, client)
        head = letterhead(session)
    data["journal"] = list_journal(ctx, client.id)[-RECENT_JOURNAL:][::-1]  # the latest first
    data["assessment"] = (list_assessments(ctx, client.id) or [None])[-1]
    data["today"] = ctx.today()
    data["due"] = [item for item in due.due_items(ctx, within_days=DUE_WITHIN_DAYS, everyone=True)
                   if item.client_id == client.id]
    pdf = render(lambda: _story(data, large_print), title=_("Client card"), head=head)
    audit.record(ctx, "print", entity="clients", entity_id=client.id, client_id=client.id,
                 details={"kind": DOCUMENT_KIND})
    return pdf


def _data(session: Any, client: Client) -> dict[str, Any]:
    person = session.get(Person, client.person_id)
    users = {u.id: u.display_name for u in session.scalars(select(User))}
    cases = list(session.scalars(select(SocialCase).where(SocialCase.client_id == client.id,
                                                          SocialCase.deleted.is_(False))
                                 .order_by(SocialCase.opened_on.desc())))
    case_ids = [case.id for case in cases]
    goals = list(session.scalars(select(CaseGoal).where(CaseGoal.case_id.in_(case_ids), CaseGoal.deleted.is_(False))
                                 .order_by(CaseGoal.created_at)))
    plans = list(session.scalars(select(InterventionPlan).where(
        InterventionPlan.case_id.in_(case_ids), InterventionPlan.deleted.is_(False),
        InterventionPlan.status.in_(("active", "draft"))).order_by(InterventionPlan.version.desc())))
    tasks = list(session.scalars(select(PlanTask).where(PlanTask.plan_id.in_([p.id for p in plans]),
                                                        PlanTask.deleted.is_(False))))
    agreements = list(session.scalars(select(Agreement).where(Agreement.client_id == client.id,
                                                              Agreement.deleted.is_(False))
                                      .order_by(Agreement.valid_from.desc())))
    duties = list(session.scalars(select(AgreementDuty).where(
        AgreementDuty.agreement_id.in_([a.id for a in agreements[:1]]), AgreementDuty.deleted.is_(False))))
    applications = list(session.scalars(select(Application).where(Application.client_id == client.id,
                                                                  Application.deleted.is_(False))
                                        .order_by(Application.received_on.desc())))
    decisions = list(session.scalars(select(Decision).where(Decision.client_id == client.id,
                                                            Decision.deleted.is_(False))
                                     .order_by(Decision.created_at.desc())))
    genogram = genogram_data(session, person.id)
    return {
        "client": client, "person": person, "users": users,
        "representative": session.get(Person, client.legal_representative_id)
        if client.legal_representative_id else None,
        "households": _households(session, person), "cases": cases, "goals": goals, "plans": plans,
        "tasks": tasks, "agreement": agreements[0] if agreements else None, "duties": duties,
        "applications": applications,
        "benefits": {code: catalogue_name(session, "benefits", code)
                     for code in {a.benefit_code for a in applications} | {d.benefit_code for d in decisions}},
        "decisions": decisions, "genogram": genogram if genogram.has_relations else None,
    }


def _households(session: Any, person: Person) -> list[dict[str, Any]]:
    """The households the client lives in now, each with its members, their relation to the client and its
    needy or low-income status."""
    result = []
    memberships = session.scalars(select(HouseholdMember).where(
        HouseholdMember.person_id == person.id, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False)))
    relation = {r.person_id: r.kind for r in session.scalars(select(Relation).where(
        Relation.related_person_id == person.id, Relation.deleted.is_(False)))}
    for membership in memberships:
        household = session.get(Household, membership.household_id)
        members = []
        for row in session.scalars(select(HouseholdMember).where(
                HouseholdMember.household_id == household.id, HouseholdMember.left_on.is_(None),
                HouseholdMember.deleted.is_(False))):
            member = session.get(Person, row.person_id)
            if member is None or member.deleted:
                continue
            members.append((member, gettext(N_("the client")) if member.id == person.id else
                            label("relation", relation.get(member.id)), row.is_head))
        members.sort(key=lambda m: (m[0].id != person.id, m[0].birth_date or dt.date.max))
        status = session.scalars(select(HouseholdStatus).where(
            HouseholdStatus.household_id == household.id, HouseholdStatus.deleted.is_(False),
            HouseholdStatus.cancelled_from.is_(None)).order_by(HouseholdStatus.valid_to.desc())).first()
        result.append({"household": household, "members": members, "status": status})
    return result


def _story(data: dict[str, Any], large_print: bool) -> list:
    st = styles(large_print)
    client, person, users = data["client"], data["person"], data["users"]
    story: list = [para(_("CLIENT CARD"), st.title),
                   para(_("The file as of {date}").format(date=date_text(data["today"])), st.small),
                   *heading(_("Person"), st)]
    age = age_on(person.birth_date, data["today"])
    born = date_text(person.birth_date) + (" " + _("({age} years)").format(age=age) if age is not None else "")
    rows = [(_("Name, surname"), person_name(person)), (_("Personal code"), person.personal_code),
            (_("Date of birth"), born if person.birth_date else None), (_("Gender"), label("gender", person.gender)),
            (_("Address"), person.address), (_("Phone"), person.phone), (_("E-mail"), person.email),
            (_("Language"), label("language", person.language)),
            (_("Preferred contact"), label("contact", person.contact_preference))]
    if person.deceased_on:
        rows.append((_("Deceased on"), date_text(person.deceased_on)))
    story.append(facts(rows, st))
    story += heading(_("Client"), st)
    rows = [(_("Client type"), label("client_type", client.client_type)),
            (_("Target groups"), labels("target_group", client.target_groups)),
            (_("Status"), label("client_status", client.status)), (_("Registered on"), client.registered_on),
            (_("Responsible worker"), users.get(client.responsible_user_id))]
    if client.referral_source:
        rows.append((_("Reported by"), client.referral_source))
    if client.restricted:
        rows.append((_("Access"), _("restricted file: only the responsible worker and the head of service")))
    if data["representative"] is not None:
        text = f"{person_name(data['representative'])} ({label('representative', client.representative_kind)})"
        if client.capacity_limited:
            text += "; " + _("capacity limited: decisions are notified to both")
        rows.append((_("Legal representative"), text))
    story.append(facts(rows, st))
    story += _household_part(data, st)
    story += _case_part(data, st)
    story += _assessment_part(data, st)
    story += _journal_part(data, st)
    story += _assistance_part(data, st)
    story += _due_part(data, st)
    return story


def _household_part(data: dict[str, Any], st: Any) -> list:
    flow: list = [*heading(_("Household"), st)]
    if not data["households"]:
        flow.append(para(_("No household is recorded."), st.body))
    for item in data["households"]:
        household, status = item["household"], item["status"]
        lines = [household.address or household.label or "—"]
        if status is not None:
            lines.append(_("{status} from {start} to {end}").format(
                status=label("household_status", status.status), start=date_text(status.valid_from),
                end=date_text(status.valid_to)))
        flow += [para(line, st.body) for line in lines]
        rows = [[person_name(m), relation, m.birth_date, _("yes") if is_head else BLANK]
                for m, relation, is_head in item["members"]]
        flow.append(grid([_("Member"), _("Relation to the client"), _("Date of birth"), _("Head of household")],
                         rows, st, widths=[56 * mm, 46 * mm, 30 * mm, 38 * mm]))
    if data["genogram"] is not None:
        flow.append(KeepTogether([para(_("Genogram"), st.heading),
                                  genogram_drawing(data["genogram"], max_height=95 * mm), Spacer(1, 3 * mm),
                                  legend_drawing()]))
    return flow


def _case_part(data: dict[str, Any], st: Any) -> list:
    cases, users = data["cases"], data["users"]
    open_cases = [case for case in cases if case.closed_on is None or case.stage == "monitoring"]
    flow: list = [*heading(_("Social case"), st)]
    if not open_cases:
        flow.append(para(_("The client has no open social case."), st.body))
    for case in open_cases:
        rows = [(_("Case"), case_title(case, short=True)), (_("Stage"), label("stage", case.stage)),
                (_("Reason"), case.reason),
                (_("Responsible worker"), users.get(case.responsible_user_id)), (_("Problem"), case.problem),
                (_("Next review"), case.next_review_on)]
        if case.monitoring_until:
            rows.append((_("Monitoring until"), case.monitoring_until))
        flow.append(facts(rows, st))
        goals = [g for g in data["goals"] if g.case_id == case.id]
        if goals:
            flow.append(para(_("Goals"), st.label))
            flow.append(numbered([[para(f"{g.text} ({label('goal', g.status)}, "
                                        f"{date_text(g.target_date)})", st.body)] for g in goals], st))
        plan = next((p for p in data["plans"] if p.case_id == case.id), None)
        if plan is not None:
            tasks = [t for t in data["tasks"] if t.plan_id == plan.id]
            waiting = sum(1 for t in tasks if t.status == "open")
            flow.append(para(_("Intervention plan, version {version} ({status}), valid {period}: {open} of {total} "
                               "tasks still to be done.").format(
                version=plan.version, status=label("plan", plan.status),
                period=period_text(plan.valid_from, plan.valid_to), open=waiting, total=len(tasks)), st.body))
        else:
            flow.append(para(_("No intervention plan is in force."), st.body))
    agreement = data["agreement"]
    if agreement is not None:
        counts = {key: sum(1 for d in data["duties"] if d.fulfilment == key)
                  for key in ("fulfilled", "not_fulfilled", "pending")}
        flow.append(para(_("Co-operation agreement ({status}), valid {period}: duties fulfilled {fulfilled}, not "
                           "fulfilled {not_fulfilled}, not yet checked {pending}.").format(
            status=label("agreement", agreement.status), period=period_text(agreement.valid_from, agreement.valid_to),
            **counts), st.body))
    closed = [case for case in cases if case not in open_cases]
    if closed:
        flow.append(para(_("Earlier cases"), st.label))
        flow += [para(_("{case}; closed on {date}: {reason}").format(case=case_title(case),
                                                                     date=date_text(case.closed_on),
                                                                     reason=case.closure_reason or "—"), st.body)
                 for case in closed]
    return flow


def _assessment_part(data: dict[str, Any], st: Any) -> list:
    assessment = data["assessment"]
    if assessment is None:
        return [*heading(_("Latest assessment"), st), para(_("No assessment is recorded."), st.body)]
    scores = scores_text(assessment)
    return [*heading(_("Latest assessment"), st), facts([
        (_("Kind"), label("assessment_kind", assessment.kind)), (_("Date"), assessment.assessed_on),
        (_("Status"), label("assessment", assessment.status)), (_("Scores"), scores or None),
        (_("Summary"), assessment.summary)], st)]


def _journal_part(data: dict[str, Any], st: Any) -> list:
    flow: list = [*heading(_("Latest journal entries"), st)]
    if not data["journal"]:
        return flow + [para(_("No contacts are recorded."), st.body)]
    rows = [[moment_text(e.occurred_at), label("journal", e.kind),
             _("{minutes} min").format(minutes=e.duration_minutes) if e.duration_minutes is not None else None,
             e.topic, data["users"].get(e.worker_user_id)] for e in data["journal"]]
    return flow + [grid([_("When"), _("Kind"), _("Duration"), _("Topic"), _("Worker")], rows, st,
                        widths=[30 * mm, 28 * mm, 18 * mm, 60 * mm, 34 * mm])]


def _assistance_part(data: dict[str, Any], st: Any) -> list:
    flow: list = [*heading(_("Applications"), st)]
    benefits = data["benefits"]
    if data["applications"]:
        rows = [[a.registration_number, a.received_on, benefits.get(a.benefit_code), label("application", a.status),
                 a.extended_until or a.decision_due] for a in data["applications"]]
        flow.append(grid([_("Number"), _("Received"), _("Benefit"), _("Status"), _("Decide by")], rows, st,
                         widths=[30 * mm, 24 * mm, 60 * mm, 30 * mm, 26 * mm]))
    else:
        flow.append(para(_("No applications are recorded."), st.body))
    flow += heading(_("Decisions"), st)
    if data["decisions"]:
        rows = [[d.number, label("decision_kind", d.kind), benefits.get(d.benefit_code) if d.benefit_code else None,
                 label("decision", d.status), euros(d.amount_cents) if d.amount_cents is not None else None,
                 period_text(d.period_from, d.period_to) if d.period_from else None] for d in data["decisions"]]
        flow.append(grid([_("Number"), _("Kind"), _("Benefit"), _("Status"), _("Amount"), _("Period")], rows, st,
                         widths=[30 * mm, 22 * mm, 34 * mm, 28 * mm, 22 * mm, 34 * mm]))
    else:
        flow.append(para(_("No decisions are recorded."), st.body))
    return flow


def _due_part(data: dict[str, Any], st: Any) -> list:
    flow: list = [*heading(_("Next dates"), st)]
    items = data["due"]
    if not items:
        return flow + [para(_("Nothing falls due in the next {days} days.").format(days=DUE_WITHIN_DAYS), st.body)]
    rows = [[item.due_on, gettext(due.KINDS.get(item.kind, item.kind)), text_or_dash(item.detail),
             _("overdue") if item.overdue(data["today"]) else BLANK] for item in items]
    return flow + [grid([_("Date"), _("What"), _("Details"), ""], rows, st,
                        widths=[24 * mm, 52 * mm, 74 * mm, 20 * mm])]
