"""Finding a client as you type, and registering a new one without creating a duplicate (issue 6 §3)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app import people
from app.context import Context
from app.people import PersonInput
from storage.models import Client, Person
from ui import ops
from ui.clients.new_client import NewClientDialog
from ui.clients.search import ClientSearchView

WAIT = 5000


class StandInShell:
    def __init__(self) -> None:
        self.opened = []

    def open_client(self, client_id) -> None:
        self.opened.append(client_id)


@pytest.fixture
def ctx(store, lv):
    ctx = Context(store)
    for given, surname, code, address in [("Jānis", "Bērziņš", "050385-12347", "Skolas iela 5, Ērgļi"),
                                          ("Ilze", "Ozoliņa", None, "Bērzu iela 2, Madona"),
                                          ("Anda", "Šķēle", None, None)]:
        person = people.create_person(ctx, PersonInput(given, surname, personal_code=code, address=address))
        people.register_client(ctx, person, client_type="voluntary", restricted=surname == "Šķēle")
    return ctx


@pytest.fixture
def view(qtbot, ctx):
    shell = StandInShell()
    page = ClientSearchView(ctx, shell)
    qtbot.addWidget(page)
    page.show()
    return page


def names(view) -> list[str]:
    return [view.model.index(row, 0).data() for row in range(view.model.rowCount())]


def test_worker_types_a_name_without_diacritics_and_opens_the_file_with_the_keyboard(qtbot, view):
    qtbot.keyClicks(view.query, "berz")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=WAIT)
    assert names(view) == ["Bērziņš, Jānis", "Ozoliņa, Ilze"]  # name matches first, then the address "Bērzu iela"
    qtbot.keyClick(view.query, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.shell.opened == [view.model.rows[1].client_id]
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert view.query.hasFocus()


def test_personal_code_digits_find_the_client_and_enter_opens_the_first(qtbot, view):
    qtbot.keyClicks(view.query, "05038512")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
    assert view.model.index(0, 1).data() == "050385-12347"
    qtbot.keyClick(view.query, Qt.Key.Key_Return)
    assert view.shell.opened == [view.model.rows[0].client_id]


def test_a_restricted_file_is_marked_and_nothing_found_is_explained(qtbot, view):
    qtbot.keyClicks(view.query, "skele")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
    assert names(view) == ["Šķēle, Anda (ierobežota)"]
    view.query.clear()
    qtbot.keyClicks(view.query, "zzz")
    qtbot.waitUntil(lambda: "Neviens klients neatbilst" in view.status.text(), timeout=WAIT)
    assert view.model.rowCount() == 0


def test_only_the_newest_keystrokes_result_is_shown(qtbot, view):
    for text in ("o", "oz", "ozo"):  # three searches queued faster than the store answers
        view.query.setText(text)
    qtbot.waitUntil(lambda: names(view) == ["Ozoliņa, Ilze"], timeout=WAIT)
    ops.wait_idle()
    qtbot.wait(50)  # any older result still queued would arrive now
    assert names(view) == ["Ozoliņa, Ilze"]


def test_clear_leaves_nothing_of_a_client(qtbot, view):
    from tests.ui.conftest import widget_texts

    qtbot.keyClicks(view.query, "berzins")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
    view.clear()
    assert "Bērziņš" not in widget_texts(view) and "berzins" not in widget_texts(view)


# -- new client -------------------------------------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot, ctx):
    dialog = NewClientDialog(ctx, initial="Pēteris Kalniņš")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def count(ctx, model) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_new_client_is_registered_with_a_checked_code_and_opened(qtbot, ctx, dialog):
    assert (dialog.given.text(), dialog.surname.text()) == ("Pēteris", "Kalniņš")  # carried over from the search
    qtbot.keyClicks(dialog.code, "120790-1234")
    assert dialog.code_hint.text().startswith("✗")  # ten digits: not a code yet
    qtbot.keyClicks(dialog.code, "5")
    assert "pēdējais cipars neatbilst" in dialog.code_hint.text()  # a typing mistake caught before saving
    qtbot.keyClick(dialog.code, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.code, "4")
    assert dialog.code_hint.text() == "✓ derīgs personas kods, dzimis(-usi) 12.07.1990."
    assert dialog.birth.date().toPython().isoformat() == "1990-07-12"
    dialog.groups["pensioner"].setChecked(True)
    with qtbot.waitSignal(dialog.sig_open_client, timeout=WAIT) as opened:
        dialog.save()
    client, person = people.get_client(ctx, opened.args[0])
    assert (person.given_name, person.surname, person.personal_code) == ("Pēteris", "Kalniņš", "120790-12344")
    assert client.target_groups == ["pensioner"]


def test_a_code_already_on_file_is_refused_and_the_existing_client_offered(qtbot, ctx, dialog):
    dialog.code.setText("050385-12347")  # Jānis Bērziņš's code
    dialog.save()
    qtbot.waitUntil(lambda: dialog.open_existing.isVisible(), timeout=WAIT)
    assert "jau ir reģistrēta" in dialog.message.text()
    assert count(ctx, Person) == 3
    with qtbot.waitSignal(dialog.sig_open_client, timeout=WAIT) as opened:
        qtbot.mouseClick(dialog.open_existing, Qt.MouseButton.LeftButton)
    assert people.get_client(ctx, opened.args[0])[1].surname == "Bērziņš"


def test_similar_names_are_listed_while_typing(qtbot, ctx, dialog):
    dialog.given.setText("Janis")
    dialog.surname.setText("Berzin")
    qtbot.waitUntil(lambda: dialog.similar.count() == 1, timeout=WAIT)
    assert "Jānis Bērziņš" in dialog.similar.item(0).text()
    assert dialog.similar_box.isVisible()


def test_mandatory_client_without_who_reported_is_refused_and_nothing_saved(qtbot, ctx, dialog):
    dialog.client_type.setCurrentIndex(dialog.client_type.findData("mandatory"))
    assert dialog.referral.isEnabled()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=WAIT)
    assert "ziņoja" in dialog.message.text() or "ziņotāj" in dialog.message.text()
    assert dialog.referral.hasFocus() or not dialog.isActiveWindow()
    assert (count(ctx, Person), count(ctx, Client)) == (3, 3)
