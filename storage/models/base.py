"""Declarative base and the columns every synced table carries (ARCHITECTURE.md rule 3).

A synced row has a device-made UUIDv7, the server version it was last seen at (None until the server
accepted it), the author device and user, timestamps, and a tombstone. ``__final__`` marks records the law
makes final: once finalised they are append-only and the outbox listener refuses edits and deletes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Integer, MetaData, String, Uuid, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes in and out (SQLite stores naive text)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dt.datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Synced:
    """Mixin for every table that syncs with the central service."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    server_version: Mapped[int | None] = mapped_column(Integer, default=None)
    author_device_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    #: Columns that belong to the sync machinery, not to the record's content.
    SYNC_COLUMNS: ClassVar[frozenset[str]] = frozenset(
        {"server_version", "author_device_id", "author_user_id", "created_at", "updated_at"}
    )
    #: Local-only columns never sent to the server (e.g. search keys).
    LOCAL_COLUMNS: ClassVar[frozenset[str]] = frozenset()
    #: Fields that must merge together (an address, an income block): name -> columns.
    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: Whether finalised rows are append-only (see :meth:`is_finalised`).
    FINAL: ClassVar[bool] = False

    def is_finalised(self, committed: dict[str, Any]) -> bool:
        """Whether the row, as it was before this flush (``committed``), is final."""
        return self.FINAL


def committed_values(obj: Any) -> dict[str, Any]:
    """Column values as they are in the database, before the pending changes of ``obj``."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            values[attr.key] = hist.deleted[0]
        elif hist.unchanged:
            values[attr.key] = hist.unchanged[0]
        else:
            values[attr.key] = getattr(obj, attr.key)
    return values


def Code(length: int = 40) -> Any:
    """A short machine code column (enum-like values validated in app services)."""
    return String(length)
