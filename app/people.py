"""Persons, personal codes, households, relations and client registration (DOMAIN.md §2)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app import validation as v
from app.access import require_casework, require_visible
from app.cases import active_user
from app.context import Context
from app.errors import NotFound, ValidationError
from app.personal_code import parse_personal_code
from storage.errors import N_
from storage.models import (Client, Household, HouseholdMember, Person, PersonalCodeRecord, PlanTask, Relation,
                            SocialCase)

GENDERS = ("female", "male", "other")
CLIENT_TYPES = ("voluntary", "mandatory")
TARGET_GROUPS = (
    "family_with_children",
    "functional_impairment",
    "pensioner",
    "addiction",
    "long_term_unemployed",
    "violence_victim",
    "ex_prisoner",
    "youth_leaving_care",
    "homeless",
    "low_income",
    "other",
)
RELATION_KINDS = ("spouse", "cohabitant", "parent", "child", "sibling", "grandparent", "grandchild",
                  "guardian", "ward", "foster_parent", "foster_child", "other")
INVERSE_RELATION = {"parent": "child", "child": "parent", "grandparent": "grandchild", "grandchild": "grandparent",
                    "guardian": "ward", "ward": "guardian", "foster_parent": "foster_child",
                    "foster_child": "foster_parent"}
REPRESENTATIVE_KINDS = ("guardian", "custodian", "authorised")
ENTITY_PERSON = N_("person")


class DuplicatePerson(ValidationError):
    code = "duplicate_person"
    msgid = N_("A person with this personal code is already registered.")

    def __init__(self, existing_id: uuid.UUID) -> None:
        self.existing_id = existing_id
        super().__init__(field="personal_code")


@dataclass(frozen=True)
class PersonInput:
    given_name: str
    surname: str
    personal_code: str | None = None
    birth_date: dt.date | str | None = None
    gender: str | None = None
    address: str | None = None
    parish_id: uuid.UUID | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None


def _validated(ctx: Context, data: PersonInput) -> dict:
    code = parse_personal_code(data.personal_code) if data.personal_code else None
    birth = v.date(data.birth_date, "birth_date", required=False, not_after=ctx.today(),
                   not_before=dt.date(1890, 1, 1))
    if code and code.birth_date and birth and birth != code.birth_date:
        raise ValidationError(N_("The date of birth does not match the personal code."), field="birth_date")
    return {
        "given_name": v.name(data.given_name, "given_name"),
        "surname": v.name(data.surname, "surname"),
        "personal_code": code.formatted if code else None,
        "birth_date": birth or (code.birth_date if code else None),
        "gender": v.choice(data.gender, "gender", GENDERS, required=False),
        "address": v.text(data.address, "address", required=False, max_length=300),
        "parish_id": data.parish_id,
        "phone": v.phone(data.phone),
        "email": v.email(data.email),
        "language": v.text(data.language, "language", required=False, max_length=10),
    }


def find_by_code(session, personal_code: str) -> Person | None:
    formatted = parse_personal_code(personal_code).formatted
    current = session.scalar(select(Person).where(Person.personal_code == formatted, Person.deleted.is_(False)))
    if current:
        return current
    old = session.scalar(select(PersonalCodeRecord).where(PersonalCodeRecord.personal_code == formatted))
    return session.get(Person, old.person_id) if old else None


def create_person(ctx: Context, data: PersonInput) -> uuid.UUID:
    """Register a person; a personal code already on file (now or in the past) is a duplicate."""
    require_casework(ctx)
    fields = _validated(ctx, data)
    with ctx.write() as session:
        return _insert_person(session, fields)


def _insert_person(session, fields: dict) -> uuid.UUID:
    if fields["personal_code"]:
        existing = find_by_code(session, fields["personal_code"])
        if existing:
            raise DuplicatePerson(existing.id)
    person = Person(**fields)
    session.add(person)
    session.flush()
    return person.id


def update_person(ctx: Context, person_id: uuid.UUID, data: PersonInput, *, code_reason: str | None = None) -> None:
    """Change names and contact details. A different personal code needs ``code_reason`` and is changed in the
    same transaction as the other fields (the old code stays in the history, as :func:`change_personal_code`)."""
    require_casework(ctx)
    fields = _validated(ctx, data)
    if code_reason is not None:
        code_reason = v.text(code_reason, "reason", max_length=200)
    with ctx.write() as session:
        person = _get_person(session, person_id)
        if fields["personal_code"] != person.personal_code:
            if code_reason is None or not fields["personal_code"]:
                raise ValidationError(N_("Use 'change personal code' to change a person's code."),
                                      field="personal_code")
            _change_code(session, person, parse_personal_code(fields["personal_code"]), code_reason, ctx.today())
            fields["birth_date"] = person.birth_date if fields["birth_date"] is None else fields["birth_date"]
        for key, value in fields.items():
            if getattr(person, key) != value:
                setattr(person, key, value)


def change_personal_code(ctx: Context, person_id: uuid.UUID, new_code: str, *, reason: str,
                         effective: dt.date | str | None = None) -> None:
    """The person keeps their id; the old code stays in the history (adoption, corrected birth date…)."""
    require_casework(ctx)
    code = parse_personal_code(new_code)
    reason = v.text(reason, "reason", max_length=200)
    when = v.date(effective, "valid_from", required=False) or ctx.today()
    with ctx.write() as session:
        _change_code(session, _get_person(session, person_id), code, reason, when)


def _change_code(session, person: Person, code, reason: str, when: dt.date) -> None:
    if person.personal_code == code.formatted:
        return
    other = find_by_code(session, code.formatted)
    if other and other.id != person.id:
        raise DuplicatePerson(other.id)
    if person.personal_code:  # the history keeps previous codes; the current one is on the person
        previous = session.scalars(select(PersonalCodeRecord.valid_to).where(
            PersonalCodeRecord.person_id == person.id)).all()
        started = max(previous) if previous else person.birth_date if not person.personal_code.startswith("3") else None
        session.add(PersonalCodeRecord(person_id=person.id, personal_code=person.personal_code,
                                       valid_from=started, valid_to=when, reason=reason))
    person.personal_code = code.formatted
    if code.birth_date:
        person.birth_date = code.birth_date


@dataclass(frozen=True)
class CodePeriod:
    personal_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    reason: str | None


def code_history(ctx: Context, person_id: uuid.UUID) -> list[CodePeriod]:
    """Every code the person held, oldest first, ending with the current one (valid_to None)."""
    with ctx.read() as session:
        person = _get_person(session, person_id)
        records = session.scalars(select(PersonalCodeRecord).where(PersonalCodeRecord.person_id == person_id))
        periods = sorted((CodePeriod(r.personal_code, r.valid_from, r.valid_to, r.reason) for r in records),
                         key=lambda r: (r.valid_to or dt.date.max))
        if person.personal_code:
            periods.append(CodePeriod(person.personal_code, periods[-1].valid_to if periods else person.birth_date,
                                      None, None))
        return periods


def _get_person(session, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise NotFound(entity_msg=ENTITY_PERSON)
    return person


# -- households and relations ----------------------------------------------------------------------------
def create_household(ctx: Context, *, members: list[uuid.UUID], head: uuid.UUID | None = None,
                     address: str | None = None, parish_id: uuid.UUID | None = None, label: str | None = None) -> uuid.UUID:
    require_casework(ctx)
    if not members:
        raise ValidationError(N_("A household needs at least one member."), field="household")
    with ctx.write() as session:
        for member in members:
            _get_person(session, member)
        household = Household(label=v.text(label, "name", required=False, max_length=200),
                              address=v.text(address, "address", required=False, max_length=300), parish_id=parish_id)
        session.add(household)
        session.flush()
        for member in dict.fromkeys(members):
            session.add(HouseholdMember(household_id=household.id, person_id=member, is_head=member == head,
                                        joined_on=ctx.today()))
        return household.id


def add_relation(ctx: Context, person_id: uuid.UUID, related_id: uuid.UUID, kind: str, *,
                 since: dt.date | str | None = None, note: str | None = None) -> uuid.UUID:
    """Record ``person`` is ``kind`` of ``related`` and the inverse, so the genogram reads both ways."""
    require_casework(ctx)
    kind = v.choice(kind, "relation", RELATION_KINDS)
    if person_id == related_id:
        raise ValidationError(N_("A person cannot be related to themselves."), field="relation")
    start = v.date(since, "valid_from", required=False)
    with ctx.write() as session:
        _get_person(session, person_id)
        _get_person(session, related_id)
        relation = Relation(person_id=person_id, related_person_id=related_id, kind=kind, since=start,
                            note=v.text(note, "text", required=False, max_length=300))
        session.add(relation)
        session.add(Relation(person_id=related_id, related_person_id=person_id,
                             kind=INVERSE_RELATION.get(kind, kind), since=start))
        session.flush()
        return relation.id


# -- clients -------------------------------------------------------------------------------------------------
def register_client(ctx: Context, person_id: uuid.UUID, *, client_type: str, target_groups: list[str] | None = None,
                    registered_on: dt.date | str | None = None, restricted: bool = False,
                    referral_source: str | None = None, responsible_user_id: uuid.UUID | None = None,
                    legal_representative_id: uuid.UUID | None = None, representative_kind: str | None = None,
                    capacity_limited: bool = False) -> uuid.UUID:
    """Register a person as a client: voluntary or mandatory, with target groups and a responsible worker."""
    require_casework(ctx)
    fields = _client_fields(ctx, client_type=client_type, target_groups=target_groups, registered_on=registered_on,
                            restricted=restricted, referral_source=referral_source,
                            responsible_user_id=responsible_user_id, legal_representative_id=legal_representative_id,
                            representative_kind=representative_kind, capacity_limited=capacity_limited)
    with ctx.write() as session:
        return _insert_client(session, person_id, fields)


def register_new_client(ctx: Context, data: PersonInput, **client: object) -> uuid.UUID:
    """A new person and their client registration in one transaction (the "new client" form): either both are
    saved or neither. ``client`` takes :func:`register_client`'s keyword arguments."""
    require_casework(ctx)
    person_fields = _validated(ctx, data)
    client_fields = _client_fields(ctx, **client)  # type: ignore[arg-type]
    with ctx.write() as session:
        return _insert_client(session, _insert_person(session, person_fields), client_fields)


def _client_fields(ctx: Context, *, client_type: str, target_groups: list[str] | None = None,
                   registered_on: dt.date | str | None = None, restricted: bool = False,
                   referral_source: str | None = None, responsible_user_id: uuid.UUID | None = None,
                   legal_representative_id: uuid.UUID | None = None, representative_kind: str | None = None,
                   capacity_limited: bool = False) -> dict:
    client_type = v.choice(client_type, "client_type", CLIENT_TYPES)
    groups = v.choices(target_groups, "target_groups", TARGET_GROUPS)
    registered = v.date(registered_on, "date", required=False, not_after=ctx.today()) or ctx.today()
    if client_type == "mandatory" and not v.text(referral_source, "referral_source", required=False):
        raise ValidationError(N_("A mandatory client needs the institution or person who reported the case."),
                              field="referral_source")
    if legal_representative_id:
        representative_kind = v.choice(representative_kind, "representative_kind", REPRESENTATIVE_KINDS)
    return dict(client_type=client_type, target_groups=groups, restricted=restricted, registered_on=registered,
                referral_source=v.text(referral_source, "referral_source", required=False, max_length=300),
                responsible_user_id=responsible_user_id or ctx.user_id,
                legal_representative_id=legal_representative_id,
                representative_kind=representative_kind if legal_representative_id else None,
                capacity_limited=capacity_limited)


def _insert_client(session, person_id: uuid.UUID, fields: dict) -> uuid.UUID:
    person = _get_person(session, person_id)
    if session.scalar(select(Client.id).where(Client.person_id == person.id)):
        raise ValidationError(N_("This person is already registered as a client."), field="personal_code")
    if fields["legal_representative_id"]:
        _get_person(session, fields["legal_representative_id"])
    client = Client(person_id=person.id, parish_id=person.parish_id, **fields)
    session.add(client)
    session.flush()
    return client.id


def client_of_person(ctx: Context, person_id: uuid.UUID) -> uuid.UUID | None:
    """The client registration of a person, if any (a duplicate found by personal code may be one)."""
    with ctx.read() as session:
        return session.scalar(select(Client.id).where(Client.person_id == person_id, Client.deleted.is_(False)))


def get_client(ctx: Context, client_id: uuid.UUID) -> tuple[Client, Person]:
    with ctx.read() as session:
        client = require_visible(ctx, session.get(Client, client_id))
        return client, session.get(Person, client.person_id)


def set_restricted(ctx: Context, client_id: uuid.UUID, restricted: bool) -> None:
    """Restricted files (violence, children at risk) are visible only to the assigned worker and the head."""
    require_casework(ctx)
    with ctx.write() as session:
        client = require_visible(ctx, session.get(Client, client_id))
        client.restricted = restricted
        for case in session.scalars(select(SocialCase).where(  # the open case follows its file
                SocialCase.client_id == client.id, SocialCase.closed_on.is_(None), SocialCase.deleted.is_(False))):
            case.restricted = restricted


def set_legal_representative(ctx: Context, client_id: uuid.UUID, representative_id: uuid.UUID | None,
                             representative_kind: str | None = None, *, capacity_limited: bool = False) -> None:
    """Record (or clear) the client's guardian, custodian or authorised person. For an adult whose capacity
    is limited, decisions must then be notified to both the client and the guardian."""
    require_casework(ctx)
    if representative_id is not None:
        representative_kind = v.choice(representative_kind, "representative_kind", REPRESENTATIVE_KINDS)
    with ctx.write() as session:
        client = require_visible(ctx, session.get(Client, client_id))
        if representative_id is not None:
            if representative_id == client.person_id:
                raise ValidationError(N_("A client cannot be their own legal representative."),
                                      field="legal_representative_id")
            _get_person(session, representative_id)
        client.legal_representative_id = representative_id
        client.representative_kind = representative_kind if representative_id else None
        client.capacity_limited = bool(capacity_limited and representative_id)


def hand_over(ctx: Context, client_id: uuid.UUID, to_user_id: uuid.UUID) -> None:
    """Hand a client to another worker: the open case and the worker's open tasks move with the client; the
    whole history stays in the one file."""
    require_casework(ctx)
    with ctx.write() as session:
        client = require_visible(ctx, session.get(Client, client_id))
        active_user(session, to_user_id, "responsible_user_id")
        previous = client.responsible_user_id
        client.responsible_user_id = to_user_id
        for case in session.scalars(select(SocialCase).where(
                SocialCase.client_id == client.id, SocialCase.closed_on.is_(None), SocialCase.deleted.is_(False))):
            case.responsible_user_id = to_user_id
            for task in session.scalars(select(PlanTask).where(
                    PlanTask.case_id == case.id, PlanTask.status == "open", PlanTask.responsible_kind == "worker",
                    PlanTask.responsible_user_id == previous)):
                task.responsible_user_id = to_user_id
