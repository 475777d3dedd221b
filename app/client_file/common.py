"""Small helpers the client file's read models share: names, template texts, user names."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import current_language
from storage.models import Person, User


def name_of(person: Person | None) -> str:
    return f"{person.given_name} {person.surname}" if person is not None else ""


def in_language(texts: dict[str, Any] | None, fallback: str = "") -> str:
    """A template's text in the current language, Latvian when missing."""
    texts = texts or {}
    return texts.get(current_language()) or texts.get("lv") or fallback or next(iter(texts.values()), "")


def users_by_id(session: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
