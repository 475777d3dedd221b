"""The client file's home-visits tab: plan a visit, start it, print the signed report or a blank checklist."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import visits
from tests.ui.visits.conftest import WAIT
from tests.ui.visits.test_checklist import FULL, all_text
from ui import ops
from ui.visits.client_tab import VisitsTab


def tab_for(qtbot, ctx, shell, client) -> VisitsTab:
    tab = VisitsTab(ctx, shell, client)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_worker_plans_a_visit_then_starts_it_and_the_checklist_opens(qtbot, ctx, shell, client):
    with ops.inline():
        tab = tab_for(qtbot, ctx, shell, client)
        tab.refresh()
        assert tab.model.rowCount() == 0 and not tab.empty.isHidden()
        dialog = tab.plan()
        qtbot.keyClicks(dialog.purpose, "Check the heating")
        qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
        [row] = visits.list_visits(ctx, client)
        assert (row.status, row.purpose, row.planned_on, row.template_id) == (
            "planned", "Check the heating", ctx.today(), "home_visit_family")
        assert tab.model.rowCount() == 1 and tab.selected().id == row.id
        assert tab.open_button.text() == "&Sākt apsekošanu" and not tab.print_button.isEnabled()
        assert tab.model.data(tab.model.index(0, 1)) == "plānots"
        qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert visits.list_visits(ctx, client)[0].status == "in_progress"
    assert shell.opened_visits == [row.id]


def test_plan_dialog_shows_the_services_message_when_the_purpose_is_missing(qtbot, ctx, shell, client):
    with ops.inline():
        tab = tab_for(qtbot, ctx, shell, client)
        tab.refresh()
        dialog = tab.plan()
        qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.message.isHidden() and dialog.message.text()
    assert visits.list_visits(ctx, client) == []


def test_signed_visit_prints_its_report_and_any_visit_its_blank_checklist(qtbot, ctx, shell, client, visit):
    for qid, value in FULL.items():
        visits.save_answer(ctx, visit, qid, value)
    visits.set_findings(ctx, visit, "Apstākļi apmierinoši")
    visits.sign_visit(ctx, visit, "signed")
    with ops.inline():
        tab = tab_for(qtbot, ctx, shell, client)
        tab.refresh()
    assert tab.print_button.isEnabled() and tab.open_button.text() == "&Atvērt"
    report = tab.print_report()
    qtbot.waitUntil(lambda: report.page_count > 0, timeout=WAIT)
    report.close()
    blank = tab.print_blank()
    qtbot.waitUntil(lambda: blank.page_count > 0, timeout=WAIT)
    blank.close()


def test_clear_leaves_no_visit_detail_in_the_tab(qtbot, ctx, shell, client, visit):
    with ops.inline():
        tab = tab_for(qtbot, ctx, shell, client)
        tab.refresh()
    assert tab.model.rowCount() == 1
    tab.clear()
    assert tab.model.rowCount() == 0 and "Novērtēt" not in all_text(tab)
