"""Users of this laptop: each has a row in the synced user list and a key slot to unlock the store."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from app import audit
from app import validation as v
from app.context import ROLES, Context
from app.errors import NotFound, ValidationError
from storage import store as store_module
from storage.errors import N_
from storage.models import User

LOGIN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSPHRASE = 8


def validate_login(login: str) -> str:
    login = (login or "").strip()
    if not LOGIN.match(login):
        raise ValidationError(N_("A user name is 2–32 lowercase letters, digits, dots, dashes or underscores, "
                                 "starting with a letter."), field="login")
    return login


def validate_passphrase(passphrase: str, login: str) -> str:
    if passphrase is None or len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(N_("A passphrase needs at least {count} characters."), field="passphrase",
                              count=MIN_PASSPHRASE)
    if passphrase.strip().lower() == login.lower():
        raise ValidationError(N_("The passphrase must not be the user name."), field="passphrase")
    return passphrase


def add_user(ctx: Context, login: str, passphrase: str, *, display_name: str, roles: list[str],
             position: str | None = None) -> None:
    """Let another member of staff unlock this laptop (administrators only)."""
    ctx.require_role(N_("add users"), "administrator")
    login = validate_login(login)
    validate_passphrase(passphrase, login)
    roles = v.choices(roles, "role", ROLES)
    if not roles:
        raise ValidationError(N_("Choose at least one role."), field="role")
    display_name = v.text(display_name, "name", max_length=200)
    if login in ctx.store.slots.users():
        raise ValidationError(N_("This user can already unlock this laptop."), field="login")
    with ctx.write() as session:
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            session.add(User(login=login, display_name=display_name, roles=roles,
                             position=v.text(position, "position", required=False, max_length=200)))
        audit.record(ctx, "user_added", entity="users", session=session, details={"login": login})
    ctx.store.add_key_slot(login, passphrase)


def remove_user(ctx: Context, login: str) -> None:
    """Remove a user's key slot from this laptop; their records and the synced user list stay."""
    ctx.require_role(N_("remove users"), "administrator")
    if login not in ctx.store.slots.users():
        raise NotFound(entity_msg=N_("user"))
    ctx.store.remove_key_slot(login)
    audit.record(ctx, "user_removed", entity="users", details={"login": login})


def change_passphrase(data_dir: Path, login: str, old: str, new: str) -> None:
    validate_passphrase(new, login)
    store_module.change_passphrase(Path(data_dir), login, old, new)


def list_users(ctx: Context) -> list[tuple[str, str, list[str], bool]]:
    """(login, display name, roles, can unlock this laptop) for every known user."""
    local = set(ctx.store.slots.users())
    with ctx.read() as session:
        users = session.scalars(select(User).order_by(User.login)).all()
        return [(u.login, u.display_name, list(u.roles), u.login in local) for u in users]
