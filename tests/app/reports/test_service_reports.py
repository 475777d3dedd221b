"""Workload, complaints register and annual statistics, with the exact figures of the well-kept service."""

import datetime as dt
from decimal import Decimal

import pytest

from app import cases, records
from app.errors import ValidationError
from app.reports import complaints_register, statistics_report, workload_report
from tests.app.reports.world import grant


def test_workload_per_worker_against_the_caseload_supervision_and_training_norms(world):
    liga = world.ids["liga"]
    world.contact(liga, "2026-01-05", minutes=None)  # a contact without a duration still counts
    world.contact(liga, "2025-12-20", minutes=40)  # last year
    report = workload_report(world.head, 2026)
    assert [column.key for column in report.columns][:4] == ["worker", "active_cases", "caseload_target", "caseload"]
    rows = {row["worker"]: row for row in report.rows}
    assert set(rows) == {world.ids["anna"], world.ids["ilze"]}
    assert rows[world.ids["anna"]] == {
        "worker": world.ids["anna"], "active_cases": 2, "caseload_target": "20–22", "caseload": "below",
        "consultations": 2, "minutes": 60, "home_visits": 1, "supervision_sessions": 8, "supervision_norm": 10,
        "training_hours": Decimal("22.00"), "training_norm": 24}
    head = rows[world.ids["ilze"]]
    assert (head["active_cases"], head["caseload_target"], head["caseload"]) == (0, None, None)
    assert head["consultations"] == 0
    assert (head["supervision_sessions"], head["training_hours"]) == (8, Decimal("22.00"))
    assert report.names.workers[world.ids["anna"]] == "Anna Kalniņa"

    anna_2025 = next(row for row in workload_report(world.head, 2025).rows if row["worker"] == world.ids["anna"])
    assert (anna_2025["active_cases"], anna_2025["consultations"], anna_2025["minutes"],
            anna_2025["supervision_sessions"]) == (0, 1, 40, 0)


def test_a_worker_sees_only_their_own_workload(world):
    assert [row["worker"] for row in workload_report(world.ctx, 2026).rows] == [world.ids["anna"]]
    with pytest.raises(ValidationError):
        workload_report(world.head, 2027)


def test_complaints_register_shows_each_answer_deadline_and_whether_it_was_kept(world):
    late = records.register_complaint(world.ctx, "2026-09-01", "written", "Nav atbildes uz iesniegumu.",
                                      complainant_person_id=world.person_of(world.ids["liga"]))
    records.answer_complaint(world.ctx, late, "Atvainojamies; atbilde nosūtīta.", "2026-10-05")
    records.register_complaint(world.ctx, "2026-10-05", "email", "Neērts pieņemšanas laiks.")
    records.register_complaint(world.ctx, "2025-12-01", "oral", "Pagājušā gada sūdzība.")
    report = complaints_register(world.head, 2026)
    rows = [(row["received_on"].isoformat(), row["kind"], row["answer_due"].isoformat(), row["on_time"], row["state"])
            for row in report.rows]
    assert rows == [
        ("2026-09-01", "complaint", "2026-10-01", False, "answered_late"),
        ("2026-10-01", "complaint", "2026-11-02", True, "answered_on_time"),
        ("2026-10-05", "complaint", "2026-11-05", False, "overdue"),
        ("2026-11-15", "suggestion", "2026-12-15", None, "open"),
    ]
    assert report.names.persons == {world.person_of(world.ids["liga"]): "Ozoliņa Līga"}
    assert {row["state"]: row["count"] for row in report.table("summary").rows} == {
        "answered_on_time": 1, "answered_late": 1, "open": 1, "overdue": 1}


def test_a_complaint_by_a_restricted_client_is_hidden_from_other_workers(world):
    inga_person = world.person_of(world.ids["inga"])
    records.register_complaint(world.ctx, "2026-11-02", "oral", "Sūdzība.", complainant_person_id=inga_person)
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    assert len(complaints_register(world.ctx, 2026).rows) == 3
    assert len(complaints_register(maris, 2026).rows) == 2
    assert inga_person not in complaints_register(maris, 2026).names.persons


def _table(report, table_id, key):
    return {row[key]: {k: v for k, v in row.items() if k != key} for row in report.table(table_id).rows}


def test_annual_statistics_count_clients_by_service_gender_age_and_target_group(world):
    records.refer_to_service(world.ctx, world.ids["liga"], "home_care", "2026-03-01")
    records.refer_to_service(world.ctx, world.ids["janis"], "home_care", "2026-05-01")
    records.refer_to_service(world.ctx, world.ids["inga"], "crisis_centre", "2026-11-20")
    old = world.client("Aija", "Vecā", birth="1960-01-01", registered="2025-08-01")
    world.issued(old, grant("school_start", "50,00"), "2025-09-01")  # last year's only benefit

    report = statistics_report(world.head, 2026)
    assert [t.id for t in report.tables] == ["by_service", "by_gender", "by_age", "by_target_group", "benefits"]
    assert _table(report, "by_service", "service") == {
        "crisis_centre": {"clients": 1}, "home_care": {"clients": 2}, "total": {"clients": 3}}
    assert _table(report, "by_gender", "gender") == {
        "female": {"clients": 2}, "male": {"clients": 1}, "total": {"clients": 3}}
    assert _table(report, "by_age", "age_group") == {  # ages on 31 December 2026: 22, 41, 76
        "18-24": {"clients": 1}, "25-61": {"clients": 1}, "62+": {"clients": 1}, "total": {"clients": 3}}
    assert _table(report, "by_target_group", "target_group") == {
        "family_with_children": {"clients": 1}, "functional_impairment": {"clients": 1}, "pensioner": {"clients": 1},
        "violence_victim": {"clients": 1}, "total": {"clients": 3}}
    assert [(row["benefit"], row["decisions"], row["recipients"], row["amount"])
            for row in report.table("benefits").rows] == [
        ("housing_benefit", 1, 1, Decimal("120.50")), ("crisis_benefit", 1, 1, Decimal("200.00")),
        ("total", 2, 2, Decimal("320.50"))]

    last_year = statistics_report(world.head, 2025)
    assert [(row["benefit"], row["amount"]) for row in last_year.table("benefits").rows] == [
        ("school_start", Decimal("50.00")), ("total", Decimal("50.00"))]
    assert _table(last_year, "by_age", "age_group") == {"62+": {"clients": 1}, "total": {"clients": 1}}


def test_statistics_of_a_worker_leave_out_files_they_may_not_see(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    assert report_total(statistics_report(world.ctx, 2026)) == 3
    assert report_total(statistics_report(maris, 2026)) == 2  # Inga's file is restricted to Anna


def report_total(report):
    return next(row["clients"] for row in report.table("by_gender").rows if row["gender"] == "total")


def test_a_closed_case_does_not_count_as_active_workload(world):
    case = world.ids["liga_case"]
    cases.evaluate_case(world.ctx, case, "2026-11-20", "Mērķi sasniegti.")
    cases.close_case(world.ctx, case, "2026-11-21", "Mērķi sasniegti")
    rows = {row["worker"]: row for row in workload_report(world.head, 2026).rows}
    assert rows[world.ids["anna"]]["active_cases"] == 1
    on_the_20th = {row["worker"]: row for row in workload_report(world.head, 2026, today=dt.date(2026, 11, 20)).rows}
    assert on_the_20th[world.ids["anna"]]["active_cases"] == 2
