"""USB bundles at the main office: ``lieta-server bundle import FILE --reply OUT``.

The bundle is opened only if it is sealed to this service and signed by the enrolled key of the laptop it
names; a revoked laptop's bundle is refused and left untouched for the administrator. Its changes go through
the same :func:`~sync.server.apply.apply_push` as the network (so a second import, or the same changes by
network, apply once); the reply carries the results and the pages that follow the laptop's cursor, sealed to
that laptop's key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from storage.errors import N_
from storage.ids import HybridLogicalClock
from sync import bundle, protocol
from sync.protocol import BUNDLE_LEVEL, BundleReply, BundleRequest
from sync.server.apply import ClonedDevice, apply_push
from sync.server.auth import service_key_pair
from sync.server.feed import lease_blocks, pull
from sync.server.schema import devices

MAX_REPLY_CHANGES = 200_000


class CopiedBundle(bundle.BundleError):
    code = "device_cloned"
    msgid = N_("This sync bundle comes from a copy of another laptop's case store; nothing from it was applied. "
               "Enrol that laptop again.")


class RevokedBundle(bundle.BundleError):
    code = "revoked_bundle"
    msgid = N_("This sync bundle comes from a laptop that was withdrawn from the central service; nothing from it "
               "was applied. Keep the file and tell the administrator.")


def import_bundle(engine: Engine, path: Path, reply_path: Path, *, clock: HybridLogicalClock | None = None
                  ) -> dict[str, Any]:
    clock = clock or HybridLogicalClock()
    data = bundle.read_bundle(Path(path))
    with engine.begin() as conn:
        keys = service_key_pair(conn)
        found: dict[str, Any] = {}

        def sender(device: str) -> bundle.PublicKeys | None:
            try:
                row = conn.execute(select(devices).where(devices.c.id == uuid.UUID(device))).first()
            except ValueError:
                return None
            found["device"] = row
            return bundle.PublicKeys.from_text(row.public_keys) if row is not None and row.public_keys else None

        manifest, payload = bundle.open_sealed(data, recipient_keys=keys, sender_public=sender,
                                               recipient=bundle.CENTRAL)
        device = found["device"]
        if device.revoked_at is not None:
            raise RevokedBundle()
        request = protocol.decode(payload, BundleRequest)
        if request.push.device_id != device.id or request.pull.device_id != device.id:
            raise bundle.TamperedBundle(reason_msg=N_("the contents do not match the description"))
        try:
            reply = apply_push(conn, request.push, clock)
        except ClonedDevice:
            raise CopiedBundle() from None
        if request.pull.low_blocks:
            lease_blocks(conn, clock, device.id, request.pull.low_blocks)
    pages, wanted, total = [], request.pull, 0
    with engine.connect() as conn:
        while True:
            page = pull(conn, wanted, clock)
            pages.append(page)
            total += len(page.changes)
            finished = (not wanted.snapshot and not page.has_more) or total >= MAX_REPLY_CHANGES
            if finished:
                break
            if wanted.snapshot and page.snapshot_after is None:  # the snapshot is done: the feed after it
                resume = wanted.after_version or page.snapshot_version  # as the laptop will (sync.local)
                wanted = replace(wanted, snapshot=False, snapshot_after=None, after_version=resume)
            elif wanted.snapshot:
                wanted = replace(wanted, snapshot_after=page.snapshot_after)
            else:
                wanted = replace(wanted, after_version=page.next_version)
    answer = BundleReply(push_reply=reply, answers=request.pull, pages=pages)
    sealed = bundle.seal(protocol.encode(answer, level=BUNDLE_LEVEL), kind="to_device", sender=bundle.CENTRAL,
                         recipient=str(device.id), epoch=reply.epoch, first_seq=0, last_seq=0,
                         schema_version=manifest.schema_version, sender_keys=keys,
                         recipient_public=bundle.PublicKeys.from_text(device.public_keys),
                         created_at=dt.datetime.now(dt.timezone.utc))
    bundle.write_bundle(Path(reply_path), sealed)
    results: dict[str, int] = {}
    for result in reply.results:
        results[result.result] = results.get(result.result, 0) + 1
    return {"device": str(device.id), "changes": len(request.push.changes), **results,
            "reply_changes": total, "reply": str(reply_path)}
