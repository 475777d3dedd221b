"""What the client file screen shows (issue 6 §4): one read model per tab, plain frozen data fetched in the
store lane, every one refusing a file the user may not see exactly as a missing one (ARCHITECTURE.md rule 7).

Opening the file is itself audited (rule 8): :func:`open_client_file` records it and returns the overview, so the
"who opened this file" tab lists every opening. Code values stay codes here; the UI prints their names.

Split per concern — ``overview`` (the first page, the person's details to edit), ``household``, ``casework``
(case, plan, agreements) and ``records`` (journal, assessments, scans, audit trail) — and re-exported here, so
callers keep writing ``client_file.case_summary(ctx, client_id)``.
"""

from app.client_file.casework import (
    AgreementView, CaseSummary, DutyLine, GoalLine, ReviewLine, TaskLine, agreements, case_summary,
)
from app.client_file.common import in_language, name_of, users_by_id
from app.client_file.household import HouseholdView, Member, Relative, household
from app.client_file.overview import (
    PENDING_DECISIONS, Overview, current_case, current_case_id, open_client_file, overview, person_details,
    person_of,
)
from app.client_file.records import (
    AssessmentLine, AttachmentLine, AuditLine, JournalLine, assessments, attachments, audit_trail, journal,
)

__all__ = [
    "PENDING_DECISIONS", "AgreementView", "AssessmentLine", "AttachmentLine", "AuditLine", "CaseSummary",
    "DutyLine", "GoalLine", "HouseholdView", "JournalLine", "Member", "Overview", "Relative", "ReviewLine",
    "TaskLine", "agreements", "assessments", "attachments", "audit_trail", "case_summary", "current_case",
    "current_case_id", "household", "in_language", "journal", "name_of", "open_client_file", "overview",
    "person_details", "person_of", "users_by_id",
]
