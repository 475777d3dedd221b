"""Who opened this file: every opening, print and export of the client's file — who, when, what (ARCHITECTURE.md
rule 8). The worker can answer the client's question "who has looked at my file?"."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from app import client_file
from app.i18n import N_, _
from ui.clients.tabs.base import ClientTab, RowsModel, moment_text, or_dash, table

ACTIONS = {"open_client": N_("opened the file"), "open_attachment": N_("opened a document"),
           "print": N_("printed"), "export": N_("exported"), "search_restricted": N_("found in a search"),
           "client_data_report": N_("made a personal data report")}
DOCUMENTS = {"decision_letter": N_("decision letter"), "intervention_plan": N_("intervention plan"),
             "cooperation_agreement": N_("co-operation agreement"), "client_card": N_("client card"),
             "genogram": N_("genogram"), "client_data_report": N_("personal data report"),
             "assessment_report": N_("assessment"), "home_visit_report": N_("home-visit report")}


def what(line: client_file.AuditLine) -> str:
    action = _(ACTIONS[line.action]) if line.action in ACTIONS else line.action
    if line.document:
        document = _(DOCUMENTS[line.document]) if line.document in DOCUMENTS else line.document
        return f"{action}: {document}"
    return action


class AuditTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.model = RowsModel([_("When"), _("Who"), _("What")], self)
        self.view = table(self.model, stretch=2)
        self.view.setObjectName("audit-list")
        note = QLabel(_("Every opening, print and export of this file is recorded and cannot be changed."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)

    def fetch(self) -> list[client_file.AuditLine]:
        return client_file.audit_trail(self.ctx, self.client_id)

    def show_data(self, lines: list[client_file.AuditLine]) -> None:
        self.model.set_rows([(moment_text(line.at), or_dash(line.user), what(line)) for line in lines])

    def clear(self) -> None:
        super().clear()
        self.model.clear()
