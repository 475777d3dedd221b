"""Reports: inspection readiness, workload, annual statistics and the complaints register — the same reports as
``lieta report``, built in the store lane, shown as tables with bar charts, and printed through the preview.

The report is made and turned into cell texts in the worker (:func:`ui.reports.model.prepare`); the UI thread
only fills a table model and paints bars. A table list on the left picks which of a report's tables is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QTableView,
    QVBoxLayout,
)

from app.context import Context
from app.i18n import _, current_language
from ui import ops
from ui.page import Page
from ui.printing import preview_document
from ui.reports.chart import Charts
from ui.reports.model import KINDS, Prepared, ReportTableModel, build_report, prepare


class ReportsView(Page):
    def __init__(self, ctx: Context, shell: Any) -> None:
        super().__init__(ctx, shell)
        self.title = _("Reports")
        self.prepared: Prepared | None = None
        self._asked: tuple | None = None  # the parameters of the report shown (re-run after changes)
        self._generation = 0
        self._build()
        self._kind_changed()

    # layout
    def _build(self) -> None:
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(_(kind.label), kind.key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        today = self.ctx.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy.")
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.run_button = QPushButton(_("&Run"))
        self.run_button.setToolTip(_("Build the report (Ctrl+R)"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.print_button = QPushButton(_("&Print preview…"))
        self.print_button.setToolTip(_("Preview and print the report with its charts (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_preview)
        self.print_button.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: the report is being built
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(160)
        self.busy.hide()

        form = QFormLayout()
        self.kind_label = QLabel(_("Re&port"))
        self.kind_label.setBuddy(self.kind)
        self.year_label = QLabel(_("&Year"))
        self.year_label.setBuddy(self.year)
        self.day_label = QLabel(_("&As of"))
        self.day_label.setBuddy(self.day)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.year_label, self.year)
        form.addRow(self.day_label, self.day)
        actions = QHBoxLayout()
        actions.addWidget(self.run_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.busy)
        actions.addStretch(1)
        form.addRow(actions)

        self.heading = QLabel("")
        self.heading.setObjectName("report-heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel(_("Choose a report and press Run."))
        self.message.setWordWrap(True)

        self.tables = QListWidget()
        self.tables.setObjectName("report-tables")
        self.tables.currentRowChanged.connect(self._show_table)
        self.model = ReportTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.charts = Charts()
        chart_area = QScrollArea()
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.charts)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        right.addWidget(chart_area)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.tables)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([260, 900])
        self.tables.setWordWrap(True)
        self.tables.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)
        for keys, slot in (((QKeySequence("Ctrl+R"), QKeySequence("F5")), self.run),
                           ((QKeySequence(QKeySequence.StandardKey.Print),), self.print_preview)):
            for key in keys:
                QShortcut(key, self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setTabOrder(self.kind, self.year)
        self.setTabOrder(self.year, self.day)
        self.setTabOrder(self.day, self.run_button)
        self.setTabOrder(self.run_button, self.print_button)
        self.setTabOrder(self.print_button, self.tables)
        self.setTabOrder(self.tables, self.table)

    def _kind_changed(self) -> None:
        yearly = KINDS[self.kind.currentIndex()].yearly
        for widget in (self.year, self.year_label):
            widget.setVisible(yearly)
        for widget in (self.day, self.day_label):
            widget.setVisible(not yearly)

    # running
    def parameters(self) -> tuple[str, int | None, dt.date | None]:
        kind = KINDS[self.kind.currentIndex()]
        if kind.yearly:
            return kind.key, self.year.value(), None
        return kind.key, None, self.day.date().toPython()

    def run(self, asked: tuple | None = None) -> None:
        """Build the chosen report in the store lane; the busy bar shows until it arrives."""
        kind, year, day = asked or self.parameters()
        self._asked = (kind, year, day)
        self._generation += 1
        generation, ctx, language = self._generation, self.ctx, current_language()
        self._set_busy(True)

        def work() -> Prepared:
            return prepare(build_report(ctx, kind, year=year, day=day), language)

        ops.load(self, work, lambda prepared: self._on_built(generation, prepared), key="report",
                 on_failed=lambda text: self._on_failed(generation, text))

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.run_button.setEnabled(not busy)
        self.print_button.setEnabled(not busy and self.prepared is not None)
        if busy:
            self.message.setText(_("Building the report…"))

    def _on_built(self, generation: int, prepared: Prepared) -> None:
        if generation != self._generation:
            return
        self.prepared = prepared
        self._set_busy(False)
        self.heading.setText("\n".join([prepared.title, *(f"{label}: {value}" for label, value in prepared.headings)]))
        self.message.setText(prepared.note)
        self.message.setVisible(bool(prepared.note))
        self.tables.blockSignals(True)
        self.tables.clear()
        for texts in prepared.tables:
            item = QListWidgetItem(f"{texts.title} ({len(texts.body)})")
            item.setToolTip(texts.title)
            self.tables.addItem(item)
        self.tables.blockSignals(False)
        self.tables.setCurrentRow(0 if prepared.tables else -1)
        self._show_table(self.tables.currentRow())

    def _on_failed(self, generation: int, text: str) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.message.setVisible(True)
        self.message.setText(text)

    def _show_table(self, row: int) -> None:
        texts = self.prepared.tables[row] if self.prepared and 0 <= row < len(self.prepared.tables) else None
        self.model.show(texts)
        self.charts.show_panels(texts.panels if texts else [])

    # printing
    def print_preview(self) -> None:
        if self.prepared is None or not self.print_button.isEnabled():
            return
        from forms.service_reports import print_report

        ctx, report = self.ctx, self.prepared.report
        self.preview = preview_document(self, self.prepared.title, lambda large_print=False: print_report(
            ctx, report, large_print=large_print))

    # page
    def refresh(self) -> None:
        """After a change elsewhere the report shown is built again; nothing runs until the user asks once."""
        if self._asked is not None and self.prepared is not None:
            self.run(self._asked)

    def clear(self) -> None:
        self._generation += 1  # a report still being built is dropped when it arrives
        self.prepared, self._asked = None, None
        self.model.show(None)
        self.charts.show_panels([])
        self.tables.clear()
        self.heading.clear()
        self.message.setVisible(True)
        self.message.setText(_("Choose a report and press Run."))
        self._set_busy(False)
