"""The printed — and shown — names of the store's codes, people, amounts and dates, in the current language.

Documents and screens name things the same way ("trūcīga mājsaimniecība", "23.11.2026.", "12,34 EUR"); this
module holds those names without the PDF machinery, so a screen can use them without loading reportlab.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from app.i18n import N_, current_language, gettext
from app.reports.statistics import TARGET_GROUP_LABELS

#: The printed name of each code the store keeps, by code group (translated when printed).
CODES: dict[str, dict[str, str]] = {
    "stage": {"opened": N_("opened"), "assessment": N_("assessment"), "planning": N_("planning"),
              "implementation": N_("implementation"), "evaluation": N_("evaluation"), "closed": N_("closed"),
              "monitoring": N_("monitoring after closure")},
    "plan": {"draft": N_("draft"), "active": N_("in force"), "superseded": N_("replaced by a newer version"),
             "closed": N_("closed")},
    "task": {"open": N_("to be done"), "done": N_("done"), "cancelled": N_("cancelled")},
    "goal": {"open": N_("being worked on"), "reached": N_("reached"), "not_reached": N_("not reached"),
             "dropped": N_("dropped")},
    "responsible": {"worker": N_("social worker"), "client": N_("client"), "institution": N_("institution")},
    "agreement": {"draft": N_("draft"), "signed": N_("signed"), "ended": N_("ended")},
    "fulfilment": {"pending": N_("not yet checked"), "fulfilled": N_("fulfilled"),
                   "not_fulfilled": N_("not fulfilled")},
    "client_type": {"voluntary": N_("voluntary (came by themselves)"),
                    "mandatory": N_("mandatory (reported by an institution or person)")},
    "client_status": {"active": N_("active"), "inactive": N_("inactive"), "archived": N_("archived")},
    "gender": {"female": N_("female"), "male": N_("male"), "other": N_("other")},
    "language": {"lv": N_("Latvian"), "ru": N_("Russian"), "en": N_("English"), "uk": N_("Ukrainian"),
                 "lt": N_("Lithuanian")},
    "journal": {"consultation": N_("consultation"), "phone": N_("phone call"), "visit": N_("visit"),
                "meeting": N_("meeting"), "cooperation": N_("co-operation with an institution"),
                "letter": N_("letter"), "note": N_("note")},
    "flag": {"suspected_abuse": N_("suspected abuse or neglect"), "missing_health_care": N_("missing health care")},
    "relation": {"spouse": N_("spouse"), "cohabitant": N_("partner (cohabitant)"), "parent": N_("parent"),
                 "child": N_("child"), "sibling": N_("brother or sister"), "grandparent": N_("grandparent"),
                 "grandchild": N_("grandchild"), "guardian": N_("guardian"), "ward": N_("ward"),
                 "foster_parent": N_("foster parent"), "foster_child": N_("foster child"), "other": N_("other")},
    "representative": {"guardian": N_("guardian"), "custodian": N_("custodian"),
                       "authorised": N_("authorised person")},
    "application": {"registered": N_("registered"), "in_review": N_("in review"), "decided": N_("decided"),
                    "withdrawn": N_("withdrawn")},
    "channel": {"in_person": N_("in person"), "post": N_("by post"), "registered_post": N_("by registered post"),
                "email": N_("by e-mail"), "e_address": N_("to the official e-address"), "phone": N_("by phone"),
                "oral": N_("orally"), "written": N_("in writing")},
    "decision_kind": {"grant": N_("grant"), "partial": N_("grant in part"), "refusal": N_("refusal"),
                      "amendment": N_("amendment"), "revocation": N_("revocation")},
    "decision": {"draft": N_("draft"), "submitted": N_("waiting for approval"), "returned": N_("returned"),
                 "approved": N_("approved and signed"), "issued": N_("issued")},
    "approval": {"submitted": N_("submitted for approval"), "returned": N_("returned with comments"),
                 "approved": N_("approved and signed")},
    "visit": {"planned": N_("planned"), "in_progress": N_("in progress"), "signed": N_("signed"),
              "cancelled": N_("cancelled")},
    "signature": {"signed": N_("signed by the client"), "refused": N_("the client refused to sign"),
                  "absent": N_("the client was absent")},
    "assessment": {"draft": N_("draft"), "final": N_("final")},
    "assessment_kind": {"functional": N_("functional assessment"), "risk": N_("risk-factor assessment"),
                        "basic_needs": N_("basic needs assessment"), "capacity": N_("decision-making capacity"),
                        "resources": N_("resource scale")},
    "household_status": {"needy": N_("needy household"), "low_income": N_("low-income household"),
                         "none": N_("neither needy nor low-income")},
    "referral": {"referred": N_("referred"), "active": N_("receiving the service"), "ended": N_("ended"),
                 "refused": N_("refused")},
    "complaint": {"open": N_("not answered yet"), "answered": N_("answered")},
    "contact": {"phone": N_("by phone"), "email": N_("by e-mail"), "post": N_("by post"),
                "in_person": N_("in person")},
    "target_group": TARGET_GROUP_LABELS,
}


def label(group: str, code: str | None) -> str:
    """The printed name of ``code``; an unknown code prints as it is stored, a missing one as a dash."""
    if not code:
        return "—"
    name = CODES[group].get(code)
    return gettext(name) if name else code


def labels(group: str, codes: Iterable[str] | None) -> str:
    return ", ".join(label(group, code) for code in codes or []) or "—"


def person_name(person: Any) -> str:
    return f"{person.given_name} {person.surname}" if person is not None else "—"


def user_line(user: Any) -> str:
    """A member of staff as documents name them: "Anna Kalniņa, sociālā darbiniece"."""
    if user is None:
        return "—"
    return f"{user.display_name}, {user.position}" if user.position else user.display_name


def in_language(texts: dict[str, Any] | None, fallback: str = "") -> str:
    """Text kept in several languages (a template's, the catalogue's) in the current language: Latvian when a
    translation is missing, then ``fallback``, then whatever language it has."""
    texts = texts or {}
    return texts.get(current_language()) or texts.get("lv") or fallback or next(iter(texts.values()), "")


def text_or_dash(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def moment_text(at: dt.datetime | None) -> str:
    """A stored UTC moment in the laptop's local time, as documents print it: 23.11.2026. 14:05."""
    return at.astimezone().strftime("%d.%m.%Y. %H:%M") if at else "—"


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    until = date_text(end) if end else gettext(N_("no end date"))
    return f"{date_text(start)} – {until}"


def date_text(day: dt.date | None) -> str:
    """A date as Latvian documents print it: 23.11.2026."""
    return day.strftime("%d.%m.%Y.") if day else "—"


def euros(cents: int | None) -> str:
    """An amount in cents as euros with a decimal comma: 1234 → 12,34 EUR."""
    if cents is None:
        return "—"
    return f"{cents // 100},{cents % 100:02d} EUR"
