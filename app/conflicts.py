"""Values that lost a merge on the central service, for the worker to review (ARCHITECTURE.md rule 5).

The service keeps every losing value as a ``sync_conflicts`` record and sends it to the laptops that can see
the record. A worker either keeps what stands or re-applies the losing value — which is then an ordinary edit
of the record, synced like any other. Nothing is dropped silently, and a resolution is itself synced, so the
other laptops stop showing the conflict too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import audit
from app.access import can_see, require_casework
from app.context import Context
from app.errors import InvalidTransition, NotFound
from storage.errors import N_
from storage.models import SYNCED_MODELS, Client, Person, SyncConflict
from storage.outbox import from_wire

ENTITY_CONFLICT = N_("sync conflict")
RESOLUTIONS = ("kept", "reapplied")
#: what kind of record a conflict is about, in the worker's words (others show their table name)
ENTITY_LABELS = {
    "persons": N_("person's details"),
    "clients": N_("client record"),
    "households": N_("household"),
    "household_members": N_("household member"),
    "household_statuses": N_("household status"),
    "relations": N_("relation"),
    "social_cases": N_("social case"),
    "case_goals": N_("goal"),
    "intervention_plans": N_("intervention plan"),
    "plan_tasks": N_("task"),
    "agreements": N_("co-operation agreement"),
    "agreement_duties": N_("duty"),
    "home_visits": N_("home visit"),
    "home_visit_answers": N_("home-visit answer"),
    "assessments": N_("assessment"),
    "applications": N_("application"),
    "decisions": N_("decision"),
    "means_tests": N_("means test"),
    "service_referrals": N_("service referral"),
    "institutions": N_("institution"),
    "institution_contacts": N_("institution contact"),
    "complaints": N_("complaint"),
}
REASONS = {"concurrent_edit": N_("edited on two laptops"), "edited_after_delete": N_("edited after deletion")}


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    entity: str
    row_id: uuid.UUID
    reason: str
    losing: dict[str, Any]
    standing: dict[str, Any]
    occurred_at: Any
    client_id: uuid.UUID | None
    client_name: str | None = None  # "Given Surname" of the client the record belongs to

    def fields(self) -> list[str]:
        """The fields in conflict: those of the losing value (the standing side has the same names)."""
        return list(self.losing)


def _client_of(session: Any, entity: str, row_id: uuid.UUID) -> Client | None:
    """The client a record belongs to (for the visibility rule), if any."""
    model = SYNCED_MODELS.get(entity)
    row = session.get(model, row_id) if model is not None else None
    if row is None:
        return None
    if isinstance(row, Client):
        return row
    if isinstance(row, Person):  # a person's details belong to their client file, if they have one
        return session.scalar(select(Client).where(Client.person_id == row.id, Client.deleted.is_(False)))
    client_id = getattr(row, "client_id", None)
    return session.get(Client, client_id) if client_id else None


def unresolved(ctx: Context) -> list[ConflictView]:
    """Open conflicts on records this user may see, oldest first."""
    with ctx.read() as session:
        rows = session.scalars(select(SyncConflict).where(SyncConflict.resolved_at.is_(None),
                                                          SyncConflict.deleted.is_(False))
                               .order_by(SyncConflict.occurred_at)).all()
        views = []
        for row in rows:
            client = _client_of(session, row.entity, row.row_id)
            if client is not None and not can_see(ctx, client):
                continue
            person = session.get(Person, client.person_id) if client is not None else None
            views.append(ConflictView(row.id, row.entity, row.row_id, row.reason, dict(row.losing),
                                      dict(row.standing), row.occurred_at, client.id if client else None,
                                      f"{person.given_name} {person.surname}" if person else None))
        return views


def resolve(ctx: Context, conflict_id: uuid.UUID, resolution: str) -> None:
    """Close a conflict: ``kept`` leaves what stands; ``reapplied`` writes the losing values back."""
    require_casework(ctx)
    if resolution not in RESOLUTIONS:
        raise ValueError(resolution)
    with ctx.write() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None or conflict.deleted:
            raise NotFound(entity_msg=ENTITY_CONFLICT)
        client = _client_of(session, conflict.entity, conflict.row_id)
        if client is not None and not can_see(ctx, client):
            raise NotFound(entity_msg=ENTITY_CONFLICT)
        if conflict.resolved_at is not None:
            raise InvalidTransition(reason_msg=N_("the conflict is already resolved"))
        if resolution == "reapplied":
            model = SYNCED_MODELS[conflict.entity]
            row = session.get(model, conflict.row_id)
            if row is None or row.deleted:
                raise InvalidTransition(reason_msg=N_("the record was deleted; its old values stay in the log"))
            table = model.__table__
            for name, value in conflict.losing.items():
                if name in table.c and name != "deleted":
                    setattr(row, name, from_wire(table.c[name], value))
        conflict.resolved_at = ctx.now()
        conflict.resolved_by_user_id = ctx.user_id
        conflict.resolution = resolution
        audit.record(ctx, "conflict_resolved", entity="sync_conflicts", entity_id=conflict.id,
                     client_id=client.id if client else None, session=session)
