"""The co-operation agreement: the client's duties with their deadlines and whether each was fulfilled, and the
printed agreement for signing (``forms.agreement``). The worker makes a draft, adds the duties, prints it, records
the signature and later checks each duty (Enter on a duty); a step that does not apply is disabled with the reason
as its tooltip."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import client_file
from app.i18n import _
from ui.clients.tabs import agreement_dialogs
from ui.clients.tabs.base import ClientTab, RowsModel, date_text, label, or_dash, selected_id, table
from ui.clients.tabs.form_dialog import FormDialog
from ui.printing import preview_document


class AgreementTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.agreements: list[client_file.AgreementView] = []
        self.case_id: uuid.UUID | None = None  # the open case a new agreement belongs to
        self.wanted: uuid.UUID | None = None  # the agreement to show after the next load (one just made)
        self._making: FormDialog | None = None
        self.choice = QComboBox()
        self.choice.currentIndexChanged.connect(self._show_agreement)
        choice_label = QLabel(_("Agree&ment:"))
        choice_label.setBuddy(self.choice)
        self.state = QLabel("")
        self.print_button = QPushButton(_("&Print agreement…"))
        self.print_button.clicked.connect(self.print_agreement)
        self.print_button.setEnabled(False)
        self.model = RowsModel([_("Duty"), _("Deadline"), _("Fulfilment"), _("Checked on"), _("Evidence")], self)
        self.view = table(self.model, stretch=0)
        self.view.setObjectName("duty-list")
        self.view.activated.connect(lambda _index: self.record_fulfilment())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.new_button = QPushButton(_("&New agreement…"))
        self.new_button.clicked.connect(self.new_agreement)
        self.duty_button = QPushButton(_("Add a d&uty…"))
        self.duty_button.clicked.connect(self.add_duty)
        self.sign_button = QPushButton(_("Mark as s&igned…"))
        self.sign_button.clicked.connect(self.sign)
        self.fulfilment_button = QPushButton(_("&Fulfilment of the duty…"))
        self.fulfilment_button.clicked.connect(self.record_fulfilment)
        steps = QHBoxLayout()
        for button in (self.new_button, self.duty_button, self.sign_button, self.fulfilment_button):
            steps.addWidget(button)
        steps.addStretch(1)
        self.empty = QLabel(_("No co-operation agreement has been made with this client."))
        self.empty.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(choice_label)
        top.addWidget(self.choice, 1)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(steps)
        layout.addWidget(self.state)
        layout.addWidget(self.problem)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

        self._enable()

    def fetch(self) -> tuple[list[client_file.AgreementView], uuid.UUID | None]:
        return (client_file.agreements(self.ctx, self.client_id),
                client_file.current_case_id(self.ctx, self.client_id))

    def show_data(self, data: tuple[list[client_file.AgreementView], uuid.UUID | None]) -> None:
        agreements, self.case_id = data
        chosen = self.wanted or (self.current().id if self.current() else None)
        self.wanted = None
        self.agreements = agreements
        self.choice.blockSignals(True)
        self.choice.clear()
        for item in agreements:
            until = date_text(item.valid_to) if item.valid_to else _("no end date")
            self.choice.addItem(f"{date_text(item.valid_from)} – {until} ({label('agreement', item.status)})")
        ids = [a.id for a in agreements]
        self.choice.setCurrentIndex(ids.index(chosen) if chosen in ids else 0 if ids else -1)
        self.choice.blockSignals(False)
        self.empty.setVisible(not agreements)
        self._show_agreement()

    def current(self) -> client_file.AgreementView | None:
        index = self.choice.currentIndex()
        return self.agreements[index] if 0 <= index < len(self.agreements) else None

    def _show_agreement(self, *_args) -> None:
        item = self.current()
        self.print_button.setEnabled(item is not None and bool(item.duties))
        if item is None:
            self.model.clear()
            self.state.clear()
            self._enable()
            return
        self.state.setText(_("Signed on {date}").format(date=date_text(item.concluded_on)) if item.concluded_on
                           else _("Not signed yet"))
        today = self.ctx.today()
        self.model.set_rows(
            [(d.description, or_dash(d.deadline), label("fulfilment", d.fulfilment), or_dash(d.checked_on),
              or_dash(d.evidence)) for d in item.duties], [d.id for d in item.duties],
            {i for i, d in enumerate(item.duties) if d.fulfilment == "not_fulfilled"
             or (d.fulfilment == "pending" and d.deadline is not None and d.deadline < today)})
        self._enable()

    def why_not(self) -> dict[str, str | None]:
        """For each step: None when it applies to the chosen agreement (and duty), else why not."""
        item = self.current()
        if item is None:
            none = _("Make a new agreement first.")
            return {"duty": none, "sign": none, "fulfilment": none}
        signed = _("The agreement is already signed; make a new agreement instead.")
        draft = item.status == "draft"
        return {
            "duty": None if draft else signed,
            "sign": (signed if not draft else None if item.duties
                     else _("An agreement needs at least one co-operation duty.")),
            "fulfilment": (_("The agreement is not signed yet.") if item.status != "signed"
                           else _("Choose a duty in the list first.") if selected_id(self.view) is None else None),
        }

    def _enable(self) -> None:
        reasons = self.why_not()
        hints = {"duty": _("Add what the client undertakes to do, and by when."),
                 "sign": _("Record the day the client signed the printed agreement."),
                 "fulfilment": _("Record whether the chosen duty was fulfilled (or press Enter on it).")}
        for key, button in (("duty", self.duty_button), ("sign", self.sign_button),
                            ("fulfilment", self.fulfilment_button)):
            button.setEnabled(reasons[key] is None)
            button.setToolTip(reasons[key] or hints[key])
        self.new_button.setToolTip(_("A draft agreement; part of the open social case when there is one."))

    # steps
    def new_agreement(self) -> FormDialog:
        dialog = agreement_dialogs.create_agreement(self, self.ctx, self.client_id, self.case_id, self._made)
        self._making = dialog
        return dialog

    def _made(self) -> None:
        """Show the draft just made, so its duties can be added at once."""
        self.wanted = self._making.saved if self._making is not None else None
        self._making = None
        self.refresh()

    def add_duty(self) -> FormDialog | None:
        item = self.current()
        return agreement_dialogs.add_duty(self, self.ctx, item.id, self.refresh) if item else None

    def sign(self) -> FormDialog | None:
        item = self.current()
        return agreement_dialogs.sign_agreement(self, self.ctx, item.id, self.refresh) if item else None

    def record_fulfilment(self) -> FormDialog | None:
        item, duty_id = self.current(), selected_id(self.view)
        if item is None or duty_id is None:
            self.show_problem(_("Choose a duty in the list first."))
            return None
        duty = next(d for d in item.duties if d.id == duty_id)
        return agreement_dialogs.record_fulfilment(self, self.ctx, duty_id, self.refresh, current=duty.fulfilment,
                                                   evidence=duty.evidence or "")

    def print_agreement(self) -> None:
        item = self.current()
        if item is None:
            return
        from forms.agreement import cooperation_agreement
        ctx, agreement_id = self.ctx, item.id
        preview_document(self, _("Co-operation agreement"),
                         lambda large_print=False: cooperation_agreement(ctx, agreement_id, large_print=large_print))

    def clear(self) -> None:
        super().clear()
        self.agreements, self.case_id = [], None
        self.choice.clear()
        self.model.clear()
        self.state.clear()
