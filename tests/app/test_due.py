"""What is due and overdue for the worker at the keyboard (the Today screen) and `lieta due` etc."""

import datetime as dt
import json

import pytest

from app import assistance, cases, decisions, people, users
from app.context import Context
from app.decisions import DecisionInput
from app.due import due_items
from app.people import PersonInput
from storage.store import Store
from tests.app.test_cli import lieta

TODAY = dt.date(2026, 11, 23)
NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def ctx(store):
    return Context(store, today=lambda: TODAY, clock=lambda: NOON)


@pytest.fixture
def client(ctx):
    person = people.create_person(ctx, PersonInput("Andris", "Kalniņš", address="Liepu iela 3, Ērgļi"))
    return people.register_client(ctx, person, client_type="voluntary")


def kinds(items):
    return [(i.kind, i.due_on, i.overdue(TODAY)) for i in items]


def test_overdue_application_and_upcoming_review_and_task_are_listed_oldest_first(ctx, client):
    assistance.register_application(ctx, client, "2026-10-20", "post", "funeral", "Apbedīšana")  # due 20 Nov
    assistance.register_application(ctx, client, "2026-11-20", "post", "funeral", "Apbedīšana")  # due 21 Dec
    case = cases.open_case(ctx, client, reason="Parādi", opened_on="2025-11-01")
    cases.set_problem_and_diagnosis(ctx, case, "Parādi par apkuri")
    cases.add_goal(ctx, case, "Parāds samaksāts")
    cases.create_plan(ctx, case, "2025-11-30")  # review due 30 Nov 2026
    cases.add_task(ctx, "Zvanīt uz pārvaldi", case_id=case, responsible_kind="worker", deadline="2026-11-25")
    assert kinds(due_items(ctx, within_days=14)) == [
        ("application_deadline", dt.date(2026, 11, 20), True),
        ("task", dt.date(2026, 11, 25), False),
        ("case_review", dt.date(2026, 11, 30), False),
    ]
    assert [i.detail for i in due_items(ctx)][0] == "IES/2026/0001"


def test_another_worker_s_client_is_not_on_my_list_but_on_the_head_s(ctx, client, data_dir):
    users.add_user(ctx, "ilze", "Vadītāja-parole-2026", display_name="Ilze Vadītāja", roles=["head"])
    users.add_user(ctx, "juris", "Darbinieks-2026-x", display_name="Juris Egle", roles=["social_worker"])
    head = Context(Store.open(data_dir, "ilze", "Vadītāja-parole-2026"), today=lambda: TODAY, clock=lambda: NOON)
    juris = Context(Store.open(data_dir, "juris", "Darbinieks-2026-x"), today=lambda: TODAY, clock=lambda: NOON)
    try:
        assistance.register_application(ctx, client, "2026-10-20", "post", "funeral", "Apbedīšana")
        assert kinds(due_items(juris)) == []
        assert kinds(due_items(head, everyone=True)) == [("application_deadline", dt.date(2026, 11, 20), True)]
    finally:
        head.store.lock()
        juris.store.lock()


def test_issued_decision_waits_for_notification_and_the_head_sees_the_approval_queue(ctx, client, data_dir):
    users.add_user(ctx, "ilze", "Vadītāja-parole-2026", display_name="Ilze Vadītāja", roles=["head"])
    head = Context(Store.open(data_dir, "ilze", "Vadītāja-parole-2026"), today=lambda: TODAY, clock=lambda: NOON)
    try:
        data = DecisionInput(kind="grant", amount="80", request_summary="Apbedīšanas pabalsts",
                             facts="Miršanas apliecība iesniegta.", legal_basis=["Saistošo noteikumu 5. punkts"],
                             operative_part="Piešķirt apbedīšanas pabalstu 80 EUR.", benefit_code="funeral")
        decision = decisions.draft_decision(ctx, client, data)
        decisions.submit_decision(ctx, decision)
        [waiting] = due_items(head, everyone=True)
        assert (waiting.kind, waiting.due_on, waiting.record_id) == ("approval", NOON.date(), decision)  # since submitted
        assert [i.kind for i in due_items(ctx)] == []
        decisions.approve_and_sign(head, decision)
        decisions.issue_decision(ctx, decision, "2026-11-23")
        assert kinds(due_items(ctx)) == [("notification", TODAY, False)]
        _client, person = people.get_client(ctx, client)
        decisions.record_notification(ctx, decision, person.id, "in_person", received_on="2026-11-23")
        assert due_items(ctx) == []
    finally:
        head.store.lock()


def test_expiring_household_status_is_listed(ctx, client):
    _client, person = people.get_client(ctx, client)
    household = people.create_household(ctx, members=[person.id], head=person.id)
    assistance.set_household_status(ctx, household, "needy", "2026-09-01", working_age_members=1)  # to 30 Nov
    assert kinds(due_items(ctx)) == [("status_expiry", dt.date(2026, 11, 30), False)]
    assert kinds(due_items(ctx, within_days=3)) == []


# -- the command line -------------------------------------------------------------------------------------------
def test_deadline_and_means_test_calculators(tmp_path):
    result = lieta(tmp_path, "deadline", "2026-12-01", "--months", "1", passphrase=None)
    assert (result.returncode, result.stdout.strip()) == (0, "2027-01-04")
    result = lieta(tmp_path, "deadline", "2026-12-01", "--months", "1", "--days", "3", passphrase=None)
    assert result.returncode == 2 and "exactly one unit" in result.stderr
    result = lieta(tmp_path, "means-test", "--size", "3", "--income", "300", "--date", "2026-03-01", "--format",
                   "json", passphrase=None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gmi_benefit_cents"] == 14900
    result = lieta(tmp_path, "--lang", "lv", "means-test", "--size", "1", "--income", "300", "--date", "2026-03-01",
                   passphrase=None)
    assert "Mājsaimniecības statuss: trūcīga" in result.stdout and "GMI pabalsts: 0,00 EUR" in result.stdout


def test_due_lists_the_demo_caseload_with_overdue_child_protection_first(tmp_path):
    data_dir = tmp_path / "data"
    assert lieta(data_dir, "init").returncode == 0
    assert lieta(data_dir, "seed-demo", "--clients", "300", "--seed", "3").returncode == 0
    result = lieta(data_dir, "due", "--format", "json", "--days", "30")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items and items == sorted(items, key=lambda i: i["due_on"])
    found = {i["kind"] for i in items}
    assert "child_protection" in found and len(found) >= 3, found
    text = lieta(data_dir, "--lang", "lv", "due").stdout
    assert "Ziņojums bērna aizsardzībai" in text


# -- the Today screen's read models -----------------------------------------------------------------------------
def test_planned_visits_list_my_visits_ahead_and_the_missed_one_first(ctx, client, data_dir):
    from app import visits
    from app.due import planned_visits

    missed = visits.plan_home_visit(ctx, client, "2026-11-20", "Mājokļa apsekošana", "home_visit_family")
    soon = visits.plan_home_visit(ctx, client, "2026-11-25", "Atkārtota vizīte", "home_visit_family")
    visits.plan_home_visit(ctx, client, "2026-12-20", "Pēc mēneša", "home_visit_family")  # beyond a week
    visits.start_visit(ctx, soon)
    found = planned_visits(ctx, within_days=7)
    assert [(v.visit_id, v.overdue(TODAY), v.started) for v in found] == [(missed, True, False), (soon, False, True)]
    users.add_user(ctx, "juris", "Darbinieks-2026-x", display_name="Juris Egle", roles=["social_worker"])
    juris = Context(Store.open(data_dir, "juris", "Darbinieks-2026-x"), today=lambda: TODAY, clock=lambda: NOON)
    try:
        assert planned_visits(juris) == []
    finally:
        juris.store.lock()


def test_a_returned_decision_carries_the_head_s_comment_and_today_names_the_client(ctx, client, data_dir):
    from app.due import returned_decisions, today_summary

    users.add_user(ctx, "ilze", "Vadītāja-parole-2026", display_name="Ilze Vadītāja", roles=["head"])
    head = Context(Store.open(data_dir, "ilze", "Vadītāja-parole-2026"), today=lambda: TODAY, clock=lambda: NOON)
    try:
        data = DecisionInput(kind="grant", amount="80", request_summary="Apbedīšanas pabalsts",
                             facts="Miršanas apliecība iesniegta.", legal_basis=["Saistošo noteikumu 5. punkts"],
                             operative_part="Piešķirt apbedīšanas pabalstu 80 EUR.", benefit_code="funeral")
        decision = decisions.draft_decision(ctx, client, data)
        decisions.submit_decision(ctx, decision)
        assert today_summary(head).approvals == 1 and today_summary(ctx).approvals == 0
        decisions.return_decision(head, decision, "Pievienojiet miršanas apliecības kopiju.")
        [returned] = returned_decisions(ctx)
        assert (returned.decision_id, returned.client_id, returned.returned_on, returned.comment) == (
            decision, client, TODAY, "Pievienojiet miršanas apliecības kopiju.")
        summary = today_summary(ctx)
        assert summary.items == [] and summary.returned == [returned] and summary.conflicts == 0
        assert summary.names == {client: "Andris Kalniņš"}
        assert returned_decisions(head) == []  # the head did not draft it
    finally:
        head.store.lock()


def test_today_opens_an_expiring_household_status_through_my_client(ctx, client):
    from app.due import today_summary

    _client, person = people.get_client(ctx, client)
    household = people.create_household(ctx, members=[person.id], head=person.id)
    assistance.set_household_status(ctx, household, "needy", "2026-09-01", working_age_members=1)
    [item] = today_summary(ctx).items
    assert (item.kind, item.client_id) == ("status_expiry", client)
