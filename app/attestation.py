"""Verification codes for issued documents: is this letter genuine, and does it say what was decided?

A decision is often issued on a laptop that has been offline for days, so the service's private key cannot
sign it there. Instead the service **certifies each laptop's signing key** (a :class:`DeviceCertificate`, given
at enrolment and renewed at every sign-in) and the laptop signs the document's *facts* with that key. The chain
service key → laptop key → facts is what "signed by the service's key" means here: a verifier needs only the
service's public key, which every enrolled laptop holds and an inspector can be given.

* The **token** (in the QR code) carries the facts, the laptop's certificate and the signature:
  :func:`verify_token` checks it offline and returns the facts to compare with the paper.
* The **short code** (printed under the QR code, readable over the phone) is a fingerprint of the facts:
  whoever holds the store finds the document by it.

Facts are plain values computed the same way on a laptop (from ORM rows) and on the service (from its JSON
records), so both sides agree byte for byte: a changed amount, name, date or text gives other facts, another
fingerprint and a signature that no longer matches.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from app.signing import KEY_BYTES, SIGNATURE_BYTES, KeyPair, PublicKeys, verify_ed25519, verify_signature
from storage.errors import N_, LietaError
from storage.models import SyncState, User

TOKEN_PREFIX = "LIETA1:"
_TOKEN_BODY = re.compile(r"^[A-Z2-7]+$")
_CERT_PREFIX = "lieta-cert-v1:"
_CERT_CONTEXT = b"lieta-device-certificate-v1\x00"
_DOCUMENT_CONTEXT = b"lieta-document-v1\x00"
_CERT_BODY = struct.Struct(f">16s{KEY_BYTES}sI")  # device id, its Ed25519 key, certified on (days since 1970)
_EPOCH = dt.date(1970, 1, 1)
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U to misread
_FACT = re.compile(r"^[a-z_]{1,12}$")

#: how each fact is named to a reader (the verifier lists them to compare with the paper)
FACT_LABELS = {
    "doc": N_("document"), "id": N_("record"), "number": N_("number"), "date": N_("date"), "kind": N_("kind"),
    "name": N_("addressee"), "amount": N_("amount"), "from": N_("from"), "to": N_("until"),
    "benefit": N_("benefit"), "text": N_("text"), "worker": N_("worker"), "signed": N_("signed on"),
}


class NotGenuine(LietaError):
    """The token does not check out: damaged, altered, or signed by a key the service never certified."""

    code = "not_genuine"
    msgid = N_("This is NOT a genuine, unaltered Lieta document: {reason_msg}.")


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


@dataclass(frozen=True)
class DeviceCertificate:
    """The service's word that ``signing_public`` is the signing key of the enrolled laptop ``device_id``."""

    device_id: uuid.UUID
    signing_public: bytes
    certified_on: dt.date
    signature: bytes

    def body(self) -> bytes:
        return _CERT_BODY.pack(self.device_id.bytes, self.signing_public, _days(self.certified_on))

    def to_text(self) -> str:
        return _CERT_PREFIX + base64.urlsafe_b64encode(self.body() + self.signature).decode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> DeviceCertificate:
        if len(raw) != _CERT_BODY.size + SIGNATURE_BYTES:
            raise NotGenuine(reason_msg=N_("the code is damaged or incomplete"))
        device, key, days = _CERT_BODY.unpack(raw[:_CERT_BODY.size])
        return cls(uuid.UUID(bytes=device), key, _EPOCH + dt.timedelta(days=days), raw[_CERT_BODY.size:])

    @classmethod
    def from_text(cls, text: str) -> DeviceCertificate:
        if not text.startswith(_CERT_PREFIX):
            raise NotGenuine(reason_msg=N_("the code is damaged or incomplete"))
        try:
            raw = base64.urlsafe_b64decode(text[len(_CERT_PREFIX):])
        except ValueError:
            raise NotGenuine(reason_msg=N_("the code is damaged or incomplete")) from None
        return cls.from_bytes(raw)

    def checks_out(self, service: PublicKeys) -> bool:
        return verify_signature(service, _CERT_CONTEXT + self.body(), self.signature)


def certify_device(service_keys: KeyPair, device_id: uuid.UUID, device_public: PublicKeys,
                   on: dt.date) -> DeviceCertificate:
    """The service signs a laptop's signing key (at enrolment and at each sign-in)."""
    body = _CERT_BODY.pack(device_id.bytes, device_public.signing_public, _days(on))
    return DeviceCertificate(device_id, device_public.signing_public, on, service_keys.sign(_CERT_CONTEXT + body))


# -- facts ----------------------------------------------------------------------------------------------------------
def _get(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def _day(value: Any) -> str | None:
    """A date as ISO text whether it comes from the ORM (a date) or the service's JSON (already text)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def text_digest(*texts: Any) -> str:
    """A digest of free text that ignores how lines were wrapped (only the words and their order count)."""
    words = " ".join(" ".join(str(t or "").split()) for t in texts)
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def decision_facts(decision: Any, person: Any) -> dict[str, Any]:
    """What an issued decision letter states; ``decision`` and ``person`` are rows or the service's JSON fields."""
    return {"doc": "decision", "id": str(_get(decision, "id")), "number": _get(decision, "number"),
            "date": _day(_get(decision, "issued_on")), "kind": _get(decision, "kind"),
            "name": f"{_get(person, 'given_name')} {_get(person, 'surname')}",
            "amount": _get(decision, "amount_cents"), "from": _day(_get(decision, "period_from")),
            "to": _day(_get(decision, "period_to")), "benefit": _get(decision, "benefit_code"),
            "text": text_digest(_get(decision, "operative_part"), _get(decision, "reasons"))}


def visit_facts(visit: Any, person: Any, worker_name: str) -> dict[str, Any]:
    """What a signed home-visit report states."""
    return {"doc": "home_visit", "id": str(_get(visit, "id")), "date": _day(_get(visit, "visited_at")),
            "name": f"{_get(person, 'given_name')} {_get(person, 'surname')}", "worker": worker_name,
            "signed": _day(_get(visit, "signed_at")),
            "text": text_digest(_get(visit, "findings"), _get(visit, "risks"), _get(visit, "recommendations"))}


def canonical(facts: dict[str, Any]) -> bytes:
    if not all(isinstance(k, str) and _FACT.match(k) for k in facts):
        raise ValueError("fact names are short lowercase words")
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def short_code(facts: dict[str, Any]) -> str:
    """A 60-bit fingerprint of the facts as ``XXXX-XXXX-XXXX`` (Crockford base 32: easy to read out)."""
    number = int.from_bytes(hashlib.sha256(b"lieta-code\x00" + canonical(facts)).digest()[:8], "big") >> 4
    chars = "".join(_CODE_ALPHABET[(number >> shift) & 31] for shift in range(55, -1, -5))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalise_code(text: str) -> str:
    """What a person typed (lower case, O for 0, I/L for 1, no dashes) as the printed form."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}" if len(cleaned) == 12 else cleaned


# -- sealing and verifying --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seal:
    """What a document prints: the short code always, the token (QR) when this laptop holds a certificate."""

    code: str
    token: str | None


@dataclass(frozen=True)
class Verdict:
    facts: dict[str, Any]
    code: str
    device_id: uuid.UUID
    certified_on: dt.date


def seal(facts: dict[str, Any], keys: KeyPair | None, certificate: DeviceCertificate | None) -> Seal:
    """Sign the facts with this laptop's key (Ed25519 is deterministic: a reprint gives the same token)."""
    code = short_code(facts)
    if keys is None or certificate is None or certificate.signing_public != keys.signing_public:
        return Seal(code, None)
    packed = zlib.compress(canonical(facts), 9)
    raw = (bytes([1]) + struct.pack(">H", len(packed)) + packed + certificate.body() + certificate.signature
           + keys.sign(_DOCUMENT_CONTEXT + canonical(facts)))
    return Seal(code, TOKEN_PREFIX + base64.b32encode(raw).decode("ascii").rstrip("="))


def verify_token(token: str, service: PublicKeys) -> Verdict:
    """The facts of a genuine token; :class:`NotGenuine` for a damaged, altered or foreign one."""
    text = "".join(token.split()).upper()
    if not text.startswith(TOKEN_PREFIX) or not _TOKEN_BODY.match(text[len(TOKEN_PREFIX):]):
        raise NotGenuine(reason_msg=N_("the code is damaged or incomplete"))
    body = text[len(TOKEN_PREFIX):]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
        if raw[0] != 1:
            raise ValueError("version")
        (length,) = struct.unpack(">H", raw[1:3])
        packed, rest = raw[3:3 + length], raw[3 + length:]
        certificate = DeviceCertificate.from_bytes(rest[:_CERT_BODY.size + SIGNATURE_BYTES])
        signature = rest[_CERT_BODY.size + SIGNATURE_BYTES:]
        facts_bytes = zlib.decompress(packed)
        facts = json.loads(facts_bytes)
    except (ValueError, IndexError, struct.error, zlib.error, NotGenuine):
        raise NotGenuine(reason_msg=N_("the code is damaged or incomplete")) from None
    if len(signature) != SIGNATURE_BYTES or not isinstance(facts, dict):
        raise NotGenuine(reason_msg=N_("the code is damaged or incomplete"))
    if not certificate.checks_out(service):
        raise NotGenuine(reason_msg=N_("it was not signed by a laptop this social service certified"))
    if canonical(facts) != facts_bytes or not verify_ed25519(certificate.signing_public,
                                                             _DOCUMENT_CONTEXT + facts_bytes, signature):
        raise NotGenuine(reason_msg=N_("its content does not match its signature"))
    return Verdict(facts, short_code(facts), certificate.device_id, certificate.certified_on)


# -- this laptop's keys -----------------------------------------------------------------------------------------
def laptop_signer(session: Any) -> tuple[KeyPair | None, DeviceCertificate | None]:
    """This laptop's signing key and its certificate, or Nones on a laptop not (yet) certified by a service."""
    state = session.get(SyncState, 1)
    if state is None or not state.device_certificate:
        return None, None
    return KeyPair.from_text(state.device_keys), DeviceCertificate.from_text(state.device_certificate)


def service_public_key(session: Any) -> PublicKeys | None:
    """The service's public keys as pinned at enrolment (what an offline verification trusts)."""
    state = session.get(SyncState, 1)
    return PublicKeys.from_text(state.server_keys) if state is not None else None


def user_name(session: Any, user_id: Any) -> str:
    """A signer's name as facts state it (the service reads the same ``display_name`` from its users)."""
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else ""
