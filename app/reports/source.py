"""What every report reads through: one session, one report date, the user's visibility, the dated norms.

Visibility is the same rule as everywhere (:func:`app.access.visible_clients_clause`): a worker's report
covers the files the worker may open, the head's and the inspector's the whole municipality. Staff records
(supervision, training, workload) of colleagues are shown to the head and the inspector only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app import deadlines, reference
from app.access import CASEWORK_ROLES, visible_clients_clause
from app.context import Context
from app.errors import ValidationError
from app.reports.model import Names
from storage.errors import N_
from storage.models import Client, Parish, Person, User

NORMS = "norms_lv"
ASSISTANCE = "assistance_lv"
REPORT_ROLES = (*CASEWORK_ROLES, "inspector")
ONE_DAY = dt.timedelta(days=1)


def require_report_access(ctx: Context) -> None:
    """Reports show case content: case workers and inspectors, not an administrator alone."""
    ctx.require_role(N_("view reports"), *REPORT_ROLES)


def report_period(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """1 January of ``year`` and the last day a year's report counts: 31 December, or ``today`` in the current
    year."""
    start = dt.date(year, 1, 1)
    if start > today:
        raise ValidationError(N_("The year {year} has not begun yet."), field="year", year=year)
    return start, min(dt.date(year, 12, 31), today)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of a stored UTC moment on this laptop (as the services compare dates)."""
    return moment.astimezone().date()


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` as an aware moment, for comparing with stored UTC moments."""
    return dt.datetime.combine(day, dt.time()).astimezone()


def year_fraction(day: dt.date) -> tuple[int, int]:
    """Days of ``day``'s year elapsed up to and including ``day``, and the days in that year."""
    start = dt.date(day.year, 1, 1)
    return (day - start).days + 1, (dt.date(day.year + 1, 1, 1) - start).days


@dataclass
class Source:
    ctx: Context
    session: Session
    today: dt.date
    _rows: dict[tuple[str, str, dt.date], dict[str, Any]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """A value several checks share (e.g. the open cases), computed once per report."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def sees_all(self) -> bool:
        return self.ctx.has_role("head", "inspector")

    def visible(self) -> ColumnElement[bool]:
        """SQL condition on ``Client``: the files this user may see."""
        return visible_clients_clause(self.ctx)

    def norm(self, section: str, day: dt.date | None = None, *, kind: str = NORMS) -> dict[str, Any]:
        """The row of a reference section in force on ``day`` (default: the report date)."""
        day = day or self.today
        key = (kind, section, day)
        if key not in self._rows:
            self._rows[key] = reference.valid_on(self.document(kind)[section], day, kind=kind)
        return self._rows[key]

    def casework(self, day: dt.date | None = None) -> dict[str, Any]:
        return self.norm("casework", day)

    def document(self, kind: str) -> dict[str, Any]:
        return self.memo(f"document:{kind}", lambda: reference.document(kind, self.session))

    def calendar(self) -> deadlines.WorkingCalendar:
        return self.memo("calendar", lambda: deadlines.calendar(self.session))

    def staff(self, roles: Iterable[str] | None = None) -> list[User]:
        """Active staff the user may report on (everyone for the head and the inspector, else oneself)."""
        query = select(User).where(User.deleted.is_(False), User.active.is_(True))
        if not self.sees_all:
            query = query.where(User.id == self.ctx.user_id)
        wanted = set(roles) if roles is not None else None
        users = self.session.scalars(query.order_by(User.display_name, User.login)).all()
        return [user for user in users if wanted is None or wanted & set(user.roles)]

    def municipality(self) -> str | None:
        names = sorted(set(self.session.scalars(select(Parish.municipality).where(Parish.deleted.is_(False)))))
        return ", ".join(names) or None


def _chunks(ids: set, size: int = 500) -> Iterable[list]:
    """Ids in slices that stay far below SQLite's limit on bound parameters."""
    ordered = sorted(ids, key=str)
    for index in range(0, len(ordered), size):
        yield ordered[index:index + size]


def _full_name(given: str, surname: str) -> str:
    return f"{surname} {given}"


def resolve_names(src: Source, *, clients: Iterable[uuid.UUID | None] = (), workers: Iterable[uuid.UUID | None] = (),
                  parishes: Iterable[uuid.UUID | None] = (), persons: Iterable[uuid.UUID | None] = ()) -> Names:
    """Display names for the ids a report shows — the one place where personal names enter a report.

    Client names only for files the user may see (a restricted file stays nameless to others); a person
    who is a client the user may not see is left out the same way.
    """
    names, session = Names(), src.session
    for chunk in _chunks({cid for cid in clients if cid is not None}):
        for cid, given, surname in session.execute(
                select(Client.id, Person.given_name, Person.surname).join(Person, Person.id == Client.person_id)
                .where(Client.id.in_(chunk), src.visible())):
            names.clients[cid] = _full_name(given, surname)
    for chunk in _chunks({pid for pid in persons if pid is not None}):
        clients_here = set(session.scalars(select(Client.person_id).where(Client.person_id.in_(chunk))))
        hidden = clients_here - set(session.scalars(select(Client.person_id).where(Client.person_id.in_(chunk),
                                                                                     src.visible())))
        for pid, given, surname in session.execute(
                select(Person.id, Person.given_name, Person.surname).where(Person.id.in_(chunk))):
            if pid not in hidden:
                names.persons[pid] = _full_name(given, surname)
    for chunk in _chunks({wid for wid in workers if wid is not None}):
        names.workers.update(session.execute(select(User.id, User.display_name).where(User.id.in_(chunk))).all())
    for chunk in _chunks({pid for pid in parishes if pid is not None}):
        names.parishes.update(session.execute(select(Parish.id, Parish.name).where(Parish.id.in_(chunk))).all())
    return names
