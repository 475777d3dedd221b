"""A report made ready for the screen in the worker: every table's cell texts (the very texts ``lieta report``
prints, from :func:`app.reports.render.cell`) and its charts' numbers (those the printed report draws), plus a
Qt table model over one table's texts.

Preparing the texts in the store lane keeps the UI thread to painting; the model holds only strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app import reports
from app.context import Context
from app.i18n import N_, current_language, gettext
from app.reports.render import NUMERIC, Report, cell, headings, tables
from ui.reports.chart import Panel, chart_panels


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # msgid
    yearly: bool  # asks for a year; otherwise for a day (inspection readiness "as of")


KINDS = (
    Kind("inspection", N_("Inspection readiness"), False),
    Kind("workload", N_("Workload"), True),
    Kind("statistics", N_("Annual statistics"), True),
    Kind("complaints", N_("Complaints and suggestions register"), True),
)


def build_report(ctx: Context, kind: str, *, year: int | None = None, day: dt.date | None = None) -> Report:
    """The same service calls as ``lieta report <kind>`` (app/cli_reports.py)."""
    if kind == "inspection":
        return reports.inspection_report(ctx, today=day)
    builders: dict[str, Callable[..., Report]] = {
        "workload": reports.workload_report, "statistics": reports.statistics_report,
        "complaints": reports.complaints_register}
    return builders[kind](ctx, year if year is not None else ctx.today().year)


@dataclass(frozen=True)
class TableTexts:
    id: str
    title: str
    header: list[str]
    body: list[list[str]]
    numeric: list[bool]
    totals: list[bool]
    panels: list[Panel] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    report: Report
    title: str
    headings: list[tuple[str, str]]
    tables: list[TableTexts]
    note: str = ""


NO_FINDINGS = N_("No findings: every check passed.")


def prepare(report: Report, language: str | None = None) -> Prepared:
    """Every table of ``report`` as texts in ``language`` (default: the current one), with its charts."""
    from forms.service_reports import is_total  # the printed report's notion of a total row

    language = language or current_language()
    texts = []
    for table in tables(report):
        body = [[cell(column, row.get(column.key), report.names, language) for column in table.columns]
                for row in table.rows]
        texts.append(TableTexts(
            id=table.id, title=gettext(table.title, language),
            header=[gettext(column.title, language) for column in table.columns], body=body,
            numeric=[column.kind in NUMERIC for column in table.columns],
            totals=[is_total(table, row) for row in table.rows],
            panels=chart_panels(report, table, language)))
    note = gettext(NO_FINDINGS, language) if getattr(report, "total", None) == 0 else ""
    return Prepared(report, gettext(report.title, language), list(headings(report, language).values()), texts, note)


class ReportTableModel(QAbstractTableModel):
    """One report table's texts: numbers right-aligned, the total row in bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.texts: TableTexts | None = None

    def show(self, texts: TableTexts | None) -> None:
        self.beginResetModel()
        self.texts = texts
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.texts is None else len(self.texts.body)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.texts is None else len(self.texts.header)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.texts is None or not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.texts.body[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if self.texts.numeric[index.column()] else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.texts.totals[index.row()]:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt naming
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.texts is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.texts.header[section]
        return section + 1
