"""The deadline calendar: holidays, working days and APL term arithmetic (issue 3 §6)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import reference
from app.deadlines import WorkingCalendar, add_months, calendar
from app.reference import ReferenceMissing

CAL = calendar()
DAYS = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2040, 12, 31))


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # leap year
    (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
    (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 31)),
    (dt.date(2026, 11, 15), 14, dt.date(2028, 1, 15)),
    (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    (dt.date(2026, 1, 15), -1, dt.date(2025, 12, 15)),
    (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    (dt.date(2026, 5, 10), 0, dt.date(2026, 5, 10)),
])
def test_month_addition_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_2026_holidays_are_the_law_s_list():
    assert sorted(CAL.holidays(2026)) == [dt.date(2026, m, d) for m, d in (
        (1, 1), (4, 3), (4, 5), (4, 6), (5, 1), (5, 4), (5, 10), (5, 24), (6, 23), (6, 24), (11, 18),
        (12, 24), (12, 25), (12, 26), (12, 31))]


@pytest.mark.parametrize("holiday, substitute", [
    (dt.date(2025, 5, 4), dt.date(2025, 5, 5)),     # Sunday 4 May → Monday off
    (dt.date(2023, 11, 18), dt.date(2023, 11, 20)),  # Saturday 18 November → Monday off
    (dt.date(2028, 11, 18), dt.date(2028, 11, 20)),
    (dt.date(2023, 7, 9), dt.date(2023, 7, 10)),     # Song Festival closing day on a Sunday
])
def test_a_holiday_on_a_weekend_gives_the_next_working_day_off(holiday, substitute):
    assert CAL.is_holiday(holiday) and CAL.is_holiday(substitute)
    assert not CAL.is_working_day(substitute)


def test_christmas_on_a_weekend_gives_no_substitute_day():
    assert CAL.is_working_day(dt.date(2022, 12, 27))  # 24–26 Dec 2022 were Sat–Mon; the law moves only 4 May / 18 Nov


def test_easter_moves_with_the_year():
    assert {d for d, name in CAL.holidays(2027).items() if name == "good_friday"} == {dt.date(2027, 3, 26)}
    assert CAL.is_holiday(dt.date(2027, 3, 29))  # Easter Monday


def test_one_off_holidays_are_holidays_only_in_their_year():
    assert CAL.is_holiday(dt.date(2023, 5, 29)) and not CAL.is_holiday(dt.date(2024, 5, 29))
    assert CAL.is_holiday(dt.date(2018, 9, 24))


def test_cabinet_transfers_change_office_days_but_not_legal_working_days():
    assert CAL.is_working_day(dt.date(2026, 1, 2)) and not CAL.is_office_day(dt.date(2026, 1, 2))
    assert not CAL.is_working_day(dt.date(2026, 1, 17)) and CAL.is_office_day(dt.date(2026, 1, 17))


def test_dates_before_the_verified_range_are_refused_not_guessed():
    with pytest.raises(ReferenceMissing):
        CAL.is_working_day(dt.date(2014, 6, 2))


@pytest.mark.parametrize("event, kwargs, expected", [
    (dt.date(2026, 11, 2), dict(months=1), dt.date(2026, 12, 2)),
    (dt.date(2026, 1, 31), dict(months=1), dt.date(2026, 3, 2)),     # 28 Feb is a Saturday
    (dt.date(2026, 10, 18), dict(months=1), dt.date(2026, 11, 19)),  # 18 Nov is a holiday
    (dt.date(2026, 11, 24), dict(months=1), dt.date(2026, 12, 28)),  # 24 Dec … 27 Dec are off
    (dt.date(2026, 12, 1), dict(months=1), dt.date(2027, 1, 4)),     # 1 Jan, then a weekend
    (dt.date(2026, 11, 17), dict(working_days=1), dt.date(2026, 11, 19)),
    (dt.date(2026, 12, 23), dict(working_days=3), dt.date(2026, 12, 30)),
    (dt.date(2026, 11, 20), dict(days=8), dt.date(2026, 11, 30)),   # 28 Nov is a Saturday
])
def test_term_end_follows_the_administrative_procedure_law(event, kwargs, expected):
    assert CAL.term_end(event, **kwargs) == expected


def test_a_term_is_given_in_one_unit():
    with pytest.raises(ValueError):
        CAL.term_end(dt.date(2026, 1, 1), months=1, days=3)


@given(DAYS, st.integers(min_value=0, max_value=48))
def test_a_month_term_never_ends_early_or_on_a_day_off(event, months):
    end = CAL.term_end(event, months=months)
    assert end >= add_months(event, months) and CAL.is_working_day(end)
    # it moves only over days off: every day between the calendar date and the end is a day off
    day = add_months(event, months)
    while day < end:
        assert not CAL.is_working_day(day)
        day += dt.timedelta(days=1)


@given(DAYS, st.integers(min_value=-600, max_value=600))
def test_month_addition_keeps_the_day_or_clamps_to_the_month_end(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)


@given(DAYS, st.integers(min_value=1, max_value=30))
def test_working_days_count_exactly_the_working_days_between(event, count):
    end = CAL.add_working_days(event, count)
    between = [event + dt.timedelta(days=i) for i in range(1, (end - event).days + 1)]
    assert sum(CAL.is_working_day(d) for d in between) == count and CAL.is_working_day(end)


@given(DAYS)
def test_next_working_day_is_strictly_later_and_working(day):
    nxt = CAL.next_working_day(day)
    assert nxt > day and CAL.is_working_day(nxt) and nxt - day <= dt.timedelta(days=6)


def test_a_newer_holiday_document_from_the_centre_wins(store):
    from app.context import Context
    from storage.models import ReferenceData

    doc = dict(reference.bundled("holidays_lv"))
    doc["version"] = 99
    doc["one_off"] = [*doc["one_off"], {"id": "test_day", "date": "2027-03-03", "name": {"lv": "Tests", "en": "Test"}}]
    ctx = Context(store)
    with ctx.write() as session:
        session.add(ReferenceData(kind="holidays_lv", key="document", version=99, payload=doc))
    with ctx.read() as session:
        assert calendar(session).is_holiday(dt.date(2027, 3, 3))
    assert not calendar().is_holiday(dt.date(2027, 3, 3))
    assert isinstance(calendar(), WorkingCalendar)
