"""The file's records over time: the journal, assessments, scans and the audit trail of who opened it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.cases import visible_client
from app.client_file.common import in_language, users_by_id
from app.context import Context
from app.visits import load_template
from storage.models import Assessment, Attachment, AuditEvent, JournalEntry


@dataclass(frozen=True)
class JournalLine:
    id: uuid.UUID
    occurred_at: dt.datetime
    kind: str
    topic: str
    text: str | None
    duration_minutes: int | None
    worker: str | None
    flags: tuple[str, ...]
    corrects: bool


def journal(ctx: Context, client_id: uuid.UUID) -> list[JournalLine]:
    """The client's journal, newest first (the worker looks for the last contact)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.execute(select(
            JournalEntry.id, JournalEntry.occurred_at, JournalEntry.kind, JournalEntry.topic, JournalEntry.text,
            JournalEntry.duration_minutes, JournalEntry.worker_user_id, JournalEntry.flags,
            JournalEntry.corrects_entry_id).where(JournalEntry.client_id == client.id,
                                                  JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc(), JournalEntry.created_at.desc())).all()
        users = users_by_id(session, {row.worker_user_id for row in rows})
        return [JournalLine(r.id, r.occurred_at, r.kind, r.topic, r.text, r.duration_minutes,
                            users.get(r.worker_user_id), tuple(r.flags or ()), r.corrects_entry_id is not None)
                for r in rows]


@dataclass(frozen=True)
class AssessmentLine:
    id: uuid.UUID
    kind: str
    title: str
    assessed_on: dt.date
    status: str
    low: int
    high: int
    axes: tuple[str, ...]  # domain names in the current language
    scores: tuple[int | None, ...]
    previous_on: dt.date | None  # the previous final assessment of the same kind
    previous_scores: tuple[int | None, ...] | None
    summary: str | None


def assessments(ctx: Context, client_id: uuid.UUID) -> list[AssessmentLine]:
    """The client's assessments, newest first, each with the previous final one of its kind to compare."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(Assessment).where(Assessment.client_id == client.id,
                                                        Assessment.deleted.is_(False))
                               .order_by(Assessment.assessed_on, Assessment.created_at)).all()
    templates: dict[tuple[str, int], Any] = {}
    lines = []
    for index, row in enumerate(rows):
        key = (row.template_id, row.template_version)
        if key not in templates:
            templates[key] = load_template(*key)
        template = templates[key]
        earlier = next((r for r in reversed(rows[:index]) if r.kind == row.kind and r.status == "final"), None)
        ids = template.domain_ids

        def scores_of(assessment: Assessment) -> tuple[int | None, ...]:
            return tuple(assessment.scores.get(d) if isinstance(assessment.scores.get(d), int) else None
                         for d in ids)

        lines.append(AssessmentLine(
            row.id, row.kind, in_language(template.title, row.kind), row.assessed_on, row.status,
            template.scale_min, template.scale_max, tuple(in_language(d, d["id"]) for d in template.domains),
            scores_of(row), earlier.assessed_on if earlier else None, scores_of(earlier) if earlier else None,
            row.summary))
    return lines[::-1]


@dataclass(frozen=True)
class AttachmentLine:
    id: uuid.UUID
    filename: str
    media_type: str
    size_bytes: int
    description: str | None
    added_at: dt.datetime
    added_by: str | None


def attachments(ctx: Context, client_id: uuid.UUID) -> list[AttachmentLine]:
    """Scans and files in the client's file, newest first (their bytes stay in the store until asked for)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.execute(select(
            Attachment.id, Attachment.filename, Attachment.media_type, Attachment.size_bytes, Attachment.description,
            Attachment.created_at, Attachment.author_user_id).where(
            Attachment.client_id == client.id, Attachment.deleted.is_(False))
            .order_by(Attachment.created_at.desc())).all()
        users = users_by_id(session, {r.author_user_id for r in rows})
        return [AttachmentLine(r.id, r.filename, r.media_type, r.size_bytes, r.description, r.created_at,
                               users.get(r.author_user_id)) for r in rows]


@dataclass(frozen=True)
class AuditLine:
    at: dt.datetime
    user: str | None
    action: str  # an audit action code (app.audit.ACTIONS)
    document: str | None  # what was printed or exported (a document kind code)


def audit_trail(ctx: Context, client_id: uuid.UUID) -> list[AuditLine]:
    """Who opened, printed or exported this file and when, newest first."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(AuditEvent).where(AuditEvent.client_id == client.id)
                               .order_by(AuditEvent.at.desc())).all()
        users = users_by_id(session, {r.user_id for r in rows})
        return [AuditLine(r.at, users.get(r.user_id), r.action, (r.details or {}).get("kind")) for r in rows]
