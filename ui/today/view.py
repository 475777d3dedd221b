"""Today: a social worker's start of the day (issue 6 §2).

One list, overdue first: deadlines, reviews, tasks, expiring statuses, notifications to record, planned home
visits and decisions the head returned — only this worker's. Above it: the sync state, unresolved sync
conflicts (a link to their review) and, for the head of service, the approval queue. Arrows move through the
list, Enter opens the client file, the visit or the decision. Everything is read by ``app.due.today_summary``
in the store lane; nothing here decides what is due.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout

from app.context import Context
from app.due import TodaySummary, today_summary
from app.i18n import _
from sync import local
from ui import ops
from ui.page import Page
from ui.sync_status import describe
from ui.today.model import Row, TodayModel, build_rows

WITHIN_DAYS = 14


def _load(ctx: Context) -> tuple[TodaySummary, local.SyncStatus | None]:
    summary = today_summary(ctx, within_days=WITHIN_DAYS)
    try:
        status = local.status(ctx.store)
    except Exception:  # noqa: BLE001 - the sync line is secondary: Today shows what it has
        status = None
    return summary, status


class TodayView(Page):
    def __init__(self, ctx: Context, shell: Any) -> None:
        super().__init__(ctx, shell)
        self.title = _("Today")
        self.summary: TodaySummary | None = None
        self.sync_label = QLabel("")
        self.sync_label.setObjectName("today-sync")
        self.sync_label.setWordWrap(True)
        self.conflicts_button = QPushButton("")
        self.conflicts_button.setObjectName("today-conflicts")
        self.conflicts_button.clicked.connect(lambda: self._go("conflicts"))
        self.approvals_button = QPushButton("")
        self.approvals_button.setObjectName("today-approvals")
        self.approvals_button.clicked.connect(lambda: self._go("approvals"))
        for button in (self.conflicts_button, self.approvals_button):
            button.setVisible(False)
            button.setMinimumHeight(button.sizeHint().height() + 8)  # a large target
        self.empty = QLabel("")
        self.empty.setObjectName("today-empty")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        self.model = TodayModel(self)
        self.table = QTableView()
        self.table.setObjectName("today-list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(self.open_index)
        self.table.setAccessibleName(_("What is due today and in the coming days"))
        self.hint = QLabel(_("↑ ↓ choose, Enter opens"))
        links = QHBoxLayout()
        links.addWidget(self.conflicts_button)
        links.addWidget(self.approvals_button)
        links.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sync_label)
        layout.addLayout(links)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.table)

    # -- data ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.ctx
        ops.load(self, lambda: _load(ctx), self.show_summary)

    def show_summary(self, result: tuple[TodaySummary, local.SyncStatus | None]) -> None:
        summary, status = result
        self.summary = summary
        rows = build_rows(summary, self.ctx.today(), WITHIN_DAYS)
        current = self.current_target()
        self.model.set_rows(rows)
        self.table.clearSpans()
        for number, row in enumerate(rows):
            if row.heading:
                self.table.setSpan(number, 0, 1, self.model.columnCount())
        self._select(current)
        if not summary.items:
            self.empty.setText(_("Nothing is due in the next {days} days.").format(days=WITHIN_DAYS))
        self.empty.setVisible(not summary.items)
        self.table.setVisible(bool(rows))
        self.hint.setVisible(bool(rows))
        text, online = describe(status)
        if status is not None and status.enrolled:
            text = _("Sync: {state}").format(state=text) + " · " + (_("online") if online else _("offline"))
        self.sync_label.setText(text)
        self.conflicts_button.setText(_("&Unresolved sync conflicts: {count} — review").format(
            count=summary.conflicts))
        self.conflicts_button.setVisible(summary.conflicts > 0)
        self.approvals_button.setText(_("Decisions &waiting for your approval: {count}").format(
            count=summary.approvals))
        self.approvals_button.setVisible(self.ctx.has_role("head") and summary.approvals > 0)

    def _select(self, target: tuple[str, Any] | None) -> None:
        rows = self.model.rows
        choice = next((n for n, row in enumerate(rows) if target is not None and row.target == target), None)
        if choice is None:
            choice = next((n for n, row in enumerate(rows) if not row.heading), None)
        if choice is not None:
            self.table.setCurrentIndex(self.model.index(choice, 0))

    def current_target(self) -> tuple[str, Any] | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()].target

    # -- opening -------------------------------------------------------------------------------------------------
    def open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_row(self.model.rows[index.row()])

    def open_row(self, row: Row) -> None:
        if row.target is None or self.shell is None:
            return
        kind, record = row.target
        opener = {"client": self.shell.open_client, "visit": self.shell.open_visit,
                  "decision": self.shell.open_decision}[kind]
        opener(record)

    def _go(self, section: str) -> None:
        if self.shell is not None:
            self.shell.show_section(section)

    def clear(self) -> None:
        self.summary = None
        self.model.set_rows([])
        self.table.clearSpans()
        self.sync_label.clear()
        self.empty.clear()
        self.conflicts_button.setText("")
        self.approvals_button.setText("")
        for widget in (self.conflicts_button, self.approvals_button, self.empty):
            widget.setVisible(False)
