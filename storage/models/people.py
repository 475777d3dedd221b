"""Persons, their codes, households and relations, and clients (DOMAIN.md §2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Code, Synced


class Parish(Synced, Base):
    """A parish (pagasts) or town of the municipality: the unit of device scope."""

    __tablename__ = "parishes"
    name: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(120))
    code: Mapped[str | None] = mapped_column(String(20), default=None)


class Person(Synced, Base):
    """A person keeps one id for life; the personal code may change (history in PersonalCodeRecord)."""

    __tablename__ = "persons"
    given_name: Mapped[str] = mapped_column(String(120))
    surname: Mapped[str] = mapped_column(String(120))
    personal_code: Mapped[str | None] = mapped_column(String(12), default=None, index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    gender: Mapped[str | None] = mapped_column(Code(10), default=None)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    parish_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parishes.id"), default=None, index=True)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    language: Mapped[str | None] = mapped_column(String(10), default=None)
    contact_preference: Mapped[str | None] = mapped_column(Code(20), default=None)
    deceased_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: local key of the encrypted full-text index (FTS5 rowid); assigned on this device, never synced
    search_rowid: Mapped[int | None] = mapped_column(Integer, unique=True, default=None)

    LOCAL_COLUMNS: ClassVar[frozenset[str]] = frozenset({"search_rowid"})
    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "name": ("given_name", "surname"),
        "address": ("address", "parish_id"),
        "identity": ("personal_code", "birth_date"),
    }


class PersonalCodeRecord(Synced, Base):
    """A personal code the person held before (codes change on adoption or by request); the current code
    is ``Person.personal_code``."""

    __tablename__ = "personal_code_history"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    personal_code: Mapped[str] = mapped_column(String(12), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)


class Household(Synced, Base):
    __tablename__ = "households"
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    parish_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parishes.id"), default=None, index=True)

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {"address": ("address", "parish_id")}


class HouseholdMember(Synced, Base):
    __tablename__ = "household_members"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    is_head: Mapped[bool] = mapped_column(default=False)
    joined_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    left_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Relation(Synced, Base):
    """A directed relation for the genogram and the means test: ``person`` is ``kind`` of ``related``."""

    __tablename__ = "relations"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    related_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(Code(20))
    since: Mapped[dt.date | None] = mapped_column(Date, default=None)
    until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    note: Mapped[str | None] = mapped_column(String(300), default=None)


class Client(Synced, Base):
    """A person receiving social services or assistance."""

    __tablename__ = "clients"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), unique=True)
    client_type: Mapped[str] = mapped_column(Code(20))  # voluntary | mandatory
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    restricted: Mapped[bool] = mapped_column(default=False)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    referral_source: Mapped[str | None] = mapped_column(String(300), default=None)
    responsible_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    parish_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parishes.id"), default=None, index=True)
    legal_representative_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("persons.id"), default=None)
    representative_kind: Mapped[str | None] = mapped_column(Code(20), default=None)  # guardian | custodian | authorised
    capacity_limited: Mapped[bool] = mapped_column(default=False)
    retention_until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(Code(20), default="active")  # active | inactive | archived

    FIELD_GROUPS: ClassVar[dict[str, tuple[str, ...]]] = {
        "representative": ("legal_representative_id", "representative_kind", "capacity_limited"),
    }
    __table_args__ = (Index("ix_clients_status_parish", "status", "parish_id"),)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("target_groups", [])
        super().__init__(**kwargs)
