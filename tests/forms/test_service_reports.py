"""Service reports on paper, read back from the PDF: the same figures as ``lieta report`` prints, every table
with its header and totals, exact Latvian, embedded fonts only, long registers over several pages with the
header repeated, markup printed literally, charts drawn, landscape pages for wide tables, printing audited."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import decisions, records
from app.i18n import gettext
from app.reports import complaints_register, inspection_report, statistics_report, workload_report
from app.reports.render import tables, to_text
from forms.pdf import SANS, SANS_BOLD
from forms.charts import Bar, Stack, bar_chart, column_chart, stacked_bar_chart, wraps
from forms.service_reports import print_report, report_pdf
from storage.models import AuditEvent
from tests.app.reports.conftest import ctx, head, store, well_kept, world  # noqa: F401  (pytest fixtures)
from tests.app.reports.world import TODAY, grant
from tests.forms.conftest import LETTERS, flat, fonts_of

__all__ = ["ctx", "head", "store", "well_kept", "world"]  # the report tests' world replaces the letters' fixtures
pytestmark = pytest.mark.usefixtures("lv")

MARKUP = "<b>Ērika</b> & 100%"
BLUE = (0x00, 0x72, 0xB2)  # the bars' colour (forms.charts.BAR)


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def runs_of(pdf: bytes, page: int = 0) -> list[tuple[str, str, float, float]]:
    """(text, font, x, y) of every piece of text drawn on a page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), str(font["/BaseFont"]) if font else "", tm[4] + cm[4], tm[5] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


def text_tables(report, language: str = "lv") -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each table of the text rendering (``lieta report``): title → (header cells, rows of cells)."""
    blocks = to_text(report, language).split("\n\n")[1:]
    parsed = {}
    for block in blocks:
        lines = block.splitlines()
        if len(lines) < 4 or not set(lines[1]) <= {"-"}:
            continue  # the "no findings" sentence
        split = [re.split(r" {2,}", line.strip()) for line in lines[4:] if line.strip()]
        parsed[lines[0]] = (re.split(r" {2,}", lines[2].strip()), split)
    return parsed


def the_service_at_work(world) -> None:
    """The well-kept service plus a year's ordinary activity, so that every table of every report has rows."""
    liga, janis, inga = world.ids["liga"], world.ids["janis"], world.ids["inga"]
    records.refer_to_service(world.ctx, liga, "home_care", "2026-03-01")
    records.refer_to_service(world.ctx, janis, "home_care", "2026-05-01")
    records.refer_to_service(world.ctx, inga, "crisis_centre", "2026-11-20")
    decision = world.issued(janis, grant("crisis_benefit", "85,30"), "2026-06-10")
    world.notify(decision, world.person_of(janis), "2026-06-11")
    decisions.record_notification(world.ctx, decision, world.ids["guardian"], "registered_post", sent_on="2026-06-11")
    records.register_complaint(world.ctx, "2026-10-01", "oral", "Nav atbildes.",
                               complainant_person_id=world.person_of(liga))  # unanswered: a finding
    late = records.register_complaint(world.ctx, "2026-09-01", "written", "Nav atbildes uz iesniegumu.")
    records.answer_complaint(world.ctx, late, "Atvainojamies; atbilde nosūtīta.", "2026-10-05")


def every_report(world) -> dict:
    head = world.head
    return {"inspection": inspection_report(head), "workload": workload_report(head, 2026),
            "statistics": statistics_report(head, 2026), "complaints": complaints_register(head, 2026)}


# -- the figures -----------------------------------------------------------------------------------------------------
def test_every_report_prints_its_title_period_headers_rows_and_totals_exactly_as_the_text_report(world):
    the_service_at_work(world)
    for kind, report in every_report(world).items():
        pdf = report_pdf(report, printed_on=dt.date(2026, 11, 24))
        text = flat("\n".join(pages_of(pdf)))
        assert gettext(report.title, "lv") in text, kind
        for line in ("Datums: 23.11.2026.", "Tvērums: Ērgļu novads", "Izdrukāts: 24.11.2026."):
            assert line in text, (kind, line)
        if report.year is not None:
            assert "Periods: 01.01.2026.–23.11.2026." in text, kind
        parsed = text_tables(report)
        assert len(parsed) == len(tables(report)), kind
        for title, (header, rows) in parsed.items():
            assert f"{title} {' '.join(header)}" in text, (kind, title)  # heading, then the header row
            assert rows, (kind, title)  # the world gives every table rows
            for cells in rows:
                assert " ".join(cells) in text, (kind, title, cells)  # the same texts in the same order
        assert "Lapa 1 no" in text and "Priedkalnes novada Sociālais dienests" in text


def test_the_figures_that_matter_are_printed(world):
    the_service_at_work(world)
    reports = every_report(world)
    statistics = flat("\n".join(pages_of(report_pdf(reports["statistics"]))))
    assert "Kopā 3 2 405,80" in statistics  # benefits: decisions, recipients, amount with a decimal comma
    assert "Mājokļa pabalsts 1 1 120,50" in statistics
    inspection = flat("\n".join(pages_of(report_pdf(reports["inspection"]))))
    assert "Uz sūdzībām nav laikus atbildēts 1" in inspection and "Kopā 1" in inspection
    assert "Ozoliņa Līga Anna Kalniņa" in inspection  # the finding names the client and the worker
    workload = flat("\n".join(pages_of(report_pdf(reports["workload"]))))
    assert "Anna Kalniņa 2 20–22 zem mērķa" in workload
    complaints = flat("\n".join(pages_of(report_pdf(reports["complaints"]))))
    unanswered = ("01.10.2026. sūdzība mutiski Ozoliņa Līga Anna Kalniņa 02.11.2026. — nē "
                  "atvērta, termiņš nokavēts")
    assert unanswered in complaints


def test_totals_are_bold_and_numbers_right_aligned(world):
    the_service_at_work(world)
    report = statistics_report(world.head, 2026)
    pdf = report_pdf(report)
    runs = [run for page in range(len(PdfReader(io.BytesIO(pdf)).pages)) for run in runs_of(pdf, page)]
    bold = {text for text, font, _x, _y in runs if font.endswith("DejaVuSans-Bold")}
    assert {"Kopā", "405,80", "Kopā (katrs klients vienreiz)"} <= bold
    assert "120,50" not in bold and "Mājokļa pabalsts" not in bold
    edges: dict[str, set] = {}
    for text, font, x, _y in runs:
        if text in ("120,50", "285,30", "405,80"):
            edges.setdefault(text, set()).add(round(x + stringWidth(text, SANS_BOLD if "Bold" in font else SANS, 8.5)))
    assert len(edges) == 3 and set.intersection(*edges.values()), edges  # three widths, one right edge


def test_english_on_request_whatever_the_current_language(world):
    pdf = report_pdf(workload_report(world.head, 2026), language="en")
    text = flat("\n".join(pages_of(pdf)))
    assert "Workload of the social work specialists" in text and "Page 1 of 1" in text
    assert "Period: 2026-01-01–2026-11-23" in text and "Active cases" in text
    assert "Aktīvie" not in text


# -- letters, markup, fonts ------------------------------------------------------------------------------------------
def test_latvian_letters_and_markup_print_literally_in_tables_and_charts_with_embedded_fonts_only(world):
    world.worker("burti", f"Ārija {LETTERS}", ["social_worker"])
    world.worker("zime", MARKUP, ["social_worker"])
    pdf = report_pdf(workload_report(world.head, 2026))
    text = flat("\n".join(pages_of(pdf)))
    assert text.count(LETTERS) >= 2  # the table row and the chart label
    assert text.count(MARKUP) >= 2
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts) and not any("Helvetica" in name for name in fonts)
    assert b"Helvetica" not in pdf


def test_large_print_keeps_every_word_whole(world):
    pdf = report_pdf(workload_report(world.head, 2026), large_print=True)
    text = flat("\n".join(pages_of(pdf)))
    for header in ("Darbinieks", "Konsultācijas", "Apsekošanas", "Supervīzijas", "Anna Kalniņa"):
        assert header in text, header
    assert max(size for _font, size in _text_sizes(pdf)) == 17  # the large-print title
    assert max(size for _font, size in _text_sizes(report_pdf(workload_report(world.head, 2026)))) == 14


def _text_sizes(pdf: bytes):
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append((str(font["/BaseFont"]), size * tm[0]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes


# -- pages -----------------------------------------------------------------------------------------------------------
def test_a_register_of_hundreds_of_rows_runs_over_pages_repeating_its_header(world):
    person = world.person_of(world.client("Ērika", "Zīme", groups=("low_income",)))
    start = dt.date(2026, 1, 5)
    for index in range(260):
        records.register_complaint(world.ctx, start + dt.timedelta(days=index), ("oral", "written", "email")[index % 3],
                                   "Sūdzība.", complainant_person_id=person)
    report = complaints_register(world.head, 2026)
    assert len(report.rows) == 262
    pages = [flat(page) for page in pages_of(report_pdf(report))]
    assert len(pages) >= 5
    header = "Saņemts Veids Saņemšanas veids Iesniedzējs Reģistrēja Atbildes termiņš Atbildēts Laikā Statuss"
    with_rows = [page for page in pages if "Zīme Ērika Anna Kalniņa" in page]
    assert len(with_rows) >= 4
    assert all(header in page for page in with_rows)
    assert all(f"Lapa {number} no {len(pages)}" in page for number, page in enumerate(pages, start=1))
    assert "Sūdzības pēc statusa" in pages[-1]


def test_wide_tables_are_printed_on_landscape_pages(world):
    the_service_at_work(world)
    reports = every_report(world)

    def shapes(report):
        return [(float(page.mediabox.width) > float(page.mediabox.height))
                for page in PdfReader(io.BytesIO(report_pdf(report))).pages]

    assert shapes(reports["workload"]) == [True]  # eleven columns: landscape from the first page
    assert not any(shapes(reports["statistics"]))  # narrow count tables stay portrait
    inspection = shapes(reports["inspection"])
    assert inspection[0] is False and inspection[-1] is True  # summary portrait, the findings' long texts landscape


def test_an_inspection_without_findings_says_so(world):
    text = flat("\n".join(pages_of(report_pdf(inspection_report(world.head)))))
    assert gettext("No findings: every check passed.", "lv") in text
    assert "Kopā 0" in text and "(nav)" in text  # the empty per-worker table says so too


# -- charts ----------------------------------------------------------------------------------------------------------
def _blue_pixels(pdf: bytes, tmp_path, page: int = 1) -> int:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), str(source),
                    str(tmp_path / "page")], check=True)
    [image] = sorted(tmp_path.glob("page-*.png"))
    data = Image.open(image).convert("RGB").tobytes()
    image.unlink()
    return sum(1 for pixel in zip(data[0::3], data[1::3], data[2::3])
               if all(abs(value - blue) < 40 for value, blue in zip(pixel, BLUE)))


def test_charts_are_drawn_below_or_beside_their_tables(world, tmp_path):
    the_service_at_work(world)
    reports = every_report(world)
    workload = report_pdf(reports["workload"])
    assert _blue_pixels(workload, tmp_path) > 100  # two bar charts: active cases and home visits
    text = flat(pages_of(workload)[0])
    assert "Aktīvie gadījumi Anna Kalniņa 2 Ilze Vadītāja 0 Apsekošanas Anna Kalniņa 1" in text  # charts' labels
    assert _blue_pixels(report_pdf(reports["statistics"]), tmp_path) > 100
    empty = complaints_register(world.head, 2025)  # nothing to draw
    assert _blue_pixels(report_pdf(empty), tmp_path) == 0


def test_bar_chart_lengths_follow_the_values_and_labels_wrap_whole():
    long = "Pabalsts garantētā minimālā ienākuma līmeņa nodrošināšanai"
    drawing = bar_chart([Bar(long, 30, "30"), Bar("Mājokļa pabalsts", 15, "15"), Bar("Nekas", 0, "0")],
                        width=200)
    bars = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    assert len(bars) == 2 and bars[0].width == pytest.approx(2 * bars[1].width)
    strings = [shape for shape in drawing.contents if isinstance(shape, String)]
    assert {shape.fontName for shape in strings} == {SANS}
    texts = [shape.text for shape in strings]
    assert " ".join(texts[:texts.index("30")]) == long  # wrapped onto lines, every word kept
    assert wraps([long], 200) and not wraps(["Nekas"], 200)


def test_stacked_and_column_charts_draw_every_segment_and_a_legend():
    drawing = stacked_bar_chart([Stack("Anna", (2, 1), "3"), Stack("Ilze", (0, 4), "4")],
                                ["supervīzija", "apmācības"], width=300)
    bars = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    assert len(bars) == 3 + 2  # segments, then the legend's swatches
    assert bars[0].width == pytest.approx(2 * bars[1].width) and bars[2].width == pytest.approx(4 * bars[1].width)
    assert {"supervīzija", "apmācības", "3", "4"} <= {s.text for s in drawing.contents if isinstance(s, String)}
    columns = column_chart([Bar("18–24", 1, "1"), Bar("62 un vairāk", 49, "49")], width=200, height=100)
    heights = [shape.height for shape in columns.contents if isinstance(shape, Rect)]
    assert heights[1] == pytest.approx(49 * heights[0])
    assert all(s.fontName == SANS for s in columns.contents if isinstance(s, String))


# -- audit -----------------------------------------------------------------------------------------------------------
def test_printing_a_report_is_audited_without_personal_data(world):
    the_service_at_work(world)
    report = complaints_register(world.head, 2026)
    pdf = print_report(world.head, report)
    assert pdf.startswith(b"%PDF")
    with world.head.read() as session:
        [event] = session.query(AuditEvent).filter(AuditEvent.action == "print", AuditEvent.entity == "reports").all()
    assert (event.user_id, event.client_id, event.entity_id) == (world.ids["ilze"], None, None)
    assert event.details == {"kind": "complaints", "year": 2026}
    assert event.at.date() == TODAY
