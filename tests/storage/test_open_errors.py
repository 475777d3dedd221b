"""Opening a store tells apart a wrong passphrase, a damaged file and a plaintext file — and changes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from storage.backup import verify_database
from storage.errors import DamagedStore, PlaintextStoreRefused, StoreNotFound, UnknownUser, WrongPassphrase
from storage.keys import KeySlots
from storage.models import Person
from storage.paths import StorePaths
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE, snapshot
from tests.storage.helpers import SURNAME, add_person, flip_bytes, page_offset


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with a few hundred persons (a file of many pages), closed: every byte is on disk."""
    folder = tmp_path_factory.mktemp("template") / "data"
    made = Store.create(folder, LOGIN, PASSPHRASE, display_name="Anna Kalniņa", roles=["social_worker"])
    with made.write() as session:
        for i in range(200):
            add_person(session, surname=f"{SURNAME}{i}", address="Skolas iela 5, Ērgļi " * 8)
    with made.session() as session:
        root_page = session.scalar(text("SELECT rootpage FROM sqlite_master WHERE name = 'persons'"))
    made.lock()
    return folder, root_page


@pytest.fixture
def closed_store(template, data_dir):
    """A fresh copy of the template's files for each test (a closed store is just its files)."""
    folder, root_page = template
    shutil.copytree(folder, data_dir)
    return SimpleNamespace(paths=StorePaths(data_dir), persons_root_page=root_page)


def open_and_read(data_dir, passphrase=PASSPHRASE) -> None:
    opened = Store.open(data_dir, LOGIN, passphrase)
    try:
        with opened.session() as session:
            session.scalars(select(Person)).all()
    finally:
        opened.lock()


def test_wrong_passphrase_is_refused_as_wrong_passphrase(closed_store, data_dir):
    with pytest.raises(WrongPassphrase) as caught:
        Store.open(data_dir, LOGIN, PASSPHRASE + "x")
    assert type(caught.value) is WrongPassphrase
    assert caught.value.code == "wrong_passphrase"


def test_wrong_passphrase_changes_no_file(closed_store, data_dir):
    before = snapshot(data_dir)
    for attempt in ["", "pareiza-parole-2026!", PASSPHRASE.upper(), PASSPHRASE + " "]:
        with pytest.raises(WrongPassphrase):
            Store.open(data_dir, LOGIN, attempt)
    assert snapshot(data_dir) == before


def test_unknown_login_looks_exactly_like_a_wrong_passphrase(closed_store, data_dir):
    before = snapshot(data_dir)
    with pytest.raises(UnknownUser) as unknown:
        Store.open(data_dir, "nobody", PASSPHRASE)
    with pytest.raises(WrongPassphrase) as wrong:
        Store.open(data_dir, LOGIN, "wrong")
    assert isinstance(unknown.value, WrongPassphrase)
    assert str(unknown.value) == str(wrong.value) == str(WrongPassphrase())
    assert unknown.value.code == wrong.value.code
    assert snapshot(data_dir) == before


def test_damaged_page_of_the_persons_table_is_damage_not_wrong_passphrase(closed_store, data_dir):
    database = closed_store.paths.database
    pages = database.stat().st_size // 4096
    assert 1 < closed_store.persons_root_page < pages  # a page inside the file, not its header
    flip_bytes(database, page_offset(closed_store.persons_root_page))
    with pytest.raises(DamagedStore) as caught:
        open_and_read(data_dir)
    assert not isinstance(caught.value, WrongPassphrase)
    # The passphrase itself is still right: its slot unwraps.
    KeySlots.load(closed_store.paths.key_slots).unwrap_user(LOGIN, PASSPHRASE).wipe()


def test_damaged_page_in_the_middle_of_the_file_fails_the_integrity_check(closed_store, data_dir):
    database = closed_store.paths.database
    key = KeySlots.load(closed_store.paths.key_slots).unwrap_user(LOGIN, PASSPHRASE)
    verify_database(database, key)  # sound before the damage
    middle = database.stat().st_size // 4096 // 2
    flip_bytes(database, page_offset(middle))
    with pytest.raises(DamagedStore):
        verify_database(database, key)


def test_damaged_first_page_is_damage_at_open(closed_store, data_dir):
    flip_bytes(closed_store.paths.database, page_offset(1))
    with pytest.raises(DamagedStore):
        Store.open(data_dir, LOGIN, PASSPHRASE)


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],
    lambda raw: b"\x00" * len(raw),
    lambda raw: raw.replace(b'"passphrase_slots"', b'"passphrase_slotz"'),
    lambda raw: json.dumps({"format": 99}).encode(),
    lambda raw: b"\xff\xfe not json",
    lambda raw: b"",
], ids=["truncated", "zeroed", "renamed-key", "unknown-format", "not-utf8", "empty"])
def test_damaged_key_slots_file_is_damage_not_wrong_passphrase(closed_store, data_dir, damage):
    slots = closed_store.paths.key_slots
    slots.write_bytes(damage(slots.read_bytes()))
    before = snapshot(data_dir)
    with pytest.raises(DamagedStore) as caught:
        Store.open(data_dir, LOGIN, PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphrase)
    assert snapshot(data_dir) == before


def test_missing_key_slots_file_is_damage(closed_store, data_dir):
    closed_store.paths.key_slots.unlink()
    with pytest.raises(DamagedStore):
        Store.open(data_dir, LOGIN, PASSPHRASE)


def test_key_slot_weakened_below_the_kdf_floor_is_refused_as_damage(closed_store, data_dir):
    """Someone lowering the Argon2id cost in the file to speed up guessing gets no answer at all."""
    doc = json.loads(closed_store.paths.key_slots.read_bytes())
    doc["passphrase_slots"][LOGIN]["kdf"]["m"] = 1024
    closed_store.paths.key_slots.write_text(json.dumps(doc))
    with pytest.raises(DamagedStore):
        Store.open(data_dir, LOGIN, PASSPHRASE)


@pytest.mark.parametrize("keep", [0, 10, 4096, 0.5], ids=["empty", "10-bytes", "one-page", "half"])
def test_truncated_database_is_damage_and_is_not_rebuilt(closed_store, data_dir, keep):
    database = closed_store.paths.database
    raw = database.read_bytes()
    cut = raw[: int(len(raw) * keep)] if isinstance(keep, float) else raw[:keep]
    database.write_bytes(cut)
    before = snapshot(data_dir)
    with pytest.raises(DamagedStore):
        open_and_read(data_dir)
    # An empty file must not silently become a new, empty store (nor get a "before-upgrade" backup).
    assert snapshot(data_dir) == before


def test_plaintext_sqlite_file_is_refused_and_left_byte_identical(closed_store, data_dir):
    database = closed_store.paths.database
    database.unlink()
    with sqlite3.connect(database) as plain:
        plain.execute("CREATE TABLE persons (surname TEXT)")
        plain.execute("INSERT INTO persons VALUES ('Bērziņš')")
    plain.close()
    before = snapshot(data_dir)
    with pytest.raises(PlaintextStoreRefused):
        Store.open(data_dir, LOGIN, PASSPHRASE)
    assert snapshot(data_dir) == before
    assert not database.with_name("lieta.db-wal").exists()


def test_missing_database_is_not_found_not_damage(data_dir):
    with pytest.raises(StoreNotFound):
        Store.open(data_dir, LOGIN, PASSPHRASE)
    assert not data_dir.exists() or not any(data_dir.iterdir())
