"""The rows of the Today list: what is overdue first, then what is due, planned visits, returned decisions.

:func:`build_rows` turns ``app.due.today_summary`` into display rows (group headings and items) off the Qt
model, so the order and the wording are tested without widgets; :class:`TodayModel` shows them. An overdue row
says so in words ("Overdue · 20.11.2026") and in colour and bold — never by colour alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.due import KINDS, TodaySummary
from app.i18n import N_, _
from forms.labels import date_text

OVERDUE_COLOUR = QColor(164, 0, 15)  # dark red: readable on white, and the text says "Overdue" as well
STATUS_LABELS = {"needy": N_("needy"), "low_income": N_("low-income")}
COLUMNS = (N_("When"), N_("What"), N_("Client"), N_("Details"))
#: what Enter opens for each kind of row: the client file, the visit's checklist or the decision
OPENS = {"notification": "decision", "returned_decision": "decision", "approval": "decision"}


@dataclass(frozen=True)
class Row:
    when: str
    what: str
    client: str = ""
    detail: str = ""
    overdue: bool = False
    target: tuple[str, uuid.UUID] | None = None  # ("client" | "visit" | "decision", id); None: a heading
    heading: bool = False


def day_text(day: dt.date, today: dt.date) -> str:
    if day == today:
        return _("Today")
    if day == today + dt.timedelta(days=1):
        return _("Tomorrow")
    return date_text(day)


def _when(day: dt.date, today: dt.date, overdue: bool) -> str:
    return _("Overdue · {date}").format(date=date_text(day)) if overdue else day_text(day, today)


def build_rows(summary: TodaySummary, today: dt.date, within_days: int = 14) -> list[Row]:
    """Headings and items in the order a worker deals with them: overdue, due, visits, returned decisions."""
    names = summary.names
    overdue: list[Row] = []
    due: list[Row] = []
    for item in summary.items:
        late = item.overdue(today)
        detail = _(STATUS_LABELS[item.detail]) if item.kind == "status_expiry" and item.detail in STATUS_LABELS \
            else item.detail
        kind = OPENS.get(item.kind, "client")
        record = item.record_id if kind == "decision" else item.client_id
        row = Row(_when(item.due_on, today, late), _(KINDS[item.kind]), names.get(item.client_id, ""), detail, late,
                  (kind, record) if record is not None else None)
        (overdue if late else due).append(row)
    visits = []
    for visit in summary.visits:
        late = visit.overdue(today)
        what = _("Home visit (checklist open)") if visit.started else _("Home visit")
        row = Row(_when(visit.planned_on, today, late), what, names.get(visit.client_id, ""), visit.purpose, late,
                  ("visit", visit.visit_id))
        (overdue if late else visits).append(row)
    returned = [Row(day_text(r.returned_on, today), _("Decision returned by the head"), names.get(r.client_id, ""),
                    r.comment, False, ("decision", r.decision_id)) for r in summary.returned]
    rows: list[Row] = []
    for title, group in ((_("Overdue"), overdue), (_("Due in the next {days} days").format(days=within_days), due),
                         (_("Planned home visits"), visits), (_("Decisions returned by the head"), returned)):
        if group:
            rows.append(Row(f"{title} ({len(group)})", "", heading=True))
            rows.extend(group)
    return rows


class TodayModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
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

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if self.rows[index.row()].heading:
            return Qt.ItemFlag.NoItemFlags  # a heading is read, not opened: the arrow keys pass over it
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (row.when, row.what, row.client, row.detail)[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(part for part in (row.when, row.what, row.client, row.detail) if part)
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.ForegroundRole and row.heading:  # not greyed out like a disabled item
            return QApplication.palette().color(QPalette.ColorRole.WindowText)
        if role == Qt.ItemDataRole.FontRole and (row.overdue or row.heading):
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.heading:
            return QApplication.palette().color(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.UserRole:
            return row.target
        return None
