import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import func, select

from app import assistance, cases, decisions, people, users
from app.context import Context
from app.decisions import DecisionInput, IncompleteDecision
from app.errors import InvalidTransition, PermissionDenied, RequiredField, ValidationError
from app.people import PersonInput
from storage.errors import FinalRecordError
from storage.models import (Application, Decision, DecisionApproval, DecisionNotification, HouseholdStatus,
                            MeansTest, OutboxEntry)
from storage.store import Store

TODAY = dt.date(2026, 11, 23)
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)
HEAD_PASSPHRASE = "Vadītāja-parole-2026"
LEGAL_BASIS = ["Sociālo pakalpojumu un sociālās palīdzības likuma 33. panta pirmā daļa"]
GRANT = DecisionInput(kind="grant", amount="120,50", period_from="2026-11-01", period_to="2026-11-30",
                      request_summary="Mājokļa pabalsts apkures izdevumiem.",
                      facts="Mājsaimniecībai piešķirts trūcīgas mājsaimniecības statuss.",
                      legal_basis=LEGAL_BASIS, operative_part="Piešķirt mājokļa pabalstu 120,50 EUR apmērā.")
REFUSAL = DecisionInput(kind="refusal", facts="Ienākumi pārsniedz slieksni.", reasons="Ienākumi 700 EUR mēnesī.",
                        request_summary="Pabalsts krīzes situācijā.",
                        participants_views="Iesniedzējs uzskata, ka pabalsts nepieciešams.",
                        legal_basis=LEGAL_BASIS, operative_part="Atteikt piešķirt pabalstu.",
                        appeal_body="Ērgļu novada pašvaldības domē",
                        appeal_term="viena mēneša laikā no spēkā stāšanās dienas")


def fixed_context(store) -> Context:
    """'Now' agrees with the fixed 'today' (the head's signature time is compared with the issue date)."""
    return Context(store, today=lambda: TODAY, clock=lambda: NOON)


@pytest.fixture
def ctx(store):
    return fixed_context(store)


@pytest.fixture
def person(ctx):
    return people.create_person(ctx, PersonInput("Andris", "Kalniņš", personal_code="050385-12347",
                                                 address="Liepu iela 3, Ērgļi"))


@pytest.fixture
def client(ctx, person):
    return people.register_client(ctx, person, client_type="voluntary", target_groups=["low_income"])


@pytest.fixture
def household(ctx, person):
    return people.create_household(ctx, members=[person], head=person)


@pytest.fixture
def head(ctx, data_dir):
    """Ilze, the head of service, unlocking the same laptop's store with her own key slot."""
    users.add_user(ctx, "ilze", HEAD_PASSPHRASE, display_name="Ilze Vadītāja", roles=["head"])
    opened = Store.open(data_dir, "ilze", HEAD_PASSPHRASE)
    yield fixed_context(opened)
    opened.lock()


@pytest.fixture
def application(ctx, client):
    return assistance.register_application(ctx, client, "2026-11-02", "in_person", "housing_benefit",
                                           "Lūdzu piešķirt mājokļa pabalstu apkures izdevumiem.")


def load(ctx, model, row_id):
    with ctx.read() as session:
        return session.get(model, row_id)


def outbox_count(ctx, entity):
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity == entity))


def signed_agreement(ctx, client, valid_from="2026-11-01"):
    """The co-operation agreement an adult recipient of a housing or GMI benefit needs before the issue."""
    agreement = cases.create_agreement(ctx, client, valid_from)
    cases.add_duty(ctx, agreement, "Reģistrēties NVA kā bezdarbniekam", deadline="2026-12-15")
    cases.sign_agreement(ctx, agreement, "2026-11-20")
    return agreement


def approved(ctx, head, client, data, application=None):
    decision = decisions.draft_decision(ctx, client, data, application_id=application)
    decisions.submit_decision(ctx, decision)
    decisions.approve_and_sign(head, decision)
    return decision


# -- applications -------------------------------------------------------------------------------------------
def test_every_application_is_registered_with_a_decision_due_one_month_later(ctx, client, person):
    before = outbox_count(ctx, "applications")
    app_id = assistance.register_application(ctx, client, "31.10.2026", "post", "gmi_benefit", "GMI pabalsts")
    application = load(ctx, Application, app_id)
    assert application.decision_due == dt.date(2026, 11, 30)
    assert (application.status, application.registration_number) == ("registered", "IES/2026/0001")
    assert application.applicant_person_id == person and application.handled_by_user_id == ctx.user_id
    assert outbox_count(ctx, "applications") == before + 1


@pytest.mark.parametrize("kwargs, field", [
    (dict(received_on="2026-11-24"), "received_on"),
    (dict(received_on=""), "received_on"),
    (dict(channel="pigeon"), "channel"),
    (dict(benefit_code="Mājokļa pabalsts"), "benefit_code"),
    (dict(request_text=" "), "request_text"),
])
def test_application_with_missing_or_invalid_fields_is_refused(ctx, client, kwargs, field):
    values = dict(received_on="2026-11-02", channel="email", benefit_code="housing_benefit", request_text="Lūgums")
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        assistance.register_application(ctx, client, **values)
    assert caught.value.field == field


# -- means test and household status --------------------------------------------------------------------------
def test_means_test_for_an_application_finds_the_clients_household(ctx, application, household):
    test_id = assistance.record_means_test(ctx, application_id=application, performed_on="2026-11-05",
                                           household_size=1, working_age_members=1, income="412,30",
                                           resources={"car": False, "savings_cents": 0})
    test = load(ctx, MeansTest, test_id)
    assert (test.household_id, test.income_cents, test.resources) == (household, 41230, {"car": False,
                                                                                          "savings_cents": 0})


@pytest.mark.parametrize("kwargs, field", [
    (dict(household_size=0), "household_size"),
    (dict(household_size=2, working_age_members=3), "working_age_members"),
    (dict(income="-5"), "income"),
    (dict(income="12,345"), "income"),
    (dict(performed_on="2026-11-01"), "performed_on"),  # before the application was received
    (dict(resources=["car"]), "resources"),
])
def test_means_test_refuses_impossible_households_and_amounts(ctx, application, household, kwargs, field):
    values = dict(application_id=application, performed_on="2026-11-05", household_size=2, working_age_members=1,
                  income="400")
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        assistance.record_means_test(ctx, **values)
    assert caught.value.field == field


def test_household_status_period_must_not_end_before_it_starts(ctx, household):
    with pytest.raises(ValidationError) as caught:
        assistance.set_household_status(ctx, household, "needy", "2026-11-01", "2026-10-31")
    assert caught.value.field == "valid_to"
    with pytest.raises(ValidationError) as caught:
        assistance.set_household_status(ctx, household, "poor", "2026-11-01", "2027-01-31")
    assert caught.value.field == "status"
    status = assistance.set_household_status(ctx, household, "low_income", "2026-11-01", "2027-01-31")
    assert load(ctx, HouseholdStatus, status).valid_to == dt.date(2027, 1, 31)


# -- decisions ------------------------------------------------------------------------------------------------
def test_worker_drafts_head_approves_and_decision_is_issued_with_its_hash(ctx, head, client, application):
    decision = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    assert load(ctx, Application, application).status == "in_review"
    drafted = load(ctx, Decision, decision)
    assert (drafted.amount_cents, drafted.benefit_code, drafted.status) == (12050, "housing_benefit", "draft")
    decisions.submit_decision(ctx, decision)
    decisions.approve_and_sign(head, decision)
    signed = load(ctx, Decision, decision)
    assert (signed.status, signed.approved_by_user_id) == ("approved", head.user_id) and signed.signed_at
    signed_agreement(ctx, client)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    issued = load(ctx, Decision, decision)
    assert issued.status == "issued" and issued.issued_on == TODAY
    assert issued.content_hash == decisions.content_hash(issued)
    assert issued.number == "LEM/2026/0001"
    canonical = json.dumps({
        "id": str(issued.id), "number": "LEM/2026/0001", "client_id": str(client), "application_id": str(application), "kind": "grant",
        "benefit_code": "housing_benefit", "amount_cents": 12050, "period_from": "2026-11-01",
        "period_to": "2026-11-30", "request_summary": issued.request_summary, "participants_views": None,
        "facts": GRANT.facts, "reasons": None, "legal_basis": LEGAL_BASIS, "operative_part": GRANT.operative_part,
        "appeal_body": None, "appeal_term": None, "amends_decision_id": None,
        "approved_by_user_id": str(head.user_id), "issued_on": "2026-11-23"},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert issued.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert load(ctx, Application, application).status == "decided"
    assert [a.action for a in decisions.approval_trail(ctx, decision)] == ["submitted", "approved"]
    assert outbox_count(ctx, "decision_approvals") == 2


def test_issued_decision_is_final_and_a_correction_is_an_amending_decision(ctx, head, client):
    original = approved(ctx, head, client, GRANT)
    decisions.issue_decision(ctx, original, "2026-11-23")
    with pytest.raises(InvalidTransition):
        decisions.update_draft(ctx, original, GRANT)
    with pytest.raises(FinalRecordError), ctx.write() as session:
        session.get(Decision, original).amount_cents = 99
    with pytest.raises(RequiredField) as caught:
        decisions.draft_decision(ctx, client, dataclasses.replace(GRANT, kind="amendment"))
    assert caught.value.field == "amends_decision_id"
    amendment = decisions.draft_decision(ctx, client, dataclasses.replace(
        GRANT, kind="amendment", amount="130", reasons="Pārrēķināti apkures izdevumi.",
        amends_decision_id=original))
    assert load(ctx, Decision, amendment).amends_decision_id == original
    assert load(ctx, Decision, original).amount_cents == 12050


def test_only_an_issued_decision_can_be_amended(ctx, client):
    draft = decisions.draft_decision(ctx, client, GRANT)
    with pytest.raises(ValidationError) as caught:
        decisions.draft_decision(ctx, client, dataclasses.replace(REFUSAL, kind="revocation",
                                                                   amends_decision_id=draft))
    assert caught.value.field == "amends_decision_id"


def test_head_returns_decision_with_comments(ctx, head, client):
    decision = decisions.draft_decision(ctx, client, GRANT)
    decisions.submit_decision(ctx, decision)
    with pytest.raises(RequiredField) as caught:
        decisions.return_decision(head, decision, "")
    assert caught.value.field == "comment"
    decisions.return_decision(head, decision, "Lūdzu papildināt faktu izklāstu ar ienākumu apliecinājumu.")
    assert load(ctx, Decision, decision).status == "returned"
    trail = decisions.approval_trail(ctx, decision)
    assert [(a.action, a.by_user_id) for a in trail] == [("submitted", ctx.user_id), ("returned", head.user_id)]
    assert trail[-1].comment.startswith("Lūdzu papildināt")
    decisions.update_draft(ctx, decision, dataclasses.replace(GRANT, facts=GRANT.facts + " Ienākumi apliecināti."))
    decisions.submit_decision(ctx, decision)
    decisions.approve_and_sign(head, decision)
    assert load(ctx, Decision, decision).status == "approved"
    with pytest.raises(InvalidTransition):
        decisions.update_draft(ctx, decision, GRANT)  # signed content is not edited


def test_only_the_head_returns_or_signs_decisions(ctx, client):
    decision = decisions.draft_decision(ctx, client, GRANT)
    decisions.submit_decision(ctx, decision)
    with pytest.raises(PermissionDenied):
        decisions.approve_and_sign(ctx, decision)
    with pytest.raises(PermissionDenied):
        decisions.return_decision(ctx, decision, "Nē")
    assert load(ctx, Decision, decision).status == "submitted"


def test_decision_must_be_approved_before_it_is_issued(ctx, client):
    decision = decisions.draft_decision(ctx, client, GRANT)
    with pytest.raises(InvalidTransition) as caught:
        decisions.issue_decision(ctx, decision, "2026-11-23")
    assert "approved and signed by the head" in caught.value.english()


@pytest.mark.parametrize("missing", ["appeal_body", "appeal_term", "reasons"])
def test_refusal_without_appeal_instruction_cannot_be_issued(ctx, head, client, missing):
    incomplete = dataclasses.replace(REFUSAL, **{missing: None})
    decision = decisions.draft_decision(ctx, client, incomplete)
    with pytest.raises(IncompleteDecision) as caught:
        decisions.submit_decision(ctx, decision)  # stopped at the earliest point
    assert caught.value.field == missing
    # and even a decision approved elsewhere (e.g. synced from an older version) is not issued
    with ctx.write() as session:
        session.get(Decision, decision).status = "approved"
    with pytest.raises(IncompleteDecision) as caught:
        decisions.issue_decision(ctx, decision, "2026-11-23")
    assert caught.value.field == missing
    assert load(ctx, Decision, decision).status == "approved"


@pytest.mark.parametrize("change, field", [
    (dict(facts=""), "facts"), (dict(legal_basis=[]), "legal_basis"), (dict(operative_part=None), "operative_part"),
])
def test_every_decision_states_facts_legal_basis_and_operative_part(ctx, client, change, field):
    decision = decisions.draft_decision(ctx, client, dataclasses.replace(GRANT, **change))
    with pytest.raises(IncompleteDecision) as caught:
        decisions.submit_decision(ctx, decision)
    assert caught.value.field == field


@pytest.mark.parametrize("data, field", [
    (dataclasses.replace(GRANT, kind="gift"), "kind"),
    (dataclasses.replace(GRANT, amount="12.345"), "amount"),
    (dataclasses.replace(GRANT, period_to="2026-10-01"), "period_to"),
    (dataclasses.replace(GRANT, period_from="31.11.2026"), "period_from"),
    (dataclasses.replace(GRANT, legal_basis="33. pants"), "legal_basis"),
    (dataclasses.replace(REFUSAL, amount="50"), "amount"),
])
def test_draft_with_invalid_content_is_refused(ctx, client, data, field):
    with pytest.raises(ValidationError) as caught:
        decisions.draft_decision(ctx, client, data)
    assert caught.value.field == field


def test_client_is_notified_of_an_issued_decision(ctx, head, client, person):
    decision = approved(ctx, head, client, GRANT)
    with pytest.raises(InvalidTransition):
        decisions.record_notification(ctx, decision, person, "in_person", received_on="2026-11-23")
    decisions.issue_decision(ctx, decision, "2026-11-23")
    with pytest.raises(RequiredField) as caught:
        decisions.record_notification(ctx, decision, person, "in_person")
    assert caught.value.field == "received_on"
    with pytest.raises(ValidationError) as caught:
        decisions.record_notification(ctx, decision, person, "email", sent_on="2026-11-22")
    assert caught.value.field == "sent_on"
    note = decisions.record_notification(ctx, decision, person, "in_person", received_on="2026-11-23")
    recorded = load(ctx, DecisionNotification, note)
    assert (recorded.channel, recorded.received_on, recorded.recipient_person_id) == ("in_person", TODAY, person)
    assert outbox_count(ctx, "decision_notifications") == 1


def test_refusal_sent_by_post_must_go_by_registered_mail(ctx, head, client, person):
    decision = approved(ctx, head, client, REFUSAL)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    with pytest.raises(InvalidTransition):
        decisions.record_notification(ctx, decision, person, "post", registered_on="2026-11-23")
    decisions.record_notification(ctx, decision, person, "registered_post", sent_on="2026-11-23")
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(DecisionApproval)
                              .where(DecisionApproval.decision_id == decision)) == 2


def test_decision_cannot_be_issued_before_the_head_signed_it(ctx, head, client):
    decision = approved(ctx, head, client, GRANT)
    with pytest.raises(ValidationError) as caught:
        decisions.issue_decision(ctx, decision, "2026-11-20")
    assert caught.value.field == "issued_on"
    assert caught.value.english() == "'issued on' cannot be before the decision was signed."
    with pytest.raises(ValidationError) as caught:
        decisions.issue_decision(ctx, decision, "2026-11-24")
    assert caught.value.field == "issued_on" and "future" in caught.value.english()


# -- registration, terms, extension ------------------------------------------------------------------------------
def test_application_numbers_run_on_within_the_year_and_restart_in_the_next(ctx, client):
    first = assistance.register_application(ctx, client, "2026-11-02", "post", "funeral", "Apbedīšana")
    second = assistance.register_application(ctx, client, "2026-11-03", "post", "funeral", "Apbedīšana")
    earlier = assistance.register_application(ctx, client, "2025-12-30", "post", "funeral", "Apbedīšana")
    numbers_ = [load(ctx, Application, a).registration_number for a in (first, second, earlier)]
    assert numbers_ == ["IES/2026/0001", "IES/2026/0002", "IES/2025/0001"]


def test_benefit_outside_the_catalogue_is_refused(ctx, client):
    with pytest.raises(ValidationError) as caught:
        assistance.register_application(ctx, client, "2026-11-02", "post", "lottery_win", "Lūgums")
    assert caught.value.field == "benefit_code"


def test_a_benefit_with_its_own_term_counts_working_days(ctx, client):
    # household status: 10 working days (municipal term); 18 Nov is a holiday
    app_id = assistance.register_application(ctx, client, "2026-11-10", "in_person", "household_status", "Statuss")
    assert load(ctx, Application, app_id).decision_due == dt.date(2026, 11, 25)


def test_decision_term_ending_on_a_day_off_moves_to_the_next_working_day(ctx, client):
    app_id = assistance.register_application(ctx, client, "2026-10-18", "post", "funeral", "Apbedīšana")
    assert load(ctx, Application, app_id).decision_due == dt.date(2026, 11, 19)  # 18 Nov is a holiday


def test_deadline_extension_is_noticed_and_capped_at_four_months(ctx, application):
    with pytest.raises(ValidationError) as caught:  # 2 Nov + 4 months = 2 Mar 2027
        assistance.extend_deadline(ctx, application, "2027-03-03", "Jāiegūst ziņas no VSAA", "2026-11-20")
    assert caught.value.field == "extended_until"
    with pytest.raises(ValidationError) as caught:  # not later than the current deadline (2 Dec)
        assistance.extend_deadline(ctx, application, "2026-12-01", "Jāiegūst ziņas", "2026-11-20")
    assert caught.value.field == "extended_until"
    with pytest.raises(RequiredField) as caught:
        assistance.extend_deadline(ctx, application, "2027-01-15", "", "2026-11-20")
    assert caught.value.field == "extension_reason"
    assistance.extend_deadline(ctx, application, "2027-03-02", "Jāiegūst ziņas no VSAA", "2026-11-20")
    extended = load(ctx, Application, application)
    assert (extended.extended_until, extended.extension_notified_on) == (dt.date(2027, 3, 2), dt.date(2026, 11, 20))
    assert extended.decision_due == dt.date(2026, 12, 2)  # the original term stays on record


def test_means_test_keeps_the_thresholds_it_used(ctx, application, household):
    test_id = assistance.record_means_test(ctx, application_id=application, performed_on="2026-11-05",
                                           household_size=1, working_age_members=1, income="300",
                                           housing_costs="80,00")
    test = load(ctx, MeansTest, test_id)
    assert test.result == "needy"
    assert test.thresholds["gmi_sum_cents"] == 18700 and test.thresholds["thresholds_valid_from"] == "2026-01-01"
    assert test.thresholds["housing_benefit_cents"] == 18700 * 13 // 10 + 8000 - 30000


def test_household_status_period_is_computed_from_the_household(ctx, household):
    three = assistance.set_household_status(ctx, household, "needy", "2026-11-01", working_age_members=1)
    six = assistance.set_household_status(ctx, household, "low_income", "2026-11-01", working_age_members=0)
    assert load(ctx, HouseholdStatus, three).valid_to == dt.date(2027, 1, 31)
    assert load(ctx, HouseholdStatus, six).valid_to == dt.date(2027, 4, 30)
    with pytest.raises(ValidationError) as caught:
        assistance.set_household_status(ctx, household, "needy", "2026-11-01", "2027-02-28", working_age_members=1)
    assert caught.value.field == "valid_to"


def test_cancelled_status_ends_from_the_first_of_the_next_month(ctx, household):
    status = assistance.set_household_status(ctx, household, "needy", "2026-11-01", working_age_members=1)
    assert assistance.cancel_household_status(ctx, status, "2026-11-23") == dt.date(2026, 12, 1)
    with pytest.raises(InvalidTransition):
        assistance.cancel_household_status(ctx, status, "2026-11-23")


# -- agreement, numbers and the life of an issued decision ------------------------------------------------------
def test_adult_recipient_of_housing_benefit_needs_a_signed_agreement(ctx, head, client, application):
    decision = approved(ctx, head, client, GRANT, application)
    with pytest.raises(IncompleteDecision) as caught:
        decisions.issue_decision(ctx, decision, "2026-11-23")
    assert caught.value.field == "agreement"
    assert load(ctx, Decision, decision).status == "approved" and load(ctx, Decision, decision).number is None
    signed_agreement(ctx, client)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    assert load(ctx, Decision, decision).number == "LEM/2026/0001"


def test_decision_without_the_addressee_s_address_cannot_be_submitted(ctx, client, person):
    people.update_person(ctx, person, PersonInput("Andris", "Kalniņš", personal_code="050385-12347"))
    decision = decisions.draft_decision(ctx, client, GRANT)
    with pytest.raises(IncompleteDecision) as caught:
        decisions.submit_decision(ctx, decision)
    assert caught.value.field == "address"


def test_refusal_must_state_the_participants_views(ctx, client):
    decision = decisions.draft_decision(ctx, client, dataclasses.replace(REFUSAL, participants_views=None))
    with pytest.raises(IncompleteDecision) as caught:
        decisions.submit_decision(ctx, decision)
    assert caught.value.field == "participants_views"


def later(ctx, day):
    return Context(ctx.store, today=lambda: day, clock=lambda: NOON)


def test_refusal_by_registered_mail_enters_into_force_on_the_7th_day_and_is_final_after_a_month(ctx, head, client,
                                                                                              person):
    decision = approved(ctx, head, client, REFUSAL)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    assert decisions.decision_dates(ctx, decision).state == "awaiting_notification"
    decisions.record_notification(ctx, decision, person, "registered_post", sent_on="2026-11-23")
    dates = decisions.decision_dates(ctx, decision)
    assert (dates.state, dates.in_force_on) == ("sent", dt.date(2026, 11, 30))
    assert dates.appeal_until == dt.date(2026, 12, 30) and dates.final_on == dt.date(2026, 12, 31)
    assert decisions.decision_dates(later(ctx, dt.date(2026, 12, 30)), decision).state == "in_force"
    assert decisions.decision_dates(later(ctx, dt.date(2026, 12, 31)), decision).state == "final"


def test_without_an_appeal_instruction_the_appeal_term_is_a_year(ctx, head, client, person):
    decision = approved(ctx, head, client, GRANT)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    decisions.record_notification(ctx, decision, person, "email", sent_on="2026-11-23")
    dates = decisions.decision_dates(ctx, decision)
    assert dates.in_force_on == dt.date(2026, 11, 25)  # 2nd working day after sending
    assert dates.appeal_until == dt.date(2027, 11, 25)


def test_ordinary_letter_is_deemed_notified_on_the_8th_day_from_registration(ctx, head, client, person):
    decision = approved(ctx, head, client, GRANT)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    note = decisions.record_notification(ctx, decision, person, "post", registered_on="2026-11-23")
    assert load(ctx, DecisionNotification, note).deemed_notified_on == dt.date(2026, 12, 1)


def test_adult_under_guardianship_and_the_guardian_must_both_be_notified(ctx, head, client, person):
    guardian = people.create_person(ctx, PersonInput("Inese", "Kalniņa", address="Liepu iela 3, Ērgļi"))
    people.set_legal_representative(ctx, client, guardian, "guardian", capacity_limited=True)
    stranger = people.create_person(ctx, PersonInput("Jānis", "Ozols"))
    decision = approved(ctx, head, client, GRANT)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    with pytest.raises(ValidationError) as caught:
        decisions.record_notification(ctx, decision, stranger, "in_person", received_on="2026-11-23")
    assert caught.value.field == "recipient"
    decisions.record_notification(ctx, decision, person, "in_person", received_on="2026-11-23")
    dates = decisions.decision_dates(ctx, decision)
    assert dates.state == "awaiting_notification" and dates.missing_recipients == (guardian,)
    decisions.record_notification(ctx, decision, guardian, "email", sent_on="2026-11-23")
    dates = decisions.decision_dates(ctx, decision)
    assert dates.missing_recipients == () and dates.in_force_on == dt.date(2026, 11, 25)  # the later notice


def test_no_service_changes_an_issued_decision(ctx, head, client, person):
    decision = approved(ctx, head, client, GRANT)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    before = load(ctx, Decision, decision)
    snapshot = {c.key: getattr(before, c.key) for c in Decision.__table__.columns}
    attempts = [
        lambda: decisions.update_draft(ctx, decision, GRANT),
        lambda: decisions.submit_decision(ctx, decision),
        lambda: decisions.return_decision(head, decision, "Labot summu"),
        lambda: decisions.approve_and_sign(head, decision),
        lambda: decisions.issue_decision(ctx, decision, "2026-11-23"),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidTransition):
            attempt()
    decisions.record_notification(ctx, decision, person, "in_person", received_on="2026-11-23")  # adds a record
    after = load(ctx, Decision, decision)
    assert {c.key: getattr(after, c.key) for c in Decision.__table__.columns} == snapshot
    assert after.content_hash == decisions.content_hash(after)


def test_status_names_only_a_decision_of_its_own_household(ctx, head, client, household):
    stranger = people.register_client(ctx, people.create_person(ctx, PersonInput("Jānis", "Ozols", address="Ērgļi")),
                                      client_type="voluntary")
    foreign = approved(ctx, head, stranger, GRANT)
    with pytest.raises(ValidationError) as caught:
        assistance.set_household_status(ctx, household, "needy", "2026-11-01", working_age_members=1,
                                        decision_id=foreign)
    assert caught.value.field == "decision_id"
    own = approved(ctx, head, client, GRANT)
    status = assistance.set_household_status(ctx, household, "needy", "2026-11-01", working_age_members=1,
                                             decision_id=own)
    assert load(ctx, HouseholdStatus, status).decision_id == own
