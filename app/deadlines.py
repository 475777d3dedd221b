"""The deadline calendar: Latvian public holidays and the rules for counting legal terms (issue 3 §6).

Holidays are reference data (``resources/reference/holidays_lv.json``: fixed dates, Easter-based days,
dated and one-off holidays, the weekend-substitute rule). Terms are counted as the Administrative Procedure
Law says (Arts. 42–43): a term starts on the day after the event that starts it; a term in months ends on
the same date of the last month, or on that month's last day when it has no such date; when the last day is
a Saturday, Sunday or public holiday, the term ends on the next working day. Working-day terms (the
Notification Law's "2nd working day", child-protection reports) count working days only.

Transferred working days (Cabinet orders moving a day off to a Saturday) bind state institutions and are
only recommended to municipalities; they never change what the law counts as a holiday, so legal terms
ignore them. :meth:`WorkingCalendar.is_office_day` takes them into account for planning.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.easter import EASTER_WESTERN, easter
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from app import reference
from app.reference import ReferenceMissing

ONE_DAY = dt.timedelta(days=1)
KIND = "holidays_lv"
ADULT_AGE = 18  # Civil Law: a person comes of age at 18


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    return day + relativedelta(months=months)


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    """Full years on ``day`` (None when the birth date is unknown)."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _in_force(row: dict[str, Any], day: dt.date) -> bool:
    return reference.covers(row, day)


class WorkingCalendar:
    """Public holidays of one version of the holiday document, computed per year and cached."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.version = int(doc.get("version", 0))
        self.covers_from = dt.date.fromisoformat(doc["covers_from"])
        self.weekend = frozenset(doc.get("weekend_isoweekdays", (6, 7)))
        self._transfers_off = {dt.date.fromisoformat(r["day_off"]) for r in doc.get("transfers", ())}
        self._transfers_work = {dt.date.fromisoformat(r["working_day"]) for r in doc.get("transfers", ())}
        self._years: dict[int, dict[dt.date, str]] = {}

    # -- holidays --------------------------------------------------------------------------------------
    def holidays(self, year: int) -> dict[dt.date, str]:
        """Every public holiday and substitute day off of ``year``: date → holiday id."""
        if dt.date(year, 12, 31) < self.covers_from:
            raise ReferenceMissing(kind=KIND, day=f"{year}")
        if year not in self._years:
            self._years[year] = self._compute(year)
        return self._years[year]

    def _compute(self, year: int) -> dict[dt.date, str]:
        days: dict[dt.date, str] = {}
        substitutes: list[tuple[dt.date, str]] = []

        def add(day: dt.date, row: dict[str, Any]) -> None:
            if not _in_force(row, day):
                return
            days[day] = row["id"]
            rule = row.get("weekend_substitute")
            if rule and day.isoweekday() in self.weekend and reference.covers({"valid_from": rule.get("valid_from")}, day):
                substitutes.append((day, row["id"]))

        for row in self.doc.get("fixed", ()):
            add(dt.date(year, row["month"], row["day"]), row)
        for row in self.doc.get("nth_weekday", ()):
            first = dt.date(year, row["month"], 1)
            offset = (row["isoweekday"] - first.isoweekday()) % 7
            add(first + dt.timedelta(days=offset + 7 * (row["nth"] - 1)), row)
        sunday = easter(year, EASTER_WESTERN)
        for row in self.doc.get("easter", ()):
            add(sunday + dt.timedelta(days=row["offset_days"]), row)
        for row in (*self.doc.get("dated", ()), *self.doc.get("one_off", ())):
            day = dt.date.fromisoformat(row["date"])
            if day.year == year:
                add(day, row)
        for day, holiday_id in sorted(substitutes):
            # the next working day after the holiday becomes a day off (skipping days already off)
            substitute = day + ONE_DAY
            while substitute.isoweekday() in self.weekend or substitute in days:
                substitute += ONE_DAY
            days[substitute] = f"{holiday_id}_substitute"
        return days

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.holidays(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        """A working day in the sense of the law: not a Saturday, Sunday or public holiday."""
        return day.isoweekday() not in self.weekend and not self.is_holiday(day)

    def is_office_day(self, day: dt.date) -> bool:
        """Whether the office is expected to work: the law's working days with Cabinet transfers applied."""
        if day in self._transfers_work:
            return True
        return self.is_working_day(day) and day not in self._transfers_off

    # -- terms -------------------------------------------------------------------------------------------
    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, otherwise the next working day (APL Art. 43)."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself never counts)."""
        if count < 0:
            raise ValueError("count must not be negative")
        while count:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        return self.add_working_days(day, 1)

    def term_end(self, event: dt.date, *, months: int = 0, days: int = 0, working_days: int = 0) -> dt.date:
        """The last day of a term that starts with ``event`` (e.g. receipt of an application).

        Months: the same date of the last month, clamped to its end. Days: counted from the day after the
        event, so 8 days from the 1st is the 9th. Either way a non-working last day moves to the next working
        day. Working days: the ``n``-th working day after the event.
        """
        if sum(1 for value in (months, days, working_days) if value) > 1:
            raise ValueError("give the term in one unit")
        if working_days:
            return self.add_working_days(event, working_days)
        return self.roll_forward(add_months(event, months) + dt.timedelta(days=days))


_CALENDARS: dict[int, WorkingCalendar] = {}  # by document version: holidays are computed once per year


def calendar(session: Session | None = None) -> WorkingCalendar:
    """The working calendar from the newest holiday document (the store's, else the bundled one)."""
    doc = reference.document(KIND, session)
    version = int(doc.get("version", 0))
    if version not in _CALENDARS:
        _CALENDARS[version] = WorkingCalendar(doc)
    return _CALENDARS[version]
