"""A client file with something in every tab: Andris lives with his wife and son, has an open case with a goal,
a plan and a task, a journal, two final assessments, a signed agreement and a scan."""

from __future__ import annotations

import datetime as dt

import pytest

from app import cases, people, records, users, visits
from app.context import Context
from app.people import PersonInput
from storage.store import Store

TODAY = dt.date(2026, 11, 23)
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


def fixed(store) -> Context:
    return Context(store, today=lambda: TODAY, clock=lambda: NOON)


@pytest.fixture
def ctx(store):
    return fixed(store)


class StandInShell:
    """What a page may call on the shell, recorded."""

    def __init__(self) -> None:
        self.retitled: list[str] = []
        self.opened: list[tuple[str, object]] = []

    def retitle(self, page) -> None:
        self.retitled.append(page.title)

    def open_client(self, client_id) -> None:
        self.opened.append(("client", client_id))

    def open_visit(self, visit_id) -> None:
        self.opened.append(("visit", visit_id))

    def open_decision(self, decision_id) -> None:
        self.opened.append(("decision", decision_id))

    def show_status(self, text: str) -> None:
        pass


@pytest.fixture
def shell():
    return StandInShell()


@pytest.fixture
def andris(ctx):
    return make_andris(ctx)


def make_andris(ctx):
    """The client id of Andris Kalniņš, with a family, a case, a journal, assessments, an agreement and a scan."""
    me = people.create_person(ctx, PersonInput("Andris", "Kalniņš", personal_code="050385-12347", gender="male",
                                               address="Liepu iela 3, Ērgļi", phone="+371 26123456"))
    wife = people.create_person(ctx, PersonInput("Līga", "Kalniņa", birth_date="1987-02-11", gender="female"))
    son = people.create_person(ctx, PersonInput("Mārtiņš", "Kalniņš", birth_date="2015-06-01", gender="male"))
    people.create_household(ctx, members=[me, wife, son], head=me)
    people.add_relation(ctx, wife, me, "spouse")
    people.add_relation(ctx, son, me, "child")
    people.add_relation(ctx, son, wife, "child")
    client = people.register_client(ctx, me, client_type="voluntary", target_groups=["low_income"],
                                     registered_on="2026-09-01")
    case = cases.open_case(ctx, client, reason="Ilgstošs bezdarbs", opened_on="2026-09-01")
    cases.set_problem_and_diagnosis(ctx, case, "Nav darba", diagnosis="Ilgstošs bezdarbs")
    goal = cases.add_goal(ctx, case, "Atrast darbu", target_date="2027-03-01")
    plan = cases.create_plan(ctx, case, "2026-09-10")
    cases.add_task(ctx, "Reģistrēties NVA", deadline="2026-10-01", responsible_kind="client", plan_id=plan,
                   goal_id=goal)
    cases.record_journal_entry(ctx, client, occurred_at="2026-11-20 10:00", kind="phone", topic="Zvans par NVA")
    for day, scores in (("2026-09-05", 2), ("2026-11-20", 4)):
        assessment = visits.record_assessment(ctx, client, "functional_assessment",
                                              {d: scores for d in visits.load_template("functional_assessment")
                                               .domain_ids}, day)
        visits.finalise_assessment(ctx, assessment)
    agreement = cases.create_agreement(ctx, client, "2026-09-10", case_id=case)
    cases.add_duty(ctx, agreement, "Apmeklēt NVA reizi mēnesī", deadline="2026-12-31")
    cases.sign_agreement(ctx, agreement, "2026-09-10")
    records.add_attachment(ctx, client, "izzina.pdf", "application/pdf", b"%PDF-1.4 scan", description="NVA izziņa")
    return client


@pytest.fixture
def other_worker(ctx, data_dir):
    """Maris, a social worker on the same laptop who is not responsible for Andris."""
    yield from worker_maris(ctx, data_dir)


def worker_maris(ctx, data_dir):
    users.add_user(ctx, "maris", "Mara-parole-2026", display_name="Māris Ozols", roles=["social_worker"])
    opened = Store.open(data_dir, "maris", "Mara-parole-2026")
    yield fixed(opened)
    opened.lock()
