"""Instant, diacritics-insensitive client search over name, surname, personal code and address.

The index is SQLite FTS5 inside the encrypted file (``unicode61 remove_diacritics 2``), so ``berzins`` finds
``Bērziņš`` and no plaintext index ever exists. Every word typed is a prefix; words must all match. Digits
match the personal code with or without its hyphen. Restricted files stay invisible to other workers.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass

from app.access import visible_clients_sql
from app.context import Context

MAX_WORDS = 6
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


NAME_COLUMNS = "{given_name surname}"
ALL_COLUMNS = "{given_name surname address}"


def match_expression(query: str, columns: str = ALL_COLUMNS) -> str | None:
    """The FTS5 MATCH expression for what the user typed, or None when there is nothing to search for.

    Words of letters are prefixes in ``columns``; words of digits are prefixes of the personal code
    (with or without its hyphen). User text only ever appears inside double quotes.
    """
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
                    terms.append(f'{columns} : "{clean}"*')
    return " AND ".join(terms) or None


@dataclass(frozen=True)
class SearchResult:
    """Matches sorted by surname and name. ``complete`` is False when the query matched more clients than
    were looked at: the UI says "keep typing" instead of pretending these are the alphabetically first."""

    hits: list[SearchHit]
    complete: bool

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def search_clients(ctx: Context, query: str, *, limit: int = 50, scan: int = 100) -> SearchResult:
    """Clients whose name, surname, personal code or address start with every word typed.

    Name matches come first, alphabetically; address matches fill up only when names give too few. The
    index is read in its own order and each pass stops after ``scan`` matches, so a one-letter query costs
    the same as a precise one; ``complete`` says whether everything matching was seen.
    """
    names = match_expression(query, NAME_COLUMNS)
    if names is None:
        return SearchResult([], True)
    with ctx.read() as session:
        cursor = session.connection().connection.cursor()
        try:
            first = _matches(ctx, cursor, names, scan + 1)
            complete = len(first) <= scan
            hits = sorted(first[:scan], key=_alphabetical)
            everywhere = match_expression(query, ALL_COLUMNS)
            if complete and len(hits) < limit and everywhere != names:
                more = _matches(ctx, cursor, f"({everywhere}) NOT ({names})", scan + 1)
                complete = len(more) <= scan
                hits += sorted(more[:scan], key=_alphabetical)
        finally:
            cursor.close()
    return SearchResult(hits[:limit], complete and len(hits) <= limit)


_MATCH_SQL = (
    "SELECT persons.id, clients.id, persons.given_name, persons.surname, persons.personal_code, persons.address, "
    "persons.birth_date, clients.restricted FROM person_search "
    "JOIN persons ON persons.search_rowid = person_search.rowid "
    "JOIN clients ON clients.person_id = persons.id "
    "WHERE person_search MATCH ? AND clients.deleted = 0 AND {visible} LIMIT ?"
)


def _matches(ctx: Context, cursor, expression: str, limit: int) -> list[SearchHit]:
    """One prepared statement on the DB-API cursor: this is the hot path of typing in the search box."""
    visible, params = visible_clients_sql(ctx)
    clients_only = f"({expression}) AND role : client"  # the index marks clients (migration 0003)
    rows = cursor.execute(_MATCH_SQL.format(visible=visible), (clients_only, *params, limit)).fetchall()
    return [
        SearchHit(uuid.UUID(hex=person), uuid.UUID(hex=client), given, surname, code, address,
                  dt.date.fromisoformat(born) if born else None, bool(restricted))
        for person, client, given, surname, code, address, born, restricted in rows
    ]


def _alphabetical(hit: SearchHit) -> tuple[str, str]:
    return (_fold(hit.surname), _fold(hit.given_name))


@functools.lru_cache(maxsize=4096)
def _fold(text_: str) -> str:
    """Latvian sort key: letters with diacritics sort right after their base letter (ā after a, before b)."""
    decomposed = unicodedata.normalize("NFD", text_.casefold())
    key = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if key:
                key[-1] += "~"
        else:
            key.append(ch)
    return "".join(key)
