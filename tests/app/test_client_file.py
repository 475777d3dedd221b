"""The client file's read models: what each tab shows, newest first, and nothing of a file the user may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app import assistance, cases, client_file, people, records
from app.errors import NotFound
from storage.models import AuditEvent
from tests.ui.clients.conftest import fixed, make_andris, worker_maris


@pytest.fixture
def ctx(store):
    return fixed(store)


@pytest.fixture
def andris(ctx):
    return make_andris(ctx)


@pytest.fixture
def other_worker(ctx, data_dir):
    yield from worker_maris(ctx, data_dir)


def test_overview_gathers_the_client_the_case_and_what_is_open(ctx, andris):
    household = client_file.household(ctx, andris)
    status = assistance.set_household_status(ctx, _home(ctx, household.person_id), "low_income", "2026-11-01",
                                             "2027-01-31")
    assert status
    seen = client_file.overview(ctx, andris)
    assert (seen.name, seen.personal_code, seen.address) == ("Andris Kalniņš", "050385-12347", "Liepu iela 3, Ērgļi")
    assert seen.target_groups == ("low_income",) and seen.client_type == "voluntary"
    assert seen.responsible == "Anna Kalniņa" and not seen.restricted
    assert (seen.household_status, seen.household_status_until) == ("low_income", dt.date(2027, 1, 31))
    assert seen.case_stage == "implementation" and seen.next_review_on is not None
    assert (seen.open_tasks, seen.planned_visits, seen.pending_decisions) == (1, 0, 0)


def _home(ctx, person_id):
    from storage.models import HouseholdMember
    with ctx.read() as session:
        return session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.person_id == person_id))


def test_opening_the_file_is_audited_each_time(ctx, andris):
    client_file.open_client_file(ctx, andris)
    client_file.open_client_file(ctx, andris)
    client_file.overview(ctx, andris)  # a refresh of an open file is not a new opening
    trail = client_file.audit_trail(ctx, andris)
    assert [line.action for line in trail] == ["open_client", "open_client"]
    assert trail[0].user == "Anna Kalniņa"


def test_journal_is_newest_first_with_the_worker(ctx, andris):
    cases.record_journal_entry(ctx, andris, occurred_at="2026-11-22 09:30", kind="consultation",
                               topic="Konsultācija", duration_minutes=30)
    lines = client_file.journal(ctx, andris)
    assert [line.topic for line in lines] == ["Konsultācija", "Zvans par NVA"]
    assert lines[0].worker == "Anna Kalniņa" and lines[0].duration_minutes == 30


def test_household_lists_members_and_relations_to_the_client(ctx, andris):
    seen = client_file.household(ctx, andris)
    assert [m.name for m in seen.members][0] == "Andris Kalniņš"  # the head first
    kinds = {m.name: m.relation for m in seen.members}
    assert kinds["Līga Kalniņa"] == "spouse" and kinds["Mārtiņš Kalniņš"] == "child"
    assert {(r.name, r.kind) for r in seen.relatives} == {("Līga Kalniņa", "spouse"), ("Mārtiņš Kalniņš", "child")}


def test_case_summary_has_goals_plan_tasks_and_overdue_marks(ctx, andris):
    summary = client_file.case_summary(ctx, andris)
    assert summary.problem == "Nav darba" and summary.is_open
    assert [g.text for g in summary.goals] == ["Atrast darbu"]
    assert summary.plan_version == 1
    assert [(t.description, t.overdue) for t in summary.tasks] == [("Reģistrēties NVA", True)]
    cases.record_review(ctx, summary.case_id, "2026-11-20", "Plāns izpildās")
    assert client_file.case_summary(ctx, andris).reviews[0].text == "Plāns izpildās"


def test_assessments_come_with_the_previous_final_one_of_their_kind(ctx, andris):
    latest, first = client_file.assessments(ctx, andris)
    assert latest.previous_on == first.assessed_on == dt.date(2026, 9, 5)
    assert latest.previous_scores == first.scores == (2,) * 8
    assert first.previous_scores is None
    assert len(latest.axes) == 8 and (latest.low, latest.high) == (1, 5)


def test_agreements_and_attachments(ctx, andris):
    agreement, = client_file.agreements(ctx, andris)
    assert agreement.status == "signed" and [d.description for d in agreement.duties] == ["Apmeklēt NVA reizi mēnesī"]
    records.add_attachment(ctx, andris, "foto.jpg", "image/jpeg", b"jpeg")
    assert [a.filename for a in client_file.attachments(ctx, andris)] == ["foto.jpg", "izzina.pdf"]


def test_a_restricted_file_is_invisible_to_another_worker_in_every_read_model(ctx, other_worker, andris):
    people.set_restricted(ctx, andris, True)
    for read in (client_file.overview, client_file.open_client_file, client_file.journal, client_file.household,
                 client_file.case_summary, client_file.assessments, client_file.agreements, client_file.attachments,
                 client_file.audit_trail, client_file.person_of, client_file.person_details,
                 client_file.current_case_id):
        with pytest.raises(NotFound):
            read(other_worker, andris)
    with ctx.read() as session:  # a refused opening is not recorded as an opening
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "open_client")) == 0


def test_person_details_hold_every_field_the_update_rewrites(ctx, andris):
    person_id, data = client_file.person_details(ctx, andris)
    assert person_id == client_file.person_of(ctx, andris)
    assert (data.given_name, data.surname, data.personal_code, data.gender) == ("Andris", "Kalniņš", "050385-12347",
                                                                                "male")
    assert data.birth_date == dt.date(1985, 3, 5) and data.phone == "+371 26123456"
    people.update_person(ctx, person_id, data)  # sent back unchanged, it changes nothing
    assert client_file.person_details(ctx, andris) == (person_id, data)


def test_the_open_case_and_whether_it_was_evaluated(ctx, andris):
    summary = client_file.case_summary(ctx, andris)
    assert client_file.current_case_id(ctx, andris) == summary.case_id
    assert summary.evaluated_on is None and summary.monitoring_until is None
    cases.evaluate_case(ctx, summary.case_id, "2026-11-20", "Darbs atrasts")
    cases.close_case(ctx, summary.case_id, "2026-11-21", "Mērķis sasniegts", monitoring_until="2027-02-28")
    monitored = client_file.case_summary(ctx, andris)
    assert (monitored.evaluated_on, monitored.monitoring_until) == (dt.date(2026, 11, 20), dt.date(2027, 2, 28))
    assert not monitored.is_open
    assert client_file.current_case_id(ctx, andris) is None  # a new agreement is not part of a closed case
