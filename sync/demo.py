"""The demo's central service: a standalone demo store becomes the first laptop of a local service.

``python3 dev.py demo`` runs this once: it creates the service's SQLite database next to the demo store,
registers the store's users there (same ids, the demo passphrase as their password), enrols the store as the
head of service's laptop (it sees the whole municipality), and sends its whole outbox — so the service starts
with the demo data and every later edit syncs. The self-leased number blocks travel with the outbox, so the
service never leases those numbers again.

Usage: ``python -m sync.demo DATA_DIR SERVICE_URL DATABASE_URL`` with ``LIETA_USER`` / ``LIETA_PASSPHRASE`` set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import insert, select

from app.signing import KeyPair
from storage.ids import HybridLogicalClock
from storage.models import DeviceState, SyncState, User, utcnow
from storage.store import Store
from sync import local
from sync.server.apply import apply_push
from sync.server.auth import add_user, device_certificate, service_public_keys
from sync.server.database import initialise, open_engine
from sync.server.schema import device_users, devices, server_state


def adopt(store: Store, database_url: str, service_url: str, password: str) -> int:
    """Make ``store`` the municipal laptop of the service at ``database_url``; returns the changes sent."""
    engine = open_engine(database_url)
    clock = HybridLogicalClock()
    try:
        initialise(engine)
        keys = KeyPair.generate()
        with store.session() as session:
            staff = session.scalars(select(User)).all()
            device_id = session.get(DeviceState, 1).device_id
        with engine.begin() as conn:
            for user in staff:
                add_user(conn, clock, login=user.login, display_name=user.display_name, roles=list(user.roles),
                         parish_ids=list(user.parish_ids or []), password=password, user_id=user.id, publish=False)
            conn.execute(insert(devices).values(id=device_id, name="demo", last_applied_seq=0, parish_ids=[],
                                                municipal=True, public_keys=keys.public().to_text(),
                                                enrolled_at=utcnow()))
            conn.execute(insert(device_users), [{"device_id": device_id, "user_id": user.id, "first_seen_at": utcnow()}
                                                for user in staff])
            service_keys, epoch = service_public_keys(conn), conn.execute(select(server_state.c.epoch)).scalar_one()
            certificate = device_certificate(conn, device_id, keys.public().to_text(), utcnow())
        with store.engine.begin() as conn:
            conn.execute(insert(SyncState.__table__).values(
                singleton=1, server_url=service_url, server_certificate=None, server_keys=service_keys,
                device_keys=keys.to_text(), device_certificate=certificate, parish_ids=[], municipal=True, epoch=epoch,
                pulled_version=0,
                snapshot_from=None, snapshot_after=None, enrolled_at=utcnow()))
        sent = 0
        while True:
            batch = local.pending_batch(store, 5000)
            if not batch.changes:
                break
            with engine.begin() as conn:
                reply = apply_push(conn, batch, clock)
            local.record_push_reply(store, reply)
            sent += len(batch.changes)
        with engine.connect() as conn:  # everything on the service came from here: no need to read it back
            version = conn.execute(select(server_state.c.version)).scalar_one()
        with store.engine.begin() as conn:
            conn.execute(SyncState.__table__.update().values(pulled_version=version, last_sync_at=utcnow()))
        return sent
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    data_dir, service_url, database_url = argv
    password = os.environ["LIETA_PASSPHRASE"]
    store = Store.open(Path(data_dir), os.environ["LIETA_USER"], password)
    try:
        if local.status(store).enrolled:
            return 0
        sent = adopt(store, database_url, service_url, password)
        print(f"the demo laptop is enrolled with the local central service ({sent} changes sent)")
    finally:
        store.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
