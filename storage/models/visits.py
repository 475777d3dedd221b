"""Home visits with checklist answers, and assessments (DOMAIN.md §3–§4). Templates are data in resources/."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Code, Synced

SIGNED = "signed"


class HomeVisit(Synced, Base):
    """A planned or made visit; final once signed (the signed report is what police and courts see)."""

    __tablename__ = "home_visits"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"), default=None)
    template_id: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int] = mapped_column(Integer)
    planned_on: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    visited_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    purpose: Mapped[str] = mapped_column(Text)
    participants: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="planned")  # planned | in_progress | signed | cancelled
    findings: Mapped[str | None] = mapped_column(Text, default=None)
    risks: Mapped[str | None] = mapped_column(Text, default=None)
    recommendations: Mapped[str | None] = mapped_column(Text, default=None)
    next_steps: Mapped[str | None] = mapped_column(Text, default=None)
    flags: Mapped[list[str]] = mapped_column(default=list)  # e.g. suspected_abuse, missing_health_care
    client_signature: Mapped[str | None] = mapped_column(Code(20), default=None)  # signed | refused | absent
    signed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    signed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    worker_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)

    def is_finalised(self, committed: dict[str, Any]) -> bool:
        return committed.get("status") == SIGNED

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("flags", [])
        super().__init__(**kwargs)


class HomeVisitAnswer(Synced, Base):
    """One checklist answer; saved as it is typed. ``visit_signed`` mirrors the visit so the row knows it is final."""

    __tablename__ = "home_visit_answers"
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("home_visits.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(Text, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    visit_signed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("visit_id", "question_id"),)

    def is_finalised(self, committed: dict[str, Any]) -> bool:
        return bool(committed.get("visit_signed"))


class Assessment(Synced, Base):
    """Functional, risk, basic-needs, capacity or resource assessment from a versioned template."""

    __tablename__ = "assessments"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None)
    kind: Mapped[str] = mapped_column(Code(30))
    template_id: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="draft")  # draft | final
    assessor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)

    def is_finalised(self, committed: dict[str, Any]) -> bool:
        return committed.get("status") == "final"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("scores", {})
        super().__init__(**kwargs)
