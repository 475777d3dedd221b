"""The file's first page: who the client is, who works with them, and what is open (case, tasks, visits,
decisions) — what a worker checks before picking up the phone — and where the personal details are corrected
(a new phone number, an address after moving)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from app import client_file
from app.i18n import N_, _
from ui.clients.tabs.base import ClientTab, label, or_dash, yes_no
from ui.clients.tabs.person_dialog import EditPersonDialog, edit_person

FIELDS = (
    ("name", N_("Name")), ("personal_code", N_("Personal code")), ("birth_date", N_("Date of birth")),
    ("address", N_("Address")), ("phone", N_("Phone")), ("client_type", N_("Client type")),
    ("target_groups", N_("Target groups")), ("responsible", N_("Responsible worker")),
    ("restricted", N_("Restricted file")), ("representative", N_("Legal representative")),
    ("household_status", N_("Household status")), ("case", N_("Social case")),
    ("next_review", N_("Next review")), ("open_tasks", N_("Open tasks")),
    ("planned_visits", N_("Planned home visits")), ("pending_decisions", N_("Decisions not yet issued")),
)


class OverviewTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, caption in FIELDS:
            value = QLabel("")
            value.setObjectName(f"overview-{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(_(caption) + ":", value)
        self.edit_button = QPushButton(_("&Edit personal details…"))
        self.edit_button.setObjectName("edit-person")
        self.edit_button.setToolTip(_("Name, personal code, date of birth, gender, address and phone"))
        self.edit_button.clicked.connect(self.edit_person)
        self.edit_button.setEnabled(False)  # until the file is read (a file the user may not see stays shut)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.edit_button)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(actions)
        inner.addWidget(self.problem)
        inner.addLayout(form)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def fetch(self) -> client_file.Overview:
        return client_file.overview(self.ctx, self.client_id)

    def show_overview(self, overview: client_file.Overview) -> None:
        """The overview read while opening the file (see ``ClientFileView``)."""
        self._loaded(overview)

    def show_data(self, o: client_file.Overview) -> None:
        status = "—"
        if o.household_status:
            status = _("{status} until {date}").format(status=label("household_status", o.household_status),
                                                       date=or_dash(o.household_status_until))
        representative = "—"
        if o.representative:
            representative = f"{o.representative} ({label('representative', o.representative_kind)})"
        texts = {
            "name": o.name, "personal_code": or_dash(o.personal_code), "birth_date": or_dash(o.birth_date),
            "address": or_dash(o.address), "phone": or_dash(o.phone),
            "client_type": label("client_type", o.client_type),
            "target_groups": ", ".join(label("target_group", g) for g in o.target_groups) or "—",
            "responsible": or_dash(o.responsible), "restricted": yes_no(o.restricted),
            "representative": representative, "household_status": status,
            "case": label("stage", o.case_stage) if o.case_stage else _("no open social case"),
            "next_review": or_dash(o.next_review_on), "open_tasks": str(o.open_tasks),
            "planned_visits": str(o.planned_visits), "pending_decisions": str(o.pending_decisions),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.edit_button.setEnabled(True)

    def edit_person(self) -> EditPersonDialog:
        return edit_person(self, self.ctx, self.client_id, self.refresh)

    def clear(self) -> None:
        super().clear()
        for value in self.values.values():
            value.clear()
        self.edit_button.setEnabled(False)
