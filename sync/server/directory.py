"""The service's directory for administrators: parishes (the unit of a laptop's scope) and enrolled laptops."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage.errors import N_, LietaError
from storage.ids import HybridLogicalClock, new_id
from sync.server.apply import record_service_change
from sync.server.schema import devices, records

MUNICIPALITY = "Lieta municipality"


class DirectoryError(LietaError):
    code = "directory"


class UnknownParish(DirectoryError):
    code = "unknown_parish"
    msgid = N_("No parish is called '{name}'. Known parishes: {known}.")


class UnknownDeviceName(DirectoryError):
    code = "unknown_device"
    msgid = N_("No enrolled laptop matches '{name}' (or more than one does). See 'lieta-server devices'.")


def _folded(text: str) -> str:
    """Case- and diacritics-insensitive form, so 'Laudona' finds 'Laudona' and 'lazdona' finds 'Lazdona'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def parishes(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(select(records.c.row_id, records.c.fields).where(records.c.entity == "parishes",
                                                                         records.c.deleted.is_(False))).all()
    return sorted(((str(r.row_id), r.fields.get("name", "")) for r in rows), key=lambda item: _folded(item[1]))


def find_parish(conn: Connection, name_or_id: str) -> str:
    known = parishes(conn)
    for parish_id, name in known:
        if name_or_id == parish_id or _folded(name_or_id) == _folded(name):
            return parish_id
    raise UnknownParish(name=name_or_id, known=", ".join(name for _id, name in known) or "—")


def add_parish(conn: Connection, clock: HybridLogicalClock, name: str, code: str | None = None,
               municipality: str | None = None) -> uuid.UUID:
    """A parish every laptop learns about (shared reference data)."""
    for _parish_id, existing in parishes(conn):
        if _folded(existing) == _folded(name):
            raise DirectoryError(N_("The parish '{name}' already exists."), name=name)
    parish_id = new_id()
    record_service_change(conn, clock, "parishes", parish_id, {
        "name": name.strip(), "municipality": municipality or MUNICIPALITY, "code": code, "deleted": False},
        dt.datetime.now(dt.timezone.utc))
    return parish_id


def device_list(conn: Connection) -> list[tuple[Any, ...]]:
    rows = conn.execute(select(devices).order_by(devices.c.enrolled_at)).all()
    return [(r.id, r.name, "municipality" if r.municipal else ",".join(r.parish_ids or []), r.last_applied_seq,
             r.enrolled_at.isoformat(), "revoked " + r.revoked_at.isoformat() if r.revoked_at else "active")
            for r in rows]


def find_device(conn: Connection, name_or_id: str) -> uuid.UUID:
    rows = conn.execute(select(devices.c.id, devices.c.name)).all()
    matches = [r.id for r in rows if str(r.id) == name_or_id or r.name == name_or_id]
    if not matches and len(name_or_id) >= 6:
        matches = [r.id for r in rows if str(r.id).startswith(name_or_id)]
    if len(matches) != 1:
        raise UnknownDeviceName(name=name_or_id)
    return matches[0]
