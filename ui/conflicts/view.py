"""Sync conflicts: values that lost a merge on the central service, for the worker to review (issue 6 §7).

The list names each conflict's record and client; below it both versions stand side by side, field by field:
the value in force now and the one that lost. The worker keeps what stands (Alt+K) or restores the other value
(Alt+R) — ``app.conflicts.resolve`` does either, and the resolution syncs like any edit. Enter on a conflict
opens the client's file.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from app import conflicts
from app.conflicts import ENTITY_LABELS, REASONS, ConflictView
from app.errors import FIELD_LABELS
from app.i18n import N_, _
from ui import ops
from ui.page import Page

COLUMNS = (N_("When"), N_("Client"), N_("Record"), N_("What happened"))


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def when_text(moment: Any) -> str:
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
        return aware.astimezone().strftime("%d.%m.%Y %H:%M")
    return str(moment or "")


class ConflictsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        entity = _(ENTITY_LABELS[row.entity]) if row.entity in ENTITY_LABELS else row.entity
        reason = _(REASONS[row.reason]) if row.reason in REASONS else row.reason
        return (when_text(row.occurred_at), row.client_name or "—", entity, reason)[index.column()]


class ConflictsView(Page):
    def __init__(self, ctx: Any, shell: Any) -> None:
        super().__init__(ctx, shell)
        self.title = _("Sync conflicts")
        self.intro = QLabel(_("When the same record was changed on two laptops, the service kept one value and "
                              "saved the other here. Compare them and choose which stays."))
        self.intro.setWordWrap(True)
        self.empty = QLabel(_("There are no unresolved sync conflicts."))
        self.empty.setObjectName("conflicts-empty")
        self.empty.setVisible(False)
        self.model = ConflictsModel(self)
        self.list = QTableView()
        self.list.setObjectName("conflicts-list")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTabKeyNavigation(False)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.activated.connect(self.open_client)
        self.compare = QTableWidget(0, 3)
        self.compare.setObjectName("conflicts-compare")
        self.compare.setHorizontalHeaderLabels([_("Field"), _("In force now"), _("The other value (not kept)")])
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.setTabKeyNavigation(False)
        self.compare.setWordWrap(True)
        self.compare.verticalHeader().setVisible(False)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.keep = QPushButton(_("&Keep the value in force"))
        self.keep.setObjectName("conflicts-keep")
        self.restore = QPushButton(_("&Restore the other value"))
        self.restore.setObjectName("conflicts-restore")
        self.keep.clicked.connect(lambda: self.resolve("kept"))
        self.restore.clicked.connect(lambda: self.resolve("reapplied"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep)
        buttons.addWidget(self.restore)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 2)
        self.resolving = QWidget()  # the comparison and the two choices, shown while there is a conflict
        resolving = QVBoxLayout(self.resolving)
        resolving.setContentsMargins(0, 0, 0, 0)
        resolving.addWidget(QLabel(_("Both versions side by side:")))
        resolving.addWidget(self.compare, 1)
        resolving.addLayout(buttons)
        layout.addWidget(self.resolving, 2)
        layout.addWidget(self.message)
        layout.addStretch(0)
        self.list.selectionModel().currentRowChanged.connect(lambda *_args: self._show_current())
        self.setFocusProxy(self.list)
        self._update_buttons()

    # -- data ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.ctx
        ops.load(self, lambda: conflicts.unresolved(ctx), self.show_conflicts)

    def show_conflicts(self, rows: list[ConflictView]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.list.setVisible(bool(rows))
        self.resolving.setVisible(bool(rows))
        index = next((n for n, row in enumerate(rows) if current is not None and row.id == current.id), 0)
        if rows:
            self.list.setCurrentIndex(self.model.index(index, 0))
        self._show_current()

    def current(self) -> ConflictView | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _show_current(self) -> None:
        conflict = self.current()
        fields = conflict.fields() if conflict is not None else []
        self.compare.setRowCount(len(fields))
        for number, name in enumerate(fields):
            for column, text in enumerate((field_label(name), value_text(conflict.standing.get(name)),
                                           value_text(conflict.losing.get(name)))):
                self.compare.setItem(number, column, QTableWidgetItem(text))
        self.compare.resizeRowsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.keep.setEnabled(chosen)
        self.restore.setEnabled(chosen)

    # -- actions ---------------------------------------------------------------------------------------------
    def resolve(self, resolution: str) -> None:
        conflict = self.current()
        if conflict is None:
            return
        ctx, conflict_id = self.ctx, conflict.id
        done = _("The value in force was kept.") if resolution == "kept" else _("The other value was restored.")
        self.message.clear()
        ops.act(self, lambda: conflicts.resolve(ctx, conflict_id, resolution), done=lambda _result: self._resolved(done),
                failed=self.message.setText)

    def _resolved(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()

    def open_client(self, index: QModelIndex) -> None:
        if not index.isValid() or self.shell is None:
            return
        client_id = self.model.rows[index.row()].client_id
        if client_id is not None:
            self.shell.open_client(client_id)

    def clear(self) -> None:
        self.model.set_rows([])
        self.compare.clearContents()
        self.compare.setRowCount(0)
        self.message.clear()
        self._update_buttons()
