"""The social case and its work process (DOMAIN.md §3): goals, plans, tasks, agreements, the journal."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Code, Synced


class SocialCase(Synced, Base):
    __tablename__ = "social_cases"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(40), default=None)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    client_type: Mapped[str] = mapped_column(Code(20))
    responsible_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    stage: Mapped[str] = mapped_column(Code(20), default="opened")
    problem: Mapped[str | None] = mapped_column(Text, default=None)
    diagnosis: Mapped[str | None] = mapped_column(Text, default=None)
    restricted: Mapped[bool] = mapped_column(default=False)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    evaluation: Mapped[str | None] = mapped_column(Text, default=None)
    evaluated_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    closure_reason: Mapped[str | None] = mapped_column(Text, default=None)
    monitoring_until: Mapped[dt.date | None] = mapped_column(Date, default=None)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "closure": ("stage", "closed_on", "closure_reason", "monitoring_until"),
        "evaluation": ("evaluation", "evaluated_on"),
    }


class CaseReview(Synced, Base):
    """A dated review of the case and its plan (the inspector checks these were done in time). Final."""

    __tablename__ = "case_reviews"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_cases.id"), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Code(20))  # review | evaluation
    text: Mapped[str] = mapped_column(Text)
    reviewed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date, default=None)

    FINAL: ClassVar[bool] = True


class CaseGoal(Synced, Base):
    __tablename__ = "case_goals"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    target_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="open")  # open | reached | not_reached | dropped
    evaluation: Mapped[str | None] = mapped_column(Text, default=None)


class InterventionPlan(Synced, Base):
    __tablename__ = "intervention_plans"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="draft")  # draft | active | superseded | closed
    resources: Mapped[str | None] = mapped_column(Text, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class PlanTask(Synced, Base):
    """A concrete, time-bound task: who does what, by when, with what expected result."""

    __tablename__ = "plan_tasks"
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("intervention_plans.id"), default=None, index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None, index=True)
    goal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_goals.id"), default=None)
    description: Mapped[str] = mapped_column(Text)
    responsible_kind: Mapped[str] = mapped_column(Code(20))  # worker | client | institution
    responsible_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    institution_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"), default=None)
    expected_result: Mapped[str | None] = mapped_column(Text, default=None)
    deadline: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    status: Mapped[str] = mapped_column(Code(20), default="open")  # open | done | cancelled
    done_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    result: Mapped[str | None] = mapped_column(Text, default=None)
    origin: Mapped[str | None] = mapped_column(Code(30), default=None)  # e.g. child_protection_report
    #: the client the task is about (a child-protection report may precede any social case)
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id"), default=None, index=True)
    #: the record that made the task (a journal entry or home visit with a child-protection flag)
    source_entity: Mapped[str | None] = mapped_column(String(60), default=None)
    source_id: Mapped[uuid.UUID | None] = mapped_column(default=None)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {"completion": ("status", "done_on", "result")}


class Agreement(Synced, Base):
    """Co-operation agreement (līdzdarbības līgums) with the client."""

    __tablename__ = "agreements"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None, index=True)
    concluded_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="draft")  # draft | signed | ended
    text: Mapped[str | None] = mapped_column(Text, default=None)
    client_signed: Mapped[bool] = mapped_column(default=False)


class AgreementDuty(Synced, Base):
    __tablename__ = "agreement_duties"
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreements.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    goal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_goals.id"), default=None)
    deadline: Mapped[dt.date | None] = mapped_column(Date, default=None)
    fulfilment: Mapped[str] = mapped_column(Code(20), default="pending")  # pending | fulfilled | not_fulfilled
    evidence: Mapped[str | None] = mapped_column(Text, default=None)
    checked_on: Mapped[dt.date | None] = mapped_column(Date, default=None)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {"fulfilment": ("fulfilment", "evidence", "checked_on")}


class JournalEntry(Synced, Base):
    """Every contact and consultation, in chronological order. Final: corrections are new entries."""

    __tablename__ = "journal_entries"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None, index=True)
    occurred_at: Mapped[dt.datetime]
    kind: Mapped[str] = mapped_column(Code(20))  # consultation | phone | visit | meeting | cooperation | letter | note
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    topic: Mapped[str] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    participants: Mapped[str | None] = mapped_column(String(500), default=None)
    worker_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    flags: Mapped[list[str]] = mapped_column(default=list)  # e.g. suspected_abuse, missing_health_care
    corrects_entry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("journal_entries.id"), default=None)

    FINAL: ClassVar[bool] = True
    __table_args__ = (Index("ix_journal_client_time", "client_id", "occurred_at"),)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("flags", [])
        super().__init__(**kwargs)
