"""What every tab of the client file shares: the ``Tab(ctx, shell, client_id)`` interface with ``refresh()`` and
``clear()``, loading in the store lane with a clear message in place of a crash, and a small table model for the
lists (rows fetched in the worker, painted by Qt — 500 journal entries are 500 rows, not 500 widgets)."""

from __future__ import annotations

import uuid
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QDialog, QLabel, QTableView, QWidget

from app.context import Context
from app.i18n import _
from forms.labels import date_text, label, moment_text
from forms.labels import text_or_dash as or_dash
from ui import ops
from ui.widgets.table import table_view as table

__all__ = ["ClientTab", "RowsModel", "date_text", "label", "moment_text", "or_dash", "selected_id", "table",
           "yes_no"]

OVERDUE = QColor(176, 0, 32)


class ClientTab(QWidget):
    """One tab of the client file. Subclasses give :meth:`fetch` (runs in the store lane) and :meth:`show`."""

    def __init__(self, ctx: Context, shell: Any, client_id: uuid.UUID) -> None:
        super().__init__()
        self.ctx, self.shell, self.client_id = ctx, shell, client_id
        self.problem = QLabel("")
        self.problem.setObjectName("tab-problem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)

    def fetch(self) -> Any:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def show_data(self, data: Any) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def refresh(self) -> None:
        ops.load(self, self.fetch, self._loaded, on_failed=self.show_problem)

    def _loaded(self, data: Any) -> None:
        self.problem.setVisible(False)
        self.problem.clear()
        self.show_data(data)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)

    def clear(self) -> None:
        """Forget the client; a step's dialog still open (with what was typed in it) goes too."""
        self.problem.clear()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.setParent(None)
            dialog.deleteLater()

    def act(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[str], None] | None = None) -> None:
        """A user action of this tab; the bus refreshes every open view afterwards."""
        ops.act(self, work, done=done, failed=failed)


DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
MARK_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


class RowsModel(QAbstractTableModel):
    """Rows of display texts with the id of each row; ``marked`` rows are drawn red and bold (overdue)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple[str, ...]] = []
        self.ids: list[Any] = []
        self.marked: set[int] = set()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Sequence[str]], ids: Sequence[Any] = (), marked: set[int] | None = None) -> None:
        self.beginResetModel()
        self.rows = [tuple(row) for row in rows]
        self.ids = list(ids) or [None] * len(self.rows)
        self.marked = marked or set()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == DISPLAY or role == TOOLTIP:
            return self.rows[index.row()][index.column()]
        if role in MARK_ROLES and index.row() in self.marked:
            if role == Qt.ItemDataRole.ForegroundRole:
                return OVERDUE
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt naming
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def id_at(self, row: int) -> Any:
        return self.ids[row] if 0 <= row < len(self.ids) else None


def selected_id(view: QTableView) -> Any:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return view.model().id_at(rows[0].row()) if rows else None


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
