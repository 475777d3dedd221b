"""Applying pushed changes exactly once, merging field by field, and serving pull pages (ARCHITECTURE.md 4–5).

:func:`apply_push` runs inside one database transaction together with the device's ``last_applied_seq``: a
retry, a timeout after success, or the same changes arriving by network and by USB apply once. Each op gets
its own result; a rejected op (a final record, an unknown row) is quarantined on the laptop and never blocks
the ops after it. Conflicts are detected against the server version each edit was based on, per field —
fields of a declared group (an address, an income block) count as one — and ordered by HLC only when they
really were concurrent; the losing value always goes to ``conflicts``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from storage.ids import HybridLogicalClock, new_id
from storage.models import SYNCED_MODELS
from sync.protocol import Change, OpResult, PullPage, PullRequest, PushBatch, PushReply, check_schema
from sync.server.schema import change_log, conflicts, devices, records, server_state


class UnknownDevice(LookupError):
    """The device is not enrolled (or was removed): nothing it sends is applied."""


class RevokedDevice(PermissionError):
    """The device was revoked: it is refused from now on (and told to erase its store)."""


def _units(entity: str, names: list[str]) -> list[tuple[str, ...]]:
    """The changed fields grouped into merge units: a declared field group merges whole."""
    groups = getattr(SYNCED_MODELS.get(entity), "FIELD_GROUPS", {})
    of_field = {f: group for group in groups.values() for f in group}
    units: list[tuple[str, ...]] = []
    for name in names:
        unit = of_field.get(name, (name,))
        if unit not in units:
            units.append(unit)
    return units


def _is_final(entity: str, fields: dict[str, Any]) -> bool:
    model = SYNCED_MODELS[entity]
    return bool(model.is_finalised(model.__new__(model), fields))


def _next_version(conn: Connection) -> int:
    """The next gap-free server version; the row lock it takes orders concurrent transactions."""
    return conn.execute(update(server_state).where(server_state.c.singleton == 1)
                        .values(version=server_state.c.version + 1).returning(server_state.c.version)).scalar_one()


def _stamp(change: Change) -> str:
    """HLC then device id: a total order of edits (the HLC has a fixed width, so strings compare correctly)."""
    return f"{change.hlc}|{change.device_id}"


def apply_push(conn: Connection, batch: PushBatch, clock: HybridLogicalClock,
               now: dt.datetime | None = None) -> PushReply:
    now = now or dt.datetime.now(dt.timezone.utc)
    device = conn.execute(select(devices).where(devices.c.id == batch.device_id).with_for_update()).first()
    if device is None:
        raise UnknownDevice(str(batch.device_id))
    if device.revoked_at is not None:
        raise RevokedDevice(str(batch.device_id))
    last = device.last_applied_seq
    results: list[OpResult] = []
    for change in batch.changes:
        clock.receive(change.hlc)
        if change.device_seq <= last:
            results.append(OpResult(change.op_id, change.device_seq, "duplicate"))
            continue
        if change.device_seq != last + 1:  # a gap: hold everything after it until the missing ops arrive
            break
        results.append(_apply_one(conn, change, now))
        last = change.device_seq
    conn.execute(update(devices).where(devices.c.id == batch.device_id).values(last_applied_seq=last))
    epoch = conn.execute(select(server_state.c.epoch)).scalar_one()
    return PushReply(epoch=epoch, last_applied_seq=last, results=results, server_hlc=clock.now())


def _apply_one(conn: Connection, change: Change, now: dt.datetime) -> OpResult:
    if change.entity not in SYNCED_MODELS:
        return OpResult(change.op_id, change.device_seq, "rejected", reason="unknown_entity")
    key = (records.c.entity == change.entity) & (records.c.row_id == change.row_id)
    row = conn.execute(select(records).where(key).with_for_update()).first()
    if row is None and change.op != "insert":
        return OpResult(change.op_id, change.device_seq, "rejected", reason="unknown_row")
    if row is not None and _is_final(change.entity, row.fields):
        return OpResult(change.op_id, change.device_seq, "rejected", reason="final_record")
    if row is not None and row.deleted:
        _log_conflict(conn, change, change.fields, {"deleted": True}, "edited_after_delete", now)
        return OpResult(change.op_id, change.device_seq, "conflict", reason="edited_after_delete")
    fields = dict(row.fields) if row else {}
    versions = dict(row.field_versions) if row else {}
    hlcs = dict(row.field_hlcs) if row else {}
    incoming = dict(change.fields)
    if change.op == "delete":
        incoming["deleted"] = True
    winning, losing, standing = {}, {}, {}
    for unit in _units(change.entity, list(incoming)):
        concurrent = row is not None and any(versions.get(f, 0) > (change.base_version or 0) for f in unit)
        theirs = max((hlcs.get(f, "") for f in unit), default="")
        if concurrent and _stamp(change) < theirs:
            losing.update({f: incoming[f] for f in unit if f in incoming})
            standing.update({f: fields.get(f) for f in unit if f in incoming})
        else:
            if concurrent:
                _log_conflict(conn, change, {f: fields.get(f) for f in unit if f in incoming},
                              {f: incoming[f] for f in unit if f in incoming}, "concurrent_edit", now,
                              losing_device=uuid.UUID(theirs.split("|")[1]) if "|" in theirs else None)
            winning.update({f: incoming[f] for f in unit if f in incoming})
    if losing:
        _log_conflict(conn, change, losing, standing, "concurrent_edit", now)
    if not winning:
        return OpResult(change.op_id, change.device_seq, "conflict", reason="concurrent_edit")
    version = _next_version(conn)
    fields.update(winning)
    for name in winning:
        versions[name], hlcs[name] = version, _stamp(change)
    values = dict(version=version, fields=fields, field_versions=versions, field_hlcs=hlcs,
                  deleted=bool(fields.get("deleted")))
    if row is None:
        conn.execute(records.insert().values(entity=change.entity, row_id=change.row_id, **values))
    else:
        conn.execute(update(records).where(key).values(**values))
    conn.execute(change_log.insert().values(
        server_version=version, op_id=change.op_id, tx_id=change.tx_id, device_id=change.device_id,
        device_seq=change.device_seq, user_id=change.user_id, entity=change.entity, row_id=change.row_id,
        op=change.op, base_version=change.base_version, fields=winning, hlc=change.hlc,
        schema_version=change.schema_version, received_at=now))
    return OpResult(change.op_id, change.device_seq, "conflict" if losing else "applied", server_version=version,
                    reason="concurrent_edit" if losing else None)


def _log_conflict(conn: Connection, change: Change, lost: dict[str, Any], standing: dict[str, Any], reason: str,
                  now: dt.datetime, *, losing_device: uuid.UUID | None = None) -> None:
    """Keep the losing values: those of ``change``, or (``losing_device`` given) the stored values a newer
    concurrent edit replaced."""
    conn.execute(conflicts.insert().values(
        id=new_id(), entity=change.entity, row_id=change.row_id, fields=lost, winning=standing,
        losing_op_id=change.op_id, losing_device_id=losing_device or change.device_id, reason=reason,
        created_at=now))


def pull(conn: Connection, request: PullRequest, clock: HybridLogicalClock) -> PullPage:
    """The next page of changes after ``request.after_version``, oldest first."""
    state = conn.execute(select(server_state)).one()
    check_schema(request.schema_version, state.min_pull_schema)
    rows = conn.execute(select(change_log).where(change_log.c.server_version > request.after_version)
                        .order_by(change_log.c.server_version).limit(min(request.limit, 2000) + 1)).all()
    more = len(rows) > request.limit
    rows = rows[:request.limit]
    changes = [Change(op_id=r.op_id, tx_id=r.tx_id, device_id=r.device_id, device_seq=r.device_seq,
                      user_id=r.user_id, entity=r.entity, row_id=r.row_id, op=r.op, base_version=r.base_version,
                      fields=r.fields, hlc=r.hlc, schema_version=r.schema_version, server_version=r.server_version)
               for r in rows]
    return PullPage(epoch=state.epoch, changes=changes,
                    next_version=changes[-1].server_version if changes else request.after_version,
                    has_more=more, server_hlc=clock.now())
