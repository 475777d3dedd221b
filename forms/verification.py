"""Checking a document in hand against its verification seal (:mod:`forms.seal`, :mod:`app.attestation`).

The token must be genuine (offline, with the service's public key) and the paper must state the signed facts in
the document's own phrases (in any of its languages) — a changed amount or name shows up as that field.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import select

from app import attestation
from app.access import can_see
from app.context import Context
from app.i18n import LANGUAGES
from storage.errors import N_, LietaError
from storage.models import Client, Decision, HomeVisit, Person
from forms import decision_letter, home_visit

#: each sealed document kind → where it states its facts: fact → (phrase in a language, placeholder values)
STATING: dict[str, Callable[[dict[str, Any], str], dict[str, tuple[str, dict[str, str]]]]] = {
    "decision": decision_letter.stated_facts,
    "home_visit": home_visit.stated_facts,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _squeeze(text: str) -> str:
    """Text without any whitespace: extracted PDF text wraps lines where the layout did."""
    return "".join(text.split())


def _pattern(phrase: str, values: dict[str, str]) -> str:
    """The phrase as a pattern over squeezed text: the fact's placeholders fixed, the others anything."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(phrase):
        parts.append(re.escape(_squeeze(phrase[last:match.start()])))
        value = values.get(match[1])
        parts.append(re.escape(_squeeze(value)) if value is not None else ".{0,80}?")  # within one phrase
        last = match.end()
    parts.append(re.escape(_squeeze(phrase[last:])))
    return "".join(parts)


def printed_forms(facts: dict[str, Any]) -> dict[str, set[str]]:
    """Each checkable fact → patterns of the ways the document states it (one per language it may be in)."""
    stating = STATING.get(facts.get("doc"))
    forms: dict[str, set[str]] = {}
    for language in LANGUAGES if stating else ():
        for name, (phrase, values) in stating(facts, language).items():
            forms.setdefault(name, set()).add(_pattern(phrase, values))
    return forms


def mismatches(facts: dict[str, Any], document_text: str) -> list[str]:
    """The facts the document does not state as signed (empty when the paper says what was signed)."""
    text = _squeeze(document_text)
    return [name for name, ways in printed_forms(facts).items() if not any(re.search(w, text) for w in ways)]


class UnreadablePdf(LietaError):
    code = "unreadable_pdf"
    msgid = N_("This file is not a readable PDF document; nothing was checked.")


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF in hand; a damaged or foreign file is a clear refusal, not a crash."""
    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError):
        raise UnreadablePdf() from None


@dataclass(frozen=True)
class Check:
    """The outcome of ``lieta verify``: genuine facts, and which of them the document in hand contradicts."""

    facts: dict[str, Any]
    code: str
    altered: list[str] = field(default_factory=list)
    device_id: uuid.UUID | None = None

    @property
    def ok(self) -> bool:
        return not self.altered


def check_token(token: str, service: Any, document_text: str | None = None) -> Check:
    """Offline: the token against the service's public key, then (if given) the document's text against it."""
    verdict = attestation.verify_token(token, service)
    altered = mismatches(verdict.facts, document_text) if document_text is not None else []
    return Check(verdict.facts, verdict.code, altered, verdict.device_id)


def find_by_code(ctx: Context, code: str) -> Check | None:
    """A document on this laptop whose facts have this short code (read out over the phone), or None."""
    wanted = attestation.normalise_code(code)
    with ctx.read() as session:
        for facts in _issued_facts(ctx, session):
            if attestation.short_code(facts) == wanted:
                return Check(facts, wanted)
    return None


def _issued_facts(ctx: Context, session: Any):
    decisions = select(Decision).where(Decision.deleted.is_(False), Decision.signed_at.is_not(None),
                                       Decision.status.in_(("approved", "issued")))
    for decision in session.scalars(decisions):
        person = _visible_person(ctx, session, decision.client_id)
        if person is not None:
            yield attestation.decision_facts(decision, person)
    visits = select(HomeVisit).where(HomeVisit.deleted.is_(False), HomeVisit.status == "signed")
    for visit in session.scalars(visits):
        person = _visible_person(ctx, session, visit.client_id)
        if person is not None:
            yield attestation.visit_facts(visit, person, attestation.user_name(session, visit.signed_by_user_id))


def _visible_person(ctx: Context, session: Any, client_id: uuid.UUID) -> Person | None:
    client = session.get(Client, client_id)
    return session.get(Person, client.person_id) if client is not None and can_see(ctx, client) else None
