"""What happens to a decision after it is issued: notification, entry into force, the appeal term, finality.

- **Deemed notified** (Notification Law): in person — the day signed for or refused; ordinary letter — the
  8th day from its registration as outgoing (Art. 8(2)); registered letter — the 7th day after posting
  (Art. 8(3)); e-mail or official e-address — the 2nd working day after sending (Art. 9). These are
  presumptions of fact, not terms: they are not moved off weekends.
- **Entry into force** on notification (APL Art. 70). For an adult under guardianship both the person and the
  guardian must be notified; notice to the person alone is invalid (Notification Law Art. 5(4)), so the
  decision enters into force on the later of the two.
- **Appeal term** (APL Art. 79): one month from entry into force, or one year when the decision lacks the
  where-and-within-what-term instruction; a term ending on a non-working day moves to the next working day.
- **Final** the day after the appeal term ends with no appeal recorded.

The issued decision row never changes; everything here is derived from it and its notification records.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import reference
from app.deadlines import WorkingCalendar, calendar
from storage.models import Client, Decision, DecisionNotification

ASSISTANCE = "assistance_lv"
STATES = ("not_issued", "awaiting_notification", "sent", "in_force", "final")


def deemed_notified(channel: str, *, registered_on: dt.date | None, sent_on: dt.date | None,
                    received_on: dt.date | None, cal: WorkingCalendar) -> dt.date:
    """The day the recipient is deemed notified (module docstring); ``received_on`` wins when known."""
    if channel == "in_person" or received_on is not None:
        if received_on is None:
            raise ValueError("in-person notification needs the day it was signed for")
        return received_on
    if channel == "post":
        return registered_on + dt.timedelta(days=8)
    if channel == "registered_post":
        return sent_on + dt.timedelta(days=7)
    if channel in ("email", "e_address"):
        return cal.add_working_days(sent_on, 2)
    raise ValueError(f"unknown channel {channel!r}")


def required_recipients(session: Session, decision: Decision) -> list[uuid.UUID]:
    """Whom the decision must reach: the client, and the legal representative when capacity is limited."""
    client = session.get(Client, decision.client_id)
    people = [client.person_id]
    if client.capacity_limited and client.legal_representative_id is not None:
        people.append(client.legal_representative_id)
    return people


def possible_recipients(session: Session, decision: Decision) -> list[uuid.UUID]:
    """The client and any legal representative (a child's parent or guardian) may be notified."""
    client = session.get(Client, decision.client_id)
    return [person for person in (client.person_id, client.legal_representative_id) if person is not None]


def has_appeal_instruction(decision: Decision) -> bool:
    return bool((decision.appeal_body or "").strip() and (decision.appeal_term or "").strip())


@dataclass(frozen=True)
class Timeline:
    decision_id: uuid.UUID
    state: str  # not_issued | awaiting_notification | sent (deemed notified later) | in_force | final
    issued_on: dt.date | None
    notified: dict[uuid.UUID, dt.date] = field(default_factory=dict)  # recipient person → deemed notified
    missing_recipients: tuple[uuid.UUID, ...] = ()
    in_force_on: dt.date | None = None
    appeal_until: dt.date | None = None
    final_on: dt.date | None = None


def timeline(session: Session, decision: Decision, today: dt.date) -> Timeline:
    """The decision's dates and its state on ``today``."""
    if decision.status != "issued" or decision.issued_on is None:
        return Timeline(decision.id, "not_issued", None)
    notified: dict[uuid.UUID, dt.date] = {}
    for row in session.scalars(select(DecisionNotification).where(
            DecisionNotification.decision_id == decision.id, DecisionNotification.deleted.is_(False))):
        day = row.deemed_notified_on
        if day is not None and (row.recipient_person_id not in notified or day < notified[row.recipient_person_id]):
            notified[row.recipient_person_id] = day
    required = required_recipients(session, decision)
    missing = tuple(person for person in required if person not in notified)
    if missing:
        return Timeline(decision.id, "awaiting_notification", decision.issued_on, notified, missing)
    in_force = max(notified[person] for person in required)
    appeal = reference.valid_on(reference.document(ASSISTANCE, session)["appeal"], in_force, kind=ASSISTANCE)
    months = int(appeal["months"] if has_appeal_instruction(decision) else appeal["months_without_instruction"])
    appeal_until = calendar(session).term_end(in_force, months=months)
    final_on = appeal_until + dt.timedelta(days=1)
    state = "final" if today >= final_on else "in_force" if today >= in_force else "sent"
    return Timeline(decision.id, state, decision.issued_on, notified, (), in_force, appeal_until, final_on)
