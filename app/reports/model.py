"""The shapes every report is made of: tables with typed columns, findings, translatable messages, names.

Rows hold ids, codes, dates and numbers — never display names or translated text — so the same report
renders in Latvian or English, as text, JSON or a printed table, and a finding can be logged without
personal data. Names are looked up once per report (:func:`app.reports.source.resolve_names`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from app.i18n import LANGUAGES, gettext

#: How a column's values are shown. ``client``/``worker``/``parish``/``person`` hold ids resolved through
#: :class:`Names`; ``code`` holds a code shown through the column's ``labels``; ``message`` a :class:`Message`.
COLUMN_KINDS = ("text", "int", "date", "money", "hours", "bool", "code", "message",
                "client", "worker", "parish", "person")
#: A label is a msgid (translated with gettext) or a ready text per language (catalogue names in reference data).
Label = str | Mapping[str, str]


def label_text(label: Label, language: str) -> str:
    if isinstance(label, str):
        return gettext(label, language)
    return label.get(language) or label.get("en") or next(iter(label.values()), "")


def titles(msgid: str) -> dict[str, str]:
    """A msgid in every language Lieta speaks (JSON carries both, the UI picks one)."""
    return {language: gettext(msgid, language) for language in LANGUAGES}


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # msgid
    kind: str = "text"
    labels: Mapping[str, Label] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Table:
    id: str
    title: str  # msgid
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Message:
    """A short description: a msgid and parameters that are dates, numbers or codes — no personal data."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def text(self, language: str = "en", format_value: Callable[[Any], str] | None = None) -> str:
        """The message in ``language``; ``*_msg`` parameters are msgids translated too (as in error messages)."""
        fmt = format_value or (lambda value: value.isoformat() if isinstance(value, dt.date) else value)
        values = {key: gettext(value, language) if key.endswith("_msg") else fmt(value)
                  for key, value in self.params.items()}
        try:
            return gettext(self.msgid, language).format(**values)
        except (KeyError, IndexError, ValueError):
            return self.msgid


@dataclass(frozen=True)
class Finding:
    """One record behind an inspection finding, with the ids needed to count it and to open it."""

    entity: str  # table of the record: social_cases, decisions, home_visits, users…
    record_id: uuid.UUID
    client_id: uuid.UUID | None
    worker_id: uuid.UUID | None  # who is responsible for putting it right
    parish_id: uuid.UUID | None
    day: dt.date | None  # the date it is about: the visit, the missed deadline, the last contact
    message: Message


@dataclass
class Names:
    """Display names of the ids in one report, resolved in one place for users allowed to see them."""

    clients: dict[uuid.UUID, str] = field(default_factory=dict)
    workers: dict[uuid.UUID, str] = field(default_factory=dict)
    parishes: dict[uuid.UUID, str] = field(default_factory=dict)
    persons: dict[uuid.UUID, str] = field(default_factory=dict)

    def of(self, kind: str) -> dict[uuid.UUID, str]:
        return {"client": self.clients, "worker": self.workers, "parish": self.parishes,
                "person": self.persons}[kind]


@dataclass(frozen=True)
class Scope:
    """Whose data the report covers: the whole municipality (head, inspector) or what the user may see."""

    whole_municipality: bool
    municipality: str | None = None
    worker_id: uuid.UUID | None = None


@dataclass
class TableReport:
    """A service report: a title, the period and date it was made for, its scope and its tables."""

    kind: str
    title: str  # msgid
    on: dt.date
    year: int | None
    scope: Scope
    tables: list[Table]
    names: Names = field(default_factory=Names)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The main (first) table's columns."""
        return self.tables[0].columns

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The main (first) table's rows."""
        return self.tables[0].rows

    def table(self, table_id: str) -> Table:
        return next(table for table in self.tables if table.id == table_id)
