"""The central service applies pushed changes exactly once, merges field by field and keeps every losing value."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from storage.ids import HybridLogicalClock, new_id
from sync.protocol import Change, PullRequest, PushBatch, UpgradeRequired, decode, encode
from sync.server.apply import RevokedDevice, UnknownDevice, apply_push
from sync.server.feed import pull
from sync.server.schema import change_log, conflicts, devices, records, server_state

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
LAPTOP_A, LAPTOP_B = uuid.UUID(int=0xA << 64 | 1), uuid.UUID(int=0xB << 64 | 2)
READER = uuid.UUID(int=0xC << 64 | 3)  # the head's laptop: it receives every change


@pytest.fixture
def db(server_engine):
    """The central service's database — every test runs on SQLite and on PostgreSQL."""
    engine = server_engine
    with engine.begin() as conn:
        conn.execute(server_state.insert().values(singleton=1, epoch="e1", version=0, min_pull_schema=3))
        for device in (LAPTOP_A, LAPTOP_B, READER):
            conn.execute(devices.insert().values(id=device, name=str(device)[-4:], last_applied_seq=0,
                                                 parish_ids=[], municipal=True, enrolled_at=NOW))
    return engine


class Laptop:
    """Enough of a laptop to make change records: its sequence numbers and its clock (wall time injectable)."""

    def __init__(self, device_id, wall_ms):
        self.device_id, self.seq = device_id, 0
        self.clock = HybridLogicalClock(wall_ms=lambda: wall_ms[0])

    def change(self, entity, row_id, op, fields, base=None):
        self.seq += 1
        return Change(op_id=new_id(), tx_id=new_id(), device_id=self.device_id, device_seq=self.seq, user_id=None,
                      entity=entity, row_id=row_id, op=op, base_version=base, fields=fields, hlc=self.clock.now(),
                      schema_version=4)


def push(db, laptop_id, changes, server_clock=None):
    batch = decode(encode(PushBatch(device_id=laptop_id, epoch="e1", schema_version=4, changes=changes)))
    with db.begin() as conn:
        # the merge rules alone: scope and roles are tested with real users in test_sync_engine.py
        return apply_push(conn, batch, server_clock or HybridLogicalClock(), now=NOW, authorise=False)


def record(db, entity, row_id):
    with db.connect() as conn:
        return conn.execute(select(records).where(records.c.entity == entity, records.c.row_id == row_id)).one()


def count(db, table):
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.fixture
def laptops():
    wall = [1_795_400_000_000]
    return Laptop(LAPTOP_A, wall), Laptop(LAPTOP_B, wall), wall


def test_the_same_batch_twice_applies_once(db, laptops):
    a, _b, _w = laptops
    person = new_id()
    changes = [a.change("persons", person, "insert", {"given_name": "Līga", "surname": "Ozoliņa"}),
               a.change("persons", person, "update", {"surname": "Bērziņa"}, base=1)]
    first = push(db, LAPTOP_A, changes)
    again = push(db, LAPTOP_A, changes)  # the reply was lost; the laptop sends the same batch again
    assert [r.result for r in first.results] == ["applied", "applied"]
    assert [r.result for r in again.results] == ["duplicate", "duplicate"]
    assert again.last_applied_seq == 2 and count(db, change_log) == 2
    assert record(db, "persons", person).fields["surname"] == "Bērziņa"


def test_ops_after_a_gap_wait_until_the_missing_ones_arrive(db, laptops):
    a, _b, _w = laptops
    person = new_id()
    first, second, third = (a.change("persons", person, "insert", {"surname": "Kalns"}),
                            a.change("persons", person, "update", {"surname": "Kalniņš"}, base=1),
                            a.change("persons", person, "update", {"phone": "+371 20000000"}, base=1))
    reply = push(db, LAPTOP_A, [first, third])  # the second arrives later (another USB bundle)
    assert reply.last_applied_seq == 1 and [r.device_seq for r in reply.results] == [1]
    reply = push(db, LAPTOP_A, [second, third])
    assert reply.last_applied_seq == 3
    assert record(db, "persons", person).fields == {"surname": "Kalniņš", "phone": "+371 20000000"}


def test_offline_edits_to_different_fields_both_survive(db, laptops):
    a, b, _w = laptops
    person = new_id()
    push(db, LAPTOP_A, [a.change("persons", person, "insert", {"surname": "Egle", "phone": None, "email": None})])
    push(db, LAPTOP_A, [a.change("persons", person, "update", {"phone": "+371 21111111"}, base=1)])
    push(db, LAPTOP_B, [b.change("persons", person, "update", {"email": "egle@example.lv"}, base=1)])
    assert record(db, "persons", person).fields == {"surname": "Egle", "phone": "+371 21111111",
                                                   "email": "egle@example.lv"}
    assert count(db, conflicts) == 0


@pytest.mark.parametrize("b_first", [True, False])
def test_offline_edits_to_the_same_field_keep_both_values_in_either_order(db, laptops, b_first):
    a, b, wall = laptops
    person = new_id()
    push(db, LAPTOP_A, [a.change("persons", person, "insert", {"surname": "Liepa"})])
    older = a.change("persons", person, "update", {"surname": "Liepiņa"}, base=1)
    wall[0] += 60_000  # B edits a minute later, both offline
    newer = b.change("persons", person, "update", {"surname": "Liepa-Ozola"}, base=1)
    for laptop, change in ([(LAPTOP_B, newer), (LAPTOP_A, older)] if b_first else [(LAPTOP_A, older), (LAPTOP_B, newer)]):
        push(db, laptop, [change])
    assert record(db, "persons", person).fields["surname"] == "Liepa-Ozola"  # the later edit wins, whatever the order
    with db.connect() as conn:
        [conflict] = conn.execute(select(conflicts)).all()
    assert conflict.fields == {"surname": "Liepiņa"} and conflict.winning == {"surname": "Liepa-Ozola"}
    assert conflict.losing_device_id == LAPTOP_A


def test_a_field_group_merges_whole(db, laptops):
    a, b, wall = laptops
    person = new_id()
    parish = str(new_id())
    push(db, LAPTOP_A, [a.change("persons", person, "insert", {"address": "Skolas 1", "parish_id": None})])
    push(db, LAPTOP_A, [a.change("persons", person, "update", {"address": "Dārza 5"}, base=1)])
    wall[0] -= 5_000  # B's edit was earlier: it loses as a whole unit, even though it changed another field
    push(db, LAPTOP_B, [b.change("persons", person, "update", {"parish_id": parish}, base=1)])
    assert record(db, "persons", person).fields == {"address": "Dārza 5", "parish_id": None}
    assert count(db, conflicts) == 1


def test_an_edit_to_a_final_record_is_refused_and_the_rest_of_the_batch_applies(db, laptops):
    a, _b, _w = laptops
    entry, person = new_id(), new_id()
    push(db, LAPTOP_A, [a.change("journal_entries", entry, "insert", {"topic": "Konsultācija"})])
    reply = push(db, LAPTOP_A, [a.change("journal_entries", entry, "update", {"topic": "Labots"}, base=1),
                                a.change("persons", person, "insert", {"surname": "Vītola"})])
    assert [(r.result, r.reason) for r in reply.results] == [("rejected", "final_record"), ("applied", None)]
    assert reply.last_applied_seq == 3  # the rejected op is quarantined on the laptop, not retried
    assert record(db, "journal_entries", entry).fields == {"topic": "Konsultācija"}


def test_an_issued_decision_is_final_but_a_draft_is_not(db, laptops):
    a, _b, _w = laptops
    decision = new_id()
    push(db, LAPTOP_A, [a.change("decisions", decision, "insert", {"status": "draft", "amount_cents": 100})])
    assert push(db, LAPTOP_A, [a.change("decisions", decision, "update", {"status": "issued"}, base=1)]
                ).results[0].result == "applied"
    reply = push(db, LAPTOP_A, [a.change("decisions", decision, "update", {"amount_cents": 900}, base=2)])
    assert (reply.results[0].result, reply.results[0].reason) == ("rejected", "final_record")


def test_delete_wins_and_a_later_offline_edit_is_kept_as_a_conflict(db, laptops):
    a, b, wall = laptops
    person = new_id()
    push(db, LAPTOP_A, [a.change("persons", person, "insert", {"surname": "Ozols"})])
    push(db, LAPTOP_A, [a.change("persons", person, "delete", {}, base=1)])
    wall[0] += 86_400_000 * 30  # B was offline for a month and edits the deleted person
    reply = push(db, LAPTOP_B, [b.change("persons", person, "update", {"surname": "Ozoliņš"}, base=1)])
    assert (reply.results[0].result, reply.results[0].reason) == ("conflict", "edited_after_delete")
    assert record(db, "persons", person).deleted
    with db.connect() as conn:
        assert conn.execute(select(conflicts.c.fields)).scalar_one() == {"surname": "Ozoliņš"}


def test_unknown_entities_and_rows_are_refused_per_op(db, laptops):
    a, _b, _w = laptops
    reply = push(db, LAPTOP_A, [a.change("secrets", new_id(), "insert", {"x": 1}),
                                a.change("persons", new_id(), "update", {"surname": "Nav"}, base=4)])
    assert [r.reason for r in reply.results] == ["unknown_entity", "unknown_row"]


def test_an_unknown_or_revoked_device_is_refused_whole(db, laptops):
    a, _b, _w = laptops
    with pytest.raises(UnknownDevice):
        push(db, uuid.UUID(int=7), [])
    with db.begin() as conn:
        conn.execute(devices.update().where(devices.c.id == LAPTOP_A).values(revoked_at=NOW))
    with pytest.raises(RevokedDevice):
        push(db, LAPTOP_A, [a.change("persons", new_id(), "insert", {"surname": "X"})])
    assert count(db, change_log) == 0


def test_pull_pages_follow_the_gap_free_version_and_resume_after_a_cut(db, laptops):
    a, b, _w = laptops
    push(db, LAPTOP_A, [a.change("persons", new_id(), "insert", {"surname": f"A{i}"}) for i in range(5)])
    push(db, LAPTOP_B, [b.change("persons", new_id(), "insert", {"surname": f"B{i}"}) for i in range(4)])
    seen, cursor = [], 0
    while True:
        with db.connect() as conn:
            page = pull(conn, PullRequest(device_id=READER, epoch="e1", after_version=cursor, schema_version=4,
                                          limit=4), HybridLogicalClock())
        page = decode(encode(page))
        seen += [c.server_version for c in page.changes]
        cursor = page.next_version  # a cut after any page resumes here
        if not page.has_more:
            break
    assert seen == list(range(1, 10)) and cursor == 9


def test_a_client_below_the_minimum_schema_still_pushes_but_is_told_to_upgrade_before_pulling(db, laptops):
    a, _b, _w = laptops
    old = Change(**{**a.change("persons", new_id(), "insert", {"surname": "Vecs"}).__dict__, "schema_version": 1})
    assert push(db, LAPTOP_A, [old]).results[0].result == "applied"
    with db.connect() as conn, pytest.raises(UpgradeRequired):
        pull(conn, PullRequest(device_id=LAPTOP_A, epoch="e1", after_version=0, schema_version=2), HybridLogicalClock())


def test_a_laptop_clock_years_behind_still_orders_after_the_servers_reply(db, laptops):
    a, _b, wall = laptops
    server_clock = HybridLogicalClock()
    person = new_id()
    reply = push(db, LAPTOP_A, [a.change("persons", person, "insert", {"surname": "Laiks"})], server_clock)
    wall[0] = 978_307_200_000  # the laptop's clock jumps back to 2001
    a.clock.receive(reply.server_hlc)
    assert a.clock.now() > reply.server_hlc


def test_concurrent_pushes_leave_no_gap_in_the_feed(db, laptops):
    """Two laptops push at the same time: every change gets the next version, and a reader polling the feed
    meanwhile never sees a later version before an earlier one committed (rule 5). On SQLite, the embedded
    default, writers queue on the file's write lock (BEGIN IMMEDIATE)."""
    import threading

    a, b, _w = laptops
    batches = {LAPTOP_A: [[a.change("persons", new_id(), "insert", {"surname": f"A{i}"})] for i in range(25)],
               LAPTOP_B: [[b.change("persons", new_id(), "insert", {"surname": f"B{i}"})] for i in range(25)]}
    errors, seen, done = [], [], threading.Event()

    def pusher(device):
        try:
            for batch in batches[device]:
                push(db, device, batch)
        except Exception as error:  # surfaced below
            errors.append(error)

    def reader():
        cursor = 0
        while not done.is_set() or cursor < 50:
            with db.connect() as conn:
                page = pull(conn, PullRequest(device_id=READER, epoch="e1", after_version=cursor, schema_version=4),
                            HybridLogicalClock())
            seen.extend(c.server_version for c in page.changes)
            cursor = page.next_version

    threads = [threading.Thread(target=pusher, args=(d,)) for d in (LAPTOP_A, LAPTOP_B)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join(timeout=60)
    assert not errors
    assert seen == list(range(1, 51))
