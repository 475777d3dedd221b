"""The inspection-readiness report (DOMAIN.md §6): one automatic check per violation the ministry's
inspectors find most often, so a worker and the head see them — per worker, per parish and for the whole
municipality — before an inspector does.

Each check is a small function of :class:`app.reports.source.Source` returning the records behind it. The
report keeps ids; names are resolved once, for what the user may see anyway.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from app.context import Context
from app.reports import checks_assistance as assistance
from app.reports import checks_casework as casework
from app.reports import checks_service as service
from app.reports.model import Column, Finding, Names, Scope, Table, titles
from app.reports.source import Source, require_report_access, resolve_names
from storage.errors import N_

TITLE = N_("Inspection readiness")


@dataclass(frozen=True)
class Check:
    id: str
    title: str  # msgid
    run: Callable[[Source], list[Finding]]


CHECKS: tuple[Check, ...] = (
    Check("unregistered_consultations", N_("Contacts and consultations not registered"),
          casework.unregistered_consultations),
    Check("missing_functional_assessment", N_("No functional assessment"), casework.missing_functional_assessment),
    Check("missing_situation_analysis", N_("No social situation analysis"), casework.missing_situation_analysis),
    Check("missing_plan", N_("No intervention plan"), casework.missing_plan),
    Check("overdue_review", N_("Case or plan not re-evaluated in time"), casework.overdue_review),
    Check("adult_recipients_without_agreement", N_("Adult recipients without a co-operation agreement"),
          assistance.adult_recipients_without_agreement),
    Check("missed_application_deadlines", N_("Application deadlines missed"), assistance.missed_application_deadlines),
    Check("clients_not_informed", N_("Clients not informed of decisions"), assistance.clients_not_informed),
    Check("unsigned_or_altered_decisions", N_("Decisions unsigned or altered after issue"),
          assistance.unsigned_or_altered_decisions),
    Check("restricted_access", N_("Restricted files not protected"), service.restricted_access),
    Check("supervision_overdue", N_("Supervision behind schedule"), service.supervision_overdue),
    Check("training_overdue", N_("Training behind schedule"), service.training_overdue),
    Check("complaints_unanswered", N_("Complaints not answered in time"), service.complaints_unanswered),
)


def _sort_key(finding: Finding) -> tuple:
    return (finding.day or dt.date.min, finding.entity, str(finding.record_id))


@dataclass
class CheckResult:
    id: str
    title: str  # msgid
    findings: list[Finding]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def titles(self) -> dict[str, str]:
        return titles(self.title)

    def by_worker(self) -> Counter:
        return Counter(finding.worker_id for finding in self.findings)

    def by_parish(self) -> Counter:
        return Counter(finding.parish_id for finding in self.findings)


@dataclass
class InspectionReport:
    on: dt.date
    scope: Scope
    checks: list[CheckResult]
    names: Names = field(default_factory=Names)
    kind: str = "inspection"
    title: str = TITLE
    year: int | None = None

    @property
    def total(self) -> int:
        return sum(check.count for check in self.checks)

    def check(self, check_id: str) -> CheckResult:
        return next(check for check in self.checks if check.id == check_id)

    def by_worker(self) -> Counter:
        return sum((check.by_worker() for check in self.checks), Counter())

    def by_parish(self) -> Counter:
        return sum((check.by_parish() for check in self.checks), Counter())

    def tables(self) -> list[Table]:
        """The summary, the counts per worker and per parish, then the records of every check with findings."""
        check_labels = {check.id: check.title for check in self.checks}
        summary = Table("summary", N_("Findings by check"), (
            Column("check", N_("Check"), "code", {**check_labels, "total": N_("Total")}),
            Column("count", N_("Findings"), "int")),
            [*({"check": check.id, "count": check.count} for check in self.checks),
             {"check": "total", "count": self.total}])
        per_worker = Table("by_worker", N_("Findings by worker"), (
            Column("worker", N_("Worker"), "worker"), Column("check", N_("Check"), "code", check_labels),
            Column("count", N_("Findings"), "int")), [])
        per_parish = Table("by_parish", N_("Findings by parish"), (
            Column("parish", N_("Parish"), "parish"), Column("check", N_("Check"), "code", check_labels),
            Column("count", N_("Findings"), "int")), [])
        for check in self.checks:
            per_worker.rows += [{"worker": worker, "check": check.id, "count": count}
                                for worker, count in check.by_worker().items()]
            per_parish.rows += [{"parish": parish, "check": check.id, "count": count}
                                for parish, count in check.by_parish().items()]
        per_worker.rows.sort(key=lambda row: (self.names.workers.get(row["worker"], "\uffff"), str(row["worker"])))
        per_parish.rows.sort(key=lambda row: (self.names.parishes.get(row["parish"], "\uffff"), str(row["parish"])))
        tables = [summary, per_worker, per_parish]
        for check in self.checks:
            if check.findings:
                tables.append(Table(check.id, check.title, FINDING_COLUMNS, [
                    {"day": f.day, "client": f.client_id, "worker": f.worker_id, "parish": f.parish_id,
                     "description": f.message} for f in check.findings]))
        return tables


FINDING_COLUMNS = (Column("day", N_("Date"), "date"), Column("client", N_("Client"), "client"),
                   Column("worker", N_("Worker"), "worker"), Column("parish", N_("Parish"), "parish"),
                   Column("description", N_("Finding"), "message"))


def inspection_report(ctx: Context, *, worker_id: uuid.UUID | None = None,
                      today: dt.date | None = None) -> InspectionReport:
    """Run every check on ``today`` (default: the context's today) over what the user may see; ``worker_id``
    keeps the findings one worker is responsible for."""
    require_report_access(ctx)
    day = today or ctx.today()
    with ctx.read() as session:
        src = Source(ctx, session, day)
        results = []
        for check in CHECKS:
            findings = check.run(src)
            if worker_id is not None:
                findings = [finding for finding in findings if finding.worker_id == worker_id]
            results.append(CheckResult(check.id, check.title, sorted(findings, key=_sort_key)))
        every = [finding for result in results for finding in result.findings]
        names = resolve_names(src, clients=(f.client_id for f in every),
                              workers=[worker_id, *(f.worker_id for f in every)],
                              parishes=(f.parish_id for f in every))
        scope = Scope(whole_municipality=src.sees_all, municipality=src.municipality(), worker_id=worker_id)
        return InspectionReport(on=day, scope=scope, checks=results, names=names)
