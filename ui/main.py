"""Desktop entry point: first run or unlock, then the main window (``ui.shell``), locked again when idle.

The key never sits in a widget longer than the unlock call, wrong passphrases slow down (without blocking the
UI), and locking — idle minutes, Ctrl+L, quitting — clears every page before the store drops its key.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.i18n import _, set_language
from storage.errors import WrongPassphrase
from storage.paths import StorePaths

# Everything else is imported where it is used: the unlock window paints first, and the rest (the worker lanes,
# settings, SQLAlchemy, the models, SQLCipher, every screen) loads while the passphrase is typed.
if TYPE_CHECKING:
    from app.context import Context
    from ui.autolock import IdleLock
    from ui.first_run import FirstRunWindow
    from ui.shell import Shell
    from ui.sync_status import SyncController


def open_store(data_dir: Path, login: str, passphrase: str) -> Context:
    """In a worker: derive the key, open and check the store (seconds of Argon2id on an old laptop)."""
    from app.context import Context
    from storage.store import Store

    return Context(Store.open(data_dir, login, passphrase))


def warm_up() -> None:
    """While the user types the passphrase: import what unlocking and the main window need."""
    for module in ("storage.store", "app.context", "app.settings", "ui.autolock", "ui.shell", "ui.sync_status",
                   "ui.today.view"):
        importlib.import_module(module)


def backoff_seconds(failures: int) -> float:
    """Delay before the next unlock attempt: none for the first three, then doubling up to 30 s."""
    return 0.0 if failures < 3 else float(min(30, 2 ** (failures - 3)))


class UnlockWindow(QWidget):
    def __init__(self, data_dir: Path, login: str | None, on_unlocked) -> None:
        super().__init__()
        self.data_dir, self.on_unlocked, self.failures = data_dir, on_unlocked, 0
        self.setWindowTitle(_("Lieta — unlock"))
        heading = QLabel("Lieta")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        heading.setFont(font)
        subtitle = QLabel(_("Social service case files — encrypted on this laptop"))
        self.login = QLineEdit(login or "")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("unlock-message")
        self.button = QPushButton(_("&Unlock"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.unlock)
        self.passphrase.returnPressed.connect(self.unlock)
        form = QFormLayout()
        form.addRow(_("&User name"), self.login)
        form.addRow(_("&Passphrase"), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        self.setMinimumWidth(420)
        (self.passphrase if login else self.login).setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if not getattr(self, "_warming", False):
            self._warming = True
            QTimer.singleShot(0, self._warm_up)

    def _warm_up(self) -> None:
        from ui import ops

        ops.run(None, lambda _p: warm_up(), lane_name="io")

    def unlock(self) -> None:
        """Open the store in a worker; the window stays responsive and says what it is doing."""
        if not self.button.isEnabled():
            return
        login, passphrase = self.login.text().strip(), self.passphrase.text()
        self.passphrase.clear()
        self.button.setEnabled(False)
        self.message.setText(_("Opening the case store…"))
        from ui import ops

        ops.run(self, lambda _p: open_store(self.data_dir, login, passphrase),
                lambda ctx: self._opened(ctx, passphrase), self._refused, lane_name="io")

    def _opened(self, ctx: Context, passphrase: str) -> None:
        self.button.setEnabled(True)
        self.message.clear()
        self.on_unlocked(ctx, passphrase)

    def _refused(self, error: BaseException) -> None:
        from ui import ops

        self.message.setText(ops.message_for(error))
        if not isinstance(error, WrongPassphrase):
            self.button.setEnabled(True)
            return
        self.failures += 1
        wait = backoff_seconds(self.failures)  # repeated failures slow down, without blocking the UI thread
        QTimer.singleShot(int(wait * 1000), lambda: self.button.setEnabled(True))
        self.passphrase.setFocus()


class Desktop:
    """First run or unlock → the main window → locked again (idle for the configured minutes, or Ctrl+L): on
    locking every page is cleared, the window closed and the store drops its key; the unlock window comes back."""

    def __init__(self, data_dir: Path, login: str | None, *, minutes: float | None = None) -> None:
        self.data_dir, self.login = data_dir, login
        self.fixed_minutes = minutes  # tests fix it; otherwise the setting is read at every unlock
        self.minutes = minutes
        self.main: Shell | None = None
        self.sync: SyncController | None = None
        self.idle: IdleLock | None = None
        self.first_run: FirstRunWindow | None = None
        self.unlock_window: UnlockWindow | None = None
        if StorePaths(Path(data_dir)).database.exists():
            self.unlock_window = self._unlock_window()
        else:
            from ui import first_run

            self.first_run = first_run.FirstRunWindow(data_dir, self.unlocked)
            self.first_run.show()

    def _unlock_window(self, message: str = "") -> UnlockWindow:
        window = UnlockWindow(self.data_dir, self.login, self.unlocked)
        window.message.setText(message)
        window.show()
        return window

    def unlocked(self, ctx: Context, passphrase: str) -> None:
        """The store is open: the main window, background sync (the passphrase is also the service password,
        kept only in the sync's closure until locking, for signing in again when the service asks) and the idle
        timer."""
        from app.settings import load_settings
        from ui.autolock import IdleLock, configured_minutes
        from ui.printing import set_large_print_default
        from ui.shell import Shell
        from ui.sync_status import SyncController

        settings = load_settings(self.data_dir)  # the Settings screen's choices apply from the next unlock
        set_language(settings.language)
        set_large_print_default(settings.large_print)
        self.minutes = configured_minutes(self.data_dir) if self.fixed_minutes is None else self.fixed_minutes
        self.login = ctx.store.login
        self.main = Shell(ctx)
        self.main.sig_lock_requested.connect(lambda: self.lock(_("Locked.")))
        secret = [passphrase]
        self.sync = SyncController(ctx.store, password=lambda: secret[0] if secret else None, parent=self.main)
        self.sync.destroyed.connect(secret.clear)
        self.main.attach_sync(self.sync)
        self.main.show()
        self.sync.start()
        if self.unlock_window is not None:
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
        main, self.main = self.main, None
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        main.clear()
        main.hide()
        from ui import ops

        ops.wait_idle()  # work already running finishes with the key it started with (never a connection pulled
        main.ctx.store.lock()  # from under SQLCipher); anything queued later meets a locked store and says so
        main.deleteLater()
        self.unlock_window = self._unlock_window(message)


#: SQLCipher's page cache per connection for the desktop (the store and io lanes may each hold one): 16 MiB
#: keeps an old laptop's memory in check; LIETA_CACHE_MIB still overrides it (docs/benchmarks.md).
DESKTOP_CACHE_MIB = 16


def run(data_dir: Path, login: str | None) -> int:
    from app.settings import load_settings
    from ui import ops

    os.environ.setdefault("LIETA_CACHE_MIB", str(DESKTOP_CACHE_MIB))
    set_language(load_settings(data_dir).language)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Lieta")
    desktop = Desktop(data_dir, login)
    code = app.exec()
    desktop.lock("")  # quitting drops the key like locking does
    ops.wait_idle()
    return code
