"""Small helpers shared by the storage tests: real rows, the outbox as written, damage to real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.ids import new_id
from storage.models import Client, DeviceState, OutboxEntry, Person

#: What a worker types about a client; none of it may ever appear in a file unencrypted.
GIVEN_NAME = "Jānis"
SURNAME = "Bērziņš"
OTHER_SURNAME = "Ozoliņa"
PERSONAL_CODE = "050385-12347"
ADDRESS = "Skolas iela 5, Ērgļi"
PAGE_SIZE = 4096


def add_person(session: Session, surname: str = SURNAME, given_name: str = GIVEN_NAME,
               personal_code: str | None = PERSONAL_CODE, **values) -> Person:
    person = Person(id=new_id(), given_name=given_name, surname=surname, personal_code=personal_code, **values)
    session.add(person)
    session.flush()
    return person


def add_client(session: Session, person: Person) -> Client:
    client = Client(id=new_id(), person_id=person.id, client_type="voluntary", registered_on=dt.date(2026, 11, 2))
    session.add(client)
    session.flush()
    return client


def outbox_after(store, seq: int) -> list[OutboxEntry]:
    """The change records written after sequence number ``seq``, in order."""
    with store.session() as session:
        return list(session.scalars(select(OutboxEntry).where(OutboxEntry.seq > seq).order_by(OutboxEntry.seq)))


def last_seq(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.coalesce(func.max(OutboxEntry.seq), 0)))


def count(store, model) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def device_state(store) -> DeviceState:
    with store.session() as session:
        return session.get(DeviceState, 1)


def surnames(store) -> list[str]:
    with store.session() as session:
        return sorted(session.scalars(select(Person.surname).where(Person.deleted.is_(False))))


def flip_bytes(path: Path, offset: int, length: int = 16) -> None:
    """Invert ``length`` bytes of the file at ``offset`` (bit rot, a bad sector, a cut copy)."""
    data = bytearray(path.read_bytes())
    assert offset + length <= len(data), "the damage must land inside the file"
    for i in range(offset, offset + length):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def page_offset(page_number: int) -> int:
    """An offset inside the encrypted content of SQLite page ``page_number`` (1-based)."""
    return (page_number - 1) * PAGE_SIZE + 100
