"""Restricted files, supervision, training and complaints: each check finds exactly the one record at fault."""

import datetime as dt

from sqlalchemy import text

from app import audit, cases, people, records
from app.reports import inspection_report
from storage.models import Client, SocialCase
from tests.app.reports.world import found


def test_restricted_file_whose_open_case_is_not_restricted_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    case = cases.open_case(world.ctx, client, reason="Iesniegums", opened_on="2026-11-20")
    people.set_restricted(world.ctx, client, True)
    with world.ctx.read() as session:  # the service restricts the open case with its file …
        assert session.get(SocialCase, case).restricted
    with world.ctx.write() as session:  # … but a case synced from a laptop that had not seen it yet is not
        session.execute(text("UPDATE social_cases SET restricted = 0 WHERE id = :id"), {"id": case.hex})
    report = inspection_report(world.head)
    assert found(report, "restricted_access") == [("social_cases", case)]
    assert report.check("restricted_access").findings[0].worker_id == world.ids["anna"]


def test_restricted_file_whose_case_has_another_worker_is_found(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male", restricted=True)
    case = cases.open_case(world.ctx, client, reason="Vardarbība", opened_on="2026-11-20",
                           responsible_user_id=maris.user_id)
    [finding] = inspection_report(world.head).check("restricted_access").findings
    assert (finding.entity, finding.record_id, finding.client_id) == ("social_cases", case, client)
    assert finding.message.text() == "the open case of a restricted file has another responsible worker than the file"


def test_restricted_file_read_by_someone_other_than_its_worker_or_the_head_is_found(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    janis = world.ids["janis"]
    # Māris opened the file on his laptop before Anna's restriction reached it: its content left her control.
    audit.record(maris, "open_client", client_id=janis)
    people.set_restricted(world.ctx, janis, True)
    [event] = [e for e in audit.events_for_client(world.ctx, janis) if e.user_id == maris.user_id]
    [finding] = inspection_report(world.head).check("restricted_access").findings
    assert (finding.entity, finding.record_id, finding.worker_id) == ("audit_events", event.id, maris.user_id)
    assert finding.message.text() == ("restricted file: the file was opened on 2026-11-23 by a user who is neither "
                                      "its worker nor the head")


def test_restricted_file_without_a_responsible_worker_is_found_by_the_head(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male", restricted=True)
    with world.ctx.write() as session:  # no service leaves a file without a worker; a synced record can
        session.get(Client, client).responsible_user_id = None
    [finding] = inspection_report(world.head).check("restricted_access").findings
    assert (finding.entity, finding.record_id, finding.worker_id) == ("clients", client, None)
    assert inspection_report(world.ctx).check("restricted_access").findings == []  # Anna cannot see it at all


def test_worker_behind_the_supervision_schedule_is_found(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    world.staff_on_schedule(maris.user_id, sessions=7)  # 8 are due by 23 November (10 a year)
    dace = world.worker("dace", "Dace Ozola", ["assistance_organiser"])
    world.staff_on_schedule(dace.user_id, sessions=0, training=("15",))  # no supervision norm for her role
    report = inspection_report(world.head)
    assert found(report, "supervision_overdue") == [("users", maris.user_id)]
    assert dict(report.check("supervision_overdue").findings[0].message.params) == {
        "done": 7, "expected": 8, "day": dt.date(2026, 11, 23), "norm": 10}
    assert report.check("training_overdue").count == 0  # 15 of 16 hours: 14 are due by now


def test_supervision_is_held_to_the_full_norm_at_the_end_of_the_year(world):
    at_year_end = inspection_report(world.head, today=dt.date(2026, 12, 31))
    assert sorted(f.worker_id for f in at_year_end.check("supervision_overdue").findings) == sorted(
        [world.ids["anna"], world.ids["ilze"]])  # 8 sessions of 10
    assert at_year_end.check("supervision_overdue").findings[0].message.params["expected"] == 10
    assert inspection_report(world.head, today=dt.date(2026, 6, 30)).check("supervision_overdue").count == 0


def test_worker_behind_the_training_schedule_is_found(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    world.staff_on_schedule(maris.user_id, training=("12", "8"))  # 20 hours; 21 are due by 23 November
    report = inspection_report(world.head)
    assert found(report, "training_overdue") == [("users", maris.user_id)]
    params = report.check("training_overdue").findings[0].message.params
    assert (params["done"], params["expected"], params["norm"]) == (20, 21, 24)
    assert report.check("supervision_overdue").count == 0


def test_complaint_not_answered_within_a_month_is_found(world):
    complaint = records.register_complaint(world.ctx, "2026-10-01", "oral", "Darbiniece neatbild uz zvaniem.")
    report = inspection_report(world.head)
    assert found(report, "complaints_unanswered") == [("complaints", complaint)]
    [finding] = report.check("complaints_unanswered").findings
    assert finding.day == dt.date(2026, 11, 2)  # 1 November is a Sunday
    assert finding.worker_id == world.ids["anna"]
