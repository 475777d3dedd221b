"""USB bundles on the laptop: the outbox carried to the main office on a stick, and the office's reply applied.

A bundle is a sealed file (:mod:`sync.bundle`): encrypted to the central service, signed by this laptop. It
carries the same push and pull messages as the network, so the service applies it exactly once (device sequence
numbers) even if the same changes also arrive over the network. A reply answers the pull cursor the laptop had
when it wrote the bundle; if the laptop has moved on since (the reply was already imported, or a network sync
happened), its pages are not applied again — importing a bundle twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from storage.migrate import SCHEMA_VERSION
from storage.models import DeviceState
from storage.store import Store
from sync import bundle, local, protocol
from sync.protocol import BUNDLE_LEVEL, BundleReply, BundleRequest

SUFFIX = ".lieta-bundle"
MAX_CHANGES = 100_000


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    changes: int
    refused: int = 0
    pulled: int = 0
    stale_pages: bool = False


def _keys(store: Store) -> tuple[bundle.KeyPair, bundle.PublicKeys, str]:
    with store.engine.connect() as conn:
        state = local.sync_state(conn)
        device_id = conn.execute(select(DeviceState.__table__.c.device_id)).scalar_one()
    return bundle.KeyPair.from_text(state.device_keys), bundle.PublicKeys.from_text(state.server_keys), str(device_id)


def export_bundle(store: Store, to: Path, *, now: dt.datetime | None = None) -> BundleSummary:
    """Write everything not yet confirmed by the service (and this laptop's pull position) to ``to`` — a file,
    or a folder where a dated file name is chosen."""
    keys, service, device = _keys(store)
    batch = local.pending_batch(store, MAX_CHANGES)
    low = local.low_number_blocks(store, (now or dt.datetime.now(dt.timezone.utc)).year)
    request = local.next_pull_request(store, limit=2000, low_blocks=low)
    payload = protocol.encode(BundleRequest(push=batch, pull=request), level=BUNDLE_LEVEL)
    seqs = [c.device_seq for c in batch.changes]
    sealed = bundle.seal(payload, kind="to_office", sender=device, recipient=bundle.CENTRAL, epoch=batch.epoch,
                         first_seq=seqs[0] if seqs else 0, last_seq=seqs[-1] if seqs else 0,
                         schema_version=SCHEMA_VERSION, sender_keys=keys, recipient_public=service, created_at=now)
    target = Path(to)
    if target.is_dir():
        stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%d-%H%M%S")
        target = target / f"lieta-{device[-8:]}-{stamp}{SUFFIX}"
    bundle.write_bundle(target, sealed)
    return BundleSummary(target, len(batch.changes))


def import_reply(store: Store, path: Path) -> BundleSummary:
    """Apply the office's reply bundle: confirmations first, then the pages — if they still follow on."""
    keys, service, device = _keys(store)
    _manifest, payload = bundle.open_sealed(bundle.read_bundle(Path(path)), recipient_keys=keys,
                                            sender_public=service, recipient=device)
    reply = protocol.decode(payload, BundleReply)
    refused = local.record_push_reply(store, reply.push_reply)
    current = local.next_pull_request(store)
    position = (current.after_version, current.snapshot, current.snapshot_after)
    if position != (reply.answers.after_version, reply.answers.snapshot, reply.answers.snapshot_after):
        return BundleSummary(Path(path), len(reply.push_reply.results), refused, 0, stale_pages=True)
    pulled = 0
    for page in reply.pages:
        pulled += local.apply_page(store, local.next_pull_request(store), page)
    local.mark_attempt(store, error=None, success=True)
    return BundleSummary(Path(path), len(reply.push_reply.results), refused, pulled)
