"""Documents and scans kept encrypted in the client's file, and the file's own printouts (client card, personal
data report). A file is read from disk in the worker when added; a copy reaches the disk only when the worker
asks for it and names the file (owner-only, 0600) — and reading it is audited."""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import client_file, records
from app.i18n import N_, _
from forms.pdf import save_pdf
from ui.clients.tabs.base import ClientTab, RowsModel, moment_text, or_dash, selected_id, table
from ui.clients.tabs.form_dialog import Field, FormDialog, opened
from ui.printing import preview_document


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB".replace(".", ",")
    return f"{max(size // 1024, 1)} KiB"


class DocumentsTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.lines: list[client_file.AttachmentLine] = []
        self.person_id: uuid.UUID | None = None
        self.model = RowsModel([_("File"), _("Description"), _("Size"), _("Added"), _("By")], self)
        self.view = table(self.model, stretch=1)
        self.view.setObjectName("attachment-list")
        self.add_button = QPushButton(_("Add a scan or &file…"))
        self.add_button.clicked.connect(self.add_file)
        self.save_button = QPushButton(_("Save a cop&y…"))
        self.save_button.setToolTip(_("Write the selected document to a file you name (readable only by you)"))
        self.save_button.clicked.connect(self.save_copy)
        self.card_button = QPushButton(_("Print client ca&rd…"))
        self.card_button.clicked.connect(self.print_card)
        self.report_button = QPushButton(_("Personal data re&port…"))
        self.report_button.setToolTip(_("Everything the service keeps about this person (GDPR Art. 15)"))
        self.report_button.clicked.connect(self.print_data_report)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.card_button, self.report_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def fetch(self) -> tuple[list[client_file.AttachmentLine], uuid.UUID]:
        return (client_file.attachments(self.ctx, self.client_id), client_file.person_of(self.ctx, self.client_id))

    def show_data(self, data: tuple[list[client_file.AttachmentLine], uuid.UUID]) -> None:
        self.lines, self.person_id = data
        self.model.set_rows([(line.filename, or_dash(line.description), size_text(line.size_bytes),
                              moment_text(line.added_at), or_dash(line.added_by)) for line in self.lines],
                            [line.id for line in self.lines])

    # adding
    def add_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Add a scan or file"), "",
                                                    _("Scans and documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;"
                                                      "All files (*)"))
        if path:
            self.describe_and_add(Path(path))

    def describe_and_add(self, path: Path) -> FormDialog:
        """Ask what the document is (optional: "Izziņa no NVA" finds it again faster than a scanner's file name),
        then keep it; the dialog stays open with the reason when the file is refused (too large, empty)."""
        fields = [Field("description", N_("&Description (optional):"))]
        dialog = FormDialog(_("Add {name}").format(name=path.name), fields,
                            lambda v: self._add(path, v["description"] or None), self)
        return opened(dialog, lambda: self._done(_("Added {name}.").format(name=path.name)))

    def add_path(self, path: Path, description: str | None = None) -> None:
        """Read ``path`` in the worker and keep it in the encrypted store."""
        self.status.setText(_("Adding {name}…").format(name=path.name))
        self.act(lambda: self._add(path, description),
                 done=lambda _id: self._done(_("Added {name}.").format(name=path.name)), failed=self.status.setText)

    def _add(self, path: Path, description: str | None) -> uuid.UUID:
        """In the store lane: the file's bytes go straight from disk into the encrypted store."""
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return records.add_attachment(self.ctx, self.client_id, path.name, media, path.read_bytes(),
                                      description=description)

    # a copy on disk, on request
    def save_copy(self) -> None:
        attachment_id = selected_id(self.view)
        if attachment_id is None:
            self.status.setText(_("Choose a document in the list first."))
            return
        name = next(line.filename for line in self.lines if line.id == attachment_id)
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), name)
        if path:
            self.save_copy_to(attachment_id, Path(path))

    def save_copy_to(self, attachment_id: uuid.UUID, target: Path) -> None:
        ctx = self.ctx
        self.act(lambda: save_pdf(target, records.read_attachment(ctx, attachment_id)),
                 done=lambda _r: self._done(_("Saved {path}.").format(path=target)), failed=self.status.setText)

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.refresh()

    # printouts
    def print_card(self) -> None:
        from forms.client_card import client_card
        ctx, client_id = self.ctx, self.client_id
        preview_document(self, _("Client card"),
                         lambda large_print=False: client_card(ctx, client_id, large_print=large_print))

    def print_data_report(self) -> None:
        if self.person_id is None:
            return
        from forms.client_data import client_data_report
        ctx, person_id = self.ctx, self.person_id
        preview_document(self, _("Personal data report"),
                         lambda large_print=False: client_data_report(ctx, person_id, large_print=large_print))

    def clear(self) -> None:
        super().clear()
        self.lines, self.person_id = [], None
        self.model.clear()
        self.status.clear()
