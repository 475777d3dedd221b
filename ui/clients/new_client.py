"""Register a new client: the person and their registration in one step, with two guards against duplicates.

The personal code is checked as it is typed (``ui.clients.person_form``, shared with editing), so a mistyped digit
is caught before saving; clients with a similar name are listed while the name is typed (a person without a code,
or with a code mistyped, is still found). A code already on file is refused by the service and the dialog offers
to open that client's file instead. Person and client are saved together or not at all
(``app.people.register_new_client``).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app import people
from app.i18n import _
from app.people import CLIENT_TYPES, TARGET_GROUPS, DuplicatePerson, PersonInput
from app.search import search_clients
from forms.labels import date_text, label
from ui import ops
from ui.clients.person_form import PersonForm


class NewClientDialog(QDialog):
    sig_open_client = Signal(object)  # uuid of the client to open (the new one, or the existing duplicate)

    def __init__(self, ctx, parent: QWidget | None = None, *, initial: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing_client: uuid.UUID | None = None
        self.setWindowTitle(_("New client"))
        self.person = PersonForm()
        # the dialog's own names for the person's inputs (the search tests and callers use them)
        self.given, self.surname, self.code = self.person.given, self.person.surname, self.person.code
        self.code_hint, self.birth, self.gender = self.person.code_hint, self.person.birth, self.person.gender
        self.address, self.phone = self.person.address, self.person.phone
        self.client_type = QComboBox()
        for code in CLIENT_TYPES:
            self.client_type.addItem(label("client_type", code), code)
        self.referral = QLineEdit()
        self.referral.setPlaceholderText(_("institution or person who reported the case"))
        self.groups = {code: QCheckBox(label("target_group", code)) for code in TARGET_GROUPS}
        self.similar = QListWidget()
        self.similar.setMaximumHeight(110)
        self.similar.itemActivated.connect(self._open_similar)
        self.similar_box = QGroupBox(_("Already registered with a similar name (Enter opens the file)"))
        QVBoxLayout(self.similar_box).addWidget(self.similar)
        self.similar_box.setVisible(False)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("form-message")
        self.message.setStyleSheet("color: #a40000")
        self.open_existing = QPushButton(_("&Open the existing client"))
        self.open_existing.setVisible(False)
        self.open_existing.clicked.connect(lambda: self._open(self.existing_client))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Register client"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)  # two columns of target groups fit
        self.given.textChanged.connect(self._look_for_similar)
        self.surname.textChanged.connect(self._look_for_similar)
        self.client_type.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self._prefill(initial)

    def _layout(self) -> None:
        form = self.person.form
        form.addRow(_("Client &type"), self.client_type)
        form.addRow(_("Reported &by"), self.referral)
        groups = QGroupBox(_("Target groups"))
        grid = QGridLayout(groups)
        for index, box in enumerate(self.groups.values()):
            grid.addWidget(box, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.person)
        layout.addWidget(groups)
        layout.addWidget(self.similar_box)
        layout.addWidget(self.message)
        layout.addWidget(self.open_existing, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)

    def _prefill(self, text: str) -> None:
        """What was typed in the search box carries over: digits to the code, words to the name."""
        text = text.strip()
        if not text:
            return
        if any(ch.isdigit() for ch in text):
            self.code.setText(text)
            return
        words = text.split()
        if len(words) >= 2:
            self.given.setText(" ".join(words[:-1]))
            self.surname.setText(words[-1])
        else:
            self.surname.setText(text)

    # live checks
    def _look_for_similar(self) -> None:
        query = f"{self.given.text().strip()} {self.surname.text().strip()}".strip()
        if len(query) < 3:
            self._show_similar([])
            return
        ops.load(self, lambda: list(search_clients(self.ctx, query, limit=8)), self._show_similar, key="similar")

    def _show_similar(self, hits: list) -> None:
        self.similar.clear()
        for hit in hits:
            born = date_text(hit.birth_date) if hit.birth_date else ""
            item = QListWidgetItem("   ".join(filter(None, (hit.full_name, hit.personal_code or born, hit.address))))
            item.setData(Qt.ItemDataRole.UserRole, hit.client_id)
            self.similar.addItem(item)
        self.similar_box.setVisible(bool(hits))

    def _type_changed(self) -> None:
        mandatory = self.client_type.currentData() == "mandatory"
        self.referral.setEnabled(mandatory)

    # saving
    def person_input(self) -> PersonInput:
        return self.person.person_input()

    def save(self) -> None:
        data = self.person_input()
        client = dict(client_type=self.client_type.currentData(),
                      target_groups=[code for code, box in self.groups.items() if box.isChecked()],
                      referral_source=self.referral.text().strip() or None)
        self.buttons.setEnabled(False)
        self.message.setText(_("Saving…"))
        ops.run(self, lambda _p: people.register_new_client(self.ctx, data, **client), self._saved, self._refused)

    def _saved(self, client_id: uuid.UUID) -> None:
        ops.bus().sig_changed.emit()
        self._open(client_id)

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(ops.message_for(error))
        if isinstance(error, DuplicatePerson):
            ops.load(self, lambda: people.client_of_person(self.ctx, error.existing_id), self._offer_existing,
                     key="existing")
        field = {**self.person.fields(), "referral_source": self.referral}.get(getattr(error, "field", ""))
        if field is not None:
            field.setFocus()

    def _offer_existing(self, client_id: uuid.UUID | None) -> None:
        self.existing_client = client_id
        self.open_existing.setVisible(client_id is not None)

    def _open_similar(self, item: QListWidgetItem) -> None:
        self._open(item.data(Qt.ItemDataRole.UserRole))

    def _open(self, client_id: uuid.UUID | None) -> None:
        if client_id is None:
            return
        self.accept()
        self.sig_open_client.emit(client_id)
