"""The reports screen over demo data: each report built in the worker shows the same cell texts as the report
object (and ``lieta report``), its charts paint bars, the print preview renders, and locking forgets it all."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from app import demo
from app.context import Context
from app.i18n import gettext
from app.reports.render import cell, tables
from tests.ui.conftest import widget_texts
from ui import ops, printing
from ui.reports.chart import BarChart, palette
from ui.reports.model import KINDS, build_report
from ui.reports.view import ReportsView

TODAY = dt.date(2026, 11, 23)
WAIT = 20_000

pytestmark = pytest.mark.usefixtures("lv")


@pytest.fixture
def ctx(store):
    """Anna (social worker: reports are for case workers, the head and inspectors) with 60 demo clients."""
    context = Context(store, today=lambda: TODAY)
    demo.seed_demo(context, 60, seed=1)
    return context


@pytest.fixture
def view(qtbot, ctx):
    page = ReportsView(ctx, None)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    return page


def choose(view: ReportsView, kind: str, year: int | None = None) -> None:
    view.kind.setCurrentIndex([k.key for k in KINDS].index(kind))
    if year is not None:
        view.year.setValue(year)


def shown_cells(view: ReportsView) -> list[list[str]]:
    model = view.model
    return [[model.data(model.index(row, column)) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
def test_each_report_shows_the_same_cell_texts_as_the_report_itself(qtbot, ctx, view, kind):
    choose(view, kind, TODAY.year)
    with ops.inline():
        view.run()
    assert view.prepared is not None and not view.busy.isVisible()
    expected = build_report(ctx, kind, year=TODAY.year, day=TODAY)
    every = tables(expected)
    assert view.tables.count() == len(every)
    for index, table in enumerate(every):
        view.tables.setCurrentRow(index)
        assert [view.model.headerData(c, Qt.Orientation.Horizontal)
                for c in range(view.model.columnCount())] == [
            gettext(column.title) for column in table.columns]
        assert shown_cells(view) == [[cell(column, row.get(column.key), expected.names, "lv")
                                      for column in table.columns] for row in table.rows]
    assert gettext(expected.title) in view.heading.text()


def test_the_workload_report_is_built_in_the_store_lane_with_a_busy_indicator(qtbot, view):
    choose(view, "workload", TODAY.year)
    view.run()
    assert view.busy.isVisible() and not view.run_button.isEnabled()  # the UI thread did not wait
    qtbot.waitUntil(lambda: view.prepared is not None, timeout=WAIT)
    assert not view.busy.isVisible() and view.run_button.isEnabled() and view.print_button.isEnabled()
    assert "Anna Kalniņa" in widget_texts(view)


def painted(chart: BarChart) -> QImage:
    chart.resize(600, chart.sizeHint().height())
    return chart.grab().toImage()


def count_colour(image: QImage, colour: QColor) -> int:
    return sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y) == colour)


def test_the_statistics_charts_paint_a_bar_for_each_group(qtbot, view):
    choose(view, "statistics", TODAY.year)
    with ops.inline():
        view.run()
    titles = [view.tables.item(row).text() for row in range(view.tables.count())]
    view.tables.setCurrentRow(next(i for i, title in enumerate(titles) if title.startswith("Klienti pēc dzimuma")
                                   or "dzim" in title.lower()))
    assert view.charts.charts, "a chart follows the table"
    chart = view.charts.charts[0]
    assert len(chart.panel.labels) >= 2 and any(value[0] > 0 for value in chart.panel.values)
    assert count_colour(painted(chart), palette()[0]) > 50  # the bars are really painted


def test_the_inspection_chart_stacks_each_workers_findings_by_check(qtbot, view):
    choose(view, "inspection")
    with ops.inline():
        view.run()
    by_worker = [t.id for t in view.prepared.tables].index("by_worker")
    view.tables.setCurrentRow(by_worker)
    panel = view.charts.charts[0].panel
    assert panel.series and all(len(values) == len(panel.series) for values in panel.values)
    table = view.prepared.tables[by_worker]
    assert sum(sum(values) for values in panel.values) == sum(int(row[-1]) for row in table.body)
    assert count_colour(painted(view.charts.charts[0]), palette()[0]) > 0


def test_print_preview_renders_the_report_and_large_print_follows_the_setting(qtbot, view, monkeypatch):
    monkeypatch.setattr(printing, "large_print_by_default", True)  # the setting, as applied at unlock
    choose(view, "workload", TODAY.year)
    with ops.inline():
        view.run()
    view.print_preview()
    preview = view.preview
    assert preview.large_print.isChecked()
    qtbot.waitUntil(lambda: preview._shown_large and preview.print_button.isEnabled(), timeout=WAIT)
    assert preview.page_count > 0
    preview.reject()
    assert ops.wait_idle()  # the store is locked at teardown: no rendering may still be reading it


def test_a_year_that_has_not_begun_is_explained(qtbot, view):
    view.year.setRange(2000, TODAY.year + 1)
    choose(view, "complaints", TODAY.year + 1)
    with ops.inline():
        view.run()
    assert view.prepared is None and str(TODAY.year + 1) in view.message.text()
    assert view.run_button.isEnabled() and not view.busy.isVisible()


def test_locking_forgets_the_report(qtbot, view):
    choose(view, "workload", TODAY.year)
    with ops.inline():
        view.run()
    assert "Anna Kalniņa" in widget_texts(view)
    view.clear()
    assert "Anna Kalniņa" not in widget_texts(view)
    assert view.model.rowCount() == 0 and view.tables.count() == 0 and not view.print_button.isEnabled()
