"""Who may see and change each record: partial replication (ARCHITECTURE.md rule 6).

Every row has an :class:`Audience`. Reference data, staff, parishes and number blocks are *shared* (every
laptop). A client's file follows the client: its parish, and — while the file is restricted — only its
responsible worker; persons and households follow their own parish. Every other row follows the record it
belongs to (a journal entry its client, a goal its case), found through its foreign keys, and keeps the id of
that *root* so that moving a client to another parish re-scopes the whole file at once. Laptops enrolled for
the municipality (the head of service's) see everything.

A laptop receives a row when its :class:`Viewer` can see the row's audience; the service accepts a change
only when both the signed-in user and the laptop can see the row (before the change, and for a new row
after it) and the user's role may write that kind of row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import and_, false, or_, true

from storage.models import SYNCED_MODELS

ROOTS = ("clients", "persons", "households")
#: shared rows only these roles may change (the rest of the service's set-up)
ADMIN_ENTITIES = frozenset({"users", "devices", "parishes", "reference_data", "number_blocks"})
ADMIN_ROLES = frozenset({"administrator", "head"})
READ_ONLY_ROLES = frozenset({"inspector"})
#: columns that link a row to its owner even without a declared foreign key
_NAMED_LINKS = {"client_id": "clients", "case_id": "social_cases", "person_id": "persons"}


@dataclass(frozen=True)
class Audience:
    shared: bool = False
    parish_id: str | None = None
    worker_id: str | None = None
    root_id: uuid.UUID | None = None

    def columns(self) -> dict[str, Any]:
        return {"shared": self.shared, "parish_id": self.parish_id, "worker_id": self.worker_id}


@dataclass(frozen=True)
class Viewer:
    """What one laptop or one user may see."""

    parish_ids: frozenset[str]
    municipal: bool
    user_ids: frozenset[str]

    def sees(self, audience: Audience) -> bool:
        if audience.shared or self.municipal:
            return True
        if audience.parish_id is None:  # a row with no owner yet: only municipal laptops and its author
            return False
        return audience.parish_id in self.parish_ids and (audience.worker_id is None
                                                          or audience.worker_id in self.user_ids)

    def condition(self, table: Any) -> Any:
        """The same rule as :meth:`sees`, as SQL over a table with audience columns."""
        if self.municipal:
            return true()
        parish = table.c.parish_id.in_(sorted(self.parish_ids)) if self.parish_ids else false()
        worker = or_(table.c.worker_id.is_(None), table.c.worker_id.in_(sorted(self.user_ids))) \
            if self.user_ids else table.c.worker_id.is_(None)
        return or_(table.c.shared, and_(parish, worker))


def user_viewer(user: Any) -> Viewer:
    return Viewer(frozenset(user.parish_ids or ()), bool(ADMIN_ROLES & set(user.roles)), frozenset({str(user.id)}))


def _links() -> dict[str, list[tuple[str, str]]]:
    """entity -> [(column, owner entity)], the client first, then the case, then any other owner."""
    shared = {name for name, model in SYNCED_MODELS.items() if name not in ROOTS and not _raw_links(model)}
    result = {}
    for name, model in SYNCED_MODELS.items():
        links = [(column, target) for column, target in _raw_links(model) if target not in shared]
        rank = {"clients": 0, "social_cases": 1}
        result[name] = sorted(links, key=lambda link: rank.get(link[1], 2))
    return result


def _raw_links(model: Any) -> list[tuple[str, str]]:
    found = []
    for column in model.__table__.columns:
        targets = [fk.column.table.name for fk in column.foreign_keys]
        target = targets[0] if targets else _NAMED_LINKS.get(column.name)
        if target and target in SYNCED_MODELS and target not in ("users", "parishes", "institutions") \
                and target != model.__tablename__:
            found.append((column.name, target))
    return found


LINKS = _links()
SHARED = frozenset(name for name in SYNCED_MODELS if name not in ROOTS and not LINKS[name] and name != "sync_conflicts")


def audience_of(stored: Callable[[str, Any], Audience | None], entity: str, row_id: uuid.UUID,
                fields: dict[str, Any]) -> Audience:
    """The audience of a row whose current content is ``fields``; ``stored(entity, row_id)`` gives the audience
    of a row the service already has (the caller's ledger, which also knows the rows of the batch at hand)."""
    if entity in SHARED:
        return Audience(shared=True)
    if entity == "clients":
        worker = fields.get("responsible_user_id") if fields.get("restricted") else None
        return Audience(parish_id=fields.get("parish_id"), worker_id=worker, root_id=row_id)
    if entity in ROOTS:
        return Audience(parish_id=fields.get("parish_id"), root_id=row_id)
    if entity == "sync_conflicts" and fields.get("entity") in SYNCED_MODELS:
        return stored(fields["entity"], fields["row_id"]) or Audience()
    for column, target in LINKS.get(entity, []):
        if fields.get(column):
            found = stored(target, fields[column])
            if found is not None:
                return found
    return Audience()


def may_write(user: Any, device_viewer: Viewer, entity: str, audience: Audience) -> str | None:
    """None when ``user`` on this laptop may change a row with ``audience``; else the refusal reason."""
    roles = set(user.roles)
    if roles and roles <= READ_ONLY_ROLES:
        return "read_only_role"
    if entity in ADMIN_ENTITIES and not roles & ADMIN_ROLES:
        return "role"
    if audience.shared or audience.parish_id is None:
        return None
    if not (user_viewer(user).sees(audience) and device_viewer.sees(audience)):
        return "out_of_scope"
    return None
