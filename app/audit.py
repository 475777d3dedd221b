"""Everything done to a client file is audited: who, when, what, on which device (ARCHITECTURE.md rule 8)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Context
from storage.models import AuditEvent

ACTIONS = ("open_client", "open_attachment", "print", "export", "search_restricted", "client_data_report", "backup", "restore",
           "user_added", "user_removed", "passphrase_changed", "conflict_resolved")


def record(ctx: Context, action: str, *, entity: str | None = None, entity_id: uuid.UUID | None = None,
           client_id: uuid.UUID | None = None, details: dict[str, Any] | None = None,
           session: Session | None = None) -> None:
    """Append an audit event, in the caller's transaction if one is given (details: no personal data)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(at=ctx.now(), user_id=ctx.user_id, device_id=ctx.store.device_id, action=action,
                       entity=entity, entity_id=entity_id, client_id=client_id, details=details or {})
    if session is not None:
        session.add(event)
        return
    with ctx.write() as own:
        own.add(event)


def events_for_client(ctx: Context, client_id: uuid.UUID) -> list[AuditEvent]:
    """Who opened, printed or exported this file — the client file's 'who looked' tab."""
    with ctx.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.client_id == client_id)
                                    .order_by(AuditEvent.at)))
