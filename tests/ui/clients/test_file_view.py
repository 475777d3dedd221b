"""The client file: opening it (audited), the overview, the quick journal entry, locking, restricted files."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTabWidget, QTextEdit
from sqlalchemy import select

from app import cases, client_file, people
from app.people import PersonInput
from storage.models import AuditEvent, JournalEntry
from ui import ops
from ui.clients.file_view import ClientFileView


def open_file(qtbot, ctx, shell, client_id) -> ClientFileView:
    view = ClientFileView(ctx, shell, client_id)
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    with ops.inline():
        view.refresh()
    return view


def texts_of(widget) -> str:
    """Everything the widget and its children show: labels, fields, buttons, tab titles and list cells."""
    shown = []
    for child in [widget, *widget.findChildren(object)]:
        if isinstance(child, (QLabel, QLineEdit, QAbstractButton)):
            shown.append(child.text())
        elif isinstance(child, (QPlainTextEdit, QTextEdit)):
            shown.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            shown.extend(child.itemText(i) for i in range(child.count()))
        elif isinstance(child, QTabWidget):
            shown.extend(child.tabText(i) for i in range(child.count()))
        if hasattr(child, "model") and callable(child.model) and not isinstance(child, QComboBox):
            model = child.model()
            if model is not None and hasattr(model, "rowCount"):
                for row in range(model.rowCount()):
                    for column in range(model.columnCount()):
                        shown.append(str(model.index(row, column).data() or ""))
    return "\n".join(shown)


def test_opening_a_seeded_client_shows_the_overview_and_titles_the_page(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    assert view.title == "Andris Kalniņš"
    assert shell.retitled[-1] == "Andris Kalniņš"
    overview = view.tab("overview")
    assert overview.values["personal_code"].text() == "050385-12347"
    assert overview.values["address"].text() == "Liepu iela 3, Ērgļi"
    assert overview.values["phone"].text() == "+371 26123456"
    assert "maznodrošināt" in overview.values["target_groups"].text().lower() or overview.values[
        "target_groups"].text() != "—"
    assert overview.values["responsible"].text() == "Anna Kalniņa"
    assert overview.values["open_tasks"].text() == "1"
    assert view.tabs.currentIndex() == 0
    assert set(view.views) == {"overview"}  # the other tabs are built when first shown


def test_worker_records_consultation_and_sees_it_first_in_the_journal(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        qtbot.keyClick(view.tabs, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        journal = view.tab("journal")
        assert view.current_key() == "journal"
        assert journal.text.hasFocus()
        qtbot.keyClicks(journal.text, "Saruna par darba meklesanu")
        qtbot.keyClick(journal.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert journal.model.rows[0][2] == "Saruna par darba meklesanu"
    assert journal.model.rows[0][1] == "konsultācija"
    assert journal.model.rowCount() == 2
    assert journal.text.toPlainText() == "" and journal.text.hasFocus()  # ready for the next entry
    with ctx.read() as session:
        entry = session.scalar(select(JournalEntry).where(JournalEntry.topic == "Saruna par darba meklesanu"))
    assert entry.kind == "consultation" and entry.client_id == andris
    assert entry.occurred_at == dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


def test_an_empty_quick_entry_is_explained_beside_the_field(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        journal = view.show_tab("journal")
        journal.save()
    assert journal.status.text() != ""
    assert journal.model.rowCount() == 1


def test_a_journal_of_500_entries_loads_newest_first(qtbot, ctx, shell, lv):
    person = people.create_person(ctx, PersonInput("Inese", "Liepa"))
    client = people.register_client(ctx, person, client_type="voluntary")
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    for n in range(500):
        cases.record_journal_entry(ctx, client, occurred_at=start + dt.timedelta(hours=n), kind="consultation",
                                   topic=f"Saruna {n}")
    view = open_file(qtbot, ctx, shell, client)
    with ops.inline():
        journal = view.show_tab("journal")
    assert journal.model.rowCount() == 500
    assert journal.model.rows[0][2] == "Saruna 499"
    assert journal.model.rows[-1][2] == "Saruna 0"


def test_opening_is_audited_and_shown_in_who_opened_this_file(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ctx.read() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.client_id == andris,
                                                          AuditEvent.action == "open_client")).all()
    assert len(events) == 1
    with ops.inline():
        trail = view.show_tab("audit")
    assert trail.model.rowCount() >= 1
    assert trail.model.rows[0][1] == "Anna Kalniņa"
    assert trail.model.rows[0][2] == "atvēra lietu"


def test_locking_leaves_no_client_detail_in_any_tab(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        for entry in view.entries:
            view.show_tab(entry.key)
        qtbot.waitUntil(lambda: True)
    shown = texts_of(view)
    assert "Kalniņš" in shown and "050385-12347" in shown  # it was all there
    view.clear()
    shown = texts_of(view)
    for detail in ("Andris", "Kalniņš", "Kalniņa", "050385-12347", "Liepu iela", "NVA", "izzina", "Līga"):
        assert detail not in shown
    assert view.title == ""


def test_restricted_file_of_another_worker_gives_a_clear_message(qtbot, ctx, other_worker, shell, andris, lv):
    people.set_restricted(ctx, andris, True)
    view = open_file(qtbot, other_worker, shell, andris)
    assert view.stack.currentWidget() is view.message
    assert "nevar parādīt" in view.message.text()
    assert "Andris" not in texts_of(view)
    with pytest.raises(Exception):
        client_file.overview(other_worker, andris)
