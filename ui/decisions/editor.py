"""One decision on its own screen: the form while it is a draft (or back from the head), what is still missing,
the head's comments, the approval trail and the dates after issue, and the one next step its state allows —
submit, approve and sign or return (the head), issue, record the notification — plus the print preview.

Keys: Ctrl+S saves the draft, Ctrl+Enter approves and signs (the head), Ctrl+P opens the print preview.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea,
    QVBoxLayout, QWidget,
)

from app import assistance, decisions
from app.access import CASEWORK_ROLES
from app.context import Context
from app.decisions import DecisionDetail, DecisionInput
from app.i18n import _
from forms.decision_letter import decision_letter
from ui import ops
from ui.decisions.dialogs import ActionDialog, IssueDialog, NotificationDialog, ReturnDialog, combo, text_box
from ui.decisions.model import benefit_name, code_label, day
from ui.decisions.summary import timeline_text, trail_text
from ui.page import Page
from ui.printing import preview_document

EDITABLE = ("draft", "returned")
BANNER = "background: #fff3c4; border: 1px solid #c9a227; padding: 8px; font-weight: bold"
MISSING = "background: #fde8e8; border: 1px solid #a11d1d; padding: 8px"


class DecisionView(Page):
    """Built as ``DecisionView(ctx, shell, decision_id)``."""

    def __init__(self, ctx: Context, shell: Any, decision_id: uuid.UUID) -> None:
        super().__init__(ctx, shell)
        self.decision_id = decision_id
        self.title = _("A decision")
        self.detail: DecisionDetail | None = None
        self.benefit_names: dict[str, dict[str, str]] = {}
        self.dirty = False
        self.submit_refused = False  # the last submit found gaps: say so until the next save or submit
        self.dialog: ActionDialog | None = None
        self.preview: QWidget | None = None
        self._build()
        self._show_state()

    # layout
    def _build(self) -> None:
        self.state = QLabel("")
        self.state.setObjectName("decision-state")
        self.state.setWordWrap(True)
        self.returned = self._banner("return-comment", BANNER)
        self.missing = self._banner("missing", MISSING)
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = self._field(form, "kind", _("&Kind"), combo([(k, code_label("decision_kind", k))
                                                                for k in decisions.DECISION_KINDS]))
        self.benefit = self._field(form, "benefit_code", _("&Benefit"), QComboBox())
        self.amount = self._field(form, "amount", _("&Amount, EUR a month"), QLineEdit())
        self.period_from = self._field(form, "period_from", _("Period &from"), QLineEdit())
        self.period_to = self._field(form, "period_to", _("Period &to"), QLineEdit())
        for edit in (self.period_from, self.period_to):
            edit.setPlaceholderText(_("DD.MM.YYYY"))
        self.amends = self._field(form, "amends_decision_id", _("Decision amended or revoked"), QComboBox())
        self.request_summary = self._field(form, "request_summary", _("What was &requested"), text_box())
        self.participants_views = self._field(form, "participants_views", _("&Participants' views"), text_box())
        self.facts = self._field(form, "facts", _("Established fa&cts"), text_box(4))
        self.reasons = self._field(form, "reasons", _("R&easons"), text_box(4))
        self.legal_basis = self._field(form, "legal_basis", _("&Legal norms applied (one a line)"), text_box())
        self.operative_part = self._field(form, "operative_part", _("&Operative part"), text_box())
        self.appeal_body = self._field(form, "appeal_body", _("Where it can be contested"), QLineEdit())
        self.appeal_term = self._field(form, "appeal_term", _("Within what term"), QLineEdit())
        self.fields["address"] = self.request_summary  # the address is fixed in the client's data, not here
        self.fields["agreement"] = self.kind
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.timeline = QLabel("")
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        body = QWidget()
        column = QVBoxLayout(body)
        for widget in (self.state, self.returned, self.missing):
            column.addWidget(widget)
        column.addLayout(form)
        column.addWidget(QLabel("<b>%s</b>" % _("Course of the decision")))
        column.addWidget(self.timeline)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.save_button = self._button(_("&Save the draft"), self.save, "Ctrl+S")
        self.submit_button = self._button(_("Su&bmit for approval"), self.submit)
        self.approve_button = self._button(_("&Approve and sign"), self.approve, "Ctrl+Return", "Ctrl+Enter")
        self.return_button = self._button(_("Return &with comments…"), self.return_with_comments)
        self.issue_button = self._button(_("&Issue…"), self.issue)
        self.notify_button = self._button(_("Record the &notification…"), self.record_notification)
        self.print_button = self._button(_("Print pre&view"), self.print_preview, "Ctrl+P")
        self.message = QLabel("")
        self.message.setObjectName("decision-message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.submit_button, self.approve_button, self.return_button,
                       self.issue_button, self.notify_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _banner(self, name: str, style: str) -> QLabel:
        label = QLabel("")
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(style)
        label.setVisible(False)
        return label

    def _field(self, form: QFormLayout, name: str, text: str, widget: QWidget) -> Any:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, widget)
        self.fields[name] = widget
        signal = getattr(widget, "textChanged", None) or widget.currentIndexChanged
        signal.connect(self._edited)
        return widget

    def _button(self, text: str, slot: Callable[[], Any], *keys: str) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        if keys:
            button.setToolTip(" / ".join(keys))
        for key in keys:
            QShortcut(QKeySequence(key), self, activated=lambda b=button: b.isVisible() and b.isEnabled() and b.click())
        return button

    def _edited(self) -> None:
        if not self._filling:
            self.dirty = True

    _filling = False

    # data
    def refresh(self) -> None:
        ctx, decision = self.ctx, self.decision_id
        ops.load(self, lambda: (decisions.decision_detail(ctx, decision), assistance.benefits(ctx)), self._loaded,
                 key="decision", on_failed=self.message.setText)

    def _loaded(self, loaded: tuple) -> None:
        detail, benefits = loaded
        keep_typing = self.dirty and self.detail is not None and detail.editable and self.detail.editable
        self.detail = detail
        self.benefit_names = {b.code: b.name for b in benefits}
        if not keep_typing:  # a refresh never throws away what the worker is typing
            self._fill(detail, benefits)
        self.title = _("Decision — {client}").format(client=detail.client_name)
        if self.shell is not None:
            self.shell.retitle(self)
        self._show_state()

    def _fill(self, detail: DecisionDetail, benefits: list[assistance.Benefit]) -> None:
        content = detail.content
        self._filling = True
        try:
            self.kind.setCurrentIndex(max(self.kind.findData(content.kind), 0))
            self.benefit.clear()
            self.benefit.addItem("—", None)
            for benefit in benefits:
                self.benefit.addItem(benefit_name(benefit.code, self.benefit_names), benefit.code)
            self.benefit.setCurrentIndex(max(self.benefit.findData(content.benefit_code), 0))
            self.amends.clear()
            self.amends.addItem("—", None)
            for decision_id, number in detail.amendable:
                self.amends.addItem(_("No. {number}").format(number=number), decision_id)
            self.amends.setCurrentIndex(max(self.amends.findData(content.amends_decision_id), 0))
            self.amount.setText(content.amount or "")
            self.period_from.setText(day(content.period_from) if content.period_from else "")
            self.period_to.setText(day(content.period_to) if content.period_to else "")
            for name in ("request_summary", "participants_views", "facts", "reasons", "operative_part"):
                getattr(self, name).setPlainText(getattr(content, name) or "")
            self.legal_basis.setPlainText("\n".join(content.legal_basis))
            self.appeal_body.setText(content.appeal_body or "")
            self.appeal_term.setText(content.appeal_term or "")
        finally:
            self._filling = False
        self.dirty = False
        self._kind_changed()

    def content(self) -> DecisionInput:
        """The form as the service takes it (dates as typed: the service reads DD.MM.YYYY)."""
        def text(widget: Any) -> str | None:
            value = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            return value.strip().rstrip(".") if widget in (self.period_from, self.period_to) else value
        return DecisionInput(
            kind=self.kind.currentData(), amount=self.amount.text() or None, period_from=text(self.period_from) or None,
            period_to=text(self.period_to) or None, facts=text(self.facts), reasons=text(self.reasons),
            legal_basis=[line.strip() for line in self.legal_basis.toPlainText().splitlines() if line.strip()],
            operative_part=text(self.operative_part), appeal_body=text(self.appeal_body),
            appeal_term=text(self.appeal_term), amends_decision_id=self.amends.currentData(),
            benefit_code=self.benefit.currentData(), request_summary=text(self.request_summary),
            participants_views=text(self.participants_views))

    def _kind_changed(self) -> None:
        correcting = self.kind.currentData() in decisions.CORRECTING
        self.amends.setEnabled(correcting and self._editable())

    def _editable(self) -> bool:
        return self.detail is not None and self.detail.editable and self.ctx.has_role(*CASEWORK_ROLES)

    def _show_state(self) -> None:
        detail = self.detail
        status = detail.status if detail else None
        editable = self._editable()
        for name, widget in self.fields.items():
            if name not in ("address", "agreement"):
                widget.setEnabled(editable)
        self._kind_changed()
        head = self.ctx.has_role("head")
        self.save_button.setVisible(editable)
        self.submit_button.setVisible(editable)
        self.approve_button.setVisible(head and status == "submitted")
        self.return_button.setVisible(head and status == "submitted")
        self.issue_button.setVisible(status == "approved" and self.ctx.has_role(*CASEWORK_ROLES))
        self.notify_button.setVisible(status == "issued" and self.ctx.has_role(*CASEWORK_ROLES))
        self.print_button.setEnabled(detail is not None)
        if detail is None:
            self.state.clear()
            self.timeline.clear()
            self.returned.setVisible(False)
            self.missing.setVisible(False)
            return
        parts = [_("State: {state}").format(state=code_label("decision", detail.status))]
        if detail.number:
            parts.append(_("No. {number}").format(number=detail.number))
        if detail.application_number:
            parts.append(_("application {number} of {date}").format(number=detail.application_number,
                                                                     date=day(detail.application_received_on)))
        parts.append(_("drafted by {name}").format(name=detail.drafted_by))
        self.state.setText(" · ".join(parts))
        self.returned.setText(_("Returned by the head of service with comments:") + "\n" + detail.return_comment
                              if detail.return_comment else "")
        self.returned.setVisible(bool(detail.return_comment))
        self.show_missing(detail.missing, attempted=self.submit_refused)
        self.timeline.setText("\n".join(filter(None, [trail_text(detail.trail), timeline_text(detail)])))

    def show_missing(self, missing: list[tuple[str, str]], *, attempted: bool = False) -> None:
        if not missing:
            self.missing.setVisible(False)
            self.missing.clear()
            return
        intro = _("The decision cannot be submitted yet. Still missing:") if attempted else _(
            "Before submitting, still missing:")
        self.missing.setText("\n".join([intro, *("• " + _(reason) for _field, reason in missing)]))
        self.missing.setVisible(True)

    # actions
    def _act(self, work: Callable[[], Any], said: str, then: Callable[[Any], None] | None = None) -> None:
        def done(result: Any) -> None:
            self.dirty = self.submit_refused = False
            self.message.setText(said)
            if then is not None:
                then(result)
            self.refresh()
        ops.act(self, work, done=done, failed=self.message.setText)

    def save(self) -> None:
        if not self._editable():
            return
        ctx, decision, content = self.ctx, self.decision_id, self.content()
        self._act(lambda: decisions.update_draft(ctx, decision, content), _("The draft is saved."))

    def submit(self) -> None:
        """Save, then submit — or, when something the law requires is missing, list all of it."""
        if not self._editable():
            return
        ctx, decision, content = self.ctx, self.decision_id, self.content()

        def work() -> list[tuple[str, str]]:
            decisions.update_draft(ctx, decision, content)
            missing = decisions.decision_detail(ctx, decision).missing
            if not missing:
                decisions.submit_decision(ctx, decision)
            return missing

        def done(missing: list[tuple[str, str]]) -> None:
            if missing:
                self.submit_refused = True
                self.message.setText(_("The draft is saved but not submitted."))
                self.show_missing(missing, attempted=True)
                widget = self.fields.get(missing[0][0])
                if widget is not None and widget.isEnabled():
                    widget.setFocus()
        self._act(work, _("Submitted to the head of service for approval."), done)

    def approve(self) -> None:
        if self.detail is None or self.detail.status != "submitted" or not self.ctx.has_role("head"):
            return
        ctx, decision = self.ctx, self.decision_id
        self._act(lambda: decisions.approve_and_sign(ctx, decision), _("Approved and signed."))

    def _dialog(self, dialog: ActionDialog, said: str) -> ActionDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.sig_done.connect(lambda _result: (self.message.setText(said), self.refresh()))
        dialog.open()
        return dialog

    def return_with_comments(self) -> ActionDialog | None:
        if self.detail is None or self.detail.status != "submitted" or not self.ctx.has_role("head"):
            return None
        return self._dialog(ReturnDialog(self.ctx, self.decision_id, self), _("Returned to the social worker."))

    def issue(self) -> ActionDialog | None:
        if self.detail is None or self.detail.status != "approved":
            return None
        return self._dialog(IssueDialog(self.ctx, self.decision_id, self), _("The decision is issued."))

    def record_notification(self) -> ActionDialog | None:
        if self.detail is None or self.detail.status != "issued":
            return None
        return self._dialog(NotificationDialog(self.ctx, self.decision_id, self.detail.recipients, self),
                            _("The notification is recorded."))

    def print_preview(self) -> QWidget | None:
        if self.detail is None:
            return None
        ctx, decision = self.ctx, self.decision_id
        title = (_("Decision No. {number}").format(number=self.detail.number) if self.detail.number
                 else _("Draft decision"))
        self.preview = preview_document(
            self, title, lambda large_print=False: decision_letter(ctx, decision, large_print=large_print))
        return self.preview

    def clear(self) -> None:
        """Locking: the form, the comments, the trail and any dialog or preview go."""
        for window in (self.dialog, self.preview):
            if window is not None:
                try:
                    window.reject()
                except RuntimeError:  # already closed and deleted
                    pass
        self.dialog = self.preview = None
        self.detail = None
        self._filling = True
        try:
            for widget in self.fields.values():
                if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                    widget.clear()
            self.benefit.clear()
            self.amends.clear()
        finally:
            self._filling = False
        self.dirty = self.submit_refused = False
        self.message.clear()
        self.returned.clear()
        self.missing.clear()
        self.title = _("A decision")
        self._show_state()
