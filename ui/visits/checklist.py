"""Filling in a home visit's checklist at the client's kitchen table (issue 6 §5).

Large targets and the keyboard first: Tab / Shift+Tab walk the questions (answer, then note), a digit 1–5 or
Y/N answers, PgDn / PgUp jump between the template's sections, Ctrl+Enter goes to the sign-off. **Every answer is
saved as it is given** — picked answers at once, typed text after a pause of :data:`SAVE_DELAY_MS` and when the
keyboard leaves the field — each in its own committed transaction (``app.visits.save_answer``), so a dead battery
loses at most the last fraction of a second. A signed visit opens read-only with "Print report".
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from app import visits
from app.context import Context
from app.i18n import _
from forms.labels import in_language, moment_text
from app.visits import VisitDetail

from forms.home_visit import home_visit_report
from forms.labels import date_text
from ui import ops
from ui.page import Page
from ui.printing import preview_document
from ui.visits.closing import ClosingPanel
from ui.visits.widgets import STYLE, QuestionRow, role, tall

class ChecklistView(Page):
    """``sig_saved`` after each answer or finding the store confirmed (the kill test waits on it)."""

    sig_saved = Signal()

    def __init__(self, ctx: Context, shell: Any, visit_id: uuid.UUID) -> None:
        super().__init__(ctx, shell)
        self.visit_id = visit_id
        self.title = _("Home visit")
        self.detail: VisitDetail | None = None
        self.rows: dict[str, QuestionRow] = {}
        self.sections: list[tuple[QLabel, list[QuestionRow]]] = []
        self.pending = 0  # saves sent to the store lane and not yet confirmed
        self.closing: ClosingPanel | None = None
        self._build()

    # -- layout -------------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()  # the large-print style reaches the page's widgets, not the dialogs it opens
        body.setStyleSheet(STYLE)
        outer.addWidget(body)
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        self.heading = role(QLabel(""), "heading")
        self.heading.setWordWrap(True)
        self.heading.setVisible(self.shell is None)  # the main window's heading already names the visit
        self.subheading = QLabel("")
        self.subheading.setWordWrap(True)
        heading.addWidget(self.heading)
        heading.addWidget(self.subheading)
        top.addLayout(heading, 1)
        self.saved_label = QLabel("")
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.saved_label.setAccessibleName(_("Save state"))
        top.addWidget(self.saved_label)
        self.start_button = tall(QPushButton(_("&Start the visit")))
        self.start_button.clicked.connect(self.start)
        self.start_button.hide()
        top.addWidget(self.start_button)
        self.print_button = tall(QPushButton(_("&Print report")))
        self.print_button.clicked.connect(self.print_report)
        self.print_button.hide()
        top.addWidget(self.print_button)
        layout.addLayout(top)
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.scroll, 1)
        self.help = QLabel(_("Tab: next question · 1–5 or Y/N: answer · Backspace: clear · "
                             "PgDn/PgUp: next/previous section · Ctrl+Enter: sign-off"))
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self._empty_form()
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in ((QKeySequence.StandardKey.MoveToNextPage, lambda: self.jump_section(1)),
                           (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.jump_section(-1)),
                           ("Ctrl+Return", self.go_to_signoff), ("Ctrl+Enter", self.go_to_signoff)):
            shortcut = QShortcut(QKeySequence(keys), self, context=context)
            shortcut.activated.connect(slot)

    def _empty_form(self) -> None:
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.form = QWidget()
        self.form_layout = QVBoxLayout(self.form)
        self.scroll.setWidget(self.form)
        self.rows, self.sections, self.closing = {}, [], None

    def _build_form(self, detail: VisitDetail) -> None:
        """Everything is laid out before the form goes into the scroll area, so it shows (and takes the
        keyboard) at once rather than on the next turn of the event loop."""
        self._empty_form()
        self.scroll.takeWidget()
        for section in detail.template.sections:
            header = role(QLabel(in_language(section.get("title"))), "section")
            self.form_layout.addWidget(header)
            rows = []
            for question in section.get("questions", []):
                row = QuestionRow(question)
                row.sig_edited.connect(self._save_answer)
                self.form_layout.addWidget(row)
                self.rows[row.qid] = row
                rows.append(row)
            self.sections.append((header, rows))
        self.closing = ClosingPanel()
        self.closing.sig_edited.connect(self._save_findings)
        self.closing.sign_button.clicked.connect(self.sign)
        self.form_layout.addWidget(self.closing)
        self.form_layout.addStretch(1)
        self.scroll.setWidget(self.form)

    # -- data ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        visit_id = self.visit_id
        ops.load(self, lambda: visits.visit_detail(self.ctx, visit_id), self._show, key="detail")

    def _show(self, detail: VisitDetail) -> None:
        rebuild = (self.detail is None or self.closing is None or detail.status != self.detail.status
                   or detail.template.version != self.detail.template.version)
        self.detail = detail
        if rebuild:
            self._build_form(detail)
        for qid, row in self.rows.items():
            if rebuild or not row.busy():
                row.set_answer(*detail.answers.get(qid, (None, None)))
        if rebuild or not self.closing.busy():
            self.closing.set_values(detail)
        editable = detail.status == "in_progress"
        for row in self.rows.values():
            row.set_read_only(not editable)
        self.closing.set_read_only(not editable)
        self.start_button.setVisible(detail.status == "planned")
        self.print_button.setVisible(detail.status == "signed")
        self._show_header(detail)
        if rebuild and editable:
            self._focus_first_unanswered()

    def _show_header(self, detail: VisitDetail) -> None:
        self.title = _("Home visit — {client}").format(client=detail.client_name)
        day = detail.visited_at.astimezone().date() if detail.visited_at else detail.planned_on
        self.heading.setText(self.title)
        self.subheading.setText(" · ".join(part for part in (
            date_text(day) if day else "", detail.purpose, detail.worker,
            _("{template}, version {version}").format(template=in_language(detail.template.title),
                                                      version=detail.template.version)) if part))
        banners = {"planned": _("The visit is planned. Start it to fill in the checklist."),
                   "cancelled": _("The visit was cancelled."),
                   "signed": _("The report was signed on {moment}; it can no longer be changed.").format(
                       moment=moment_text(detail.signed_at) if detail.signed_at else "—")}
        self.banner.setText(banners.get(detail.status, ""))
        self.banner.setVisible(detail.status in banners)
        if self.shell is not None:
            self.shell.retitle(self)

    def clear(self) -> None:
        """Locking: save what is being typed, then forget the visit on screen."""
        self.flush()
        self.detail = None
        self.title = _("Home visit")
        self._empty_form()
        for label in (self.heading, self.subheading, self.banner, self.saved_label):
            label.clear()
        self.banner.hide()
        self.print_button.hide()
        self.start_button.hide()

    # -- saving as typed ----------------------------------------------------------------------------------
    def _save_answer(self, row: QuestionRow) -> None:
        value, note = row.current()
        if (value, note) == row.saved or self.detail is None or self.detail.status != "in_progress":
            return
        ctx, visit_id, qid = self.ctx, self.visit_id, row.qid
        self._sending()
        ops.act(self, lambda: visits.save_answer(ctx, visit_id, qid, value, note=note),
                done=lambda _id: self._saved(row, (value, note)), failed=self._not_saved, changes=False)

    def _save_findings(self) -> None:
        closing = self.closing
        if closing is None or self.detail is None or self.detail.status != "in_progress":
            return
        values = closing.values()
        closing.hint.setVisible(not values["findings"] and any(v for k, v in values.items() if k != "findings"))
        if not values["findings"] or values == closing.saved:
            return
        ctx, visit_id = self.ctx, self.visit_id
        findings = values.pop("findings")
        self._sending()
        ops.act(self, lambda: visits.set_findings(ctx, visit_id, findings, **values),
                done=lambda _none: self._saved(closing, dict(values, findings=findings)),
                failed=self._not_saved, changes=False)

    def _sending(self) -> None:
        self.pending += 1
        self.saved_label.setText(_("Saving…"))

    def _saved(self, widget: Any, what: Any) -> None:
        self.pending -= 1
        widget.saved = what
        if not self.pending:
            moment = self.ctx.now().astimezone().strftime("%H:%M:%S")
            self.saved_label.setText(_("Saved {time}").format(time=moment))
            role(self.saved_label, "")
        self.sig_saved.emit()

    def _not_saved(self, text: str) -> None:
        self.pending -= 1
        self.saved_label.setText(_("Not saved: {reason}").format(reason=text))
        role(self.saved_label, "warning")

    def flush(self) -> None:
        """Send every answer still waiting for a pause in typing."""
        for row in list(self.rows.values()):
            row.flush()
        if self.closing is not None:
            self.closing.flush()

    def idle(self) -> bool:
        """Nothing typed is waiting to be saved or unconfirmed by the store."""
        waiting = any(row.timer.isActive() for row in self.rows.values())
        return not self.pending and not waiting and not (self.closing is not None and self.closing.timer.isActive())

    # -- actions ------------------------------------------------------------------------------------------
    def start(self) -> None:
        ctx, visit_id = self.ctx, self.visit_id
        ops.act(self, lambda: visits.start_visit(ctx, visit_id), done=lambda _none: self.refresh())

    def sign(self) -> None:
        """Save what is pending, then sign; refused with the service's message and the unanswered questions."""
        if self.closing is None:
            return
        self.flush()
        self._save_findings()
        ctx, visit_id, signature = self.ctx, self.visit_id, self.closing.signature()
        self.closing.show_message("")
        ops.run(self, lambda _progress: visits.sign_visit(ctx, visit_id, signature), self._signed,
                self._sign_refused)

    def _signed(self, _result: Any) -> None:
        ops.bus().sig_changed.emit()
        if self.shell is not None:
            self.shell.show_status(_("The home-visit report is signed."))
        self.refresh()

    def _sign_refused(self, error: BaseException) -> None:
        text = ops.message_for(error)
        ops.bus().sig_failed.emit(text)
        missing = [self.rows[qid] for qid in getattr(error, "question_ids", []) if qid in self.rows]
        for row in missing:
            row.set_missing(True)
        if missing:
            text += "\n" + "\n".join(f"• {row.label.text().rstrip(' *')}" for row in missing)
        if self.closing is not None:
            self.closing.show_message(text)
        if missing:
            self._focus_row(missing[0])

    def print_report(self) -> None:
        if self.detail is None or self.detail.status != "signed":
            return
        ctx, visit_id = self.ctx, self.visit_id
        return preview_document(self, _("Home-visit report"),
                                lambda large_print=False: home_visit_report(ctx, visit_id, large_print=large_print))

    # -- keyboard -----------------------------------------------------------------------------------------
    def _focus_row(self, row: QuestionRow) -> None:
        row.answer.setFocus(Qt.FocusReason.TabFocusReason)
        self.scroll.ensureWidgetVisible(row, 0, 40)

    def _focus_first_unanswered(self) -> None:
        row = next((r for r in self.rows.values() if r.saved[0] is None), None)
        if row is not None and self.isVisible():
            self._focus_row(row)

    def _current_section(self) -> int:
        """The section holding the keyboard focus; past the last one in the findings and sign-off."""
        widget = self.focusWidget()
        while widget is not None and not isinstance(widget, (QuestionRow, ClosingPanel)):
            widget = widget.parentWidget()
        if isinstance(widget, ClosingPanel):
            return len(self.sections)
        for index, (_header, rows) in enumerate(self.sections):
            if widget in rows:
                return index
        return -1

    def jump_section(self, step: int) -> None:
        """PgDn / PgUp: the first question of the next / previous section (after the last: the findings)."""
        if not self.sections:
            return
        target = max(0, min(self._current_section() + step, len(self.sections)))
        if target == len(self.sections):
            self._focus_closing(self.closing.texts["findings"])
            return
        header, rows = self.sections[target]
        if rows:
            self._focus_row(rows[0])
        self.scroll.ensureWidgetVisible(header, 0, 20)

    def go_to_signoff(self) -> None:
        """Ctrl+Enter: to the findings while they are empty, else to the client's signature."""
        if self.closing is None:
            return
        if not self.closing.texts["findings"].toPlainText().strip():
            self._focus_closing(self.closing.texts["findings"])
            return
        buttons = list(self.closing.signature_buttons.values())
        checked = next((b for b in buttons if b.isChecked()), None)
        self._focus_closing(checked or buttons[0])
        self.scroll.ensureWidgetVisible(self.closing.sign_button, 0, 40)

    def _focus_closing(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        self.scroll.ensureWidgetVisible(widget, 0, 40)
