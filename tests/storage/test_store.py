"""The store's life: created once, opened by its users, locked when idle (the key leaves memory)."""

from __future__ import annotations

import stat
import threading

import pytest
from sqlalchemy import select, text

from storage.errors import StoreExists, StoreLocked
from storage.models import DeviceState, Person, User
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE
from tests.storage.helpers import SURNAME, add_person, surnames


def test_locked_store_refuses_sessions_writes_and_its_key(store):
    store.lock()
    assert store.locked
    with pytest.raises(StoreLocked):
        store.session()
    with pytest.raises(StoreLocked):
        with store.write():
            pass
    with pytest.raises(StoreLocked):
        store.data_key


def test_lock_overwrites_the_key_in_memory_and_the_engine_cannot_reconnect(store):
    key = store.data_key
    assert any(key.raw())
    store.lock()
    assert key._buf == bytearray(32)  # every byte of the key buffer is zero
    with pytest.raises(RuntimeError, match="wiped"):
        key.raw()
    with pytest.raises(RuntimeError, match="wiped"):
        store.engine.connect()  # the pool was emptied and a new connection cannot be keyed


def test_session_open_at_lock_time_cannot_read_after_lock(store):
    with store.write() as session:
        add_person(session)
    reader = store.session()
    assert reader.scalars(select(Person.surname)).all() == [SURNAME]  # holds a pooled connection
    store.lock()
    try:
        with pytest.raises(Exception):
            reader.scalars(select(Person.surname)).all()
    finally:
        reader.close()


def test_store_unlocks_again_after_lock(store, data_dir):
    with store.write() as session:
        add_person(session)
    device_id = store.device_id
    store.lock()
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    assert opened.device_id == device_id and opened.login == LOGIN
    assert opened.roles == ["social_worker", "administrator"] and opened.user_id is not None
    assert surnames(opened) == [SURNAME]
    opened.lock()


def test_new_store_has_its_first_user_and_device_identity(store):
    with store.session() as session:
        user = session.scalar(select(User).where(User.login == LOGIN))
        state = session.get(DeviceState, 1)
    assert user.id == store.user_id and user.display_name == "Anna Kalniņa"
    assert state.device_id == store.device_id and state.device_id.version == 7
    assert state.next_seq == 2  # the user row's own change record took sequence number 1


def test_store_is_not_created_over_an_existing_one(store, data_dir):
    before = store.paths.database.stat().st_mtime_ns, store.paths.key_slots.read_bytes()
    with pytest.raises(StoreExists):
        Store.create(data_dir, "other", "Cita-parole-1", display_name="X", roles=[])
    assert (store.paths.database.stat().st_mtime_ns, store.paths.key_slots.read_bytes()) == before


def test_store_files_are_private_to_the_user(store, data_dir):
    store.lock()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in (store.paths.database, store.paths.key_slots):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_connections_carry_the_guard_rails(store):
    with store.session() as session:
        pragma = lambda name: session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("temp_store") == 2  # MEMORY: no plaintext temp files
        assert pragma("secure_delete") == 1
        assert pragma("cache_size") <= -32 * 1024
        assert int(pragma("cipher_memory_security")) == 1
        assert session.execute(text("PRAGMA cipher_version")).scalar()


def test_failed_create_leaves_no_files(data_dir, monkeypatch):
    from storage import migrate

    def broken_upgrade(engine, revision="head"):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(migrate, "upgrade", broken_upgrade)
    with pytest.raises(RuntimeError):
        Store.create(data_dir, LOGIN, PASSPHRASE, display_name="A", roles=[])
    assert sorted(p.name for p in data_dir.iterdir()) == []
    assert not Store.exists(data_dir)


@pytest.mark.slow
def test_two_writers_at_once_both_succeed(store):
    errors: list[Exception] = []

    def worker(name: str) -> None:
        for i in range(25):
            try:
                with store.write() as session:
                    add_person(session, surname=f"{name}{i}")
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("Sync", "Ui", "Audit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(surnames(store)) == 75
