"""Tables that never leave this device: its identity and counters, the outbox of unsent changes, and the
sync engine's own state (where it pulled to, its trust in the central service, quarantined changes)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class DeviceState(Base):
    """Exactly one row: this device's id, its next outbox sequence number and its last HLC stamp."""

    __tablename__ = "device_state"
    singleton: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    device_id: Mapped[uuid.UUID]
    next_seq: Mapped[int] = mapped_column(BigInteger, default=1)
    #: every outbox record up to here is confirmed applied by the central service (a watermark, not a flag)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hlc: Mapped[str] = mapped_column(String(30), default="000000000000000.000000")
    created_at: Mapped[dt.datetime]


class OutboxEntry(Base):
    """One change record (ARCHITECTURE.md rule 3), written in the same transaction as the change itself.

    Pending records are those above ``DeviceState.acked_seq``; the primary key is the device sequence.
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    op_id: Mapped[uuid.UUID]
    tx_id: Mapped[uuid.UUID]
    device_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID | None]
    entity: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    base_version: Mapped[int | None]
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(30))
    schema_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]


class NumberOverflow(Base):
    """How many registration numbers this device gave outside its leased blocks, per series and year."""

    __tablename__ = "number_overflow"
    series_year: Mapped[str] = mapped_column(String(20), primary_key=True)  # "IES/2026"
    used: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    """Exactly one row once the laptop is enrolled: whom it syncs with, what it trusts, and how far it got.

    ``pulled_version`` is committed in the same transaction as the page it ends (never ahead of its data).
    While ``snapshot_from`` is set, an initial (or re-scoped) sync is reading the service's current rows in
    key order after ``snapshot_after``; the change feed resumes after ``snapshot_from`` when it ends.
    """

    __tablename__ = "sync_state"
    singleton: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    server_url: Mapped[str] = mapped_column(String(300))
    #: the service's TLS certificate (PEM) pinned at enrolment; None for a plain-HTTP loopback service
    server_certificate: Mapped[str | None] = mapped_column(Text, default=None)
    #: the service's public keys for USB bundles (``app.signing.PublicKeys`` text form)
    server_keys: Mapped[str] = mapped_column(Text)
    #: this device's private keys (``app.signing.KeyPair`` text form); the store itself is encrypted
    device_keys: Mapped[str] = mapped_column(Text)
    #: the service's certificate of this device's signing key (``app.attestation.DeviceCertificate`` text form):
    #: issued documents' verification codes are signed under it
    device_certificate: Mapped[str | None] = mapped_column(Text, default=None)
    parish_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    municipal: Mapped[bool] = mapped_column(Boolean, default=False)
    epoch: Mapped[str | None] = mapped_column(String(40), default=None)
    pulled_version: Mapped[int] = mapped_column(BigInteger, default=0)
    snapshot_from: Mapped[int | None] = mapped_column(BigInteger, default=None)
    snapshot_after: Mapped[str | None] = mapped_column(String(100), default=None)
    token: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    token_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    enrolled_at: Mapped[dt.datetime]
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(60), default=None)
    #: the service's clock minus this laptop's, from the last contact (a wrong clock is shown, not trusted)
    clock_offset_ms: Mapped[int | None] = mapped_column(BigInteger, default=None)


class QuarantinedChange(Base):
    """An outbox change the central service refused (a final record, out of scope…): kept and shown, and
    never blocking the changes after it."""

    __tablename__ = "sync_quarantine"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    op_id: Mapped[uuid.UUID]
    entity: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID]
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime]
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
