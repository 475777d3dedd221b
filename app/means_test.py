"""The means test over a household (SPSPL Arts. 33–36; DOMAIN.md §8), as pure functions on reference data.

Thresholds are a share of the income median, weighted 1 for the first household member and 0.7 for each
further one; the EUR figures are dated rows in ``resources/reference/assistance_lv.json`` and the rows valid
on the **application date** apply. Amounts are integer cents throughout (no float money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app import reference
from app.deadlines import add_months

KIND = "assistance_lv"
HOUSING_CATEGORIES = ("single_pensioner_or_disabled", "only_pensioners_or_disabled", "other")
RESULTS = ("needy", "low_income", "none")


def threshold_sum(pair: list[int], household_size: int) -> int:
    """Cents for the whole household: the first member's threshold plus each further member's."""
    first, further = pair
    return first + further * (household_size - 1)


@dataclass(frozen=True)
class MeansTestResult:
    """What the worker sees and what the means test row keeps as its snapshot (``thresholds``)."""

    thresholds_valid_from: str | None
    household_size: int
    income_cents: int
    gmi_sum_cents: int
    needy_sum_cents: int
    low_income_sum_cents: int
    result: str  # needy | low_income | none
    gmi_benefit_cents: int
    housing_category: str
    housing_coefficient: float
    housing_costs_cents: int
    housing_benefit_cents: int

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(doc: dict[str, Any], on: dt.date, *, household_size: int, income_cents: int,
             housing_costs_cents: int = 0, housing_category: str = "other",
             disqualifying_resources: bool = False) -> MeansTestResult:
    """Status and benefit amounts for a household on ``on`` (the application date).

    GMI benefit = the household's GMI threshold sum − its income; housing benefit = GMI sum × coefficient +
    allowed housing costs − income (never below zero). Resources that disqualify (savings, property beyond
    what the municipality allows) leave the household without a status, whatever its income.
    """
    rows = valid_rows(doc, on)
    gmi = threshold_sum(rows["thresholds"]["gmi"], household_size)
    needy = threshold_sum(rows["thresholds"]["needy"], household_size)
    low = threshold_sum(rows["thresholds"]["low_income"], household_size)
    if disqualifying_resources:
        result = "none"
    elif income_cents <= needy:
        result = "needy"
    elif income_cents <= low:
        result = "low_income"
    else:
        result = "none"
    coefficient = float(rows["housing_coefficients"][housing_category])
    housing = Decimal(gmi) * Decimal(str(coefficient)) + housing_costs_cents - income_cents
    return MeansTestResult(
        thresholds_valid_from=rows["thresholds"].get("valid_from"), household_size=household_size,
        income_cents=income_cents, gmi_sum_cents=gmi, needy_sum_cents=needy, low_income_sum_cents=low,
        result=result, gmi_benefit_cents=max(0, gmi - income_cents), housing_category=housing_category,
        housing_coefficient=coefficient, housing_costs_cents=housing_costs_cents,
        housing_benefit_cents=max(0, int(housing.quantize(Decimal(1), rounding=ROUND_HALF_UP))),
    )


def valid_rows(doc: dict[str, Any], on: dt.date) -> dict[str, dict[str, Any]]:
    return {name: reference.valid_on(doc[name], on, kind=KIND)
            for name in ("thresholds", "housing_coefficients", "status_periods")}


def status_months(doc: dict[str, Any], on: dt.date, *, working_age_members: int,
                  condition_missing: bool = False) -> int:
    """How long a needy / low-income status (and the basic benefits) is granted (SPSPL Art. 36(3))."""
    periods = reference.valid_on(doc["status_periods"], on, kind=KIND)
    if condition_missing:
        return int(periods["missing_condition_months"])
    return int(periods["working_age_months"] if working_age_members else periods["no_working_age_months"])


def status_period(doc: dict[str, Any], start: dt.date, *, working_age_members: int,
                  condition_missing: bool = False) -> tuple[dt.date, dt.date]:
    """First and last day of a status granted from ``start``: 3 calendar months from 1 Nov end 31 Jan."""
    months = status_months(doc, start, working_age_members=working_age_members, condition_missing=condition_missing)
    return start, add_months(start, months) - dt.timedelta(days=1)


def cancellation_date(day: dt.date) -> dt.date:
    """A status cancelled on ``day`` ends from the first day of the following month (SPSPL Art. 38(3))."""
    return add_months(day.replace(day=1), 1)
