"""The verification seal printed on issued decisions and signed reports: a QR code with the signed token and the
short code beside it (:mod:`app.attestation` makes both; :mod:`forms.verification` checks a document against them).
"""

from __future__ import annotations

import functools
from typing import Any

import zxingcpp
from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app import attestation
from app.i18n import _
from forms.pdf import SERIF, Styles, para

QR_SIZE = 36 * mm
QUIET_MODULES = 2  # the white margin a reader needs, in modules (the table cell adds more)


@functools.lru_cache(maxsize=64)
def qr_modules(token: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules, error correction M (zxing-cpp: ~2 ms where reportlab's pure-Python encoder
    takes ~120 ms for a token this long); cached, so a reprint or a re-layout reuses it."""
    code = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    rows = memoryview(code.to_image(scale=1, add_quiet_zones=False)).tolist()
    return tuple(tuple(value == 0 for value in row) for row in rows)


class QrCode(Flowable):
    """The token as a QR code: a one-bit image, one pixel per module, scaled up without smoothing (a few
    hundred bytes in the PDF and ~1 ms to place, where drawing each module as a shape costs tens of ms)."""

    def __init__(self, token: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.token, self.width, self.height = token, size, size

    def draw(self) -> None:
        self.canv.drawImage(qr_image(self.token), 0, 0, self.width, self.height)


@functools.lru_cache(maxsize=64)
def qr_image(token: str) -> ImageReader:
    modules = qr_modules(token)
    side = len(modules) + 2 * QUIET_MODULES
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if (0 <= r - QUIET_MODULES < len(modules) and 0 <= c - QUIET_MODULES < len(modules)
                         and modules[r - QUIET_MODULES][c - QUIET_MODULES]) else 1
                   for r in range(side) for c in range(side)])
    return ImageReader(image.convert("L"))


def seal_flowable(seal: attestation.Seal, st: Styles) -> KeepTogether:
    """The seal on its own, below the signatures."""
    return KeepTogether([Spacer(1, 6 * mm), _seal_table(seal, st)])


def beside_signature(block: list, seal: attestation.Seal, st: Styles) -> Table:
    """The signature block with the seal to its right: a one-page letter stays one page."""
    table = Table([[block, _seal_table(seal, st)]], colWidths=["40%", "60%"])
    table.setStyle(_PLAIN)
    return table


_PLAIN = TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("FONTNAME", (0, 0), (-1, -1), SERIF)])  # no unembedded Helvetica


def _seal_table(seal: attestation.Seal, st: Styles) -> Table:
    """QR code and short code, with one sentence on how to check them."""
    code = para(_("Verification code: {code}").format(code=seal.code), st.label)
    if seal.token:
        how = para(_("The QR code holds the signed content of this document. Check it with the command "
                     "“lieta verify”, or ask the social service to confirm the code."), st.small)
        table = Table([[QrCode(seal.token), [code, Spacer(1, 2 * mm), how]]],
                      colWidths=[QR_SIZE + 4 * mm, None])
    else:
        how = para(_("This laptop has no certificate from the central service yet: the social service confirms "
                     "this document by its code."), st.small)
        table = Table([[[code, Spacer(1, 2 * mm), how]]])
    table.setStyle(_PLAIN)
    return table


def seal_for(session: Any, facts: dict[str, Any]) -> attestation.Seal:
    keys, certificate = attestation.laptop_signer(session)
    return attestation.seal(facts, keys, certificate)
