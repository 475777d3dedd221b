"""Planning a home visit: the day, why the worker goes, and which checklist she will fill in."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app import visits
from app.context import Context
from app.i18n import _
from app.visits import Template
from forms.labels import in_language
from ui import ops
from ui.visits.widgets import role, tall


class PlanVisitDialog(QDialog):
    """Enter plans the visit (``app.visits.plan_home_visit``), Esc cancels; ``on_planned(visit_id)`` after."""

    def __init__(self, ctx: Context, client_id: uuid.UUID, templates: list[Template],
                 on_planned: Callable[[uuid.UUID], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.client_id, self.on_planned = ctx, client_id, on_planned
        self.setWindowTitle(_("Plan a home visit"))
        self.setStyleSheet('QLabel[role="warning"] { color: #b00020; font-weight: bold; }')
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date = tall(QDateEdit())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        today = ctx.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.purpose = tall(QLineEdit())
        self.purpose.setPlaceholderText(_("e.g. assess the living conditions of the children"))
        self.template = tall(QComboBox())
        for template in templates:
            self.template.addItem(in_language(template.title), template.id)
        for label, widget in ((_("&Date"), self.date), (_("&Purpose of the visit"), self.purpose),
                              (_("&Checklist"), self.template)):
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        layout.addLayout(form)
        self.message = role(QLabel(""), "warning")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Plan the visit"))
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.plan)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.purpose.setFocus()

    def plan(self) -> None:
        ctx, client_id = self.ctx, self.client_id
        day = self.date.date()
        planned_on = dt.date(day.year(), day.month(), day.day())
        purpose, template_id = self.purpose.text(), self.template.currentData() or ""
        self.ok_button.setEnabled(False)
        ops.act(self, lambda: visits.plan_home_visit(ctx, client_id, planned_on, purpose, template_id),
                done=self._planned, failed=self._refused)

    def _planned(self, visit_id: uuid.UUID) -> None:
        self.accept()
        self.on_planned(visit_id)

    def _refused(self, text: str) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()
