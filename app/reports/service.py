"""Service reports for the head of service (DOMAIN.md §7): the workload of every worker against the caseload,
supervision and training norms, and the complaints register with its answer terms. The annual statistics
for the state report live in :mod:`app.reports.statistics` and are re-exported here.

A year's report counts what happened from 1 January to 31 December, or to the report date in the current
year. The head and the inspector see every worker; anyone else sees their own row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from decimal import Decimal

from sqlalchemy import func, or_, select

from app.access import CASEWORK_ROLES
from app.context import Context
from app.reports.checks_service import answer_due, complaint_rows, training_norm
from app.reports.model import Column, Scope, Table, TableReport
from app.reports.source import ONE_DAY, Source, day_start, report_period, require_report_access, resolve_names
from app.reports.statistics import statistics_report
from storage.errors import N_
from storage.models import Complaint, HomeVisit, JournalEntry, SocialCase, SupervisionRecord, TrainingRecord, User

__all__ = ["complaints_register", "statistics_report", "workload_report"]

CASELOAD_LABELS = {"below": N_("below the target"), "within": N_("within the target"), "above": N_("above the target")}
COMPLAINT_STATES = {"answered_on_time": N_("answered on time"), "answered_late": N_("answered late"),
                    "open": N_("open, not yet due"), "overdue": N_("open, overdue")}
COMPLAINT_KINDS = {"complaint": N_("complaint"), "suggestion": N_("suggestion")}
COMPLAINT_CHANNELS = {"oral": N_("oral"), "written": N_("written"), "email": N_("e-mail")}


def _grouped(session, key, value, *where) -> dict:
    return dict(session.execute(select(key, value).where(*where).group_by(key)).all())


def workload_report(ctx: Context, year: int, *, worker_id: uuid.UUID | None = None,
                    today: dt.date | None = None) -> TableReport:
    """Per worker: active cases against the target caseload, consultations (journal entries) and their minutes,
    home visits made, supervision sessions and training hours against the norms in force in ``year``."""
    require_report_access(ctx)
    start, on = report_period(year, today or ctx.today())
    since, until = day_start(start), day_start(on + ONE_DAY)
    with ctx.read() as session:
        src = Source(ctx, session, on)
        caseload, supervision, training = src.norm("caseload"), src.norm("supervision"), src.norm("training")
        cases = _grouped(session, SocialCase.responsible_user_id, func.count(), SocialCase.deleted.is_(False),
                         SocialCase.opened_on <= on, or_(SocialCase.closed_on.is_(None), SocialCase.closed_on > on))
        in_year = (JournalEntry.deleted.is_(False), JournalEntry.occurred_at >= since, JournalEntry.occurred_at < until)
        # contacts other than home visits (a signed visit is in the journal too; visits are counted on their own)
        consultations = _grouped(session, JournalEntry.worker_user_id, func.count(), *in_year,
                                 JournalEntry.kind != "visit")
        minutes = _grouped(session, JournalEntry.worker_user_id,
                           func.coalesce(func.sum(JournalEntry.duration_minutes), 0), *in_year)
        visits = _grouped(session, HomeVisit.worker_user_id, func.count(), HomeVisit.deleted.is_(False),
                          HomeVisit.status != "cancelled", HomeVisit.visited_at >= since, HomeVisit.visited_at < until)
        sessions = _grouped(session, SupervisionRecord.user_id, func.count(), SupervisionRecord.deleted.is_(False),
                            SupervisionRecord.held_on >= start, SupervisionRecord.held_on <= on)
        hours = _grouped(session, TrainingRecord.user_id, func.sum(TrainingRecord.hours),
                         TrainingRecord.deleted.is_(False), TrainingRecord.held_on >= start,
                         TrainingRecord.held_on <= on)
        busy = set(cases) | set(consultations) | set(visits) | set(sessions) | set(hours)
        query = select(User).where(User.deleted.is_(False)).order_by(User.display_name, User.login)
        if not src.sees_all:
            query = query.where(User.id == ctx.user_id)
        if worker_id is not None:
            query = query.where(User.id == worker_id)
        rows = []
        for user in session.scalars(query):
            if not set(CASEWORK_ROLES) & set(user.roles) or not (user.active or user.id in busy):
                continue
            active = cases.get(user.id, 0)
            social_worker = "social_worker" in user.roles
            low, high = caseload["target_min"], caseload["target_max"]
            rows.append({
                "worker": user.id,
                "active_cases": active,
                "caseload_target": f"{low}–{high}" if social_worker else None,
                "caseload": (("below" if active < low else "above" if active > high else "within")
                             if social_worker else None),
                "consultations": consultations.get(user.id, 0),
                "minutes": int(minutes.get(user.id, 0)),
                "home_visits": visits.get(user.id, 0),
                "supervision_sessions": sessions.get(user.id, 0),
                "supervision_norm": (supervision["sessions_per_year"]
                                     if set(supervision["roles"]) & set(user.roles) else None),
                "training_hours": Decimal(str(round(hours.get(user.id) or 0, 2))),
                "training_norm": training_norm(training, user.roles),
            })
        names = resolve_names(src, workers=[row["worker"] for row in rows])
        scope = Scope(whole_municipality=src.sees_all, municipality=src.municipality(), worker_id=worker_id)
    table = Table("workload", N_("Workload"), WORKLOAD_COLUMNS, rows)
    return TableReport("workload", N_("Workload of the social work specialists"), on, year, scope, [table], names)


WORKLOAD_COLUMNS = (
    Column("worker", N_("Worker"), "worker"), Column("active_cases", N_("Active cases"), "int"),
    Column("caseload_target", N_("Target"), "text"), Column("caseload", N_("Caseload"), "code", CASELOAD_LABELS),
    Column("consultations", N_("Consultations"), "int"), Column("minutes", N_("Minutes"), "int"),
    Column("home_visits", N_("Home visits"), "int"),
    Column("supervision_sessions", N_("Supervision sessions"), "int"),
    Column("supervision_norm", N_("Supervision norm"), "int"),
    Column("training_hours", N_("Training hours"), "hours"), Column("training_norm", N_("Training norm"), "hours"),
)


def complaints_register(ctx: Context, year: int, *, today: dt.date | None = None) -> TableReport:
    """Every complaint and suggestion received in ``year``: its answer deadline and whether it was answered in time."""
    require_report_access(ctx)
    today = today or ctx.today()
    start, end = report_period(year, today)
    with ctx.read() as session:
        src = Source(ctx, session, today)
        rows = []
        for complaint, _client_id, _parish_id in complaint_rows(src, Complaint.received_on >= start,
                                                                Complaint.received_on <= end):
            due = answer_due(src, complaint)
            answered = complaint.answered_on if complaint.answered_on and complaint.answered_on <= today else None
            if answered is not None:
                state, on_time = ("answered_on_time", True) if answered <= due else ("answered_late", False)
            else:
                state, on_time = ("overdue", False) if due < today else ("open", None)
            rows.append({"received_on": complaint.received_on, "kind": complaint.kind, "channel": complaint.channel,
                         "complainant": complaint.complainant_person_id, "recorded_by": complaint.recorded_by_user_id,
                         "answer_due": due, "answered_on": answered, "on_time": on_time, "state": state})
        names = resolve_names(src, persons=[row["complainant"] for row in rows],
                              workers=[row["recorded_by"] for row in rows])
        scope = Scope(whole_municipality=src.sees_all, municipality=src.municipality())
    states = Counter(row["state"] for row in rows)
    summary = Table("summary", N_("Complaints by state"), (
        Column("state", N_("State"), "code", COMPLAINT_STATES), Column("count", N_("Complaints"), "int")),
        [{"state": state, "count": states.get(state, 0)} for state in COMPLAINT_STATES])
    register = Table("complaints", N_("Complaints and suggestions"), COMPLAINT_COLUMNS, rows)
    return TableReport("complaints", N_("Complaints and suggestions register"), today, year, scope,
                       [register, summary], names)


COMPLAINT_COLUMNS = (
    Column("received_on", N_("Received"), "date"), Column("kind", N_("Kind"), "code", COMPLAINT_KINDS),
    Column("channel", N_("Channel"), "code", COMPLAINT_CHANNELS), Column("complainant", N_("Complainant"), "person"),
    Column("recorded_by", N_("Recorded by"), "worker"), Column("answer_due", N_("Answer due"), "date"),
    Column("answered_on", N_("Answered"), "date"), Column("on_time", N_("On time"), "bool"),
    Column("state", N_("State"), "code", COMPLAINT_STATES),
)
