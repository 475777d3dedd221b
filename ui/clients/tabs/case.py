"""The social case: problem, diagnosis and stage, the goals, the plan in force with its tasks (overdue ones in
red) and the reviews; the common steps (add a goal or a task, complete a task, record a review) as small
dialogs. Steps out of order are refused by the services with their reason."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from app import client_file
from app.i18n import N_, _
from ui.clients.tabs import case_dialogs
from ui.clients.tabs.base import ClientTab, RowsModel, date_text, label, or_dash, selected_id, table

FACTS = (("opened", N_("Opened")), ("reason", N_("Reason")), ("problem", N_("Problem")),
         ("diagnosis", N_("Social diagnosis")), ("stage", N_("Stage")), ("next_review", N_("Next review")),
         ("plan", N_("Intervention plan")))


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
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption in FACTS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            form.addRow(_(caption) + ":", value)
        self.none = QLabel(_("The client has no open social case."))
        self.none.setVisible(False)
        self.goals = RowsModel([_("Goal"), _("Target date"), _("Status")], self)
        self.tasks = RowsModel([_("Task"), _("Deadline"), _("Responsible"), _("Status")], self)
        self.reviews = RowsModel([_("Date"), _("Kind"), _("Review"), _("By")], self)
        self.goal_view, self.task_view = table(self.goals, stretch=0), table(self.tasks, stretch=0)
        self.review_view = table(self.reviews, stretch=2)
        self.task_view.setObjectName("task-list")
        self.buttons = {
            "goal": QPushButton(_("Add a goa&l…")), "task": QPushButton(_("Add a &task…")),
            "complete": QPushButton(_("Co&mplete task…")), "review": QPushButton(_("&Record a review…")),
        }
        self.buttons["goal"].clicked.connect(self.add_goal)
        self.buttons["task"].clicked.connect(self.add_task)
        self.buttons["complete"].clicked.connect(self.complete_task)
        self.buttons["review"].clicked.connect(self.record_review)
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_titled(_("Goals"), self.goal_view))
        split.addWidget(_titled(_("Tasks of the plan"), self.task_view))
        split.addWidget(_titled(_("Reviews"), self.review_view))
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.none)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(split, 1)
        self._enable()

    def fetch(self) -> client_file.CaseSummary | None:
        return client_file.case_summary(self.ctx, self.client_id)

    def show_data(self, summary: client_file.CaseSummary | None) -> None:
        self.summary = summary
        self.none.setVisible(summary is None)
        if summary is None:
            self._clear_lists()
            self._enable()
            return
        plan = "—"
        if summary.plan_id:
            until = date_text(summary.plan_valid_to) if summary.plan_valid_to else _("no end date")
            plan = _("version {version}, {start} – {end}").format(version=summary.plan_version,
                                                                   start=date_text(summary.plan_valid_from), end=until)
        texts = {"opened": date_text(summary.opened_on), "reason": summary.reason,
                 "problem": or_dash(summary.problem), "diagnosis": or_dash(summary.diagnosis),
                 "stage": label("stage", summary.stage), "next_review": or_dash(summary.next_review_on),
                 "plan": plan}
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

    def _enable(self) -> None:
        open_case = self.summary is not None and self.summary.is_open
        for button in self.buttons.values():
            button.setEnabled(open_case)

    # steps
    def add_goal(self) -> case_dialogs.FormDialog | None:
        if self.summary is not None:
            return case_dialogs.add_goal(self, self.ctx, self.summary.case_id, self.refresh)
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

    def _clear_lists(self) -> None:
        for model in (self.goals, self.tasks, self.reviews):
            model.clear()
        for value in self.facts.values():
            value.clear()

    def clear(self) -> None:
        super().clear()
        self.summary = None
        self._clear_lists()
        self._enable()
