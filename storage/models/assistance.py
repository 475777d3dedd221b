"""Applications, means tests, household statuses and decisions (DOMAIN.md §5, §8)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Code, Synced

#: Decision statuses after which the decision row itself never changes (APL: an issued act is final).
FINAL_DECISION_STATUSES = frozenset({"issued"})


class Application(Synced, Base):
    """Every application is registered, with its date — none is refused informally."""

    __tablename__ = "applications"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    applicant_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("persons.id"), default=None)
    registration_number: Mapped[str | None] = mapped_column(String(40), default=None, unique=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(Code(20))  # in_person | post | email | e_address | phone
    benefit_code: Mapped[str] = mapped_column(String(60))
    request_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Code(20), default="registered")  # registered | in_review | decided | withdrawn
    decision_due: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    extended_until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    extension_reason: Mapped[str | None] = mapped_column(Text, default=None)
    extension_notified_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    handled_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "extension": ("extended_until", "extension_reason", "extension_notified_on"),
    }


class MeansTest(Synced, Base):
    """Income and resources of the household, evaluated against the thresholds valid on the application date."""

    __tablename__ = "means_tests"
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), default=None, index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    performed_on: Mapped[dt.date] = mapped_column(Date)
    household_size: Mapped[int] = mapped_column(Integer)
    working_age_members: Mapped[int] = mapped_column(Integer, default=0)
    income_cents: Mapped[int] = mapped_column(Integer)
    resources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # snapshot of the dated thresholds used
    result: Mapped[str | None] = mapped_column(Code(20), default=None)  # needy | low_income | none

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "income": ("household_size", "working_age_members", "income_cents", "resources", "thresholds", "result"),
    }


class HouseholdStatus(Synced, Base):
    """Needy (trūcīga) or low-income (maznodrošināta) status for a fixed period."""

    __tablename__ = "household_statuses"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    status: Mapped[str] = mapped_column(Code(20))  # needy | low_income
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date, index=True)
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), default=None)
    cancelled_from: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Decision(Synced, Base):
    """An administrative decision. Once issued the row is final; a correction is a new decision."""

    __tablename__ = "decisions"
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), default=None, index=True)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(40), default=None, unique=True)
    kind: Mapped[str] = mapped_column(Code(20))  # grant | partial | refusal | amendment | revocation
    status: Mapped[str] = mapped_column(Code(20), default="draft")  # draft | submitted | returned | approved | issued
    benefit_code: Mapped[str | None] = mapped_column(String(60), default=None)
    amount_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    period_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    period_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    request_summary: Mapped[str | None] = mapped_column(Text, default=None)
    participants_views: Mapped[str | None] = mapped_column(Text, default=None)
    facts: Mapped[str | None] = mapped_column(Text, default=None)
    reasons: Mapped[str | None] = mapped_column(Text, default=None)
    legal_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    operative_part: Mapped[str | None] = mapped_column(Text, default=None)
    appeal_body: Mapped[str | None] = mapped_column(String(300), default=None)
    appeal_term: Mapped[str | None] = mapped_column(String(300), default=None)
    amends_decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), default=None)
    drafted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    approved_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    signed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    content_hash: Mapped[str | None] = mapped_column(String(128), default=None)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "amount": ("amount_cents", "period_from", "period_to"),
        "approval": ("status", "approved_by_user_id", "signed_at", "issued_on", "content_hash", "number"),
    }

    def is_finalised(self, committed: dict[str, Any]) -> bool:
        return committed.get("status") in FINAL_DECISION_STATUSES

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("legal_basis", [])
        super().__init__(**kwargs)


class DecisionApproval(Synced, Base):
    """One step of the approval trail: submitted, returned with comments, approved and signed. Final."""

    __tablename__ = "decision_approvals"
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("decisions.id"), index=True)
    action: Mapped[str] = mapped_column(Code(20))  # submitted | returned | approved
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime]
    comment: Mapped[str | None] = mapped_column(Text, default=None)

    FINAL: ClassVar[bool] = True


class DecisionNotification(Synced, Base):
    """How and when a recipient (the client, and the guardian too) was informed. Final: facts of record."""

    __tablename__ = "decision_notifications"
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("decisions.id"), index=True)
    recipient_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"))
    channel: Mapped[str] = mapped_column(Code(20))  # in_person | post | registered_post | email | e_address
    registered_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    sent_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    received_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    deemed_notified_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)

    FINAL: ClassVar[bool] = True
