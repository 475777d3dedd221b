"""Sync conflicts on screen: the same surname changed offline on two laptops, reviewed and resolved by a worker
through the view, and every laptop follows after the next sync."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app import conflicts
from app.context import Context
from app.i18n import _
from tests.sync.test_sync_engine import add_client, set_surname, surname_of
from tests.ui.conftest import widget_texts
from ui import ops
from ui.conflicts.view import ConflictsView


class StandInShell:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def open_client(self, client_id) -> None:
        self.calls.append(("client", client_id))


@pytest.fixture
def conflict(central):
    """Anna and Ilze both corrected Zariņa's surname offline; Ilze's later edit stands on every laptop."""
    anna = central.laptop("ergli-1", "anna", central.parish_a)
    ilze = central.laptop("ergli-2", "ilze", central.parish_a)
    client_id, person_id = add_client(anna, "Zariņa", central.parish_a)
    anna.sync(), ilze.sync()
    set_surname(anna, person_id, "Zariņa-Anna")
    set_surname(ilze, person_id, "Zariņa-Ilze")
    ilze.sync(), anna.sync(), ilze.sync()
    yield anna, ilze, client_id, person_id
    for laptop in (anna, ilze):
        if not laptop.store.locked:
            laptop.store.lock()


def shown(qtbot, ctx, shell=None) -> ConflictsView:
    view = ConflictsView(ctx, shell or StandInShell())
    qtbot.addWidget(view)
    view.resize(1200, 700)
    with ops.inline():
        view.refresh()
    return view


def test_worker_compares_both_surnames_and_restores_hers_and_the_other_laptop_follows(qtbot, conflict, lv):
    anna, ilze, client_id, person_id = conflict
    view = shown(qtbot, Context(anna.store))
    assert view.model.rowCount() == 1
    row = [view.model.data(view.model.index(0, c)) for c in range(4)]
    assert row[1:] == ["Jānis Zariņa-Ilze", _("person's details"), _("edited on two laptops")]
    compare = [[view.compare.item(0, c).text() for c in range(3)]]
    assert compare == [[_("surname"), "Zariņa-Ilze", "Zariņa-Anna"]]
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.list.setFocus()
    mnemonic = QKeySequence.mnemonic(view.restore.text())[0]  # Alt+R ("&Restore the other value")
    with ops.inline():
        qtbot.keyClick(view.list, mnemonic.key(), mnemonic.keyboardModifiers())
        qtbot.waitUntil(lambda: view.model.rowCount() == 0)  # the mnemonic clicks after a short animation
    assert surname_of(anna, person_id) == "Zariņa-Anna"
    assert conflicts.unresolved(Context(anna.store)) == [] and view.model.rowCount() == 0
    assert view.empty.isVisible() and view.message.text() == _("The other value was restored.")
    anna.sync(), ilze.sync()
    assert surname_of(ilze, person_id) == "Zariņa-Anna" and conflicts.unresolved(Context(ilze.store)) == []


def test_keeping_the_value_in_force_changes_nothing_but_closes_the_conflict(qtbot, conflict):
    anna, ilze, client_id, person_id = conflict
    view = shown(qtbot, Context(ilze.store))
    with ops.inline():
        qtbot.mouseClick(view.keep, Qt.MouseButton.LeftButton)
    assert surname_of(ilze, person_id) == "Zariņa-Ilze" and conflicts.unresolved(Context(ilze.store)) == []
    ilze.sync(), anna.sync()
    assert conflicts.unresolved(Context(anna.store)) == [] and surname_of(anna, person_id) == "Zariņa-Ilze"


def test_enter_opens_the_client_file_and_locking_clears_the_names(qtbot, conflict):
    anna, _ilze, client_id, _person_id = conflict
    shell = StandInShell()
    view = shown(qtbot, Context(anna.store), shell)
    view.show()
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert shell.calls == [("client", client_id)]
    view.clear()
    text = widget_texts(view)
    assert "Zariņa" not in text and "Jānis" not in text
