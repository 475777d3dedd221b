"""Inspection checks on the service itself (DOMAIN.md §6, §7; ARCHITECTURE.md rules 7–8): restricted files
really restricted, supervision and training of staff on schedule, complaints answered in time.

Norms are dated reference data (``norms_lv``: ``supervision``, ``training``, ``casework``). Supervision and
training are pro-rated to the report date ("behind schedule") and reach the full norm on 31 December.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from app.reports.checks_casework import open_cases
from app.reports.model import Finding, Message
from app.reports.source import ONE_DAY, Source, day_start, local_day, year_fraction
from storage.errors import N_
from storage.models import AuditEvent, Client, Complaint, SupervisionRecord, TrainingRecord, User

#: audit actions that read a client's file (ARCHITECTURE.md rule 8), with how the report names them
ACCESS_ACTIONS = {
    "open_client": N_("the file was opened"),
    "open_attachment": N_("an attachment was opened"),
    "print": N_("the file was printed"),
    "export": N_("the file was exported"),
    "client_data_report": N_("a client data report was made"),
}


# -- restricted files -------------------------------------------------------------------------------------------
def restricted_access(src: Source) -> list[Finding]:
    """Restricted files without a worker, with an open case that is not restricted or has another worker, and
    reads of them by users who are neither the file's worker nor a head (an inspector's read-only access is
    lawful and audited, ARCHITECTURE.md rule 7, so it is not a finding)."""
    clients = {client.id: client for client in src.session.scalars(
        select(Client).where(Client.restricted.is_(True), Client.deleted.is_(False), src.visible())
        .order_by(Client.registered_on, Client.id))}
    found = [Finding("clients", client.id, client.id, None, client.parish_id, None,
                     Message(N_("restricted file has no responsible worker")))
             for client in clients.values() if client.responsible_user_id is None]
    for case, _client in open_cases(src):
        client = clients.get(case.client_id)
        if client is None:
            continue
        if not case.restricted:
            msgid = N_("the open case of a restricted file is not restricted")
        elif case.responsible_user_id != client.responsible_user_id:
            msgid = N_("the open case of a restricted file has another responsible worker than the file")
        else:
            continue
        found.append(Finding("social_cases", case.id, client.id, client.responsible_user_id, client.parish_id,
                             case.opened_on, Message(msgid)))
    heads = {user.id for user in src.session.scalars(select(User))
             if {"head", "inspector"} & set(user.roles or [])}
    events = src.session.scalars(select(AuditEvent).where(
        AuditEvent.client_id.in_(select(Client.id).where(Client.restricted.is_(True))),
        AuditEvent.action.in_(list(ACCESS_ACTIONS)), AuditEvent.deleted.is_(False),
        AuditEvent.at < day_start(src.today + ONE_DAY)).order_by(AuditEvent.at))
    for event in events:
        client = clients.get(event.client_id)
        if client is None or event.user_id == client.responsible_user_id or event.user_id in heads:
            continue
        day = local_day(event.at)
        found.append(Finding("audit_events", event.id, client.id, event.user_id, client.parish_id, day, Message(
            N_("restricted file: {action_msg} on {day} by a user who is neither its worker nor the head"),
            {"action_msg": ACCESS_ACTIONS[event.action], "day": day})))
    return found


# -- supervision and training -------------------------------------------------------------------------------------
def _expected_so_far(per_year: int | float, day: dt.date) -> int:
    """Whole sessions or hours due by ``day`` at an even pace; the full norm on 31 December."""
    elapsed, days = year_fraction(day)
    return int(Decimal(str(per_year)) * elapsed // days)


def _year_so_far(src: Source, column):
    return column >= dt.date(src.today.year, 1, 1), column <= src.today


def supervision_overdue(src: Source) -> list[Finding]:
    """Staff with a supervision norm who had fewer sessions this year than due by the report date."""
    norm = src.norm("supervision")
    per_year = norm["sessions_per_year"]
    expected = _expected_so_far(per_year, src.today)
    done = dict(src.session.execute(
        select(SupervisionRecord.user_id, func.count()).where(
            SupervisionRecord.deleted.is_(False), *_year_so_far(src, SupervisionRecord.held_on))
        .group_by(SupervisionRecord.user_id)).all())
    found = []
    for user in src.staff(norm["roles"]):
        count = done.get(user.id, 0)
        if count < expected:
            found.append(Finding("users", user.id, None, user.id, None, src.today, Message(
                N_("{done} supervision sessions this year, {expected} due by {day} (norm: {norm} a year)"),
                {"done": count, "expected": expected, "day": src.today, "norm": per_year})))
    return found


def training_norm(norm: dict, roles: list[str]) -> int | float | None:
    """A member of staff with several roles follows the highest of their roles' norms."""
    hours = [norm["hours_per_year"][role] for role in roles if role in norm["hours_per_year"]]
    return max(hours) if hours else None


def training_overdue(src: Source) -> list[Finding]:
    """Staff with a training norm who had fewer training hours this year than due by the report date."""
    norm = src.norm("training")
    done = dict(src.session.execute(
        select(TrainingRecord.user_id, func.sum(TrainingRecord.hours)).where(
            TrainingRecord.deleted.is_(False), *_year_so_far(src, TrainingRecord.held_on))
        .group_by(TrainingRecord.user_id)).all())
    found = []
    for user in src.staff(norm["hours_per_year"]):
        per_year = training_norm(norm, user.roles)
        expected = _expected_so_far(per_year, src.today)
        hours = Decimal(str(round(done.get(user.id) or 0, 2)))
        if hours < expected:
            found.append(Finding("users", user.id, None, user.id, None, src.today, Message(
                N_("{done} training hours this year, {expected} due by {day} (norm: {norm} hours a year)"),
                {"done": hours, "expected": expected, "day": src.today, "norm": per_year})))
    return found


# -- complaints ------------------------------------------------------------------------------------------------------
def complaint_rows(src: Source, *where) -> list[tuple[Complaint, object, object]]:
    """Complaints the user may see — (complaint, complainant's client id, parish id): one by a client whose
    file is restricted to another worker is hidden like the file."""
    return [tuple(row) for row in src.session.execute(
        select(Complaint, Client.id, Client.parish_id)
        .outerjoin(Client, and_(Client.person_id == Complaint.complainant_person_id, Client.deleted.is_(False)))
        .where(Complaint.deleted.is_(False), or_(Client.id.is_(None), src.visible()), *where)
        .order_by(Complaint.received_on, Complaint.id))]


def answer_due(src: Source, complaint: Complaint) -> dt.date:
    months = src.casework(complaint.received_on)["complaint_answer_months"]
    return src.calendar().term_end(complaint.received_on, months=months)


def complaints_unanswered(src: Source) -> list[Finding]:
    """Complaints and suggestions still unanswered after the answer term."""
    found = []
    for complaint, client_id, parish_id in complaint_rows(src, Complaint.received_on <= src.today):
        if complaint.answered_on is not None and complaint.answered_on <= src.today:
            continue
        due = answer_due(src, complaint)
        if due < src.today:
            msgid = (N_("suggestion received on {received} is not answered; the answer was due on {day}")
                     if complaint.kind == "suggestion" else
                     N_("complaint received on {received} is not answered; the answer was due on {day}"))
            found.append(Finding("complaints", complaint.id, client_id, complaint.recorded_by_user_id, parish_id,
                                 due, Message(msgid, {"received": complaint.received_on, "day": due})))
    return found
