"""A stolen laptop gives away nothing: every file of the data folder is unreadable without the key."""

from __future__ import annotations

import base64
import sqlite3
import unicodedata

import pytest
from sqlalchemy import select

from storage.backup import create_backup
from storage.models import Person
from tests.conftest import all_bytes
from tests.storage.helpers import ADDRESS, GIVEN_NAME, OTHER_SURNAME, PERSONAL_CODE, SURNAME, add_client, add_person

SECRETS = [SURNAME, OTHER_SURNAME, GIVEN_NAME, PERSONAL_CODE, PERSONAL_CODE.replace("-", ""), ADDRESS, "Skolas iela"]


def variants(text: str) -> set[bytes]:
    """The byte forms a leak could take: UTF-8 and UTF-16, as typed, case-folded, upper case, decomposed,
    and with the diacritics stripped (the form a search index keeps)."""
    forms = {text, text.casefold(), text.upper(), unicodedata.normalize("NFD", text)}
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    forms |= {folded, folded.casefold(), folded.upper()}
    return {form.encode(encoding) for form in forms for encoding in ("utf-8", "utf-16-le")}


def assert_no_secret_in(data: bytes, where: str) -> None:
    assert data, f"{where} is empty: the check would prove nothing"
    for secret in SECRETS:
        for form in variants(secret):
            assert form not in data, f"{secret!r} ({form!r}) readable in {where}"


def write_client(store) -> None:
    with store.write() as session:
        person = add_person(session, address=ADDRESS)
        add_client(session, person)
        add_person(session, surname=OTHER_SURNAME, given_name="Ilze", personal_code=None, address=ADDRESS)


def test_the_check_itself_finds_a_name_written_in_plaintext(tmp_path):
    """Guard against a vacuous test: the same scan does catch a plaintext copy."""
    leaked = tmp_path / "leak.db"
    with sqlite3.connect(leaked) as plain:
        plain.execute("CREATE TABLE t (v TEXT)")
        plain.execute("INSERT INTO t VALUES (?)", (SURNAME.casefold(),))
    plain.close()
    with pytest.raises(AssertionError, match="readable in"):
        assert_no_secret_in(leaked.read_bytes(), "leak.db")


def test_stdlib_sqlite_cannot_read_the_store(store):
    write_client(store)
    store.lock()
    connection = sqlite3.connect(store.paths.database)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("SELECT name FROM sqlite_master").fetchall()
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("SELECT surname FROM persons").fetchall()
    finally:
        connection.close()


def test_database_and_uncheckpointed_wal_hold_no_names_or_personal_codes(store):
    write_client(store)
    wal = store.paths.database.with_name("lieta.db-wal")
    # The store is still open and nothing was checkpointed: the fresh rows live in the WAL.
    assert wal.exists() and wal.stat().st_size > 0
    with store.session() as session:  # and they really are there, readable with the key
        assert SURNAME in session.scalars(select(Person.surname)).all()
    assert_no_secret_in(wal.read_bytes(), "lieta.db-wal")
    assert_no_secret_in(store.paths.database.read_bytes(), "lieta.db")
    reader = sqlite3.connect(f"file:{store.paths.database}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            reader.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        reader.close()


def test_no_file_in_the_data_folder_holds_client_data_after_backup_and_lock(store, data_dir):
    write_client(store)
    create_backup(store.paths, store.slots, store.data_key)
    assert_no_secret_in(all_bytes(data_dir), "the open store's folder")
    store.lock()
    files = sorted(p.name for p in data_dir.rglob("*") if p.is_file())
    assert "lieta.db" in files and "keyslots.json" in files and any(f.endswith(".lietabackup") for f in files)
    assert_no_secret_in(all_bytes(data_dir), "the locked store's folder")


def test_key_slots_file_holds_no_key_or_display_name(store):
    raw_key = store.data_key.raw()
    slots = store.paths.key_slots.read_bytes()
    for form in (raw_key, raw_key.hex().encode(), base64.b64encode(raw_key)):
        assert form not in slots
    assert "Kalniņa".encode() not in slots  # the user's display name lives only inside the store
