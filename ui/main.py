"""Desktop entry point: an unlock window, then client search over the app services, locked again when idle.

A deliberately small first window (the full desktop application is its own issue). It already follows the
rules: the key never sits in a widget longer than the unlock call, wrong passphrases slow down, and search
runs through ``app.search`` like the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QFormLayout, QLabel, QLineEdit, QListWidget, QMainWindow, QMessageBox, QPushButton, QVBoxLayout,
    QWidget,
)

from app import i18n
from app.context import Context
from app.i18n import _
from app.search import search_clients
from storage.errors import LietaError, WrongPassphrase
from storage.store import Store
from ui.autolock import IdleLock, configured_minutes


def backoff_seconds(failures: int) -> float:
    """Delay before the next unlock attempt: none for the first three, then doubling up to 30 s."""
    return 0.0 if failures < 3 else float(min(30, 2 ** (failures - 3)))


class UnlockWindow(QWidget):
    def __init__(self, data_dir: Path, login: str | None, on_unlocked) -> None:
        super().__init__()
        self.data_dir, self.on_unlocked, self.failures = data_dir, on_unlocked, 0
        self.setWindowTitle(_("Lieta — unlock"))
        layout = QFormLayout(self)
        self.login = QLineEdit(login or "")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.button = QPushButton(_("Unlock"))
        self.button.clicked.connect(self.unlock)
        self.passphrase.returnPressed.connect(self.unlock)
        layout.addRow(_("User name"), self.login)
        layout.addRow(_("Passphrase"), self.passphrase)
        layout.addRow(self.message)
        layout.addRow(self.button)

    def unlock(self) -> None:
        if not self.button.isEnabled():
            return
        try:
            store = Store.open(self.data_dir, self.login.text().strip(), self.passphrase.text())
        except WrongPassphrase as error:
            self.failures += 1
            self.message.setText(i18n.user_message(error))
            wait = backoff_seconds(self.failures)
            if wait:  # repeated failures slow down, without blocking the UI thread
                self.button.setEnabled(False)
                QTimer.singleShot(int(wait * 1000), lambda: self.button.setEnabled(True))
            return
        except LietaError as error:
            self.message.setText(i18n.user_message(error))
            return
        finally:
            self.passphrase.clear()
        self.on_unlocked(Context(store))


class SearchWindow(QMainWindow):
    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(_("Lieta — clients"))
        body = QWidget()
        layout = QVBoxLayout(body)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Search by name, personal code or address"))
        self.results = QListWidget()
        self.query.textChanged.connect(self.refresh)
        self.status = QLabel("")
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("The full desktop application is being built; this window searches clients.")))
        self.setCentralWidget(body)
        self.resize(900, 600)

    def refresh(self, text: str) -> None:
        self.results.clear()
        result = search_clients(self.ctx, text, limit=100)
        for hit in result:
            self.results.addItem(f"{hit.surname} {hit.given_name}    {hit.personal_code or ''}    {hit.address or ''}")
        self.status.setText("" if result.complete else
                            _("More clients match: type more of the name, personal code or address."))

    def clear(self) -> None:
        """Nothing of a client stays on screen (or in the widgets' memory) once the store is locked."""
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.results.clear()
        self.status.clear()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.ctx.store.lock()
        super().closeEvent(event)


class Desktop:
    """Unlock → the client window → locked again (idle for the configured minutes, or Ctrl+L): on locking every
    window with client data is cleared and closed and the store drops its key; the unlock window comes back."""

    def __init__(self, data_dir: Path, login: str | None, *, minutes: float | None = None) -> None:
        self.data_dir, self.login = data_dir, login
        self.minutes = configured_minutes() if minutes is None else minutes
        self.main: SearchWindow | None = None
        self.idle: IdleLock | None = None
        self.unlock_window = self._unlock_window()

    def _unlock_window(self, message: str = "") -> UnlockWindow:
        window = UnlockWindow(self.data_dir, self.login, self.unlocked)
        window.message.setText(message)
        window.show()
        return window

    def unlocked(self, ctx: Context) -> None:
        self.login = ctx.store.login
        self.main = SearchWindow(ctx)
        QShortcut(QKeySequence("Ctrl+L"), self.main, activated=lambda: self.lock(_("Locked.")))
        self.main.show()
        self.unlock_window.close()
        self.idle = IdleLock(self.minutes)
        self.idle.idle.connect(lambda: self.lock(_("Locked after {minutes} minutes without use.").format(
            minutes=f"{self.minutes:g}")))

    def lock(self, message: str) -> None:
        if self.main is None:
            return
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        self.main.clear()
        self.main.close()  # closing locks the store
        self.main = None
        self.unlock_window = self._unlock_window(message)


def run(data_dir: Path, login: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not Store.exists(data_dir):
        QMessageBox.information(None, "Lieta", _("No case store exists in this data folder yet. Create one with "
                                                 "'lieta init'."))
        return 5
    desktop = Desktop(data_dir, login)
    code = app.exec()
    desktop.lock("")  # quitting drops the key like locking does
    return code
