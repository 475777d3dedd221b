"""Small dialogs for the steps of the social case (DOMAIN.md §3): open it, define the problem and the social
diagnosis, add goals, create the intervention plan, add and complete tasks, review, evaluate, close it and end
the monitoring after closure. Enter saves, Esc cancels; the service validates (steps out of order are refused
with their reason) and its message appears above the buttons."""

from __future__ import annotations

import uuid
from typing import Callable

from PySide6.QtWidgets import QWidget

from app import cases, client_file
from app.context import Context
from app.i18n import N_, _
from ui.clients.tabs.base import label
from ui.clients.tabs.form_dialog import Field, FormDialog, opened, today_text

__all__ = ["Field", "FormDialog", "add_goal", "add_task", "close_case", "complete_task", "create_plan",
           "end_monitoring", "evaluate_case", "open_case", "record_review", "set_problem"]


def open_case(parent: QWidget, ctx: Context, client_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("reason", N_("&Reason for opening:"), "text"),
              Field("opened_on", N_("&Opened on:"), "date", today_text(ctx))]
    return opened(FormDialog(_("Open a social case"), fields, lambda v: cases.open_case(
        ctx, client_id, reason=v["reason"], opened_on=v["opened_on"] or None), parent), on_saved)


def set_problem(parent: QWidget, ctx: Context, summary: client_file.CaseSummary,
                on_saved: Callable[[], None]) -> FormDialog:
    """The problem and the diagnosis as recorded so far, to be refined."""
    case_id = summary.case_id
    fields = [Field("problem", N_("&Problem:"), "text", summary.problem or ""),
              Field("diagnosis", N_("Social &diagnosis:"), "text", summary.diagnosis or "")]
    return opened(FormDialog(_("Problem and social diagnosis"), fields, lambda v: cases.set_problem_and_diagnosis(
        ctx, case_id, v["problem"], diagnosis=v["diagnosis"] or None), parent), on_saved)


def create_plan(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("valid_from", N_("&Valid from:"), "date", today_text(ctx)),
              Field("valid_to", N_("Valid &until:"), "date"),
              Field("resources", N_("&Resources:"), "text"), Field("notes", N_("&Notes:"), "text")]
    return opened(FormDialog(_("Create an intervention plan"), fields, lambda v: cases.create_plan(
        ctx, case_id, v["valid_from"], valid_to=v["valid_to"] or None, resources=v["resources"] or None,
        notes=v["notes"] or None), parent), on_saved)


def evaluate_case(parent: QWidget, ctx: Context, summary: client_file.CaseSummary,
                  on_saved: Callable[[], None]) -> FormDialog:
    """The evaluation with the outcome of each goal still being worked on ("—" leaves a goal as it is)."""
    case_id = summary.case_id
    outcomes = (("—", None), *((label("goal", code), code) for code in cases.GOAL_OUTCOMES))
    goals = [g for g in summary.goals if g.status == "open"]
    fields = [Field("evaluated_on", N_("&Date:"), "date", today_text(ctx)),
              Field("evaluation", N_("&Evaluation:"), "text"),
              *(Field(f"goal-{i}", g.text.replace("&", "&&") + ":", "choice", options=outcomes, translate=False)
                for i, g in enumerate(goals))]

    def submit(v: dict) -> None:
        chosen = {g.id: v[f"goal-{i}"] for i, g in enumerate(goals) if v[f"goal-{i}"]}
        cases.evaluate_case(ctx, case_id, v["evaluated_on"], v["evaluation"], goal_outcomes=chosen)

    return opened(FormDialog(_("Evaluate the case"), fields, submit, parent), on_saved)


def close_case(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("closed_on", N_("&Closed on:"), "date", today_text(ctx)),
              Field("reason", N_("&Reason for closing:"), "text"),
              Field("monitoring", N_("&Monitor until (optional):"), "date")]
    return opened(FormDialog(_("Close the social case"), fields, lambda v: cases.close_case(
        ctx, case_id, v["closed_on"], v["reason"], monitoring_until=v["monitoring"] or None), parent), on_saved)


def end_monitoring(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("ended_on", N_("&Ended on:"), "date", today_text(ctx))]
    return opened(FormDialog(_("End the monitoring"), fields, lambda v: cases.end_monitoring(
        ctx, case_id, v["ended_on"]), parent), on_saved)


def add_goal(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("text", N_("&Goal:"), "text"), Field("target", N_("&Target date:"), "date")]
    return opened(FormDialog(_("Add a goal"), fields, lambda v: cases.add_goal(
        ctx, case_id, v["text"], target_date=v["target"] or None), parent), on_saved)


def add_task(parent: QWidget, ctx: Context, case_id: uuid.UUID, plan_id: uuid.UUID | None,
             goals: list[tuple[str, uuid.UUID]], on_saved: Callable[[], None]) -> FormDialog:
    who = tuple((label("responsible", kind), kind) for kind in ("worker", "client"))
    fields = [Field("description", N_("&Task:"), "text"), Field("deadline", N_("&Deadline:"), "date"),
              Field("responsible", N_("&Who does it:"), "choice", options=who),
              Field("goal", N_("For &goal:"), "choice", options=(("—", None), *goals)),
              Field("expected", N_("&Expected result:"))]
    return opened(FormDialog(_("Add a task"), fields, lambda v: cases.add_task(
        ctx, v["description"], deadline=v["deadline"], responsible_kind=v["responsible"], plan_id=plan_id,
        case_id=None if plan_id else case_id, goal_id=v["goal"], expected_result=v["expected"] or None), parent),
        on_saved)


def complete_task(parent: QWidget, ctx: Context, task_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("done_on", N_("&Done on:"), "date", today_text(ctx)),
              Field("result", N_("&Result:"), "text")]
    return opened(FormDialog(_("Complete the task"), fields, lambda v: cases.complete_task(
        ctx, task_id, v["done_on"], v["result"]), parent), on_saved)


def record_review(parent: QWidget, ctx: Context, case_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("day", N_("&Date:"), "date", today_text(ctx)),
              Field("text", N_("&Review:"), "text")]
    return opened(FormDialog(_("Record a review"), fields, lambda v: cases.record_review(
        ctx, case_id, v["day"], v["text"]), parent), on_saved)
