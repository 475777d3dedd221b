"""A morning through the real main window: the pages opened by the shell, with the keyboard, on demo data.

Each screen has its own detailed tests (tests/ui/<feature>/); this one proves they are joined up: unlock (wrong, then
right) lands on Today, Ctrl+F finds a client, Enter opens the file, Ctrl+J records a consultation, Alt+← goes
back, Ctrl+3 opens the head's approval queue, Ctrl+L locks and nothing of a client stays on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.context import Context
from app.demo import seed_demo
from app.search import search_clients
from storage.models import JournalEntry
from storage.store import Store
from tests.ui.conftest import visible_texts
from ui.clients.file_view import ClientFileView
from ui.main import Desktop

PASSPHRASE = "Rīta-kafija-2026!"
WAIT = 10000


def test_a_workers_morning_through_the_main_window(qtbot, data_dir, lv):
    store = Store.create(data_dir, "ilze", PASSPHRASE, display_name="Ilze Kalniņa", roles=["social_worker", "head"])
    ctx = Context(store)
    seed_demo(ctx, 40, seed=3)
    hit = next(h for h in search_clients(ctx, "a", limit=50) if not h.restricted)
    store.lock()

    desktop = Desktop(data_dir, "ilze", minutes=30)
    unlock = desktop.unlock_window
    unlock.passphrase.setText("Vakara-tēja-2026!")
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Nepareiz" in unlock.message.text(), timeout=WAIT)
    assert desktop.main is None
    unlock.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=WAIT)
    shell = desktop.main
    assert shell.current_section() == "today"
    today = shell.current_page()
    qtbot.waitUntil(lambda: today.model.rowCount() > 0, timeout=WAIT)

    qtbot.keyClick(shell, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = shell.current_page()
    assert shell.current_section() == "clients" and search.query.hasFocus()
    search.query.setText(f"{hit.given_name} {hit.surname}")
    qtbot.waitUntil(lambda: search.model.rowCount() > 0, timeout=WAIT)
    row = next(i for i, h in enumerate(search.model.rows) if h.client_id == hit.client_id)
    qtbot.keyClick(search.query, Qt.Key.Key_Down)
    search.table.selectRow(row)
    qtbot.keyClick(search.table, Qt.Key.Key_Return)
    file = shell.current_page()
    assert isinstance(file, ClientFileView) and shell.back_button.isVisible()
    qtbot.waitUntil(lambda: shell.heading.text() == f"{hit.given_name} {hit.surname}", timeout=WAIT)

    qtbot.keyClick(file, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    journal = file.views["journal"]
    assert journal.text.hasFocus()
    qtbot.keyClicks(journal.text, "Konsultacija par malkas iegadi")
    qtbot.keyClick(journal.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    store = shell.ctx.store

    def consultations() -> list[str]:
        with shell.ctx.read() as session:
            return list(session.scalars(select(JournalEntry.topic).where(JournalEntry.client_id == hit.client_id)))

    qtbot.waitUntil(lambda: "Konsultacija par malkas iegadi" in consultations(), timeout=WAIT)
    for key in ("visits", "decisions"):  # the other helpers' tabs live in the same file
        assert file.show_tab(key) is not None

    qtbot.keyClick(shell, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shell.current_page() is search and not shell.opened
    qtbot.keyClick(shell, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert shell.current_section() == "approvals"
    queue = shell.current_page()
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0, timeout=WAIT)  # the demo's submitted decisions

    qtbot.keyClick(shell, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert desktop.main is None and store.locked
    QApplication.processEvents()
    assert hit.surname not in visible_texts()
