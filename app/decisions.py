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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import decision_timeline, numbers
from app import validation as v
from app.access import require_casework
from app.assistance import catalogue_entry, code, registered_person, visible_application
from app.cases import visible_client, visible_record
from app.context import Context
from app.deadlines import ADULT_AGE, age_on, calendar
from app.errors import InvalidTransition, RequiredField, ValidationError
from storage.errors import N_
from storage.models import Agreement, Application, Client, Decision, DecisionApproval, DecisionNotification, Person
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
    if session is not None:
        client = session.get(Client, decision.client_id)
        person = session.get(Person, client.person_id)
        if not (person.address or "").strip():
            raise IncompleteDecision("address", N_("the addressee's address is missing from the client's data."))
    if not (decision.request_summary or "").strip():
        raise IncompleteDecision("request_summary", N_("the decision must state what was requested."))
    if not (decision.facts or "").strip():
        raise IncompleteDecision("facts", N_("the decision must state the established facts."))
    if not decision.legal_basis:
        raise IncompleteDecision("legal_basis", N_("the decision must list the legal norms applied."))
    if not (decision.operative_part or "").strip():
        raise IncompleteDecision("operative_part", N_("the decision must state what is granted or refused."))
    if decision.kind in UNFAVOURABLE or decision.kind == "amendment":
        if not (decision.reasons or "").strip():
            raise IncompleteDecision("reasons", N_("the decision must give its reasons."))
    if decision.kind in UNFAVOURABLE:
        if not (decision.participants_views or "").strip():
            raise IncompleteDecision("participants_views", N_("the decision must state the participants' views."))
        for name in ("appeal_body", "appeal_term"):
            if not (getattr(decision, name) or "").strip():
                raise IncompleteDecision(name, N_("an unfavourable decision must say where and within what term "
                                                  "it can be contested."))


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
