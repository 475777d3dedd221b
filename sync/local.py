"""The laptop's side of sync, without any transport: what to send, and applying what came back.

Used by the network engine (:mod:`sync.client`) and by USB bundles alike, so both deliver the same way:

* :func:`pending_batch` — outbox changes after the acknowledged watermark, in device-sequence order;
* :func:`record_push_reply` — moves the watermark, quarantines refused changes (they never block the rest);
* :func:`apply_page` — applies a pulled page **and** moves the cursor in one transaction, so a cut at any
  moment leaves either the whole page or none of it. Pulled rows are written without outbox records and with
  foreign keys unchecked (a laptop holds only part of the municipality: a relative in another parish is not
  here). A field this laptop changed and has not had confirmed yet keeps the local value; the service's merge
  decides when the change arrives there.

A new epoch (the service's database was restored from a backup) makes the laptop re-send everything the
service no longer has and read its scope again from a snapshot.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from app import numbers
from storage import migrate
from storage.errors import N_, LietaError
from storage.models import (SYNCED_MODELS, DeviceState, OutboxEntry, QuarantinedChange, SyncConflict, SyncState,
                            utcnow)
from storage.outbox import content_columns, from_wire
from storage.store import Store
from sync.protocol import Change, PullPage, PullRequest, PushBatch, PushReply, change_from_outbox

PUSH_BATCH = 500
_device_state = DeviceState.__table__
_sync_state = SyncState.__table__
_outbox = OutboxEntry.__table__
_quarantine = QuarantinedChange.__table__


class NotEnrolled(LietaError):
    """This store has no central service (a standalone store): there is nothing to sync with."""

    code = "not_enrolled"
    msgid = N_("This laptop is not enrolled with a central service, so there is nothing to sync. Enrol it with "
               "'lieta enrol' (docs/admin-guide.md).")


@dataclass(frozen=True)
class SyncStatus:
    """What the UI and ``lieta sync --status`` show."""

    enrolled: bool
    server_url: str | None
    last_sync_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_error: str | None
    pending: int
    quarantined: int
    conflicts: int
    clock_offset_ms: int | None
    snapshot_running: bool


@contextlib.contextmanager
def remote_writes(store: Store) -> Iterator[Connection]:
    """One write transaction for rows that came from the service: no outbox, foreign keys unchecked."""
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction does SQLite honour this
        try:
            conn.execution_options(immediate=True)
            with conn.begin():
                yield conn
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def sync_state(conn: Connection) -> Any:
    state = conn.execute(select(_sync_state)).first()
    if state is None:
        raise NotEnrolled()
    return state


def status(store: Store) -> SyncStatus:
    with store.engine.connect() as conn:
        state = conn.execute(select(_sync_state)).first()
        acked = conn.execute(select(_device_state.c.acked_seq)).scalar_one()
        pending = conn.execute(select(func.count()).select_from(_outbox).where(_outbox.c.seq > acked)).scalar_one()
        quarantined = conn.execute(select(func.count()).select_from(_quarantine)
                                   .where(_quarantine.c.dismissed_at.is_(None))).scalar_one()
        conflicts = conn.execute(select(func.count()).select_from(SyncConflict.__table__).where(
            SyncConflict.__table__.c.resolved_at.is_(None), SyncConflict.__table__.c.deleted.is_(False))).scalar_one()
    return SyncStatus(enrolled=state is not None, server_url=state.server_url if state else None,
                      last_sync_at=_aware(state.last_sync_at) if state else None,
                      last_attempt_at=_aware(state.last_attempt_at) if state else None,
                      last_error=state.last_error if state else None, pending=pending, quarantined=quarantined,
                      conflicts=conflicts, clock_offset_ms=state.clock_offset_ms if state else None,
                      snapshot_running=bool(state and state.snapshot_from is not None))


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def pending_batch(store: Store, limit: int = PUSH_BATCH) -> PushBatch:
    """The next changes to send: after the acknowledged watermark, oldest first."""
    with store.session() as session:
        device = session.get(DeviceState, 1)
        state = session.get(SyncState, 1)
        entries = session.scalars(select(OutboxEntry).where(OutboxEntry.seq > device.acked_seq)
                                  .order_by(OutboxEntry.seq).limit(limit)).all()
        return PushBatch(device_id=device.device_id, epoch=state.epoch if state else None,
                         schema_version=migrate.SCHEMA_VERSION, changes=[change_from_outbox(e) for e in entries])


def _hear_service(conn: Connection, store: Store, server_hlc: str) -> dict[str, Any]:
    """Advance the laptop's clock past the service's and remember how far apart the two wall clocks are."""
    offset = store.clock.ahead_ms(server_hlc)
    store.clock.receive(server_hlc)
    conn.execute(update(_device_state).values(last_hlc=store.clock.last))
    return {"clock_offset_ms": offset}


def _epoch_changed(state: Any, epoch: str) -> bool:
    return state.epoch is not None and state.epoch != epoch


def _restart_pull() -> dict[str, Any]:
    """Read the whole scope again (a snapshot), then follow the feed from where the snapshot started."""
    return {"pulled_version": 0, "snapshot_from": 0, "snapshot_after": None}


def record_push_reply(store: Store, reply: PushReply) -> int:
    """Commit what the service confirmed; returns how many changes it refused (now in quarantine)."""
    refused = [r for r in reply.results if r.result == "rejected"]
    with remote_writes(store) as conn:
        state = sync_state(conn)
        values = _hear_service(conn, store, reply.server_hlc)
        if _epoch_changed(state, reply.epoch):
            values.update(_restart_pull())
        # the service's own count is the truth: lower than ours means it lost changes (restored from a backup),
        # and they are sent again — it applies each device sequence number once
        conn.execute(update(_device_state).values(acked_seq=reply.last_applied_seq))
        for result in refused:
            change = conn.execute(select(_outbox.c.entity, _outbox.c.row_id)
                                  .where(_outbox.c.seq == result.device_seq)).one()
            conn.execute(delete(_quarantine).where(_quarantine.c.seq == result.device_seq))
            conn.execute(insert(_quarantine).values(
                seq=result.device_seq, op_id=result.op_id, entity=change.entity, row_id=change.row_id,
                reason=result.reason or "rejected", created_at=utcnow()))
        _confirmed_versions(conn, reply)
        conn.execute(update(_sync_state).values(epoch=reply.epoch, **values))
    return len(refused)


def _confirmed_versions(conn: Connection, reply: PushReply) -> None:
    """Rows this laptop changed carry the service version their change got: the base of the next edit."""
    applied = {r.device_seq: r.server_version for r in reply.results if r.server_version}
    if not applied:
        return
    targets = conn.execute(select(_outbox.c.seq, _outbox.c.entity, _outbox.c.row_id)
                           .where(_outbox.c.seq.in_(sorted(applied)))).all()
    for seq, entity, row_id in targets:
        table = SYNCED_MODELS[entity].__table__
        conn.execute(update(table).where(table.c.id == row_id,
                                         func.coalesce(table.c.server_version, 0) < applied[seq])
                     .values(server_version=applied[seq]))


def low_number_blocks(store: Store, year: int) -> list[str]:
    """The ``SERIES/YEAR`` this laptop should ask the service a new number block for (network or USB alike)."""
    with store.session() as session:
        return [f"{series}/{year}" for series in numbers.blocks_running_low(session, store.device_id, year)]


def next_pull_request(store: Store, limit: int = 500, low_blocks: list[str] | None = None) -> PullRequest:
    with store.engine.connect() as conn:
        state = sync_state(conn)
        device_id = conn.execute(select(_device_state.c.device_id)).scalar_one()
    return PullRequest(device_id=device_id, epoch=state.epoch, after_version=state.pulled_version,
                       schema_version=migrate.SCHEMA_VERSION, limit=limit,
                       snapshot=state.snapshot_from is not None, snapshot_after=state.snapshot_after,
                       low_blocks=list(low_blocks or []))


def apply_page(store: Store, request: PullRequest, page: PullPage) -> int:
    """Apply ``page`` and move the cursor with it, in one transaction. Returns the number of changes applied.

    A page from another epoch than the one the request was made in is not applied: the pull restarts."""
    with remote_writes(store) as conn:
        state = sync_state(conn)
        values = _hear_service(conn, store, page.server_hlc)
        lost_history = page.snapshot_version is None and page.next_version < request.after_version
        if _epoch_changed(state, page.epoch) or lost_history:
            acked = conn.execute(select(_device_state.c.acked_seq)).scalar_one()
            conn.execute(update(_device_state).values(acked_seq=min(acked, page.last_applied_seq or 0)))
            conn.execute(update(_sync_state).values(epoch=page.epoch, **values, **_restart_pull()))
            return 0
        applied = _apply_changes(conn, page.changes)
        if page.snapshot_version is not None:
            if page.snapshot_after is None:  # the snapshot is complete: follow the feed
                resume = state.snapshot_from or page.snapshot_version
                values.update(pulled_version=resume, snapshot_from=None, snapshot_after=None)
            else:
                values.update(snapshot_after=page.snapshot_after)
        else:
            values.update(pulled_version=max(state.pulled_version, page.next_version))
        conn.execute(update(_sync_state).values(epoch=page.epoch, **values))
    return applied


def _pending_fields(conn: Connection, row_ids: set[uuid.UUID]) -> dict[tuple[str, uuid.UUID], set[str]]:
    """Fields this laptop changed and the service has not confirmed yet, per row."""
    acked = conn.execute(select(_device_state.c.acked_seq)).scalar_one()
    found: dict[tuple[str, uuid.UUID], set[str]] = {}
    ids = sorted(row_ids)
    for start in range(0, len(ids), 500):
        for entity, row_id, fields in conn.execute(select(_outbox.c.entity, _outbox.c.row_id, _outbox.c.fields).where(
                _outbox.c.seq > acked, _outbox.c.row_id.in_(ids[start:start + 500]))):
            found.setdefault((entity, row_id), set()).update(fields)
    return found


def _apply_changes(conn: Connection, changes: list[Change]) -> int:
    pending = _pending_fields(conn, {c.row_id for c in changes})
    applied = 0
    now = utcnow()
    for change in changes:
        model = SYNCED_MODELS.get(change.entity)
        if model is None:  # an entity this version does not know (the service checks schemas first)
            continue
        table = model.__table__
        if change.op == "evict":  # out of this laptop's scope now: gone from here, not deleted anywhere
            conn.execute(delete(table).where(table.c.id == change.row_id))
            applied += 1
            continue
        allowed = set(content_columns(model)) - pending.get((change.entity, change.row_id), set())
        values = {name: from_wire(table.c[name], value) for name, value in change.fields.items() if name in allowed}
        if change.op == "delete":
            values["deleted"] = True
        exists = conn.execute(select(table.c.server_version).where(table.c.id == change.row_id)).first()
        if exists is None:
            if change.op not in ("insert", "upsert"):
                continue  # a change to a row this laptop never had (outside its scope when it was made)
            conn.execute(insert(table).values(
                id=change.row_id, server_version=change.server_version, author_device_id=change.device_id,
                author_user_id=change.user_id, created_at=now, updated_at=now, **values))
        else:
            version = max(exists.server_version or 0, change.server_version or 0)
            conn.execute(update(table).where(table.c.id == change.row_id)
                         .values(server_version=version, **({"updated_at": now, **values} if values else {})))
        applied += 1
    return applied


def mark_attempt(store: Store, *, error: str | None, success: bool) -> None:
    """Remember the outcome of a sync attempt for the status line (an error code, never a message)."""
    with store.engine.begin() as conn:
        values: dict[str, Any] = {"last_attempt_at": utcnow(), "last_error": error}
        if success:
            values["last_sync_at"] = values["last_attempt_at"]
        conn.execute(update(_sync_state).values(**values))


def snapshot_running(store: Store) -> bool:
    with store.engine.connect() as conn:
        return sync_state(conn).snapshot_from is not None


def start_rescan(store: Store) -> None:
    """The laptop's scope grew (a new user signed in on it): read a snapshot, then replay the feed from the
    current cursor so that nothing in between — evictions included — is missed."""
    with store.engine.begin() as conn:
        state = sync_state(conn)
        if state.snapshot_from is None:
            conn.execute(update(_sync_state).values(snapshot_from=state.pulled_version, snapshot_after=None))
