"""The journal of contacts and consultations, newest first, with a quick-entry row on top: the kind is a
consultation and the time is now unless changed, the worker types what was discussed (the first line is the
topic) and Ctrl+Enter saves — the text box is empty and focused again for the next entry."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout,
)

from app import cases, client_file
from app.i18n import _
from ui.clients.tabs.base import ClientTab, RowsModel, label, moment_text, or_dash, table

TOPIC_LENGTH = 300


def split_entry(text: str) -> tuple[str, str | None]:
    """What the worker typed as the entry's topic (its first line) and text (all of it, when there is more)."""
    text = text.strip()
    first = text.splitlines()[0].strip() if text else ""
    topic = first if len(first) <= TOPIC_LENGTH else first[:TOPIC_LENGTH - 1].rstrip() + "…"
    return topic, (text if text != topic else None)


class JournalTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.lines: list[client_file.JournalLine] = []
        self.kind = QComboBox()
        for code in cases.JOURNAL_KINDS:
            self.kind.addItem(label("journal", code), code)
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("journal-text")
        self.text.setPlaceholderText(_("What was discussed — the first line is the topic (Ctrl+Enter saves)"))
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(self.text.fontMetrics().lineSpacing() * 5)
        self.save_button = QPushButton(_("Save entry") + "  (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        self.text.installEventFilter(self)  # Ctrl+Enter: the text box itself would take it for a new line
        self.status = QLabel("")
        self.status.setWordWrap(True)
        kind_label = QLabel(_("&Kind:"))
        kind_label.setBuddy(self.kind)
        when_label = QLabel(_("&Time:"))
        when_label.setBuddy(self.when)
        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addWidget(when_label)
        top.addWidget(self.when)
        top.addStretch(1)
        top.addWidget(self.save_button)
        quick = QVBoxLayout()
        quick.addLayout(top)
        quick.addWidget(self.text)
        quick.addWidget(self.status)

        self.model = RowsModel([_("Time"), _("Kind"), _("Topic"), _("Minutes"), _("Worker")], self)
        self.view = table(self.model, stretch=2)
        self.view.setObjectName("journal-list")
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_entry(current.row()))
        self.detail = QLabel("")
        self.detail.setObjectName("journal-detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(quick)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)
        self.setTabOrder(self.text, self.save_button)
        self._reset_time()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if watched is self.text and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.save()
                return True
        return super().eventFilter(watched, event)

    def _reset_time(self) -> None:
        now = self.ctx.now().astimezone()
        stamp = QDateTime.fromSecsSinceEpoch(int(now.timestamp()) // 60 * 60, QTimeZone.systemTimeZone())
        self.when.setDateTime(stamp)

    def focus_quick_add(self) -> None:
        if not self.text.toPlainText().strip():
            self._reset_time()
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # loading
    def fetch(self) -> list[client_file.JournalLine]:
        return client_file.journal(self.ctx, self.client_id)

    def show_data(self, lines: list[client_file.JournalLine]) -> None:
        self.lines = lines
        rows = [(moment_text(line.occurred_at), label("journal", line.kind),
                 ("↺ " if line.corrects else "") + line.topic, or_dash(line.duration_minutes), or_dash(line.worker))
                for line in lines]
        self.model.set_rows(rows, [line.id for line in lines], {i for i, line in enumerate(lines) if line.flags})
        self.detail.clear()

    def _show_entry(self, row: int) -> None:
        if not 0 <= row < len(self.lines):
            self.detail.clear()
            return
        line = self.lines[row]
        flags = ", ".join(label("flag", f) for f in line.flags)
        parts = [line.topic, line.text or "", (_("Findings to report: {flags}").format(flags=flags) if flags else "")]
        self.detail.setText("\n\n".join(part for part in parts if part))

    # quick add
    def save(self) -> None:
        topic, text = split_entry(self.text.toPlainText())
        kind = self.kind.currentData()
        when = self.when.dateTime().toSecsSinceEpoch()
        occurred = dt.datetime.fromtimestamp(when, dt.timezone.utc)
        ctx, client_id = self.ctx, self.client_id
        self.status.clear()
        self.act(lambda: cases.record_journal_entry(ctx, client_id, occurred_at=occurred, kind=kind, topic=topic,
                                                    text=text), done=self._saved,
                 failed=self.status.setText)

    def _saved(self, _entry_id) -> None:
        self.text.clear()
        self.kind.setCurrentIndex(0)
        self._reset_time()
        self.status.setText(_("Saved. Write the next entry or switch tabs."))
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refresh()

    def clear(self) -> None:
        super().clear()
        self.lines = []
        self.model.clear()
        self.detail.clear()
        self.text.clear()
        self.status.clear()
