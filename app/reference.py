"""Reference data: the dated facts a law or a municipality sets — thresholds, the benefit catalogue and its
decision terms, status periods, review intervals, staff norms, public holidays (issue 3: data, not code).

The defaults ship in ``resources/reference/<kind>.json``. The central service distributes newer versions as
``ReferenceData`` rows (``kind``, ``key="document"``, ``version``, ``payload``); the highest version wins, so
a municipality changes a threshold or a term without a new release. Inside a document, anything that changes
over time is a list of rows with ``valid_from`` / ``valid_to`` (ISO dates, inclusive, ``null`` = open);
:func:`valid_on` picks the row in force on a given day — an application is judged by the rules of its date.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from storage.errors import N_
from storage.models import ReferenceData

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "resources" / "reference"


class ReferenceMissing(DomainError):
    """No reference row covers a date: the catalogue must be updated, never guessed."""

    code = "reference_missing"
    msgid = N_("The reference data '{kind}' has no entry valid on {day}. Ask the main office to update it.")


@functools.lru_cache(maxsize=None)
def bundled(kind: str) -> dict[str, Any]:
    """The document shipped with this release."""
    with open(REFERENCE_DIR / f"{kind}.json", encoding="utf-8") as handle:
        return json.load(handle)


def document(kind: str, session: Session | None = None) -> dict[str, Any]:
    """The newest version of a reference document: the store's (from the central service) or the bundled."""
    shipped = bundled(kind)
    if session is None:
        return shipped
    cache = session.info.setdefault("reference_documents", {})  # one query per kind and session
    if kind not in cache:
        cache[kind] = _newest(session, kind, shipped)
    return cache[kind]


def _newest(session: Session, kind: str, shipped: dict[str, Any]) -> dict[str, Any]:
    row = session.scalars(select(ReferenceData).where(
        ReferenceData.kind == kind, ReferenceData.key == "document", ReferenceData.deleted.is_(False))
        .order_by(ReferenceData.version.desc()).limit(1)).first()
    if row is not None and row.version > int(shipped.get("version", 0)):
        return row.payload
    return shipped


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def covers(row: dict[str, Any], day: dt.date) -> bool:
    start, end = _day(row.get("valid_from")), _day(row.get("valid_to"))
    return (start is None or start <= day) and (end is None or day <= end)


def valid_on(rows: Iterable[dict[str, Any]], day: dt.date, *, kind: str) -> dict[str, Any]:
    """The row in force on ``day``; the latest-starting one if several overlap (a newer rule replaces)."""
    matching = [row for row in rows if covers(row, day)]
    if not matching:
        raise ReferenceMissing(kind=kind, day=day.isoformat())
    return max(matching, key=lambda row: row.get("valid_from") or "")
