"""Clients: search as you type (name, personal code or address, with or without diacritics) and open a file.

Every keystroke starts a search in the store lane; a newer keystroke makes the older search moot (it is skipped
if it has not started, and its result is dropped if it has), so typing never waits for the store. The results are
a small table model (the service returns at most :data:`LIMIT` rows; "keep typing" says when more match).
Keyboard: type, ↓ into the results, Enter opens, Esc back to the search field, Ctrl+N new client.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
)

from app.i18n import _
from app.search import SearchHit, SearchResult, search_clients
from forms.labels import date_text
from ui import ops
from ui.page import Page
from ui.widgets.table import Column, RowsModel

LIMIT = 100


def _name(hit: SearchHit) -> str:
    name = f"{hit.surname}, {hit.given_name}"
    return _("{name} (restricted)").format(name=name) if hit.restricted else name


def hits_model() -> RowsModel:
    return RowsModel([Column(_("Surname, name"), _name),
                      Column(_("Personal code"), lambda hit: hit.personal_code or ""),
                      Column(_("Date of birth"), lambda hit: date_text(hit.birth_date) if hit.birth_date else ""),
                      Column(_("Address"), lambda hit: hit.address or "")])


class ClientSearchView(Page):
    def __init__(self, ctx, shell) -> None:
        super().__init__(ctx, shell)
        self.title = _("Clients")
        self.query = QLineEdit()
        self.query.setObjectName("client-search")
        self.query.setPlaceholderText(_("Search by name, personal code or address (Ctrl+F)"))
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self.open_first)
        self.new_button = QPushButton(_("&New client…"))
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_client)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_client)
        self.model = hits_model()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # fixed starting widths (the user may drag them): measuring every row's text at each keystroke costs more
        # than the search itself on an old laptop
        char = self.table.fontMetrics().averageCharWidth()
        for column, chars in enumerate((34, 15, 13)):
            self.table.setColumnWidth(column, char * chars)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self.open_row)
        self.table.doubleClicked.connect(self.open_row)
        self.query.installEventFilter(self)
        self.table.installEventFilter(self)
        self.status = QLabel(_("Type a few letters of the name, the personal code or the address."))
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._latest = ""
        self.setFocusProxy(self.query)

    # searching
    def search(self, text: str) -> None:
        self._latest = text
        if not text.strip():
            self.show_result(SearchResult([], True))
            return

        def work() -> SearchResult | None:
            if text != self._latest:  # a newer keystroke arrived before this search started
                return None
            return search_clients(self.ctx, text, limit=LIMIT)

        ops.load(self, work, self.show_result, key="search")

    def show_result(self, result: SearchResult | None) -> None:
        if result is None:
            return
        self.model.set_rows(list(result))
        if self.model.rows:
            self.table.selectRow(0)
        if not self.query.text().strip():
            self.status.setText(_("Type a few letters of the name, the personal code or the address."))
        elif not result.complete:
            self.status.setText(_("More clients match: type more of the name, personal code or address."))
        elif not result.hits:
            self.status.setText(_("No client matches. Check the spelling, or register a new client (Ctrl+N)."))
        else:
            self.status.setText(_("{count} clients found. ↓ to choose, Enter to open.").format(count=len(result)))

    def refresh(self) -> None:
        if self.query.text().strip():
            self.search(self.query.text())
        self.focus_search()

    # opening
    def open_row(self, index: QModelIndex) -> None:
        if index.isValid() and self.shell is not None:
            self.shell.open_client(self.model.rows[index.row()].client_id)

    def open_first(self) -> None:
        if self.model.rows:
            row = self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0
            self.open_row(self.model.index(row, 0))

    def new_client(self) -> None:
        from ui.clients.new_client import NewClientDialog

        dialog = NewClientDialog(self.ctx, self, initial=self.query.text())
        dialog.sig_open_client.connect(lambda client_id: self.shell and self.shell.open_client(client_id))
        dialog.open()

    def focus_search(self) -> None:
        self.query.setFocus()
        self.query.selectAll()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == event.Type.KeyPress:
            if watched is self.query and event.key() == Qt.Key.Key_Down and self.model.rows:
                self.table.setFocus()
                self.table.selectRow(max(0, self.table.currentIndex().row()))
                return True
            if watched is self.table and event.key() == Qt.Key.Key_Escape:
                self.focus_search()
                return True
            if watched is self.table and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_row(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def clear(self) -> None:
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self._latest = ""
        self.model.set_rows([])
        self.status.clear()
