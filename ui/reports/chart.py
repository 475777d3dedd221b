"""Bar charts of a report on screen, drawn with QPainter from the same numbers as the printed report's charts.

Which table gets which chart is declared once, in ``forms.service_reports.CHARTS``; :func:`chart_panels` reads
that declaration the way the PDF does (total rows left out, one chart per value column, bars stacked by a series
column), so the screen and the paper never draw different figures. Colours are the printed charts' palette
(told apart by colour-blind readers); every bar carries its value as text, so colour is never the only cue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.i18n import gettext
from app.reports.model import Table
from app.reports.render import NUMERIC, Report, cell, format_number


@dataclass(frozen=True)
class Panel:
    """One chart: a bar per label; each bar one value, or several stacked segments named by ``series``."""

    caption: str
    labels: list[str]
    values: list[tuple[float, ...]]
    texts: list[str]
    series: list[str]


def chart_panels(report: Report, table: Table, language: str) -> list[Panel]:
    """The charts the printed report draws for ``table`` (none for a table it draws none for)."""
    from forms.service_reports import CHARTS, is_total

    spec = CHARTS.get((report.kind, table.id))
    rows = [row for row in table.rows if not is_total(table, row)]
    if spec is None or not rows:
        return []
    columns = {column.key: column for column in table.columns}
    label = columns[spec.label]
    if spec.series is not None:
        series, value = columns[spec.series], columns[spec.values[0]]
        order = [code for code in series.labels if any(row.get(series.key) == code for row in rows)]
        order += sorted({row.get(series.key) for row in rows} - set(order), key=str)
        totals: dict[Any, list[float]] = defaultdict(lambda: [0.0] * len(order))
        for row in rows:
            totals[row.get(label.key)][order.index(row.get(series.key))] += float(row.get(value.key) or 0)
        return [Panel("", [cell(label, key, report.names, language) for key in totals],
                      [tuple(values) for values in totals.values()],
                      [format_number(sum(values), language) for values in totals.values()],
                      [cell(series, code, report.names, language) for code in order])]
    several = len([column for column in table.columns if column.kind in NUMERIC]) > 1
    panels = []
    for key in spec.values:
        column = columns[key]
        values = [float(row.get(key) or 0) for row in rows]
        if any(number > 0 for number in values):
            panels.append(Panel(gettext(column.title, language) if several else "",
                                [cell(label, row.get(spec.label), report.names, language) for row in rows],
                                [(number,) for number in values],
                                [cell(column, row.get(key), report.names, language) for row in rows], []))
    return panels


def palette() -> list[QColor]:
    from forms.charts import PALETTE

    return [QColor.fromRgbF(colour.red, colour.green, colour.blue) for colour in PALETTE]


class BarChart(QWidget):
    """Horizontal bars: the label on the left, the bar, its value at the end; a legend for stacked series."""

    def __init__(self, panel: Panel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.colours = palette()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(panel.caption or "chart")

    def _line(self) -> int:
        return int(self.fontMetrics().height() * 1.5)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        rows = len(self.panel.labels) + len(self.panel.series)
        return QSize(400, rows * self._line() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics, line, panel = self.fontMetrics(), self._line(), self.panel
        width = self.width()
        label_width = min(max((metrics.horizontalAdvance(text) for text in panel.labels), default=0) + 16,
                          int(width * 0.4))
        value_width = max((metrics.horizontalAdvance(text) for text in panel.texts), default=0) + 8
        room = max(width - label_width - value_width - 8, 10)
        largest = max((sum(values) for values in panel.values), default=0) or 1
        ink = self.palette().windowText().color()
        for index, (label, values, text) in enumerate(zip(panel.labels, panel.values, panel.texts)):
            top = 4 + index * line
            painter.setPen(ink)
            painter.drawText(QRectF(0, top, label_width - 8, line), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8))
            x = float(label_width)
            for segment, value in enumerate(values):
                length = room * value / largest
                painter.fillRect(QRectF(x, top + line * 0.15, length, line * 0.7),
                                 self.colours[segment % len(self.colours)])
                x += length
            painter.setPen(ink)
            painter.drawText(QRectF(x + 4, top, value_width, line), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, text)
        if panel.series:
            self._legend(painter, 4 + len(panel.labels) * line, line, ink)
        painter.end()

    def _legend(self, painter: QPainter, top: int, line: int, ink: QColor) -> None:
        """One series per line under the bars (the checks' names are long)."""
        metrics = self.fontMetrics()
        for segment, name in enumerate(self.panel.series):
            y = top + segment * line
            painter.fillRect(QRectF(4, y + line * 0.25, line * 0.5, line * 0.5),
                             self.colours[segment % len(self.colours)])
            painter.setPen(ink)
            room = max(self.width() - int(line * 0.8) - 8, 10)
            painter.drawText(QRectF(4 + line * 0.8, y, room, line), Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight, room))


class Charts(QWidget):
    """The charts of one table, one under the other, each with its caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.charts: list[BarChart] = []

    def show_panels(self, panels: list[Panel]) -> None:
        while self.layout_.count():
            widget = self.layout_.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.charts = []
        for panel in panels:
            if panel.caption:
                caption = QLabel(panel.caption)
                caption.setStyleSheet("font-weight: bold")
                self.layout_.addWidget(caption)
            chart = BarChart(panel)
            self.charts.append(chart)
            self.layout_.addWidget(chart)
        self.layout_.addStretch(1)
        self.setVisible(bool(panels))
