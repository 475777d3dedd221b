"""Around the main path: the head returns a decision with comments and the worker sees them and can edit again;
an incomplete decision names everything missing; the letter's preview opens; a worker is not offered the queue;
locking leaves no client detail in any of the three screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import assistance, decisions
from app.decisions import DecisionInput
from storage.models import Decision, DecisionApproval
from tests.app.test_assistance import GRANT, load
from tests.ui.conftest import type_text, widget_texts as shown_text
from ui import ops
from ui.decisions.client_tab import DecisionsTab
from ui.decisions.editor import DecisionView
from ui.decisions.queue import ApprovalQueueView
from ui.printing import DocumentPreview
from ui.shell import SECTIONS

pytestmark = pytest.mark.usefixtures("lv")
WAIT = 20_000


def page(qtbot, page):
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


@pytest.fixture
def submitted(ctx, client):
    decision = decisions.draft_decision(ctx, client, GRANT)
    decisions.submit_decision(ctx, decision)
    return decision


@pytest.mark.usefixtures("synchronous")
def test_head_returns_with_comments_and_the_worker_sees_them_and_edits_again(qtbot, ctx, head, submitted, shell):
    queue = page(qtbot, ApprovalQueueView(head, shell))
    assert queue.model.rowCount() == 1 and queue.approve_button.isEnabled()
    assert not queue.return_button.isEnabled()  # a comment is required
    type_text(queue.comment, "Precizējiet ienākumu apmēru un periodu.")
    assert queue.return_button.isEnabled()
    qtbot.mouseClick(queue.return_button, Qt.MouseButton.LeftButton)
    assert load(ctx, Decision, submitted).status == "returned"
    assert queue.model.rowCount() == 0 and queue.comment.toPlainText() == ""
    with ctx.read() as session:
        steps = session.query(DecisionApproval).order_by(DecisionApproval.at, DecisionApproval.created_at).all()
        assert [(s.action, s.comment) for s in steps][-1] == ("returned", "Precizējiet ienākumu apmēru un periodu.")

    view = page(qtbot, DecisionView(ctx, shell, submitted))
    assert view.returned.isVisible() and "Precizējiet ienākumu apmēru un periodu." in view.returned.text()
    assert view.facts.isEnabled() and view.save_button.isVisible() and view.submit_button.isVisible()
    view.facts.selectAll()
    type_text(view.facts, "Ienākumi 120 EUR mēnesī no 01.11.2026.")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load(ctx, Decision, submitted).facts == "Ienākumi 120 EUR mēnesī no 01.11.2026."
    assert load(ctx, Decision, submitted).status == "returned"
    qtbot.mouseClick(view.submit_button, Qt.MouseButton.LeftButton)
    assert load(ctx, Decision, submitted).status == "submitted"
    assert not view.returned.isVisible() and not view.facts.isEnabled()


@pytest.mark.usefixtures("synchronous")
def test_submitting_an_incomplete_decision_names_everything_missing(qtbot, ctx, client, shell):
    bare = decisions.draft_decision(ctx, client, DecisionInput(kind="refusal"))
    view = page(qtbot, DecisionView(ctx, shell, bare))
    type_text(view.facts, "Ienākumi pārsniedz slieksni.")
    qtbot.mouseClick(view.submit_button, Qt.MouseButton.LeftButton)
    decision = load(ctx, Decision, bare)
    assert decision.status == "draft" and decision.facts == "Ienākumi pārsniedz slieksni."  # saved, not submitted
    shown = view.missing.text()
    assert view.missing.isVisible() and shown.startswith("Lēmumu vēl nevar iesniegt")
    for reason in ("jānorāda, ko iesniedzējs lūdz", "piemērotās tiesību normas", "pamatojum"):
        assert reason in shown.lower() or reason in shown, shown
    assert "fakti" not in shown.lower()
    assert view.focusWidget() is view.request_summary  # the first thing missing


@pytest.mark.usefixtures("synchronous")
def test_a_worker_is_not_offered_the_queue_nor_approval(qtbot, ctx, submitted, shell):
    approvals = next(section for section in SECTIONS if section.key == "approvals")
    assert approvals.roles == ("head",) and not ctx.has_role(*approvals.roles)
    queue = page(qtbot, ApprovalQueueView(ctx, shell))
    assert "tikai dienesta vadītāja" in queue.notice.text()
    assert queue.model.rowCount() == 0 and not queue.body.isVisible() and not queue.approve_button.isEnabled()
    view = page(qtbot, DecisionView(ctx, shell, submitted))
    assert not view.approve_button.isVisible() and not view.return_button.isVisible()
    view.approve()
    assert load(ctx, Decision, submitted).status == "submitted"


def test_the_print_preview_opens_with_the_letter(qtbot, ctx, client, shell):
    decision = decisions.draft_decision(ctx, client, GRANT)
    view = DecisionView(ctx, shell, decision)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.detail is not None, timeout=WAIT)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    preview = view.preview
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(lambda: preview.page_count > 0 and preview.print_button.isEnabled(), timeout=WAIT)
    assert preview.windowTitle().endswith("Lēmuma projekts")
    preview.reject()
    ops.wait_idle()


@pytest.mark.usefixtures("synchronous")
def test_locking_leaves_no_client_detail_in_any_widget(qtbot, ctx, head, client, household, submitted, shell):
    application = assistance.register_application(ctx, client, "2026-11-02", "in_person", "crisis_benefit",
                                                  "Lūdzu pabalstu malkas iegādei.")
    decisions.draft_decision(ctx, client, GRANT, application_id=application)
    secrets = ("Kalniņš", "Andris", "malkas", "Mājokļa pabalsts apkures", "IES/2026/0001", "120,50")
    tab = page(qtbot, DecisionsTab(ctx, shell, client))
    tab.application_table.selectRow(0)
    tab.means_test()
    view = page(qtbot, DecisionView(ctx, shell, submitted))
    queue = page(qtbot, ApprovalQueueView(head, shell))
    type_text(queue.comment, "Andris jāpārbauda.")
    assert "Pabalsts krīzes situācijā" in tab.texts() and "Andris Kalniņš" in shown_text(queue)
    assert "Mājokļa pabalsts apkures" in shown_text(view) and "Kalniņš" in view.title
    for screen in (tab, view, queue):
        screen.clear()
    for screen in (tab, view, queue):
        text = shown_text(screen)
        assert not [secret for secret in secrets if secret in text], (screen, text)
    assert tab.dialog is None and "Kalniņš" not in view.title and tab.applications.rowCount() == 0
