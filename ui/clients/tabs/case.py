"""The social case: problem, diagnosis and stage, the goals, the plan in force with its tasks (overdue ones in
red) and the reviews, with every step of the work process as a small dialog (``case_dialogs``).

Without an open case the tab says so and offers to open one. A step that cannot apply yet is disabled, and its
tooltip says why (no plan before the problem and a goal, no closure before the evaluation); the services still
refuse steps out of order with the same reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from app import client_file
from app.i18n import N_, _
from ui.clients.tabs import case_dialogs
from ui.clients.tabs.base import ClientTab, RowsModel, date_text, label, or_dash, selected_id, table

FACTS = (("opened", N_("Opened")), ("reason", N_("Reason")), ("problem", N_("Problem")),
         ("diagnosis", N_("Social diagnosis")), ("stage", N_("Stage")), ("next_review", N_("Next review")),
         ("plan", N_("Intervention plan")))

#: the buttons of the case's steps: key, caption (msgid with its mnemonic), handler name
STEPS = (("problem", N_("Problem and d&iagnosis…"), "set_problem"), ("goal", N_("Add a goa&l…"), "add_goal"),
         ("plan", N_("Intervention &plan…"), "create_plan"), ("task", N_("Add a &task…"), "add_task"),
         ("complete", N_("Co&mplete task…"), "complete_task"), ("review", N_("&Record a review…"), "record_review"))
ENDINGS = (("evaluate", N_("Eval&uate the case…"), "evaluate_case"),
           ("close", N_("Clos&e the case…"), "close_case"),
           ("end_monitoring", N_("&End monitoring…"), "end_monitoring"),
           ("reopen", N_("Ope&n a new case…"), "open_case"))


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setStyleSheet("font-weight: bold")
    layout.addWidget(heading)
    layout.addWidget(widget, 1)
    return box


class CaseTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.summary: client_file.CaseSummary | None = None
        self.loaded = False  # until the first load, neither "no case" nor a case is shown
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption in FACTS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            form.addRow(_(caption) + ":", value)
        self.goals = RowsModel([_("Goal"), _("Target date"), _("Status")], self)
        self.tasks = RowsModel([_("Task"), _("Deadline"), _("Responsible"), _("Status")], self)
        self.reviews = RowsModel([_("Date"), _("Kind"), _("Review"), _("By")], self)
        self.goal_view, self.task_view = table(self.goals, stretch=0), table(self.tasks, stretch=0)
        self.review_view = table(self.reviews, stretch=2)
        self.task_view.setObjectName("task-list")
        self.task_view.activated.connect(lambda _index: self.complete_task())
        self.buttons: dict[str, QPushButton] = {}
        rows = []
        for steps in (STEPS[:3], STEPS[3:], ENDINGS):  # rows of three: the tab fits 1366×768 at 125 %
            row = QHBoxLayout()
            for key, caption, handler in steps:
                button = QPushButton(_(caption))
                button.clicked.connect(getattr(self, handler))
                self.buttons[key] = button
                row.addWidget(button)
            row.addStretch(1)
            rows.append(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_titled(_("Goals"), self.goal_view))
        split.addWidget(_titled(_("Tasks of the plan"), self.task_view))
        split.addWidget(_titled(_("Reviews"), self.review_view))
        case_page = QWidget()
        inner = QVBoxLayout(case_page)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        for row in rows:
            inner.addLayout(row)
        inner.addWidget(split, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_page())
        self.stack.addWidget(case_page)
        self.case_page = case_page
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.stack, 1)
        self._enable()

    def _empty_page(self) -> QWidget:
        """No open case: say so plainly and offer the one step that applies."""
        self.none = QLabel(_("No open social case."))
        self.none.setObjectName("no-case")
        self.none.setStyleSheet("font-size: 14pt; font-weight: bold")
        hint = QLabel(_("Open a case to record the problem, the goals and the intervention plan."))
        hint.setWordWrap(True)
        self.open_button = QPushButton(_("Ope&n a case…"))
        self.open_button.setObjectName("open-case")
        self.open_button.clicked.connect(self.open_case)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        for widget in (self.none, hint, self.open_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def fetch(self) -> client_file.CaseSummary | None:
        return client_file.case_summary(self.ctx, self.client_id)

    def show_data(self, summary: client_file.CaseSummary | None) -> None:
        self.summary, self.loaded = summary, True
        if summary is None:
            self._clear_lists()
            self._enable()
            return
        plan = "—"
        if summary.plan_id:
            until = date_text(summary.plan_valid_to) if summary.plan_valid_to else _("no end date")
            plan = _("version {version}, {start} – {end}").format(version=summary.plan_version,
                                                                   start=date_text(summary.plan_valid_from), end=until)
        stage = label("stage", summary.stage)
        if summary.stage == "monitoring" and summary.monitoring_until:
            stage = _("{stage} until {date}").format(stage=stage, date=date_text(summary.monitoring_until))
        texts = {"opened": date_text(summary.opened_on), "reason": summary.reason,
                 "problem": or_dash(summary.problem), "diagnosis": or_dash(summary.diagnosis),
                 "stage": stage, "next_review": or_dash(summary.next_review_on), "plan": plan}
        for key, text in texts.items():
            self.facts[key].setText(text)
        self.goals.set_rows([(g.text, or_dash(g.target_date), label("goal", g.status)) for g in summary.goals],
                            [g.id for g in summary.goals])
        self.tasks.set_rows([(t.description, or_dash(t.deadline),
                              t.responsible or label("responsible", t.responsible_kind),
                              _("overdue") if t.overdue else label("task", t.status)) for t in summary.tasks],
                            [t.id for t in summary.tasks], {i for i, t in enumerate(summary.tasks) if t.overdue})
        self.reviews.set_rows([(date_text(r.reviewed_on), _("evaluation") if r.kind == "evaluation" else _("review"),
                                r.text, or_dash(r.by)) for r in summary.reviews])
        self._enable()

    def why_not(self) -> dict[str, str | None]:
        """For each step's button: None when it applies now, else why not (shown as its tooltip)."""
        s = self.summary
        if s is None:
            return {key: _("The client has no open social case.") for key in self.buttons}
        closed = None if s.is_open else _("The social case is closed.")
        reasons: dict[str, str | None] = {key: closed for key in self.buttons}
        if s.is_open:
            if not (s.problem or "").strip():
                reasons["plan"] = _("Define the problem and the social diagnosis first.")
            elif not s.goals:
                reasons["plan"] = _("Set at least one goal first.")
            if not any(t.status == "open" for t in s.tasks):
                reasons["complete"] = _("No task is waiting to be done.")
            if s.evaluated_on is None:
                reasons["close"] = _("A case is closed only after its evaluation.")
        reasons["end_monitoring"] = None if s.stage == "monitoring" else _("The case is not being monitored.")
        reasons["reopen"] = None if not s.is_open else _("The client already has an open social case.")
        return reasons

    HINTS = {"plan": N_("A new plan replaces the one in force (as a new version)."),
             "complete": N_("Completes the task chosen in the list (or press Enter on it)."),
             "close": N_("Closes the evaluated case; monitoring may follow until a date you set.")}

    def _enable(self) -> None:
        self.stack.setCurrentIndex(1 if self.summary is not None or not self.loaded else 0)
        reasons = self.why_not()
        for key, button in self.buttons.items():
            reason = reasons.get(key)
            button.setEnabled(reason is None)
            button.setToolTip(reason if reason is not None else _(self.HINTS[key]) if key in self.HINTS else "")
        if self.summary is not None and self.summary.is_open and self.summary.plan_id is None:
            self.buttons["task"].setToolTip(_("There is no intervention plan yet: the task is kept with the case."))
        # steps that can never apply to this case are hidden rather than greyed out
        monitoring = self.summary is not None and self.summary.stage == "monitoring"
        closed = self.summary is not None and not self.summary.is_open
        self.buttons["end_monitoring"].setVisible(monitoring)
        self.buttons["reopen"].setVisible(closed)
        for key in ("evaluate", "close"):
            self.buttons[key].setVisible(not closed)

    # steps
    def open_case(self) -> case_dialogs.FormDialog:
        return case_dialogs.open_case(self, self.ctx, self.client_id, self.refresh)

    def set_problem(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.set_problem(self, self.ctx, self.summary, self.refresh)
        return None

    def add_goal(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.add_goal(self, self.ctx, self.summary.case_id, self.refresh)
        return None

    def create_plan(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.create_plan(self, self.ctx, self.summary.case_id, self.refresh)
        return None

    def add_task(self) -> case_dialogs.FormDialog | None:
        if self.summary is None:
            return None
        goals = [(g.text, g.id) for g in self.summary.goals if g.status == "open"]
        return case_dialogs.add_task(self, self.ctx, self.summary.case_id, self.summary.plan_id, goals, self.refresh)

    def complete_task(self) -> case_dialogs.FormDialog | None:
        task_id = selected_id(self.task_view)
        if task_id is None:
            self.show_problem(_("Choose a task in the list first."))
            return None
        return case_dialogs.complete_task(self, self.ctx, task_id, self.refresh)

    def record_review(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.record_review(self, self.ctx, self.summary.case_id, self.refresh)
        return None

    def evaluate_case(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.evaluate_case(self, self.ctx, self.summary, self.refresh)
        return None

    def close_case(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.close_case(self, self.ctx, self.summary.case_id, self.refresh)
        return None

    def end_monitoring(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.end_monitoring(self, self.ctx, self.summary.case_id, self.refresh)
        return None

    def _clear_lists(self) -> None:
        for model in (self.goals, self.tasks, self.reviews):
            model.clear()
        for value in self.facts.values():
            value.clear()

    def clear(self) -> None:
        super().clear()
        self.summary, self.loaded = None, False
        self._clear_lists()
        self._enable()
