"""The explicit services object every use-case takes: the unlocked store and who is working.

Nothing creates an engine or reads settings at import time; the CLI and the UI build one ``Context`` after
unlocking and pass it to service functions (ARCHITECTURE.md example 3).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from app.errors import PermissionDenied
from storage.errors import N_
from storage.store import Store

ROLES = ("social_worker", "assistance_organiser", "head", "administrator", "inspector")
ROLE_LABELS = {
    "social_worker": N_("social worker"),
    "assistance_organiser": N_("social assistance organiser"),
    "head": N_("head of service"),
    "administrator": N_("administrator"),
    "inspector": N_("inspector"),
}


@dataclass
class Context:
    store: Store
    today: Callable[[], dt.date] = field(default=dt.date.today)
    #: the current moment (UTC); tests fix it together with ``today``
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.store.user_id

    @property
    def roles(self) -> list[str]:
        return self.store.roles

    def has_role(self, *roles: str) -> bool:
        return any(role in self.store.roles for role in roles)

    def require_role(self, action_msg: str, *roles: str) -> None:
        if not self.has_role(*roles):
            raise PermissionDenied(action_msg=action_msg)

    def read(self) -> Session:
        return self.store.session()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with self.store.write() as session:
            yield session

    def now(self) -> dt.datetime:
        return self.clock()
