"""The home-visit checklist at the kitchen table: keyboard-first, saved as typed, signed once, then read-only."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget
from sqlalchemy import select

from app import visits
from app.i18n import user_message
from app.visits import UnansweredQuestions
from storage.models import HomeVisit, JournalEntry
from tests.ui.visits.conftest import WAIT
from tests.ui.conftest import type_text, widget_texts as all_text
from ui import ops
from ui.visits.checklist import ChecklistView
from ui.visits.widgets import MIN_TARGET, AnswerBar, TextAnswer

FULL = {"housing_adequate": "yes", "food": 4, "clothing": 3, "health_care": "yes", "education": "yes",
        "hygiene_kitchen": 3, "hygiene_bedroom": 4, "hygiene_living_room": 4, "water": "yes", "electricity": "yes",
        "heating": "stove", "child_threats": "no", "emotional_relations": 4}


def opened(qtbot, ctx, shell, visit_id) -> ChecklistView:
    view = ChecklistView(ctx, shell, visit_id)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=WAIT)
    return view


def focused() -> QWidget:
    return QApplication.focusWidget()


def stored(ctx, visit_id):
    with ctx.read() as session:
        return session.get(HomeVisit, visit_id)


def test_worker_answers_every_question_with_the_keyboard_writes_findings_and_signs(qtbot, ctx, shell, visit):
    keys = {"yes_no": Qt.Key.Key_Y, "scale_1_5": Qt.Key.Key_4, "choice": Qt.Key.Key_2}
    with ops.inline():
        view = opened(qtbot, ctx, shell, visit)
        view.refresh()
        assert isinstance(focused(), AnswerBar)  # the first unanswered question has the keyboard
        for qid, row in view.rows.items():
            assert focused() is row.answer, qid
            if row.kind == "text":
                type_text(focused(), f"Atbilde uz {qid}")
            else:
                qtbot.keyClick(focused(), keys[row.kind])
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            assert focused() is row.note
            if qid == "food":
                type_text(focused(), "Ledusskapī maz pārtikas")
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is view.closing.texts["findings"]
        type_text(focused(), "Mājoklis silts, bērni paēduši.")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(focused(), "Malkas krājumi mazi.")
        qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # to the sign-off
        assert focused() is view.closing.signature_buttons["signed"]
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
        qtbot.mouseClick(view.closing.sign_button, Qt.MouseButton.LeftButton)

    saved = visits.answers(ctx, visit)
    assert {qid: row.value for qid, row in saved.items()} == {
        qid: ("yes" if r.kind == "yes_no" else "4" if r.kind == "scale_1_5" else "stove" if r.kind == "choice"
              else f"Atbilde uz {qid}") for qid, r in view.rows.items()}
    assert saved["food"].note == "Ledusskapī maz pārtikas"
    visit_row = stored(ctx, visit)
    assert (visit_row.status, visit_row.client_signature) == ("signed", "signed")
    assert (visit_row.findings, visit_row.risks) == ("Mājoklis silts, bērni paēduši.", "Malkas krājumi mazi.")
    with ctx.read() as session:
        assert session.scalars(select(JournalEntry).where(JournalEntry.kind == "visit")).one().text == \
            "Mājoklis silts, bērni paēduši."
    assert view.print_button.isVisible() and not view.closing.sign_button.isVisible()


def test_each_answer_is_in_the_store_as_soon_as_it_is_typed(qtbot, ctx, shell, visit):
    view = opened(qtbot, ctx, shell, visit)
    view.refresh()
    qtbot.waitUntil(lambda: bool(view.rows), timeout=WAIT)
    with qtbot.waitSignal(view.sig_saved, timeout=WAIT):
        qtbot.keyClick(view.rows["food"].answer, Qt.Key.Key_3)
    assert visits.answers(ctx, visit)["food"].value == "3"  # no "save" pressed
    assert re.fullmatch(r"Saglabāts \d\d:\d\d:\d\d", view.saved_label.text())
    with qtbot.waitSignal(view.sig_saved, timeout=WAIT):  # text: after a short pause in typing
        type_text(view.rows["rooms"].answer, "Trīs istabas")
    assert visits.answers(ctx, visit)["rooms"].value == "Trīs istabas"
    with qtbot.waitSignal(view.sig_saved, timeout=WAIT):
        type_text(view.rows["food"].note, "Maz")
    assert visits.answers(ctx, visit)["food"].note == "Maz"

    again = opened(qtbot, ctx, shell, visit)  # re-opening shows every saved answer
    again.refresh()
    qtbot.waitUntil(lambda: bool(again.rows), timeout=WAIT)
    assert again.rows["food"].value() == "3" and again.rows["food"].note.text() == "Maz"
    assert again.rows["rooms"].value() == "Trīs istabas"


def test_sign_off_is_refused_while_a_required_answer_is_missing_and_names_it(qtbot, ctx, shell, visit):
    for qid, value in FULL.items():
        if qid != "electricity":
            visits.save_answer(ctx, visit, qid, value)
    visits.set_findings(ctx, visit, "Apstākļi apmierinoši")
    with ops.inline():
        view = opened(qtbot, ctx, shell, visit)
        view.refresh()
        view.closing.signature_buttons["absent"].setChecked(True)
        qtbot.mouseClick(view.closing.sign_button, Qt.MouseButton.LeftButton)
    message = view.closing.message.text()
    assert user_message(UnansweredQuestions(["electricity"])) in message
    assert "Elektrība" in message and "Ūdensapgāde" not in message
    assert not view.rows["electricity"].missing.isHidden() and focused() is view.rows["electricity"].answer
    assert stored(ctx, visit).status == "in_progress"
    with ops.inline():  # answering it lets the report be signed
        qtbot.keyClick(focused(), Qt.Key.Key_Y)
        qtbot.mouseClick(view.closing.sign_button, Qt.MouseButton.LeftButton)
    assert stored(ctx, visit).status == "signed" and not view.closing.message.isVisible()


@pytest.fixture
def signed(ctx, visit):
    for qid, value in FULL.items():
        visits.save_answer(ctx, visit, qid, value)
    visits.save_answer(ctx, visit, "rooms", "Divas istabas")
    visits.set_findings(ctx, visit, "Apstākļi apmierinoši")
    visits.sign_visit(ctx, visit, "refused")
    return visit


def test_signed_visit_opens_read_only_and_prints_its_report(qtbot, ctx, shell, signed):
    with ops.inline():
        view = opened(qtbot, ctx, shell, signed)
        view.refresh()
        qtbot.keyClick(view.rows["food"].answer, Qt.Key.Key_1)
        type_text(view.rows["rooms"].answer, "labots")
    assert view.rows["food"].value() == "4" and view.rows["rooms"].value() == "Divas istabas"
    assert visits.answers(ctx, signed)["food"].value == "4"
    assert all(row.note.isReadOnly() for row in view.rows.values())
    assert view.closing.texts["findings"].isReadOnly() and not view.closing.sign_button.isVisible()
    assert view.closing.signature_buttons["refused"].isChecked()
    assert view.banner.isVisible() and view.print_button.isVisible()
    dialog = view.print_report()
    qtbot.waitUntil(lambda: dialog.page_count > 0, timeout=WAIT)
    assert dialog.pdf.startswith(b"%PDF")
    dialog.close()


def test_page_down_and_up_move_between_sections_and_targets_are_large(qtbot, ctx, shell, visit):
    with ops.inline():
        view = opened(qtbot, ctx, shell, visit)
        view.refresh()
    first = [rows[0].answer for _header, rows in view.sections]
    assert focused() is first[0]
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown)
    assert focused() is first[1]
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown)
    assert focused() is first[2]
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown)
    assert focused() is view.closing.texts["findings"]
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp)
    assert focused() is first[2]
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp)
    assert focused() is first[1]
    controls = [w for w in view.findChildren(QPushButton) + view.findChildren(QLineEdit) if w.isVisible()]
    controls += [row.answer for row in view.rows.values() if isinstance(row.answer, TextAnswer)]
    assert controls and all(w.height() >= 36 for w in controls)
    assert MIN_TARGET >= 36


def test_clear_leaves_no_client_detail_in_any_widget(qtbot, ctx, shell, visit):
    visits.save_answer(ctx, visit, "rooms", "Istabā guļ trīs bērni", note="Pie krāsns")
    visits.set_findings(ctx, visit, "Konstatēts mitrums")
    with ops.inline():
        view = opened(qtbot, ctx, shell, visit)
        view.refresh()
    before = all_text(view)
    assert "Bērziņa" in before and "Istabā guļ trīs bērni" in before and "Konstatēts mitrums" in before
    view.clear()
    after = all_text(view)
    for detail in ("Bērziņa", "Inga", "Istabā guļ", "Pie krāsns", "Konstatēts", "Novērtēt bērnu aprūpi"):
        assert detail not in after
