"""The verification seal printed on issued decisions and signed reports: a QR code with the signed token and the
short code beside it (:mod:`app.attestation` makes both; :mod:`forms.verification` checks a document against them).
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.barcode.qrencoder import QRAlphaNum
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app import attestation
from app.i18n import _
from forms.pdf import SERIF, Styles, para

QR_SIZE = 36 * mm


def qr_drawing(token: str, size: float = QR_SIZE) -> Drawing:
    """The token as a QR code (alphanumeric mode: the token is upper-case base 32), error correction M."""
    widget = QrCodeWidget([QRAlphaNum(token)], barLevel="M", barBorder=2, barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def seal_flowable(seal: attestation.Seal, st: Styles) -> KeepTogether:
    """QR code and short code, with one sentence on how to check them."""
    code = para(_("Verification code: {code}").format(code=seal.code), st.label)
    if seal.token:
        how = para(_("The QR code holds the signed content of this document. Check it with the command "
                     "“lieta verify”, or ask the social service to confirm the code."), st.small)
        table = Table([[qr_drawing(seal.token), [code, Spacer(1, 2 * mm), how]]],
                      colWidths=[QR_SIZE + 4 * mm, None])
    else:
        how = para(_("This laptop has no certificate from the central service yet: the social service confirms "
                     "this document by its code."), st.small)
        table = Table([[[code, Spacer(1, 2 * mm), how]]])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), SERIF)]))  # no unembedded Helvetica
    return KeepTogether([Spacer(1, 6 * mm), table])


def seal_for(session: Any, facts: dict[str, Any]) -> attestation.Seal:
    keys, certificate = attestation.laptop_signer(session)
    return attestation.seal(facts, keys, certificate)
