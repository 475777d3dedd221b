"""Who may see and change what (ARCHITECTURE.md rule 7). One place, used by every service and by search."""

from __future__ import annotations

from sqlalchemy import or_, true
from sqlalchemy.sql.elements import ColumnElement

from app.context import Context
from app.errors import NotFound, PermissionDenied
from storage.errors import N_
from storage.models import Client

CASEWORK_ROLES = ("social_worker", "assistance_organiser", "head")
ENTITY_CLIENT = N_("client")


def visible_clients_clause(ctx: Context) -> ColumnElement[bool]:
    """SQL condition on ``Client``: restricted files only for their responsible worker and the head."""
    if ctx.has_role("head", "inspector"):
        return true()
    if not ctx.has_role(*CASEWORK_ROLES):
        return Client.id.is_(None)  # an administrator sees no case content
    return or_(Client.restricted.is_(False), Client.responsible_user_id == ctx.user_id)


def visible_clients_sql(ctx: Context, alias: str = "clients") -> tuple[str, tuple]:
    """The same rule as :func:`visible_clients_clause`, as SQL text for hot paths that bypass the ORM."""
    if ctx.has_role("head", "inspector"):
        return "1", ()
    if not ctx.has_role(*CASEWORK_ROLES):
        return "0", ()
    return f"({alias}.restricted = 0 OR {alias}.responsible_user_id = ?)", (ctx.user_id.hex if ctx.user_id else "",)


def can_see(ctx: Context, client: Client) -> bool:
    if ctx.has_role("head", "inspector"):
        return True
    if not ctx.has_role(*CASEWORK_ROLES):
        return False
    return not client.restricted or client.responsible_user_id == ctx.user_id


def require_visible(ctx: Context, client: Client | None) -> Client:
    """The client, or NotFound — a restricted file is indistinguishable from a missing one."""
    if client is None or client.deleted or not can_see(ctx, client):
        raise NotFound(entity_msg=ENTITY_CLIENT)
    return client


def require_casework(ctx: Context) -> None:
    if ctx.has_role("inspector") and not ctx.has_role(*CASEWORK_ROLES):
        raise PermissionDenied(action_msg=N_("change case files (inspectors have read-only access)"))
    ctx.require_role(N_("change case files"), *CASEWORK_ROLES)
