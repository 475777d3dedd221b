"""The household and the genogram: who the client lives with now, every recorded relation, and the family
drawn by the same layout the printed genogram uses (``forms.genogram``) — rendered to a PDF page in memory and
shown as an image, in the io lane so the file stays responsive."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app import client_file
from app.i18n import _
from ui import ops
from ui.clients.tabs.base import ClientTab, RowsModel, label, or_dash, table, yes_no
from ui.printing import _close_pdf, _open_pdf, preview_document

SCALE = 1.5  # pixels per point of the drawing: crisp on a 125 % screen, small enough for an old laptop


def genogram_data(ctx: Any, person_id: uuid.UUID) -> Any:
    """The family around the client, read in the store lane (the caller has checked the file is visible)."""
    from forms.genogram import genogram_data as read
    with ctx.read() as session:
        return read(session, person_id)


def genogram_image(data: Any) -> QImage:
    """The genogram drawn by ``forms.genogram`` on a PDF page in memory, rasterised (io lane)."""
    from reportlab.graphics import renderPDF

    from forms.genogram import genogram_drawing
    drawing = genogram_drawing(data, max_scale=1.0)
    buffer, document = _open_pdf(renderPDF.drawToString(drawing))
    try:
        size = document.pagePointSize(0)
        return document.render(0, QSize(round(size.width() * SCALE), round(size.height() * SCALE)))
    finally:
        _close_pdf(buffer, document)


class HouseholdTab(ClientTab):
    def __init__(self, ctx, shell, client_id) -> None:
        super().__init__(ctx, shell, client_id)
        self.address = QLabel("")
        self.address.setWordWrap(True)
        self.members = RowsModel([_("Name"), _("Date of birth"), _("Relation to the client"), _("Head of household")], self)
        self.relatives = RowsModel([_("Name"), _("Relation to the client"), _("Since"), _("Until")], self)
        self.member_view = table(self.members, stretch=0)
        self.member_view.setObjectName("member-list")
        self.relative_view = table(self.relatives, stretch=0)
        self.picture = QLabel("")
        self.picture.setObjectName("genogram")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.picture)
        self.print_button = QPushButton(_("&Print genogram…"))
        self.print_button.clicked.connect(self.print_genogram)
        self.print_button.setEnabled(False)
        lists = QWidget()
        left = QVBoxLayout(lists)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.address)
        left.addWidget(QLabel(_("Lives together with:")))
        left.addWidget(self.member_view, 1)
        left.addWidget(QLabel(_("Relations:")))
        left.addWidget(self.relative_view, 1)
        drawing = QWidget()
        right = QVBoxLayout(drawing)
        right.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Genogram")), 1)
        top.addWidget(self.print_button)
        right.addLayout(top)
        right.addWidget(scroll, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(lists)
        split.addWidget(drawing)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)

    def fetch(self) -> tuple[client_file.HouseholdView, Any]:
        view = client_file.household(self.ctx, self.client_id)
        return view, genogram_data(self.ctx, view.person_id)

    def show_data(self, data: tuple[client_file.HouseholdView, Any]) -> None:
        view, family = data
        self.address.setText(_("Address: {address}").format(address=or_dash(view.address)))
        self.members.set_rows([(m.name + (" *" if m.is_client else ""), or_dash(m.birth_date),
                                _("the client") if m.is_client else label("relation", m.relation),
                                yes_no(m.is_head)) for m in view.members])
        self.relatives.set_rows([(r.name, label("relation", r.kind), or_dash(r.since), or_dash(r.until))
                                 for r in view.relatives])
        self.print_button.setEnabled(family.has_relations)
        if not family.has_relations:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(_("No relations are recorded yet, so there is no genogram to draw."))
            return
        self.picture.setText(_("Drawing the genogram…"))
        ops.load(self, lambda: genogram_image(family), self._drawn, key="genogram", lane_name="io",
                 on_failed=self.picture.setText)

    def _drawn(self, image: QImage) -> None:
        self.picture.setText("")
        self.picture.setPixmap(QPixmap.fromImage(image))

    def print_genogram(self) -> None:
        from forms.genogram import genogram
        ctx, client_id = self.ctx, self.client_id
        preview_document(self, _("Genogram"), lambda: genogram(ctx, client_id))

    def clear(self) -> None:
        super().clear()
        self.address.clear()
        self.members.clear()
        self.relatives.clear()
        self.picture.clear()
        self.print_button.setEnabled(False)
