"""A small form dialog for one step of the work (a goal, a review, a duty, a signature…): a few fields, Enter
saves, Esc cancels; ``submit(values)`` runs in the store lane, the service validates, and its message appears above
the buttons — the dialog closes only when the step was saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.context import Context
from app.i18n import _
from ui import ops
from ui.clients.tabs.base import date_text


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # msgid with its mnemonic
    kind: str = "line"  # line | text | date | choice
    default: str = ""
    options: tuple[tuple[str, Any], ...] = ()  # (shown text, value) of a choice
    translate: bool = True  # False: the label is the user's own text (a goal's wording), not a msgid


class FormDialog(QDialog):
    """``submit(values)`` runs in the store lane; the dialog closes when it succeeded."""

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.saved: Any = None  # what ``submit`` returned (e.g. the new record's id) once it succeeded
        self.inputs: dict[str, QWidget] = {}
        form = QFormLayout()
        for field in fields:
            if field.kind == "text":
                widget = QPlainTextEdit(field.default)
                widget.setTabChangesFocus(True)
                widget.setMaximumHeight(widget.fontMetrics().lineSpacing() * 6)
            elif field.kind == "choice":
                widget = QComboBox()
                for text, value in field.options:
                    widget.addItem(text, value)
                index = widget.findData(field.default) if field.default else -1
                if index >= 0:
                    widget.setCurrentIndex(index)
            else:
                widget = QLineEdit(field.default)
                if field.kind == "date":
                    widget.setPlaceholderText(_("dd.mm.yyyy"))
            caption = QLabel(_(field.label) if field.translate else field.label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
            self.inputs[field.key] = widget
        self.error = QLabel("")
        self.error.setObjectName("dialog-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def values(self) -> dict[str, Any]:
        result = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QPlainTextEdit):
                result[key] = widget.toPlainText().strip()
            elif isinstance(widget, QComboBox):
                result[key] = widget.currentData()
            else:
                result[key] = widget.text().strip()
        return result

    def save(self) -> None:
        values, submit = self.values(), self.submit
        ops.act(self, lambda: submit(values), done=self._saved, failed=self.error.setText)

    def _saved(self, result: Any) -> None:
        self.saved = result
        self.accept()


def opened(dialog: FormDialog, on_saved: Callable[[], None]) -> FormDialog:
    """Show ``dialog`` window-modal without blocking; ``on_saved`` runs when it was saved."""
    dialog.accepted.connect(on_saved)
    dialog.open()
    return dialog


def today_text(ctx: Context) -> str:
    """Today as a date field's default text (dd.mm.yyyy)."""
    return date_text(ctx.today()).rstrip(".")
