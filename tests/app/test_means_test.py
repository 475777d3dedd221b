"""Means test, thresholds by date and status periods (SPSPL Arts. 33–38) — pure rules over reference data."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import reference
from app.means_test import cancellation_date, evaluate, status_period, threshold_sum
from app.reference import ReferenceMissing

DOC = reference.bundled("assistance_lv")


def test_thresholds_weigh_the_first_member_fully_and_the_others_less():
    assert threshold_sum([18700, 13100], 1) == 18700
    assert threshold_sum([18700, 13100], 3) == 18700 + 2 * 13100


@pytest.mark.parametrize("day, gmi_pair", [
    (dt.date(2024, 6, 1), (13700, 9600)),
    (dt.date(2025, 1, 1), (16600, 11600)),
    (dt.date(2025, 12, 31), (16600, 11600)),
    (dt.date(2026, 1, 1), (18700, 13100)),
])
def test_the_thresholds_of_the_application_date_apply(day, gmi_pair):
    result = evaluate(DOC, day, household_size=2, income_cents=0)
    assert result.gmi_sum_cents == gmi_pair[0] + gmi_pair[1]


def test_a_date_without_thresholds_is_refused_not_guessed():
    with pytest.raises(ReferenceMissing):
        evaluate(DOC, dt.date(2022, 1, 1), household_size=1, income_cents=0)


def test_gmi_benefit_is_the_threshold_sum_minus_income():
    # 2026, a family of three: 187 + 2 × 131 = 449 EUR; income 300 EUR → 149 EUR
    result = evaluate(DOC, dt.date(2026, 3, 1), household_size=3, income_cents=30000)
    assert (result.gmi_sum_cents, result.gmi_benefit_cents) == (44900, 14900)
    assert result.result == "needy"  # needy threshold 425 + 2 × 298 = 1021 EUR


def test_housing_benefit_uses_the_coefficient_of_the_household():
    # single pensioner 2026: 187 × 2.1 = 392.70 + 120 housing costs − 350 income = 162.70 EUR
    result = evaluate(DOC, dt.date(2026, 3, 1), household_size=1, income_cents=35000, housing_costs_cents=12000,
                      housing_category="single_pensioner_or_disabled")
    assert (result.housing_coefficient, result.housing_benefit_cents) == (2.1, 16270)
    other = evaluate(DOC, dt.date(2026, 3, 1), household_size=1, income_cents=35000, housing_costs_cents=12000)
    assert other.housing_benefit_cents == 18700 * 13 // 10 + 12000 - 35000 == 1310


@pytest.mark.parametrize("income, expected", [(42500, "needy"), (42501, "low_income"), (68000, "low_income"),
                                              (68001, "none")])
def test_status_follows_the_thresholds_at_their_exact_edges(income, expected):
    assert evaluate(DOC, dt.date(2026, 5, 1), household_size=1, income_cents=income).result == expected


def test_disqualifying_resources_leave_no_status_whatever_the_income():
    assert evaluate(DOC, dt.date(2026, 5, 1), household_size=1, income_cents=0,
                    disqualifying_resources=True).result == "none"


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=300000),
       st.integers(min_value=0, max_value=300000))
def test_more_income_never_means_more_benefit(size, income, extra):
    day = dt.date(2026, 6, 1)
    low = evaluate(DOC, day, household_size=size, income_cents=income, housing_costs_cents=10000)
    high = evaluate(DOC, day, household_size=size, income_cents=income + extra, housing_costs_cents=10000)
    assert high.gmi_benefit_cents <= low.gmi_benefit_cents and high.housing_benefit_cents <= low.housing_benefit_cents
    assert min(low.gmi_benefit_cents, low.housing_benefit_cents) >= 0
    order = ("needy", "low_income", "none")
    assert order.index(high.result) >= order.index(low.result)


@pytest.mark.parametrize("start, working, missing, end", [
    (dt.date(2026, 11, 1), 1, False, dt.date(2027, 1, 31)),   # 3 calendar months
    (dt.date(2026, 11, 1), 0, False, dt.date(2027, 4, 30)),   # nobody of working age: 6 months
    (dt.date(2026, 11, 1), 2, True, dt.date(2026, 11, 30)),   # a document missing: 1 month
    (dt.date(2026, 11, 30), 1, False, dt.date(2027, 2, 27)),  # clamped: 28 Feb − 1 day
    (dt.date(2027, 11, 30), 1, False, dt.date(2028, 2, 28)),  # leap year: 29 Feb − 1 day
])
def test_status_periods(start, working, missing, end):
    assert status_period(DOC, start, working_age_members=working, condition_missing=missing) == (start, end)


@pytest.mark.parametrize("day, effective", [(dt.date(2026, 11, 23), dt.date(2026, 12, 1)),
                                            (dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
                                            (dt.date(2027, 2, 1), dt.date(2027, 3, 1))])
def test_cancellation_takes_effect_on_the_first_of_the_next_month(day, effective):
    assert cancellation_date(day) == effective
