"""The one render path (forms.pdf.render) read back from the PDF: landscape pages with the letterhead centred on
them, portrait and landscape pages in one document numbered in order, a footer, the furniture in the language asked
for, and transparent content that keeps its transparency under the page furniture."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import NextPageTemplate, PageBreak

from forms.charts import new_drawing
from forms.pdf import LANDSCAPE, PORTRAIT, SERIF_BOLD, letterhead, para, render, styles
from tests.forms.conftest import text_of

pytestmark = pytest.mark.usefixtures("lv")

HEAD = letterhead()


def runs_of(pdf: bytes, page: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of every piece of text drawn on a page."""
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            runs.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


def sizes_of(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_landscape_page_is_landscape_with_the_letterhead_centred_on_it():
    st = styles()
    pdf = render(lambda: [para("Plata tabula", st.body)], title="Pārskats", head=HEAD, landscape=True)
    [(width, height)] = sizes_of(pdf)
    assert width > height
    [(x, y)] = [(x, y) for text, x, y in runs_of(pdf, 0) if text == HEAD["institution"]]
    assert x + stringWidth(HEAD["institution"], SERIF_BOLD, 12) / 2 == pytest.approx(width / 2, abs=0.5)
    assert y > height - 20 * 72 / 25.4  # at the top of the turned page, not somewhere in its middle


def test_a_document_mixing_portrait_and_landscape_pages_numbers_them_in_order():
    st = styles()

    def story():
        return [para("Kopsavilkums", st.body), NextPageTemplate(LANDSCAPE), PageBreak(),
                para("Plata tabula", st.body), PageBreak(), para("Turpinājums", st.body),
                NextPageTemplate(PORTRAIT), PageBreak(), para("Paraksti", st.body)]

    pdf = render(story, title="Pārskats", head=HEAD, footer="Gada pārskats")
    assert [width > height for width, height in sizes_of(pdf)] == [False, True, True, False]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    for number, (text, (width, _height)) in enumerate(zip(pages, sizes_of(pdf)), start=1):
        assert f"Lapa {number} no 4" in text and "Gada pārskats" in text
        footer = [(x, y) for line, x, y in runs_of(pdf, number - 1) if line == "Gada pārskats"]
        assert footer and footer[0][0] == pytest.approx(20 * 72 / 25.4)  # at the foot, on the left margin
        [(x, _y)] = [(x, y) for line, x, y in runs_of(pdf, number - 1) if line.startswith("Lapa ")]
        assert x > width / 2  # the page number at the right, on this page's own width


def test_the_furniture_speaks_the_language_asked_for():
    pdf = render(lambda: [para("Text", styles().body)], title="Report", head=HEAD, draft=True, language="en")
    text = text_of(pdf)
    assert "Page 1 of 1" in text and "DRAFT" in text and "Lapa" not in text


@pytest.mark.parametrize("draft", [False, True])
def test_transparent_content_keeps_its_transparency_under_the_page_furniture(draft):
    drawing = new_drawing(100, 50)
    drawing.add(Rect(0, 0, 100, 50, fillColor=colors.Color(0.1, 0.3, 0.6, alpha=0.15), strokeColor=None))
    pdf = render(lambda: [drawing], title="Diagramma", head=HEAD, draft=draft)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    states = page["/Resources"]["/ExtGState"]
    used = set(re.findall(r"/(\w+) gs", page.get_contents().get_data().decode("latin-1")))
    assert used and used <= {name.lstrip("/") for name in states}  # every state the page sets is defined
    alphas = {float(state.get_object().get("/ca", 1)) for state in states.values()}
    assert 0.15 in alphas and (0.18 in alphas) == draft  # the chart's fill, and the DRAFT mark's only on a draft
