"""Records the law makes final (journal, issued decision, audit trail, signed visit) are append-only."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.errors import FinalRecordError
from storage.ids import new_id
from storage.models import AuditEvent, Decision, HomeVisit, JournalEntry
from tests.storage.helpers import add_client, add_person, last_seq, outbox_after, surnames

NOW = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def client(store):
    with store.write() as session:
        return add_client(session, add_person(session))


def add(store, obj):
    with store.write() as session:
        session.add(obj)
    return obj.id


def edit(store, model, row_id, **values) -> None:
    with store.write() as session:
        row = session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)


def assert_refused(store, model, row_id, **values) -> None:
    start = last_seq(store)
    with store.session() as session:
        before = {k: getattr(session.get(model, row_id), k) for k in values}
    with pytest.raises(FinalRecordError):
        edit(store, model, row_id, **values)
    with store.session() as session:
        assert {k: getattr(session.get(model, row_id), k) for k in values} == before
    assert outbox_after(store, start) == []


def test_journal_entry_cannot_be_edited_or_tombstoned_after_commit(store, client):
    entry = add(store, JournalEntry(id=new_id(), client_id=client.id, occurred_at=NOW, kind="phone",
                                    topic="Zvans par pabalstu"))
    assert_refused(store, JournalEntry, entry, topic="Pārrakstīts")
    assert_refused(store, JournalEntry, entry, deleted=True)


def test_correction_of_a_journal_entry_is_a_new_entry_pointing_to_the_old(store, client):
    entry = add(store, JournalEntry(id=new_id(), client_id=client.id, occurred_at=NOW, kind="phone", topic="Zvans"))
    start = last_seq(store)
    correction = add(store, JournalEntry(id=new_id(), client_id=client.id, occurred_at=NOW, kind="phone",
                                         topic="Zvans (labots)", corrects_entry_id=entry))
    [record] = outbox_after(store, start)
    assert (record.op, record.row_id, record.fields["corrects_entry_id"]) == ("insert", correction, str(entry))


def test_decision_is_editable_as_draft_and_final_once_issued(store, client):
    decision = add(store, Decision(id=new_id(), client_id=client.id, kind="grant"))
    edit(store, Decision, decision, facts="Ģimenē trīs bērni", amount_cents=10900)
    start = last_seq(store)
    edit(store, Decision, decision, status="issued", issued_on=dt.date(2026, 11, 23), number="SD-2026/17")
    [issuing] = outbox_after(store, start)  # the transition itself is a normal, recorded edit
    assert issuing.op == "update" and issuing.fields["status"] == "issued"
    assert_refused(store, Decision, decision, facts="Labots pēc izdošanas")
    assert_refused(store, Decision, decision, status="draft")
    assert_refused(store, Decision, decision, deleted=True)


def test_issued_decision_stays_final_even_when_its_status_was_not_loaded(store, client):
    decision = add(store, Decision(id=new_id(), client_id=client.id, kind="grant", status="issued"))
    with pytest.raises(FinalRecordError):
        with store.write() as session:
            row = session.get(Decision, decision)
            session.expire(row, ["status"])
            row.status = "draft"  # SQLAlchemy has no "before" value for it now
            row.facts = "Pārrakstīts"
    with store.session() as session:
        assert (session.get(Decision, decision).status, session.get(Decision, decision).facts) == ("issued", None)


def test_audit_event_is_append_only(store, client):
    event = add(store, AuditEvent(id=new_id(), at=NOW, user_id=store.user_id, device_id=store.device_id,
                                  action="print", entity="clients", entity_id=client.id, client_id=client.id))
    assert_refused(store, AuditEvent, event, action="nothing")
    assert_refused(store, AuditEvent, event, deleted=True)


def test_home_visit_is_editable_until_signed(store, client):
    visit = add(store, HomeVisit(id=new_id(), client_id=client.id, template_id="home-visit", template_version=1,
                                 purpose="Dzīves apstākļu novērtēšana", planned_on=dt.date(2026, 11, 25)))
    edit(store, HomeVisit, visit, status="in_progress", findings="Mājoklis silts")
    edit(store, HomeVisit, visit, findings="Mājoklis silts, ledusskapis tukšs")
    edit(store, HomeVisit, visit, status="signed", signed_at=NOW, signed_by_user_id=store.user_id)
    assert_refused(store, HomeVisit, visit, findings="Labots vēlāk")
    assert_refused(store, HomeVisit, visit, status="in_progress")


def test_a_refused_edit_takes_the_rest_of_its_transaction_with_it(store, client):
    entry = add(store, JournalEntry(id=new_id(), client_id=client.id, occurred_at=NOW, kind="note", topic="A"))
    start = last_seq(store)
    with pytest.raises(FinalRecordError):
        with store.write() as session:
            add_person(session, surname="Kalniņš")
            session.get(JournalEntry, entry).topic = "B"
    assert outbox_after(store, start) == []
    assert "Kalniņš" not in surnames(store)
