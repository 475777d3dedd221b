"""Laptops enrolled with the real central service (in-process, SQLite and PostgreSQL) sync through the engine:
scope, merges, conflicts, and every fault of ../shared/research/sync-anchors.md §3 that touches the network
path — each ending with nothing lost and nothing applied twice."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from sqlalchemy import func, select, update

from app import conflicts as conflict_service
from app.context import Context
from app.search import search_clients
from storage import migrate
from storage.models import (Client, DeviceState, JournalEntry, NumberBlock, OutboxEntry, Parish, Person,
                            QuarantinedChange, SocialCase, SyncConflict, User)
from storage.store import Store
from sync import local
from sync.client import DeviceRevoked, ServiceUnreachable, SignInNeeded, SyncEngine
from sync.protocol import CorruptPayload, UpgradeRequired
from sync.server.database import MIN_PULL_SCHEMA
from sync.server.auth import revoke
from sync.server.schema import change_log, conflicts, devices, records, tokens
from tests.sync.conftest import PASSWORD

TODAY = dt.date(2026, 11, 23)


def add_client(laptop, surname, parish_id, *, journal=0, restricted=False, worker=None):
    """A person, their client record, an open case and ``journal`` consultations, written on ``laptop`` (or a
    store)."""
    store = getattr(laptop, "store", laptop)
    with store.write() as session:
        person = Person(given_name="Jānis", surname=surname, parish_id=uuid.UUID(parish_id), address="Skolas iela 1")
        session.add(person)
        session.flush()
        client = Client(person_id=person.id, client_type="voluntary", registered_on=TODAY, restricted=restricted,
                        parish_id=uuid.UUID(parish_id), responsible_user_id=worker or store.user_id)
        session.add(client)
        session.flush()
        case = SocialCase(client_id=client.id, opened_on=TODAY, reason="Ilgstošs bezdarbs", client_type="voluntary")
        session.add(case)
        session.flush()
        for n in range(journal):
            session.add(JournalEntry(client_id=client.id, case_id=case.id, occurred_at=dt.datetime(
                2026, 11, 23, 9, n, tzinfo=dt.timezone.utc), kind="consultation", topic=f"Konsultācija {n}"))
        return client.id, person.id


def rows(laptop, model, **where):
    with getattr(laptop, "store", laptop).session() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.scalars(query).all()


def surname_of(laptop, person_id):
    with getattr(laptop, "store", laptop).session() as session:
        person = session.get(Person, person_id)
        return None if person is None else person.surname


def set_surname(laptop, person_id, surname):
    with laptop.store.write() as session:
        session.get(Person, person_id).surname = surname


def logged(central, **where):
    with central.engine.connect() as conn:
        query = select(func.count()).select_from(change_log)
        for name, value in where.items():
            query = query.where(getattr(change_log.c, name) == value)
        return conn.execute(query).scalar_one()


def server_record(central, entity, row_id):
    with central.engine.connect() as conn:
        return conn.execute(select(records).where(records.c.entity == entity, records.c.row_id == row_id)).first()


# -- enrolment and scope ---------------------------------------------------------------------------------------
def test_enrolled_laptop_receives_reference_staff_and_its_number_blocks(central):
    laptop = central.laptop("ergli-1", "anna", central.parish_a)
    report = laptop.sync()
    assert not report.snapshot and report.pulled == 0  # the initial snapshot ran at enrolment
    assert {p.name for p in rows(laptop, Parish)} == {"Ērgļi", "Ļaudona"}
    assert {u.login for u in rows(laptop, User)} == {"anna", "ilze", "juris", "vadita"}
    anna = rows(laptop, User, login="anna")[0]
    assert anna.id == central.users["anna"] == laptop.store.user_id and anna.roles == ["social_worker"]
    blocks = rows(laptop, NumberBlock, device_id=laptop.store.device_id)
    assert {b.series for b in blocks} == {"IES", "LEM"} and all(b.author_device_id != laptop.store.device_id
                                                                for b in blocks)
    status = local.status(laptop.store)
    assert status.enrolled and status.pending == 0 and status.last_sync_at is not None and not status.snapshot_running


def test_a_client_reaches_the_laptops_of_its_parish_and_the_head_only(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    juris = central.laptop("laudona", "juris", central.parish_b)
    head = central.laptop("centrs", "vadita", municipal=True)
    client_id, person_id = add_client(anna, "Bērziņš", central.parish_a, journal=3)
    anna.sync()
    for laptop in (ilze, juris, head):
        laptop.sync()
    assert surname_of(ilze, person_id) == "Bērziņš" and len(rows(ilze, JournalEntry, client_id=client_id)) == 3
    assert surname_of(head, person_id) == "Bērziņš"
    assert surname_of(juris, person_id) is None and rows(juris, Client) == []
    hits = search_clients(Context(ilze.store, today=lambda: TODAY), "berzins").hits  # pulled rows are indexed
    assert [h.surname for h in hits] == ["Bērziņš"]


def test_a_write_outside_the_users_scope_is_quarantined_and_the_rest_applies(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    add_client(anna, "Ozols", central.parish_b)  # anna works in Ērgļi, not Ļaudona
    own_id, own_person = add_client(anna, "Kalns", central.parish_a)
    report = anna.sync()
    assert report.refused == 3  # person, client, case of the out-of-scope file
    reasons = sorted(q.reason for q in rows(anna, QuarantinedChange))
    assert reasons == ["out_of_scope", "out_of_scope", "unknown_parent"]  # the case of a refused client too
    assert server_record(central, "clients", own_id) is not None
    assert local.status(anna.store).pending == 0 and local.status(anna.store).quarantined == 3
    anna.sync()  # quarantined changes never block or repeat
    assert local.status(anna.store).quarantined == 3


def test_a_client_moving_parish_leaves_the_old_laptops_and_reaches_the_new_ones_whole(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    juris = central.laptop("laudona", "juris", central.parish_b)
    head = central.laptop("centrs", "vadita", municipal=True)
    client_id, person_id = add_client(anna, "Liepa", central.parish_a, journal=2)
    for laptop in (anna, ilze, juris, head):
        laptop.sync()
    with anna.store.write() as session:  # the family moved to Ļaudona: the client's parish follows
        session.get(Client, client_id).parish_id = uuid.UUID(central.parish_b)
        session.get(Person, person_id).parish_id = uuid.UUID(central.parish_b)
    anna.sync()
    for laptop in (ilze, juris, head):
        laptop.sync()
    assert rows(ilze, Client) == [] and surname_of(ilze, person_id) is None  # evicted, not deleted
    assert rows(juris, Client)[0].id == client_id and len(rows(juris, JournalEntry, client_id=client_id)) == 2
    assert rows(head, Client)[0].parish_id == uuid.UUID(central.parish_b)
    assert not server_record(central, "clients", client_id).deleted
    assert logged(central, op="delete") == 0


def test_a_restricted_file_stays_with_its_worker_and_the_head(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    head = central.laptop("centrs", "vadita", municipal=True)
    client_id, _person = add_client(anna, "Vītols", central.parish_a, journal=1)
    anna.sync(), ilze.sync()
    assert rows(ilze, Client)
    with anna.store.write() as session:
        session.get(Client, client_id).restricted = True
    anna.sync(), ilze.sync(), head.sync()
    assert rows(ilze, Client) == [] and rows(ilze, JournalEntry) == []
    assert rows(anna, Client)[0].restricted and rows(head, Client)[0].restricted


# -- merges and conflicts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("first", ["anna", "ilze"])
def test_the_same_field_edited_offline_on_two_laptops_keeps_both_values(central, first):
    laptops = {"anna": central.laptop("ergli-1", "anna", central.parish_a),
               "ilze": central.laptop("ergli-2", "ilze", central.parish_a)}
    _client, person_id = add_client(laptops["anna"], "Kļaviņa", central.parish_a)
    laptops["anna"].sync(), laptops["ilze"].sync()
    set_surname(laptops["anna"], person_id, "Kļaviņa-Anna")
    set_surname(laptops["ilze"], person_id, "Kļaviņa-Ilze")  # made later: the newer edit wins in both orders
    second = "ilze" if first == "anna" else "anna"
    for name in (first, second, first, second):
        laptops[name].sync()
    assert surname_of(laptops["anna"], person_id) == surname_of(laptops["ilze"], person_id) == "Kļaviņa-Ilze"
    for laptop in laptops.values():
        open_conflicts = conflict_service.unresolved(Context(laptop.store))
        assert [(c.entity, c.losing, c.standing) for c in open_conflicts] == [
            ("persons", {"surname": "Kļaviņa-Anna"}, {"surname": "Kļaviņa-Ilze"})]
    with central.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(conflicts)).scalar_one() == 1


def test_a_worker_reapplies_the_losing_value_and_every_laptop_follows(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, person_id = add_client(anna, "Zariņa", central.parish_a)
    anna.sync(), ilze.sync()
    set_surname(anna, person_id, "Zariņa-Anna")
    set_surname(ilze, person_id, "Zariņa-Ilze")
    ilze.sync(), anna.sync(), ilze.sync()
    ctx = Context(anna.store)
    [conflict] = conflict_service.unresolved(ctx)
    conflict_service.resolve(ctx, conflict.id, "reapplied")
    anna.sync(), ilze.sync()
    assert surname_of(ilze, person_id) == surname_of(anna, person_id) == "Zariņa-Anna"
    assert conflict_service.unresolved(Context(ilze.store)) == []


def test_different_fields_edited_offline_both_survive(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, person_id = add_client(anna, "Sproģe", central.parish_a)
    anna.sync(), ilze.sync()
    with anna.store.write() as session:
        session.get(Person, person_id).phone = "+371 29999999"
    with ilze.store.write() as session:
        session.get(Person, person_id).address = "Dārza iela 7"
    anna.sync(), ilze.sync(), anna.sync()
    for laptop in (anna, ilze):
        person = rows(laptop, Person, id=person_id)[0]
        assert (person.phone, person.address) == ("+371 29999999", "Dārza iela 7")
    assert conflict_service.unresolved(Context(anna.store)) == []


def test_delete_on_one_laptop_wins_over_an_edit_on_another_and_the_edit_is_kept(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, person_id = add_client(anna, "Egle", central.parish_a)
    anna.sync(), ilze.sync()
    with anna.store.write() as session:
        session.get(Person, person_id).deleted = True
    set_surname(ilze, person_id, "Egle-Ozola")  # made 30 days offline, say
    anna.sync(), ilze.sync(), anna.sync()
    for laptop in (anna, ilze):
        assert rows(laptop, Person, id=person_id)[0].deleted
    kept = [c for c in rows(anna, SyncConflict) if c.reason == "edited_after_delete"]
    assert kept and kept[0].losing == {"surname": "Egle-Ozola"}


# -- faults -------------------------------------------------------------------------------------------------------
class FlakyHttp(httpx.Client):
    """Wraps the test client: ``plan`` maps the n-th call to a fault ("cut" before sending, "lost_reply" after
    the service committed, "corrupt" reply)."""

    def __init__(self, inner, plan):
        self.inner, self.plan, self.calls = inner, dict(plan), 0

    def post(self, path, **kwargs):
        self.calls += 1
        fault = self.plan.pop(self.calls, None)
        if fault == "cut":
            raise httpx.ConnectError("link down")
        response = self.inner.post(path, **kwargs)
        if fault == "lost_reply":
            raise httpx.ReadTimeout("reply lost")
        if fault == "corrupt":
            return httpx.Response(200, content=response.content[:-7] + b"\x00" * 7, request=response.request)
        return response


def engine_with(laptop, http):
    return SyncEngine(laptop.store, http=http, password=lambda: PASSWORD, page_limit=5, batch_size=4)


def test_reply_lost_after_the_service_committed_then_retry_applies_once(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    for n in range(3):
        add_client(anna, f"Kalniņš{n}", central.parish_a)
    flaky = FlakyHttp(central.http, {1: "lost_reply"})
    with pytest.raises(ServiceUnreachable):
        engine_with(anna, flaky).sync()
    before = logged(central, device_id=anna.store.device_id)
    assert before == 4  # the first batch was applied even though its reply never arrived
    engine_with(anna, flaky).sync()
    device_seq = rows(anna, DeviceState)[0].next_seq - 1
    assert logged(central, device_id=anna.store.device_id) == device_seq == 9
    with central.engine.connect() as conn:
        assert conn.execute(select(devices.c.last_applied_seq).where(devices.c.id == anna.store.device_id)).scalar() \
            == 9


def test_a_cut_in_the_middle_of_a_push_and_of_a_pull_resumes_without_gaps_or_duplicates(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    anna.sync(), ilze.sync()
    made = [add_client(anna, f"Ozoliņš{n}", central.parish_a, journal=2)[1] for n in range(6)]
    with pytest.raises(ServiceUnreachable):
        engine_with(anna, FlakyHttp(central.http, {3: "cut"})).sync()  # two batches in, the third cut
    assert 0 < local.status(anna.store).pending < 30
    engine_with(anna, central.http).sync()
    with pytest.raises(ServiceUnreachable):
        engine_with(ilze, FlakyHttp(central.http, {4: "cut"})).sync()  # the pull cut after page 2
    partial = len(rows(ilze, JournalEntry))
    assert 0 < partial < 12
    engine_with(ilze, central.http).sync()
    assert sorted(surname_of(ilze, p) for p in made) == sorted(f"Ozoliņš{n}" for n in range(6))
    assert len(rows(ilze, JournalEntry)) == 12
    assert logged(central, device_id=anna.store.device_id) == 6 * 5


def test_a_corrupted_reply_is_refused_whole_and_the_next_sync_recovers(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    anna.sync(), ilze.sync()
    _client, person_id = add_client(anna, "Bite", central.parish_a)
    anna.sync()
    cursor = local.next_pull_request(ilze.store).after_version
    with pytest.raises(CorruptPayload):
        engine_with(ilze, FlakyHttp(central.http, {1: "corrupt"})).pull()
    assert local.next_pull_request(ilze.store).after_version == cursor and surname_of(ilze, person_id) is None
    ilze.sync()
    assert surname_of(ilze, person_id) == "Bite"


def test_a_service_restart_between_and_during_syncs_loses_nothing(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    made = [add_client(anna, f"Roze{n}", central.parish_a)[1] for n in range(4)]
    with pytest.raises(ServiceUnreachable):
        engine_with(anna, FlakyHttp(central.http, {2: "cut"})).sync()
    central.restart()
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    engine_with(anna, central.http).sync()
    ilze.sync()
    assert sorted(surname_of(ilze, p) for p in made) == [f"Roze{n}" for n in range(4)]


def test_the_service_restored_from_a_backup_gets_everything_again_under_a_new_epoch(central):
    from sync.server.database import start_new_epoch
    from sync.server.schema import metadata

    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    with central.engine.connect() as conn:  # the nightly backup
        backup = {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in metadata.sorted_tables}
    lost = [add_client(anna, f"Priede{n}", central.parish_a)[1] for n in range(3)]
    anna.sync()
    with central.engine.begin() as conn:  # the disk died; yesterday's backup is restored
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for table in metadata.sorted_tables:
            if backup[table.name]:
                conn.execute(table.insert(), backup[table.name])
    start_new_epoch(central.engine)
    central.restart()
    anna.engine = SyncEngine(anna.store, http=central.http, password=lambda: PASSWORD)
    anna.sync()
    for person_id in lost:
        assert server_record(central, "persons", person_id) is not None
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    ilze.sync()
    assert sorted(surname_of(ilze, p) for p in lost) == [f"Priede{n}" for n in range(3)]


@pytest.mark.parametrize("days", [-9000, 365])
def test_a_laptop_clock_days_wrong_gives_no_spurious_winner(central, days, monkeypatch):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, person_id = add_client(anna, "Skuja", central.parish_a)
    anna.sync(), ilze.sync()
    wrong = anna.store.clock
    shift = days * 86_400_000
    real = wrong._wall_ms
    monkeypatch.setattr(wrong, "_wall_ms", lambda: real() + shift)
    set_surname(anna, person_id, "Skuja-Anna")  # anna's clock says 2001 (or next year)
    set_surname(ilze, person_id, "Skuja-Ilze")  # ilze edits later, with the right time
    ilze.sync(), anna.sync(), ilze.sync()
    # 2001: the HLC never goes below the last sync, so ilze's later edit stands; next year: anna's stamp is not
    # trusted and her edit is ordered by arrival (after ilze's) — either way one value stands, one is logged
    expected = "Skuja-Ilze" if days < 0 else "Skuja-Anna"
    assert surname_of(anna, person_id) == surname_of(ilze, person_id) == expected
    assert len(conflict_service.unresolved(Context(ilze.store))) == 1
    offset = local.status(anna.store).clock_offset_ms
    assert abs(offset + shift) < 60_000  # the laptop knows its clock is wrong, and by how much
    assert abs(int(central.clock.last[:15]) - int(dt.datetime.now().timestamp() * 1000)) < 60_000


def test_a_revoked_laptop_erases_its_store_at_its_next_contact(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(anna, "Pūce", central.parish_a)
    anna.sync()
    with central.engine.begin() as conn:
        revoke(conn, anna.store.device_id)
    folder = anna.store.paths
    with pytest.raises(DeviceRevoked):
        anna.sync()
    assert not folder.database.exists() and not folder.key_slots.exists()
    assert anna.store.locked


def test_a_wrong_or_expired_token_signs_in_again_or_asks_for_it(central):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    with anna.store.engine.begin() as conn:
        conn.execute(update(local._sync_state).values(token=b"forged-token"))
    add_client(anna, "Lapsa", central.parish_a)
    anna.sync()  # 401 token_invalid → signs in again with the user's password
    with central.engine.begin() as conn:
        conn.execute(update(tokens).values(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)))
    add_client(anna, "Vilks", central.parish_a)
    without_password = SyncEngine(anna.store, http=central.http)
    with pytest.raises(SignInNeeded):
        without_password.sync()
    assert local.status(anna.store).pending == 3 and local.status(anna.store).last_error == "sign_in_needed"
    anna.sync()
    assert local.status(anna.store).pending == 0


def test_a_laptop_three_schema_versions_behind_pushes_but_must_upgrade_to_pull(central, monkeypatch):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    _client, person_id = add_client(anna, "Cīrulis", central.parish_a)
    monkeypatch.setattr(migrate, "SCHEMA_VERSION", migrate.SCHEMA_VERSION - 3)
    with pytest.raises(UpgradeRequired) as refused:
        anna.sync()
    assert f"format {MIN_PULL_SCHEMA} or newer" in refused.value.english()
    assert f"this laptop has {migrate.SCHEMA_VERSION}." in refused.value.english()
    assert server_record(central, "persons", person_id) is not None  # its pushes were kept
    monkeypatch.undo()
    anna.sync()
    assert local.status(anna.store).last_error is None


def test_sync_state_and_outbox_survive_reopening_the_store(central, tmp_path):
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.sync()
    add_client(anna, "Strazds", central.parish_a)
    anna.store.lock()
    reopened = Store.open(tmp_path / "ergli-1", "anna", PASSWORD)
    assert local.status(reopened).pending == 3
    SyncEngine(reopened, http=central.http, password=lambda: PASSWORD).sync()
    assert local.status(reopened).pending == 0
    with reopened.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 3  # kept for a restored service
    reopened.lock()


def test_a_store_copied_to_a_second_laptop_is_detected_and_nothing_of_it_applied(central, tmp_path):
    import shutil

    from sync.client import CopiedStore

    anna = central.laptop("ergli-1", "anna", central.parish_a)
    anna.store.lock()
    shutil.copytree(tmp_path / "ergli-1", tmp_path / "copy")  # someone copied the whole data folder
    original = Store.open(tmp_path / "ergli-1", "anna", PASSWORD)
    copy = Store.open(tmp_path / "copy", "anna", PASSWORD)
    first, second = (SyncEngine(s, http=central.http, password=lambda: PASSWORD) for s in (original, copy))
    add_client(original, "Oriģināls", central.parish_a)
    _c, copied_person = add_client(copy, "Kopija", central.parish_a)
    first.sync()
    size = logged(central)
    with pytest.raises(CopiedStore):
        second.sync()
    assert logged(central) == size and server_record(central, "persons", copied_person) is None
    original.lock(), copy.lock()


def test_a_failure_while_applying_a_page_rolls_back_the_page_and_its_cursor(central, monkeypatch):
    from storage.errors import DiskFull

    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, person_id = add_client(anna, "Pilns", central.parish_a)
    anna.sync()
    cursor = local.next_pull_request(ilze.store).after_version
    real = local._apply_changes

    def full_disk(conn, changes):
        real(conn, changes)
        raise DiskFull()

    monkeypatch.setattr(local, "_apply_changes", full_disk)
    with pytest.raises(DiskFull):
        ilze.sync()
    assert local.next_pull_request(ilze.store).after_version == cursor and surname_of(ilze, person_id) is None
    monkeypatch.undo()
    ilze.sync()
    assert surname_of(ilze, person_id) == "Pilns"


def test_background_sync_runs_off_the_caller_thread_backs_off_offline_and_stops_when_revoked(central):
    import threading

    from sync.background import BackgroundSync

    anna = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(anna, "Fona", central.parish_a)
    flaky = FlakyHttp(central.http, {1: "cut", 2: "cut"})
    events, seen = [], threading.Event()

    def collect(event):
        events.append(event)
        if event.stopped or len(events) >= 3:
            seen.set()

    runner = BackgroundSync(engine_with(anna, flaky), interval=0.05, max_backoff=0.2, on_status=collect)
    runner.start()
    assert seen.wait(30)
    runner.stop()
    assert [e.online for e in events[:3]] == [False, False, True]  # two cuts, then through
    assert events[2].status.pending == 0 and events[2].report.pushed == 3
    with central.engine.begin() as conn:
        revoke(conn, anna.store.device_id)
    events.clear()
    seen.clear()
    runner = BackgroundSync(engine_with(anna, central.http), interval=0.05, on_status=collect)
    runner.start()
    assert seen.wait(30) and events[-1].stopped and isinstance(events[-1].error, DeviceRevoked)
    runner.stop()


def test_the_initial_sync_of_a_parish_resumes_after_a_cut_in_the_middle_of_the_snapshot(central, tmp_path):
    from sync.client import enrol

    anna = central.laptop("ergli-1", "anna", central.parish_a)
    made = [add_client(anna, f"Sākums{n}", central.parish_a, journal=3)[1] for n in range(8)]
    anna.sync()
    store = enrol(tmp_path / "new", url="http://testserver", code=central.code(central.parish_a), login="ilze",
                  password=PASSWORD, http=central.http)
    with pytest.raises(ServiceUnreachable):  # the link drops after three pages of the snapshot
        SyncEngine(store, http=FlakyHttp(central.http, {4: "cut"}), password=lambda: PASSWORD, page_limit=10).sync()
    assert local.status(store).snapshot_running
    partial = len(rows(store, Person)) + len(rows(store, JournalEntry))
    report = SyncEngine(store, http=central.http, password=lambda: PASSWORD, page_limit=10).sync()
    assert report.snapshot and report.pages >= 3 and 0 < partial < 8 + 24  # it went on from where it was cut
    assert sorted(surname_of(store, p) for p in made) == sorted(f"Sākums{n}" for n in range(8))
    assert len(rows(store, JournalEntry)) == 24 and not local.status(store).snapshot_running
    store.lock()
