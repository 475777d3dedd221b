"""Finding a record's id to print it (`lieta list decisions|visits|…`): one line per record, newest first, only
what this user may see. The desktop app finds records through the client file instead."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import validation as v
from app.access import visible_clients_clause
from app.context import Context
from storage.models import (Agreement, Assessment, Client, Decision, HomeVisit, InterventionPlan, Person,
                            SocialCase)

KINDS = ("clients", "decisions", "visits", "assessments", "plans", "agreements")


@dataclass(frozen=True)
class Line:
    id: uuid.UUID
    day: dt.date | None
    client: str
    what: str  # kind, number, status… in the record's own codes
    person_id: uuid.UUID


def _day(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def printable(ctx: Context, kind: str, *, client_id: uuid.UUID | None = None, limit: int = 50) -> list[Line]:
    kind = v.choice(kind, "kind", KINDS)
    limit = v.integer(limit, "limit", minimum=1, maximum=10_000)
    queries = {
        "clients": (select(Client.id, Client.registered_on, Client.client_type, Client.status, Person)
                    .order_by(Client.registered_on.desc())),
        "decisions": (select(Decision.id, Decision.issued_on, Decision.number, Decision.kind, Decision.status,
                             Decision.created_at, Person).join(Client, Client.id == Decision.client_id)
                      .where(Decision.deleted.is_(False)).order_by(Decision.created_at.desc())),
        "visits": (select(HomeVisit.id, HomeVisit.visited_at, HomeVisit.planned_on, HomeVisit.status, Person)
                   .join(Client, Client.id == HomeVisit.client_id).where(HomeVisit.deleted.is_(False))
                   .order_by(HomeVisit.planned_on.desc())),
        "assessments": (select(Assessment.id, Assessment.assessed_on, Assessment.kind, Assessment.status, Person)
                        .join(Client, Client.id == Assessment.client_id).where(Assessment.deleted.is_(False))
                        .order_by(Assessment.assessed_on.desc())),
        "plans": (select(InterventionPlan.id, InterventionPlan.valid_from, InterventionPlan.version,
                         InterventionPlan.status, Person)
                  .join(SocialCase, SocialCase.id == InterventionPlan.case_id)
                  .join(Client, Client.id == SocialCase.client_id).where(InterventionPlan.deleted.is_(False))
                  .order_by(InterventionPlan.valid_from.desc())),
        "agreements": (select(Agreement.id, Agreement.valid_from, Agreement.status, Person)
                       .join(Client, Client.id == Agreement.client_id).where(Agreement.deleted.is_(False))
                       .order_by(Agreement.valid_from.desc())),
    }
    query = queries[kind].join(Person, Person.id == Client.person_id).where(
        Client.deleted.is_(False), visible_clients_clause(ctx))
    if client_id is not None:
        query = query.where(Client.id == client_id)
    with ctx.read() as session:
        return [_line(kind, row) for row in session.execute(query.limit(limit))]


def _line(kind: str, row: Any) -> Line:
    person: Person = row[-1]
    name = f"{person.given_name} {person.surname}"
    if kind == "clients":
        return Line(row.id, row.registered_on, name, f"{row.client_type} {row.status}", person.id)
    if kind == "decisions":
        return Line(row.id, row.issued_on or _day(row.created_at), name,
                    f"{row.number or '—'} {row.kind} {row.status}", person.id)
    if kind == "visits":
        return Line(row.id, _day(row.visited_at) or row.planned_on, name, row.status, person.id)
    if kind == "assessments":
        return Line(row.id, row.assessed_on, name, f"{row.kind} {row.status}", person.id)
    if kind == "plans":
        return Line(row.id, row.valid_from, name, f"v{row.version} {row.status}", person.id)
    return Line(row.id, row.valid_from, name, row.status, person.id)
