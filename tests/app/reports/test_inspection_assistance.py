"""Each check on applications and decisions finds exactly the one record that breaks its rule."""

import datetime as dt

from app import assistance
from app.reports import inspection_report
from storage.models import Agreement, Application
from tests.app.reports.world import found, grant, raw_sql


def load(ctx, model, row_id):
    with ctx.read() as session:
        return session.get(model, row_id)


def test_adult_granted_a_benefit_without_a_co_operation_agreement_is_found(world):
    adult = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    agreement = world.agreement(adult, "2026-09-20", "2026-09-25")
    decision = world.issued(adult, grant("gmi_benefit"), "2026-10-01")
    # Issuing now refuses this; a laptop on an older release issued it and the agreement was never made.
    raw_sql(world.ctx, "UPDATE agreements SET deleted = 1 WHERE id = :id", id=agreement)
    assert load(world.ctx, Agreement, agreement).deleted
    child = world.client("Anna", "Egle", birth="2012-05-05")
    world.issued(child, grant("gmi_benefit"), "2026-10-01")  # the agreement is made with the adults
    world.issued(adult, grant("school_start", "50,00"), "2026-10-01")  # no co-operation duties for this benefit
    report = inspection_report(world.head)
    assert found(report, "adult_recipients_without_agreement") == [("decisions", decision)]
    [finding] = report.check("adult_recipients_without_agreement").findings
    assert (finding.client_id, finding.worker_id, finding.day) == (adult, world.ids["anna"], dt.date(2026, 10, 31))


def test_application_not_decided_by_its_deadline_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    late = assistance.register_application(world.ctx, client, "2026-10-01", "post", "crisis_benefit",
                                           "Lūdzu palīdzību.")
    extended = assistance.register_application(world.ctx, client, "2026-10-02", "post", "funeral", "Apbedīšana.")
    assistance.extend_deadline(world.ctx, extended, "2027-01-15", "Gaidām izziņu no VSAA.", "2026-10-20")
    assistance.register_application(world.ctx, client, "2026-11-10", "post", "transport", "Ceļa izdevumi.")
    report = inspection_report(world.head)
    assert found(report, "missed_application_deadlines") == [("applications", late)]
    [finding] = report.check("missed_application_deadlines").findings
    assert finding.day == load(world.ctx, Application, late).decision_due < dt.date(2026, 11, 23)


def test_application_decided_after_its_deadline_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    application = assistance.register_application(world.ctx, client, "2026-09-01", "in_person", "crisis_benefit",
                                                  "Lūdzu palīdzību pēc ugunsgrēka.")
    decision = world.issued(client, grant("crisis_benefit"), "2026-10-20", application=application)
    world.notify(decision, world.person_of(client), "2026-10-20")
    [finding] = inspection_report(world.head).check("missed_application_deadlines").findings
    assert (finding.entity, finding.record_id) == ("applications", application)
    assert finding.message.params["decided"] == dt.date(2026, 10, 20)
    assert finding.message.params["day"] == load(world.ctx, Application, application).decision_due


def test_decision_nobody_was_notified_of_within_five_working_days_is_found(world):
    client = world.client("Ivars", "Egle", birth="1980-01-01", gender="male")
    forgotten = world.issued(client, grant("crisis_benefit"), "2026-11-02")
    world.issued(client, grant("transport"), "2026-11-19")  # due 26 November: there is still time
    [finding] = inspection_report(world.head).check("clients_not_informed").findings
    assert (finding.entity, finding.record_id, finding.day) == ("decisions", forgotten, dt.date(2026, 11, 9))
    assert finding.message.text("en") == "decision issued on 2026-11-02 was not notified to anyone (due 2026-11-09)"


def test_decision_for_a_ward_not_notified_to_the_guardian_is_found(world):
    guardian = world.person_of(world.ids["liga"])
    ward = world.client("Ilmārs", "Ozoliņš", birth="1970-07-07", gender="male", capacity_limited=True,
                        legal_representative_id=guardian, representative_kind="guardian")
    decision = world.issued(ward, grant("crisis_benefit"), "2026-11-02")
    world.notify(decision, world.person_of(ward), "2026-11-03")  # the client alone: notice is not valid
    [finding] = inspection_report(world.head).check("clients_not_informed").findings
    assert (finding.record_id, finding.client_id) == (decision, ward)
    assert finding.message.text("en") == ("decision issued on 2026-11-02 was not notified to the legal representative "
                                          "(due 2026-11-09)")


def test_issued_decision_altered_afterwards_is_found(world):
    decision = world.ids["liga_decision"]
    raw_sql(world.ctx, "UPDATE decisions SET amount_cents = 99999 WHERE id = :id", id=decision)
    report = inspection_report(world.head)
    assert found(report, "unsigned_or_altered_decisions") == [("decisions", decision)]
    [finding] = report.check("unsigned_or_altered_decisions").findings
    assert "verification code does not match" in finding.message.text()


def test_issued_decision_without_the_heads_signature_is_found(world):
    decision = world.ids["janis_decision"]
    raw_sql(world.ctx, "UPDATE decisions SET approved_by_user_id = NULL, signed_at = NULL WHERE id = :id", id=decision)
    [finding] = inspection_report(world.head).check("unsigned_or_altered_decisions").findings
    assert (finding.record_id, finding.client_id, finding.day) == (decision, world.ids["janis"], dt.date(2026, 11, 2))
    assert finding.message.text() == "decision issued on 2026-11-02 has no head's approval and signature"
