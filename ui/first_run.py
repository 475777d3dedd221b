"""First run on a laptop with no case store: enrol it with the central service, or create a standalone store.

Enrolling is the usual way (the IT administrator gives a one-time code): the store is made encrypted with the
user's service password and filled by the first sync. A standalone store is for a parish without a central
service yet; its first user administers it. Both take seconds of key derivation or network, so they run in a
worker; the passphrase leaves the widgets as soon as the work starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from app.context import Context
from app.i18n import _
from app.users import MIN_PASSPHRASE, validate_login, validate_passphrase
from storage.errors import LietaError, N_
from ui import ops

PASSPHRASE_HINT = N_("At least {count} characters; a sentence you remember is best. Without it (or the office "
                     "recovery key) the case store cannot be opened by anyone.")


class PassphrasesDiffer(LietaError):
    code = "passphrases_differ"
    msgid = N_("The two passphrases differ. Type the same passphrase twice.")


class FirstRunWindow(QWidget):
    def __init__(self, data_dir: Path, on_ready: Callable[[Context, str], None], *, http=None) -> None:
        super().__init__()
        self.data_dir, self.on_ready = data_dir, on_ready
        self.http = http  # an httpx client for the service (tests); by default one is made for the address
        self.setWindowTitle(_("Lieta — first start on this laptop"))
        intro = QLabel(_("This laptop has no case store yet. Enrol it with your municipality's central service "
                         "(you get a one-time code from the IT administrator), or create a standalone store."))
        intro.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._enrol_tab(), _("&Enrol with the central service"))
        self.tabs.addTab(self._create_tab(), _("&Create a standalone store"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self.resize(640, 460)

    def _enrol_tab(self) -> QWidget:
        tab = QWidget()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://lieta.novads.lv:8443")
        self.code = QLineEdit()
        self.enrol_login = QLineEdit()
        self.enrol_password = QLineEdit()
        self.enrol_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.enrol_button = QPushButton(_("Enrol this laptop"))
        self.enrol_button.clicked.connect(self.enrol)
        self.enrol_password.returnPressed.connect(self.enrol)
        form = QFormLayout(tab)
        form.addRow(_("Central service &address"), self.server)
        form.addRow(_("One-time &code"), self.code)
        form.addRow(_("&User name"), self.enrol_login)
        form.addRow(_("Service &password"), self.enrol_password)
        form.addRow(self.enrol_button)
        return tab

    def _create_tab(self) -> QWidget:
        tab = QWidget()
        self.name = QLineEdit()
        self.create_login = QLineEdit()
        self.passphrase = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.head = QCheckBox(_("I am the head of service (I approve and sign decisions)"))
        hint = QLabel(_(PASSPHRASE_HINT).format(count=MIN_PASSPHRASE))
        hint.setWordWrap(True)
        self.create_button = QPushButton(_("Create the encrypted store"))
        self.create_button.clicked.connect(self.create)
        self.repeat.returnPressed.connect(self.create)
        form = QFormLayout(tab)
        form.addRow(_("Your &name"), self.name)
        form.addRow(_("&User name"), self.create_login)
        form.addRow(_("&Passphrase"), self.passphrase)
        form.addRow(_("&Repeat passphrase"), self.repeat)
        form.addRow(hint)
        form.addRow(self.head)
        form.addRow(self.create_button)
        return tab

    # actions
    def enrol(self) -> None:
        from sync.client import enrol

        url, code, login = self.server.text().strip(), self.code.text().strip(), self.enrol_login.text().strip()
        password = self.enrol_password.text()
        self.enrol_password.clear()
        self._start(lambda: (enrol(self.data_dir, url=url, code=code, login=login, password=password, http=self.http),
                             password),
                    _("Enrolling… the first synchronisation follows in the background."))

    def create(self) -> None:
        from storage.store import Store

        name, login = self.name.text().strip(), self.create_login.text().strip()
        passphrase, repeat = self.passphrase.text(), self.repeat.text()
        self.passphrase.clear()
        self.repeat.clear()
        roles = ["head" if self.head.isChecked() else "social_worker", "administrator"]

        def work():
            checked = validate_login(login)
            if passphrase != repeat:
                raise PassphrasesDiffer()
            validate_passphrase(passphrase, checked)
            store = Store.create(self.data_dir, checked, passphrase, display_name=name or checked, roles=roles)
            return store, passphrase

        self._start(work, _("Creating the encrypted store…"))

    def _start(self, work, busy_text: str) -> None:
        self.tabs.setEnabled(False)
        self.progress.setVisible(True)
        self.message.setText(busy_text)
        ops.run(self, lambda _p: work(), self._ready, self._failed, lane_name="io")

    def _ready(self, result) -> None:
        store, passphrase = result
        self.progress.setVisible(False)
        self.on_ready(Context(store), passphrase)
        self.close()

    def _failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.tabs.setEnabled(True)
        self.message.setText(ops.message_for(error))
