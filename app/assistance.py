"""Applications, means tests and household statuses (DOMAIN.md §5, §8); decisions are in app/decisions.py.

Every application is registered with its date, a register number and the deadline for the decision; none is
refused informally. The means test and the status periods follow the reference data of the application date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import means_test, numbers, reference
from app import validation as v
from app.access import require_casework
from app.cases import visible_client
from app.context import Context
from app.deadlines import calendar
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from storage.errors import N_
from storage.models import (
    Application,
    Client,
    Decision,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MeansTest,
    Person,
)

CHANNELS = ("in_person", "post", "email", "e_address", "phone")
HOUSEHOLD_STATUSES = ("needy", "low_income")
ASSISTANCE = "assistance_lv"
CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
ENTITY_APPLICATION = N_("application")
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
        registered_person(session, applicant)
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
        application = visible_application(ctx, session, application_id)
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
            application = visible_application(ctx, session, application_id)
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
            decision = session.get(Decision, decision_id)
            if decision is None or decision.deleted or decision.client_id not in _household_clients(session, household):
                raise ValidationError(N_("The decision belongs to another household."), field="decision_id")
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


# -- helpers --------------------------------------------------------------------------------------------------
def visible_application(ctx: Context, session: Session, application_id: uuid.UUID) -> Application:
    application = session.get(Application, application_id)
    if application is None or application.deleted:
        raise NotFound(entity_msg=ENTITY_APPLICATION)
    try:
        visible_client(ctx, session, application.client_id)
    except NotFound:
        raise NotFound(entity_msg=ENTITY_APPLICATION) from None
    return application


def registered_person(session: Session, person_id: uuid.UUID, *, field_name: str | None = None) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        if field_name:
            raise ValidationError(N_("'{field_msg}' is not a registered person."), field=field_name)
        raise NotFound(entity_msg=ENTITY_PERSON)
    return person


def _household_clients(session: Session, household: Household) -> set[uuid.UUID]:
    members = select(HouseholdMember.person_id).where(HouseholdMember.household_id == household.id)
    return set(session.scalars(select(Client.id).where(Client.person_id.in_(members))))


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


# -- read models for the desktop (applications and decisions tab) ---------------------------------------------
OPEN_APPLICATION_STATUSES = ("registered", "in_review")


@dataclass(frozen=True)
class Benefit:
    code: str
    name: dict[str, str]  # language → name, as the catalogue keeps it
    means_tested: bool


@dataclass(frozen=True)
class ApplicationLine:
    """One application as the client's file lists it; ``days_left`` is negative when overdue, None once
    decided or withdrawn."""

    id: uuid.UUID
    registration_number: str | None
    received_on: dt.date
    channel: str
    benefit_code: str
    request_text: str
    status: str
    due_on: dt.date | None  # the extended deadline when there is one
    days_left: int | None
    means_result: str | None  # the newest means test's result: needy | low_income | none
    means_tested: bool  # the catalogue says this benefit needs a means test


def benefits(ctx: Context) -> list[Benefit]:
    """The municipal benefit catalogue (reference data) for choosing what an application is for."""
    with ctx.read() as session:
        return [Benefit(entry["code"], dict(entry.get("name") or {}), bool(entry.get("means_tested")))
                for entry in reference.document(ASSISTANCE, session)["benefits"]]


def applications_of_client(ctx: Context, client_id: uuid.UUID) -> list[ApplicationLine]:
    """The client's applications, newest first, with the deadline and the newest means test."""
    today = ctx.today()
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        tested = {entry["code"]: bool(entry.get("means_tested"))
                  for entry in reference.document(ASSISTANCE, session)["benefits"]}
        rows = session.scalars(select(Application).where(Application.client_id == client.id,
                                                         Application.deleted.is_(False))
                               .order_by(Application.received_on.desc(), Application.created_at.desc())).all()
        results: dict[uuid.UUID, str | None] = {}
        if rows:
            for application_id, result in session.execute(
                    select(MeansTest.application_id, MeansTest.result).where(
                        MeansTest.application_id.in_([row.id for row in rows]), MeansTest.deleted.is_(False))
                    .order_by(MeansTest.performed_on, MeansTest.created_at)):
                results[application_id] = result  # the newest wins
        lines = []
        for row in rows:
            due = row.extended_until or row.decision_due
            open_ = row.status in OPEN_APPLICATION_STATUSES
            lines.append(ApplicationLine(
                row.id, row.registration_number, row.received_on, row.channel, row.benefit_code, row.request_text,
                row.status, due, (due - today).days if open_ and due else None, results.get(row.id),
                tested.get(row.benefit_code, False)))
        return lines


def means_test_result(ctx: Context, test_id: uuid.UUID) -> means_test.MeansTestResult:
    """What a recorded means test found, from the snapshot it keeps (the thresholds of its day)."""
    with ctx.read() as session:
        test = session.get(MeansTest, test_id)
        if test is None or test.deleted:
            raise NotFound(entity_msg=ENTITY_APPLICATION)
        if test.application_id is not None:
            visible_application(ctx, session, test.application_id)
        return means_test.MeansTestResult(**test.thresholds)


def household_size_of(ctx: Context, client_id: uuid.UUID) -> int | None:
    """How many people live in the client's one current household (a means test's starting point)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        try:
            household = _household_of(session, client)
        except RequiredField:
            return None
        return len(set(session.scalars(select(HouseholdMember.person_id).where(
            HouseholdMember.household_id == household, HouseholdMember.left_on.is_(None),
            HouseholdMember.deleted.is_(False)))))
