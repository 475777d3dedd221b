"""The case with its goals, plan, tasks and reviews, and the co-operation agreements with their duties."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.cases import visible_client
from app.client_file.common import users_by_id
from app.client_file.overview import current_case
from app.context import Context
from storage.models import Agreement, AgreementDuty, CaseGoal, CaseReview, InterventionPlan, PlanTask


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
    evaluated_on: dt.date | None = None  # a case is closed only after its evaluation
    monitoring_until: dt.date | None = None


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
        users = users_by_id(session, {t.responsible_user_id for t in tasks}
                            | {r.reviewed_by_user_id for r in reviews})
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
                          for r in reviews),
            evaluated_on=case.evaluated_on, monitoring_until=case.monitoring_until)


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
