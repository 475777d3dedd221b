"""The "spider" (radar) chart of an assessment on screen, drawn with QPainter: one axis per domain, rings for the
scale's values, each assessment a polygon (the current one filled, the previous one dashed), and a legend with
their dates. The printed form draws the same chart with reportlab (``forms.charts.radar_chart``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

CURRENT = QColor(31, 94, 168)
PREVIOUS = QColor(214, 110, 20)
GRID = QColor(170, 170, 170)


@dataclass(frozen=True)
class Series:
    label: str  # the legend's text, e.g. "23.11.2026."
    values: tuple[float | None, ...]  # one per axis; None: not scored (drawn at the centre)
    colour: QColor
    filled: bool = False


class RadarChart(QWidget):
    """``set_chart(axes, low, high, series)`` shows a chart; ``clear()`` leaves an empty widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[str] = []
        self.low, self.high = 1, 5
        self.series: list[Series] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 220)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(460, 400)

    def set_chart(self, axes: Sequence[str], low: int, high: int, series: Sequence[Series]) -> None:
        self.axes, self.low, self.high, self.series = list(axes), low, max(high, low + 1), list(series)
        self.update()

    def clear(self) -> None:
        self.set_chart([], 1, 5, [])

    # geometry
    def _layout(self) -> tuple[QPointF, float, float]:
        metrics = QFontMetricsF(self.font())
        legend = metrics.height() * 1.6 if self.series else 0
        widest = max((metrics.horizontalAdvance(a) for a in self.axes), default=0)
        margin = min(widest, self.width() * 0.28) + metrics.height()
        room = QRectF(0, 0, self.width(), self.height() - legend)
        radius = max(min(room.width() / 2 - margin, room.height() / 2 - metrics.height() * 1.8), 10)
        return room.center(), radius, legend

    def point(self, index: int, value: float | None, centre: QPointF, radius: float) -> QPointF:
        """Where ``value`` on axis ``index`` lies (the first axis points up, clockwise)."""
        share = 0.0 if value is None else (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(self.axes), 1)
        return QPointF(centre.x() + math.cos(angle) * radius * share, centre.y() + math.sin(angle) * radius * share)

    # painting
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        if len(self.axes) < 3:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre, radius, legend = self._layout()
        n = len(self.axes)
        painter.setPen(QPen(GRID, 1))
        for value in range(self.low, self.high + 1):  # the scale's rings, with their numbers on the first axis
            ring = QPolygonF([self.point(i, value, centre, radius) for i in range(n)])
            painter.drawPolygon(ring)
            if value > self.low:
                at = self.point(0, value, centre, radius)
                painter.drawText(at + QPointF(4, -2), str(value))
        for i in range(n):
            painter.drawLine(centre, self.point(i, self.high, centre, radius))
        for item in sorted(self.series, key=lambda s: s.filled):  # the current one on top
            polygon = QPolygonF([self.point(i, v, centre, radius) for i, v in enumerate(item.values)])
            pen = QPen(item.colour, 2.5 if item.filled else 2)
            if not item.filled:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            fill = QColor(item.colour)
            fill.setAlpha(70)
            painter.setBrush(QBrush(fill) if item.filled else Qt.BrushStyle.NoBrush)
            painter.drawPolygon(polygon)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._labels(painter, centre, radius)
        self._legend(painter, legend)
        painter.end()

    def _labels(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        metrics = QFontMetricsF(self.font())
        painter.setPen(self.palette().windowText().color())
        for i, text in enumerate(self.axes):
            tip = self.point(i, self.high, centre, radius + metrics.height() * 0.6)
            width = metrics.horizontalAdvance(text)
            dx = tip.x() - centre.x()
            left = tip.x() - width / 2 if abs(dx) < 1 else (tip.x() if dx > 0 else tip.x() - width)
            left = min(max(left, 2), self.width() - width - 2)
            top = tip.y() - metrics.height() / 2
            if tip.y() < centre.y() - radius * 0.9:
                top = tip.y() - metrics.height()
            painter.drawText(QRectF(left, top, width + 2, metrics.height()), Qt.AlignmentFlag.AlignLeft, text)

    def _legend(self, painter: QPainter, height: float) -> None:
        if not self.series:
            return
        metrics = QFontMetricsF(self.font())
        x, y = 8.0, self.height() - height / 2
        for item in self.series:
            pen = QPen(item.colour, 3)
            if not item.filled:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 24, y))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QPointF(x + 30, y + metrics.ascent() / 2 - 1), item.label)
            x += 30 + metrics.horizontalAdvance(item.label) + 24
