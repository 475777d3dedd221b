"""Record an assessment on a scale from ``resources/templates`` (the functional "spider", risk factors, basic
needs): a score for every domain, a summary, and final or draft. Enter saves, Esc cancels."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QScrollArea,
    QSpinBox, QVBoxLayout, QWidget,
)

from app import client_file, visits
from app.context import Context
from app.i18n import _
from ui import ops


def scales() -> list[visits.Template]:
    """Every assessment scale (a template with domains), latest versions."""
    found = {}
    for path in sorted(visits.TEMPLATES_DIR.glob("*_v*.json")):
        match = visits.TEMPLATE_FILE.match(path.name)
        if match and match["id"] not in found:
            template = visits.load_template(match["id"])
            if template.domains:
                found[template.id] = template
    return list(found.values())


class AssessmentDialog(QDialog):
    def __init__(self, ctx: Context, client_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.client_id = ctx, client_id
        self.setWindowTitle(_("New assessment"))
        self.templates = scales()
        self.template = QComboBox()
        for template in self.templates:
            self.template.addItem(client_file.in_language(template.title, template.id), template.id)
        self.template.currentIndexChanged.connect(self._build_scores)
        self.day = QDateEdit(QDate(ctx.today()))
        self.day.setDisplayFormat("dd.MM.yyyy")
        self.day.setCalendarPopup(True)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(self.summary.fontMetrics().lineSpacing() * 5)
        self.final = QCheckBox(_("&Final (the client has seen the result)"))
        self.scores_box = QWidget()
        self.scores_form = QFormLayout(self.scores_box)
        self.spins: dict[str, QSpinBox] = {}
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.scores_box)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("&Scale:"), self.template)
        form.addRow(_("&Date:"), self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(_("Summary:")))
        layout.addWidget(self.summary)
        layout.addWidget(self.final)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._build_scores()

    def current_template(self) -> visits.Template | None:
        index = self.template.currentIndex()
        return self.templates[index] if 0 <= index < len(self.templates) else None

    def _build_scores(self, *_args) -> None:
        while self.scores_form.rowCount():
            self.scores_form.removeRow(0)
        self.spins = {}
        template = self.current_template()
        if template is None:
            return
        for domain in template.domains:
            spin = QSpinBox()
            spin.setRange(template.scale_min, template.scale_max)
            spin.setValue((template.scale_min + template.scale_max) // 2)
            self.spins[domain["id"]] = spin
            self.scores_form.addRow(client_file.in_language(domain, domain["id"]) + ":", spin)

    def scores(self) -> dict[str, int]:
        return {domain: spin.value() for domain, spin in self.spins.items()}

    def save(self) -> None:
        template = self.current_template()
        if template is None:
            return
        ctx, client_id, scores = self.ctx, self.client_id, self.scores()
        day = dt.date(self.day.date().year(), self.day.date().month(), self.day.date().day())
        summary, final = self.summary.toPlainText().strip() or None, self.final.isChecked()
        ops.act(self, lambda: visits.record_assessment(ctx, client_id, template.id, scores, day, summary=summary,
                                                       finalise=final),
                done=lambda _id: self.accept(), failed=self.error.setText)
