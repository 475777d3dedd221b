"""Desktop entry point: an unlock window, then client search over the app services.

A deliberately small first window (the full desktop application is its own issue). It already follows the
rules: the key never sits in a widget longer than the unlock call, wrong passphrases slow down, and search
runs through ``app.search`` like the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
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

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.ctx.store.lock()
        super().closeEvent(event)


def run(data_dir: Path, login: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not Store.exists(data_dir):
        QMessageBox.information(None, "Lieta", _("No case store exists in this data folder yet. Create one with "
                                                 "'lieta init'."))
        return 5
    windows: dict[str, QWidget] = {}

    def unlocked(ctx: Context) -> None:
        windows["main"] = SearchWindow(ctx)
        windows["main"].show()
        windows.pop("unlock").close()

    windows["unlock"] = UnlockWindow(data_dir, login, unlocked)
    windows["unlock"].show()
    return app.exec()
