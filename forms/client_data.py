"""The data-subject access report (GDPR Art. 15): everything this laptop's store holds about one person — the
person record and its personal-code history, the client file, households and relations, cases with their goals,
plans and tasks, agreements and duties, the journal, home visits with their answers, assessments, applications,
means tests, household statuses, decisions with their approval and notification, services, complaints, the
metadata of scanned documents, conflicting versions kept for review, and who accessed the file (the audit log) —
with the purposes and legal basis of the processing.

:data:`COVERED` names every table the report reads; a test fails when a table that refers to a person or a client
is added to the schema and not to this report. Deleted records (tombstones) are still held, so they are printed
too, marked as deleted. The report needs sight of every file it draws on, so a worker who cannot see one of them
(a restricted file) is refused and the head of service makes it. Making it is audited.
"""

from __future__ import annotations

import uuid
from typing import Any, Iterable

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy import false, or_, select

from app import audit
from app.access import CASEWORK_ROLES, can_see
from app.context import Context
from app.errors import FIELD_LABELS, NotFound, PermissionDenied, ValidationError
from app.i18n import N_, _
from app.people import ENTITY_PERSON, code_history
from app.visits import load_template
from forms.blocks import catalogue_name, facts, grid, heading, scores_text
from forms.labels import (
    date_text, euros, in_language, label, labels, moment_text, period_text, person_name, text_or_dash,
)
from forms.pdf import letterhead, para, render, styles
from storage.models import (Agreement, AgreementDuty, Application, Assessment, Attachment, AuditEvent, CaseGoal,
                            CaseReview, Client, Complaint, Decision, DecisionApproval, DecisionNotification,
                            HomeVisit, HomeVisitAnswer, Household, HouseholdMember, HouseholdStatus,
                            InterventionPlan, JournalEntry, MeansTest, Person, PersonalCodeRecord, PlanTask,
                            Relation, ServiceReferral, SocialCase, SyncConflict, User)

DOCUMENT_KIND = "client_data_report"

#: Every table that holds data about the person, and the section of the report that prints it.
COVERED: dict[str, str] = {
    "persons": "person", "personal_code_history": "person", "clients": "client",
    "households": "households", "household_members": "households", "relations": "households",
    "social_cases": "cases", "case_reviews": "cases", "case_goals": "cases", "intervention_plans": "cases",
    "plan_tasks": "cases", "agreements": "agreements", "agreement_duties": "agreements", "journal_entries": "journal",
    "home_visits": "visits", "home_visit_answers": "visits", "assessments": "assessments",
    "applications": "assistance", "means_tests": "assistance", "household_statuses": "assistance",
    "decisions": "decisions", "decision_approvals": "decisions", "decision_notifications": "decisions",
    "service_referrals": "services", "complaints": "complaints", "attachments": "attachments",
    "sync_conflicts": "conflicts", "audit_events": "access",
}
#: Tables that refer to records above but hold nothing more about the person, with the reason.
NOT_ABOUT_THE_PERSON: dict[str, str] = {
    "outbox": "copies of changes to the rows above, kept only until the central service confirms them",
    "sync_quarantine": "ids of changes the central service refused; their content is in the rows above",
}


def client_data_report(ctx: Context, person_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The report as PDF bytes (in memory); audited as an access to every file it draws on."""
    ctx.require_role(N_("make a personal data report"), *CASEWORK_ROLES)
    with ctx.read() as session:
        person = session.get(Person, person_id)
        if person is None or person.deleted:
            raise NotFound(entity_msg=ENTITY_PERSON)
        data = _collect(session, person)
        for client in data["files"]:
            if not can_see(ctx, client):
                raise PermissionDenied(action_msg=N_(
                    "make this personal data report: it draws on a file you cannot see (ask the head of service)"))
        data["codes"] = code_history(ctx, person_id)
        user = session.get(User, ctx.user_id) if ctx.user_id else None
        data["prepared_by"] = user.display_name if user else "—"
        head = letterhead(session)
    data["today"] = ctx.today()
    pdf = render(lambda: _story(data, large_print), title=_("Personal data report"), head=head)
    own = data["client"].id if data["client"] is not None else None
    with ctx.write() as session:
        audit.record(ctx, "client_data_report", entity="persons", entity_id=person_id, client_id=own,
                     details={"kind": DOCUMENT_KIND}, session=session)
        for client in data["files"]:
            if client.id != own:
                audit.record(ctx, "client_data_report", entity="persons", entity_id=person_id, client_id=client.id,
                             details={"kind": DOCUMENT_KIND}, session=session)
    return pdf


def _is(column: Any, value: uuid.UUID | None) -> Any:
    """``column = value``, and never "IS NULL" when there is no value (a person who is not a client)."""
    return false() if value is None else column == value


def _all(session: Any, model: Any, *conditions: Any, order: Iterable[Any] = ()) -> list:
    """Rows, deleted ones included (a tombstone still holds the data)."""
    return list(session.scalars(select(model).where(*conditions).order_by(*order, model.created_at)))


def _collect(session: Any, person: Person) -> dict[str, Any]:
    pid = person.id
    client = session.scalars(select(Client).where(Client.person_id == pid)).first()
    cid = client.id if client else None
    memberships = _all(session, HouseholdMember, HouseholdMember.person_id == pid, order=[HouseholdMember.joined_on])
    household_ids = [m.household_id for m in memberships]
    cases = _all(session, SocialCase, _is(SocialCase.client_id, cid), order=[SocialCase.opened_on])
    case_ids = [c.id for c in cases]
    plans = _all(session, InterventionPlan, InterventionPlan.case_id.in_(case_ids),
                 order=[InterventionPlan.version])
    agreements = _all(session, Agreement, _is(Agreement.client_id, cid), order=[Agreement.valid_from])
    visits = _all(session, HomeVisit, _is(HomeVisit.client_id, cid), order=[HomeVisit.planned_on])
    applications = _all(session, Application, or_(_is(Application.client_id, cid),
                                                  Application.applicant_person_id == pid),
                        order=[Application.received_on])
    application_ids = [a.id for a in applications]
    notifications = _all(session, DecisionNotification, DecisionNotification.recipient_person_id == pid)
    decisions = _all(session, Decision, or_(_is(Decision.client_id, cid), Decision.application_id.in_(application_ids),
                                            Decision.id.in_([n.decision_id for n in notifications])),
                     order=[Decision.issued_on])
    decision_ids = [d.id for d in decisions]
    represented = _all(session, Client, Client.legal_representative_id == pid)
    data: dict[str, Any] = {
        "person": person, "client": client, "represented": represented,
        "represented_names": {c.id: person_name(session.get(Person, c.person_id)) for c in represented},
        "code_records": _all(session, PersonalCodeRecord, PersonalCodeRecord.person_id == pid),
        "memberships": memberships,
        "households": {h.id: h for h in _all(session, Household, Household.id.in_(household_ids))},
        "members": _all(session, HouseholdMember, HouseholdMember.household_id.in_(household_ids)),
        "relations": _all(session, Relation, or_(Relation.person_id == pid, Relation.related_person_id == pid)),
        "cases": cases,
        "reviews": _all(session, CaseReview, CaseReview.case_id.in_(case_ids), order=[CaseReview.reviewed_on]),
        "goals": _all(session, CaseGoal, CaseGoal.case_id.in_(case_ids)),
        "plans": plans,
        "tasks": _all(session, PlanTask, or_(_is(PlanTask.client_id, cid), PlanTask.case_id.in_(case_ids)),
                      order=[PlanTask.deadline]),
        "agreements": agreements,
        "duties": _all(session, AgreementDuty, AgreementDuty.agreement_id.in_([a.id for a in agreements])),
        "journal": _all(session, JournalEntry, _is(JournalEntry.client_id, cid), order=[JournalEntry.occurred_at]),
        "visits": visits,
        "answers": _all(session, HomeVisitAnswer, HomeVisitAnswer.visit_id.in_([v.id for v in visits])),
        "assessments": _all(session, Assessment, _is(Assessment.client_id, cid), order=[Assessment.assessed_on]),
        "applications": applications,
        "means_tests": _all(session, MeansTest, or_(MeansTest.application_id.in_(application_ids),
                                                    MeansTest.household_id.in_(household_ids)),
                            order=[MeansTest.performed_on]),
        "statuses": _all(session, HouseholdStatus, HouseholdStatus.household_id.in_(household_ids),
                         order=[HouseholdStatus.valid_from]),
        "decisions": decisions,
        "approvals": _all(session, DecisionApproval, DecisionApproval.decision_id.in_(decision_ids),
                          order=[DecisionApproval.at]),
        "notifications": _all(session, DecisionNotification, or_(DecisionNotification.decision_id.in_(decision_ids),
                                                                  DecisionNotification.recipient_person_id == pid)),
        "referrals": _all(session, ServiceReferral, _is(ServiceReferral.client_id, cid),
                          order=[ServiceReferral.referred_on]),
        "complaints": _all(session, Complaint, Complaint.complainant_person_id == pid, order=[Complaint.received_on]),
        "attachments": list(session.execute(select(
            Attachment.id, Attachment.filename, Attachment.media_type, Attachment.size_bytes, Attachment.description,
            Attachment.owner_entity, Attachment.created_at, Attachment.deleted).where(_is(Attachment.client_id, cid))
            .order_by(Attachment.created_at))),  # metadata only: the scan itself stays encrypted
        "events": _all(session, AuditEvent, or_(_is(AuditEvent.client_id, cid), AuditEvent.entity_id == pid),
                       order=[AuditEvent.at]),
    }
    rows = {pid} | {r.id for key, value in data.items() if isinstance(value, list)
                    for r in value if hasattr(r, "id")}
    data["conflicts"] = _all(session, SyncConflict, SyncConflict.row_id.in_(rows), order=[SyncConflict.occurred_at])
    files = {c.id: c for c in [client, *represented] if c is not None}
    for owner in {a.client_id for a in applications} | {d.client_id for d in decisions}:
        files.setdefault(owner, session.get(Client, owner))
    data["files"] = [c for c in files.values() if c is not None]
    related = {r.person_id for r in data["relations"]} | {r.related_person_id for r in data["relations"]} | {
        m.person_id for m in data["members"]} | {n.recipient_person_id for n in data["notifications"]}
    data["names"] = {p.id: person_name(p) for p in session.scalars(select(Person).where(Person.id.in_(related)))}
    data["users"] = {u.id: u.display_name for u in session.scalars(select(User))}
    data["benefits"] = {code: catalogue_name(session, "benefits", code) for code in
                        {a.benefit_code for a in applications} | {d.benefit_code for d in decisions if d.benefit_code}}
    data["services"] = {r.service_code: catalogue_name(session, "services", r.service_code)
                        for r in data["referrals"]}
    data["questions"] = _questions(visits)
    return data


def _questions(visits: list[HomeVisit]) -> dict[tuple[str, int, str], str]:
    """The text of each checklist question, from the template version each visit used."""
    texts = {}
    for template_id, version in {(v.template_id, v.template_version) for v in visits}:
        try:
            template = load_template(template_id, version)
        except ValidationError:
            continue
        for qid, question in template.questions.items():
            texts[(template_id, version, qid)] = in_language(question.get("text"), qid)
    return texts


# -- the document -----------------------------------------------------------------------------------------------
def _deleted(row: Any, text: Any) -> str:
    text = text_or_dash(text)
    return text + "\n" + _("(deleted)") if getattr(row, "deleted", False) else text


def _none(st: Any) -> Any:
    return para(_("No records."), st.body)


def _story(data: dict[str, Any], large_print: bool) -> list:
    st = styles(large_print)
    person = data["person"]
    story: list = [para(_("PERSONAL DATA REPORT"), st.title),
                   para(_("Everything the social service holds about the person on this computer (General Data "
                          "Protection Regulation, Article 15)"), st.small), Spacer(1, 3 * mm),
                   facts([(_("Person"), person_name(person)), (_("Personal code"), person.personal_code),
                          (_("Prepared on"), date_text(data["today"])), (_("Prepared by"), data["prepared_by"])], st)]
    sections = [
        (_("Purposes and legal basis of the processing"), _purposes),
        (_("Person"), _person), (_("Client file"), _client), (_("Households and relations"), _households),
        (_("Social cases, goals, plans and tasks"), _cases), (_("Co-operation agreements and duties"), _agreements),
        (_("Journal of contacts and consultations"), _journal), (_("Home visits"), _visits),
        (_("Assessments"), _assessments), (_("Applications, means tests and household status"), _assistance),
        (_("Decisions"), _decisions), (_("Social services and referrals"), _referrals),
        (_("Complaints and suggestions"), _complaints), (_("Documents and scans (description only)"), _attachments),
        (_("Conflicting versions kept for review"), _conflicts), (_("Who accessed the file"), _access),
    ]
    for number, (title, part) in enumerate(sections, start=1):
        # a heading never ends a page alone; the section's tables then flow on over as many pages as they need
        story += [*heading(f"{number}. {title}", st, room=40 * mm), *part(data, st)]
    return story


def _purposes(data: dict[str, Any], st: Any) -> list:
    client = data["client"]
    retention = (_("Until {date}.").format(date=date_text(client.retention_until))
                 if client is not None and client.retention_until else
                 _("As the social service's document classification scheme sets (the earlier rule: 10 years after "
                   "the service ended)."))
    return [facts([
        (_("Purposes"), _("Social work with the client and the family, assessment of needs and resources, social "
                          "services and social assistance, decisions on benefits and the co-operation duties (Law "
                          "on Social Services and Social Assistance, Articles 9–12).")),
        (_("Legal basis"), _("A legal obligation and a task in the public interest (GDPR Article 6(1)(c) and (e)); "
                             "health and disability data as special categories for social protection and social "
                             "care (GDPR Article 9(2)(b) and (h)).")),
        (_("Sources"), _("The person and their family; state and municipal institutions and others the social "
                         "service may ask for information (Law on Social Services and Social Assistance, Article "
                         "12(3)).")),
        (_("Confidentiality"), _("Information about a person's private life is restricted-access information "
                                 "(Freedom of Information Law, Article 5); information about a child is "
                                 "confidential (Law on the Protection of the Children's Rights, Article 71).")),
        (_("Recipients"), _("Staff of the social service by their role; the orphans' court, the State Police and "
                            "the family doctor where the law requires a report.")),
        (_("Retention"), retention),
        (_("Your rights"), _("You may ask for inaccurate data to be corrected and complain to the Data State "
                             "Inspectorate.")),
    ], st)]


def _person(data: dict[str, Any], st: Any) -> list:
    person = data["person"]
    flow: list = [facts([
        (_("Name, surname"), person_name(person)), (_("Personal code"), person.personal_code),
        (_("Date of birth"), person.birth_date), (_("Gender"), label("gender", person.gender)),
        (_("Address"), person.address), (_("Phone"), person.phone), (_("E-mail"), person.email),
        (_("Language"), label("language", person.language)),
        (_("Preferred contact"), label("contact", person.contact_preference)),
        (_("Deceased on"), person.deceased_on), (_("Recorded on"), person.created_at),
        (_("Last changed on"), person.updated_at)], st)]
    if data["codes"] or data["code_records"]:
        flow.append(para(_("Personal codes held"), st.label))
        reasons = {r.personal_code: r.reason for r in data["code_records"]}
        flow.append(grid([_("Personal code"), _("From"), _("Until"), _("Reason for the change")],
                         [[c.personal_code, c.valid_from, c.valid_to or _("now"), reasons.get(c.personal_code)]
                          for c in data["codes"]], st, widths=[40 * mm, 30 * mm, 30 * mm, 70 * mm]))
    return flow


def _client(data: dict[str, Any], st: Any) -> list:
    client, users = data["client"], data["users"]
    flow: list = []
    if client is None:
        flow.append(para(_("The person is not registered as a client."), st.body))
    else:
        flow.append(facts([
            (_("Client type"), label("client_type", client.client_type)),
            (_("Target groups"), labels("target_group", client.target_groups)),
            (_("Status"), _deleted(client, label("client_status", client.status))),
            (_("Registered on"), client.registered_on), (_("Reported by"), client.referral_source),
            (_("Responsible worker"), users.get(client.responsible_user_id)),
            (_("Restricted file"), _("yes") if client.restricted else _("no")),
            (_("Legal representative"), data["names"].get(client.legal_representative_id)
             if client.legal_representative_id else None),
            (_("Kind of representation"), label("representative", client.representative_kind)
             if client.representative_kind else None),
            (_("Capacity limited"), _("yes") if client.capacity_limited else _("no")),
            (_("Kept until"), client.retention_until)], st))
    for ward in data["represented"]:
        flow.append(para(_("Recorded as the legal representative ({kind}) of {name}.").format(
            kind=label("representative", ward.representative_kind), name=data["represented_names"][ward.id]), st.body))
    return flow


def _households(data: dict[str, Any], st: Any) -> list:
    names, flow = data["names"], []
    for membership in data["memberships"]:
        household = data["households"].get(membership.household_id)
        members = [m for m in data["members"] if m.household_id == membership.household_id]
        flow.append(facts([
            (_("Household"), _deleted(membership, (household.label or household.address) if household else None)),
            (_("Address"), household.address if household else None),
            (_("Lived there"), period_text(membership.joined_on, membership.left_on)
             if membership.joined_on else None),
            (_("Members"), ", ".join(names.get(m.person_id, "—") + (" " + _("(moved out)") if m.left_on else "")
                                     for m in members))], st))
        flow.append(Spacer(1, 2 * mm))
    if data["relations"]:  # each relation is stored both ways, and both rows are data held
        rows = [[_deleted(r, names.get(r.person_id)), label("relation", r.kind), names.get(r.related_person_id),
                 r.since, r.until, r.note] for r in data["relations"]]
        flow.append(grid([_("Person"), _("Relation"), _("In relation to"), _("Since"), _("Until"), _("Note")], rows,
                         st, widths=[38 * mm, 28 * mm, 38 * mm, 24 * mm, 24 * mm, 18 * mm]))
    return flow or [_none(st)]


def _cases(data: dict[str, Any], st: Any) -> list:
    flow: list = []
    users = data["users"]
    for case in data["cases"]:
        flow.append(facts([
            (_("Opened on"), _deleted(case, case.opened_on)), (_("Case number"), case.number),
            (_("Reason"), case.reason), (_("Client type"), label("client_type", case.client_type)),
            (_("Responsible worker"), users.get(case.responsible_user_id)), (_("Stage"), label("stage", case.stage)),
            (_("Problem"), case.problem), (_("Social diagnosis"), case.diagnosis),
            (_("Restricted"), _("yes") if case.restricted else _("no")), (_("Next review"), case.next_review_on),
            (_("Evaluation"), case.evaluation), (_("Evaluated on"), case.evaluated_on),
            (_("Closed on"), case.closed_on), (_("Reason for closing"), case.closure_reason),
            (_("Monitoring until"), case.monitoring_until)], st))
        reviews = [r for r in data["reviews"] if r.case_id == case.id]
        if reviews:
            flow.append(grid([_("Reviewed on"), _("Kind"), _("Text"), _("By"), _("Next review")],
                             [[_deleted(r, r.reviewed_on), label("stage", r.kind) if r.kind == "evaluation" else
                               _("review"), r.text, users.get(r.reviewed_by_user_id), r.next_review_on]
                              for r in reviews], st, widths=[24 * mm, 22 * mm, 72 * mm, 28 * mm, 24 * mm]))
        goals = [g for g in data["goals"] if g.case_id == case.id]
        if goals:
            flow.append(grid([_("Goal"), _("Target date"), _("Status"), _("Evaluation")],
                             [[_deleted(g, g.text), g.target_date, label("goal", g.status), g.evaluation]
                              for g in goals], st, widths=[76 * mm, 24 * mm, 28 * mm, 42 * mm]))
        plans = [p for p in data["plans"] if p.case_id == case.id]
        if plans:
            flow.append(grid([_("Plan version"), _("Valid"), _("Status"), _("Resources"), _("Notes")],
                             [[_deleted(p, str(p.version)), period_text(p.valid_from, p.valid_to),
                               label("plan", p.status), p.resources, p.notes] for p in plans], st,
                             widths=[20 * mm, 40 * mm, 26 * mm, 42 * mm, 42 * mm]))
        flow.append(Spacer(1, 3 * mm))
    case_ids = {c.id for c in data["cases"]}
    tasks = data["tasks"]
    if tasks:
        flow.append(grid([_("Task"), _("Responsible"), _("Deadline"), _("Status"), _("Result")],
                         [[_deleted(t, t.description), label("responsible", t.responsible_kind), t.deadline,
                           label("task", t.status) + (f" {date_text(t.done_on)}" if t.done_on else ""),
                           t.result or t.expected_result] for t in tasks if t.case_id in case_ids or t.case_id is None],
                         st, widths=[66 * mm, 26 * mm, 24 * mm, 24 * mm, 30 * mm]))
    return flow or [_none(st)]


def _agreements(data: dict[str, Any], st: Any) -> list:
    flow: list = []
    for agreement in data["agreements"]:
        flow.append(facts([
            (_("Agreement"), _deleted(agreement, label("agreement", agreement.status))),
            (_("Valid"), period_text(agreement.valid_from, agreement.valid_to)),
            (_("Concluded on"), agreement.concluded_on),
            (_("Signed by the client"), _("yes") if agreement.client_signed else _("no")),
            (_("Text"), agreement.text)], st))
        duties = [d for d in data["duties"] if d.agreement_id == agreement.id]
        if duties:
            flow.append(grid([_("Duty"), _("Deadline"), _("Fulfilment"), _("Evidence"), _("Checked on")],
                             [[_deleted(d, d.description), d.deadline, label("fulfilment", d.fulfilment), d.evidence,
                               d.checked_on] for d in duties], st,
                             widths=[66 * mm, 24 * mm, 26 * mm, 30 * mm, 24 * mm]))
        flow.append(Spacer(1, 3 * mm))
    return flow or [_none(st)]


def _journal(data: dict[str, Any], st: Any) -> list:
    if not data["journal"]:
        return [_none(st)]
    users = data["users"]
    rows = []
    for e in data["journal"]:
        kind = label("journal", e.kind) + (", " + _("{minutes} min").format(minutes=e.duration_minutes)
                                           if e.duration_minutes is not None else "")
        text = e.topic + (f"\n{e.text}" if e.text else "")
        who = "\n".join(part for part in (users.get(e.worker_user_id), e.participants) if part)
        flags = labels("flag", e.flags) if e.flags else ""
        rows.append([_deleted(e, moment_text(e.occurred_at)), kind, text, who or None,
                     flags + (("\n" if flags else "") + _("corrects an earlier entry") if e.corrects_entry_id else "")
                     or None])
    return [grid([_("When"), _("Kind"), _("Topic and record"), _("Worker, participants"), _("Notes")], rows, st,
                 widths=[26 * mm, 28 * mm, 66 * mm, 30 * mm, 20 * mm])]


def _visits(data: dict[str, Any], st: Any) -> list:
    flow: list = []
    for visit in data["visits"]:
        flow.append(facts([
            (_("Visit"), _deleted(visit, visit.planned_on)), (_("Visited at"), visit.visited_at),
            (_("Status"), label("visit", visit.status)), (_("Purpose"), visit.purpose),
            (_("Participants"), visit.participants), (_("Findings"), visit.findings), (_("Risks"), visit.risks),
            (_("Recommendations"), visit.recommendations), (_("Next steps"), visit.next_steps),
            (_("Flags"), labels("flag", visit.flags) if visit.flags else None),
            (_("Client's signature"), label("signature", visit.client_signature)
             if visit.client_signature else None), (_("Signed at"), visit.signed_at)], st))
        answers = [a for a in data["answers"] if a.visit_id == visit.id]
        if answers:
            key = (visit.template_id, visit.template_version)
            flow.append(grid([_("Question"), _("Answer"), _("Note")],
                             [[data["questions"].get((*key, a.question_id), a.question_id), a.value, a.note]
                              for a in answers], st, widths=[90 * mm, 30 * mm, 50 * mm]))
        flow.append(Spacer(1, 3 * mm))
    return flow or [_none(st)]


def _assessments(data: dict[str, Any], st: Any) -> list:
    if not data["assessments"]:
        return [_none(st)]
    rows = [[_deleted(a, a.assessed_on), label("assessment_kind", a.kind),
             scores_text(a) or None, a.summary,
             label("assessment", a.status)] for a in data["assessments"]]
    return [grid([_("Date"), _("Kind"), _("Scores"), _("Summary"), _("Status")], rows, st,
                 widths=[24 * mm, 32 * mm, 50 * mm, 44 * mm, 20 * mm])]


def _assistance(data: dict[str, Any], st: Any) -> list:
    flow: list = []
    if data["applications"]:
        flow.append(grid([_("Number"), _("Received"), _("Channel"), _("Benefit"), _("Request"), _("Status")],
                         [[_deleted(a, a.registration_number), a.received_on, label("channel", a.channel),
                           data["benefits"].get(a.benefit_code), a.request_text, label("application", a.status)]
                          for a in data["applications"]], st,
                         widths=[30 * mm, 24 * mm, 20 * mm, 32 * mm, 42 * mm, 22 * mm]))
    if data["means_tests"]:
        flow.append(grid([_("Means test on"), _("Household size"), _("Income a month"), _("Resources"), _("Result")],
                         [[_deleted(m, m.performed_on), str(m.household_size), euros(m.income_cents),
                           _values(m.resources, ", ") or None,
                           label("household_status", m.result) if m.result else None] for m in data["means_tests"]],
                         st, widths=[26 * mm, 24 * mm, 28 * mm, 54 * mm, 38 * mm]))
    if data["statuses"]:
        flow.append(grid([_("Household status"), _("Valid"), _("Cancelled from")],
                         [[_deleted(s, label("household_status", s.status)), period_text(s.valid_from, s.valid_to),
                           s.cancelled_from] for s in data["statuses"]], st, widths=[60 * mm, 60 * mm, 50 * mm]))
    return flow or [_none(st)]


def _decisions(data: dict[str, Any], st: Any) -> list:
    flow: list = []
    users, names = data["users"], data["names"]
    for d in data["decisions"]:
        flow.append(facts([
            (_("Number"), _deleted(d, d.number or _("(number given at issue)"))),
            (_("Kind"), label("decision_kind", d.kind)), (_("Status"), label("decision", d.status)),
            (_("Benefit"), data["benefits"].get(d.benefit_code) if d.benefit_code else None),
            (_("Amount"), euros(d.amount_cents) if d.amount_cents is not None else None),
            (_("Period"), period_text(d.period_from, d.period_to) if d.period_from else None),
            (_("Request"), d.request_summary), (_("Participants' views"), d.participants_views),
            (_("Established facts"), d.facts), (_("Reasons"), d.reasons),
            (_("Legal basis"), "\n".join(d.legal_basis or []) or None), (_("Decision"), d.operative_part),
            (_("Where and when to contest"), "; ".join(p for p in (d.appeal_body, d.appeal_term) if p) or None),
            (_("Signed at"), d.signed_at), (_("Issued on"), d.issued_on)], st))
        trail = [a for a in data["approvals"] if a.decision_id == d.id]
        told = [n for n in data["notifications"] if n.decision_id == d.id]
        if trail:
            flow.append(grid([_("Approval step"), _("When"), _("By"), _("Comment")],
                             [[label("approval", a.action), a.at,
                               users.get(a.by_user_id), a.comment] for a in trail], st,
                             widths=[36 * mm, 34 * mm, 40 * mm, 60 * mm]))
        if told:
            flow.append(grid([_("Notified person"), _("How"), _("Sent on"), _("Notified on")],
                             [[names.get(n.recipient_person_id), label("channel", n.channel),
                               n.sent_on or n.registered_on, n.received_on or n.deemed_notified_on] for n in told], st,
                             widths=[54 * mm, 46 * mm, 34 * mm, 36 * mm]))
        flow.append(Spacer(1, 3 * mm))
    return flow or [_none(st)]


def _referrals(data: dict[str, Any], st: Any) -> list:
    if not data["referrals"]:
        return [_none(st)]
    return [grid([_("Service"), _("Referred on"), _("Period"), _("Status"), _("Note")],
                 [[_deleted(r, data["services"].get(r.service_code)), r.referred_on,
                   period_text(r.starts_on, r.ends_on) if r.starts_on else None, label("referral", r.status), r.note]
                  for r in data["referrals"]], st, widths=[44 * mm, 24 * mm, 40 * mm, 28 * mm, 34 * mm])]


def _complaints(data: dict[str, Any], st: Any) -> list:
    if not data["complaints"]:
        return [_none(st)]
    return [grid([_("Received"), _("Channel"), _("Text"), _("Answer"), _("Status")],
                 [[_deleted(c, c.received_on), label("channel", c.channel), c.text, c.answer,
                   label("complaint", c.status)] for c in data["complaints"]], st,
                 widths=[24 * mm, 22 * mm, 54 * mm, 50 * mm, 20 * mm])]


def _attachments(data: dict[str, Any], st: Any) -> list:
    if not data["attachments"]:
        return [_none(st)]
    return [grid([_("File"), _("Type"), _("Size"), _("Description"), _("Added")],
                 [[a.filename + ("\n" + _("(deleted)") if a.deleted else ""), a.media_type,
                   _("{size} KiB").format(size=max(1, round(a.size_bytes / 1024))), a.description, a.created_at]
                  for a in data["attachments"]], st, widths=[48 * mm, 30 * mm, 18 * mm, 44 * mm, 30 * mm])]


def _conflicts(data: dict[str, Any], st: Any) -> list:
    if not data["conflicts"]:
        return [_none(st)]
    rows = [[c.occurred_at, _(RECORDS[c.entity]) if c.entity in RECORDS else c.entity, _values(c.losing),
             _values(c.standing),
             _("resolved") if c.resolved_at else _("not resolved")] for c in data["conflicts"]]
    return [grid([_("When"), _("Record"), _("Value that did not stand"), _("Value kept"), _("Status")], rows, st,
                 widths=[28 * mm, 28 * mm, 48 * mm, 46 * mm, 20 * mm])]


RECORDS = {"persons": N_("person"), "clients": N_("client"), "households": N_("household"),
           "social_cases": N_("social case"), "case_goals": N_("goal"), "intervention_plans": N_("intervention plan"),
           "plan_tasks": N_("task"), "agreements": N_("co-operation agreement"), "agreement_duties": N_("duty"),
           "journal_entries": N_("journal entry"), "home_visits": N_("home visit"), "assessments": N_("assessment"),
           "applications": N_("application"), "decisions": N_("decision")}


def _values(values: dict | None, separator: str = "\n") -> str:
    """Stored field values, each by its field's name where the forms have one (yes/no for true/false)."""
    def shown(value: Any) -> str:
        return (_("yes") if value else _("no")) if isinstance(value, bool) else text_or_dash(value)

    return separator.join(f"{_(FIELD_LABELS[k]) if k in FIELD_LABELS else k}: {shown(v)}"
                          for k, v in (values or {}).items())


ACTIONS = {"open_client": N_("opened the file"), "open_attachment": N_("opened a document"),
           "print": N_("printed"), "export": N_("exported"), "search_restricted": N_("found in a search"),
           "client_data_report": N_("made a personal data report")}
PRINTED = {"decision_letter": N_("decision letter"), "intervention_plan": N_("intervention plan"),
           "cooperation_agreement": N_("co-operation agreement"), "client_card": N_("client card"),
           "genogram": N_("genogram"), "client_data_report": N_("personal data report")}


def _access(data: dict[str, Any], st: Any) -> list:
    if not data["events"]:
        return [_none(st)]
    users = data["users"]
    rows = []
    for event in data["events"]:
        what = _(ACTIONS[event.action]) if event.action in ACTIONS else event.action
        kind = (event.details or {}).get("kind")
        if kind:
            what += ": " + (_(PRINTED[kind]) if kind in PRINTED else str(kind))
        rows.append([event.at, users.get(event.user_id, "—"), what])
    return [grid([_("When"), _("Who"), _("What")], rows, st, widths=[32 * mm, 50 * mm, 88 * mm])]
