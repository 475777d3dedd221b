"""Simple charts for the printed service reports: horizontal bars, columns and stacked bars.

Drawn with reportlab graphics shapes rather than its chart widgets, so every string is in the embedded font
(the widgets fall back to Helvetica, which a Lieta PDF never contains), long Latvian labels wrap instead of
being cut, and each bar carries the same formatted value as the table beside it. The caller passes ready texts:
charts translate and format nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.pdf import SANS, register_fonts

#: Okabe–Ito and Tol colours: told apart by colour-blind readers and still distinct when printed in grey.
PALETTE = tuple(colors.HexColor(code) for code in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288", "#882255",
    "#44AA99", "#999933", "#AA4499", "#666666"))
BAR = PALETTE[0]
INK = colors.HexColor("#222222")
RULE = colors.HexColor("#888888")


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


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial graphics state is the embedded font: reportlab's default would put an unused,
    unembedded Helvetica into the page."""
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS
    return drawing


def _lines(text: str, width: float, size: float) -> list[str]:
    return simpleSplit(text, SANS, size, width) or [""]


def _label_width(labels: Sequence[str], width: float, size: float) -> float:
    """As wide as the longest label, but never more than 40 % of the chart."""
    widest = max((stringWidth(label, SANS, size) for label in labels), default=0)
    return min(widest + 2, width * 0.4)


def wraps(labels: Sequence[str], width: float, *, size: float = 8, columns: bool = False) -> bool:
    """Whether a chart ``width`` wide would wrap one of its labels (a caller may rather give it more room)."""
    room = width / max(len(labels), 1) - 6 if columns else _label_width(labels, width, size)
    return any(len(_lines(label, room, size)) > 1 for label in labels)


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
    rows = [_lines(stack.label, label_w, size) for stack in stacks]
    heights = [max(len(lines) * leading, size * 1.6) + size * 0.5 for lines in rows]
    chart_h = sum(heights)
    drawing = _drawing(width, chart_h + legend_h)
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
    rows = [_lines(bar.label, slot - 6, size) for bar in bars]
    label_h = max((len(lines) for lines in rows), default=1) * leading + size * 0.5
    room = height - label_h - size * 1.8
    top = max((max(bar.value, 0) for bar in bars), default=0)
    scale = room / top if top > 0 else 0
    drawing = _drawing(width, height)
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
