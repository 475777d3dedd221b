"""The client file (issue 6 §4): everything about one client in tabs, opened over a section by
``shell.open_client(id)``.

Opening is fast and audited: the file's overview is read with the audit event of the opening
(``app.client_file.open_client_file``), then only the visible tab loads; every other tab is built and loaded
when first shown. The tabs are declared once in :data:`TABS` ("module:Class" of a ``Tab(ctx, shell, client_id)``
QWidget with ``refresh()`` and ``clear()``).
Keys: Ctrl+Tab / Ctrl+PgDn and Ctrl+Shift+Tab / Ctrl+PgUp switch tabs, Alt+underlined letter jumps to one,
Ctrl+J writes a journal entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app import client_file
from app.context import Context
from app.i18n import N_, _
from ui import ops
from ui.page import Page
from ui.shell import view_class


@dataclass(frozen=True)
class TabEntry:
    key: str
    label: str  # msgid, with the Alt mnemonic
    view: str  # "module:Class"


TABS: list[TabEntry] = [
    TabEntry("overview", N_("&Overview"), "ui.clients.tabs.overview:OverviewTab"),
    TabEntry("household", N_("&Household and genogram"), "ui.clients.tabs.household:HouseholdTab"),
    TabEntry("case", N_("&Case"), "ui.clients.tabs.case:CaseTab"),
    TabEntry("journal", N_("&Journal"), "ui.clients.tabs.journal:JournalTab"),
    TabEntry("visits", N_("Home &visits"), "ui.visits.client_tab:VisitsTab"),
    TabEntry("assessments", N_("&Assessments"), "ui.clients.tabs.assessments:AssessmentsTab"),
    TabEntry("decisions", N_("Applications and deci&sions"), "ui.decisions.client_tab:DecisionsTab"),
    TabEntry("agreement", N_("Co-operation a&greement"), "ui.clients.tabs.agreement:AgreementTab"),
    TabEntry("documents", N_("&Documents and scans"), "ui.clients.tabs.documents:DocumentsTab"),
    TabEntry("audit", N_("&Who opened this file"), "ui.clients.tabs.audit:AuditTab"),
]


class ClientFileView(Page):
    def __init__(self, ctx: Context, shell: Any, client_id: uuid.UUID) -> None:
        super().__init__(ctx, shell)
        self.client_id = client_id
        self.title = _("Client file")
        self.entries = list(TABS)
        self.views: dict[str, QWidget] = {}  # built tabs by key
        self.stale: set[str] = set()  # built tabs to load again when next shown
        self.opened = False  # the opening (audited) has been read
        self._build()

    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("client-file-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.holders: list[QWidget] = []
        for entry in self.entries:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.holders.append(holder)
            self.tabs.addTab(holder, _(entry.label))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.message = QLabel("")
        self.message.setObjectName("file-problem")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+Tab", 1), ("Ctrl+PgUp", -1), ("Ctrl+Shift+Tab", -1)):
            QShortcut(QKeySequence(keys), self, activated=lambda step=step: self.step_tab(step), context=context)
        QShortcut(QKeySequence("Ctrl+J"), self, activated=self.write_journal_entry, context=context)

    # tabs
    def step_tab(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def show_tab(self, key: str) -> QWidget | None:
        """Switch to the tab ``key`` (built and loaded if it was not yet); None when it is not in this build."""
        keys = [entry.key for entry in self.entries]
        if key not in keys:
            return None
        self.tabs.setCurrentIndex(keys.index(key))
        return self.tab(key)

    def tab(self, key: str) -> QWidget:
        """The tab ``key``, built on first use."""
        if key not in self.views:
            entry = next(e for e in self.entries if e.key == key)
            view = view_class(entry.view)(self.ctx, self.shell, self.client_id)
            self.holders[self.entries.index(entry)].layout().addWidget(view)
            self.views[key] = view
            self.stale.add(key)
        return self.views[key]

    def _tab_shown(self, index: int) -> None:
        if self.opened and 0 <= index < len(self.entries):
            self._load_tab(self.entries[index].key)

    def _load_tab(self, key: str) -> None:
        view = self.tab(key)
        if key in self.stale:
            self.stale.discard(key)
            view.refresh()

    def current_key(self) -> str | None:
        index = self.tabs.currentIndex()
        return self.entries[index].key if 0 <= index < len(self.entries) else None

    def write_journal_entry(self) -> None:
        """Ctrl+J: straight to the journal's quick entry, wherever the worker is in the file."""
        view = self.show_tab("journal")
        if view is not None and hasattr(view, "focus_quick_add"):
            view.focus_quick_add()

    # Page
    def refresh(self) -> None:
        if not self.opened:
            ops.load(self, lambda: client_file.open_client_file(self.ctx, self.client_id), self._opened,
                     key="open", on_failed=self._failed)
            return
        self.stale.update(self.views)
        ops.load(self, lambda: client_file.overview(self.ctx, self.client_id), self._titled, key="header",
                 on_failed=self._failed)
        key = self.current_key()
        if key is not None:
            self._load_tab(key)

    def _opened(self, overview: client_file.Overview) -> None:
        self.opened = True
        self._titled(overview)
        key = self.current_key()
        if key == "overview":  # the opening read just what the first tab shows: no second round trip
            view = self.tab(key)
            self.stale.discard(key)
            view.show_overview(overview)
        elif key is not None:
            self._load_tab(key)

    def _titled(self, overview: client_file.Overview) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.title = overview.name
        if self.shell is not None:
            self.shell.retitle(self)

    def _failed(self, text: str) -> None:
        """A file the user may not see (restricted) or that is gone: the reason, in place of the tabs."""
        self.message.setText(_("This client file cannot be shown.") + "\n\n" + text)
        self.stack.setCurrentWidget(self.message)

    def clear(self) -> None:
        for view in self.views.values():
            view.clear()
        self.stale.update(self.views)
        self.opened = False  # showing the file again after unlocking is a new, audited opening
        self.title = ""
        self.message.clear()
