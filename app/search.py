"""Instant, diacritics-insensitive client search over name, surname, personal code and address.

The index is SQLite FTS5 inside the encrypted file (``unicode61 remove_diacritics 2``), so ``berzins`` finds
``Bērziņš`` and no plaintext index ever exists. Every word typed is a prefix; words must all match. Digits
match the personal code with or without its hyphen. Restricted files stay invisible to other workers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import column, select, table, text

from app.access import visible_clients_clause
from app.context import Context
from storage.models import Client, Person

MAX_WORDS = 6
_fts = table("person_search", column("rowid"), column("rank"))
_WORD = re.compile(r"[\w-]+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    person_id: uuid.UUID
    client_id: uuid.UUID
    given_name: str
    surname: str
    personal_code: str | None
    address: str | None
    birth_date: dt.date | None
    restricted: bool

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}"


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what the user typed, or None when there is nothing to search for."""
    normalized = unicodedata.normalize("NFC", query)
    terms = []
    for word in _WORD.findall(normalized)[:MAX_WORDS]:
        digits = re.sub(r"\D", "", word)
        letters = re.sub(r"[\d_-]", "", word)
        if digits and not letters:
            terms.append(f'code_digits : "{digits}"*')
        elif letters:
            for part in filter(None, re.split(r"[_-]", word)):
                clean = re.sub(r"\d", "", part).replace('"', '""')
                if clean:
                    terms.append(f'{{given_name surname address}} : "{clean}"*')
    return " AND ".join(terms) or None


def search_clients(ctx: Context, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Clients whose name, surname, personal code or address start with every word typed, best first."""
    expression = match_expression(query)
    if expression is None:
        return []
    statement = (
        select(Person.id, Client.id, Person.given_name, Person.surname, Person.personal_code, Person.address,
               Person.birth_date, Client.restricted)
        .select_from(_fts)
        .join(Person, Person.search_rowid == _fts.c.rowid)
        .join(Client, Client.person_id == Person.id)
        .where(text("person_search MATCH :expression"), Client.deleted.is_(False), visible_clients_clause(ctx))
        .order_by(_fts.c.rank)
        .limit(limit)
    )
    with ctx.read() as session:
        rows = session.execute(statement, {"expression": expression}).all()
    return [SearchHit(*row) for row in rows]
