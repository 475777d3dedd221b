"""The service around the clients: users, devices, institutions, referrals, complaints, supervision,
training, attachments, audit events and reference data (DOMAIN.md §5–§7, ARCHITECTURE.md rules 7–8)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Code, Synced


class User(Synced, Base):
    """A member of staff. Roles: social_worker, assistance_organiser, head, administrator, inspector."""

    __tablename__ = "users"
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    parish_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(default=True)


class Device(Synced, Base):
    __tablename__ = "devices"
    name: Mapped[str] = mapped_column(String(120))
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    parish_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class Institution(Synced, Base):
    """Orphans' court, police, school, hospital, family doctor, NVA, VSAA, NGO…"""

    __tablename__ = "institutions"
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(Code(30))
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    parish_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parishes.id"), default=None)


class InstitutionContact(Synced, Base):
    __tablename__ = "institution_contacts"
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)


class ServiceReferral(Synced, Base):
    """A social service granted or a referral made to a provider or institution."""

    __tablename__ = "service_referrals"
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("social_cases.id"), default=None)
    service_code: Mapped[str] = mapped_column(String(60))
    institution_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"), default=None)
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), default=None)
    referred_on: Mapped[dt.date] = mapped_column(Date)
    starts_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="referred")  # referred | active | ended | refused
    note: Mapped[str | None] = mapped_column(Text, default=None)


class Complaint(Synced, Base):
    """Complaints and suggestions register; oral complaints are written down and answered."""

    __tablename__ = "complaints"
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(Code(20))  # oral | written | email
    complainant_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("persons.id"), default=None)
    kind: Mapped[str] = mapped_column(Code(20), default="complaint")  # complaint | suggestion
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Code(20), default="open")  # open | answered
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)


class SupervisionRecord(Synced, Base):
    __tablename__ = "supervision_records"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Code(20))  # individual | group
    hours: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    supervisor: Mapped[str | None] = mapped_column(String(200), default=None)


class TrainingRecord(Synced, Base):
    __tablename__ = "training_records"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str | None] = mapped_column(String(200), default=None)
    hours: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))


class Attachment(Synced, Base):
    """A scanned document or photo, kept encrypted inside the store (never as a file beside it)."""

    __tablename__ = "attachments"
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id"), default=None, index=True)
    owner_entity: Mapped[str | None] = mapped_column(String(60), default=None)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(500), default=None)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    FINAL: ClassVar[bool] = True
    #: the bytes travel by reference (sha256) in the outbox and are read from the row when pushed
    OUTBOX_BY_REFERENCE: ClassVar[frozenset[str]] = frozenset({"content"})


class AuditEvent(Synced, Base):
    """Who opened, printed or exported what, when, on which device. Append-only."""

    __tablename__ = "audit_events"
    at: Mapped[dt.datetime]
    user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    device_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(Code(40))
    entity: Mapped[str | None] = mapped_column(String(60), default=None)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    client_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    FINAL: ClassVar[bool] = True
    __table_args__ = (Index("ix_audit_client_time", "client_id", "at"),)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("details", {})
        super().__init__(**kwargs)


class NumberBlock(Synced, Base):
    """A block of registration numbers leased to one device, so numbers never collide offline.

    The central service leases blocks (a standalone store leases to itself); ``next_number`` is this
    device's own counter inside its block and never syncs.
    """

    __tablename__ = "number_blocks"
    series: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    first_number: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[uuid.UUID] = mapped_column(index=True)
    leased_at: Mapped[dt.datetime]
    next_number: Mapped[int | None] = mapped_column(Integer, default=None)

    LOCAL_COLUMNS: ClassVar[frozenset[str]] = frozenset({"next_number"})
    __table_args__ = (Index("ix_number_blocks_series_year", "series", "year", "first_number", unique=True),)


class ReferenceData(Synced, Base):
    """Dated, versioned reference data: benefit catalogue, thresholds, templates, letterhead, norms."""

    __tablename__ = "reference_data"
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index("ix_reference_kind_key", "kind", "key", "version"),)


class SyncConflict(Synced, Base):
    """A value that lost a merge on the central service (ARCHITECTURE.md rule 5): never dropped, shown to the
    workers who can see the record until one of them resolves it. The service writes these; laptops only
    resolve them."""

    __tablename__ = "sync_conflicts"
    entity: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    losing: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> the value that did not stand
    standing: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> what stands instead
    reason: Mapped[str] = mapped_column(Code(30))  # concurrent_edit | edited_after_delete
    losing_device_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    losing_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    occurred_at: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolved_by_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(Code(20), default=None)  # kept | reapplied
