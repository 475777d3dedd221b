"""The file's first page: who the client is and what is open; opening the file is audited (rule 8)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.cases import visible_client
from app.client_file.common import name_of
from app.context import Context
from app.people import PersonInput
from storage.models import (
    Client, Decision, HomeVisit, HouseholdMember, HouseholdStatus, Person, PlanTask, SocialCase, User,
)

PENDING_DECISIONS = ("draft", "submitted", "returned", "approved")


@dataclass(frozen=True)
class Overview:
    client_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    personal_code: str | None
    birth_date: dt.date | None
    address: str | None
    phone: str | None
    client_type: str
    target_groups: tuple[str, ...]
    responsible: str | None
    restricted: bool
    representative: str | None
    representative_kind: str | None
    household_status: str | None  # needy | low_income | None
    household_status_until: dt.date | None
    case_id: uuid.UUID | None
    case_stage: str | None
    next_review_on: dt.date | None
    open_tasks: int
    planned_visits: int
    pending_decisions: int


def overview(ctx: Context, client_id: uuid.UUID) -> Overview:
    with ctx.read() as session:
        return _overview(ctx, session, client_id)


def person_of(ctx: Context, client_id: uuid.UUID) -> uuid.UUID:
    """The person a (visible) client file is about: the personal data report is made per person."""
    with ctx.read() as session:
        return visible_client(ctx, session, client_id).person_id


def open_client_file(ctx: Context, client_id: uuid.UUID) -> Overview:
    """The overview of a file being opened, and the audit event that says who opened it (rule 8)."""
    with ctx.write() as session:
        result = _overview(ctx, session, client_id)
        audit.record(ctx, "open_client", entity=Client.__tablename__, entity_id=client_id, client_id=client_id,
                     session=session)
        return result


def _overview(ctx: Context, session: Session, client_id: uuid.UUID) -> Overview:
    client = visible_client(ctx, session, client_id)
    person = session.get(Person, client.person_id)
    representative = session.get(Person, client.legal_representative_id) if client.legal_representative_id else None
    worker = session.get(User, client.responsible_user_id) if client.responsible_user_id else None
    case = current_case(session, client.id)
    status = _household_status(session, client.person_id, ctx.today())

    def count(model: Any, *where: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(
            model.client_id == client.id, model.deleted.is_(False), *where)) or 0

    return Overview(
        client_id=client.id, person_id=person.id, name=name_of(person), personal_code=person.personal_code,
        birth_date=person.birth_date, address=person.address, phone=person.phone, client_type=client.client_type,
        target_groups=tuple(client.target_groups or ()), responsible=worker.display_name if worker else None,
        restricted=client.restricted, representative=name_of(representative) or None,
        representative_kind=client.representative_kind,
        household_status=status[0] if status else None, household_status_until=status[1] if status else None,
        case_id=case.id if case else None, case_stage=case.stage if case else None,
        next_review_on=case.next_review_on if case else None,
        open_tasks=count(PlanTask, PlanTask.status == "open"),
        planned_visits=count(HomeVisit, HomeVisit.status == "planned"),
        pending_decisions=count(Decision, Decision.status.in_(PENDING_DECISIONS)))


def current_case(session: Session, client_id: uuid.UUID) -> SocialCase | None:
    """The open case, else one being monitored after closure."""
    cases = session.scalars(select(SocialCase).where(
        SocialCase.client_id == client_id, SocialCase.deleted.is_(False),
        or_(SocialCase.closed_on.is_(None), SocialCase.stage == "monitoring"))
        .order_by(SocialCase.closed_on.is_not(None), SocialCase.opened_on.desc())).all()
    return cases[0] if cases else None


def _household_status(session: Session, person_id: uuid.UUID, today: dt.date) -> tuple[str, dt.date] | None:
    """The status in force today of the household the person lives in, and the last day it holds."""
    homes = select(HouseholdMember.household_id).where(
        HouseholdMember.person_id == person_id, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False))
    rows = session.scalars(select(HouseholdStatus).where(
        HouseholdStatus.household_id.in_(homes), HouseholdStatus.deleted.is_(False),
        HouseholdStatus.valid_from <= today, HouseholdStatus.valid_to >= today)).all()
    current = []
    for row in rows:
        end = row.valid_to if row.cancelled_from is None else min(row.valid_to,
                                                                    row.cancelled_from - dt.timedelta(days=1))
        if end >= today:
            current.append((row.status, end))
    return max(current, key=lambda item: item[1]) if current else None


def current_case_id(ctx: Context, client_id: uuid.UUID) -> uuid.UUID | None:
    """The client's open case, if any: a new agreement belongs to it."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        case = current_case(session, client.id)
        return case.id if case is not None and case.closed_on is None else None


def person_details(ctx: Context, client_id: uuid.UUID) -> tuple[uuid.UUID, PersonInput]:
    """The client's person as the form edits it: every field ``app.people.update_person`` rewrites, so the
    fields the form does not show (e-mail, parish, language) are sent back unchanged."""
    with ctx.read() as session:
        person = session.get(Person, visible_client(ctx, session, client_id).person_id)
        return person.id, PersonInput(
            given_name=person.given_name, surname=person.surname, personal_code=person.personal_code,
            birth_date=person.birth_date, gender=person.gender, address=person.address, parish_id=person.parish_id,
            phone=person.phone, email=person.email, language=person.language)
