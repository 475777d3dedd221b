"""The head of service's approval queue: submitted decisions, the longest waiting first. Select one, read its
summary (or its letter in the preview), then approve and sign it (Ctrl+Enter) or return it with comments —
the queue refreshes after each, and the next decision is selected."""

from __future__ import annotations

import uuid
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app import assistance, decisions
from app.context import Context
from app.i18n import _
from forms.decision_letter import decision_letter
from ui import ops
from ui.decisions.client_tab import heading
from ui.decisions.dialogs import text_box
from ui.decisions.model import queue_columns
from ui.widgets.table import RowsModel, table_view
from ui.decisions.summary import decision_summary
from ui.page import Page
from ui.printing import preview_document


class ApprovalQueueView(Page):
    """Built as ``ApprovalQueueView(ctx, shell)``; offered only to the head of service."""

    def __init__(self, ctx: Context, shell: Any) -> None:
        super().__init__(ctx, shell)
        self.title = _("Approvals")
        self.allowed = ctx.has_role("head")
        self.benefit_names: dict[str, dict[str, str]] = {}
        self.detail: decisions.DecisionDetail | None = None
        self.preview: QWidget | None = None
        self.model = RowsModel(queue_columns(lambda: self.benefit_names), self)
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.notice = QLabel("")
        self.notice.setObjectName("queue-notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.notice.hide()
        self.table = table_view(self.model, stretch=self.model.columnCount() - 1)
        self.table.setObjectName("approval-queue")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("decision-summary")
        self.summary.setReadOnly(True)
        self.summary.setTabChangesFocus(True)
        self.comment = text_box(3)
        self.comment.setObjectName("return-comment")
        self.comment.setPlaceholderText(_("Required when returning: what should the social worker correct?"))
        self.approve_button = self._button(_("&Approve and sign"), self.approve, "Ctrl+Return", "Ctrl+Enter")
        self.return_button = self._button(_("&Return with comments"), self.return_with_comments)
        self.preview_button = self._button(_("Letter pre&view"), self.print_preview, "Ctrl+P")
        self.open_button = self._button(_("&Open the decision"), self.open_decision)
        self.message = QLabel("")
        self.message.setObjectName("queue-message")
        self.message.setWordWrap(True)
        self.comment.textChanged.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.table.activated.connect(lambda _index: self.open_decision())

        actions = QVBoxLayout()
        comment_label = QLabel(_("&Comments for the social worker"))
        comment_label.setBuddy(self.comment)
        actions.addWidget(self.approve_button)
        actions.addWidget(comment_label)
        actions.addWidget(self.comment, 1)
        actions.addWidget(self.return_button)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.open_button)
        lower = QWidget()
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.summary, 3)
        row.addLayout(actions, 2)
        upper = QWidget()
        column = QVBoxLayout(upper)
        column.setContentsMargins(0, 0, 0, 0)
        label = heading(_("Decisions &waiting for approval"))
        label.setBuddy(self.table)
        column.addWidget(label)
        column.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)  # the queue gets the room: a head scans it first
        splitter.setStretchFactor(1, 2)
        self.body = splitter
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        if not self.allowed:
            self.notice.setText(_("Only the head of service approves and signs decisions."))
            self.notice.show()
            splitter.setVisible(False)

    def _button(self, text: str, slot: Callable[[], Any], *keys: str) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        if keys:
            button.setToolTip(" / ".join(keys))
        for key in keys:
            QShortcut(QKeySequence(key), self, activated=lambda b=button: b.isEnabled() and b.click())
        return button

    # data
    def refresh(self) -> None:
        if not self.allowed:
            return
        ctx = self.ctx
        ops.load(self, lambda: (decisions.approval_queue(ctx), assistance.benefits(ctx)), self._loaded,
                 key="queue", on_failed=self.message.setText)

    def _loaded(self, loaded: tuple) -> None:
        items, benefits = loaded
        self.benefit_names = {b.code: b.name for b in benefits}
        previous = self.selected()
        self.model.set_rows(items)
        self.notice.setText("" if items else _("No decisions are waiting for approval."))
        self.notice.setVisible(not items)
        ids = [item.id for item in items]
        if items:
            self.table.selectRow(ids.index(previous.id) if previous and previous.id in ids else 0)
            self.table.setFocus()
        else:
            self._selected_changed()

    def selected(self) -> decisions.QueueItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def _selected_changed(self) -> None:
        item = self.selected()
        if item is None or (self.detail is not None and self.detail.id != item.id):
            self.detail = None
            self.summary.clear()
        if item is not None:
            ctx, decision = self.ctx, item.id
            ops.load(self, lambda: decisions.decision_detail(ctx, decision), self._show_detail, key="summary",
                     on_failed=self.summary.setPlainText)
        self._update_buttons()

    def _show_detail(self, detail: decisions.DecisionDetail) -> None:
        item = self.selected()
        if item is None or item.id != detail.id:
            return
        self.detail = detail
        self.summary.setPlainText(decision_summary(detail, self.benefit_names))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.allowed and self.detail is not None
        self.approve_button.setEnabled(chosen)
        self.return_button.setEnabled(chosen and bool(self.comment.toPlainText().strip()))
        self.preview_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen and self.shell is not None)

    # actions
    def _act(self, work: Callable[[], Any], said: str, then: Callable[[], None] | None = None) -> None:
        def done(_result: Any) -> None:
            self.message.setText(said)
            if then is not None:
                then()
            self.detail = None
            self.refresh()
        self._set_busy()
        ops.act(self, work, done=done, failed=self._refused)

    def _set_busy(self) -> None:
        self.approve_button.setEnabled(False)
        self.return_button.setEnabled(False)

    def _refused(self, text: str) -> None:
        self.message.setText(text)
        self._update_buttons()

    def approve(self) -> None:
        if self.detail is None or not self.approve_button.isEnabled():
            return
        ctx, decision = self.ctx, self.detail.id
        self._act(lambda: decisions.approve_and_sign(ctx, decision), _("Approved and signed."))

    def return_with_comments(self) -> None:
        comment = self.comment.toPlainText().strip()
        if self.detail is None or not comment:
            self.message.setText(_("Write what should be corrected before returning the decision."))
            self.comment.setFocus()
            return
        ctx, decision = self.ctx, self.detail.id
        self._act(lambda: decisions.return_decision(ctx, decision, comment), _("Returned to the social worker."),
                  self.comment.clear)

    def print_preview(self) -> QWidget | None:
        if self.detail is None:
            return None
        ctx, decision = self.ctx, self.detail.id
        self.preview = preview_document(self, _("Draft decision"),
                                        lambda large_print=False: decision_letter(ctx, decision,
                                                                                  large_print=large_print))
        return self.preview

    def open_decision(self) -> None:
        item = self.selected()
        if item is not None and self.shell is not None:
            decision: uuid.UUID = item.id
            self.shell.open_decision(decision)

    def clear(self) -> None:
        """Locking: the queue's names, the summary and any comment being written go."""
        if self.preview is not None:
            try:
                self.preview.reject()
            except RuntimeError:
                pass
            self.preview = None
        self.detail = None
        self.model.clear()
        self.summary.clear()
        self.comment.clear()
        self.message.clear()
        self._update_buttons()
