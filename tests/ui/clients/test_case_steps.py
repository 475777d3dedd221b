"""The whole life of a social case from the case tab: no case yet → open it → problem and diagnosis → a goal →
the intervention plan → a task of the plan → evaluation → closure with monitoring → monitoring ends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import people
from app.people import PersonInput
from storage.models import CaseGoal, InterventionPlan, PlanTask, SocialCase
from ui import ops
from tests.ui.clients.test_file_view import open_file


@pytest.fixture
def ilze(ctx):
    """A client registered today, with no social case yet."""
    person = people.create_person(ctx, PersonInput("Ilze", "Ozola", birth_date="1961-04-02", gender="female"))
    return people.register_client(ctx, person, client_type="voluntary", registered_on="2026-10-01")


def shown(tab, key) -> bool:
    return tab.buttons[key].isVisibleTo(tab)


def the_case(ctx) -> SocialCase:
    with ctx.read() as session:
        return session.scalar(select(SocialCase))


def test_without_a_case_the_tab_says_so_and_offers_to_open_one(qtbot, ctx, shell, ilze, lv):
    view = open_file(qtbot, ctx, shell, ilze)
    with ops.inline():
        tab = view.show_tab("case")
    assert tab.stack.currentIndex() == 0
    assert tab.none.text() == "Nav atvērta sociālā gadījuma."
    assert tab.open_button.isVisibleTo(tab) and tab.open_button.isEnabled()
    with ops.inline():
        dialog = tab.open_case()
        dialog.inputs["reason"].setPlainText("Vientuļa pensionāre, nepietiek līdzekļu apkurei")
        dialog.inputs["opened_on"].setText("01.10.2026")
        dialog.save()
    assert not dialog.isVisible()
    assert tab.stack.currentIndex() == 1
    assert tab.facts["reason"].text() == "Vientuļa pensionāre, nepietiek līdzekļu apkurei"
    assert tab.facts["opened"].text() == "01.10.2026."
    assert the_case(ctx).stage == "opened"


def test_worker_takes_a_case_from_opening_to_closure_with_monitoring(qtbot, ctx, shell, ilze, lv):
    view = open_file(qtbot, ctx, shell, ilze)
    with ops.inline():
        tab = view.show_tab("case")
        opening = tab.open_case()
        opening.inputs["reason"].setPlainText("Parādi par apkuri")
        opening.inputs["opened_on"].setText("01.10.2026")
        opening.save()
    # no plan before the problem and a goal: the button says why
    assert not tab.buttons["plan"].isEnabled()
    assert tab.buttons["plan"].toolTip() == "Vispirms definējiet problēmu un sociālo diagnozi."
    assert not tab.buttons["close"].isEnabled()
    assert tab.buttons["close"].toolTip() == "Gadījumu slēdz tikai pēc tā izvērtēšanas."
    assert not shown(tab, "end_monitoring") and not shown(tab, "reopen")
    assert tab.buttons["task"].toolTip().startswith("Intervences plāna vēl nav")  # kept with the case meanwhile
    with ops.inline():
        problem = tab.set_problem()
        problem.inputs["problem"].setPlainText("Nespēj samaksāt par malku")
        problem.inputs["diagnosis"].setPlainText("Materiālās grūtības")
        problem.save()
    assert tab.facts["diagnosis"].text() == "Materiālās grūtības"
    assert tab.buttons["plan"].toolTip() == "Vispirms izvirziet vismaz vienu mērķi."
    with ops.inline():
        goal = tab.add_goal()
        goal.inputs["text"].setPlainText("Nodrošināt malku ziemai")
        goal.save()
        assert tab.buttons["plan"].isEnabled()
        plan = tab.create_plan()
        plan.inputs["valid_from"].setText("05.10.2026")
        plan.save()
        task = tab.add_task()
        task.inputs["description"].setPlainText("Iesniegt iesniegumu par malkas pabalstu")
        task.inputs["deadline"].setText("15.12.2026")
        task.save()
    assert tab.facts["plan"].text() == "1. versija, 05.10.2026. – bez beigu termiņa"
    assert tab.facts["stage"].text() == "plānošana"
    with ctx.read() as session:
        plan_row = session.scalar(select(InterventionPlan))
        assert plan_row.status == "active"
        assert session.scalar(select(PlanTask.plan_id)) == plan_row.id  # the task belongs to the plan
    with ops.inline():
        evaluation = tab.evaluate_case()
        evaluation.inputs["evaluation"].setPlainText("Malka sagādāta, klientei palīdzība vairs nav vajadzīga")
        combo = evaluation.inputs["goal-0"]
        combo.setCurrentIndex(combo.findData("reached"))
        evaluation.save()
        assert tab.buttons["close"].isEnabled()
        closing = tab.close_case()
        closing.inputs["reason"].setPlainText("Mērķis sasniegts")
        closing.inputs["monitoring"].setText("31.12.2026")
        closing.save()
    with ctx.read() as session:
        assert session.scalar(select(CaseGoal.status)) == "reached"
    case = the_case(ctx)
    assert (case.stage, case.closure_reason, case.closed_on.isoformat()) == ("monitoring", "Mērķis sasniegts",
                                                                             "2026-11-23")
    # monitored after closure: the steps are greyed out with the reason, monitoring can end, a new case can open
    assert tab.facts["stage"].text() == "uzraudzība pēc slēgšanas līdz 31.12.2026."
    assert not tab.buttons["goal"].isEnabled() and tab.buttons["goal"].toolTip() == "Sociālais gadījums ir slēgts."
    assert shown(tab, "end_monitoring") and shown(tab, "reopen") and not shown(tab, "close")
    with ops.inline():
        ending = tab.end_monitoring()
        ending.save()
    assert the_case(ctx).stage == "closed"
    assert tab.stack.currentIndex() == 0 and tab.open_button.isVisibleTo(tab)


def test_closing_before_the_evaluation_is_refused_with_the_reason(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("case")
        closing = tab.close_case()  # the button is disabled; the service refuses on its own too
        closing.inputs["reason"].setPlainText("Pārcēlās")
        closing.save()
    assert closing.isVisible() and "izvērtē" in closing.error.text()
    assert the_case(ctx).closed_on is None
