"""From application to notified decision through the widgets: the worker registers an application, runs the
means test, drafts and submits the decision; the head approves and signs it from the queue; the worker issues
it and records the notification. The store is checked after every step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import decisions
from storage.models import Application, Decision, DecisionApproval, DecisionNotification, MeansTest
from tests.app.test_assistance import load
from tests.ui.conftest import type_text
from ui.decisions.client_tab import DecisionsTab
from ui.decisions.dialogs import MeansTestDialog, RegisterApplicationDialog
from ui.decisions.editor import DecisionView
from ui.decisions.queue import ApprovalQueueView

pytestmark = pytest.mark.usefixtures("lv", "synchronous")


def rows(ctx, model):
    with ctx.read() as session:
        return list(session.scalars(select(model)))


def open_tab(qtbot, ctx, shell, client) -> DecisionsTab:
    tab = DecisionsTab(ctx, shell, client)
    qtbot.addWidget(tab)
    tab.show()
    tab.refresh()
    return tab


def test_worker_registers_tests_drafts_submits_head_signs_and_worker_notifies(qtbot, ctx, head, client, household,
                                                                             shell):
    tab = open_tab(qtbot, ctx, shell, client)
    assert tab.applications.rowCount() == 0 and tab.register_button.isEnabled()

    # register the application: benefit from the catalogue, what is requested, Enter
    qtbot.mouseClick(tab.register_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RegisterApplicationDialog) and dialog.isVisible()
    dialog.benefit.setFocus()
    dialog.benefit.setCurrentIndex(dialog.benefit.findData("crisis_benefit"))
    type_text(dialog.request, "Lūdzu pabalstu malkas iegādei.")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [application] = rows(ctx, Application)
    assert (application.benefit_code, application.channel, application.status) == ("crisis_benefit", "in_person",
                                                                                    "registered")
    assert application.request_text == "Lūdzu pabalstu malkas iegādei."
    [cells] = tab.applications.texts()
    assert "Pabalsts krīzes situācijā" in cells and application.registration_number in cells
    assert any("atlikušās dienas" in cell for cell in cells)  # the deadline with days left

    # the means test: income for the household of one, the result shown in the dialog
    tab.application_table.selectRow(0)
    qtbot.mouseClick(tab.means_button, Qt.MouseButton.LeftButton)
    means = tab.dialog
    assert isinstance(means, MeansTestDialog) and means.size.value() == 1  # the household's size
    type_text(means.income, "150,00")
    qtbot.keyClick(means, Qt.Key.Key_Return)
    assert "trūcīga mājsaimniecība" in means.result.text()
    [test] = rows(ctx, MeansTest)
    assert (test.application_id, test.income_cents, test.result) == (application.id, 15000, "needy")
    qtbot.keyClick(means, Qt.Key.Key_Escape)
    assert not means.isVisible()
    assert "trūcīga mājsaimniecība" in tab.applications.texts()[0]

    # draft a decision for the application: it opens in its own screen
    tab.application_table.selectRow(0)
    qtbot.mouseClick(tab.draft_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(tab.dialog, Qt.Key.Key_Return)
    [decision] = rows(ctx, Decision)
    assert shell.opened == [decision.id]
    assert (decision.status, decision.kind, decision.benefit_code) == ("draft", "grant", "crisis_benefit")
    assert load(ctx, Application, application.id).status == "in_review"
    assert tab.decisions.texts()[0][5] == "melnraksts"

    view = DecisionView(ctx, shell, decision.id)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    assert view.request_summary.toPlainText() == "Lūdzu pabalstu malkas iegādei."
    assert view.missing.isVisible()  # facts, legal norms, operative part are still missing
    type_text(view.amount, "75,00")
    type_text(view.facts, "Mājsaimniecība atzīta par trūcīgu.")
    type_text(view.legal_basis, "Sociālo pakalpojumu un sociālās palīdzības likuma 35. panta otrā daļa")
    type_text(view.operative_part, "Piešķirt pabalstu krīzes situācijā 75,00 EUR apmērā.")
    qtbot.mouseClick(view.submit_button, Qt.MouseButton.LeftButton)
    decision = load(ctx, Decision, decision.id)
    assert (decision.status, decision.amount_cents) == ("submitted", 7500)
    assert decision.legal_basis == ["Sociālo pakalpojumu un sociālās palīdzības likuma 35. panta otrā daļa"]
    assert not view.submit_button.isVisible() and not view.approve_button.isVisible()  # anna is not the head
    assert "gaida apstiprināšanu" in view.state.text().lower() or "iesniegts" in view.timeline.text()

    # the head's queue: the decision waits there; Ctrl+Enter approves and signs it
    queue = ApprovalQueueView(head, shell)
    qtbot.addWidget(queue)
    queue.show()
    queue.refresh()
    [cells] = queue.model.texts()
    assert cells[0] == "Andris Kalniņš" and "Anna Kalniņa" in cells and "75,00 EUR" in cells
    assert "Piešķirt pabalstu krīzes situācijā" in queue.summary.toPlainText()
    queue.activateWindow()
    qtbot.waitUntil(lambda: queue.isActiveWindow())
    qtbot.keyClick(queue.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    decision = load(ctx, Decision, decision.id)
    assert (decision.status, decision.approved_by_user_id) == ("approved", head.user_id)
    assert decision.signed_at is not None
    assert queue.model.rowCount() == 0 and queue.summary.toPlainText() == ""
    assert [s.action for s in rows(ctx, DecisionApproval)] == ["submitted", "approved"]

    # the worker issues it and records that the client signed for it in person
    view.refresh()
    assert view.issue_button.isVisible()
    qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(view.dialog, Qt.Key.Key_Return)
    decision = load(ctx, Decision, decision.id)
    assert decision.status == "issued" and decision.number and decision.issued_on == ctx.today()
    assert view.notify_button.isVisible()
    qtbot.mouseClick(view.notify_button, Qt.MouseButton.LeftButton)
    notify = view.dialog
    assert notify.recipient.currentText().startswith("Andris Kalniņš")
    qtbot.keyClick(notify, Qt.Key.Key_Return)
    [notification] = rows(ctx, DecisionNotification)
    assert (notification.channel, notification.received_on) == ("in_person", ctx.today())
    assert "Andris Kalniņš" in view.timeline.text() and decision.number in view.state.text()
    tab.refresh()
    assert tab.decisions.texts()[0][-1] == "jā"  # notified
    assert decisions.decision_detail(ctx, decision.id).timeline.in_force_on == ctx.today()
