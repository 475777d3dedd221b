"""Register a new client: the person and their registration in one step, with two guards against duplicates.

The personal code is checked as it is typed (``app.personal_code`` is pure, no store access), so a mistyped digit
is caught before saving; clients with a similar name are listed while the name is typed (a person without a code,
or with a code mistyped, is still found). A code already on file is refused by the service and the dialog offers
to open that client's file instead. Person and client are saved together or not at all
(``app.people.register_new_client``).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app import people
from app.errors import ValidationError
from app.i18n import _
from app.people import CLIENT_TYPES, GENDERS, TARGET_GROUPS, DuplicatePerson, PersonInput
from app.personal_code import parse_personal_code
from app.search import search_clients
from forms.labels import label
from ui import ops


class NewClientDialog(QDialog):
    sig_open_client = Signal(object)  # uuid of the client to open (the new one, or the existing duplicate)

    def __init__(self, ctx, parent: QWidget | None = None, *, initial: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing_client: uuid.UUID | None = None
        self.setWindowTitle(_("New client"))
        self.given = QLineEdit()
        self.surname = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("e.g. 050385-12347"))
        self.code_hint = QLabel("")
        self.code_hint.setWordWrap(True)
        self.birth = QDateEdit()
        self.birth.setDisplayFormat("dd.MM.yyyy")
        self.birth.setCalendarPopup(True)
        self.birth.setSpecialValueText(_("not known"))
        self.birth.setMinimumDate(QDate(1890, 1, 1))
        self.birth.setDate(self.birth.minimumDate())  # shows "not known"
        self.gender = QComboBox()
        self.gender.addItem(_("not recorded"), None)
        for code in GENDERS:
            self.gender.addItem(label("gender", code), code)
        self.address = QLineEdit()
        self.phone = QLineEdit()
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
        self.code.textChanged.connect(self._check_code)
        self.given.textChanged.connect(self._look_for_similar)
        self.surname.textChanged.connect(self._look_for_similar)
        self.client_type.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self._prefill(initial)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(_("&Given name") + " *", self.given)
        form.addRow(_("&Surname") + " *", self.surname)
        form.addRow(_("&Personal code"), self.code)
        form.addRow("", self.code_hint)
        form.addRow(_("Date of &birth"), self.birth)
        form.addRow(_("Gender"), self.gender)
        form.addRow(_("&Address"), self.address)
        form.addRow(_("P&hone"), self.phone)
        form.addRow(_("Client &type"), self.client_type)
        form.addRow(_("Reported &by"), self.referral)
        groups = QGroupBox(_("Target groups"))
        grid = QGridLayout(groups)
        for index, box in enumerate(self.groups.values()):
            grid.addWidget(box, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
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
    def _check_code(self, text: str) -> None:
        if not text.strip():
            self.code_hint.setText("")
            return
        try:
            code = parse_personal_code(text)
        except ValidationError as error:
            self.code_hint.setText("✗ " + ops.message_for(error))
            return
        born = code.birth_date.strftime("%d.%m.%Y") if code.birth_date else ""
        hint = _("✓ valid personal code, born {date}").format(date=born) if born else _("✓ valid personal code")
        if not code.checksum_ok:
            hint = _("⚠ the check digit does not match: check the code with the client's document")
        self.code_hint.setText(hint)
        if code.birth_date:
            self.birth.setDate(QDate(code.birth_date.year, code.birth_date.month, code.birth_date.day))

    def _look_for_similar(self) -> None:
        query = f"{self.given.text().strip()} {self.surname.text().strip()}".strip()
        if len(query) < 3:
            self._show_similar([])
            return
        ops.load(self, lambda: list(search_clients(self.ctx, query, limit=8)), self._show_similar, key="similar")

    def _show_similar(self, hits: list) -> None:
        self.similar.clear()
        for hit in hits:
            born = hit.birth_date.strftime("%d.%m.%Y") if hit.birth_date else ""
            item = QListWidgetItem("   ".join(filter(None, (hit.full_name, hit.personal_code or born, hit.address))))
            item.setData(Qt.ItemDataRole.UserRole, hit.client_id)
            self.similar.addItem(item)
        self.similar_box.setVisible(bool(hits))

    def _type_changed(self) -> None:
        mandatory = self.client_type.currentData() == "mandatory"
        self.referral.setEnabled(mandatory)

    # saving
    def person_input(self) -> PersonInput:
        birth = self.birth.date()
        return PersonInput(
            given_name=self.given.text(), surname=self.surname.text(), personal_code=self.code.text().strip() or None,
            birth_date=None if birth == self.birth.minimumDate() else birth.toPython(),
            gender=self.gender.currentData(), address=self.address.text().strip() or None,
            phone=self.phone.text().strip() or None)

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
        field = {"given_name": self.given, "surname": self.surname, "personal_code": self.code,
                 "birth_date": self.birth, "address": self.address, "phone": self.phone,
                 "referral_source": self.referral}.get(getattr(error, "field", ""))
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
