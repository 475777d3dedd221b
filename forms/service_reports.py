"""The service reports as printed documents: inspection readiness, workload, annual statistics, complaints.

They render the very report objects :mod:`app.reports` builds, through the same cell texts as the terminal
(:func:`app.reports.render.cell`), so the paper and ``lieta report`` never disagree; nothing is counted here.
Each table repeats its header row on every page, numbers are right-aligned and total rows stand out; a table too
wide for a portrait page moves the rest of the report to landscape pages. Simple charts follow the tables they
draw (:mod:`forms.charts`). A printed report covers many clients, so printing is audited (:func:`print_report`).
The document is made by :func:`forms.pdf.render`, with the report's title at the foot of every page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, LongTable, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from app import audit
from app.context import Context
from app.i18n import current_language, gettext
from app.reports.inspection import InspectionReport
from app.reports.model import Column, Names
from app.reports.model import Table as ReportTable
from app.reports.render import NO_FINDINGS, NUMERIC, Report, cell, format_date, format_number, headings, tables
from app.reports.source import report_period
from app.reports.statistics import TOTAL
from forms.charts import Bar, Stack, bar_chart, column_chart, stacked_bar_chart, wraps
from forms.pdf import LANDSCAPE, PORTRAIT, SANS, SANS_BOLD, Styles, frame_width, letterhead, para, render, styles
from storage.errors import N_

TOP = 36 * mm  # a little less room under the letterhead than a letter leaves: reports are dense
PAD = 4  # points of padding on each side of a table cell
FIXED = (*NUMERIC, "date", "bool")  # columns whose cells should not wrap
CAP = 75 * mm  # a long text column wraps rather than asking for more than this
GAP = 6 * mm  # between a table and the chart beside it, and between charts
BESIDE = 60 * mm  # the least room that puts a chart beside its table rather than below
BESIDE_ROWS = 25  # a longer table may run over a page, and a chart beside it cannot
CHART_WIDTH = 175 * mm  # the widest a chart grows on a landscape page
SMALLEST = 6.5  # points: the smallest type a too-wide table shrinks to
COMPACT = 0.7  # a table that needs less than this share of the frame is not stretched across it
PERIOD = N_("Period")
PRINTED_ON = N_("Printed on")
NONE = N_("(none)")
HEADER_FILL, ZEBRA, TOTAL_FILL = colors.HexColor("#DDE3EA"), colors.HexColor("#F4F6F8"), colors.HexColor("#E4E9EF")


@dataclass(frozen=True)
class Chart:
    """Which chart follows a table: bars labelled by column ``label``, one chart per column in ``values`` (side
    by side); ``columns`` draws vertical columns for an ordered series; ``series`` stacks the bars by that column."""

    label: str
    values: tuple[str, ...]
    columns: bool = False
    series: str | None = None


CHARTS = {
    ("inspection", "by_worker"): Chart("worker", ("count",), series="check"),
    ("workload", "workload"): Chart("worker", ("active_cases", "home_visits")),
    ("statistics", "by_service"): Chart("service", ("clients",)),
    ("statistics", "by_gender"): Chart("gender", ("clients",), columns=True),
    ("statistics", "by_age"): Chart("age_group", ("clients",), columns=True),
    ("statistics", "by_target_group"): Chart("target_group", ("clients",)),
    ("statistics", "benefits"): Chart("benefit", ("amount",)),
    ("complaints", "summary"): Chart("state", ("count",)),
}


def report_pdf(report: Report, *, language: str | None = None, large_print: bool = False, session: Any = None,
               printed_on: dt.date | None = None) -> bytes:
    """The report as PDF bytes (in memory) in ``language`` (default: the current one); the letterhead from the
    store when a ``session`` is given. Not audited: :func:`print_report` is what the app calls."""
    return _pdf(report, letterhead(session), language or current_language(), large_print,
                printed_on or dt.date.today())


def print_report(ctx: Context, report: Report, *, language: str | None = None, large_print: bool = False) -> bytes:
    """:func:`report_pdf` with the store's letterhead, audited: a printed report holds many clients' data.
    The audit event names the kind and year only — never who is in it."""
    with ctx.read() as session:
        head = letterhead(session)
    pdf = _pdf(report, head, language or current_language(), large_print, ctx.today())
    audit.record(ctx, "print", entity="reports", details={"kind": report.kind, "year": report.year})
    return pdf


# -- the story ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Look:
    large_print: bool
    st: Styles
    size: float  # table and chart text
    cell: ParagraphStyle
    number: ParagraphStyle
    head: ParagraphStyle
    head_number: ParagraphStyle
    total: ParagraphStyle
    total_number: ParagraphStyle
    caption: ParagraphStyle


def _look(large_print: bool, size: float | None = None) -> _Look:
    """Styles for tables and charts in ``size`` points (by default 8.5, or 11 in large print)."""
    st = styles(large_print)
    size = size or (11 if large_print else 8.5)
    cell_style = ParagraphStyle("cell", fontName=SANS, fontSize=size, leading=size * 1.2, alignment=TA_LEFT)
    number = ParagraphStyle("number", parent=cell_style, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=cell_style, fontName=SANS_BOLD)
    bold = ParagraphStyle("total", parent=cell_style, fontName=SANS_BOLD)
    return _Look(large_print, st, size, cell_style, number, head,
                 ParagraphStyle("head_number", parent=head, alignment=TA_RIGHT), bold,
                 ParagraphStyle("total_number", parent=bold, alignment=TA_RIGHT),
                 ParagraphStyle("caption", parent=cell_style, fontName=SANS_BOLD, spaceBefore=size * 0.8,
                                spaceAfter=size * 0.3, keepWithNext=1))


def is_total(table: ReportTable, row: dict[str, Any]) -> bool:
    """A report's total row is the one whose first (code) column holds ``total``."""
    first = table.columns[0]
    return first.kind == "code" and row.get(first.key) == TOTAL


@dataclass
class _Grid:
    """One report table as texts and the widths its columns ask for: at least (headers and long texts wrapped),
    comfortably (headers wrapped at words, long texts capped) and ideally (nothing wrapped)."""

    table: ReportTable
    header: list[str]
    body: list[list[str]]
    totals: list[bool]
    minimum: list[float]
    wanted: list[float]
    ideal: list[float]

    @property
    def needs(self) -> float:
        return sum(self.wanted)

    def align_with(self, other: _Grid) -> None:
        """Tables with the same columns (the findings of every check) get the same widths, so they line up."""
        for name in ("minimum", "wanted", "ideal"):
            merged = [max(a, b) for a, b in zip(getattr(self, name), getattr(other, name))]
            setattr(self, name, merged)
            setattr(other, name, list(merged))


def _grid(table: ReportTable, names: Names, language: str, look: _Look) -> _Grid:
    header = [gettext(column.title, language) for column in table.columns]
    body = [[cell(column, row.get(column.key), names, language) for column in table.columns] for row in table.rows]
    totals = [is_total(table, row) for row in table.rows]
    minimum, wanted, ideal = [], [], []
    extra = 2 * PAD + 1
    for index, column in enumerate(table.columns):
        texts = [values[index] for values in body]
        natural = max((stringWidth(text, SANS_BOLD, look.size) for text in texts), default=0)  # bold: totals
        word = max((stringWidth(part, SANS_BOLD, look.size) for part in header[index].split()), default=0)
        whole = stringWidth(header[index], SANS_BOLD, look.size)
        if column.kind in FIXED:
            least = most = max(natural, word)
        else:
            longest_word = max((stringWidth(part, SANS, look.size) for text in texts for part in text.split()),
                               default=0)
            least = max(word, min(natural, longest_word, CAP / 2))
            most = max(least, min(natural, CAP))
        minimum.append(least + extra)
        wanted.append(most + extra)
        ideal.append(max(most, min(max(natural, whole), 2 * CAP)) + extra)
    return _Grid(table, header, body, totals, minimum, wanted, ideal)


def _between(low: list[float], high: list[float], width: float) -> list[float]:
    """Each column from ``low`` towards ``high`` by the same share, so that together they fill ``width``."""
    slack = sum(high) - sum(low)
    share = (width - sum(low)) / slack if slack > 0 else 0
    return [a + (b - a) * share for a, b in zip(low, high)]


def _widths(grid: _Grid, width: float) -> list[float]:
    """A narrow table keeps a compact width; a wide one fills the frame, wrapping headers before text, then
    long texts; a table wider even than that is squeezed evenly."""
    minimum, wanted, ideal = grid.minimum, grid.wanted, grid.ideal
    if sum(ideal) <= width:
        target = width if sum(ideal) > COMPACT * width else max(sum(ideal) * 1.15, width / 2)
        return [value * target / sum(ideal) for value in ideal]
    if sum(wanted) <= width:
        return _between(wanted, ideal, width)
    if sum(minimum) <= width:
        return _between(minimum, wanted, width)
    return [value * width / sum(minimum) for value in minimum]


def _table(grid: _Grid, widths: list[float], look: _Look) -> Flowable:
    columns = grid.table.columns
    numeric = [column.kind in NUMERIC for column in columns]
    header = [para(text, look.head_number if right else look.head) for text, right in zip(grid.header, numeric)]
    rows = [header]
    for values, total in zip(grid.body, grid.totals):
        rows.append([para(text, (look.total_number if right else look.total) if total else
                          (look.number if right else look.cell)) for text, right in zip(values, numeric)])
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
    ]
    for index, total in enumerate(grid.totals, start=1):
        if total:
            commands += [("BACKGROUND", (0, index), (-1, index), TOTAL_FILL),
                         ("LINEABOVE", (0, index), (-1, index), 0.8, colors.black)]
    flowable = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    flowable.setStyle(TableStyle(commands))
    return flowable


def _panels(report: Report, table: ReportTable, width: float, language: str, look: _Look, *,
            beside: bool = False) -> list[tuple[str, Any]]:
    """The charts that follow ``table`` as (caption, drawing); the caption names the column a chart draws when
    the table has several numeric columns. ``beside`` a table: single bar charts only, and none whose labels
    would wrap in the room left."""
    spec = CHARTS.get((report.kind, table.id))
    rows = [row for row in table.rows if not is_total(table, row)]
    if spec is None or not rows or (beside and (spec.series is not None or len(spec.values) > 1)):
        return []
    columns = {column.key: column for column in table.columns}
    label = columns[spec.label]
    size = look.size - 0.5
    if spec.series is not None:
        return [("", _stacked(report, rows, label, columns[spec.series], columns[spec.values[0]], width, size,
                              language))]
    several = len([column for column in table.columns if column.kind in NUMERIC]) > 1
    panel_width = (width - GAP * (len(spec.values) - 1)) / len(spec.values)
    panels = []
    for key in spec.values:
        column = columns[key]
        bars = [Bar(cell(label, row.get(spec.label), report.names, language), float(row.get(key) or 0),
                    cell(column, row.get(key), report.names, language)) for row in rows]
        if beside and wraps([bar.label for bar in bars], panel_width, size=size, columns=spec.columns):
            return []
        if any(bar.value > 0 for bar in bars):
            drawing = (column_chart(bars, width=panel_width, height=min(45 * mm, panel_width * 0.6), size=size)
                       if spec.columns else bar_chart(bars, width=panel_width, size=size))
            panels.append((gettext(column.title, language) if several else "", drawing))
    return panels


def _stacked(report: Report, rows: list[dict], label: Column, series: Column, value: Column, width: float,
             size: float, language: str) -> Flowable:
    """One bar per label (a worker), one segment per series (a check), in the order of the series' labels."""
    order = [code for code in series.labels if any(row.get(series.key) == code for row in rows)]
    order += sorted({row.get(series.key) for row in rows} - set(order), key=str)
    totals: dict[Any, list[float]] = defaultdict(lambda: [0.0] * len(order))
    for row in rows:
        totals[row.get(label.key)][order.index(row.get(series.key))] += float(row.get(value.key) or 0)
    stacks = [Stack(cell(label, key, report.names, language), tuple(values), format_number(sum(values), language))
              for key, values in totals.items()]
    names = [cell(series, code, report.names, language) for code in order]
    return stacked_bar_chart(stacks, names, width=width, size=size)


def _panel(caption: str, drawing: Any, look: _Look) -> list:
    return [para(caption, look.caption), drawing] if caption else [drawing]


def _side_by_side(cells: list, widths: list[float]) -> Table:
    grid = Table([cells], colWidths=widths, hAlign="LEFT")
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),  # a table's default would be Helvetica
                              ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return grid


def _section(report: Report, grid: _Grid, width: float, language: str, look: _Look) -> list:
    """A table's heading, the table, and its chart: beside a short narrow table, otherwise below it."""
    story: list = [para(gettext(grid.table.title, language), look.st.heading)]
    if not grid.body:
        return [*story, para(gettext(NONE, language), look.cell)]
    if sum(grid.minimum) > width:  # even wrapped at every word it is too wide: a smaller type, not split words
        extra = len(grid.minimum) * (2 * PAD + 1)
        size = max(SMALLEST, math.floor(2 * look.size * (width - extra) / (sum(grid.minimum) - extra)) / 2)
        look = _look(look.large_print, size)
        grid = _grid(grid.table, report.names, language, look)
    widths = _widths(grid, width)
    table = _table(grid, widths, look)
    room = width - sum(widths) - GAP
    if room >= BESIDE and len(grid.body) <= BESIDE_ROWS:
        panels = _panels(report, grid.table, room, language, look, beside=True)
        if len(panels) == 1:
            return [*story, _side_by_side([table, _panel(*panels[0], look)], [sum(widths) + GAP, room])]
    story.append(table)
    panels = _panels(report, grid.table, min(width, CHART_WIDTH), language, look)
    if not panels:
        return story
    story.append(Spacer(1, look.size))
    if len(panels) == 1:
        return [*story, KeepTogether(_panel(*panels[0], look))]
    panel_width = (min(width, CHART_WIDTH) - GAP * (len(panels) - 1)) / len(panels)
    cells = [_panel(caption, drawing, look) for caption, drawing in panels]
    return [*story, _side_by_side(cells, [panel_width + GAP] * (len(cells) - 1) + [panel_width])]


def _meta(report: Report, language: str, printed_on: dt.date, look: _Look) -> Flowable:
    lines = headings(report, language)
    if "year" in lines:
        start, end = report_period(report.year, report.on)
        lines["year"] = (gettext(PERIOD, language), f"{format_date(start, language)}–{format_date(end, language)}")
    lines["printed"] = (gettext(PRINTED_ON, language), format_date(printed_on, language))
    label = ParagraphStyle("meta_label", parent=look.st.small, fontName=SANS_BOLD, fontSize=look.size + 0.5,
                           leading=(look.size + 0.5) * 1.3)
    value = ParagraphStyle("meta_value", parent=label, fontName=SANS)
    rows = [[para(f"{name}:", label), para(text, value)] for name, text in lines.values()]
    width = max(stringWidth(f"{name}:", SANS_BOLD, look.size + 0.5) for name, _text in lines.values()) + 8
    meta = Table(rows, colWidths=[width, None], hAlign="LEFT")
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                              ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                              ("FONTNAME", (0, 0), (-1, -1), SANS)]))
    return meta


def _align(grids: list[_Grid]) -> None:
    first: dict[tuple, _Grid] = {}
    for grid in grids:
        key = grid.table.columns
        if key in first:
            first[key].align_with(grid)
        else:
            first[key] = grid
    for grid in grids:  # the first of each group now holds the widest; hand it on to the rest
        first[grid.table.columns].align_with(grid)


def _story(report: Report, language: str, large_print: bool, printed_on: dt.date) -> tuple[list, str]:
    """The flowables and the first page's orientation; the rest turns to landscape at the first wide table."""
    look = _look(large_print)
    grids = [_grid(table, report.names, language, look) for table in tables(report)]
    _align(grids)
    wide = next((index for index, grid in enumerate(grids) if grid.needs > frame_width(PORTRAIT)), None)
    first = LANDSCAPE if wide == 0 else PORTRAIT
    orientation = first
    story: list = [para(gettext(report.title, language), look.st.title), _meta(report, language, printed_on, look)]
    if isinstance(report, InspectionReport) and report.total == 0:
        story += [Spacer(1, 4 * mm), para(gettext(NO_FINDINGS, language), look.st.body)]
    for index, grid in enumerate(grids):
        if index == wide and orientation == PORTRAIT:
            story += [NextPageTemplate(LANDSCAPE), PageBreak()]
            orientation = LANDSCAPE
        story += _section(report, grid, frame_width(orientation), language, look)
    return story, first


def _pdf(report: Report, head: dict[str, Any], language: str, large_print: bool, printed_on: dt.date) -> bytes:
    story, first = _story(report, language, large_print, printed_on)
    title = gettext(report.title, language)
    return render(lambda: story, title=title, head=head, landscape=first == LANDSCAPE, footer=title,
                  language=language, top_margin=TOP)
