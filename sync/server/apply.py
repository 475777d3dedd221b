"""Applying pushed changes exactly once and merging them field by field (ARCHITECTURE.md rules 4–6).

:func:`apply_push` runs inside one database transaction together with the device's ``last_applied_seq``: a
retry, a timeout after success, or the same changes arriving by network and by USB apply once. Each op gets
its own result; a refused op (a final record, a row outside the author's scope) is quarantined on the laptop
and never blocks the ops after it. Conflicts are detected against the server version each edit was based on,
per field — fields of a declared group (an address, an income block) count as one — and ordered by HLC only
when they really were concurrent; the losing value always goes to ``conflicts`` and, as a ``sync_conflicts``
record, to the laptops that can see the row. When a client, person or household changes audience (moved to
another parish, restricted), its whole file leaves the old laptops (``evict``) and reaches the new ones
(``upsert``) — never as a delete.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from storage.ids import HybridLogicalClock, new_id
from storage.models import SYNCED_MODELS
from storage.outbox import table_order
from sync.protocol import OPS, SERVICE_DEVICE, Change, OpResult, PushBatch, PushReply
from sync.server.schema import change_log, conflicts, device_users, devices, records, server_state, users
from sync.server.scope import LINKS, ROOTS, Audience, Viewer, audience_of, may_write

#: a stamp further ahead of the service's clock than this is not trusted to order edits (a laptop clock set
#: wrong); the edit is ordered by its arrival instead and the laptop is told (result reason ``clock_ahead``)
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000


class UnknownDevice(LookupError):
    """The device is not enrolled (or was removed): nothing it sends is applied."""


class RevokedDevice(PermissionError):
    """The device was revoked: it is refused from now on (and told to erase its store)."""


class ClonedDevice(PermissionError):
    """A sequence number the service already applied arrives with a different change: this store is a copy of
    another laptop's (restored from a backup of another machine, or copied). Nothing of the batch is applied."""


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


def next_version(conn: Connection) -> int:
    """The next gap-free server version; the row lock it takes orders concurrent transactions."""
    return conn.execute(update(server_state).where(server_state.c.singleton == 1)
                        .values(version=server_state.c.version + 1).returning(server_state.c.version)).scalar_one()


def device_viewer(conn: Connection, device: Any) -> Viewer:
    """What ``device`` (a ``devices`` row) may receive: its parishes, and restricted files of its users."""
    people = conn.execute(select(device_users.c.user_id).where(device_users.c.device_id == device.id)).scalars()
    return Viewer(frozenset(device.parish_ids or ()), bool(device.municipal), frozenset(str(u) for u in people))


def load_device(conn: Connection, device_id: uuid.UUID, *, lock: bool = False) -> Any:
    query = select(devices).where(devices.c.id == device_id)
    device = conn.execute(query.with_for_update() if lock else query).first()
    if device is None:
        raise UnknownDevice(str(device_id))
    if device.revoked_at is not None:
        raise RevokedDevice(str(device_id))
    return device


class Ledger:
    """The rows one transaction touches, kept in memory and written together.

    A batch's rows are read once (locked), merged in memory, and written at the end with prepared statements —
    one INSERT and one UPDATE for all rows, one INSERT for the feed — under versions reserved in one step. Rare
    paths that read the tables themselves (conflict records, re-scoping a file) :meth:`flush` first. Unused
    reserved versions are handed back, so the feed stays gap-free.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[tuple[str, uuid.UUID], dict[str, Any] | None] = {}
        self._inserts: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        self._updates: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        self._log: list[dict[str, Any]] = []
        self._next, self._top = 1, 0  # nothing reserved yet

    def prefetch(self, keys: list[tuple[str, uuid.UUID]]) -> None:
        """Read and lock the stored rows of ``keys`` at once (absent ones are remembered as absent)."""
        by_entity: dict[str, list[uuid.UUID]] = {}
        for entity, row_id in keys:
            if (entity, row_id) not in self.rows:
                by_entity.setdefault(entity, []).append(row_id)
        for entity, ids in by_entity.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for key in ((entity, row_id) for row_id in chunk):
                    self.rows.setdefault(key, None)
                for row in self.conn.execute(select(records).where(records.c.entity == entity,
                                                                   records.c.row_id.in_(chunk)).with_for_update()):
                    self.rows[(entity, row.row_id)] = dict(row._mapping)

    def get(self, entity: str, row_id: uuid.UUID) -> dict[str, Any] | None:
        if (entity, row_id) not in self.rows:
            self.prefetch([(entity, row_id)])
        return self.rows[(entity, row_id)]

    def audience(self, entity: str, row_id: Any) -> Audience | None:
        try:
            row = self.get(entity, uuid.UUID(str(row_id)))
        except ValueError:  # a malformed reference owns nothing
            return None
        return None if row is None else Audience(row["shared"], row["parish_id"], row["worker_id"], row["root_id"])

    def version(self) -> int:
        if self._next > self._top:
            self._top = self.conn.execute(_RESERVE, {"n": RESERVE}).scalar_one()
            self._next = self._top - RESERVE + 1
        self._next += 1
        return self._next - 1

    def put(self, row: dict[str, Any], *, new: bool) -> None:
        key = (row["entity"], row["row_id"])
        self.rows[key] = row
        if new or key in self._inserts:
            self._inserts[key] = row
        else:
            self._updates[key] = row

    def log(self, **entry: Any) -> None:
        self._log.append(entry)

    def flush(self) -> None:
        if self._inserts:
            self.conn.execute(records.insert(), list(self._inserts.values()))
        if self._updates:
            self.conn.execute(_UPDATE_RECORD, [{**{f"b_{k}": row[k] for k in ("entity", "row_id")},
                                                **{k: row[k] for k in _UPDATED}} for row in self._updates.values()])
        if self._log:
            self.conn.execute(change_log.insert(), self._log)
        if self._top and self._next <= self._top:  # hand back what was reserved and not used
            self.conn.execute(update(server_state).values(version=self._next - 1))
        self._inserts, self._updates, self._log = {}, {}, []
        self._next, self._top = 1, 0


RESERVE = 64
_RESERVE = (update(server_state).values(version=server_state.c.version + bindparam("n"))
            .returning(server_state.c.version))
_UPDATED = ("version", "fields", "field_versions", "field_hlcs", "deleted", "root_id", "shared", "parish_id",
            "worker_id")
_UPDATE_RECORD = update(records).where(records.c.entity == bindparam("b_entity"),
                                       records.c.row_id == bindparam("b_row_id"))


class _Batch:
    """One push being applied: the service clock, the device, who wrote each change, and its ledger."""

    def __init__(self, conn: Connection, batch: PushBatch, clock: HybridLogicalClock, now: dt.datetime,
                 authorise: bool) -> None:
        self.conn, self.clock, self.now, self.authorise = conn, clock, now, authorise
        self.device = load_device(conn, batch.device_id, lock=True)
        self.viewer = device_viewer(conn, self.device) if authorise else None
        self.ledger = Ledger(conn)
        self._users: dict[uuid.UUID | None, Any] = {}

    def author(self, user_id: uuid.UUID | None) -> Any:
        if user_id not in self._users:
            self._users[user_id] = None if user_id is None else self.conn.execute(
                select(users).where(users.c.id == user_id, users.c.disabled_at.is_(None))).first()
        return self._users[user_id]

    def stamp(self, change: Change) -> tuple[str, bool]:
        """HLC then device id: a total order of edits (fixed-width HLC, so strings compare correctly).

        A stamp far ahead of the service's clock is replaced by the service's own (arrival order)."""
        if self.clock.ahead_ms(change.hlc) > MAX_CLOCK_AHEAD_MS:
            return f"{self.clock.now()}|{change.device_id}", True
        self.clock.receive(change.hlc)
        return f"{change.hlc}|{change.device_id}", False


def apply_push(conn: Connection, batch: PushBatch, clock: HybridLogicalClock, now: dt.datetime | None = None, *,
               authorise: bool = True) -> PushReply:
    """Apply ``batch`` in the caller's transaction. ``authorise=False`` skips the scope and role checks (only for
    tests of the merge rules and trusted imports)."""
    work = _Batch(conn, batch, clock, now or dt.datetime.now(dt.timezone.utc), authorise)
    last = work.device.last_applied_seq
    results: list[OpResult] = []
    applied_ops = _applied_ops(conn, batch, last)
    work.ledger.prefetch([(c.entity, c.row_id) for c in batch.changes if c.device_seq > last])
    for change in batch.changes:
        if change.device_seq <= last:
            if applied_ops.get(change.device_seq, change.op_id) != change.op_id:
                raise ClonedDevice(str(batch.device_id))
            results.append(OpResult(change.op_id, change.device_seq, "duplicate"))
            continue
        if change.device_seq != last + 1:  # a gap: hold everything after it until the missing ops arrive
            break
        results.append(_apply_one(work, change))
        last = change.device_seq
    work.ledger.flush()
    conn.execute(update(devices).where(devices.c.id == batch.device_id).values(last_applied_seq=last))
    epoch = conn.execute(select(server_state.c.epoch)).scalar_one()
    return PushReply(epoch=epoch, last_applied_seq=last, results=results, server_hlc=clock.now())


def _applied_ops(conn: Connection, batch: PushBatch, last: int) -> dict[int, uuid.UUID]:
    """The op ids the service applied under the sequence numbers this batch repeats."""
    repeated = [c.device_seq for c in batch.changes if c.device_seq <= last]
    if not repeated:
        return {}
    rows = conn.execute(select(change_log.c.device_seq, change_log.c.op_id).where(
        change_log.c.device_id == batch.device_id, change_log.c.device_seq.between(min(repeated), max(repeated))))
    return {seq: op_id for seq, op_id in rows}


def _links_set(change: Change) -> bool:
    return any(change.fields.get(column) for column, _target in LINKS.get(change.entity, []))


def _refused(change: Change, reason: str) -> OpResult:
    return OpResult(change.op_id, change.device_seq, "rejected", reason=reason)


def _audience(row: dict[str, Any]) -> Audience:
    return Audience(row["shared"], row["parish_id"], row["worker_id"], row["root_id"])


def _apply_one(work: _Batch, change: Change) -> OpResult:
    ledger = work.ledger
    if change.entity not in SYNCED_MODELS or change.op not in OPS:
        return _refused(change, "unknown_entity")
    row = ledger.get(change.entity, change.row_id)
    if row is None and change.op != "insert":
        return _refused(change, "unknown_row")
    if work.authorise:
        author = work.author(change.user_id)
        if author is None:
            return _refused(change, "unknown_user")
        before = _audience(row) if row is not None else \
            audience_of(ledger.audience, change.entity, change.row_id, change.fields)
        refusal = may_write(author, work.viewer, change.entity, before)
        if refusal:
            return _refused(change, refusal)
        if row is None and before.root_id is None and not before.shared and _links_set(change):
            return _refused(change, "unknown_parent")  # its owner was refused or never sent
    if row is not None and _is_final(change.entity, row["fields"]):
        return _refused(change, "final_record")
    stamp, clamped = work.stamp(change)
    if row is not None and row["deleted"]:
        ledger.flush()
        log_conflict(work.conn, work.clock, change.entity, change.row_id, change.fields, {"deleted": True},
                     "edited_after_delete", change.op_id, change.device_id, change.user_id, work.now)
        _restore(ledger, change, row, {f: row["fields"].get(f) for f in change.fields}, work.now)
        return OpResult(change.op_id, change.device_seq, "conflict", reason="edited_after_delete")
    fields = dict(row["fields"]) if row else {}
    versions = dict(row["field_versions"]) if row else {}
    hlcs = dict(row["field_hlcs"]) if row else {}
    incoming = dict(change.fields)
    if change.op == "delete":
        incoming["deleted"] = True
    winning, losing, standing, replaced = {}, {}, {}, []
    mine = str(change.device_id)
    for unit in _units(change.entity, list(incoming)):
        # concurrent: someone else changed the unit after the version this edit was based on (a device's own
        # earlier edits are not a conflict: they were made one after the other)
        concurrent = row is not None and any(
            versions.get(f, 0) > (change.base_version or 0) and not hlcs.get(f, "").endswith(mine) for f in unit)
        theirs = max((hlcs.get(f, "") for f in unit), default="")
        if concurrent and stamp < theirs:
            losing.update({f: incoming[f] for f in unit if f in incoming})
            standing.update({f: fields.get(f) for f in unit if f in incoming})
        else:
            if concurrent:
                replaced.append(({f: fields.get(f) for f in unit if f in incoming},
                                 {f: incoming[f] for f in unit if f in incoming},
                                 uuid.UUID(theirs.split("|")[1]) if "|" in theirs else None))
            winning.update({f: incoming[f] for f in unit if f in incoming})
    if replaced or losing:
        ledger.flush()
        for lost, stands, loser in replaced:
            log_conflict(work.conn, work.clock, change.entity, change.row_id, lost, stands, "concurrent_edit",
                         change.op_id, loser, None, work.now)
        if losing:
            log_conflict(work.conn, work.clock, change.entity, change.row_id, losing, standing, "concurrent_edit",
                         change.op_id, change.device_id, change.user_id, work.now)
        row = ledger.get(change.entity, change.row_id)  # re-read: the conflict records moved nothing of it
    if not winning:
        _restore(ledger, change, row, standing, work.now)
        return OpResult(change.op_id, change.device_seq, "conflict", reason="concurrent_edit")
    fields.update(winning)
    version = write_record(ledger, change.entity, change.row_id, fields, row, change, stamp=stamp,
                           versions=versions, hlcs=hlcs, changed=winning, now=work.now)
    if losing:
        _restore(ledger, change, ledger.get(change.entity, change.row_id), standing, work.now)
    if losing:
        return OpResult(change.op_id, change.device_seq, "conflict", server_version=version, reason="concurrent_edit")
    return OpResult(change.op_id, change.device_seq, "applied", server_version=version,
                    reason="clock_ahead" if clamped else None)


def _restore(ledger: Ledger, change: Change, row: dict[str, Any], standing: dict[str, Any], now: dt.datetime) -> None:
    """Send the values that stand to the laptops, in feed order after the change that lost: the laptop that made
    it still shows its own value until then. The row's field versions and stamps stay as they are."""
    ledger.log(server_version=ledger.version(), op_id=new_id(), tx_id=change.tx_id, device_id=SERVICE_DEVICE,
               device_seq=0, user_id=None, entity=change.entity, row_id=change.row_id, op="update", base_version=None,
               fields=standing, hlc=change.hlc, schema_version=change.schema_version, received_at=now,
               **_audience(row).columns())


def write_record(ledger: Ledger, entity: str, row_id: uuid.UUID, fields: dict[str, Any], row: dict[str, Any] | None,
                 change: Change, *, stamp: str, versions: dict[str, int], hlcs: dict[str, str],
                 changed: dict[str, Any], now: dt.datetime) -> int:
    """Stage the new state of a row and append ``changed`` to the feed under the next version; re-scope the
    row's file when its audience changed. Returns the version."""
    old = _audience(row) if row is not None else None
    audience = audience_of(ledger.audience, entity, row_id, fields)
    version = ledger.version()
    for name in changed:
        versions[name], hlcs[name] = version, stamp
    ledger.put({"entity": entity, "row_id": row_id, "entity_order": table_order(entity), "version": version,
                "fields": fields, "field_versions": versions, "field_hlcs": hlcs,
                "deleted": bool(fields.get("deleted")), "root_id": audience.root_id, **audience.columns()},
               new=row is None)
    ledger.log(server_version=version, op_id=change.op_id, tx_id=change.tx_id, device_id=change.device_id,
               device_seq=change.device_seq, user_id=change.user_id, entity=entity, row_id=row_id, op=change.op,
               base_version=change.base_version, fields=changed, hlc=change.hlc, schema_version=change.schema_version,
               received_at=now, **(old or audience).columns())
    if old is not None and entity in ROOTS and old.columns() != audience.columns():
        ledger.flush()
        _rescope(ledger.conn, row_id, old, audience, change, now)
        ledger.rows.clear()  # re-scoping rewrote rows behind the ledger's back: read them again
    return version


def _rescope(conn: Connection, root_id: uuid.UUID, old: Audience, new: Audience, cause: Change,
             now: dt.datetime) -> None:
    """The file of ``root_id`` leaves the laptops of ``old`` and reaches those of ``new``, whole.

    Evictions go children first, arrivals parents first, so a laptop in both audiences ends with the file."""
    rows = conn.execute(select(records).where(records.c.root_id == root_id)).all()
    rows.sort(key=lambda r: (r.entity_order, str(r.row_id)))
    for op, audience, ordered in (("evict", old, reversed(rows)), ("upsert", new, rows)):
        for row in ordered:
            version = next_version(conn)
            conn.execute(change_log.insert().values(
                server_version=version, op_id=new_id(), tx_id=cause.tx_id, device_id=SERVICE_DEVICE, device_seq=0,
                user_id=cause.user_id, entity=row.entity, row_id=row.row_id, op=op, base_version=None,
                fields={} if op == "evict" else row.fields, hlc=cause.hlc, schema_version=cause.schema_version,
                received_at=now, **audience.columns()))
            if op == "upsert":
                conn.execute(update(records).where(records.c.entity == row.entity, records.c.row_id == row.row_id)
                             .values(version=version, **new.columns()))


def record_service_change(conn: Connection, clock: HybridLogicalClock, entity: str, row_id: uuid.UUID,
                          fields: dict[str, Any], now: dt.datetime, *, user_id: uuid.UUID | None = None) -> int:
    """A row the service itself writes (a conflict record, a number block, a user): stored and fed like a
    device's change, authored by :data:`SERVICE_DEVICE`."""
    from storage.migrate import SCHEMA_VERSION

    ledger = Ledger(conn)
    row = ledger.get(entity, row_id)
    hlc = clock.now()
    current = {**(row["fields"] if row else {}), **fields}
    change = Change(op_id=new_id(), tx_id=new_id(), device_id=SERVICE_DEVICE, device_seq=0, user_id=user_id,
                    entity=entity, row_id=row_id, op="update" if row else "insert",
                    base_version=row["version"] if row else None, fields=fields, hlc=hlc,
                    schema_version=SCHEMA_VERSION)
    version = write_record(ledger, entity, row_id, current, row, change, stamp=f"{hlc}|{SERVICE_DEVICE}",
                           versions=dict(row["field_versions"]) if row else {},
                           hlcs=dict(row["field_hlcs"]) if row else {}, changed=fields, now=now)
    ledger.flush()
    return version


def log_conflict(conn: Connection, clock: HybridLogicalClock, entity: str, row_id: uuid.UUID, lost: dict[str, Any],
                 standing: dict[str, Any], reason: str, op_id: uuid.UUID, losing_device: uuid.UUID | None,
                 losing_user: uuid.UUID | None, now: dt.datetime) -> None:
    """Keep the values that did not stand: in the service's log, and as a record the workers see."""
    conflict_id = new_id()
    conn.execute(conflicts.insert().values(
        id=conflict_id, entity=entity, row_id=row_id, fields=lost, winning=standing, losing_op_id=op_id,
        losing_device_id=losing_device or SERVICE_DEVICE, reason=reason, created_at=now))
    record_service_change(conn, clock, "sync_conflicts", conflict_id, {
        "entity": entity, "row_id": str(row_id), "losing": lost, "standing": standing, "reason": reason,
        "losing_device_id": str(losing_device) if losing_device else None,
        "losing_user_id": str(losing_user) if losing_user else None, "occurred_at": now.isoformat(),
        "resolved_at": None, "resolved_by_user_id": None, "resolution": None, "deleted": False}, now)
