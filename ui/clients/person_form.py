"""The person's fields as one widget, shared by "new client" and "edit personal details" so both check a personal
code the same way as it is typed (``app.personal_code`` is pure, no store access): a mistyped digit is caught
before saving, and a valid code fills in the date of birth.

The rows sit in :attr:`PersonForm.form` (a ``QFormLayout``), so a dialog may add its own rows below them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QLabel, QLineEdit, QWidget

from app.errors import ValidationError
from app.i18n import _
from app.people import GENDERS, PersonInput
from app.personal_code import parse_personal_code
from forms.labels import date_text, label
from ui import ops

EARLIEST_BIRTH = QDate(1890, 1, 1)  # the minimum of the date field stands for "not known"


class PersonForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kept = PersonInput("", "")  # what the form does not show (e-mail, parish, language) goes back as read
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
        self.birth.setMinimumDate(EARLIEST_BIRTH)
        self.birth.setDate(EARLIEST_BIRTH)  # shows "not known"
        self.gender = QComboBox()
        self.gender.addItem(_("not recorded"), None)
        for code in GENDERS:
            self.gender.addItem(label("gender", code), code)
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(_("&Given name") + " *", self.given)
        self.form.addRow(_("&Surname") + " *", self.surname)
        self.form.addRow(_("&Personal code"), self.code)
        self.form.addRow("", self.code_hint)
        self.form.addRow(_("Date of &birth"), self.birth)
        self.form.addRow(_("Gender"), self.gender)
        self.form.addRow(_("&Address"), self.address)
        self.form.addRow(_("P&hone"), self.phone)
        self.code.textChanged.connect(self.check_code)

    def fields(self) -> dict[str, QWidget]:
        """The input of each ``PersonInput`` field: a refused save puts the cursor in the field at fault."""
        return {"given_name": self.given, "surname": self.surname, "personal_code": self.code,
                "birth_date": self.birth, "gender": self.gender, "address": self.address, "phone": self.phone}

    def check_code(self, text: str) -> None:
        if not text.strip():
            self.code_hint.setText("")
            return
        try:
            code = parse_personal_code(text)
        except ValidationError as error:
            self.code_hint.setText("✗ " + ops.message_for(error))
            return
        born = date_text(code.birth_date) if code.birth_date else ""
        hint = _("✓ valid personal code, born {date}").format(date=born) if born else _("✓ valid personal code")
        if not code.checksum_ok:
            hint = _("⚠ the check digit does not match: check the code with the client's document")
        self.code_hint.setText(hint)
        if code.birth_date:
            self.set_birth(code.birth_date)

    def set_birth(self, day: dt.date | None) -> None:
        self.birth.setDate(QDate(day.year, day.month, day.day) if day else EARLIEST_BIRTH)

    def set_person(self, data: PersonInput) -> None:
        """Show a person read from the store (editing)."""
        self.kept = data
        self.given.setText(data.given_name)
        self.surname.setText(data.surname)
        self.code.setText(data.personal_code or "")
        birth = data.birth_date
        self.set_birth(dt.date.fromisoformat(birth) if isinstance(birth, str) else birth)
        index = self.gender.findData(data.gender)
        self.gender.setCurrentIndex(max(index, 0))
        self.address.setText(data.address or "")
        self.phone.setText(data.phone or "")

    def person_input(self) -> PersonInput:
        birth = self.birth.date()
        return replace(
            self.kept, given_name=self.given.text(), surname=self.surname.text(),
            personal_code=self.code.text().strip() or None,
            birth_date=None if birth == EARLIEST_BIRTH else birth.toPython(),
            gender=self.gender.currentData(), address=self.address.text().strip() or None,
            phone=self.phone.text().strip() or None)

    def clear(self) -> None:
        """Forget the person (locking)."""
        self.kept = PersonInput("", "")
        for line in (self.given, self.surname, self.code, self.address, self.phone):
            line.clear()
        self.code_hint.clear()
        self.set_birth(None)
        self.gender.setCurrentIndex(0)
