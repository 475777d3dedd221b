"""The people the client lives with and the recorded relations (the genogram is drawn from them)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.cases import visible_client
from app.client_file.common import name_of
from app.context import Context
from storage.models import HouseholdMember, Person, Relation


@dataclass(frozen=True)
class Member:
    person_id: uuid.UUID
    name: str
    birth_date: dt.date | None
    is_head: bool
    is_client: bool
    relation: str | None  # how the member is related to the client (a relation code), if recorded


@dataclass(frozen=True)
class Relative:
    person_id: uuid.UUID
    name: str
    kind: str  # the relative is ``kind`` of the client
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True)
class HouseholdView:
    person_id: uuid.UUID
    address: str | None
    members: tuple[Member, ...]
    relatives: tuple[Relative, ...]


def household(ctx: Context, client_id: uuid.UUID) -> HouseholdView:
    """The people the client lives with now, and everyone a recorded relation links to the client."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        me = client.person_id
        ties = session.scalars(select(Relation).where(Relation.related_person_id == me,
                                                      Relation.deleted.is_(False))).all()
        kinds = {tie.person_id: tie.kind for tie in ties if tie.until is None}
        homes = select(HouseholdMember.household_id).where(
            HouseholdMember.person_id == me, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False))
        rows = session.execute(select(HouseholdMember, Person).join(Person, Person.id == HouseholdMember.person_id)
                               .where(HouseholdMember.household_id.in_(homes), HouseholdMember.left_on.is_(None),
                                      HouseholdMember.deleted.is_(False), Person.deleted.is_(False))).all()
        members, seen = [], set()
        for row, person in sorted(rows, key=lambda r: (not r[0].is_head, r[1].birth_date or dt.date.max)):
            if person.id in seen:
                continue
            seen.add(person.id)
            members.append(Member(person.id, name_of(person), person.birth_date, row.is_head, person.id == me,
                                  kinds.get(person.id)))
        people = {p.id: p for p in session.scalars(select(Person).where(
            Person.id.in_([t.person_id for t in ties]), Person.deleted.is_(False)))}
        relatives = tuple(Relative(t.person_id, name_of(people[t.person_id]), t.kind, t.since, t.until)
                          for t in sorted(ties, key=lambda t: (t.until is not None, t.kind))
                          if t.person_id in people)
        address = session.get(Person, me).address
        return HouseholdView(me, address, tuple(members), relatives)
