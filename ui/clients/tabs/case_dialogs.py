"""Small dialogs for the common steps of the case (add a goal, add a task, complete a task, record a review):
a few fields, Enter saves, Esc cancels; the service validates and its message appears above the buttons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from app import cases
from app.context import Context
from app.i18n import N_, _
from ui import ops
from ui.clients.tabs.base import date_text, label


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # msgid with its mnemonic
    kind: str = "line"  # line | text | date | choice
    default: str = ""
    options: tuple[tuple[str, Any], ...] = ()  # (shown text, value) of a choice


class FormDialog(QDialog):
    """``submit(values)`` runs in the store lane; the dialog closes when it succeeded."""

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
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
            else:
                widget = QLineEdit(field.default)
                if field.kind == "date":
                    widget.setPlaceholderText(_("dd.mm.yyyy"))
            caption = QLabel(_(field.label))
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
        ops.act(self, lambda: submit(values), done=lambda _r: self.accept(), failed=self.error.setText)


def _opened(dialog: FormDialog, on_saved: Callable[[], None]) -> FormDialog:
    dialog.accepted.connect(on_saved)
    dialog.open()
    return dialog


def add_goal(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("text", N_("&Goal:"), "text"), Field("target", N_("&Target date:"), "date")]
    return _opened(FormDialog(_("Add a goal"), fields, lambda v: cases.add_goal(
        ctx, case_id, v["text"], target_date=v["target"] or None), parent), on_saved)


def add_task(parent: QWidget, ctx: Context, case_id: uuid.UUID, plan_id: uuid.UUID | None,
             goals: list[tuple[str, uuid.UUID]], on_saved: Callable[[], None]) -> FormDialog:
    who = tuple((label("responsible", kind), kind) for kind in ("worker", "client"))
    fields = [Field("description", N_("&Task:"), "text"), Field("deadline", N_("&Deadline:"), "date"),
              Field("responsible", N_("&Who does it:"), "choice", options=who),
              Field("goal", N_("For &goal:"), "choice", options=(("—", None), *goals)),
              Field("expected", N_("&Expected result:"))]
    return _opened(FormDialog(_("Add a task"), fields, lambda v: cases.add_task(
        ctx, v["description"], deadline=v["deadline"], responsible_kind=v["responsible"], plan_id=plan_id,
        case_id=None if plan_id else case_id, goal_id=v["goal"], expected_result=v["expected"] or None), parent),
        on_saved)


def complete_task(parent: QWidget, ctx: Context, task_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("done_on", N_("&Done on:"), "date", date_text(ctx.today()).rstrip(".")),
              Field("result", N_("&Result:"), "text")]
    return _opened(FormDialog(_("Complete the task"), fields, lambda v: cases.complete_task(
        ctx, task_id, v["done_on"], v["result"]), parent), on_saved)


def record_review(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("day", N_("&Date:"), "date", date_text(ctx.today()).rstrip(".")),
              Field("text", N_("&Review:"), "text")]
    return _opened(FormDialog(_("Record a review"), fields, lambda v: cases.record_review(
        ctx, case_id, v["day"], v["text"]), parent), on_saved)
