"""The client file's "Applications and decisions" tab: what the client applied for and when the decision is due,
the decisions with their state, and the actions that move an application on — register, means test, draft."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app import assistance, decisions
from app.context import Context
from app.i18n import _
from ui import ops
from ui.decisions.dialogs import ActionDialog, DraftDecisionDialog, MeansTestDialog, RegisterApplicationDialog
from ui.decisions.model import application_columns, decision_columns
from ui.widgets.table import RowsModel, table_view


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


class DecisionsTab(QWidget):
    """Built as ``DecisionsTab(ctx, shell, client_id)``; the client file calls ``refresh()`` and ``clear()``."""

    def __init__(self, ctx: Context, shell: Any, client_id: uuid.UUID) -> None:
        super().__init__()
        self.ctx, self.shell, self.client_id = ctx, shell, client_id
        self.benefits: list[assistance.Benefit] = []
        self.benefit_names: dict[str, dict[str, str]] = {}
        self.household_size: int | None = None
        self.dialog: ActionDialog | None = None
        self.applications = RowsModel(application_columns(lambda: self.benefit_names), self)
        self.decisions = RowsModel(decision_columns(lambda: self.benefit_names), self)
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        self.application_table = table_view(self.applications, stretch=self.applications.columnCount() - 1)
        self.application_table.setObjectName("applications")
        self.decision_table = table_view(self.decisions, stretch=self.decisions.columnCount() - 1)
        self.decision_table.setObjectName("decisions")
        self.register_button = QPushButton(_("&Register an application…"))
        self.means_button = QPushButton(_("&Means test…"))
        self.draft_button = QPushButton(_("&Draft a decision…"))
        self.open_button = QPushButton(_("&Open the decision"))
        self.register_button.clicked.connect(self.register_application)
        self.means_button.clicked.connect(self.means_test)
        self.draft_button.clicked.connect(self.draft_decision)
        self.open_button.clicked.connect(self.open_decision)
        self.decision_table.activated.connect(lambda _index: self.open_decision())
        self.application_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.decision_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        application_buttons = QHBoxLayout()
        for button in (self.register_button, self.means_button, self.draft_button):
            application_buttons.addWidget(button)
        application_buttons.addStretch(1)
        decision_buttons = QHBoxLayout()
        decision_buttons.addWidget(self.open_button)
        decision_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        label = heading(_("&Applications"))
        label.setBuddy(self.application_table)
        layout.addWidget(label)
        layout.addWidget(self.application_table, 1)
        layout.addLayout(application_buttons)
        label = heading(_("Decisio&ns"))
        label.setBuddy(self.decision_table)
        layout.addWidget(label)
        layout.addWidget(self.decision_table, 1)
        layout.addLayout(decision_buttons)
        layout.addWidget(self.status)

    # data
    def refresh(self) -> None:
        ctx, client = self.ctx, self.client_id

        def work() -> tuple:
            return (assistance.benefits(ctx), assistance.applications_of_client(ctx, client),
                    decisions.decisions_of_client(ctx, client), assistance.household_size_of(ctx, client))
        ops.load(self, work, self._show, key="decisions-tab", on_failed=self.status.setText)

    def _show(self, loaded: tuple) -> None:
        benefits, applications, decision_lines, size = loaded
        self.benefits, self.household_size = benefits, size
        self.benefit_names = {b.code: b.name for b in benefits}
        selected_application = self._selected(self.application_table, self.applications)
        selected_decision = self._selected(self.decision_table, self.decisions)
        self.applications.set_rows(applications)
        self.decisions.set_rows(decision_lines)
        self._reselect(self.application_table, self.applications, selected_application)
        self._reselect(self.decision_table, self.decisions, selected_decision)
        self.status.setText("" if applications or decision_lines else _("No applications or decisions yet."))
        self._update_buttons()

    def clear(self) -> None:
        """Locking: the lists and any open dialog go; nothing of the client remains."""
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog.deleteLater()
            self.dialog = None
        self.applications.clear()
        self.decisions.clear()
        self.household_size = None
        self.status.clear()
        self._update_buttons()

    # selection
    @staticmethod
    def _selected(view: QTableView, model: RowsModel) -> Any | None:
        rows = view.selectionModel().selectedRows()
        return model.row_at(rows[0]) if rows else None

    @staticmethod
    def _reselect(view: QTableView, model: RowsModel, previous: Any | None) -> None:
        if previous is None:
            return
        for number, row in enumerate(model.rows):
            if row.id == previous.id:
                view.selectRow(number)
                return

    def selected_application(self) -> assistance.ApplicationLine | None:
        return self._selected(self.application_table, self.applications)

    def selected_decision(self) -> decisions.DecisionLine | None:
        return self._selected(self.decision_table, self.decisions)

    def _update_buttons(self) -> None:
        application = self.selected_application()
        open_ = application is not None and application.status in assistance.OPEN_APPLICATION_STATUSES
        self.register_button.setEnabled(bool(self.benefits))
        self.means_button.setEnabled(open_)
        self.draft_button.setEnabled(open_)
        self.open_button.setEnabled(self.selected_decision() is not None)

    # actions
    def _open_dialog(self, dialog: ActionDialog) -> ActionDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.sig_done.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    def register_application(self) -> ActionDialog | None:
        if not self.benefits:
            return None
        return self._open_dialog(RegisterApplicationDialog(self.ctx, self.client_id, self.benefits, self))

    def means_test(self) -> ActionDialog | None:
        application = self.selected_application()
        if application is None or not self.means_button.isEnabled():
            return None
        return self._open_dialog(MeansTestDialog(self.ctx, application, self.household_size, self))

    def draft_decision(self) -> ActionDialog | None:
        application = self.selected_application()
        if application is None or not self.draft_button.isEnabled():
            return None
        dialog = self._open_dialog(DraftDecisionDialog(self.ctx, self.client_id, application.id, self))
        dialog.sig_done.connect(self._open_new)
        return dialog

    def _open_new(self, decision_id: uuid.UUID) -> None:
        if self.shell is not None:
            self.shell.open_decision(decision_id)

    def open_decision(self) -> None:
        decision = self.selected_decision()
        if decision is not None and self.shell is not None:
            self.shell.open_decision(decision.id)

    def texts(self) -> str:
        """Everything the tab shows (tests check that locking leaves nothing)."""
        cells = [cell for model in (self.applications, self.decisions) for row in model.texts() for cell in row]
        return "\n".join([*cells, self.status.text()])
