"""Every write appends its change records to the outbox in the same transaction — or writes nothing at all."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage import migrate
from storage.errors import FinalRecordError
from storage.ids import parse_hlc
from storage.models import Client, OutboxEntry, Person
from storage.outbox import content_columns, record_bulk_inserts
from tests.storage.helpers import (
    ADDRESS, OTHER_SURNAME, SURNAME, add_client, add_person, count, device_state, last_seq, outbox_after,
)


def test_person_and_client_in_one_write_give_two_records_in_one_transaction(store):
    start = last_seq(store)
    with store.write() as session:
        person = add_person(session, address=ADDRESS)
        client = add_client(session, person)
    records = outbox_after(store, start)
    assert [r.seq for r in records] == [start + 1, start + 2]
    assert [(r.entity, r.row_id, r.op) for r in records] == [("persons", person.id, "insert"),
                                                             ("clients", client.id, "insert")]
    assert records[0].tx_id == records[1].tx_id
    assert records[0].hlc < records[1].hlc
    for record in records:
        assert record.base_version is None
        assert record.schema_version == migrate.SCHEMA_VERSION
        assert record.device_id == store.device_id and record.user_id == store.user_id
        assert record.op_id.version == 7
    assert records[0].fields["surname"] == SURNAME and records[0].fields["personal_code"] == "050385-12347"
    assert records[0].fields["address"] == ADDRESS and records[0].fields["deleted"] is False
    assert set(records[0].fields) == set(content_columns(Person))
    assert not {"id", "search_rowid", "server_version", "created_at", "author_user_id"} & set(records[0].fields)
    assert records[1].fields["person_id"] == str(person.id)


def test_update_sends_only_the_changed_fields_and_its_base_version(store):
    with store.write() as session:
        person = add_person(session)
    with Session(store.engine) as session, session.begin():  # the server accepted it at version 41
        session.info["applying_remote"] = True
        session.get(Person, person.id).server_version = 41
    start = last_seq(store)
    with store.write() as session:
        loaded = session.get(Person, person.id)
        loaded.address = ADDRESS
        loaded.surname = SURNAME  # unchanged value: not a change
    [record] = outbox_after(store, start)
    assert (record.op, record.row_id, record.base_version) == ("update", person.id, 41)
    assert record.fields == {"address": ADDRESS}
    with store.write() as session:
        session.get(Person, person.id).phone = session.get(Person, person.id).phone  # no change at all
    assert last_seq(store) == start + 1


def test_separate_transactions_have_separate_ids_and_increasing_stamps(store):
    start = last_seq(store)
    for name in (SURNAME, OTHER_SURNAME):
        with store.write() as session:
            add_person(session, surname=name)
    first, second = outbox_after(store, start)
    assert first.tx_id != second.tx_id and second.seq == first.seq + 1
    assert parse_hlc(first.hlc) < parse_hlc(second.hlc) and first.hlc < second.hlc


def test_device_state_follows_the_outbox(store):
    with store.write() as session:
        add_person(session)
        add_person(session, surname=OTHER_SURNAME)
    state = device_state(store)
    with store.session() as session:
        newest = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc())).first()
    assert state.next_seq == newest.seq + 1
    assert state.last_hlc == newest.hlc


def test_exception_inside_a_write_leaves_no_rows_and_no_records(store):
    start, persons, state = last_seq(store), count(store, Person), device_state(store)
    with pytest.raises(RuntimeError, match="power cut"):
        with store.write() as session:
            add_person(session)
            add_client(session, add_person(session, surname=OTHER_SURNAME))
            raise RuntimeError("power cut")
    assert outbox_after(store, start) == [] and count(store, Person) == persons and count(store, Client) == 0
    assert device_state(store).next_seq == state.next_seq


def test_constraint_violation_leaves_no_rows_no_records_and_no_gap_in_sequence(store):
    start = last_seq(store)
    with pytest.raises(sa_exc.IntegrityError):
        with store.write() as session:
            add_person(session)
            add_person(session, given_name=None)  # NOT NULL
    assert outbox_after(store, start) == [] and count(store, Person) == 0
    with store.write() as session:
        add_person(session)
    [record] = outbox_after(store, start)
    assert record.seq == start + 1  # the failed write used up no sequence number


def test_tombstone_is_a_delete_record(store):
    with store.write() as session:
        person = add_person(session)
    start = last_seq(store)
    with store.write() as session:
        session.get(Person, person.id).deleted = True
    [record] = outbox_after(store, start)
    assert (record.op, record.row_id, record.fields) == ("delete", person.id, {"deleted": True})
    with store.session() as session:  # soft: the row stays, marked
        assert session.get(Person, person.id).deleted is True


def test_hard_delete_of_a_synced_row_is_refused(store):
    with store.write() as session:
        person = add_person(session)
    start = last_seq(store)
    with pytest.raises(FinalRecordError):
        with store.write() as session:
            session.delete(session.get(Person, person.id))
    assert count(store, Person) == 1 and outbox_after(store, start) == []


def test_change_to_a_value_that_was_not_loaded_is_still_recorded(store):
    """An expired (or re-attached) object has no "before" value; clearing a field must still sync."""
    with store.write() as session:
        person = add_person(session, address=ADDRESS)
    start = last_seq(store)
    with store.write() as session:
        loaded = session.get(Person, person.id)
        session.expire(loaded, ["address"])
        loaded.address = None
    [record] = outbox_after(store, start)
    assert (record.op, record.fields) == ("update", {"address": None})


def test_remote_changes_write_no_outbox_records(store):
    start = last_seq(store)
    with Session(store.engine) as session, session.begin():
        session.info["applying_remote"] = True
        add_person(session)
    assert outbox_after(store, start) == [] and count(store, Person) == 1


def test_bulk_insert_writes_n_rows_and_n_records_with_consecutive_seqs(store):
    start = last_seq(store)
    rows = [{"given_name": "Jānis", "surname": f"{SURNAME}{i}", "personal_code": None} for i in range(50)]
    with store.write() as session:
        assert record_bulk_inserts(session, Person, rows) == 50
    records = outbox_after(store, start)
    assert [r.seq for r in records] == list(range(start + 1, start + 51))
    assert len({r.tx_id for r in records}) == 1 and len({r.op_id for r in records}) == 50
    assert all(r.op == "insert" and r.entity == "persons" and r.base_version is None for r in records)
    assert [r.hlc for r in records] == sorted({r.hlc for r in records})
    assert all(isinstance(r.op_id, uuid.UUID) and r.op_id.version == 7 for r in records)
    assert set(records[0].fields) == set(content_columns(Person)) and records[7].fields["surname"] == f"{SURNAME}7"
    with store.session() as session:
        stored = {p.id: p for p in session.scalars(select(Person))}
        hits = session.execute(text("SELECT count(*) FROM person_search WHERE person_search MATCH 'berzins7'"))
        assert hits.scalar() == 1  # the search index saw the bulk rows too
    assert {r.row_id for r in records} == set(stored) and len(stored) == 50
    assert all(p.author_device_id == store.device_id and p.deleted is False for p in stored.values())
    assert device_state(store).next_seq == start + 51


def test_failed_bulk_insert_leaves_nothing(store):
    start = last_seq(store)
    with pytest.raises(RuntimeError):
        with store.write() as session:
            record_bulk_inserts(session, Person, [{"given_name": "A", "surname": "B"} for _ in range(10)])
            raise RuntimeError("cancelled")
    assert count(store, Person) == 0 and outbox_after(store, start) == []
