"""Child-protection reporting duties (SPSPL Art. 12(2¹)–(2²); DOMAIN.md §8).

A journal entry or home-visit finding flagged ``suspected_abuse`` obliges the worker to report to the
orphans' court and the State Police no later than the next working day; ``missing_health_care`` to the
family doctor within 3 working days. Lieta turns each flag into one task per recipient, in the same
transaction as the flagged record, due on that working day; the task shows as overdue until it is recorded
as done. Recipients and terms are reference data (``norms_lv.json`` → ``child_protection``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import reference
from app.context import Context
from app.deadlines import calendar
from app.i18n import gettext
from storage.errors import N_
from storage.models import Client, PlanTask, SocialCase

NORMS = "norms_lv"
ORIGIN_PREFIX = "cp_report:"
RECIPIENTS = {
    "orphans_court": N_("Report to the orphans' court"),
    "police": N_("Report to the State Police"),
    "family_doctor": N_("Inform the family doctor"),
}
REASONS = {
    "suspected_abuse": N_("suspected abuse or neglect of a child"),
    "missing_health_care": N_("a child is missing health care"),
}
RECORD_LANGUAGE = "lv"  # tasks are part of the Latvian case file, whatever the UI language


def create_report_tasks(ctx: Context, session: Session, client: Client, flags: list[str], found_on: dt.date, *,
                        source_entity: str, source_id: uuid.UUID) -> list[PlanTask]:
    """The reporting tasks a flagged record obliges (none twice for the same record, flag and recipient)."""
    if not flags:
        return []
    rules = reference.valid_on(reference.document(NORMS, session)["child_protection"], found_on, kind=NORMS)
    existing = set(session.scalars(select(PlanTask.origin).where(
        PlanTask.source_id == source_id, PlanTask.deleted.is_(False))))
    case_id = session.scalar(select(SocialCase.id).where(
        SocialCase.client_id == client.id, SocialCase.closed_on.is_(None), SocialCase.deleted.is_(False)))
    cal = calendar(session)
    tasks = []
    for flag in flags:
        rule = rules["flags"][flag]
        due = cal.add_working_days(found_on, int(rule["working_days"]))
        for recipient in rule["report_to"]:
            origin = f"{ORIGIN_PREFIX}{recipient}"
            if origin in existing:
                continue
            existing.add(origin)
            description = (f"{gettext(RECIPIENTS[recipient], RECORD_LANGUAGE)}: "
                           f"{gettext(REASONS[flag], RECORD_LANGUAGE)} ({found_on.strftime('%d.%m.%Y')}).")
            task = PlanTask(client_id=client.id, case_id=case_id, description=description,
                            responsible_kind="worker", responsible_user_id=client.responsible_user_id or ctx.user_id,
                            deadline=due, status="open", origin=origin, source_entity=source_entity,
                            source_id=source_id, expected_result=rule.get("source"))
            session.add(task)
            tasks.append(task)
    return tasks
