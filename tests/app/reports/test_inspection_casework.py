"""Each casework check finds exactly the one record that breaks its rule in an otherwise well-kept service."""

import datetime as dt

import pytest
from sqlalchemy import text

from app import cases, visits
from app.reports import inspection_report
from storage.models import SocialCase
from tests.app.reports.world import SCORES, found


def test_home_visit_without_a_journal_entry_that_day_is_found(world):
    liga, case = world.ids["liga"], world.ids["liga_case"]
    visit = world.home_visit(liga, "2026-11-12", case=case)
    # signing writes the visit into the journal; a visit from before that rule (or entered from paper by an
    # older version) may lack it — remove the entry the way only such data could
    with world.ctx.write() as session:
        session.execute(text("DELETE FROM journal_entries WHERE kind = 'visit' AND date(occurred_at) = '2026-11-12'"))
    world.home_visit(liga, "2026-11-23", case=case)  # today's visit can still be written up today
    report = inspection_report(world.head)
    [finding] = report.check("unregistered_consultations").findings
    assert (finding.entity, finding.record_id, finding.client_id) == ("home_visits", visit, liga)
    assert (finding.worker_id, finding.parish_id, finding.day) == (world.ids["anna"], world.parish,
                                                                   dt.date(2026, 11, 12))
    assert finding.message.text("en") == "home visit on 2026-11-12 has no journal entry for that day"
    assert report.check("unregistered_consultations").by_worker() == {world.ids["anna"]: 1}


def test_open_case_with_no_contact_for_longer_than_the_limit_is_found(world):
    quiet = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    quiet_case = world.well_kept_case(quiet, "2026-07-01", assessment="2026-07-10", plan="2026-07-15")
    world.contact(quiet, "2026-08-24", case=quiet_case)  # 91 days before 23 November
    edge = world.client("Rita", "Lāce", birth="1979-05-05")
    edge_case = world.well_kept_case(edge, "2026-07-01", assessment="2026-07-10", plan="2026-07-15")
    world.contact(edge, "2026-08-25", case=edge_case)  # 90 days: still within the 90-day limit
    [finding] = inspection_report(world.head).check("unregistered_consultations").findings
    assert (finding.entity, finding.record_id, finding.day) == ("social_cases", quiet_case, dt.date(2026, 8, 24))
    assert dict(finding.message.params) == {"day": dt.date(2026, 8, 24), "days": 91, "limit": 90}


def test_case_without_a_final_functional_assessment_after_thirty_days_is_found(world):
    late = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    late_case = world.well_kept_case(late, "2026-10-01", plan="2026-10-10")
    visits.record_assessment(world.ctx, late, "functional_assessment", SCORES, "2026-10-05", case_id=late_case)
    fresh = world.client("Rita", "Lāce", birth="1979-05-05")
    world.well_kept_case(fresh, "2026-11-01")  # opened 22 days ago: there is still time
    report = inspection_report(world.head)
    assert found(report, "missing_functional_assessment") == [("social_cases", late_case)]  # a draft is not enough
    [finding] = report.check("missing_functional_assessment").findings
    assert finding.day == dt.date(2026, 10, 31)
    assert finding.message.text("en") == "no final functional assessment within 30 days of opening (due 2026-10-31)"


@pytest.mark.parametrize("problem, message", [
    (None, "no problem definition and no social diagnosis (due 2026-10-31)"),
    ("Trūkst ienākumu.", "no social diagnosis (due 2026-10-31)"),
])
def test_case_without_a_situation_analysis_after_thirty_days_is_found(world, problem, message):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    case = world.well_kept_case(client, "2026-10-01", assessment="2026-10-05", analysis=False)
    if problem:
        cases.set_problem_and_diagnosis(world.ctx, case, problem)
    [finding] = inspection_report(world.head).check("missing_situation_analysis").findings
    assert (finding.record_id, finding.message.text("en")) == (case, message)


def test_case_without_an_intervention_plan_after_the_assessment_stage_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    case = world.well_kept_case(client, "2026-10-01", assessment="2026-10-05")
    report = inspection_report(world.head)
    assert found(report, "missing_plan") == [("social_cases", case)]
    assert report.check("missing_plan").findings[0].day == dt.date(2026, 10, 31)


def test_case_past_its_review_date_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    case = world.well_kept_case(client, "2025-09-01", assessment="2025-09-10", plan="2025-09-15")
    world.contact(client, "2026-11-02", case=case)
    [finding] = inspection_report(world.head).check("overdue_review").findings
    assert (finding.entity, finding.record_id, finding.day) == ("social_cases", case, dt.date(2026, 9, 15))


def test_plan_older_than_the_review_interval_is_found_unless_the_case_was_reviewed(world):
    # Cases migrated from a release that did not keep the review date: the plan's age tells.
    old = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    old_case = world.well_kept_case(old, "2025-09-01", assessment="2025-09-10", plan="2025-09-15")
    reviewed = world.client("Rita", "Lāce", birth="1979-05-05")
    reviewed_case = world.well_kept_case(reviewed, "2025-09-01", assessment="2025-09-10", plan="2025-09-15")
    with world.ctx.write() as session:
        for case_id in (old_case, reviewed_case):
            session.get(SocialCase, case_id).next_review_on = None
    cases.record_review(world.ctx, reviewed_case, "2026-06-01", "Plāns pārskatīts, mērķi aktuāli.")
    [finding] = inspection_report(world.head).check("overdue_review").findings
    assert (finding.entity, finding.client_id, finding.day) == ("intervention_plans", old, dt.date(2026, 9, 15))
    assert finding.message.params["months"] == 12


def test_an_elderly_clients_plan_is_due_for_review_after_six_months(world):
    pensioner = world.client("Valdis", "Ozols", birth="1948-03-03", gender="male", groups=("pensioner",))
    case = world.well_kept_case(pensioner, "2026-04-01", assessment="2026-04-05", plan="2026-04-10")
    world.contact(pensioner, "2026-11-02", case=case)
    with world.ctx.write() as session:
        session.get(SocialCase, case).next_review_on = None
    [finding] = inspection_report(world.head).check("overdue_review").findings
    assert (finding.entity, finding.client_id, finding.day) == ("intervention_plans", pensioner, dt.date(2026, 10, 10))
    assert finding.message.params["months"] == 6
