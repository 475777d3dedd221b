"""A flagged journal entry or home-visit finding becomes a reporting task with its legal deadline."""

import datetime as dt

import pytest
from sqlalchemy import select

from app import cases, people, visits
from app.context import Context
from app.due import due_items
from app.people import PersonInput
from storage.models import OutboxEntry, PlanTask

TODAY = dt.date(2026, 11, 23)  # a Monday
EVENING = dt.datetime(2026, 11, 17, 15, 0, tzinfo=dt.timezone.utc)  # Tuesday; 18 Nov is a holiday


@pytest.fixture
def ctx(store):
    return Context(store, today=lambda: TODAY, clock=lambda: dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc))


@pytest.fixture
def client(ctx):
    person = people.create_person(ctx, PersonInput("Marta", "Liepiņa", birth_date="2016-05-04",
                                                   address="Skolas iela 1, Ērgļi"))
    return people.register_client(ctx, person, client_type="mandatory", referral_source="Skola")


def tasks(ctx, client):
    with ctx.read() as session:
        return session.scalars(select(PlanTask).where(PlanTask.client_id == client).order_by(PlanTask.origin)).all()


def test_suspected_abuse_in_the_journal_must_be_reported_to_court_and_police_by_the_next_working_day(ctx, client):
    entry = cases.record_journal_entry(ctx, client, occurred_at=EVENING, kind="visit", topic="Zilumi uz rokām",
                                       flags=["suspected_abuse"])
    made = tasks(ctx, client)
    assert [t.origin for t in made] == ["cp_report:orphans_court", "cp_report:police"]
    assert {t.deadline for t in made} == {dt.date(2026, 11, 19)}  # the next working day after the holiday
    assert all(t.source_id == entry and t.source_entity == "journal_entries" for t in made)
    assert made[0].description.startswith("Ziņot bāriņtiesai")
    with ctx.read() as session:  # the tasks sync like everything else, in the same transaction
        assert session.scalar(select(OutboxEntry.tx_id).where(OutboxEntry.row_id == made[0].id)) == \
            session.scalar(select(OutboxEntry.tx_id).where(OutboxEntry.row_id == entry))


def test_missing_health_care_goes_to_the_family_doctor_within_three_working_days(ctx, client):
    cases.record_journal_entry(ctx, client, occurred_at=EVENING, kind="consultation", topic="Nav vakcinēts",
                               flags=["missing_health_care"])
    [task] = tasks(ctx, client)
    assert (task.origin, task.deadline) == ("cp_report:family_doctor", dt.date(2026, 11, 23))


def test_the_task_is_overdue_until_it_is_recorded_as_done(ctx, client):
    cases.record_journal_entry(ctx, client, occurred_at=EVENING, kind="visit", topic="Zilumi",
                               flags=["suspected_abuse"])
    due = [i for i in due_items(ctx) if i.kind == "child_protection"]
    assert len(due) == 2 and all(i.overdue(TODAY) for i in due)
    for task in tasks(ctx, client):
        cases.complete_task(ctx, task.id, "2026-11-19", "Ziņojums nosūtīts, reģ. Nr. 12/345")
    assert [i for i in due_items(ctx) if i.kind == "child_protection"] == []


def test_a_home_visit_finding_creates_the_tasks_once_however_often_it_is_saved(ctx, client):
    visit = visits.plan_home_visit(ctx, client, "2026-11-17", "Pārbaudīt bērna aprūpi", "home_visit_family")
    visits.start_visit(ctx, visit, visited_at=EVENING)
    for _ in range(3):  # the report is saved as it is typed
        visits.set_findings(ctx, visit, "Bērnam zilumi; nav apmeklējis ārstu.",
                            flags=["suspected_abuse", "missing_health_care"])
    made = tasks(ctx, client)
    assert sorted(t.origin for t in made) == ["cp_report:family_doctor", "cp_report:orphans_court",
                                              "cp_report:police"]
    assert {t.origin: t.deadline for t in made}["cp_report:family_doctor"] == dt.date(2026, 11, 23)


def test_an_unflagged_entry_creates_no_task(ctx, client):
    cases.record_journal_entry(ctx, client, occurred_at=EVENING, kind="phone", topic="Pieraksts")
    assert tasks(ctx, client) == []
