"""A store with a client and her home visit, and a stand-in for the main window (the pages call only a few of
its methods)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app import people, visits
from app.context import Context
from app.people import PersonInput

TODAY = dt.date(2026, 11, 23)
WAIT = 20_000  # ms


class FakeShell:
    """Records what a page asked the main window to do."""

    def __init__(self) -> None:
        self.opened_visits: list[uuid.UUID] = []
        self.statuses: list[str] = []
        self.retitled = 0

    def open_visit(self, visit_id: uuid.UUID) -> None:
        self.opened_visits.append(visit_id)

    def show_status(self, text: str) -> None:
        self.statuses.append(text)

    def retitle(self, _page) -> None:
        self.retitled += 1


@pytest.fixture
def ctx(store, lv):
    return Context(store, today=lambda: TODAY)


@pytest.fixture
def shell():
    return FakeShell()


@pytest.fixture
def client(ctx):
    person = people.create_person(ctx, PersonInput("Inga", "Bērziņa", personal_code="290204-25170"))
    return people.register_client(ctx, person, client_type="voluntary", target_groups=["family_with_children"])


@pytest.fixture
def planned(ctx, client):
    return visits.plan_home_visit(ctx, client, "2026-11-23", "Novērtēt bērnu aprūpi un mājokli", "home_visit_family")


@pytest.fixture
def visit(ctx, planned):
    visits.start_visit(ctx, planned)
    return planned
