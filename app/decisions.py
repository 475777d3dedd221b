"""Decisions (DOMAIN.md §5, §8): drafted by the worker, submitted, returned with comments or approved and
signed by the head of service, then issued — after which the row is final (the outbox refuses edits) and a
correction is a new decision that amends or revokes it. What follows the issue (notification, entry into
force, the appeal term) is derived in :mod:`app.decision_timeline`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import decision_timeline, numbers
from app import validation as v
from app.access import require_casework, visible_clients_clause
from app.assistance import catalogue_entry, code, registered_person, visible_application
from app.cases import visible_client, visible_record
from app.context import Context
from app.deadlines import ADULT_AGE, age_on, calendar
from app.errors import InvalidTransition, RequiredField, ValidationError
from storage.errors import N_
from storage.models import (Agreement, Application, Client, Decision, DecisionApproval, DecisionNotification, Person,
                            User)
from storage.outbox import to_wire

NOTIFICATION_CHANNELS = ("in_person", "post", "registered_post", "email", "e_address")
DECISION_KINDS = ("grant", "partial", "refusal", "amendment", "revocation")
#: decisions that refuse or take away: always reasoned, with the appeal route (APL Art. 67, SPSPL Art. 12)
UNFAVOURABLE = ("refusal", "partial", "revocation")
CORRECTING = ("amendment", "revocation")
#: the decision's content that the hash (the letter's verification code) covers
HASHED_FIELDS = ("id", "number", "client_id", "application_id", "kind", "benefit_code", "amount_cents", "period_from",
                 "period_to", "request_summary", "participants_views", "facts", "reasons", "legal_basis",
                 "operative_part", "appeal_body", "appeal_term", "amends_decision_id", "approved_by_user_id",
                 "issued_on")

ENTITY_DECISION = N_("decision")


class IncompleteDecision(InvalidTransition):
    """A decision that lacks what the law requires of it; ``field`` names what to fill in."""

    def __init__(self, field: str, reason_msg: str) -> None:
        self.field = field
        super().__init__(reason_msg=reason_msg)


@dataclass(frozen=True)
class DecisionInput:
    """The content of a decision as the worker drafts it (the whole draft is saved at once)."""

    kind: str
    amount: object = None  # EUR as typed: "123,45"
    period_from: dt.date | str | None = None
    period_to: dt.date | str | None = None
    facts: str | None = None
    reasons: str | None = None
    legal_basis: list[str] = field(default_factory=list)
    operative_part: str | None = None
    appeal_body: str | None = None
    appeal_term: str | None = None
    amends_decision_id: uuid.UUID | None = None
    benefit_code: str | None = None
    request_summary: str | None = None
    participants_views: str | None = None


def _decision_fields(data: DecisionInput) -> dict:
    kind = v.choice(data.kind, "kind", DECISION_KINDS)
    amount = v.money_cents(data.amount, "amount", required=False)
    if kind == "refusal" and amount:
        raise ValidationError(N_("A refusal grants no amount."), field="amount")
    start = v.date(data.period_from, "period_from", required=False)
    end = v.date(data.period_to, "period_to", required=False)
    if start and end and end < start:
        raise ValidationError(N_("'{field_msg}' cannot be before the start."), field="period_to")
    if kind in CORRECTING and data.amends_decision_id is None:
        raise RequiredField(field="amends_decision_id")
    if kind not in CORRECTING and data.amends_decision_id is not None:
        raise ValidationError(N_("Only an amendment or a revocation refers to an earlier decision."),
                              field="amends_decision_id")
    if isinstance(data.legal_basis, str) or not isinstance(data.legal_basis, (list, tuple)):
        raise ValidationError(N_("'{field_msg}' must be a list of legal norms."), field="legal_basis")
    norms = [v.text(norm, "legal_basis", max_length=300) for norm in data.legal_basis]
    return {
        "kind": kind,
        "amount_cents": amount,
        "period_from": start,
        "period_to": end,
        "facts": v.text(data.facts, "facts", required=False),
        "reasons": v.text(data.reasons, "reasons", required=False),
        "legal_basis": list(dict.fromkeys(norms)),
        "operative_part": v.text(data.operative_part, "operative_part", required=False),
        "appeal_body": v.text(data.appeal_body, "appeal_body", required=False, max_length=300),
        "appeal_term": v.text(data.appeal_term, "appeal_term", required=False, max_length=300),
        "amends_decision_id": data.amends_decision_id,
        "benefit_code": code(data.benefit_code, "benefit_code") if data.benefit_code else None,
        "request_summary": v.text(data.request_summary, "request_summary", required=False),
        "participants_views": v.text(data.participants_views, "participants_views", required=False),
    }


def _check_amended(session: Session, fields: dict, client_id: uuid.UUID) -> None:
    if fields["amends_decision_id"] is None:
        return
    earlier = session.get(Decision, fields["amends_decision_id"])
    if earlier is None or earlier.deleted or earlier.client_id != client_id or earlier.status != "issued":
        raise ValidationError(N_("Only an issued decision of the same client can be amended or revoked."),
                              field="amends_decision_id")


def require_complete(decision: Decision, session: Session | None = None) -> None:
    """What APL Art. 67 asks of a written decision; unfavourable ones also give the participants' views, reasons
    and the appeal route (a fully granted request may omit them, Art. 67(7)). The institution's name and
    address come from the municipal letterhead when the letter is printed."""
    for gap in gaps(decision, session):
        raise gap


def gaps(decision: Decision, session: Session | None = None) -> list[IncompleteDecision]:
    """Everything :func:`require_complete` would refuse, all at once (the worker sees the whole list)."""
    found: list[IncompleteDecision] = []
    if session is not None:
        client = session.get(Client, decision.client_id)
        person = session.get(Person, client.person_id)
        if not (person.address or "").strip():
            found.append(IncompleteDecision("address", N_("the addressee's address is missing from the client's "
                                                          "data.")))
    if not (decision.request_summary or "").strip():
        found.append(IncompleteDecision("request_summary", N_("the decision must state what was requested.")))
    if not (decision.facts or "").strip():
        found.append(IncompleteDecision("facts", N_("the decision must state the established facts.")))
    if not decision.legal_basis:
        found.append(IncompleteDecision("legal_basis", N_("the decision must list the legal norms applied.")))
    if not (decision.operative_part or "").strip():
        found.append(IncompleteDecision("operative_part", N_("the decision must state what is granted or refused.")))
    if decision.kind in UNFAVOURABLE or decision.kind == "amendment":
        if not (decision.reasons or "").strip():
            found.append(IncompleteDecision("reasons", N_("the decision must give its reasons.")))
    if decision.kind in UNFAVOURABLE:
        if not (decision.participants_views or "").strip():
            found.append(IncompleteDecision("participants_views",
                                            N_("the decision must state the participants' views.")))
        missing = [name for name in ("appeal_body", "appeal_term") if not (getattr(decision, name) or "").strip()]
        if missing:
            found.append(IncompleteDecision(missing[0], N_("an unfavourable decision must say where and within what "
                                                           "term it can be contested.")))
    return found


def draft_decision(ctx: Context, client_id: uuid.UUID, data: DecisionInput, *,
                   application_id: uuid.UUID | None = None) -> uuid.UUID:
    """A draft decision on an application (or on the worker's own initiative, e.g. a revocation)."""
    require_casework(ctx)
    fields = _decision_fields(data)
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if application_id is not None:
            application = visible_application(ctx, session, application_id)
            if application.client_id != client.id:
                raise ValidationError(N_("The application belongs to another client."), field="application")
            fields["benefit_code"] = fields["benefit_code"] or application.benefit_code
            fields["request_summary"] = fields["request_summary"] or application.request_text
            if application.status == "registered":
                application.status = "in_review"
        _check_amended(session, fields, client.id)
        decision = Decision(client_id=client.id, application_id=application_id, status="draft",
                            drafted_by_user_id=ctx.user_id, **fields)
        session.add(decision)
        session.flush()
        return decision.id


def update_draft(ctx: Context, decision_id: uuid.UUID, data: DecisionInput) -> None:
    """Replace the content of a draft or of a decision the head returned."""
    require_casework(ctx)
    fields = _decision_fields(data)
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status not in ("draft", "returned"):
            raise InvalidTransition(reason_msg=N_("only a draft or a returned decision can be changed."))
        if decision.application_id is not None:
            application = session.get(Application, decision.application_id)
            fields["benefit_code"] = fields["benefit_code"] or application.benefit_code
            fields["request_summary"] = fields["request_summary"] or application.request_text
        _check_amended(session, fields, decision.client_id)
        for key, value in fields.items():
            if getattr(decision, key) != value:
                setattr(decision, key, value)


def submit_decision(ctx: Context, decision_id: uuid.UUID) -> None:
    """Send a complete draft to the head of service for approval and signature."""
    require_casework(ctx)
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status not in ("draft", "returned"):
            raise InvalidTransition(reason_msg=N_("only a draft or a returned decision can be submitted."))
        require_complete(decision, session)
        decision.status = "submitted"
        _trail(ctx, session, decision, "submitted")


def return_decision(ctx: Context, decision_id: uuid.UUID, comment: str) -> None:
    """The head sends a submitted decision back with comments (corrections are made before signing)."""
    ctx.require_role(N_("return decisions"), "head")
    comment = v.text(comment, "comment")
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status != "submitted":
            raise InvalidTransition(reason_msg=N_("only a submitted decision can be returned."))
        decision.status = "returned"
        _trail(ctx, session, decision, "returned", comment)


def approve_and_sign(ctx: Context, decision_id: uuid.UUID, *, comment: str | None = None) -> None:
    """The head of service approves and signs a submitted decision."""
    ctx.require_role(N_("approve and sign decisions"), "head")
    comment = v.text(comment, "comment", required=False)
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status != "submitted":
            raise InvalidTransition(reason_msg=N_("only a submitted decision can be approved."))
        require_complete(decision, session)
        decision.status, decision.signed_at, decision.approved_by_user_id = "approved", ctx.now(), ctx.user_id
        _trail(ctx, session, decision, "approved", comment)


def issue_decision(ctx: Context, decision_id: uuid.UUID, issued_on: dt.date | str) -> None:
    """Issue a signed decision: from now on it is final, and its content hash verifies the printed letter."""
    require_casework(ctx)
    issued = v.date(issued_on, "issued_on", not_after=ctx.today())
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status != "approved":
            raise InvalidTransition(reason_msg=N_("only a decision approved and signed by the head can be issued."))
        require_complete(decision, session)
        if decision.signed_at and issued < decision.signed_at.astimezone().date():
            raise ValidationError(N_("'{field_msg}' cannot be before the decision was signed."), field="issued_on")
        _require_agreement(session, decision, issued)
        [decision.number] = numbers.take_numbers(session, ctx.store.device_id,
                                                 numbers.series_for("decision", session), issued.year)
        decision.status, decision.issued_on = "issued", issued
        decision.content_hash = content_hash(decision)
        if decision.application_id is not None:
            application = session.get(Application, decision.application_id)
            if application.status in ("registered", "in_review"):
                application.status = "decided"


def _require_agreement(session: Session, decision: Decision, on: dt.date) -> None:
    """An adult granted a benefit that needs co-operation duties (GMI, housing benefit) must have a signed
    co-operation agreement in force (SPSPL; DOMAIN.md §5) — inspectors find these missing."""
    if decision.kind not in ("grant", "partial", "amendment") or not decision.benefit_code:
        return
    if not catalogue_entry(session, decision.benefit_code).get("needs_agreement"):
        return
    client = session.get(Client, decision.client_id)
    person = session.get(Person, client.person_id)
    if person.birth_date is not None and age_on(person.birth_date, on) < ADULT_AGE:
        return  # a child: the agreement is made with the adults of the household
    signed = session.scalar(select(Agreement.id).where(
        Agreement.client_id == client.id, Agreement.status == "signed", Agreement.deleted.is_(False),
        Agreement.valid_from <= on, (Agreement.valid_to.is_(None)) | (Agreement.valid_to >= on)).limit(1))
    if signed is None:
        raise IncompleteDecision("agreement", N_("an adult recipient of this benefit needs a signed co-operation "
                                                 "agreement with individual duties in force on the issue date."))


def content_hash(decision: Decision) -> str:
    """sha256 over the canonical JSON of the decision's content (sorted keys, no spaces, UTF-8)."""
    content = {name: to_wire(getattr(decision, name)) for name in HASHED_FIELDS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_notification(ctx: Context, decision_id: uuid.UUID, recipient_person_id: uuid.UUID, channel: str, *,
                        registered_on: dt.date | str | None = None, sent_on: dt.date | str | None = None,
                        received_on: dt.date | str | None = None, note: str | None = None) -> uuid.UUID:
    """How and when a recipient was informed of an issued decision (the client, and the guardian too).

    The date the Notification Law counts from is required: in person — received (signed for or refused);
    ordinary letter — registered as outgoing; registered letter, e-mail, e-address — sent.
    """
    require_casework(ctx)
    channel = v.choice(channel, "channel", NOTIFICATION_CHANNELS)
    today = ctx.today()
    dates = {
        "registered_on": v.date(registered_on, "registered_on", required=channel == "post", not_after=today),
        "sent_on": v.date(sent_on, "sent_on", required=channel in ("registered_post", "email", "e_address"),
                          not_after=today),
        "received_on": v.date(received_on, "received_on", required=channel == "in_person", not_after=today),
    }
    note = v.text(note, "note", required=False)
    with ctx.write() as session:
        decision = _decision(ctx, session, decision_id)
        if decision.status != "issued":
            raise InvalidTransition(reason_msg=N_("only an issued decision can be notified."))
        if channel == "post" and decision.kind in UNFAVOURABLE:
            raise InvalidTransition(reason_msg=N_("an unfavourable decision sent by post must go by registered mail."))
        for name, value in dates.items():
            if value is not None and value < decision.issued_on:
                raise ValidationError(N_("'{field_msg}' cannot be before the decision was issued."), field=name)
        registered_person(session, recipient_person_id, field_name="recipient")
        if recipient_person_id not in decision_timeline.possible_recipients(session, decision):
            raise ValidationError(N_("'{field_msg}' is neither the client nor the client's legal representative."),
                                  field="recipient")
        deemed = decision_timeline.deemed_notified(channel, cal=calendar(session), **dates)
        notification = DecisionNotification(decision_id=decision.id, recipient_person_id=recipient_person_id,
                                            channel=channel, note=note, deemed_notified_on=deemed, **dates)
        session.add(notification)
        session.flush()
        return notification.id


def decision_dates(ctx: Context, decision_id: uuid.UUID) -> decision_timeline.Timeline:
    """Notification, entry into force, the appeal term and finality of a decision, as of today."""
    with ctx.read() as session:
        return decision_timeline.timeline(session, _decision(ctx, session, decision_id), ctx.today())


def approval_trail(ctx: Context, decision_id: uuid.UUID) -> list[DecisionApproval]:
    """Submitted, returned with comments, approved — in order."""
    with ctx.read() as session:
        decision = _decision(ctx, session, decision_id)
        return list(session.scalars(select(DecisionApproval).where(DecisionApproval.decision_id == decision.id)
                                    .order_by(DecisionApproval.at, DecisionApproval.created_at)))


# -- helpers --------------------------------------------------------------------------------------------------
def _trail(ctx: Context, session: Session, decision: Decision, action: str, comment: str | None = None) -> None:
    session.add(DecisionApproval(decision_id=decision.id, action=action, by_user_id=ctx.user_id, at=ctx.now(),
                                 comment=comment))


def _decision(ctx: Context, session: Session, decision_id: uuid.UUID) -> Decision:
    return visible_record(ctx, session, Decision, decision_id, ENTITY_DECISION)[0]


# -- read models for the desktop: the client's decisions, the head's queue, one decision in full -------------
@dataclass(frozen=True)
class DecisionLine:
    """One decision as the client's file lists it."""

    id: uuid.UUID
    application_id: uuid.UUID | None
    number: str | None
    kind: str
    status: str
    benefit_code: str | None
    amount_cents: int | None
    drafted_on: dt.date
    issued_on: dt.date | None
    notified: bool  # every required recipient has been notified
    timeline_state: str  # decision_timeline.STATES


@dataclass(frozen=True)
class QueueItem:
    """A decision waiting for the head's approval and signature."""

    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    kind: str
    benefit_code: str | None
    amount_cents: int | None
    worker: str
    submitted_at: dt.datetime
    days_waiting: int


@dataclass(frozen=True)
class TrailStep:
    action: str  # submitted | returned | approved
    at: dt.datetime
    by: str
    comment: str | None


@dataclass(frozen=True)
class Recipient:
    person_id: uuid.UUID
    name: str
    role: str  # client | representative


@dataclass(frozen=True)
class DecisionDetail:
    """A decision with what its screen shows around the form: the client, the application, the head's latest
    return comment, what is still missing, the approval trail and the dates after issue."""

    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    application_id: uuid.UUID | None
    application_number: str | None
    application_received_on: dt.date | None
    number: str | None
    status: str
    amount_cents: int | None
    content: DecisionInput
    drafted_by: str
    approved_by: str | None
    signed_at: dt.datetime | None
    issued_on: dt.date | None
    return_comment: str | None  # the head's comment while the decision is back with the worker
    missing: list[tuple[str, str]]  # (field, message) — what submitting would refuse
    trail: list[TrailStep]
    timeline: decision_timeline.Timeline
    recipients: list[Recipient]
    amendable: list[tuple[uuid.UUID, str]]  # the client's issued decisions a correction may refer to

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "returned")


def decisions_of_client(ctx: Context, client_id: uuid.UUID) -> list[DecisionLine]:
    """The client's decisions, newest first, with whether the issued ones have been notified."""
    today = ctx.today()
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(Decision).where(Decision.client_id == client.id, Decision.deleted.is_(False))
                               .order_by(Decision.created_at.desc())).all()
        lines = []
        for row in rows:
            state = decision_timeline.timeline(session, row, today).state
            lines.append(DecisionLine(row.id, row.application_id, row.number, row.kind, row.status, row.benefit_code,
                                      row.amount_cents, _local_day(row.created_at), row.issued_on,
                                      state not in ("not_issued", "awaiting_notification"), state))
        return lines


def approval_queue(ctx: Context) -> list[QueueItem]:
    """Submitted decisions of every visible client, the longest waiting first (the head of service only)."""
    ctx.require_role(N_("approve and sign decisions"), "head")
    today = ctx.today()
    submitted_at = (select(func.max(DecisionApproval.at)).where(DecisionApproval.decision_id == Decision.id,
                                                                DecisionApproval.action == "submitted")
                    .correlate(Decision).scalar_subquery())
    query = (select(Decision, Person.given_name, Person.surname, User.display_name, submitted_at)
             .join(Client, Client.id == Decision.client_id).join(Person, Person.id == Client.person_id)
             .outerjoin(User, User.id == Decision.drafted_by_user_id)
             .where(Decision.deleted.is_(False), Decision.status == "submitted", Client.deleted.is_(False),
                    visible_clients_clause(ctx)))
    with ctx.read() as session:
        items = []
        for decision, given, surname, worker, at in session.execute(query):
            at = at or decision.updated_at or decision.created_at
            items.append(QueueItem(decision.id, decision.client_id, f"{given} {surname}", decision.kind,
                                   decision.benefit_code, decision.amount_cents, worker or "—", at,
                                   max(0, (today - _local_day(at)).days)))
    return sorted(items, key=lambda item: item.submitted_at)


def decision_detail(ctx: Context, decision_id: uuid.UUID) -> DecisionDetail:
    """Everything the decision's screen shows, read in one session."""
    today = ctx.today()
    with ctx.read() as session:
        decision, client = visible_record(ctx, session, Decision, decision_id, ENTITY_DECISION)
        person = session.get(Person, client.person_id)
        application = session.get(Application, decision.application_id) if decision.application_id else None
        names = {user.id: user.display_name for user in session.scalars(select(User))}
        steps = session.scalars(select(DecisionApproval).where(DecisionApproval.decision_id == decision.id)
                                .order_by(DecisionApproval.at, DecisionApproval.created_at)).all()
        trail = [TrailStep(s.action, s.at, names.get(s.by_user_id, "—"), s.comment) for s in steps]
        returned = [s.comment for s in steps if s.action == "returned"]
        recipients = []
        for person_id in decision_timeline.possible_recipients(session, decision):
            someone = session.get(Person, person_id)
            recipients.append(Recipient(person_id, f"{someone.given_name} {someone.surname}",
                                        "client" if person_id == client.person_id else "representative"))
        amendable = [(row.id, row.number or "—") for row in session.scalars(
            select(Decision).where(Decision.client_id == client.id, Decision.status == "issued",
                                   Decision.deleted.is_(False), Decision.id != decision.id)
            .order_by(Decision.issued_on.desc()))]
        content = DecisionInput(
            kind=decision.kind, amount=_euros(decision.amount_cents), period_from=decision.period_from,
            period_to=decision.period_to, facts=decision.facts, reasons=decision.reasons,
            legal_basis=list(decision.legal_basis or []), operative_part=decision.operative_part,
            appeal_body=decision.appeal_body, appeal_term=decision.appeal_term,
            amends_decision_id=decision.amends_decision_id, benefit_code=decision.benefit_code,
            request_summary=decision.request_summary, participants_views=decision.participants_views)
        editable = decision.status in ("draft", "returned")
        return DecisionDetail(
            decision.id, client.id, f"{person.given_name} {person.surname}", decision.application_id,
            application.registration_number if application else None,
            application.received_on if application else None, decision.number, decision.status,
            decision.amount_cents, content,
            names.get(decision.drafted_by_user_id, "—"), names.get(decision.approved_by_user_id),
            decision.signed_at, decision.issued_on,
            returned[-1] if decision.status == "returned" and returned else None,
            [(gap.field, gap.params["reason_msg"]) for gap in gaps(decision, session)] if editable else [],
            trail, decision_timeline.timeline(session, decision, today), recipients, amendable)


def _euros(cents: int | None) -> str | None:
    """Cents as the worker types them back: 12050 → "120,50"."""
    if cents is None:
        return None
    return f"{cents // 100},{cents % 100:02d}"


def _local_day(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone().date()
