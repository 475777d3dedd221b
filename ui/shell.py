"""The main window: a navigation list on the left, the current page on the right, the sync state below.

The sections (Today, Clients, Approvals, …) are declared once in :data:`SECTIONS`; a client file, a home visit or
a decision opens *over* its section with a back button (Alt+←), the way a worker goes from Today to a client and
back. The shell owns no data: every page loads its own through ``ui.ops`` and refreshes when ``ops.bus()``
says something changed. ``clear()`` empties every page and closes the opened ones (locking).
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QProgressBar, QPushButton, QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import ROLE_LABELS, Context
from app.i18n import N_, _
from ui import ops
from ui.page import Page


@dataclass(frozen=True)
class Section:
    key: str
    label: str  # msgid
    view: str  # "module:Class", imported when first shown
    roles: tuple[str, ...] = ()  # who sees it; empty: everyone


SECTIONS = (
    Section("today", N_("Today"), "ui.today.view:TodayView"),
    Section("clients", N_("Clients"), "ui.clients.search:ClientSearchView"),
    Section("approvals", N_("Approvals"), "ui.decisions.queue:ApprovalQueueView", ("head",)),
    Section("conflicts", N_("Sync conflicts"), "ui.conflicts.view:ConflictsView"),
    Section("reports", N_("Reports"), "ui.reports.view:ReportsView"),
    Section("settings", N_("Settings"), "ui.settings.view:SettingsView"),
)
#: what opens over a section: a client file, a home visit's checklist, a decision
OPENERS = {
    "client": "ui.clients.file_view:ClientFileView",
    "visit": "ui.visits.checklist:ChecklistView",
    "decision": "ui.decisions.editor:DecisionView",
}


def view_class(path: str) -> type:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


class Shell(QMainWindow):
    sig_lock_requested = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Lieta")
        self.sections = [s for s in SECTIONS if not s.roles or ctx.has_role(*s.roles)]
        self.pages: dict[str, Page] = {}
        self.opened: list[Page] = []  # pages opened over the current section, newest last
        self.sync = None  # the background sync (ui.sync_status.SyncController), once attached
        self._build()
        self._refresh_later = ops.Coalescer(self._refresh_current, 50, self)
        ops.bus().sig_changed.connect(self._refresh_later.request)
        ops.bus().sig_failed.connect(self.show_status)
        self.resize(1280, 720)
        self.show_section("today")

    # layout
    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.nav.setFont(font)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 8px 6px; }")
        for index, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(_(section.label))
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(f"Ctrl+{index}")
            self.nav.addItem(item)
            QShortcut(QKeySequence(f"Ctrl+{index}"), self, activated=lambda key=section.key: self.show_section(key))
        # as wide as the longest word: a long name wraps, so the pages keep the room at 125 % scaling
        self.nav.setWordWrap(True)
        advance = self.nav.fontMetrics().horizontalAdvance
        widest = max((word for s in self.sections for word in _(s.label).split()), key=advance)
        self.nav.setFixedWidth(max(120, advance(widest) + 40))
        self.nav.currentItemChanged.connect(self._nav_changed)
        self.back_button = QPushButton("← " + _("Back"))
        self.back_button.setToolTip("Alt+←")
        self.back_button.clicked.connect(self.back)
        self.heading = QLabel("")
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.stack = QStackedWidget()
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(self.stack, 1)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(body)
        QShortcut(QKeySequence("Alt+Left"), self, activated=self.back)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.find_client)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.sig_lock_requested.emit)
        self.user_label = QLabel(self._who())
        self.sync_label = QLabel("")
        self.sync_label.setObjectName("sync-state")
        self.message = QLabel("")
        lock = QPushButton(_("Lock") + "  (Ctrl+L)")
        lock.setObjectName("lock")
        lock.clicked.connect(self.sig_lock_requested.emit)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(lock)

    def _who(self) -> str:
        roles = ", ".join(_(ROLE_LABELS[r]) for r in self.ctx.roles if r in ROLE_LABELS)
        return f"{self.ctx.store.display_name or self.ctx.store.login} — {roles}"

    # navigation
    def show_section(self, key: str) -> Page | None:
        keys = [s.key for s in self.sections]
        if key not in keys:
            return None
        self._close_opened()
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(keys.index(key))
        self.nav.blockSignals(False)
        page = self.pages.get(key)
        if page is None:
            section = self.sections[keys.index(key)]
            page = self.pages[key] = view_class(section.view)(self.ctx, self)
            self.stack.addWidget(page)
        self._show(page)
        return page

    def _nav_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None:
            self.show_section(item.data(Qt.ItemDataRole.UserRole))

    def open(self, kind: str, row_id: uuid.UUID) -> Page:
        """Open a client file, a visit or a decision over the current screen (Back returns)."""
        page = view_class(OPENERS[kind])(self.ctx, self, row_id)
        self.opened.append(page)
        self.stack.addWidget(page)
        self._show(page)
        return page

    def open_client(self, client_id: uuid.UUID) -> Page:
        return self.open("client", client_id)

    def open_visit(self, visit_id: uuid.UUID) -> Page:
        return self.open("visit", visit_id)

    def open_decision(self, decision_id: uuid.UUID) -> Page:
        return self.open("decision", decision_id)

    def back(self) -> None:
        if not self.opened:
            return
        page = self.opened.pop()
        self.stack.removeWidget(page)
        page.clear()
        page.deleteLater()
        self._show(self.opened[-1] if self.opened else self.pages[self.current_section()])

    def find_client(self) -> None:
        page = self.show_section("clients")
        if page is not None and hasattr(page, "focus_search"):
            page.focus_search()

    def current_section(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "today"

    def current_page(self) -> Page | None:
        page = self.stack.currentWidget()
        return page if isinstance(page, Page) else None

    def _show(self, page: Page) -> None:
        self.stack.setCurrentWidget(page)
        self.back_button.setVisible(bool(self.opened))
        self.heading.setText(page.title)
        self.setWindowTitle(f"{page.title} — Lieta" if page.title else "Lieta")
        page.refresh()

    def retitle(self, page: Page) -> None:
        """A page whose title arrived with its data (a client's name) asks for the heading to follow."""
        if page is self.current_page():
            self.heading.setText(page.title)
            self.setWindowTitle(f"{page.title} — Lieta" if page.title else "Lieta")

    def _refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()

    def _close_opened(self) -> None:
        while self.opened:
            page = self.opened.pop()
            self.stack.removeWidget(page)
            page.clear()
            page.deleteLater()

    # sync
    def attach_sync(self, sync) -> None:
        """Show the background sync's state below, and offer "Sync now" (F5) with a busy indicator."""
        self.sync = sync
        busy = QProgressBar()
        busy.setRange(0, 0)
        busy.setMaximumWidth(80)
        busy.setVisible(False)
        button = QPushButton(_("Sync now") + "  (F5)")
        button.clicked.connect(sync.sync_now)
        lock = self.statusBar().findChild(QPushButton, "lock")
        for widget in (self.sync_label, lock):  # order: busy, state, Sync now, Lock
            self.statusBar().removeWidget(widget)
        for widget in (busy, self.sync_label, button, lock):
            self.statusBar().addPermanentWidget(widget)
            widget.setVisible(widget is not busy)
        QShortcut(QKeySequence("F5"), self, activated=sync.sync_now)
        sync.sig_state.connect(lambda text, _online: self.set_sync_state(text))
        sync.sig_busy.connect(busy.setVisible)
        sync.sig_busy.connect(lambda running: button.setEnabled(not running))
        sync.sig_progress.connect(self.show_status)
        sync.sig_result.connect(self.show_status)
        sync.sig_revoked.connect(self.sig_lock_requested.emit)

    # status
    def show_status(self, text: str) -> None:
        self.message.setText(text)

    def set_sync_state(self, text: str) -> None:
        self.sync_label.setText(text)

    def clear(self) -> None:
        """Locking: nothing of a client stays in any widget; opened pages go away."""
        self._close_opened()
        for page in self.pages.values():
            page.clear()
        self.message.clear()
        self.heading.clear()
