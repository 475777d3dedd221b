"""Edit the client's personal details with the same form and live personal-code check as "new client"
(``ui.clients.person_form``). The person is read in the store lane when the dialog opens; fields the form does
not show (e-mail, parish, language) are sent back as they were.

A new personal code is a change of identity data the law wants explained (adoption, a corrected birth date): the
dialog then asks for the reason; ``app.people.update_person`` saves the new code (the old one stays in the person's
history) and the other details in one transaction. Enter saves, Esc cancels.
"""

from __future__ import annotations

import uuid
from typing import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import client_file, people
from app.context import Context
from app.errors import ValidationError
from app.i18n import _
from app.people import PersonInput
from app.personal_code import parse_personal_code
from ui import ops
from ui.clients.person_form import PersonForm


def same_code(a: str | None, b: str | None) -> bool:
    """Whether two typed codes are the same code ("05038512347" is "050385-12347")."""
    def canonical(code: str | None) -> str:
        code = (code or "").strip()
        try:
            return parse_personal_code(code).formatted if code else ""
        except ValidationError:  # a code that does not parse is simply not the stored one
            return code
    return canonical(a) == canonical(b)


class EditPersonDialog(QDialog):
    def __init__(self, ctx: Context, client_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.client_id = ctx, client_id
        self.person_id: uuid.UUID | None = None
        self.stored_code: str | None = None
        self.setWindowTitle(_("Edit personal details"))
        self.person = PersonForm()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. adoption, a corrected date of birth"))
        self.reason_label = QLabel(_("&Reason for the new code") + " *")
        self.reason_label.setBuddy(self.reason)
        self.person.form.addRow(self.reason_label, self.reason)
        self.message = QLabel(_("Reading…"))
        self.message.setObjectName("form-message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)  # until the person is read
        layout = QVBoxLayout(self)
        layout.addWidget(self.person)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.person.code.textChanged.connect(self._code_changed)
        self._code_changed()
        ops.load(self, lambda: client_file.person_details(ctx, client_id), self._read, key="person",
                 on_failed=self.message.setText)

    def _read(self, details: tuple[uuid.UUID, PersonInput]) -> None:
        self.person_id, data = details
        self.stored_code = data.personal_code
        self.person.set_person(data)
        self.message.clear()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.person.given.setFocus()

    def code_changed(self) -> bool:
        return self.person_id is not None and not same_code(self.person.code.text(), self.stored_code)

    def _code_changed(self, *_args) -> None:
        changed = self.code_changed()
        self.reason.setVisible(changed)
        self.reason_label.setVisible(changed)

    def save(self) -> None:
        if self.person_id is None:
            return
        ctx, person_id, data = self.ctx, self.person_id, self.person.person_input()
        new_code = data.personal_code if self.code_changed() and data.personal_code else None
        reason = self.reason.text()

        self.buttons.setEnabled(False)
        self.message.setText(_("Saving…"))
        ops.run(self, lambda _p: people.update_person(ctx, person_id, data,
                                                      code_reason=reason if new_code is not None else None),
                self._saved, self._refused)

    def _saved(self, _result: object) -> None:
        ops.bus().sig_changed.emit()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = ops.message_for(error)
        ops.bus().sig_failed.emit(text)
        self.message.setText(text)
        field = {**self.person.fields(), "reason": self.reason}.get(getattr(error, "field", ""))
        if field is not None:
            field.setFocus()


def edit_person(parent: QWidget, ctx: Context, client_id: uuid.UUID, on_saved: Callable[[], None]) -> EditPersonDialog:
    dialog = EditPersonDialog(ctx, client_id, parent)
    dialog.accepted.connect(on_saved)
    dialog.open()
    return dialog
