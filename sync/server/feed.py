"""What a laptop pulls: pages of the gap-free change feed, or a snapshot of its scope (ARCHITECTURE.md rule 5).

Feed pages hold the changes after the laptop's cursor that its :class:`~sync.server.scope.Viewer` may see
(and its own, in their place in the order). The service version is read *before* the feed, so a change that
commits later always has a higher version and is never skipped; a page that finds nothing more still moves the
cursor to that version.
A snapshot (first sync, or after the scope changed) reads the current rows in foreign-key order, resumable by
key, and remembers the version it started at; the feed then continues from there, so everything written
during the snapshot arrives too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.engine import Connection

from app import numbers, reference
from storage.ids import HybridLogicalClock, new_id
from storage.errors import N_
from sync.protocol import SERVICE_DEVICE, Change, CorruptPayload, PullPage, PullRequest, check_schema
from sync.server.apply import device_viewer, load_device, record_service_change
from sync.server.schema import change_log, records, server_state

MAX_PAGE = 2000


def pull(conn: Connection, request: PullRequest, clock: HybridLogicalClock) -> PullPage:
    """The next page for ``request.device_id`` (a read-only transaction is enough)."""
    device = load_device(conn, request.device_id)
    state = conn.execute(select(server_state)).one()
    check_schema(request.schema_version, state.min_pull_schema)
    viewer = device_viewer(conn, device)
    limit = min(request.limit, MAX_PAGE)
    if request.snapshot:
        page = _snapshot_page(conn, request, viewer, state, limit, clock)
        return replace(page, last_applied_seq=device.last_applied_seq)
    # a laptop's own changes come back too: in feed order they restore what an older change of another laptop,
    # pulled after the laptop's own newer one was applied, would otherwise overwrite on the laptop
    visible = or_(viewer.condition(change_log), change_log.c.device_id == device.id)
    rows = conn.execute(select(change_log).where(
        change_log.c.server_version > request.after_version, change_log.c.server_version <= state.version, visible)
        .order_by(change_log.c.server_version).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [Change(op_id=r.op_id, tx_id=r.tx_id, device_id=r.device_id, device_seq=r.device_seq,
                      user_id=r.user_id, entity=r.entity, row_id=r.row_id, op=r.op, base_version=r.base_version,
                      fields=r.fields, hlc=r.hlc, schema_version=r.schema_version, server_version=r.server_version)
               for r in rows]
    # behind the laptop's cursor only if this database lost history (restored without a new epoch): the laptop
    # then reads its scope again
    cursor = changes[-1].server_version if more else state.version
    return PullPage(epoch=state.epoch, changes=changes, next_version=cursor, has_more=more, server_hlc=clock.now(),
                    last_applied_seq=device.last_applied_seq)


def _snapshot_page(conn: Connection, request: PullRequest, viewer, state, limit: int,
                   clock: HybridLogicalClock) -> PullPage:
    """The cursor ``started|entity order|row id`` is opaque to the laptop; ``started`` is the service version
    when the snapshot began (the feed resumes after it)."""
    query = select(records).where(viewer.condition(records))
    started = state.version
    if request.snapshot_after:
        try:
            first, order, row = request.snapshot_after.split("|")
            started, key = int(first), (int(order), uuid.UUID(row))
        except ValueError:
            raise CorruptPayload(reason_msg=N_("unknown snapshot position")) from None
        query = query.where(tuple_(records.c.entity_order, records.c.row_id) > key)
    rows = conn.execute(query.order_by(records.c.entity_order, records.c.row_id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [Change(op_id=new_id(), tx_id=new_id(), device_id=SERVICE_DEVICE, device_seq=0, user_id=None,
                      entity=r.entity, row_id=r.row_id, op="upsert", base_version=None, fields=r.fields,
                      hlc=clock.now(), schema_version=request.schema_version, server_version=r.version)
               for r in rows]
    after = f"{started}|{rows[-1].entity_order}|{rows[-1].row_id}" if more else None
    return PullPage(epoch=state.epoch, changes=changes, next_version=started, has_more=more, server_hlc=clock.now(),
                    snapshot_version=started, snapshot_after=after)


def lease_blocks(conn: Connection, clock: HybridLogicalClock, device_id: uuid.UUID, wanted: list[str],
                 now: dt.datetime | None = None) -> int:
    """Lease a new block of each ``SERIES/YEAR`` in ``wanted`` to the device (the same rule as
    :func:`app.numbers.lease_block`: never reuse a number). Returns how many blocks were leased."""
    now = now or dt.datetime.now(dt.timezone.utc)
    size = numbers.block_size()
    known = {numbers.series_for("application"), numbers.series_for("decision")}
    leased = 0
    for item in wanted:
        series, _, year = item.partition("/")
        if series not in known:
            continue
        conn.execute(select(server_state.c.version).with_for_update())  # one leaser at a time
        last = conn.execute(select(func.max(records.c.fields["last_number"].as_integer())).where(
            and_(records.c.entity == "number_blocks", records.c.fields["series"].as_string() == series,
                 records.c.fields["year"].as_integer() == int(year)))).scalar() or 0
        record_service_change(conn, clock, "number_blocks", new_id(), {
            "series": series, "year": int(year), "first_number": last + 1, "last_number": last + size,
            "device_id": str(device_id), "leased_at": now.isoformat(), "deleted": False}, now)
        leased += 1
    return leased


def initial_blocks(year: int) -> list[str]:
    """The series a newly enrolled laptop gets a block of."""
    document = reference.document("assistance_lv")["numbering"]
    return [f"{document['application_series']}/{year}", f"{document['decision_series']}/{year}"]
