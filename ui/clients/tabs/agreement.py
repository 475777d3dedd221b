"""The co-operation agreement: the client's duties with their deadlines and whether each was fulfilled, and the
printed agreement for signing (``forms.agreement``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import client_file
from app.i18n import _
from ui.clients.tabs.base import ClientTab, RowsModel, date_text, label, or_dash, table
from ui.printing import preview_document


class AgreementTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.agreements: list[client_file.AgreementView] = []
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
        self.empty = QLabel(_("No co-operation agreement has been made with this client."))
        self.empty.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(choice_label)
        top.addWidget(self.choice, 1)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.problem)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

    def fetch(self) -> list[client_file.AgreementView]:
        return client_file.agreements(self.ctx, self.client_id)

    def show_data(self, agreements: list[client_file.AgreementView]) -> None:
        chosen = self.current().id if self.current() else None
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
            return
        self.state.setText(_("Signed on {date}").format(date=date_text(item.concluded_on)) if item.concluded_on
                           else _("Not signed yet"))
        today = self.ctx.today()
        self.model.set_rows(
            [(d.description, or_dash(d.deadline), label("fulfilment", d.fulfilment), or_dash(d.checked_on),
              or_dash(d.evidence)) for d in item.duties], [d.id for d in item.duties],
            {i for i, d in enumerate(item.duties) if d.fulfilment == "not_fulfilled"
             or (d.fulfilment == "pending" and d.deadline is not None and d.deadline < today)})

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
        self.agreements = []
        self.choice.clear()
        self.model.clear()
        self.state.clear()
