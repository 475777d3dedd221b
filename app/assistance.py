"""Applications, means tests, household statuses and decisions (DOMAIN.md §5, §8).

Every application is registered with its date and a decision deadline. A decision is drafted, submitted,
returned with comments or approved and signed by the head of service, then issued — after which it is final
(the outbox refuses edits) and a correction is a new decision that amends or revokes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import decision_timeline, means_test, numbers, reference
from app import validation as v
from app.access import require_casework
from app.cases import visible_client
from app.context import Context
from app.deadlines import add_months, calendar
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from storage.errors import N_
from storage.models import (
    Agreement,
    Application,
    Client,
    Decision,
    DecisionApproval,
    DecisionNotification,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MeansTest,
    Person,
)
from storage.outbox import to_wire

CHANNELS = ("in_person", "post", "email", "e_address", "phone")
NOTIFICATION_CHANNELS = ("in_person", "post", "registered_post", "email", "e_address")
HOUSEHOLD_STATUSES = ("needy", "low_income")
DECISION_KINDS = ("grant", "partial", "refusal", "amendment", "revocation")
#: decisions that refuse or take away: always reasoned, with the appeal route (APL Art. 67, SPSPL Art. 12)
UNFAVOURABLE = ("refusal", "partial", "revocation")
CORRECTING = ("amendment", "revocation")
ASSISTANCE = "assistance_lv"
CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
#: the decision's content that the hash (the letter's verification code) covers
HASHED_FIELDS = ("id", "number", "client_id", "application_id", "kind", "benefit_code", "amount_cents", "period_from",
                 "period_to", "request_summary", "participants_views", "facts", "reasons", "legal_basis",
                 "operative_part", "appeal_body", "appeal_term", "amends_decision_id", "approved_by_user_id",
                 "issued_on")

ENTITY_APPLICATION = N_("application")
ENTITY_DECISION = N_("decision")
ENTITY_HOUSEHOLD = N_("household")
ENTITY_PERSON = N_("person")



def code(value: object, field_name: str) -> str:
    """A reference-data code such as a benefit or service code (``housing_benefit``)."""
    cleaned = v.text(value, field_name, max_length=60)
    if not CODE.match(cleaned):
        raise ValidationError(N_("'{field_msg}' must be a code from the catalogue."), field=field_name)
    return cleaned


# -- applications -------------------------------------------------------------------------------------------
def register_application(ctx: Context, client_id: uuid.UUID, received_on: dt.date | str, channel: str,
                         benefit_code: str, request_text: str, *,
                         applicant_person_id: uuid.UUID | None = None) -> uuid.UUID:
    """Register an application with its date of receipt and a registration number; the decision is due
    within the benefit's term (one month by default, APL Art. 64)."""
    require_casework(ctx)
    received = v.date(received_on, "received_on", not_after=ctx.today())
    channel = v.choice(channel, "channel", CHANNELS)
    benefit = code(benefit_code, "benefit_code")
    request = v.text(request_text, "request_text")
    with ctx.write() as session:
        catalogue_entry(session, benefit)
        client = visible_client(ctx, session, client_id)
        applicant = applicant_person_id or client.person_id
        _person(session, applicant)
        [number] = numbers.take_numbers(session, ctx.store.device_id, numbers.series_for("application", session),
                                        received.year)
        application = Application(client_id=client.id, applicant_person_id=applicant, received_on=received,
                                  channel=channel, benefit_code=benefit, request_text=request, status="registered",
                                  registration_number=number, decision_due=decision_due(session, benefit, received),
                                  handled_by_user_id=ctx.user_id)
        session.add(application)
        session.flush()
        return application.id


def catalogue_entry(session: Session | None, benefit_code: str) -> dict:
    """The benefit's entry in the municipal catalogue; an unknown code is refused."""
    for entry in reference.document(ASSISTANCE, session)["benefits"]:
        if entry["code"] == benefit_code:
            return entry
    raise ValidationError(N_("'{field_msg}' must be a code from the catalogue."), field="benefit_code")


def decision_due(session: Session | None, benefit_code: str, received: dt.date) -> dt.date:
    """The last day to decide: the benefit's own term, else the default (APL Art. 64: one month)."""
    doc = reference.document(ASSISTANCE, session)
    terms = reference.valid_on(doc["decision_terms"], received, kind=ASSISTANCE)
    term = catalogue_entry(session, benefit_code).get("decision_term") or terms["default"]
    return calendar(session).term_end(received, months=term.get("months", 0),
                                      working_days=term.get("working_days", 0))


def extend_deadline(ctx: Context, application_id: uuid.UUID, until: dt.date | str, reason: str,
                    notified_on: dt.date | str) -> None:
    """Extend the decision term for objective reasons, with notice to the applicant — at most to four months
    from receipt (APL Art. 64(2)); a longer term needs the higher institution's reasoned decision."""
    require_casework(ctx)
    until = v.date(until, "extended_until")
    reason = v.text(reason, "extension_reason")
    notified = v.date(notified_on, "extension_notified_on", not_after=ctx.today())
    with ctx.write() as session:
        application = _application(ctx, session, application_id)
        if application.status not in ("registered", "in_review"):
            raise InvalidTransition(reason_msg=N_("the application is already decided or withdrawn."))
        terms = reference.valid_on(reference.document(ASSISTANCE, session)["decision_terms"],
                                   application.received_on, kind=ASSISTANCE)
        longest = calendar(session).term_end(application.received_on, months=int(terms["max_extension_months"]))
        current = application.extended_until or application.decision_due
        if until > longest:
            raise ValidationError(N_("'{field_msg}' can be at most four months from receipt ({day})."),
                                  field="extended_until", day=longest.isoformat())
        if current is not None and until <= current:
            raise ValidationError(N_("'{field_msg}' must be later than the current deadline."),
                                  field="extended_until")
        if notified < application.received_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the application was received."),
                                  field="extension_notified_on")
        application.extended_until, application.extension_reason = until, reason
        application.extension_notified_on = notified


def record_means_test(ctx: Context, *, performed_on: dt.date | str, household_size: int | str,
                      income: object, application_id: uuid.UUID | None = None,
                      household_id: uuid.UUID | None = None, working_age_members: int | str = 0,
                      housing_costs: object = None, housing_category: str = "other",
                      resources: dict | None = None) -> uuid.UUID:
    """Income (EUR a month) and resources of the household, evaluated against the thresholds valid on the
    application date (or on the test date when there is no application). ``resources["disqualifying"]``
    marks resources beyond what the municipality allows."""
    require_casework(ctx)
    performed = v.date(performed_on, "performed_on", not_after=ctx.today())
    size = v.integer(household_size, "household_size", minimum=1, maximum=50)
    working = v.integer(working_age_members, "working_age_members", minimum=0, maximum=size)
    income_cents = v.money_cents(income, "income")
    housing_cents = v.money_cents(housing_costs, "housing_costs", required=False) or 0
    category = v.choice(housing_category, "housing_category", means_test.HOUSING_CATEGORIES)
    resources = _json_dict(resources, "resources")
    if application_id is None and household_id is None:
        raise RequiredField(field="household")
    with ctx.write() as session:
        application = None
        if application_id is not None:
            application = _application(ctx, session, application_id)
            if performed < application.received_on:
                raise ValidationError(N_("'{field_msg}' cannot be before the application was received."),
                                      field="performed_on")
            if household_id is None:
                household_id = _household_of(session, session.get(Client, application.client_id))
        household = session.get(Household, household_id)
        if household is None or household.deleted:
            raise NotFound(entity_msg=ENTITY_HOUSEHOLD)
        evaluated = means_test.evaluate(
            reference.document(ASSISTANCE, session), application.received_on if application else performed,
            household_size=size, income_cents=income_cents, housing_costs_cents=housing_cents,
            housing_category=category, disqualifying_resources=bool(resources.get("disqualifying")))
        test = MeansTest(application_id=application.id if application else None, household_id=household.id,
                         performed_on=performed, household_size=size, working_age_members=working,
                         income_cents=income_cents, resources=resources, thresholds=evaluated.snapshot(),
                         result=evaluated.result)
        session.add(test)
        session.flush()
        return test.id


def set_household_status(ctx: Context, household_id: uuid.UUID, status: str, valid_from: dt.date | str,
                         valid_to: dt.date | str | None = None, *, working_age_members: int | str | None = None,
                         condition_missing: bool = False, decision_id: uuid.UUID | None = None) -> uuid.UUID:
    """Needy or low-income status of a household for a fixed period: 3 calendar months when anyone is of
    working age, 6 when nobody is, 1 when a condition or document is missing (SPSPL Art. 36(3)). Give
    ``working_age_members`` to have the period computed, or an explicit ``valid_to`` within it."""
    require_casework(ctx)
    status = v.choice(status, "status", HOUSEHOLD_STATUSES)
    start = v.date(valid_from, "valid_from")
    end = v.date(valid_to, "valid_to", required=working_age_members is None)
    with ctx.write() as session:
        doc = reference.document(ASSISTANCE, session)
        if working_age_members is not None:
            working = v.integer(working_age_members, "working_age_members", minimum=0, maximum=50)
            longest = means_test.status_period(doc, start, working_age_members=working,
                                               condition_missing=condition_missing)[1]
            end = end or longest
            if end > longest:
                raise ValidationError(N_("'{field_msg}' is later than the period the law allows ({day})."),
                                      field="valid_to", day=longest.isoformat())
        if end < start:
            raise ValidationError(N_("'{field_msg}' cannot be before the start."), field="valid_to")
        household = session.get(Household, household_id)
        if household is None or household.deleted:
            raise NotFound(entity_msg=ENTITY_HOUSEHOLD)
        if decision_id is not None:
            _decision(ctx, session, decision_id)
        row = HouseholdStatus(household_id=household.id, status=status, valid_from=start, valid_to=end,
                              decision_id=decision_id)
        session.add(row)
        session.flush()
        return row.id


def cancel_household_status(ctx: Context, status_id: uuid.UUID, decided_on: dt.date | str) -> dt.date:
    """Cancel a status; it ends from the first day of the following month (SPSPL Art. 38(3))."""
    require_casework(ctx)
    decided = v.date(decided_on, "date", not_after=ctx.today())
    with ctx.write() as session:
        row = session.get(HouseholdStatus, status_id)
        if row is None or row.deleted:
            raise NotFound(entity_msg=ENTITY_HOUSEHOLD)
        if row.cancelled_from is not None:
            raise InvalidTransition(reason_msg=N_("the status is already cancelled."))
        effective = means_test.cancellation_date(decided)
        if effective > row.valid_to:
            raise InvalidTransition(reason_msg=N_("the status ends before the cancellation would take effect."))
        row.cancelled_from = max(effective, row.valid_from)
        return row.cancelled_from


def expiring_statuses(ctx: Context, *, within_days: int = 30) -> list[HouseholdStatus]:
    """Statuses in force today that end within ``within_days`` — the worker invites a new application."""
    today = ctx.today()
    with ctx.read() as session:
        return list(session.scalars(select(HouseholdStatus).where(
            HouseholdStatus.deleted.is_(False), HouseholdStatus.cancelled_from.is_(None),
            HouseholdStatus.valid_from <= today, HouseholdStatus.valid_to >= today,
            HouseholdStatus.valid_to <= today + dt.timedelta(days=within_days))
            .order_by(HouseholdStatus.valid_to)))


# -- decisions ----------------------------------------------------------------------------------------------
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
            application = _application(ctx, session, application_id)
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
    if person.birth_date is not None and add_months(person.birth_date, 12 * 18) > on:
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
        _person(session, recipient_person_id, field_name="recipient")
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
    decision = session.get(Decision, decision_id)
    if decision is None or decision.deleted:
        raise NotFound(entity_msg=ENTITY_DECISION)
    try:
        visible_client(ctx, session, decision.client_id)
    except NotFound:
        raise NotFound(entity_msg=ENTITY_DECISION) from None
    return decision


def _application(ctx: Context, session: Session, application_id: uuid.UUID) -> Application:
    application = session.get(Application, application_id)
    if application is None or application.deleted:
        raise NotFound(entity_msg=ENTITY_APPLICATION)
    try:
        visible_client(ctx, session, application.client_id)
    except NotFound:
        raise NotFound(entity_msg=ENTITY_APPLICATION) from None
    return application


def _person(session: Session, person_id: uuid.UUID, *, field_name: str | None = None) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        if field_name:
            raise ValidationError(N_("'{field_msg}' is not a registered person."), field=field_name)
        raise NotFound(entity_msg=ENTITY_PERSON)
    return person


def _household_of(session: Session, client: Client) -> uuid.UUID:
    """The one household the client's person currently lives in; otherwise the worker must choose."""
    households = session.scalars(select(HouseholdMember.household_id).where(
        HouseholdMember.person_id == client.person_id, HouseholdMember.left_on.is_(None),
        HouseholdMember.deleted.is_(False))).all()
    if len(set(households)) != 1:
        raise RequiredField(field="household")
    return households[0]


def _json_dict(value: object, field_name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValidationError(field=field_name)
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        raise ValidationError(field=field_name) from None
