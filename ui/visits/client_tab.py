"""The client file's "Home visits" tab: her visits, latest first, and what the worker does with them.

Plan a visit (Alt+P), start or continue the selected one (Enter or Alt+S — the checklist opens over the file),
print the signed report (Alt+R) or a blank checklist to fill in by hand (Alt+B). The rows are fetched in the
store lane (``app.visits.list_visits``) and held by a small table model.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app import visits
from app.context import Context
from app.i18n import _
from app.visits import Template, VisitRow
from forms.home_visit import blank_checklist, home_visit_report
from forms.labels import date_text
from ui import ops
from ui.printing import preview_document
from ui.visits.dialogs import PlanVisitDialog
from ui.visits.widgets import tall


def status_text(status: str) -> str:
    return {"planned": _("planned"), "in_progress": _("in progress"), "signed": _("signed"),
            "cancelled": _("cancelled")}.get(status, status)


class VisitsModel(QAbstractTableModel):
    """The client's visits: date, status, purpose, worker."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[VisitRow] = []

    def set_rows(self, rows: list[VisitRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Date"), _("Status"), _("Purpose"), _("Social worker"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        day = row.visited_at.astimezone().date() if row.visited_at else row.planned_on
        return (date_text(day), status_text(row.status), row.purpose, row.worker)[index.column()]


class VisitsTab(QWidget):
    """Built as ``VisitsTab(ctx, shell, client_id)``; the client file calls :meth:`refresh` and :meth:`clear`."""

    def __init__(self, ctx: Context, shell: Any, client_id: uuid.UUID) -> None:
        super().__init__()
        self.ctx, self.shell, self.client_id = ctx, shell, client_id
        self.templates: list[Template] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.plan_button = tall(QPushButton(_("&Plan a visit…")))
        self.open_button = tall(QPushButton(_("&Start the visit")))
        self.print_button = tall(QPushButton(_("P&rint report")))
        self.blank_button = tall(QPushButton(_("&Blank checklist")))
        for button, slot in ((self.plan_button, self.plan), (self.open_button, self.open_selected),
                             (self.print_button, self.print_report), (self.blank_button, self.print_blank)):
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = VisitsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        layout.addWidget(self.table, 1)
        self.empty = QLabel(_("No home visits yet. Plan one with “Plan a visit”."))
        self.empty.hide()
        layout.addWidget(self.empty)
        self._update_buttons()

    # -- data ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx, client_id = self.ctx, self.client_id
        ops.load(self, lambda: (visits.list_visits(ctx, client_id), visits.home_visit_templates()), self._show,
                 key="visits")

    def _show(self, loaded: tuple[list[VisitRow], list[Template]]) -> None:
        rows, self.templates = loaded
        selected = self.selected()
        self.model.set_rows(rows)
        ids = [row.id for row in rows]
        if rows:
            self.table.selectRow(ids.index(selected.id) if selected and selected.id in ids else 0)
        self.empty.setVisible(not rows)
        self._update_buttons()

    def clear(self) -> None:
        """Locking: no visit's purpose or worker stays in the table."""
        self.model.set_rows([])
        self.empty.hide()
        self._update_buttons()

    def selected(self) -> VisitRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select(self, visit_id: uuid.UUID) -> None:
        ids = [row.id for row in self.model.rows]
        if visit_id in ids:
            self.table.selectRow(ids.index(visit_id))

    def _update_buttons(self) -> None:
        row = self.selected()
        status = row.status if row else None
        self.open_button.setText({"planned": _("&Start the visit"), "in_progress": _("&Continue the visit")}
                                 .get(status, _("&Open")))
        self.open_button.setEnabled(row is not None)
        self.print_button.setEnabled(status == "signed")
        self.blank_button.setEnabled(bool(self.templates))

    # -- actions ------------------------------------------------------------------------------------------
    def plan(self) -> PlanVisitDialog:
        dialog = PlanVisitDialog(self.ctx, self.client_id, self.templates, self._planned, self)
        dialog.open()
        return dialog

    def _planned(self, visit_id: uuid.UUID) -> None:
        ctx, client_id = self.ctx, self.client_id
        ops.load(self, lambda: (visits.list_visits(ctx, client_id), visits.home_visit_templates()),
                 lambda loaded: (self._show(loaded), self.select(visit_id)), key="visits")

    def open_selected(self) -> None:
        """Start a planned visit (it is then in progress) or continue one; the checklist opens over the file."""
        row = self.selected()
        if row is None:
            return
        visit_id = row.id
        if row.status == "planned":
            ctx = self.ctx
            ops.act(self, lambda: visits.start_visit(ctx, visit_id), done=lambda _none: self._open(visit_id))
        else:
            self._open(visit_id)

    def _open(self, visit_id: uuid.UUID) -> None:
        if self.shell is not None:
            self.shell.open_visit(visit_id)

    def print_report(self):
        row = self.selected()
        if row is None or row.status != "signed":
            return None
        ctx, visit_id = self.ctx, row.id
        return preview_document(self, _("Home-visit report"),
                                lambda large_print=False: home_visit_report(ctx, visit_id, large_print=large_print))

    def print_blank(self):
        """The blank checklist of the selected visit's template version (else the latest checklist)."""
        row = self.selected()
        if row is not None:
            template_id, version = row.template_id, row.template_version
        elif self.templates:
            template_id, version = self.templates[0].id, self.templates[0].version
        else:
            return None
        ctx = self.ctx

        def produce(large_print: bool = False) -> bytes:
            with ctx.read() as session:
                return blank_checklist(template_id, version=version, large_print=large_print, session=session)

        return preview_document(self, _("Home-visit checklist"), produce)
