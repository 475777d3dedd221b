"""The one way Lieta makes a PDF: embedded Latvian fonts, the municipal letterhead, page numbers, a draft mark.

Every document kind builds a list of reportlab flowables and calls :func:`render`, which returns the PDF as
bytes — documents are rendered in memory and printed or previewed from memory; they reach the disk only when
the user chooses "Save as PDF" (ARCHITECTURE.md rule 2). Text from the store goes through :func:`para`, which
escapes it, so ``<b>``, ``&`` or ``%`` typed by a worker print literally and never as markup. A document may turn
its pages: ``NextPageTemplate(LANDSCAPE)`` before a page break puts a table too wide for portrait on landscape pages.
"""

from __future__ import annotations

import errno
import io
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape as turned
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from app import reference
from app.i18n import N_, gettext
from storage.errors import LietaError

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SERIF, SERIF_BOLD, SERIF_ITALIC, SANS, SANS_BOLD = ("LietaSerif", "LietaSerif-Bold", "LietaSerif-Italic",
                                                    "LietaSans", "LietaSans-Bold")
_FILES = {SERIF: "DejaVuSerif.ttf", SERIF_BOLD: "DejaVuSerif-Bold.ttf", SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
          SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf"}
MARGIN = 20 * mm
TOP_MARGIN, BOTTOM_MARGIN = 40 * mm, 22 * mm  # the letterhead above, the page number below
PORTRAIT, LANDSCAPE = "portrait", "landscape"  # the page templates of every document
PAGE_SIZES = {PORTRAIT: A4, LANDSCAPE: turned(A4)}
REGISTRATION = N_("Reg. No. {number}")
PAGE_OF = N_("Page {page} of {total}")
DRAFT = N_("DRAFT")


def register_fonts() -> None:
    """DejaVu (every Latvian glyph, embedded as a subset in each PDF); once per process."""
    if SERIF in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC,
                                  boldItalic=SERIF_BOLD)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle


def styles(large_print: bool = False) -> Styles:
    """Letter styles; ``large_print`` for clients who need it (14 pt body)."""
    register_fonts()
    size = 14 if large_print else 11
    body = ParagraphStyle("body", fontName=SERIF, fontSize=size, leading=size * 1.35, alignment=TA_JUSTIFY,
                          spaceAfter=size * 0.5)
    return Styles(
        body=body,
        heading=ParagraphStyle("heading", parent=body, fontName=SERIF_BOLD, alignment=0, spaceBefore=size * 0.6,
                               spaceAfter=size * 0.3, keepWithNext=1),  # never alone at the foot of a page
        title=ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=size + 3, leading=(size + 3) * 1.3,
                             alignment=TA_CENTER, spaceAfter=size),
        small=ParagraphStyle("small", parent=body, fontName=SANS, fontSize=size - 3, leading=(size - 3) * 1.3,
                             alignment=0),
        label=ParagraphStyle("label", parent=body, fontName=SERIF_BOLD, alignment=0, spaceAfter=0),
    )


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of literal text: markup characters are escaped, line breaks kept."""
    safe = escape(str(text if text is not None else "")).replace("\n", "<br/>")
    return Paragraph(safe, style)


def letterhead(session: Any = None) -> dict[str, Any]:
    return reference.document("letterhead_lv", session)


class _PagedCanvas(Canvas):
    """Holds each finished page until :meth:`save`, when the page count is known, and only then draws every
    page's furniture ("Lapa N no M", letterhead, DRAFT mark) — placed *before* the page's content in its
    stream, where a page-start ``onPage`` callback would have drawn it, so the content stays on top. One
    layout pass instead of two (the reportlab "NumberedCanvas" pattern)."""

    def __init__(self, *args: Any, furniture: Callable[[Any, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._held.append(dict(self.__dict__))  # the page's state, size and content stream, kept for save()
        self._doc.pageCounter += 1  # as if added: a bookmark or link on the next page names that page
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        total = len(self._held)
        self._doc.pageCounter -= total  # now add them for real, in order
        for state in self._held:
            self.__dict__.update(state)
            content, self._code = self._code, []
            transparency = self._extgstate._c  # the page's named transparency states, which its content uses
            self.init_graphics_state()  # drawn as at the start of the page, whatever the content left set
            self._extgstate._c = transparency  # kept: a fresh register would drop them from the page's resources
            self.state_stack = []
            self._furniture(self, self._pageNumber, total)
            self._code += content
            Canvas.showPage(self)
        self._held = []
        Canvas.save(self)


def render(story: Callable[[], list], *, title: str, head: dict[str, Any], draft: bool = False,
           author: str = "Lieta", landscape: bool = False, footer: str | None = None, language: str | None = None,
           top_margin: float = TOP_MARGIN) -> bytes:
    """The PDF of the flowables ``story()`` builds, laid out once; every page says "Lapa N no M".

    ``draft`` prints the diagonal DRAFT mark on every page; only an approved, signed document prints without it.
    The first page is portrait, or ``landscape``; ``NextPageTemplate(PORTRAIT | LANDSCAPE)`` in the story turns
    the pages that follow, and the letterhead is centred on each page as it stands. ``footer`` is printed at the
    foot of every page (loose pages of a long report still say what they belong to); the furniture is in
    ``language`` (default: the current one)."""
    register_fonts()
    buffer = io.BytesIO()
    first = LANDSCAPE if landscape else PORTRAIT
    doc = BaseDocTemplate(buffer, pagesize=PAGE_SIZES[first], leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=top_margin, bottomMargin=BOTTOM_MARGIN, title=title, author=author, creator="Lieta",
                          initialFontName=SERIF,  # not even an unused Helvetica: every font is embedded
                          invariant=True)  # no timestamps or random ids: the same document renders the same bytes
    doc.addPageTemplates([PageTemplate(id=name, pagesize=PAGE_SIZES[name], frames=[
        Frame(MARGIN, BOTTOM_MARGIN, frame_width(name), PAGE_SIZES[name][1] - top_margin - BOTTOM_MARGIN, id=name)])
        for name in (first, *(other for other in PAGE_SIZES if other != first))])  # the first one starts the document

    def furniture(canvas: Any, page: int, total: int) -> None:
        _page_furniture(canvas, page, total, head, draft=draft, footer=footer, language=language)

    doc.build(story(), canvasmaker=partial(_PagedCanvas, furniture=furniture))
    return buffer.getvalue()


def frame_width(template: str = PORTRAIT) -> float:
    """The width between the side margins of a portrait or landscape page."""
    return PAGE_SIZES[template][0] - 2 * MARGIN


def _page_furniture(canvas: Any, page: int, total: int, head: dict[str, Any], *, draft: bool, footer: str | None,
                    language: str | None) -> None:
    width, height = canvas._pagesize  # this page's own size: portrait or landscape
    canvas.saveState()
    canvas.setFont(SERIF_BOLD, 12)
    canvas.drawCentredString(width / 2, height - 16 * mm, head["institution"])
    canvas.setFont(SANS, 8)
    canvas.drawCentredString(width / 2, height - 21 * mm, head["municipality"] + " · " + gettext(
        REGISTRATION, language).format(number=head["registration_number"]))
    canvas.drawCentredString(width / 2, height - 25 * mm, " · ".join(
        part for part in (head.get("address"), head.get("phone"), head.get("email"), head.get("website")) if part))
    canvas.setStrokeColor(colors.grey)
    canvas.line(MARGIN, height - 28 * mm, width - MARGIN, height - 28 * mm)
    if footer:
        canvas.drawString(MARGIN, 12 * mm, footer)
    canvas.drawRightString(width - MARGIN, 12 * mm, gettext(PAGE_OF, language).format(page=page, total=total))
    if draft:
        canvas.setFont(SANS_BOLD, 72)
        canvas.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.18))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, 0, gettext(DRAFT, language))
    canvas.restoreState()


# -- saving ----------------------------------------------------------------------------------------------------
#: Why a file could not be written, in the user's words (a USB stick full, pulled out or locked).
_OS_REASONS = {errno.ENOENT: N_("the folder does not exist"), errno.EACCES: N_("you may not write there"),
               errno.EPERM: N_("you may not write there"), errno.ENOSPC: N_("the disk is full"),
               errno.EROFS: N_("the disk is read-only"), errno.EIO: N_("the disk could not be written")}


class FileNotWritten(LietaError):
    code = "file_not_written"
    msgid = N_("The file could not be written: {reason_msg}")


def save_pdf(path: Path, pdf: bytes) -> None:
    """The one way a document reaches the disk: where the user chose, readable by its owner only (0600, also
    over an existing file). A failure says why in the user's words, never with the path or the content."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pdf)
    except OSError as error:
        raise FileNotWritten(reason_msg=_OS_REASONS.get(error.errno or 0, N_("the disk could not be written"))
                             ) from None
