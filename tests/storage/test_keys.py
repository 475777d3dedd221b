"""Key slots: every user of the laptop opens the same store with their own passphrase; the office can recover."""

from __future__ import annotations

import json

import pytest

from storage.errors import LietaError, StoreError, UnknownUser, WrongPassphrase
from storage.keys import generate_office_key, load_office_private_key, parse_office_public_key
from storage.store import Store, change_passphrase, reset_passphrase_with_office_key
from tests.conftest import LOGIN, PASSPHRASE, snapshot
from tests.storage.helpers import OTHER_SURNAME, SURNAME, add_person, surnames

SECOND = "baiba"
SECOND_PASSPHRASE = "Baibas-parole-77"
OFFICE_PASSPHRASE = "Centra-atslēga-2026"


def slots_doc(store) -> dict:
    return json.loads(store.paths.key_slots.read_bytes())


def reopen(data_dir, login=LOGIN, passphrase=PASSPHRASE) -> Store:
    return Store.open(data_dir, login, passphrase)


def test_second_user_opens_the_same_store_with_their_own_passphrase(store, data_dir):
    with store.write() as session:
        add_person(session)
    store.add_key_slot(SECOND, SECOND_PASSPHRASE)
    store.lock()
    for login, passphrase in [(LOGIN, PASSPHRASE), (SECOND, SECOND_PASSPHRASE)]:
        opened = reopen(data_dir, login, passphrase)
        assert surnames(opened) == [SURNAME]
        assert opened.login == login
        opened.lock()
    with pytest.raises(WrongPassphrase):  # each passphrase opens its own slot only
        reopen(data_dir, SECOND, PASSPHRASE)


def test_removed_user_can_no_longer_open_the_store(store, data_dir):
    store.add_key_slot(SECOND, SECOND_PASSPHRASE)
    store.remove_key_slot(SECOND)
    assert sorted(slots_doc(store)["passphrase_slots"]) == [LOGIN]
    store.lock()
    with pytest.raises(WrongPassphrase) as caught:
        reopen(data_dir, SECOND, SECOND_PASSPHRASE)
    assert isinstance(caught.value, UnknownUser)
    reopen(data_dir).lock()  # the remaining user is unaffected


def test_removing_the_last_user_without_recovery_slot_is_refused(store, data_dir):
    before = store.paths.key_slots.read_bytes()
    with pytest.raises(StoreError) as caught:
        store.remove_key_slot(LOGIN)
    assert "last user" in str(caught.value)
    assert store.paths.key_slots.read_bytes() == before
    store.lock()
    reopen(data_dir).lock()


def test_last_user_may_be_removed_when_the_office_can_recover(store, data_dir):
    pem, public = generate_office_key(OFFICE_PASSPHRASE)
    store.set_recovery_key(parse_office_public_key(public))
    store.remove_key_slot(LOGIN)
    store.lock()
    assert slots_doc(store)["passphrase_slots"] == {}
    with pytest.raises(WrongPassphrase):
        reopen(data_dir)
    reset_passphrase_with_office_key(data_dir, load_office_private_key(pem, OFFICE_PASSPHRASE), LOGIN, "Jauna-1")
    reopen(data_dir, LOGIN, "Jauna-1").lock()


def test_change_passphrase_rewraps_one_slot_and_leaves_the_database_untouched(store, data_dir):
    with store.write() as session:
        add_person(session)
    store.add_key_slot(SECOND, SECOND_PASSPHRASE)
    store.lock()
    database_before = store.paths.database.read_bytes()
    second_slot_before = slots_doc(store)["passphrase_slots"][SECOND]
    change_passphrase(data_dir, LOGIN, PASSPHRASE, "Jauna-parole-2027")
    assert store.paths.database.read_bytes() == database_before
    assert slots_doc(store)["passphrase_slots"][SECOND] == second_slot_before
    with pytest.raises(WrongPassphrase):
        reopen(data_dir, LOGIN, PASSPHRASE)
    opened = reopen(data_dir, LOGIN, "Jauna-parole-2027")
    assert surnames(opened) == [SURNAME]
    opened.lock()
    reopen(data_dir, SECOND, SECOND_PASSPHRASE).lock()


def test_change_passphrase_with_wrong_old_passphrase_changes_nothing(store, data_dir):
    store.lock()
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase):
        change_passphrase(data_dir, LOGIN, "not-it", "Jauna-parole-2027")
    assert snapshot(data_dir) == before
    reopen(data_dir).lock()


def test_office_recovers_a_forgotten_passphrase_without_losing_unsent_work(store, data_dir):
    pem, public = generate_office_key(OFFICE_PASSPHRASE)
    assert b"ENCRYPTED PRIVATE KEY" in pem  # the office key file itself is passphrase-protected
    store.set_recovery_key(parse_office_public_key(public))
    with store.write() as session:  # written after the recovery slot was made, never synced
        add_person(session)
        add_person(session, surname=OTHER_SURNAME)
    store.lock()
    office_key = load_office_private_key(pem, OFFICE_PASSPHRASE)
    reset_passphrase_with_office_key(data_dir, office_key, LOGIN, "Atjaunota-parole-1")
    with pytest.raises(WrongPassphrase):
        reopen(data_dir, LOGIN, PASSPHRASE)
    opened = reopen(data_dir, LOGIN, "Atjaunota-parole-1")
    assert surnames(opened) == sorted([SURNAME, OTHER_SURNAME])
    opened.lock()


def test_a_different_office_key_cannot_recover_the_store(store, data_dir):
    _pem, public = generate_office_key(OFFICE_PASSPHRASE)
    store.set_recovery_key(parse_office_public_key(public))
    store.lock()
    other_pem, _other_public = generate_office_key(OFFICE_PASSPHRASE)
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase):
        reset_passphrase_with_office_key(
            data_dir, load_office_private_key(other_pem, OFFICE_PASSPHRASE), LOGIN, "Uzbrucējs-1")
    assert snapshot(data_dir) == before
    with pytest.raises(WrongPassphrase):
        reopen(data_dir, LOGIN, "Uzbrucējs-1")


def test_store_without_recovery_slot_cannot_be_recovered(store, data_dir):
    store.lock()
    before = snapshot(data_dir)
    pem, _public = generate_office_key(OFFICE_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        reset_passphrase_with_office_key(data_dir, load_office_private_key(pem, OFFICE_PASSPHRASE), LOGIN, "x-1")
    assert slots_doc(store)["recovery_slot"] is None
    assert snapshot(data_dir) == before


def test_office_key_file_needs_its_own_passphrase():
    pem, _public = generate_office_key(OFFICE_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        load_office_private_key(pem, "wrong")
    with pytest.raises(WrongPassphrase):
        load_office_private_key(b"-----BEGIN NOTHING-----", OFFICE_PASSPHRASE)


@pytest.mark.parametrize("text", ["", "not base64!", "AAAA", "A" * 60])
def test_malformed_office_public_key_is_refused(text):
    with pytest.raises(LietaError, match="office public key"):
        parse_office_public_key(text)


def test_slot_moved_to_another_login_does_not_open(store, data_dir):
    """Slots are bound to their login: copying anna's slot under a new name gives no one access."""
    doc = slots_doc(store)
    doc["passphrase_slots"]["mallory"] = doc["passphrase_slots"][LOGIN]
    store.paths.key_slots.write_text(json.dumps(doc))
    store.lock()
    with pytest.raises(WrongPassphrase):
        reopen(data_dir, "mallory", PASSPHRASE)
    reopen(data_dir).lock()
