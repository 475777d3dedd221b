"""Tables that never leave this device: its identity and counters, and the outbox of unsent changes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
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
