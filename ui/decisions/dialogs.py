"""The small forms of this feature: register an application, run a means test, start a decision, return one
with comments, issue one, record a notification. Each runs its service through ``ops.act``; a refusal is shown
inside the dialog (which stays open with what was typed), success closes it. Enter or Ctrl+Enter confirms,
Esc cancels."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QSpinBox, QVBoxLayout, QWidget,
)

from app import assistance, decisions, means_test
from app.context import Context
from app.decisions import DecisionInput
from app.i18n import N_, _
from ui import ops
from ui.decisions.model import benefit_name, code_label, money

HOUSING_CATEGORIES = {"single_pensioner_or_disabled": N_("a pensioner or a person with a disability living alone"),
                      "only_pensioners_or_disabled": N_("only pensioners or persons with a disability"),
                      "other": N_("any other household")}
#: which date the Notification Law counts from, by channel (app.decisions.record_notification)
NOTIFICATION_DATES = {"in_person": ("received_on", N_("Signed for on")),
                      "post": ("registered_on", N_("Registered as outgoing on")),
                      "registered_post": ("sent_on", N_("Posted on")),
                      "email": ("sent_on", N_("Sent on")),
                      "e_address": ("sent_on", N_("Sent on"))}


def date_edit(today: dt.date, *, latest: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    if latest is not None:
        edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
    return edit


def text_box(lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on; the text never needs a tab character
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * (lines + 1))
    return box


def combo(items: list[tuple[Any, str]]) -> QComboBox:
    box = QComboBox()
    for value, text in items:
        box.addItem(text, value)
    return box


class ActionDialog(QDialog):
    """A form whose OK runs one service call in the store lane; the result arrives with ``sig_done``."""

    sig_done = Signal(object)

    def __init__(self, ctx: Context, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel("")
        self.error.setObjectName("dialog-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a11d1d; font-weight: bold")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.ok.setDefault(True)  # Enter confirms; set once the button is inside the dialog, or Qt ignores it
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.accept)

    def add_row(self, text: str, widget: QWidget) -> QWidget:
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)
        return widget

    def work(self) -> Callable[[], Any]:
        """The service call made from the fields (read here, on the UI thread; run in the store lane)."""
        raise NotImplementedError

    def ready(self) -> bool:
        return self.ok.isEnabled()

    def accept(self) -> None:  # noqa: D102 - OK, Enter, Ctrl+Enter
        if not self.ready():
            return
        work = self.work()
        self.ok.setEnabled(False)
        self.error.clear()
        ops.act(self, work, done=self.succeeded, failed=self.refused)

    def succeeded(self, result: Any) -> None:
        self.result_value = result
        self.sig_done.emit(result)
        super().accept()

    def refused(self, text: str) -> None:
        self.error.setText(text)
        self.ok.setEnabled(True)


class RegisterApplicationDialog(ActionDialog):
    def __init__(self, ctx: Context, client_id: uuid.UUID, benefits: list[assistance.Benefit],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Register an application"), _("&Register"), parent)
        self.client_id = client_id
        today = ctx.today()
        self.received = self.add_row(_("&Received on"), date_edit(today, latest=today))
        self.channel = self.add_row(_("&How it came"), combo([(c, code_label("channel", c))
                                                              for c in assistance.CHANNELS]))
        names = {b.code: b.name for b in benefits}
        self.benefit = self.add_row(_("&Benefit"), combo([(b.code, benefit_name(b.code, names)) for b in benefits]))
        self.request = self.add_row(_("What is &requested"), text_box())

    def work(self) -> Callable[[], uuid.UUID]:
        ctx, client = self.ctx, self.client_id
        received, channel = self.received.date().toPython(), self.channel.currentData()
        benefit, request = self.benefit.currentData(), self.request.toPlainText()
        return lambda: assistance.register_application(ctx, client, received, channel, benefit, request)


class MeansTestDialog(ActionDialog):
    """Income and resources of the household; after recording, the result stays on screen to be read."""

    def __init__(self, ctx: Context, application: assistance.ApplicationLine, household_size: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Means test"), _("&Evaluate and save"), parent)
        self.application_id = application.id
        self.performed = self.add_row(_("&Date of the test"), date_edit(ctx.today(), latest=ctx.today()))
        self.size = self.add_row(_("Household &size"), QSpinBox())
        self.size.setRange(1, 50)
        self.size.setValue(household_size or 1)
        self.working = self.add_row(_("Members of &working age"), QSpinBox())
        self.working.setRange(0, 50)
        self.income = self.add_row(_("&Income, EUR a month"), QLineEdit())
        self.income.setPlaceholderText("0,00")
        self.housing_costs = self.add_row(_("Housing &costs, EUR a month"), QLineEdit())
        self.housing_costs.setPlaceholderText("0,00")
        self.category = self.add_row(_("Household &kind"), combo([(k, _(v)) for k, v in HOUSING_CATEGORIES.items()]))
        self.category.setCurrentIndex(len(HOUSING_CATEGORIES) - 1)
        self.property = self.add_row(_("&Property and savings"), text_box(2))
        self.disqualifying = QCheckBox(_("Resources &beyond what the municipality allows"))
        self.form.addRow("", self.disqualifying)
        self.result = QLabel("")
        self.result.setObjectName("means-test-result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.result)

    def work(self) -> Callable[[], means_test.MeansTestResult]:
        ctx, application = self.ctx, self.application_id
        values = dict(performed_on=self.performed.date().toPython(), household_size=self.size.value(),
                      working_age_members=min(self.working.value(), self.size.value()), income=self.income.text(),
                      housing_costs=self.housing_costs.text() or None, housing_category=self.category.currentData(),
                      resources={"property": self.property.toPlainText().strip(),
                                 "disqualifying": self.disqualifying.isChecked()})

        def run() -> means_test.MeansTestResult:
            test_id = assistance.record_means_test(ctx, application_id=application, **values)
            return assistance.means_test_result(ctx, test_id)
        return run

    def succeeded(self, result: means_test.MeansTestResult) -> None:
        """The test is saved: show what it found, keep the dialog open until the worker has read it."""
        self.result_value = result
        self.result.setText(result_text(result))
        for widget in (self.performed, self.size, self.working, self.income, self.housing_costs, self.category,
                       self.property, self.disqualifying):
            widget.setEnabled(False)
        self.ok.setVisible(False)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText(_("Close"))
        close.setDefault(True)
        close.setFocus()
        self.close_button = close
        self.sig_done.emit(result)

    def ready(self) -> bool:
        return self.ok.isEnabled() and self.ok.isVisible()


def result_text(result: means_test.MeansTestResult) -> str:
    return "\n".join([
        _("Result: {status}").format(status=code_label("household_status", result.result)),
        _("Household income: {amount}").format(amount=money(result.income_cents)),
        _("Needy threshold for the household: {amount}").format(amount=money(result.needy_sum_cents)),
        _("Low-income threshold for the household: {amount}").format(amount=money(result.low_income_sum_cents)),
        _("GMI benefit: {amount}").format(amount=money(result.gmi_benefit_cents)),
        _("Housing benefit: {amount}").format(amount=money(result.housing_benefit_cents)),
    ])


class DraftDecisionDialog(ActionDialog):
    def __init__(self, ctx: Context, client_id: uuid.UUID, application_id: uuid.UUID | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Draft a decision"), _("&Draft"), parent)
        self.client_id, self.application_id = client_id, application_id
        self.kind = self.add_row(_("&Kind of decision"), combo([(k, code_label("decision_kind", k))
                                                                for k in ("grant", "partial", "refusal")]))

    def work(self) -> Callable[[], uuid.UUID]:
        ctx, client, application, kind = self.ctx, self.client_id, self.application_id, self.kind.currentData()
        return lambda: decisions.draft_decision(ctx, client, DecisionInput(kind=kind), application_id=application)


class ReturnDialog(ActionDialog):
    """The head's comments are required: the worker must know what to correct."""

    def __init__(self, ctx: Context, decision_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Return with comments"), _("&Return"), parent)
        self.decision_id = decision_id
        self.comment = self.add_row(_("&Comments for the social worker"), text_box(4))
        self.comment.textChanged.connect(lambda: self.ok.setEnabled(bool(self.comment.toPlainText().strip())))
        self.ok.setEnabled(False)

    def work(self) -> Callable[[], None]:
        ctx, decision, comment = self.ctx, self.decision_id, self.comment.toPlainText()
        return lambda: decisions.return_decision(ctx, decision, comment)


class IssueDialog(ActionDialog):
    def __init__(self, ctx: Context, decision_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Issue the decision"), _("&Issue"), parent)
        self.decision_id = decision_id
        self.issued = self.add_row(_("&Issued on"), date_edit(ctx.today(), latest=ctx.today()))
        note = QLabel(_("After issue the decision cannot be changed; a correction is a new decision."))
        note.setWordWrap(True)
        self.form.addRow(note)

    def work(self) -> Callable[[], None]:
        ctx, decision, issued = self.ctx, self.decision_id, self.issued.date().toPython()
        return lambda: decisions.issue_decision(ctx, decision, issued)


class NotificationDialog(ActionDialog):
    def __init__(self, ctx: Context, decision_id: uuid.UUID, recipients: list[decisions.Recipient],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Record the notification"), _("&Record"), parent)
        self.decision_id = decision_id
        roles = {"client": _("client"), "representative": _("legal representative")}
        self.recipient = self.add_row(_("&Recipient"), combo([(r.person_id, f"{r.name} ({roles[r.role]})")
                                                              for r in recipients]))
        self.channel = self.add_row(_("&How"), combo([(c, code_label("channel", c))
                                                     for c in decisions.NOTIFICATION_CHANNELS]))
        self.when = date_edit(ctx.today(), latest=ctx.today())
        self.when_label = QLabel()
        self.when_label.setBuddy(self.when)
        self.form.addRow(self.when_label, self.when)
        self.note = self.add_row(_("&Note"), QLineEdit())
        self.channel.currentIndexChanged.connect(self._label_date)
        self._label_date()

    def _label_date(self) -> None:
        self.when_label.setText("&" + _(NOTIFICATION_DATES[self.channel.currentData()][1]))

    def work(self) -> Callable[[], uuid.UUID]:
        ctx, decision = self.ctx, self.decision_id
        person, channel = self.recipient.currentData(), self.channel.currentData()
        dates = {NOTIFICATION_DATES[channel][0]: self.when.date().toPython()}
        note = self.note.text() or None
        return lambda: decisions.record_notification(ctx, decision, person, channel, note=note, **dates)
