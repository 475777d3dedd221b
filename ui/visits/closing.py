"""The end of the checklist: findings and recommendations, child-protection flags, and the sign-off.

The findings are saved like the answers — after a pause in typing — as soon as the findings themselves are
written (the service keeps the report's findings required). Signing is the checklist's action; this panel only
collects the client's signature choice and shows why signing was refused.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout,
    QWidget,
)

from app.cases import FLAGS
from app.child_protection import REASONS
from app.i18n import _
from app.visits import CLIENT_SIGNATURES
from forms.home_visit import CLIENT_SIGNATURE_TEXTS
from ui.visits.widgets import SAVE_DELAY_MS, TextAnswer, role, tall

TEXTS = ("findings", "risks", "recommendations", "next_steps")


class ClosingPanel(QFrame):
    """``sig_edited`` asks the checklist to save the findings now; ``sign_button`` signs."""

    sig_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved: dict[str, Any] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.sig_edited)
        layout = QVBoxLayout(self)
        self.heading = role(QLabel(_("Findings and recommendations")), "section")
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        labels = {"findings": _("&Findings *"), "risks": _("Ris&ks"), "recommendations": _("Recommendations"),
                  "next_steps": _("Next steps")}
        self.texts: dict[str, TextAnswer] = {}
        for key in TEXTS:
            editor = TextAnswer()
            editor.textChanged.connect(self._typed)
            editor.installEventFilter(self)
            label = QLabel(labels[key])
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.texts[key] = editor
        self.participants = tall(QLineEdit())
        self.participants.textEdited.connect(self._typed)
        self.participants.installEventFilter(self)
        participants_label = QLabel(_("Participants"))
        participants_label.setBuddy(self.participants)
        form.addRow(participants_label, self.participants)
        layout.addLayout(form)
        self.hint = QLabel(_("Write the findings first: the rest is saved together with them."))
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout.addWidget(self.hint)
        layout.addWidget(role(QLabel(_("Child protection flags")), "question"))
        self.flags: dict[str, QCheckBox] = {}
        for flag in FLAGS:
            box = tall(QCheckBox(_(REASONS[flag])))
            box.toggled.connect(lambda _on: self.sig_edited.emit())
            layout.addWidget(box)
            self.flags[flag] = box

        layout.addSpacing(12)
        self.signoff_heading = role(QLabel(_("Sign-off")), "section")
        layout.addWidget(self.signoff_heading)
        self.signatures = QButtonGroup(self)
        self.signature_buttons: dict[str, QRadioButton] = {}
        for code in CLIENT_SIGNATURES:
            button = tall(QRadioButton(_(CLIENT_SIGNATURE_TEXTS[code])))
            self.signatures.addButton(button)
            self.signature_buttons[code] = button
            layout.addWidget(button)
        self.sign_button = tall(QPushButton(_("&Sign the report")))
        self.sign_button.setToolTip(_("Ctrl+Enter goes here from anywhere in the checklist"))
        layout.addWidget(self.sign_button)
        self.message = role(QLabel(""), "warning")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)

    # values
    def values(self) -> dict[str, Any]:
        """What ``app.visits.set_findings`` takes, blank fields as None."""
        result: dict[str, Any] = {key: self.texts[key].toPlainText().strip() or None for key in TEXTS}
        result["participants"] = self.participants.text().strip() or None
        result["flags"] = [flag for flag, box in self.flags.items() if box.isChecked()]
        return result

    def signature(self) -> str | None:
        return next((code for code, button in self.signature_buttons.items() if button.isChecked()), None)

    def set_values(self, detail: Any) -> None:
        """Show what the store holds (a refresh), without it counting as an edit."""
        blockers = [QSignalBlocker(w) for w in (*self.texts.values(), self.participants, *self.flags.values())]
        for key in TEXTS:
            text = getattr(detail, key) or ""
            if self.texts[key].toPlainText() != text:
                self.texts[key].setPlainText(text)
        if self.participants.text() != (detail.participants or ""):
            self.participants.setText(detail.participants or "")
        for flag, box in self.flags.items():
            box.setChecked(flag in detail.flags)
        if detail.client_signature in self.signature_buttons:
            self.signature_buttons[detail.client_signature].setChecked(True)
        for blocker in blockers:
            blocker.unblock()
        self.saved = self.values()

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.texts.values():
            editor.setReadOnly(read_only)
        self.participants.setReadOnly(read_only)
        for widget in (*self.flags.values(), *self.signature_buttons.values()):
            widget.setEnabled(not read_only)
        self.sign_button.setVisible(not read_only)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def busy(self) -> bool:
        return self.timer.isActive() or any(w.hasFocus() for w in (*self.texts.values(), self.participants))

    def clear(self) -> None:
        """Locking: no finding stays on screen."""
        self.timer.stop()
        blockers = [QSignalBlocker(w) for w in (*self.texts.values(), self.participants, *self.flags.values())]
        for editor in self.texts.values():
            editor.clear()
        self.participants.clear()
        for box in self.flags.values():
            box.setChecked(False)
        for blocker in blockers:
            blocker.unblock()
        self.signatures.setExclusive(False)
        for button in self.signature_buttons.values():
            button.setChecked(False)
        self.signatures.setExclusive(True)
        self.show_message("")
        self.saved = None

    # edits
    def _typed(self, *_args) -> None:
        self.timer.start()

    def flush(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.sig_edited.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False
