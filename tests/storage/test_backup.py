"""Encrypted backups: made with sqlcipher_export, rotated, verified before a restore touches anything."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from storage import migrate
from storage.backup import BackupError, create_backup, describe, list_backups, read_header, restore_backup, rotate
from storage.errors import WrongPassphrase
from storage.store import Store, change_passphrase
from tests.conftest import LOGIN, PASSPHRASE, snapshot
from tests.storage.helpers import OTHER_SURNAME, SURNAME, add_person, flip_bytes, surnames


def reopen(data_dir, login=LOGIN, passphrase=PASSPHRASE) -> Store:
    return Store.open(data_dir, login, passphrase)


def backup_now(store, **kwargs):
    return create_backup(store.paths, store.slots, store.data_key, **kwargs)


@pytest.fixture
def backed_up(store, data_dir):
    """Bērziņš written before the backup, Ozoliņa after it; the store is then locked."""
    with store.write() as session:
        add_person(session)
    backup = backup_now(store)
    with store.write() as session:
        add_person(session, surname=OTHER_SURNAME)
    store.lock()
    return backup


def test_backup_and_restore_round_trip(backed_up, data_dir):
    restore_backup(data_dir, backed_up, LOGIN, PASSPHRASE)
    opened = reopen(data_dir)  # the same passphrase opens the restored store
    try:
        assert surnames(opened) == [SURNAME]  # written after the backup: gone; before: there
        with opened.session() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            hits = session.execute(text("SELECT surname FROM person_search WHERE person_search MATCH 'berzins'"))
            assert hits.scalars().all() == [SURNAME]  # the search index came along
    finally:
        opened.lock()


def test_restore_keeps_a_before_restore_backup_of_the_replaced_store(backed_up, data_dir):
    safety = restore_backup(data_dir, backed_up, LOGIN, PASSPHRASE)
    assert safety is not None and safety.exists() and describe(safety).reason == "before-restore"
    restore_backup(data_dir, safety, LOGIN, PASSPHRASE)  # undoing the restore brings Ozoliņa back
    opened = reopen(data_dir)
    assert surnames(opened) == sorted([SURNAME, OTHER_SURNAME])
    opened.lock()


def test_backup_header_describes_it_without_client_data(store):
    backup = backup_now(store, reason="manual")
    header, offset = read_header(backup)
    info = describe(backup)
    assert (info.reason, info.revision, info.store_id) == ("manual", migrate.HEAD_REVISION, store.slots.store_id)
    assert header["payload_size"] == backup.stat().st_size - offset
    assert list(header["key_slots"]["passphrase_slots"]) == [LOGIN]
    assert backup.read_bytes()[offset:offset + 16] != b"SQLite format 3\x00"  # the payload is encrypted


def test_rotation_keeps_only_the_newest(store):
    made = [backup_now(store, keep=3) for _ in range(5)]
    assert list_backups(store.paths.backups) == sorted(made[-3:], reverse=True)
    assert not made[0].exists() and not made[1].exists()
    assert rotate(store.paths.backups, keep=1) == sorted(made[-3:-1], reverse=True)
    assert list_backups(store.paths.backups) == [made[-1]]


def test_backup_to_a_usb_stick_is_not_rotated_away(store, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    on_stick = backup_now(store, destination=stick)
    for _ in range(3):
        backup_now(store, keep=1)
    assert on_stick.exists() and on_stick.parent == stick and len(list_backups(store.paths.backups)) == 1


@pytest.mark.parametrize("damage", ["truncated", "bit-flip-middle", "bit-flip-last-byte", "header-cut",
                                    "header-field-name", "header-key-slots"])
def test_damaged_backup_is_refused_and_the_store_is_unchanged(backed_up, data_dir, tmp_path, damage):
    copy = tmp_path / "copy.lietabackup"
    shutil.copy(backed_up, copy)
    raw = copy.read_bytes()
    _header, offset = read_header(copy)
    if damage == "truncated":
        copy.write_bytes(raw[: len(raw) - 4096])
    elif damage == "bit-flip-middle":
        flip_bytes(copy, len(raw) // 2, 1)
    elif damage == "bit-flip-last-byte":
        flip_bytes(copy, len(raw) - 1, 1)
    elif damage == "header-cut":
        copy.write_bytes(raw[:40])
    else:  # one flipped bit inside the header's JSON that still parses: a field name changes
        field = b'"key_slots"' if damage == "header-field-name" else b'"passphrase_slots"'
        assert raw.index(field) < offset
        copy.write_bytes(raw.replace(field, field[:-2] + bytes([field[-2] ^ 1]) + b'"', 1))
    before = snapshot(data_dir)
    with pytest.raises(BackupError):
        restore_backup(data_dir, copy, LOGIN, PASSPHRASE)
    assert snapshot(data_dir) == before
    opened = reopen(data_dir)
    assert surnames(opened) == sorted([SURNAME, OTHER_SURNAME])
    opened.lock()


@pytest.mark.parametrize("content", [b"", b"hello", b"SQLite format 3\x00" + b"\x00" * 5000,
                                     b"LIETABK1\xff\xff\xff\xff", b"LIETABK1\x00\x00\x00\x02[]",
                                     b"LIETABK1\x00\x00\x00\x02{}"])
def test_a_file_that_is_not_a_backup_is_refused(backed_up, data_dir, tmp_path, content):
    bogus = tmp_path / "bogus.lietabackup"
    bogus.write_bytes(content)
    before = snapshot(data_dir)
    with pytest.raises(BackupError):
        restore_backup(data_dir, bogus, LOGIN, PASSPHRASE)
    with pytest.raises(BackupError):
        restore_backup(data_dir, data_dir / "lieta.db", LOGIN, PASSPHRASE)
    assert snapshot(data_dir) == before


def test_restore_with_a_wrong_passphrase_changes_nothing(backed_up, data_dir):
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase):
        restore_backup(data_dir, backed_up, LOGIN, "not-it")
    assert snapshot(data_dir) == before


def test_restore_onto_a_new_laptop_uses_the_backups_own_slots(backed_up, tmp_path):
    laptop = tmp_path / "new-laptop"
    assert restore_backup(laptop, backed_up, LOGIN, PASSPHRASE) is None  # nothing there to keep
    assert sorted(p.name for p in laptop.iterdir()) == ["keyslots.json", "lieta.db"]
    opened = reopen(laptop)
    assert surnames(opened) == [SURNAME]
    opened.lock()


def test_restore_works_with_a_passphrase_changed_since_the_backup(backed_up, data_dir):
    change_passphrase(data_dir, LOGIN, PASSPHRASE, "Jauna-parole-2027")
    restore_backup(data_dir, backed_up, LOGIN, "Jauna-parole-2027")
    opened = reopen(data_dir, LOGIN, "Jauna-parole-2027")
    assert surnames(opened) == [SURNAME]
    opened.lock()


def test_restore_over_a_damaged_store_works_and_keeps_the_damaged_files(backed_up, data_dir):
    """Damage is when a restore is needed most: the damaged store cannot be exported, but is not lost."""
    database = data_dir / "lieta.db"
    for page in range(2, database.stat().st_size // 4096):
        flip_bytes(database, (page - 1) * 4096 + 100, 8)
    damaged = database.read_bytes()
    kept = restore_backup(data_dir, backed_up, LOGIN, PASSPHRASE)
    assert kept is not None and (kept / "lieta.db").read_bytes() == damaged
    opened = reopen(data_dir)
    assert surnames(opened) == [SURNAME]
    opened.lock()


def test_restoring_another_stores_backup_keeps_this_stores_unsent_work(backed_up, tmp_path):
    other = tmp_path / "other-laptop"
    made = Store.create(other, LOGIN, PASSPHRASE, display_name="Anna", roles=["social_worker"])
    with made.write() as session:
        add_person(session, surname="Nenosūtītā")
    made.lock()
    kept = restore_backup(other, backed_up, LOGIN, PASSPHRASE)
    assert kept is not None and kept.exists()
    opened = reopen(other)
    assert surnames(opened) == [SURNAME]
    opened.lock()
    restore_backup(other, kept, LOGIN, PASSPHRASE)  # the replaced store comes back whole
    opened = reopen(other)
    assert surnames(opened) == ["Nenosūtītā"]
    opened.lock()
