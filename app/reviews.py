"""When a social case is due for review (DOMAIN.md §3; norms in resources/reference/norms_lv.json).

The social rehabilitation process is reviewed at least every 12 months; a child's situation more often — a
child's rehabilitation plan runs at most 3 months, so it is reviewed by then; an elderly client at least every
6 months. The interval is chosen from the client's age on the day (and the ``pensioner`` target group).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app import reference
from app.deadlines import add_months, age_on
from storage.models import Client, Person

NORMS = "norms_lv"


def interval_months(session: Session, client: Client, on: dt.date) -> int:
    """Months until the next review of this client's case, by the norms valid on ``on``."""
    norms = reference.valid_on(reference.document(NORMS, session)["review_intervals"], on, kind=NORMS)
    age = age_on(session.get(Person, client.person_id).birth_date, on)
    if age is not None and age < norms["child_until_age"]:
        return int(norms["child_rehabilitation_plan_months"])
    if (age is not None and age >= norms["elderly_from_age"]) or "pensioner" in (client.target_groups or []):
        return int(norms["elderly_months"])
    return int(norms["rehabilitation_months"])


def next_review(session: Session, client: Client, after: dt.date) -> dt.date:
    """The day the next review is due after a plan starts or a review is done on ``after``."""
    return add_months(after, interval_months(session, client, after))
