"""Assessments: the list, and the spider chart of the chosen one over the previous final one of the same kind
(so the worker and the client see what changed); a new assessment from a scale template; finalise; print."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app import client_file, visits
from app.i18n import _
from ui.clients.tabs.assessment_dialog import AssessmentDialog
from ui.clients.tabs.base import ClientTab, RowsModel, date_text, label, table
from ui.printing import preview_document
from ui.widgets.radar import CURRENT, PREVIOUS, RadarChart, Series


class AssessmentsTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.lines: list[client_file.AssessmentLine] = []
        self._newest = False
        self.model = RowsModel([_("Date"), _("Scale"), _("Status")], self)
        self.view = table(self.model, stretch=1)
        self.view.setObjectName("assessment-list")
        self.view.selectionModel().currentRowChanged.connect(lambda current, _p: self._show_chart(current.row()))
        self.chart = RadarChart()
        self.chart.setObjectName("assessment-chart")
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.new_button = QPushButton(_("&New assessment…"))
        self.new_button.clicked.connect(self.new_assessment)
        self.final_button = QPushButton(_("&Finalise"))
        self.final_button.clicked.connect(self.finalise)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.clicked.connect(self.print_assessment)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.final_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.caption)
        right_layout.addWidget(self.chart, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)
        self._enable()

    def fetch(self) -> list[client_file.AssessmentLine]:
        return client_file.assessments(self.ctx, self.client_id)

    def show_data(self, lines: list[client_file.AssessmentLine]) -> None:
        chosen = self.current()
        self.lines = lines
        self.model.set_rows([(date_text(a.assessed_on), a.title, label("assessment", a.status)) for a in lines],
                            [a.id for a in lines])
        ids = [a.id for a in lines]
        row = ids.index(chosen.id) if chosen is not None and chosen.id in ids and not self._newest else 0
        self._newest = False
        if lines:
            self.view.selectRow(row)
        self._show_chart(row if lines else -1)

    def current(self) -> client_file.AssessmentLine | None:
        index = self.view.currentIndex()
        return self.lines[index.row()] if index.isValid() and index.row() < len(self.lines) else None

    def _show_chart(self, row: int) -> None:
        if not 0 <= row < len(self.lines):
            self.chart.clear()
            self.caption.clear()
            self._enable()
            return
        item = self.lines[row]
        series = []
        if item.previous_scores is not None:
            series.append(Series(_("previous {date}").format(date=date_text(item.previous_on)),
                                 item.previous_scores, PREVIOUS))
        series.append(Series(date_text(item.assessed_on), item.scores, CURRENT, filled=True))
        self.chart.set_chart(item.axes, item.low, item.high, series)
        self.caption.setText(item.title + (f"\n{item.summary}" if item.summary else ""))
        self._enable()

    def _enable(self) -> None:
        item = self.current()
        self.final_button.setEnabled(item is not None and item.status != "final")
        self.print_button.setEnabled(item is not None)

    def new_assessment(self) -> AssessmentDialog:
        dialog = AssessmentDialog(self.ctx, self.client_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._recorded)
        dialog.open()
        return dialog

    def _recorded(self) -> None:
        self._newest = True  # the new assessment is the one the worker wants to see
        self.refresh()

    def finalise(self) -> None:
        item = self.current()
        if item is not None and item.status != "final":
            ctx, assessment_id = self.ctx, item.id
            self.act(lambda: visits.finalise_assessment(ctx, assessment_id), done=lambda _r: self.refresh())

    def print_assessment(self) -> None:
        item = self.current()
        if item is None:
            return
        from forms.assessment import assessment_report
        ctx, assessment_id = self.ctx, item.id
        preview_document(self, item.title,
                         lambda large_print=False: assessment_report(ctx, assessment_id, large_print=large_print))

    def clear(self) -> None:
        super().clear()
        self.lines = []
        self.model.clear()
        self.chart.clear()
        self.caption.clear()
        self._enable()
