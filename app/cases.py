"""The social case and its work process (DOMAIN.md §3): problem and diagnosis, goals, the intervention plan
with time-bound tasks, the co-operation agreement with its duties, the journal of every contact, closure.

The stage only moves forward: opened → assessment (problem and social diagnosis) → planning (goals and an
intervention plan with time-bound tasks) → implementation (co-operation agreement signed, the journal) →
evaluation → closed, or monitoring after closure → closed. Steps out of order are refused with the reason:
no plan before the problem is defined and a goal set, no closure without an evaluation. Reviews are dated
records; the next one falls due by the client's age and situation (app/reviews.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import child_protection, reviews
from app import validation as v
from app.access import require_casework, require_visible
from app.context import Context
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from storage.errors import N_
from storage.models import (
    Agreement,
    AgreementDuty,
    CaseGoal,
    CaseReview,
    Client,
    Institution,
    InterventionPlan,
    JournalEntry,
    PlanTask,
    SocialCase,
    User,
)

STAGES = ("opened", "assessment", "planning", "implementation", "evaluation", "closed", "monitoring")
CLOSED_STAGES = ("closed", "monitoring")
RESPONSIBLE_KINDS = ("worker", "client", "institution")
FULFILMENTS = ("fulfilled", "not_fulfilled")
GOAL_OUTCOMES = ("reached", "not_reached", "dropped")
JOURNAL_KINDS = ("consultation", "phone", "visit", "meeting", "cooperation", "letter", "note")
#: findings that oblige the worker to report (DOMAIN.md §8); shared by the journal and home visits
FLAGS = ("suspected_abuse", "missing_health_care")
MAX_DURATION_MINUTES = 24 * 60

ENTITY_CASE = N_("social case")
ENTITY_GOAL = N_("goal")
ENTITY_PLAN = N_("intervention plan")
ENTITY_TASK = N_("task")
ENTITY_AGREEMENT = N_("agreement")
ENTITY_DUTY = N_("duty")
ENTITY_JOURNAL = N_("journal entry")
ENTITY_USER = N_("user")
ENTITY_INSTITUTION = N_("institution")




def visible_client(ctx: Context, session: Session, client_id: uuid.UUID) -> Client:
    return require_visible(ctx, session.get(Client, client_id))


def visible_record(ctx: Context, session: Session, model: type, row_id: uuid.UUID,
                   entity_msg: str) -> tuple[Any, Client]:
    """A record that belongs to a client (a visit, an assessment, an agreement…) and that client, if the user may
    see the client: a restricted client's record looks the same as a missing one."""
    row = session.get(model, row_id)
    if row is None or row.deleted:
        raise NotFound(entity_msg=entity_msg)
    try:
        return row, visible_client(ctx, session, row.client_id)
    except NotFound:
        raise NotFound(entity_msg=entity_msg) from None


def visible_case(ctx: Context, session: Session, case_id: uuid.UUID, *, client_id: uuid.UUID | None = None,
                 open_only: bool = False) -> SocialCase:
    """The case if its client is visible to the user (a restricted case looks missing); optionally it must
    belong to ``client_id`` and still be open."""
    case = session.get(SocialCase, case_id)
    if case is None or case.deleted or (client_id is not None and case.client_id != client_id):
        raise NotFound(entity_msg=ENTITY_CASE)
    try:
        visible_client(ctx, session, case.client_id)
    except NotFound:
        raise NotFound(entity_msg=ENTITY_CASE) from None
    if open_only and case.closed_on is not None:
        raise InvalidTransition(reason_msg=N_("the social case is closed."))
    return case


def active_user(session: Session, user_id: uuid.UUID, field: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.deleted or not user.active:
        raise ValidationError(N_("'{field_msg}' is not an active user."), field=field)
    return user


def _advance(case: SocialCase, stage: str) -> None:
    """Move the case forward to ``stage``; never backwards (a case with a plan stays past planning)."""
    if case.stage in STAGES and STAGES.index(case.stage) >= STAGES.index(stage):
        return
    case.stage = stage


# -- the case -----------------------------------------------------------------------------------------------
def open_case(ctx: Context, client_id: uuid.UUID, *, reason: str, opened_on: dt.date | str | None = None,
              responsible_user_id: uuid.UUID | None = None) -> uuid.UUID:
    """Open the client's social case; one open case per client (a case file must not be split)."""
    require_casework(ctx)
    reason = v.text(reason, "reason")
    opened = v.date(opened_on, "opened_on", required=False, not_after=ctx.today()) or ctx.today()
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        already = session.scalar(select(SocialCase.id).where(
            SocialCase.client_id == client.id, SocialCase.closed_on.is_(None), SocialCase.deleted.is_(False)))
        if already:
            raise InvalidTransition(reason_msg=N_("the client already has an open social case."))
        responsible = responsible_user_id or client.responsible_user_id or ctx.user_id
        if responsible is not None:
            active_user(session, responsible, "responsible_user_id")
        case = SocialCase(client_id=client.id, opened_on=opened, reason=reason, client_type=client.client_type,
                          restricted=client.restricted, responsible_user_id=responsible, stage="opened")
        session.add(case)
        session.flush()
        return case.id


def set_problem_and_diagnosis(ctx: Context, case_id: uuid.UUID, problem: str, *,
                              diagnosis: str | None = None) -> None:
    """The defined problem and the social diagnosis: the case moves to assessment."""
    require_casework(ctx)
    problem = v.text(problem, "problem")
    diagnosis = v.text(diagnosis, "diagnosis", required=False)
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        case.problem = problem
        if diagnosis is not None:
            case.diagnosis = diagnosis
        _advance(case, "assessment")


def add_goal(ctx: Context, case_id: uuid.UUID, text: str, *, target_date: dt.date | str | None = None) -> uuid.UUID:
    require_casework(ctx)
    text = v.text(text, "goal")
    target = v.date(target_date, "target_date", required=False)
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        if target is not None and target < case.opened_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was opened."), field="target_date")
        goal = CaseGoal(case_id=case.id, text=text, target_date=target)
        session.add(goal)
        session.flush()
        return goal.id


def create_plan(ctx: Context, case_id: uuid.UUID, valid_from: dt.date | str, *, valid_to: dt.date | str | None = None,
                resources: str | None = None, notes: str | None = None) -> uuid.UUID:
    """A new active intervention plan; the previous active plan of the case is superseded."""
    require_casework(ctx)
    start = v.date(valid_from, "valid_from")
    end = v.date(valid_to, "valid_to", required=False)
    if end is not None and end < start:
        raise ValidationError(N_("'{field_msg}' cannot be before the start."), field="valid_to")
    resources = v.text(resources, "resources", required=False)
    notes = v.text(notes, "text", required=False)
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        if start < case.opened_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was opened."), field="valid_from")
        if not (case.problem or "").strip():
            raise InvalidTransition(reason_msg=N_("define the problem and the social diagnosis before the plan."))
        if session.scalar(select(CaseGoal.id).where(CaseGoal.case_id == case.id, CaseGoal.deleted.is_(False))
                          .limit(1)) is None:
            raise InvalidTransition(reason_msg=N_("set at least one goal before the plan."))
        client = session.get(Client, case.client_id)
        longest = reviews.next_review(session, client, start)
        if end is not None and end > longest:
            raise ValidationError(N_("'{field_msg}' is later than the next review allows ({day})."),
                                  field="valid_to", day=longest.isoformat())
        plans = session.scalars(select(InterventionPlan).where(
            InterventionPlan.case_id == case.id, InterventionPlan.deleted.is_(False))).all()
        for old in plans:
            if old.status == "active":
                old.status = "superseded"
        plan = InterventionPlan(case_id=case.id, version=max((p.version for p in plans), default=0) + 1,
                                valid_from=start, valid_to=end, status="active", resources=resources, notes=notes)
        session.add(plan)
        _advance(case, "planning")
        if case.next_review_on is None or case.next_review_on > longest:
            case.next_review_on = longest
        session.flush()
        return plan.id


def add_task(ctx: Context, description: str, *, deadline: dt.date | str, responsible_kind: str,
             plan_id: uuid.UUID | None = None, case_id: uuid.UUID | None = None,
             expected_result: str | None = None, responsible_user_id: uuid.UUID | None = None,
             institution_id: uuid.UUID | None = None, goal_id: uuid.UUID | None = None) -> uuid.UUID:
    """A concrete, time-bound task of a plan (or of a case without a plan yet): who does what by when."""
    require_casework(ctx)
    description = v.text(description, "description")
    due = v.date(deadline, "deadline")
    kind = v.choice(responsible_kind, "responsible_kind", RESPONSIBLE_KINDS)
    expected = v.text(expected_result, "expected_result", required=False)
    if plan_id is None and case_id is None:
        raise RequiredField(field="plan")
    if kind == "institution" and institution_id is None:
        raise RequiredField(field="institution_id")
    with ctx.write() as session:
        plan = None
        if plan_id is not None:
            plan = session.get(InterventionPlan, plan_id)
            if plan is None or plan.deleted or (case_id is not None and plan.case_id != case_id):
                raise NotFound(entity_msg=ENTITY_PLAN)
            case_id = plan.case_id
        case = visible_case(ctx, session, case_id, open_only=True)
        if plan is not None:
            if plan.status not in ("draft", "active"):
                raise InvalidTransition(
                    reason_msg=N_("the plan is no longer in force; add the task to the current plan."))
            if due < plan.valid_from:
                raise ValidationError(N_("'{field_msg}' cannot be before the plan starts."), field="deadline")
        elif due < case.opened_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was opened."), field="deadline")
        if goal_id is not None:
            _goal_of_case(session, goal_id, case.id)
        if kind == "worker":
            responsible_user_id = responsible_user_id or case.responsible_user_id or ctx.user_id
        if responsible_user_id is not None:
            active_user(session, responsible_user_id, "responsible_user_id")
        if institution_id is not None:
            institution = session.get(Institution, institution_id)
            if institution is None or institution.deleted:
                raise NotFound(entity_msg=ENTITY_INSTITUTION)
        task = PlanTask(plan_id=plan.id if plan else None, case_id=case.id, client_id=case.client_id, goal_id=goal_id,
                        description=description,
                        responsible_kind=kind, responsible_user_id=responsible_user_id,
                        institution_id=institution_id, expected_result=expected, deadline=due, status="open")
        session.add(task)
        session.flush()
        return task.id


def complete_task(ctx: Context, task_id: uuid.UUID, done_on: dt.date | str, result: str) -> None:
    require_casework(ctx)
    done = v.date(done_on, "done_on", not_after=ctx.today())
    result = v.text(result, "result")
    with ctx.write() as session:
        task = session.get(PlanTask, task_id)
        if task is None or task.deleted:
            raise NotFound(entity_msg=ENTITY_TASK)
        if task.case_id is not None:
            _visible_as(ctx, session, task.case_id, ENTITY_TASK)
        else:
            try:
                visible_client(ctx, session, task.client_id)
            except NotFound:
                raise NotFound(entity_msg=ENTITY_TASK) from None
        if task.status != "open":
            raise InvalidTransition(reason_msg=N_("the task is already done or cancelled."))
        task.status, task.done_on, task.result = "done", done, result


def record_review(ctx: Context, case_id: uuid.UUID, reviewed_on: dt.date | str, text: str) -> uuid.UUID:
    """A dated review of the case and its plan; the next one falls due by the client's situation."""
    require_casework(ctx)
    reviewed = v.date(reviewed_on, "date", not_after=ctx.today())
    text = v.text(text, "text")
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        if reviewed < case.opened_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was opened."), field="date")
        due = reviews.next_review(session, session.get(Client, case.client_id), reviewed)
        review = CaseReview(case_id=case.id, reviewed_on=reviewed, kind="review", text=text,
                            reviewed_by_user_id=ctx.user_id, next_review_on=due)
        session.add(review)
        case.next_review_on = due
        session.flush()
        return review.id


def evaluate_case(ctx: Context, case_id: uuid.UUID, evaluated_on: dt.date | str, evaluation: str, *,
                  goal_outcomes: dict[uuid.UUID, str] | None = None) -> None:
    """The evaluation before closure: goals reached or not, the client's co-operation and motivation."""
    require_casework(ctx)
    evaluated = v.date(evaluated_on, "date", not_after=ctx.today())
    evaluation = v.text(evaluation, "evaluation")
    outcomes = {goal: v.choice(outcome, "goal", GOAL_OUTCOMES) for goal, outcome in (goal_outcomes or {}).items()}
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        if evaluated < case.opened_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was opened."), field="date")
        for goal_id, outcome in outcomes.items():
            _goal_of_case(session, goal_id, case.id).status = outcome
        case.evaluation, case.evaluated_on = evaluation, evaluated
        session.add(CaseReview(case_id=case.id, reviewed_on=evaluated, kind="evaluation", text=evaluation,
                               reviewed_by_user_id=ctx.user_id))
        _advance(case, "evaluation")


def close_case(ctx: Context, case_id: uuid.UUID, closed_on: dt.date | str, reason: str, *,
               monitoring_until: dt.date | str | None = None) -> None:
    """Close an evaluated case; monitoring may follow until a set date."""
    require_casework(ctx)
    closed = v.date(closed_on, "closed_on", not_after=ctx.today())
    reason = v.text(reason, "reason")
    monitoring = v.date(monitoring_until, "monitoring_until", required=False)
    if monitoring is not None and monitoring <= closed:
        raise ValidationError(N_("'{field_msg}' must be after the closing date."), field="monitoring_until")
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id, open_only=True)
        if case.evaluated_on is None:
            raise InvalidTransition(reason_msg=N_("a case is closed only after its evaluation."))
        if closed < case.evaluated_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the evaluation."), field="closed_on")
        for plan in session.scalars(select(InterventionPlan).where(
                InterventionPlan.case_id == case.id, InterventionPlan.status == "active")):
            plan.status = "closed"
        case.closed_on, case.closure_reason, case.monitoring_until = closed, reason, monitoring
        case.stage = "monitoring" if monitoring else "closed"
        case.next_review_on = None


def end_monitoring(ctx: Context, case_id: uuid.UUID, ended_on: dt.date | str) -> None:
    """Monitoring after closure is over: the case is simply closed."""
    require_casework(ctx)
    ended = v.date(ended_on, "date", not_after=ctx.today())
    with ctx.write() as session:
        case = visible_case(ctx, session, case_id)
        if case.stage != "monitoring":
            raise InvalidTransition(reason_msg=N_("the case is not being monitored."))
        if ended < case.closed_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the case was closed."), field="date")
        case.stage, case.monitoring_until = "closed", ended


def _visible_as(ctx: Context, session: Session, case_id: uuid.UUID, entity_msg: str) -> SocialCase:
    try:
        return visible_case(ctx, session, case_id)
    except NotFound:
        raise NotFound(entity_msg=entity_msg) from None


def _goal_of_case(session: Session, goal_id: uuid.UUID, case_id: uuid.UUID | None) -> CaseGoal:
    goal = session.get(CaseGoal, goal_id)
    if goal is None or goal.deleted or case_id is None or goal.case_id != case_id:
        raise ValidationError(N_("The goal does not belong to this social case."), field="goal")
    return goal


# -- the co-operation agreement ------------------------------------------------------------------------------
def create_agreement(ctx: Context, client_id: uuid.UUID, valid_from: dt.date | str, *,
                     valid_to: dt.date | str | None = None, text: str | None = None,
                     case_id: uuid.UUID | None = None) -> uuid.UUID:
    """A draft co-operation agreement; duties are added before it is signed."""
    require_casework(ctx)
    start = v.date(valid_from, "valid_from")
    end = v.date(valid_to, "valid_to", required=False)
    if end is not None and end < start:
        raise ValidationError(N_("'{field_msg}' cannot be before the start."), field="valid_to")
    text = v.text(text, "text", required=False)
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if case_id is not None:
            visible_case(ctx, session, case_id, client_id=client.id, open_only=True)
        agreement = Agreement(client_id=client.id, case_id=case_id, valid_from=start, valid_to=end, text=text,
                              status="draft")
        session.add(agreement)
        session.flush()
        return agreement.id


def add_duty(ctx: Context, agreement_id: uuid.UUID, description: str, *, deadline: dt.date | str | None = None,
             goal_id: uuid.UUID | None = None) -> uuid.UUID:
    """An individual, concrete, checkable duty; only while the agreement is a draft."""
    require_casework(ctx)
    description = v.text(description, "description")
    due = v.date(deadline, "deadline", required=False)
    with ctx.write() as session:
        agreement = _agreement(ctx, session, agreement_id)
        if agreement.status != "draft":
            raise InvalidTransition(reason_msg=N_("the agreement is already signed; make a new agreement instead."))
        if due is not None and due < agreement.valid_from:
            raise ValidationError(N_("'{field_msg}' cannot be before the agreement starts."), field="deadline")
        if goal_id is not None:
            _goal_of_case(session, goal_id, agreement.case_id)
        duty = AgreementDuty(agreement_id=agreement.id, description=description, deadline=due, goal_id=goal_id)
        session.add(duty)
        session.flush()
        return duty.id


def sign_agreement(ctx: Context, agreement_id: uuid.UUID, concluded_on: dt.date | str) -> None:
    require_casework(ctx)
    concluded = v.date(concluded_on, "concluded_on", not_after=ctx.today())
    with ctx.write() as session:
        agreement = _agreement(ctx, session, agreement_id)
        if agreement.status != "draft":
            raise InvalidTransition(reason_msg=N_("the agreement is already signed."))
        duties = session.scalar(select(AgreementDuty.id).where(
            AgreementDuty.agreement_id == agreement.id, AgreementDuty.deleted.is_(False)).limit(1))
        if duties is None:
            raise InvalidTransition(reason_msg=N_("an agreement needs at least one co-operation duty."))
        agreement.status, agreement.concluded_on, agreement.client_signed = "signed", concluded, True
        if agreement.case_id is not None:
            case = session.get(SocialCase, agreement.case_id)
            if case.stage == "planning":
                _advance(case, "implementation")


def record_duty_fulfilment(ctx: Context, duty_id: uuid.UUID, fulfilment: str, checked_on: dt.date | str, *,
                           evidence: str | None = None) -> None:
    """Fulfilled or not; non-fulfilment needs its evidence (it may become a documented reason to refuse)."""
    require_casework(ctx)
    fulfilment = v.choice(fulfilment, "fulfilment", FULFILMENTS)
    checked = v.date(checked_on, "checked_on", not_after=ctx.today())
    evidence = v.text(evidence, "evidence", required=fulfilment == "not_fulfilled")
    with ctx.write() as session:
        duty = session.get(AgreementDuty, duty_id)
        if duty is None or duty.deleted:
            raise NotFound(entity_msg=ENTITY_DUTY)
        agreement = _agreement(ctx, session, duty.agreement_id, entity_msg=ENTITY_DUTY)
        if agreement.status != "signed":
            raise InvalidTransition(reason_msg=N_("the agreement is not signed yet."))
        if checked < agreement.valid_from:
            raise ValidationError(N_("'{field_msg}' cannot be before the agreement starts."), field="checked_on")
        duty.fulfilment, duty.evidence, duty.checked_on = fulfilment, evidence, checked


def _agreement(ctx: Context, session: Session, agreement_id: uuid.UUID, *,
               entity_msg: str = ENTITY_AGREEMENT) -> Agreement:
    return visible_record(ctx, session, Agreement, agreement_id, entity_msg)[0]


# -- the journal ----------------------------------------------------------------------------------------------
def record_journal_entry(ctx: Context, client_id: uuid.UUID, *, occurred_at: dt.datetime | str, kind: str,
                         topic: str, text: str | None = None, duration_minutes: int | str | None = None,
                         participants: str | None = None, case_id: uuid.UUID | None = None,
                         flags: list[str] | None = None, corrects_entry_id: uuid.UUID | None = None) -> uuid.UUID:
    """Register a contact or consultation (who, when, how long, topic). Entries are final: a correction is a
    new entry pointing at the one it corrects."""
    require_casework(ctx)
    when = v.moment(occurred_at, "occurred_at", now=ctx.now())
    kind = v.choice(kind, "kind", JOURNAL_KINDS)
    topic = v.text(topic, "topic", max_length=300)
    text = v.text(text, "text", required=False)
    duration = v.integer(duration_minutes, "duration_minutes", minimum=0, maximum=MAX_DURATION_MINUTES,
                         required=False)
    participants = v.text(participants, "participants", required=False, max_length=500)
    flags = v.choices(flags, "flags", FLAGS)
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if case_id is not None:
            visible_case(ctx, session, case_id, client_id=client.id)
        if corrects_entry_id is not None:
            corrected = session.get(JournalEntry, corrects_entry_id)
            if corrected is None or corrected.deleted or corrected.client_id != client.id:
                raise ValidationError(N_("The corrected entry does not exist in this client's journal."),
                                      field="corrects_entry_id")
        entry = JournalEntry(client_id=client.id, case_id=case_id, occurred_at=when, kind=kind, topic=topic,
                             text=text, duration_minutes=duration, participants=participants,
                             worker_user_id=ctx.user_id, flags=flags, corrects_entry_id=corrects_entry_id)
        session.add(entry)
        session.flush()
        child_protection.create_report_tasks(ctx, session, client, flags, when.astimezone().date(),
                                             source_entity="journal_entries", source_id=entry.id)
        return entry.id


def list_journal(ctx: Context, client_id: uuid.UUID, *, case_id: uuid.UUID | None = None) -> list[JournalEntry]:
    """The client's journal in chronological order (corrections included; they name what they correct)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        query = select(JournalEntry).where(JournalEntry.client_id == client.id, JournalEntry.deleted.is_(False))
        if case_id is not None:
            query = query.where(JournalEntry.case_id == case_id)
        return list(session.scalars(query.order_by(JournalEntry.occurred_at, JournalEntry.created_at)))
