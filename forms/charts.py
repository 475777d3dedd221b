"""Charts for printed documents: the radar ("spider") chart of an assessment, and the horizontal bars, columns and
stacked bars of the service reports.

Drawn with reportlab graphics shapes rather than its chart widgets, so every string is set in the embedded DejaVu
Sans (the widgets and a drawing's default fall back to Helvetica, which is neither embedded nor able to print every
Latvian letter), and long labels wrap by measured width instead of being cut (:func:`wrap`). Series differ by line
style and marker as well as colour, so a chart still reads on a black-and-white printer. The caller passes ready
texts: charts translate and format nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.pdf import SANS, register_fonts

CURRENT_COLOR = colors.Color(0.12, 0.32, 0.62)
PREVIOUS_COLOR = colors.Color(0.86, 0.40, 0.05)
GRID_COLOR = colors.Color(0.72, 0.72, 0.72)
DASH = [5, 3]
#: Okabe–Ito and Tol colours: told apart by colour-blind readers and still distinct when printed in grey.
PALETTE = tuple(colors.HexColor(code) for code in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288", "#882255",
    "#44AA99", "#999933", "#AA4499", "#666666"))
BAR = PALETTE[0]
INK = colors.HexColor("#222222")
RULE = colors.HexColor("#888888")


# -- shared: the font and label wrapping ----------------------------------------------------------------------------
def new_drawing(width: float, height: float, *, centred: bool = False) -> Drawing:
    """An empty drawing whose initial graphics state is the embedded font: reportlab's default would put an unused,
    unembedded Helvetica into the page."""
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS
    if centred:
        drawing.hAlign = "CENTER"  # on the page; a drawing stands at the left margin otherwise
    return drawing


def wrap(text: str, width: float, size: float, font: str = SANS) -> list[str]:
    """Greedy word wrap by measured width, never inside a word (a long domain name or benefit takes two or three
    short lines); a line break in the text is kept."""
    return simpleSplit(text, font, size, width) or [""]


# -- the radar chart of an assessment -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RadarSeries:
    """One set of scores around the axes; ``dashed`` marks the earlier one (drawn unfilled, square markers)."""

    label: str
    values: list[int | None]
    color: colors.Color = CURRENT_COLOR
    dashed: bool = False


def radar_chart(axes: list[str], series: list[RadarSeries], *, low: int, high: int, width: float,
                size: float = 8.0) -> Drawing:
    """A spider chart: one axis per domain clockwise from the top, a ring for each score from ``low`` to ``high``
    (``low`` on the innermost ring, so a lowest score is still a visible point), and a legend below."""
    register_fonts()
    count = len(axes)
    if count < 3:
        raise ValueError("a radar chart needs at least three axes")
    leading = size * 1.2
    label_width = width * 0.21
    wrapped = [wrap(text, label_width, size) for text in axes]
    label_height = max(len(lines) for lines in wrapped) * leading
    radius = width / 2 - label_width - size
    legend_height = len(series) * leading * 1.5 + size
    height = legend_height + 2 * (radius + label_height + size)
    cx, cy = width / 2, legend_height + label_height + size + radius
    steps = high - low + 1

    def point(index: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / count
        distance = radius * (value - low + 1) / steps
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    drawing = new_drawing(width, height, centred=True)
    for value in range(low, high + 1):  # rings, then the axes over them
        ring = [coordinate for index in range(count) for coordinate in point(index, value)]
        drawing.add(Polygon(ring, fillColor=None, strokeColor=GRID_COLOR, strokeWidth=0.5))
        (x0, y0), (x1, y1) = point(0, value), point(1, value)  # on the ring between the first two axes,
        drawing.add(String((x0 + x1) / 2, (y0 + y1) / 2 - size * 0.3, str(value), fontName=SANS,  # off the points
                           fontSize=size * 0.8, textAnchor="middle", fillColor=colors.Color(0.4, 0.4, 0.4)))
    for index in range(count):
        x, y = point(index, high)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID_COLOR, strokeWidth=0.5))
    for index, lines in enumerate(wrapped):
        angle = 2 * math.pi * index / count
        at = (cx + (radius + size * 0.6) * math.sin(angle), cy + (radius + size * 0.6) * math.cos(angle))
        _axis_label(drawing, lines, at, index / count, size, leading)
    for item in series:
        if any(value is None for value in item.values):
            continue  # a series with a missing score cannot close its polygon; the table still shows it
        points = [point(index, value) for index, value in enumerate(item.values)]
        fill = None if item.dashed else colors.Color(item.color.red, item.color.green, item.color.blue, alpha=0.15)
        drawing.add(Polygon([c for p in points for c in p], fillColor=fill, strokeColor=item.color,
                            strokeWidth=1.6, strokeDashArray=DASH if item.dashed else None))
        for x, y in points:
            drawing.add(_marker(x, y, item))
    _radar_legend(drawing, series, size, leading)
    return drawing


def _axis_label(drawing: Drawing, lines: list[str], at: tuple[float, float], turn: float, size: float,
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
        drawing.add(String(x, top - (number + 1) * leading + (leading - size), line, fontName=SANS,
                           fontSize=size, textAnchor=anchor, fillColor=colors.black))


def _marker(x: float, y: float, item: RadarSeries):
    if item.dashed:
        return Rect(x - 2.2, y - 2.2, 4.4, 4.4, fillColor=colors.white, strokeColor=item.color, strokeWidth=1.2)
    return Circle(x, y, 2.4, fillColor=item.color, strokeColor=item.color, strokeWidth=0.5)


def _radar_legend(drawing: Drawing, series: list[RadarSeries], size: float, leading: float) -> None:
    sample = 28.0
    widest = max(stringWidth(item.label, SANS, size) for item in series) if series else 0
    left = (drawing.width - sample - 6 - widest) / 2
    for number, item in enumerate(series):
        y = (len(series) - number) * leading * 1.5
        middle = y - leading * 0.35
        drawing.add(Line(left, middle, left + sample, middle, strokeColor=item.color, strokeWidth=1.6,
                         strokeDashArray=DASH if item.dashed else None))
        drawing.add(_marker(left + sample / 2, middle, item))
        drawing.add(String(left + sample + 6, middle - size * 0.35, item.label, fontName=SANS,
                           fontSize=size, fillColor=colors.black))


# -- bars and columns of the service reports ------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (for the length) and the value as the table prints it."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Stack:
    """One stacked bar: a label, one value per series (0 where absent) and the printed total."""

    label: str
    values: tuple[float, ...]
    text: str


def _label_width(labels: Sequence[str], width: float, size: float) -> float:
    """As wide as the longest label, but never more than 40 % of the chart."""
    widest = max((stringWidth(label, SANS, size) for label in labels), default=0)
    return min(widest + 2, width * 0.4)


def wraps(labels: Sequence[str], width: float, *, size: float = 8, columns: bool = False) -> bool:
    """Whether a chart ``width`` wide would wrap one of its labels (a caller may rather give it more room)."""
    room = width / max(len(labels), 1) - 6 if columns else _label_width(labels, width, size)
    return any(len(wrap(label, room, size)) > 1 for label in labels)


def bar_chart(bars: Sequence[Bar], *, width: float, size: float = 8, colour: colors.Color = BAR) -> Drawing:
    """Horizontal bars, one per label, the value printed at the end of each bar; lengths from zero."""
    return stacked_bar_chart([Stack(bar.label, (bar.value,), bar.text) for bar in bars], (), width=width,
                             size=size, palette=(colour,))


def stacked_bar_chart(stacks: Sequence[Stack], series: Sequence[str], *, width: float, size: float = 8,
                      palette: Sequence[colors.Color] = PALETTE) -> Drawing:
    """Horizontal stacked bars (segments in series order) with the total at the end and a legend of ``series``
    below (no legend for a single unnamed series)."""
    register_fonts()
    leading = size * 1.25
    label_w = _label_width([stack.label for stack in stacks], width, size)
    text_w = max((stringWidth(stack.text, SANS, size) for stack in stacks), default=0) + 4
    bar_x = label_w + 6
    room = max(width - bar_x - text_w, 10)
    top = max((sum(max(value, 0) for value in stack.values) for stack in stacks), default=0)
    scale = room / top if top > 0 else 0
    legend, legend_h = _legend(series, palette, width, size)
    rows = [wrap(stack.label, label_w, size) for stack in stacks]
    heights = [max(len(lines) * leading, size * 1.6) + size * 0.5 for lines in rows]
    chart_h = sum(heights)
    drawing = new_drawing(width, chart_h + legend_h)
    y = legend_h + chart_h
    for stack, lines, height in zip(stacks, rows, heights):
        y -= height
        middle = y + height / 2
        text_y = middle + (len(lines) - 1) * leading / 2 - size * 0.35
        for line in lines:
            drawing.add(String(label_w, text_y, line, fontName=SANS, fontSize=size, fillColor=INK, textAnchor="end"))
            text_y -= leading
        bar_h = min(size * 1.3, height - size * 0.5)
        x = bar_x
        for index, value in enumerate(stack.values):
            if value > 0:
                length = value * scale
                drawing.add(Rect(x, middle - bar_h / 2, length, bar_h, fillColor=palette[index % len(palette)],
                                 strokeColor=None))
                x += length
        drawing.add(String(x + 3, middle - size * 0.35, stack.text, fontName=SANS, fontSize=size, fillColor=INK))
    drawing.add(Line(bar_x, legend_h, bar_x, legend_h + chart_h, strokeColor=RULE, strokeWidth=0.5))
    for shape in legend:
        drawing.add(shape)
    return drawing


def _legend(series: Sequence[str], palette: Sequence[colors.Color], width: float, size: float) -> tuple[list, float]:
    """Colour swatches with their names, wrapped into as many lines as the width needs."""
    if not series:
        return [], 0
    leading = size * 1.6
    placed, x, line = [], 0.0, 0
    for index, name in enumerate(series):
        item = size + 4 + stringWidth(name, SANS, size) + size * 1.5
        if x > 0 and x + item > width:
            x, line = 0.0, line + 1
        placed.append((x, line, index, name))
        x += item
    height = (line + 1) * leading + size
    shapes = []
    for x, line, index, name in placed:
        y = height - size - (line + 1) * leading + leading * 0.3
        shapes.append(Rect(x, y, size, size * 0.8, fillColor=palette[index % len(palette)], strokeColor=None))
        shapes.append(String(x + size + 4, y + size * 0.05, name, fontName=SANS, fontSize=size, fillColor=INK))
    return shapes, height


def column_chart(bars: Sequence[Bar], *, width: float, height: float, size: float = 8,
                 colour: colors.Color = BAR) -> Drawing:
    """Vertical columns for a short ordered series (age groups, months): value above, label below."""
    register_fonts()
    leading = size * 1.25
    slot = width / max(len(bars), 1)
    rows = [wrap(bar.label, slot - 6, size) for bar in bars]
    label_h = max((len(lines) for lines in rows), default=1) * leading + size * 0.5
    room = height - label_h - size * 1.8
    top = max((max(bar.value, 0) for bar in bars), default=0)
    scale = room / top if top > 0 else 0
    drawing = new_drawing(width, height)
    drawing.add(Line(0, label_h, width, label_h, strokeColor=RULE, strokeWidth=0.5))
    for index, (bar, lines) in enumerate(zip(bars, rows)):
        centre = slot * index + slot / 2
        length = max(bar.value, 0) * scale
        column_w = min(slot * 0.6, size * 5)
        if length > 0:
            drawing.add(Rect(centre - column_w / 2, label_h, column_w, length, fillColor=colour, strokeColor=None))
        drawing.add(String(centre, label_h + length + size * 0.4, bar.text, fontName=SANS, fontSize=size,
                           fillColor=INK, textAnchor="middle"))
        text_y = label_h - leading
        for line in lines:
            drawing.add(String(centre, text_y, line, fontName=SANS, fontSize=size, fillColor=INK,
                               textAnchor="middle"))
            text_y -= leading
    return drawing
