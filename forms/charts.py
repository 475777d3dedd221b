"""Charts for printed documents, drawn with reportlab graphics.

Every string is set in the embedded DejaVu Sans (a chart's default would be Helvetica, which is neither embedded
nor able to print every Latvian letter). Series differ by line style and marker as well as colour, so a chart
still reads on a black-and-white printer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.pdf import SANS, register_fonts

CURRENT_COLOR = colors.Color(0.12, 0.32, 0.62)
PREVIOUS_COLOR = colors.Color(0.86, 0.40, 0.05)
GRID_COLOR = colors.Color(0.72, 0.72, 0.72)
DASH = [5, 3]


@dataclass(frozen=True)
class RadarSeries:
    """One set of scores around the axes; ``dashed`` marks the earlier one (drawn unfilled, square markers)."""

    label: str
    values: list[int | None]
    color: colors.Color = CURRENT_COLOR
    dashed: bool = False


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap by measured width (a long domain name takes two or three short lines)."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(lines[-1] + " " + word, font, size) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar_chart(axes: list[str], series: list[RadarSeries], *, low: int, high: int, width: float,
                font_size: float = 8.0) -> Drawing:
    """A spider chart: one axis per domain clockwise from the top, a ring for each score from ``low`` to ``high``
    (``low`` on the innermost ring, so a lowest score is still a visible point), and a legend below."""
    register_fonts()
    count = len(axes)
    if count < 3:
        raise ValueError("a radar chart needs at least three axes")
    leading = font_size * 1.2
    label_width = width * 0.21
    wrapped = [wrap(text, SANS, font_size, label_width) for text in axes]
    label_height = max(len(lines) for lines in wrapped) * leading
    radius = width / 2 - label_width - font_size
    legend_height = len(series) * leading * 1.5 + font_size
    height = legend_height + 2 * (radius + label_height + font_size)
    cx, cy = width / 2, legend_height + label_height + font_size + radius
    steps = high - low + 1

    def point(index: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / count
        distance = radius * (value - low + 1) / steps
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=font_size)  # else Helvetica is set
    for value in range(low, high + 1):  # rings, then the axes over them
        ring = [coordinate for index in range(count) for coordinate in point(index, value)]
        drawing.add(Polygon(ring, fillColor=None, strokeColor=GRID_COLOR, strokeWidth=0.5))
        (x0, y0), (x1, y1) = point(0, value), point(1, value)  # on the ring between the first two axes,
        drawing.add(String((x0 + x1) / 2, (y0 + y1) / 2 - font_size * 0.3, str(value), fontName=SANS,  # off the points
                           fontSize=font_size * 0.8, textAnchor="middle", fillColor=colors.Color(0.4, 0.4, 0.4)))
    for index in range(count):
        x, y = point(index, high)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID_COLOR, strokeWidth=0.5))
    for index, lines in enumerate(wrapped):
        angle = 2 * math.pi * index / count
        at = (cx + (radius + font_size * 0.6) * math.sin(angle), cy + (radius + font_size * 0.6) * math.cos(angle))
        _axis_label(drawing, lines, at, index / count, font_size, leading)
    for item in series:
        if any(value is None for value in item.values):
            continue  # a series with a missing score cannot close its polygon; the table still shows it
        points = [point(index, value) for index, value in enumerate(item.values)]
        fill = None if item.dashed else colors.Color(item.color.red, item.color.green, item.color.blue, alpha=0.15)
        drawing.add(Polygon([c for p in points for c in p], fillColor=fill, strokeColor=item.color,
                            strokeWidth=1.6, strokeDashArray=DASH if item.dashed else None))
        for x, y in points:
            drawing.add(_marker(x, y, item))
    _legend(drawing, series, font_size, leading)
    return drawing


def _axis_label(drawing: Drawing, lines: list[str], at: tuple[float, float], turn: float, font_size: float,
                leading: float) -> None:
    """A domain name outside the outer ring, anchored away from the chart so it never crosses a line."""
    x, y = at
    horizontal = math.sin(2 * math.pi * turn)  # +1 at the right, −1 at the left
    vertical = math.cos(2 * math.pi * turn)  # +1 at the top, −1 at the bottom
    anchor = "start" if horizontal > 0.2 else "end" if horizontal < -0.2 else "middle"
    block = len(lines) * leading
    if vertical > 0.6:
        top = y + block  # above the chart: the block sits on the point
    elif vertical < -0.6:
        top = y  # below: the block hangs from it
    else:
        top = y + block / 2
    for number, line in enumerate(lines):
        drawing.add(String(x, top - (number + 1) * leading + (leading - font_size), line, fontName=SANS,
                           fontSize=font_size, textAnchor=anchor, fillColor=colors.black))


def _marker(x: float, y: float, item: RadarSeries):
    if item.dashed:
        return Rect(x - 2.2, y - 2.2, 4.4, 4.4, fillColor=colors.white, strokeColor=item.color, strokeWidth=1.2)
    return Circle(x, y, 2.4, fillColor=item.color, strokeColor=item.color, strokeWidth=0.5)


def _legend(drawing: Drawing, series: list[RadarSeries], font_size: float, leading: float) -> None:
    sample = 28.0
    widest = max(stringWidth(item.label, SANS, font_size) for item in series) if series else 0
    left = (drawing.width - sample - 6 - widest) / 2
    for number, item in enumerate(series):
        y = (len(series) - number) * leading * 1.5
        middle = y - leading * 0.35
        drawing.add(Line(left, middle, left + sample, middle, strokeColor=item.color, strokeWidth=1.6,
                         strokeDashArray=DASH if item.dashed else None))
        drawing.add(_marker(left + sample / 2, middle, item))
        drawing.add(String(left + sample + 6, middle - font_size * 0.35, item.label, fontName=SANS,
                           fontSize=font_size, fillColor=colors.black))
