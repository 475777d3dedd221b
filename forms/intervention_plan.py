"""The intervention plan (DOMAIN.md §3): the defined problem, goals with target dates, concrete time-bound tasks
with who does what and the expected result, resources, planned home visits, and the worker's and the client's
signatures — the page the client signs and the inspector asks for.

A draft plan prints with the DRAFT mark. A plan without goals or tasks is refused before anything is rendered,
and every printing is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app import audit
from app.cases import ENTITY_PLAN, visible_case
from app.context import Context
from app.errors import InvalidTransition, NotFound
from app.i18n import N_, _
from forms.blocks import facts, grid, numbered, signatures
from forms.labels import date_text, label, period_text, person_name
from forms.pdf import letterhead, para, render, styles
from storage.models import (CaseGoal, Client, HomeVisit, Institution, InterventionPlan, Person, PlanTask, SocialCase,
                            User)

DOCUMENT_KIND = "intervention_plan"


def intervention_plan(ctx: Context, plan_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The plan as PDF bytes (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        plan = session.get(InterventionPlan, plan_id)
        if plan is None or plan.deleted:
            raise NotFound(entity_msg=ENTITY_PLAN)
        try:
            case = visible_case(ctx, session, plan.case_id)
        except NotFound:
            raise NotFound(entity_msg=ENTITY_PLAN) from None
        data = plan_data(session, plan, case)
        head = letterhead(session)
    if not data["goals"]:
        raise InvalidTransition(reason_msg=N_("the plan has no goals; set at least one goal before printing it."))
    if not data["tasks"]:
        raise InvalidTransition(reason_msg=N_("the plan has no tasks; add at least one task before printing it."))
    draft = plan.status == "draft"
    pdf = render(lambda: _story(data, large_print), title=_("Intervention plan"), head=head, draft=draft)
    audit.record(ctx, "print", entity="intervention_plans", entity_id=plan_id, client_id=case.client_id,
                 details={"kind": DOCUMENT_KIND, "status": plan.status})
    return pdf


def plan_data(session: Any, plan: InterventionPlan, case: SocialCase) -> dict[str, Any]:
    """Everything the page prints, read in one session (the client card reuses it for the active plan)."""
    client = session.get(Client, case.client_id)
    person = session.get(Person, client.person_id)
    worker = session.get(User, case.responsible_user_id) if case.responsible_user_id else None
    goals = list(session.query(CaseGoal).filter(CaseGoal.case_id == case.id, CaseGoal.deleted.is_(False))
                 .order_by(CaseGoal.created_at, CaseGoal.id))
    tasks = list(session.query(PlanTask).filter(PlanTask.plan_id == plan.id, PlanTask.deleted.is_(False))
                 .order_by(PlanTask.deadline, PlanTask.created_at))
    users = {u.id: u for u in session.query(User).filter(
        User.id.in_([t.responsible_user_id for t in tasks if t.responsible_user_id]))}
    institutions = {i.id: i for i in session.query(Institution).filter(
        Institution.id.in_([t.institution_id for t in tasks if t.institution_id]))}
    visits_query = session.query(HomeVisit).filter(HomeVisit.client_id == client.id, HomeVisit.deleted.is_(False),
                                                   HomeVisit.status == "planned", HomeVisit.planned_on.isnot(None),
                                                   HomeVisit.planned_on >= plan.valid_from)
    if plan.valid_to is not None:
        visits_query = visits_query.filter(HomeVisit.planned_on <= plan.valid_to)
    return {
        "plan": plan, "case": case, "client": client, "person": person,
        "worker": worker.display_name if worker else None, "worker_position": worker.position if worker else None,
        "goals": goals, "tasks": tasks,
        "responsible": {t.id: responsible_name(t, person, users, institutions) for t in tasks},
        "visits": list(visits_query.order_by(HomeVisit.planned_on)),
    }


def responsible_name(task: PlanTask, person: Person, users: dict, institutions: dict) -> str:
    """Who does the task, by name: the worker, the client, or the institution."""
    kind = label("responsible", task.responsible_kind)
    if task.responsible_kind == "worker" and task.responsible_user_id in users:
        return f"{users[task.responsible_user_id].display_name} ({kind})"
    if task.responsible_kind == "client":
        return f"{person_name(person)} ({kind})"
    if task.responsible_kind == "institution" and task.institution_id in institutions:
        return institutions[task.institution_id].name
    return kind


def task_outcome(task: PlanTask) -> str:
    """The task's status, with the day it was done and its result when it is done."""
    status = label("task", task.status)
    if task.status == "done":
        status = _("done on {date}").format(date=date_text(task.done_on))
        if task.result:
            status += "\n" + task.result
    return status


def case_title(case: SocialCase, *, short: bool = False) -> str:
    """The case by its number, if it has one, and its opening date (``short``: under a "Social case" label)."""
    if case.number:
        return (_("No. {number}, opened on {date}") if short else _("Social case No. {number}, opened on {date}")
                ).format(number=case.number, date=date_text(case.opened_on))
    return (_("opened on {date}") if short else _("Social case opened on {date}")).format(
        date=date_text(case.opened_on))


def _story(data: dict[str, Any], large_print: bool) -> list:
    st = styles(large_print)
    plan, case, person = data["plan"], data["case"], data["person"]
    story: list = [para(_("INTERVENTION PLAN"), st.title)]
    story.append(facts([
        (_("Client"), person_name(person)),
        (_("Personal code"), person.personal_code or "—"),
        (_("Social case"), case_title(case, short=True)),
        (_("Responsible worker"), data["worker"] or "—"),
        (_("Valid"), period_text(plan.valid_from, plan.valid_to)),
        (_("Version"), str(plan.version)),
        (_("Status"), label("plan", plan.status)),
    ], st))
    if case.problem:
        story += [para(_("Defined problem"), st.heading), para(case.problem, st.body)]
    if case.diagnosis:
        story += [para(_("Social diagnosis"), st.heading), para(case.diagnosis, st.body)]
    story.append(para(_("Goals"), st.heading))
    story.append(numbered([[para(_goal_text(goal), st.body)] for goal in data["goals"]], st))
    story += _tasks(data, st)
    if plan.resources:
        story += [para(_("Resources"), st.heading), para(plan.resources, st.body)]
    if data["visits"]:
        story.append(para(_("Planned home visits"), st.heading))
        story += [para(f"{date_text(v.planned_on)} – {v.purpose}", st.body) for v in data["visits"]]
    if plan.notes:
        story += [para(_("Notes"), st.heading), para(plan.notes, st.body)]
    story.append(signatures([
        (_("Social worker"), data["worker"] or "", None),
        (_("Client"), person_name(person), None),
    ], st, intro=_("The plan was drawn up together with the client, who agrees with its goals and tasks.")))
    return story


def _goal_text(goal: CaseGoal) -> str:
    details = [label("goal", goal.status)]
    if goal.target_date:
        details.insert(0, _("to be reached by {date}").format(date=date_text(goal.target_date)))
    return f"{goal.text} ({'; '.join(details)})"


def _tasks(data: dict[str, Any], st) -> list:
    """The tasks grouped under their goals (numbered as the goals are), then any task without a goal."""
    goals = data["goals"]
    number = {goal.id: index for index, goal in enumerate(goals, start=1)}
    groups: dict[int | None, list[PlanTask]] = {}
    for task in data["tasks"]:
        groups.setdefault(number.get(task.goal_id), []).append(task)
    flow: list = [para(_("Tasks"), st.heading)]
    header = [_("No."), _("Task"), _("Responsible"), _("Expected result"), _("Deadline"), _("Status or result")]
    widths = [10 * mm, 46 * mm, 30 * mm, 36 * mm, 24 * mm, 24 * mm]
    for goal_number in sorted(groups, key=lambda n: (n is None, n or 0)):
        heading = _("For goal {number}").format(number=goal_number) if goal_number else _("Other tasks")
        rows = [[f"{goal_number or '–'}.{index}", task.description, data["responsible"][task.id],
                 task.expected_result, date_text(task.deadline), task_outcome(task)]
                for index, task in enumerate(groups[goal_number], start=1)]
        flow += [para(heading, st.label), Spacer(1, 1.5 * mm), grid(header, rows, st, widths=widths),
                 Spacer(1, 3 * mm)]
    return flow
