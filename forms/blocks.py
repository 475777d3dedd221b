"""Building blocks every document shares: label–value grids, tables whose header repeats on every page, numbered
lists, signature blocks, and the printed names of the store's codes, people and dates.

Every cell is a :func:`forms.pdf.para`, so text from the store is escaped and wraps inside its column instead
of running over the page edge. Tables come in two sizes: ``compact`` (a point smaller than the body, for the dense
tables of case files) and the body size of forms read with the client (home-visit report, assessment).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle

from app import reference
from app.errors import ValidationError
from app.i18n import N_, gettext
from app.visits import load_template
from forms.labels import date_text, in_language, text_or_dash
from forms.pdf import SANS_BOLD, SERIF, Styles, para

def cell_style(st: Styles, *, small: bool = False, compact: bool = False) -> ParagraphStyle:
    """Left-aligned text for table cells (justified text in a narrow cell leaves gaps): the body size, the small
    size, or ``compact`` — a point smaller than the body."""
    if compact:
        size = st.body.fontSize - 1
        return ParagraphStyle("cell", parent=st.body, fontSize=size, leading=size * 1.25, alignment=0, spaceAfter=0)
    base = st.small if small else st.body
    return ParagraphStyle(f"cell-{base.name}", parent=base, alignment=0, spaceAfter=0, spaceBefore=0)


def _header_style(st: Styles, compact: bool) -> ParagraphStyle:
    """A table's header: bold sans a point smaller than compact cells, or the bold label of the body size."""
    if not compact:
        return st.label
    size = st.body.fontSize - 2
    return ParagraphStyle("head", parent=cell_style(st, compact=True), fontName=SANS_BOLD, fontSize=size,
                          leading=size * 1.25)


#: an empty cell (a "—" would read as "no" where the column is a mark)
BLANK = ""


def _cell(value: Any, style: ParagraphStyle) -> Any:
    if value == BLANK:
        return Spacer(1, 1)
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list):
        return value
    return para(text_or_dash(value), style)


GRID = colors.Color(0.75, 0.75, 0.75)
#: a row taller than the room left may split across pages, leaving at least this much (points) on each side —
#: a 10,000-character note in one cell is taller than a page
_SPLIT = 30
SHADE = colors.Color(0.94, 0.94, 0.94)


def facts(rows: Sequence[tuple[str, Any]], st: Styles, *, widths: Sequence[str] | None = None,
          compact: bool = True) -> Table:
    """Label–value rows (name, personal code, validity…) as a two-column grid ruled under each row."""
    widths = widths or (("32%", "68%") if compact else ("30%", "70%"))
    cell = cell_style(st, compact=compact)
    bold = ParagraphStyle("fact-label", parent=cell, fontName=st.label.fontName)
    pad = 1.5 if compact else 3
    table = Table([[para(name, bold), _cell(value, cell)] for name, value in rows], colWidths=list(widths),
                  splitInRow=_SPLIT)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), SERIF), ("TOPPADDING", (0, 0), (-1, -1), pad),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID)]))
    return table


def grid(header: Sequence[Any] | None, rows: Sequence[Sequence[Any]], st: Styles, *, widths: Sequence[Any],
         title: str | None = None, compact: bool = True) -> Table:
    """A ruled table whose ``header`` row — and ``title`` across the columns above it, such as a checklist
    section's — repeat when the table continues on the next page; a row taller than a page splits."""
    cell, head = cell_style(st, compact=compact), _header_style(st, compact)
    top = [[para(title, st.label)] + [""] * (len(widths) - 1)] if title is not None else []
    if header:
        top.append([_cell(name, head) for name in header])
    data = top + [[_cell(value, cell) for value in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=len(top), splitInRow=_SPLIT)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("FONTNAME", (0, 0), (-1, -1), SERIF)]
    if top:
        commands.append(("BACKGROUND", (0, 0), (-1, len(top) - 1), SHADE))
    if title is not None:
        commands.append(("SPAN", (0, 0), (-1, 0)))
    if compact:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    else:
        commands += [("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    table.setStyle(TableStyle(commands))
    return table


def numbered(items: Sequence[list[Flowable]], st: Styles) -> ListFlowable:
    """1., 2., 3. … each item one or more flowables (the number in the body font, so it is embedded)."""
    return ListFlowable([ListItem(flowables) for flowables in items], bulletType="1", bulletFormat="%s.",
                        bulletFontName=SERIF, bulletFontSize=st.body.fontSize, leftIndent=st.body.fontSize * 1.8)


def signatures(parties: Sequence[tuple[str, str, dt.date | None]], st: Styles, *, intro: str | None = None) -> Any:
    """Side-by-side signature blocks: who signs (role), their name, a line to sign on, and the date (printed when
    known, a blank line to fill in otherwise). Kept together so a block never splits across pages."""
    cell = cell_style(st, compact=True)
    bold = ParagraphStyle("sig-role", parent=cell, fontName=st.label.fontName)
    columns = []
    for role, name, day in parties:
        columns.append([para(role, bold), para(name or " ", cell), Spacer(1, st.body.fontSize * 1.8),
                        para(gettext(N_("Signature: {line}")).format(line="_" * 24), cell),
                        Spacer(1, st.body.fontSize * 0.6),
                        para(gettext(N_("Date: {date}")).format(date=date_text(day) if day else "_" * 14), cell)])
    table = Table([columns], colWidths=[f"{100 / len(columns):.2f}%"] * len(columns))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), SERIF), ("RIGHTPADDING", (0, 0), (-1, -1), 12)]))
    block: list = [Spacer(1, st.body.fontSize)]
    if intro:
        block.append(para(intro, st.body))
    block.append(table)
    return KeepTogether(block)


def signature_lines(signers: Sequence[tuple[str, str]], st: Styles) -> Table:
    """A line to sign on above each signer's role and name (the name may be a note such as "refused"): forms
    signed by hand, where the date is printed in the text above or written in by hand."""
    caption = cell_style(st, small=True)
    gap = 8  # per cent of the width between two lines
    share = (100 - gap) / 2
    top: list[Any] = []
    bottom: list[Any] = []
    for number, (role, name) in enumerate(signers):
        if number:
            top.append("")
            bottom.append("")
        top.append("")
        bottom.append(para(f"{role}\n{name}", caption))
    widths = [f"{gap if i % 2 else share:.0f}%" for i in range(len(top))]
    table = Table([top, bottom], colWidths=widths, rowHeights=[12 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")] +
                              [("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in range(0, len(top), 2)]))
    return table


def catalogue_name(session: Any, kind: str, code: str | None) -> str:
    """A benefit's or a service's name from the municipal catalogue (``kind``: benefits | services), printed in
    the document's language; a code the catalogue no longer has prints as it is stored."""
    if not code:
        return "—"
    for entry in reference.document("assistance_lv", session).get(kind, []):
        if entry.get("code") == code:
            return in_language(entry.get("name"), code)
    return code


def scores_text(assessment: Any) -> str:
    """An assessment's scores by the names of its domains (from the template version it used)."""
    names: dict[str, str] = {}
    try:
        template = load_template(assessment.template_id, assessment.template_version)
        names = {d["id"]: in_language(d, d["id"]) for d in template.domains}
    except ValidationError:
        pass  # a template this release does not ship: the domain ids still say what was scored
    return "; ".join(f"{names.get(key, key)} {value}" for key, value in (assessment.scores or {}).items())


def heading(text: str, st: Styles, *, room: float = 30 * mm) -> list:
    """A section heading that moves to the next page rather than end a page with nothing under it."""
    return [CondPageBreak(room), para(text, st.heading)]
