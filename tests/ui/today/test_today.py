"""The Today screen: a worker starts the day with what is overdue first, only their own, and opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app import assistance, cases, decisions, people, users, visits
from app.context import Context
from app.decisions import DecisionInput
from app.i18n import _
from app.people import PersonInput
from storage.store import Store
from tests.ui.conftest import widget_texts
from ui import ops
from ui.today.view import TodayView

TODAY = dt.date(2026, 11, 23)
NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
HEAD_PASSWORD = "Vadītāja-parole-2026"
JURIS_PASSWORD = "Darbinieks-2026-x"


def fixed(store) -> Context:
    return Context(store, today=lambda: TODAY, clock=lambda: NOON)


class StandInShell:
    """What Today may call on the shell, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def open_client(self, client_id) -> None:
        self.calls.append(("client", client_id))

    def open_visit(self, visit_id) -> None:
        self.calls.append(("visit", visit_id))

    def open_decision(self, decision_id) -> None:
        self.calls.append(("decision", decision_id))

    def show_section(self, key) -> None:
        self.calls.append(("section", key))


@pytest.fixture
def ctx(store):
    return fixed(store)


@pytest.fixture
def shell():
    return StandInShell()


def client(ctx, given, surname):
    person = people.create_person(ctx, PersonInput(given, surname, address="Liepu iela 3, Ērgļi"))
    return people.register_client(ctx, person, client_type="voluntary")


DECISION = DecisionInput(kind="grant", amount="80", request_summary="Apbedīšanas pabalsts",
                         facts="Miršanas apliecība iesniegta.", legal_basis=["Saistošo noteikumu 5. punkts"],
                         operative_part="Piešķirt apbedīšanas pabalstu 80 EUR.", benefit_code="funeral")


@pytest.fixture
def day(ctx, data_dir):
    """Anna's caseload: an overdue application, a task next week, a visit tomorrow, a missed visit, a decision
    the head returned; and Juris's client with an overdue application of his own."""
    users.add_user(ctx, "ilze", HEAD_PASSWORD, display_name="Ilze Vadītāja", roles=["head"])
    users.add_user(ctx, "juris", JURIS_PASSWORD, display_name="Juris Egle", roles=["social_worker"])
    andris = client(ctx, "Andris", "Kalniņš")
    marta = client(ctx, "Marta", "Ozola")
    application = assistance.register_application(ctx, andris, "2026-10-20", "post", "funeral", "Apbedīšana")
    case = cases.open_case(ctx, marta, reason="Parādi", opened_on="2026-11-01")
    task = cases.add_task(ctx, "Zvanīt uz pārvaldi", case_id=case, responsible_kind="worker", deadline="2026-11-27")
    tomorrow = visits.plan_home_visit(ctx, marta, "2026-11-24", "Mājokļa apsekošana", "home_visit_family")
    missed = visits.plan_home_visit(ctx, andris, "2026-11-19", "Atkārtota vizīte", "home_visit_family")
    decision = decisions.draft_decision(ctx, andris, DECISION)
    decisions.submit_decision(ctx, decision)
    head = fixed(Store.open(data_dir, "ilze", HEAD_PASSWORD))
    juris = fixed(Store.open(data_dir, "juris", JURIS_PASSWORD))
    try:
        decisions.return_decision(head, decision, "Pievienojiet miršanas apliecības kopiju.")
        peteris = client(juris, "Pēteris", "Liepiņš")
        assistance.register_application(juris, peteris, "2026-10-15", "post", "funeral", "Apbedīšana")
    finally:
        head.store.lock()
        juris.store.lock()
    return {"andris": andris, "marta": marta, "application": application, "task": task, "tomorrow": tomorrow,
            "missed": missed, "decision": decision}


def shown(qtbot, ctx, shell) -> TodayView:
    view = TodayView(ctx, shell)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    with ops.inline():
        view.refresh()
    return view


def rows(view):
    return [(r.heading, r.when, r.what, r.client, r.detail, r.overdue) for r in view.model.rows]


def test_worker_sees_her_overdue_items_first_and_marked_and_nothing_of_another_worker(qtbot, ctx, shell, day, lv):
    view = shown(qtbot, ctx, shell)
    listed = rows(view)
    assert listed[0][0] and listed[0][1].startswith(_("Overdue"))  # the first heading: Overdue (2)
    overdue = [r for r in listed if r[5]]
    assert [r[2] for r in overdue] == [_("Decide the application"), _("Home visit")]
    assert all(r[1].startswith(_("Overdue · {date}").split("{")[0]) for r in overdue)  # said in words too
    assert overdue[0][1] == _("Overdue · {date}").format(date="20.11.2026.") and overdue[0][3] == "Andris Kalniņš"
    first_item = view.model.index(1, 0)
    assert view.model.data(first_item, Qt.ItemDataRole.ForegroundRole) is not None  # and in colour
    assert view.model.data(view.model.index(listed.index(next(r for r in listed if r[2] == _("Plan task"))), 0),
                           Qt.ItemDataRole.ForegroundRole) is None
    whats = [r[2] for r in listed if not r[0]]
    assert whats.index(_("Plan task")) > whats.index(_("Home visit"))  # due after overdue
    returned = next(r for r in listed if r[2] == _("Decision returned by the head"))
    assert returned[3:5] == ("Andris Kalniņš", "Pievienojiet miršanas apliecības kopiju.")
    assert any(r[1] == _("Tomorrow") and r[3] == "Marta Ozola" for r in listed)
    text = widget_texts(view)
    assert "Pēteris" not in text and "Liepiņš" not in text  # Juris's client is not on Anna's day
    assert not view.approvals_button.isVisible() and not view.conflicts_button.isVisible()
    assert _("Not connected to a central service") in view.sync_label.text()


def test_enter_opens_the_client_file_the_visit_and_the_returned_decision(qtbot, ctx, shell, day):
    view = shown(qtbot, ctx, shell)
    view.show()
    view.table.setFocus()
    assert view.table.currentIndex().row() == 1  # the first item, not the heading
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert shell.calls == [("client", day["andris"])]  # the overdue application: Andris's file
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Enter)
    assert shell.calls[-1] == ("visit", day["missed"])
    qtbot.keyClick(view.table, Qt.Key.Key_Down)  # over the heading "Due in the next 14 days"
    assert not view.model.rows[view.table.currentIndex().row()].heading
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert shell.calls[-1] == ("client", day["marta"])  # the plan task: Marta's file
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert shell.calls[-1] == ("decision", day["decision"])
    targets = [r.target for r in view.model.rows if r.target]
    assert ("client", day["marta"]) in targets and ("visit", day["tomorrow"]) in targets


def test_the_head_sees_the_approval_queue_and_goes_there(qtbot, ctx, shell, data_dir, lv):
    andris = client(ctx, "Andris", "Kalniņš")
    decisions.submit_decision(ctx, decisions.draft_decision(ctx, andris, DECISION))
    users.add_user(ctx, "ilze", HEAD_PASSWORD, display_name="Ilze Vadītāja", roles=["head"])
    head = fixed(Store.open(data_dir, "ilze", HEAD_PASSWORD))
    try:
        view = shown(qtbot, head, shell)
        view.show()
        assert view.approvals_button.isVisible()
        assert view.approvals_button.text() == _("Decisions &waiting for your approval: {count}").format(count=1)
        qtbot.mouseClick(view.approvals_button, Qt.MouseButton.LeftButton)
        assert shell.calls == [("section", "approvals")]
        assert view.empty.isVisible() and view.empty.text() == _("Nothing is due in the next {days} days.").format(
            days=14)
    finally:
        head.store.lock()


def test_an_empty_day_says_nothing_is_due(qtbot, ctx, shell, lv):
    view = shown(qtbot, ctx, shell)
    view.show()
    assert view.empty.isVisible() and view.empty.text() == "Nākamajās 14 dienās nekas nav jādara."
    assert not view.table.isVisible() and view.model.rows == []


def test_locking_leaves_no_client_name_on_today(qtbot, ctx, shell, day):
    view = shown(qtbot, ctx, shell)
    assert "Andris Kalniņš" in widget_texts(view)
    view.clear()
    text = widget_texts(view)
    for fragment in ("Andris", "Kalniņš", "Marta", "Ozola", "miršanas", "Mājokļa"):
        assert fragment not in text
