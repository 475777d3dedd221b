"""What the client file screen shows (issue 6 §4): one read model per tab, plain frozen data fetched in the
store lane, every one refusing a file the user may not see exactly as a missing one (ARCHITECTURE.md rule 7).

Opening the file is itself audited (rule 8): :func:`open_client_file` records it and returns the overview, so the
"who opened this file" tab lists every opening. Code values stay codes here; the UI prints their names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.cases import visible_client
from app.context import Context
from app.i18n import current_language
from app.visits import load_template
from storage.models import (
    Agreement, AgreementDuty, Assessment, Attachment, AuditEvent, CaseGoal, CaseReview, Client, Decision, HomeVisit,
    HouseholdMember, HouseholdStatus, InterventionPlan, JournalEntry, Person, PlanTask, Relation, SocialCase, User,
)

PENDING_DECISIONS = ("draft", "submitted", "returned", "approved")


def name_of(person: Person | None) -> str:
    return f"{person.given_name} {person.surname}" if person is not None else ""


def in_language(texts: dict[str, Any] | None, fallback: str = "") -> str:
    """A template's text in the current language, Latvian when missing."""
    texts = texts or {}
    return texts.get(current_language()) or texts.get("lv") or fallback or next(iter(texts.values()), "")


def _users(session: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


# -- overview ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Overview:
    client_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    personal_code: str | None
    birth_date: dt.date | None
    address: str | None
    phone: str | None
    client_type: str
    target_groups: tuple[str, ...]
    responsible: str | None
    restricted: bool
    representative: str | None
    representative_kind: str | None
    household_status: str | None  # needy | low_income | None
    household_status_until: dt.date | None
    case_id: uuid.UUID | None
    case_stage: str | None
    next_review_on: dt.date | None
    open_tasks: int
    planned_visits: int
    pending_decisions: int


def overview(ctx: Context, client_id: uuid.UUID) -> Overview:
    with ctx.read() as session:
        return _overview(ctx, session, client_id)


def person_of(ctx: Context, client_id: uuid.UUID) -> uuid.UUID:
    """The person a (visible) client file is about: the personal data report is made per person."""
    with ctx.read() as session:
        return visible_client(ctx, session, client_id).person_id


def open_client_file(ctx: Context, client_id: uuid.UUID) -> Overview:
    """The overview of a file being opened, and the audit event that says who opened it (rule 8)."""
    with ctx.write() as session:
        result = _overview(ctx, session, client_id)
        audit.record(ctx, "open_client", entity=Client.__tablename__, entity_id=client_id, client_id=client_id,
                     session=session)
        return result


def _overview(ctx: Context, session: Session, client_id: uuid.UUID) -> Overview:
    client = visible_client(ctx, session, client_id)
    person = session.get(Person, client.person_id)
    representative = session.get(Person, client.legal_representative_id) if client.legal_representative_id else None
    worker = session.get(User, client.responsible_user_id) if client.responsible_user_id else None
    case = current_case(session, client.id)
    status = _household_status(session, client.person_id, ctx.today())

    def count(model: Any, *where: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(
            model.client_id == client.id, model.deleted.is_(False), *where)) or 0

    return Overview(
        client_id=client.id, person_id=person.id, name=name_of(person), personal_code=person.personal_code,
        birth_date=person.birth_date, address=person.address, phone=person.phone, client_type=client.client_type,
        target_groups=tuple(client.target_groups or ()), responsible=worker.display_name if worker else None,
        restricted=client.restricted, representative=name_of(representative) or None,
        representative_kind=client.representative_kind,
        household_status=status[0] if status else None, household_status_until=status[1] if status else None,
        case_id=case.id if case else None, case_stage=case.stage if case else None,
        next_review_on=case.next_review_on if case else None,
        open_tasks=count(PlanTask, PlanTask.status == "open"),
        planned_visits=count(HomeVisit, HomeVisit.status == "planned"),
        pending_decisions=count(Decision, Decision.status.in_(PENDING_DECISIONS)))


def current_case(session: Session, client_id: uuid.UUID) -> SocialCase | None:
    """The open case, else one being monitored after closure."""
    cases = session.scalars(select(SocialCase).where(
        SocialCase.client_id == client_id, SocialCase.deleted.is_(False),
        or_(SocialCase.closed_on.is_(None), SocialCase.stage == "monitoring"))
        .order_by(SocialCase.closed_on.is_not(None), SocialCase.opened_on.desc())).all()
    return cases[0] if cases else None


def _household_status(session: Session, person_id: uuid.UUID, today: dt.date) -> tuple[str, dt.date] | None:
    """The status in force today of the household the person lives in, and the last day it holds."""
    homes = select(HouseholdMember.household_id).where(
        HouseholdMember.person_id == person_id, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False))
    rows = session.scalars(select(HouseholdStatus).where(
        HouseholdStatus.household_id.in_(homes), HouseholdStatus.deleted.is_(False),
        HouseholdStatus.valid_from <= today, HouseholdStatus.valid_to >= today)).all()
    current = []
    for row in rows:
        end = row.valid_to if row.cancelled_from is None else min(row.valid_to,
                                                                    row.cancelled_from - dt.timedelta(days=1))
        if end >= today:
            current.append((row.status, end))
    return max(current, key=lambda item: item[1]) if current else None


# -- household ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    person_id: uuid.UUID
    name: str
    birth_date: dt.date | None
    is_head: bool
    is_client: bool
    relation: str | None  # how the member is related to the client (a relation code), if recorded


@dataclass(frozen=True)
class Relative:
    person_id: uuid.UUID
    name: str
    kind: str  # the relative is ``kind`` of the client
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True)
class HouseholdView:
    person_id: uuid.UUID
    address: str | None
    members: tuple[Member, ...]
    relatives: tuple[Relative, ...]


def household(ctx: Context, client_id: uuid.UUID) -> HouseholdView:
    """The people the client lives with now, and everyone a recorded relation links to the client."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        me = client.person_id
        ties = session.scalars(select(Relation).where(Relation.related_person_id == me,
                                                      Relation.deleted.is_(False))).all()
        kinds = {tie.person_id: tie.kind for tie in ties if tie.until is None}
        homes = select(HouseholdMember.household_id).where(
            HouseholdMember.person_id == me, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False))
        rows = session.execute(select(HouseholdMember, Person).join(Person, Person.id == HouseholdMember.person_id)
                               .where(HouseholdMember.household_id.in_(homes), HouseholdMember.left_on.is_(None),
                                      HouseholdMember.deleted.is_(False), Person.deleted.is_(False))).all()
        members, seen = [], set()
        for row, person in sorted(rows, key=lambda r: (not r[0].is_head, r[1].birth_date or dt.date.max)):
            if person.id in seen:
                continue
            seen.add(person.id)
            members.append(Member(person.id, name_of(person), person.birth_date, row.is_head, person.id == me,
                                  kinds.get(person.id)))
        people = {p.id: p for p in session.scalars(select(Person).where(
            Person.id.in_([t.person_id for t in ties]), Person.deleted.is_(False)))}
        relatives = tuple(Relative(t.person_id, name_of(people[t.person_id]), t.kind, t.since, t.until)
                          for t in sorted(ties, key=lambda t: (t.until is not None, t.kind))
                          if t.person_id in people)
        address = session.get(Person, me).address
        return HouseholdView(me, address, tuple(members), relatives)


# -- journal -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JournalLine:
    id: uuid.UUID
    occurred_at: dt.datetime
    kind: str
    topic: str
    text: str | None
    duration_minutes: int | None
    worker: str | None
    flags: tuple[str, ...]
    corrects: bool


def journal(ctx: Context, client_id: uuid.UUID) -> list[JournalLine]:
    """The client's journal, newest first (the worker looks for the last contact)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.execute(select(
            JournalEntry.id, JournalEntry.occurred_at, JournalEntry.kind, JournalEntry.topic, JournalEntry.text,
            JournalEntry.duration_minutes, JournalEntry.worker_user_id, JournalEntry.flags,
            JournalEntry.corrects_entry_id).where(JournalEntry.client_id == client.id,
                                                  JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc(), JournalEntry.created_at.desc())).all()
        users = _users(session, {row.worker_user_id for row in rows})
        return [JournalLine(r.id, r.occurred_at, r.kind, r.topic, r.text, r.duration_minutes,
                            users.get(r.worker_user_id), tuple(r.flags or ()), r.corrects_entry_id is not None)
                for r in rows]


# -- the case ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalLine:
    id: uuid.UUID
    text: str
    target_date: dt.date | None
    status: str


@dataclass(frozen=True)
class TaskLine:
    id: uuid.UUID
    description: str
    deadline: dt.date | None
    responsible_kind: str
    responsible: str | None
    status: str
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class ReviewLine:
    reviewed_on: dt.date
    kind: str
    text: str
    by: str | None


@dataclass(frozen=True)
class CaseSummary:
    case_id: uuid.UUID
    opened_on: dt.date
    reason: str
    problem: str | None
    diagnosis: str | None
    stage: str
    next_review_on: dt.date | None
    is_open: bool
    goals: tuple[GoalLine, ...]
    plan_id: uuid.UUID | None
    plan_version: int | None
    plan_valid_from: dt.date | None
    plan_valid_to: dt.date | None
    tasks: tuple[TaskLine, ...]
    reviews: tuple[ReviewLine, ...]


def case_summary(ctx: Context, client_id: uuid.UUID) -> CaseSummary | None:
    """The current case with goals, the plan in force with its tasks (and tasks without a plan), reviews."""
    today = ctx.today()
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        case = current_case(session, client.id)
        if case is None:
            return None
        goals = session.scalars(select(CaseGoal).where(CaseGoal.case_id == case.id, CaseGoal.deleted.is_(False))
                                .order_by(CaseGoal.created_at)).all()
        plan = session.scalar(select(InterventionPlan).where(
            InterventionPlan.case_id == case.id, InterventionPlan.deleted.is_(False),
            InterventionPlan.status.in_(("active", "draft"))).order_by(InterventionPlan.version.desc()).limit(1))
        tasks = session.scalars(select(PlanTask).where(
            PlanTask.case_id == case.id, PlanTask.deleted.is_(False),
            or_(PlanTask.plan_id.is_(None), PlanTask.plan_id == (plan.id if plan else None)))
            .order_by(PlanTask.deadline, PlanTask.created_at)).all()
        reviews = session.scalars(select(CaseReview).where(CaseReview.case_id == case.id,
                                                           CaseReview.deleted.is_(False))
                                  .order_by(CaseReview.reviewed_on.desc())).all()
        users = _users(session, {t.responsible_user_id for t in tasks} | {r.reviewed_by_user_id for r in reviews})
        return CaseSummary(
            case_id=case.id, opened_on=case.opened_on, reason=case.reason, problem=case.problem,
            diagnosis=case.diagnosis, stage=case.stage, next_review_on=case.next_review_on,
            is_open=case.closed_on is None,
            goals=tuple(GoalLine(g.id, g.text, g.target_date, g.status) for g in goals),
            plan_id=plan.id if plan else None, plan_version=plan.version if plan else None,
            plan_valid_from=plan.valid_from if plan else None, plan_valid_to=plan.valid_to if plan else None,
            tasks=tuple(TaskLine(t.id, t.description, t.deadline, t.responsible_kind,
                                 users.get(t.responsible_user_id), t.status, t.done_on,
                                 t.status == "open" and t.deadline is not None and t.deadline < today)
                        for t in tasks),
            reviews=tuple(ReviewLine(r.reviewed_on, r.kind, r.text, users.get(r.reviewed_by_user_id))
                          for r in reviews))


# -- assessments -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssessmentLine:
    id: uuid.UUID
    kind: str
    title: str
    assessed_on: dt.date
    status: str
    low: int
    high: int
    axes: tuple[str, ...]  # domain names in the current language
    scores: tuple[int | None, ...]
    previous_on: dt.date | None  # the previous final assessment of the same kind
    previous_scores: tuple[int | None, ...] | None
    summary: str | None


def assessments(ctx: Context, client_id: uuid.UUID) -> list[AssessmentLine]:
    """The client's assessments, newest first, each with the previous final one of its kind to compare."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(Assessment).where(Assessment.client_id == client.id,
                                                        Assessment.deleted.is_(False))
                               .order_by(Assessment.assessed_on, Assessment.created_at)).all()
    templates: dict[tuple[str, int], Any] = {}
    lines = []
    for index, row in enumerate(rows):
        key = (row.template_id, row.template_version)
        if key not in templates:
            templates[key] = load_template(*key)
        template = templates[key]
        earlier = next((r for r in reversed(rows[:index]) if r.kind == row.kind and r.status == "final"), None)
        ids = template.domain_ids

        def scores_of(assessment: Assessment) -> tuple[int | None, ...]:
            return tuple(assessment.scores.get(d) if isinstance(assessment.scores.get(d), int) else None
                         for d in ids)

        lines.append(AssessmentLine(
            row.id, row.kind, in_language(template.title, row.kind), row.assessed_on, row.status,
            template.scale_min, template.scale_max, tuple(in_language(d, d["id"]) for d in template.domains),
            scores_of(row), earlier.assessed_on if earlier else None, scores_of(earlier) if earlier else None,
            row.summary))
    return lines[::-1]


# -- agreements ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DutyLine:
    id: uuid.UUID
    description: str
    deadline: dt.date | None
    fulfilment: str
    checked_on: dt.date | None
    evidence: str | None


@dataclass(frozen=True)
class AgreementView:
    id: uuid.UUID
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    concluded_on: dt.date | None
    duties: tuple[DutyLine, ...]


def agreements(ctx: Context, client_id: uuid.UUID) -> list[AgreementView]:
    """Co-operation agreements, newest first, with their duties and how each was fulfilled."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(Agreement).where(Agreement.client_id == client.id,
                                                       Agreement.deleted.is_(False))
                               .order_by(Agreement.valid_from.desc(), Agreement.created_at.desc())).all()
        duties = session.scalars(select(AgreementDuty).where(
            AgreementDuty.agreement_id.in_([a.id for a in rows]), AgreementDuty.deleted.is_(False))
            .order_by(AgreementDuty.created_at)).all()
        return [AgreementView(a.id, a.status, a.valid_from, a.valid_to, a.concluded_on, tuple(
            DutyLine(d.id, d.description, d.deadline, d.fulfilment, d.checked_on, d.evidence)
            for d in duties if d.agreement_id == a.id)) for a in rows]


# -- attachments and the audit trail --------------------------------------------------------------------------
@dataclass(frozen=True)
class AttachmentLine:
    id: uuid.UUID
    filename: str
    media_type: str
    size_bytes: int
    description: str | None
    added_at: dt.datetime
    added_by: str | None


def attachments(ctx: Context, client_id: uuid.UUID) -> list[AttachmentLine]:
    """Scans and files in the client's file, newest first (their bytes stay in the store until asked for)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.execute(select(
            Attachment.id, Attachment.filename, Attachment.media_type, Attachment.size_bytes, Attachment.description,
            Attachment.created_at, Attachment.author_user_id).where(
            Attachment.client_id == client.id, Attachment.deleted.is_(False))
            .order_by(Attachment.created_at.desc())).all()
        users = _users(session, {r.author_user_id for r in rows})
        return [AttachmentLine(r.id, r.filename, r.media_type, r.size_bytes, r.description, r.created_at,
                               users.get(r.author_user_id)) for r in rows]


@dataclass(frozen=True)
class AuditLine:
    at: dt.datetime
    user: str | None
    action: str  # an audit action code (app.audit.ACTIONS)
    document: str | None  # what was printed or exported (a document kind code)


def audit_trail(ctx: Context, client_id: uuid.UUID) -> list[AuditLine]:
    """Who opened, printed or exported this file and when, newest first."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(AuditEvent).where(AuditEvent.client_id == client.id)
                               .order_by(AuditEvent.at.desc())).all()
        users = _users(session, {r.user_id for r in rows})
        return [AuditLine(r.at, users.get(r.user_id), r.action, (r.details or {}).get("kind")) for r in rows]
