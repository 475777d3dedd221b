"""The outbox: every write appends its change records in the same transaction (ARCHITECTURE.md rule 3).

The ORM path is automatic: a ``before_flush`` listener turns each new, changed or tombstoned synced row into
an :class:`OutboxEntry` with the device's next sequence number, the base server version, the changed fields
only and an HLC stamp — and refuses edits to finalised records. Bulk loads (demo data, imports) call
:func:`record_bulk_inserts` so they keep the same guarantee without one ORM object per row.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import operator
import os
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, Numeric, String, Uuid, event,
                        inspect, select)
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import FinalRecordError
from storage.ids import HybridLogicalClock, new_id
from storage.models import Base, DeviceState, OutboxEntry, Synced, committed_values, utcnow


@dataclass
class WriteContext:
    """Who is writing, on which device, with which clock and schema. Lives in ``session.info``."""

    device_id: uuid.UUID
    user_id: uuid.UUID | None
    clock: HybridLogicalClock
    schema_version: int


def _wire_scalar(value: Any) -> Any:
    """JSON form of the non-JSON scalars in rows: ids, dates, decimals, bytes (``json.dumps`` default hook)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot send {type(value).__name__} in a change record")


def to_wire(value: Any) -> Any:
    """A JSON-safe form of a column value (the same form the sync protocol sends)."""
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _wire_scalar(value)


def from_wire(column: Any, value: Any) -> Any:
    """The Python value of ``column`` for its wire form (the inverse of :func:`to_wire`)."""
    if value is None:
        return None
    kind = getattr(column.type, "impl_instance", column.type)  # a TypeDecorator converts what its impl holds
    if isinstance(kind, Uuid):
        return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    if isinstance(kind, DateTime):
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return Decimal(value) if isinstance(value, str) else value
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value) if isinstance(value, str) else value
    return value


#: tables in foreign-key order: a transaction's records go parents first, so any receiver can apply them in order
TABLE_ORDER: dict[str, int] = {}


def table_order(name: str) -> int:
    if not TABLE_ORDER:
        TABLE_ORDER.update({table.name: index for index, table in enumerate(Base.metadata.sorted_tables)})
    return TABLE_ORDER.get(name, len(TABLE_ORDER))


def content_columns(model: type[Synced]) -> list[str]:
    """The columns whose values travel in change records (content plus the tombstone)."""
    skip = {"id", *model.SYNC_COLUMNS, *model.LOCAL_COLUMNS}
    return [attr.key for attr in inspect(model).column_attrs if attr.key not in skip]


def _apply_defaults(obj: Synced) -> None:
    """Fill Python-side column defaults now, so the insert record carries the values the row will have."""
    for attr in inspect(type(obj)).column_attrs:
        column = attr.columns[0]
        if getattr(obj, attr.key) is None and column.default is not None:
            default = column.default
            value = default.arg(None) if default.is_callable else default.arg
            if value is not None:
                setattr(obj, attr.key, value)


def _fields_for_insert(obj: Synced) -> dict[str, Any]:
    by_reference = getattr(type(obj), "OUTBOX_BY_REFERENCE", frozenset())
    return {key: to_wire(getattr(obj, key)) for key in content_columns(type(obj)) if key not in by_reference}


def _unloaded_originals(session: Session, obj: Synced) -> dict[str, Any]:
    """Stored values of columns set while their old value was not loaded (expired or re-attached objects).

    SQLAlchemy then has no "before" value in the history; without reading it here, setting such a column
    to ``None`` would reach the database with no change record, and a finalised record could be reopened.
    """
    state = inspect(obj)
    keys = [attr.key for attr in state.mapper.column_attrs
            if state.attrs[attr.key].history.added and not state.attrs[attr.key].history.deleted]
    if not keys or state.key is None:
        return {}
    columns = [state.mapper.column_attrs[key].columns[0] for key in keys]
    row = session.connection().execute(
        select(*columns).where(state.mapper.primary_key[0] == state.identity[0])
    ).first()
    return dict(zip(keys, row)) if row is not None else {}


def _changed_fields(obj: Synced, originals: dict[str, Any]) -> dict[str, Any]:
    state = inspect(obj)
    by_reference = getattr(type(obj), "OUTBOX_BY_REFERENCE", frozenset())
    changed = {}
    for key in content_columns(type(obj)):
        if key in by_reference:
            continue
        hist = state.attrs[key].history
        if hist.added or hist.deleted:
            old = hist.deleted[0] if hist.deleted else originals.get(key)
            new = getattr(obj, key)
            if old != new:
                changed[key] = to_wire(new)
    return changed


def _next_seqs(session: Session, count: int, clock: HybridLogicalClock) -> int:
    state = session.get(DeviceState, 1)
    if state is None:
        raise RuntimeError("device_state is missing: the store was not initialised")
    first = state.next_seq
    state.next_seq = first + count
    state.last_hlc = clock.last
    return first


def _tx_id(session: Session) -> uuid.UUID:
    if "outbox_tx" not in session.info:
        session.info["outbox_tx"] = new_id()
    return session.info["outbox_tx"]


def _before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get("applying_remote"):
        return
    ctx: WriteContext | None = session.info.get("write_context")
    records: list[tuple[Synced, str, int | None, dict[str, Any]]] = []
    now = utcnow()
    for obj in list(session.new):
        if isinstance(obj, Synced):
            _apply_defaults(obj)
            obj.created_at = obj.updated_at = now
            if ctx:
                obj.author_device_id, obj.author_user_id = ctx.device_id, ctx.user_id
            records.append((obj, "insert", None, _fields_for_insert(obj)))
    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        originals = _unloaded_originals(session, obj)
        fields = _changed_fields(obj, originals)
        if not fields:
            continue
        if obj.is_finalised({**committed_values(obj), **originals}):
            raise FinalRecordError(entity=type(obj).__tablename__)
        obj.updated_at = now
        if ctx:
            obj.author_device_id, obj.author_user_id = ctx.device_id, ctx.user_id
        op = "delete" if fields.get("deleted") is True else "update"
        records.append((obj, op, obj.server_version, fields))
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise FinalRecordError(entity=type(obj).__tablename__)  # synced rows are tombstoned, never deleted
    if not records:
        return
    records.sort(key=lambda record: table_order(type(record[0]).__tablename__))
    if ctx is None:
        raise RuntimeError("a synced write needs a WriteContext in session.info (use Store.session())")
    seq = _next_seqs(session, len(records), ctx.clock)
    tx_id = _tx_id(session)
    for offset, (obj, op, base_version, fields) in enumerate(records):
        session.add(
            OutboxEntry(
                seq=seq + offset,
                op_id=new_id(),
                tx_id=tx_id,
                device_id=ctx.device_id,
                user_id=ctx.user_id,
                entity=type(obj).__tablename__,
                row_id=obj.id,
                op=op,
                base_version=base_version,
                fields=fields,
                hlc=ctx.clock.now(),
                schema_version=ctx.schema_version,
                created_at=now,
            )
        )
    session.get(DeviceState, 1).last_hlc = ctx.clock.last


def _end_transaction(session: Session, *_args: Any) -> None:
    session.info.pop("outbox_tx", None)


def install(factory: sessionmaker) -> None:
    """Attach the outbox to every session the factory makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_commit", _end_transaction)
    event.listen(factory, "after_rollback", _end_transaction)


def _raw_insert(session: Session, table: Any, rows: list[dict[str, Any]],
                overrides: dict[str, Callable[[Any], Any] | None] | None = None) -> None:
    """One prepared INSERT executed for all rows through SQLAlchemy's own per-type bind processors.

    Same stored form as the ORM (the processors are SQLAlchemy's), without compiling parameters per row;
    each distinct value (a batch's timestamps, its author ids) is converted once.
    """
    connection = session.connection()
    columns = list(table.columns)
    overrides = overrides or {}
    getter = operator.itemgetter(*(c.key for c in columns))
    conversions = []
    for index, column in enumerate(columns):
        proc = overrides[column.key] if column.key in overrides else column.type._cached_bind_processor(
            connection.dialect)
        if proc is not None and not isinstance(column.type, (Boolean, Integer, String)):
            conversions.append((index, proc, None if isinstance(column.type, JSON) else {}))
    params = []
    for row in rows:
        values = list(getter(row))
        for index, proc, memo in conversions:
            value = values[index]
            if value is None:
                continue
            if memo is None:
                values[index] = proc(value)
                continue
            converted = memo.get(value)
            if converted is None:
                converted = memo[value] = proc(value)
            values[index] = converted
        params.append(tuple(values))
    names = ", ".join(c.name for c in columns)
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", params)


def _fast_op_ids(count: int) -> list[str]:
    """``count`` UUIDv7 op ids as stored (32 hex digits), sharing one millisecond and random tail."""
    ms = time.time_ns() // 1_000_000
    base = (ms << 80) | (0x7 << 76) | (0b10 << 62) | int.from_bytes(os.urandom(8), "big") >> 2
    return [f"{base + i:032x}" for i in range(count)]


def record_bulk_inserts(session: Session, model: type[Synced], rows: Iterable[dict[str, Any]]) -> int:
    """Insert many rows of ``model`` and their outbox records, in the caller's transaction.

    Rows must carry every content column they set; ids, timestamps and authorship are filled here.
    About ten times faster than ORM objects: this is the path for demo data, imports and sync loads.
    """
    ctx: WriteContext = session.info["write_context"]
    rows = list(rows)
    if not rows:
        return 0
    now = utcnow()
    mapper = inspect(model)
    columns = content_columns(model)
    defaults = {
        attr.key: attr.columns[0].default
        for attr in mapper.column_attrs
        if attr.columns[0].default is not None and attr.key in columns
    }
    for row in rows:
        if row.get("id") is None:
            row["id"] = new_id()
        row.update(created_at=now, updated_at=now, author_device_id=ctx.device_id, author_user_id=ctx.user_id)
        for key, default in defaults.items():
            if row.get(key) is None:
                row[key] = default.arg(None) if default.is_callable else default.arg
    for attr in mapper.column_attrs:  # the same keys in every row
        for row in rows:
            row.setdefault(attr.key, None)
    _raw_insert(session, model.__table__, rows)
    first = _next_seqs(session, len(rows), ctx.clock)
    tx_id = _tx_id(session)
    by_reference = getattr(model, "OUTBOX_BY_REFERENCE", frozenset())
    sent = [k for k in columns if k not in by_reference]
    op_ids = _fast_op_ids(len(rows))
    dumps = json.JSONEncoder(default=_wire_scalar, ensure_ascii=False, separators=(",", ":")).encode
    outbox_rows = [
        {
            "seq": first + i,
            "op_id": op_ids[i],
            "tx_id": tx_id,
            "device_id": ctx.device_id,
            "user_id": ctx.user_id,
            "entity": model.__tablename__,
            "row_id": row["id"],
            "op": "insert",
            "base_version": None,
            "fields": dumps({k: row[k] for k in sent}),
            "hlc": ctx.clock.now(),
            "schema_version": ctx.schema_version,
            "created_at": now,
        }
        for i, row in enumerate(rows)
    ]
    _raw_insert(session, OutboxEntry.__table__, outbox_rows, overrides={"fields": None, "op_id": None})
    session.get(DeviceState, 1).last_hlc = ctx.clock.last
    return len(rows)

