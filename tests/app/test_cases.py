import datetime as dt

import pytest
from sqlalchemy import func, select

from app import cases, people
from app.context import Context
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from app.people import PersonInput
from storage.errors import FinalRecordError
from storage.models import InterventionPlan, JournalEntry, OutboxEntry, SocialCase

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def client(ctx):
    person = people.create_person(ctx, PersonInput("Līga", "Ozoliņa", personal_code="050385-12347"))
    return people.register_client(ctx, person, client_type="mandatory", referral_source="Bāriņtiesa",
                                  target_groups=["family_with_children"], registered_on="2026-09-01")


@pytest.fixture
def case(ctx, client):
    return cases.open_case(ctx, client, reason="Bāriņtiesas ziņojums par bērnu aprūpi", opened_on="01.10.2026")


def outbox_count(ctx, entity=None):
    with ctx.read() as session:
        query = select(func.count()).select_from(OutboxEntry)
        if entity:
            query = query.where(OutboxEntry.entity == entity)
        return session.scalar(query)


def plan_for(ctx, case_id, valid_from, **kwargs):
    """A plan after what must come first: the problem and diagnosis, and a goal."""
    cases.set_problem_and_diagnosis(ctx, case_id, "Bērni neapmeklē skolu.", diagnosis="Vecākiem trūkst prasmju.")
    cases.add_goal(ctx, case_id, "Bērni regulāri apmeklē skolu")
    return cases.create_plan(ctx, case_id, valid_from, **kwargs)


def load(ctx, model, row_id):
    with ctx.read() as session:
        return session.get(model, row_id)


# -- the case -------------------------------------------------------------------------------------------------
def test_worker_opens_case_with_client_type_and_restriction_copied_from_the_client(ctx, client):
    people.set_restricted(ctx, client, True)
    before = outbox_count(ctx, "social_cases")
    case_id = cases.open_case(ctx, client, reason="Vardarbība ģimenē", opened_on="2026-11-20")
    case = load(ctx, SocialCase, case_id)
    assert (case.client_type, case.restricted, case.stage) == ("mandatory", True, "opened")
    assert case.opened_on == dt.date(2026, 11, 20)
    assert case.responsible_user_id == ctx.user_id
    assert outbox_count(ctx, "social_cases") == before + 1


def test_opening_date_defaults_to_today_and_cannot_be_in_the_future(ctx, client):
    with pytest.raises(ValidationError) as caught:
        cases.open_case(ctx, client, reason="Iesniegums", opened_on="2026-11-24")
    assert caught.value.field == "opened_on"
    assert "future" in caught.value.english()
    case = load(ctx, SocialCase, cases.open_case(ctx, client, reason="Iesniegums"))
    assert case.opened_on == TODAY


def test_a_case_needs_a_reason(ctx, client):
    with pytest.raises(RequiredField) as caught:
        cases.open_case(ctx, client, reason="  ")
    assert caught.value.field == "reason"
    assert caught.value.english() == "'reason' is required."


def test_a_client_has_one_open_case_so_the_file_is_not_split(ctx, client, case):
    with pytest.raises(InvalidTransition):
        cases.open_case(ctx, client, reason="Vēl viens")


def test_case_moves_from_assessment_to_planning_when_a_plan_exists(ctx, case):
    cases.set_problem_and_diagnosis(ctx, case, "Bērni neapmeklē skolu.", diagnosis="Vecākiem trūkst prasmju.")
    assert load(ctx, SocialCase, case).stage == "assessment"
    plan_for(ctx, case, "2026-10-15", valid_to="2027-04-15", resources="Skola, ģimenes ārsts")
    loaded = load(ctx, SocialCase, case)
    assert loaded.stage == "planning"
    assert loaded.problem == "Bērni neapmeklē skolu." and loaded.diagnosis == "Vecākiem trūkst prasmju."


def test_a_new_plan_supersedes_the_previous_active_one(ctx, case):
    first = plan_for(ctx, case, "2026-10-15")
    second = plan_for(ctx, case, "2026-11-15", valid_to="2027-05-15")
    assert load(ctx, InterventionPlan, first).status == "superseded"
    newest = load(ctx, InterventionPlan, second)
    assert (newest.status, newest.version) == ("active", 2)
    with pytest.raises(InvalidTransition):
        cases.add_task(ctx, "Apmeklēt ģimeni", plan_id=first, responsible_kind="worker", deadline="2026-12-01")


def test_plan_end_cannot_be_before_its_start(ctx, case):
    with pytest.raises(ValidationError) as caught:
        plan_for(ctx, case, "2026-10-15", valid_to="2026-10-01")
    assert caught.value.field == "valid_to"


def test_plan_task_needs_a_deadline_not_before_the_plan_starts(ctx, case):
    plan = plan_for(ctx, case, "2026-10-15")
    with pytest.raises(RequiredField) as caught:
        cases.add_task(ctx, "Reģistrēties NVA", plan_id=plan, responsible_kind="client", deadline=None)
    assert caught.value.field == "deadline"
    with pytest.raises(ValidationError) as caught:
        cases.add_task(ctx, "Reģistrēties NVA", plan_id=plan, responsible_kind="client", deadline="2026-10-14")
    assert caught.value.field == "deadline"
    assert "plan starts" in caught.value.english()
    with pytest.raises(ValidationError) as caught:
        cases.add_task(ctx, "Reģistrēties NVA", plan_id=plan, responsible_kind="client", deadline="31.02.2027")
    assert caught.value.field == "deadline"
    assert "real calendar date" in caught.value.english()


def test_worker_plans_tasks_for_worker_client_and_institution_and_completes_them(ctx, case):
    from app import records

    school = records.add_institution(ctx, "Ērgļu vidusskola", "school")
    goal = cases.add_goal(ctx, case, "Bērni regulāri apmeklē skolu", target_date="2027-03-01")
    plan = plan_for(ctx, case, "2026-10-15")
    mine = cases.add_task(ctx, "Tikties ar sociālo pedagogu", plan_id=plan, responsible_kind="worker",
                          deadline="2026-12-01", expected_result="Vienošanās par apmeklējuma kontroli", goal_id=goal)
    theirs = cases.add_task(ctx, "Ziņot par kavējumiem", plan_id=plan, responsible_kind="institution",
                            institution_id=school, deadline="2026-12-15")
    with pytest.raises(RequiredField) as caught:
        cases.add_task(ctx, "Ziņot", plan_id=plan, responsible_kind="institution", deadline="2026-12-15")
    assert caught.value.field == "institution_id"
    with pytest.raises(ValidationError) as caught:
        cases.add_task(ctx, "Ziņot", plan_id=plan, responsible_kind="police", deadline="2026-12-15")
    assert caught.value.field == "responsible_kind"
    cases.complete_task(ctx, mine, "2026-11-20", "Tikšanās notika; vienojāmies par iknedēļas zvanu.")
    from storage.models import PlanTask

    done = load(ctx, PlanTask, mine)
    assert (done.status, done.done_on, done.responsible_user_id) == ("done", dt.date(2026, 11, 20), ctx.user_id)
    assert load(ctx, PlanTask, theirs).institution_id == school
    with pytest.raises(InvalidTransition):
        cases.complete_task(ctx, mine, "2026-11-21", "Vēlreiz")
    with pytest.raises(ValidationError) as caught:
        cases.complete_task(ctx, theirs, "2026-12-01", "Nākotnē")
    assert caught.value.field == "done_on"


def test_a_goal_of_another_case_cannot_be_linked(ctx, case):
    other_person = people.create_person(ctx, PersonInput("Pēteris", "Kalns"))
    other_client = people.register_client(ctx, other_person, client_type="voluntary")
    other_case = cases.open_case(ctx, other_client, reason="Iesniegums")
    foreign_goal = cases.add_goal(ctx, other_case, "Cits mērķis")
    with pytest.raises(ValidationError) as caught:
        cases.add_task(ctx, "Uzdevums", case_id=case, responsible_kind="client", deadline="2026-12-01",
                       goal_id=foreign_goal)
    assert caught.value.field == "goal"


# -- the agreement ----------------------------------------------------------------------------------------------
def test_agreement_without_duties_cannot_be_signed(ctx, client, case):
    agreement = cases.create_agreement(ctx, client, "2026-11-01", valid_to="2027-04-30", case_id=case)
    with pytest.raises(InvalidTransition) as caught:
        cases.sign_agreement(ctx, agreement, "2026-11-02")
    assert "duty" in caught.value.english()


def test_signed_agreement_records_duty_fulfilment_with_evidence(ctx, client, case):
    goal = cases.add_goal(ctx, case, "Samaksāt apkures parādu")
    plan_for(ctx, case, "2026-10-15")
    agreement = cases.create_agreement(ctx, client, "2026-11-01", case_id=case, text="Līdzdarbības līgums")
    duty = cases.add_duty(ctx, agreement, "Reizi mēnesī ierasties uz konsultāciju", deadline="2026-12-01",
                          goal_id=goal)
    with pytest.raises(InvalidTransition):
        cases.record_duty_fulfilment(ctx, duty, "fulfilled", "2026-11-20")  # not signed yet
    cases.sign_agreement(ctx, agreement, "2026-11-02")
    assert load(ctx, SocialCase, case).stage == "implementation"
    with pytest.raises(InvalidTransition):
        cases.add_duty(ctx, agreement, "Vēl viens pienākums")
    with pytest.raises(RequiredField) as caught:
        cases.record_duty_fulfilment(ctx, duty, "not_fulfilled", "2026-11-20")
    assert caught.value.field == "evidence"
    cases.record_duty_fulfilment(ctx, duty, "not_fulfilled", "2026-11-20", evidence="Neieradās 5. un 19. novembrī.")
    from storage.models import AgreementDuty

    recorded = load(ctx, AgreementDuty, duty)
    assert (recorded.fulfilment, recorded.checked_on) == ("not_fulfilled", dt.date(2026, 11, 20))


# -- the journal ----------------------------------------------------------------------------------------------
def test_worker_records_consultation_and_it_appears_in_journal_order(ctx, client, case):
    now = ctx.now()
    before = outbox_count(ctx, "journal_entries")
    later = cases.record_journal_entry(ctx, client, occurred_at=now - dt.timedelta(hours=1), kind="consultation",
                                       topic="Pabalsta iespējas", text="Izskaidroti noteikumi.", duration_minutes=45,
                                       case_id=case)
    earlier = cases.record_journal_entry(ctx, client, occurred_at=now - dt.timedelta(days=3), kind="phone",
                                         topic="Tikšanās laiks", duration_minutes="10")
    journal = cases.list_journal(ctx, client)
    assert [e.id for e in journal] == [earlier, later]
    assert journal[1].duration_minutes == 45 and journal[1].worker_user_id == ctx.user_id
    assert outbox_count(ctx, "journal_entries") == before + 2


def test_journal_accepts_local_time_text_and_a_little_clock_drift(ctx, client):
    entry = cases.record_journal_entry(ctx, client, occurred_at="20.11.2026 09:30", kind="visit", topic="Apsekošana")
    assert load(ctx, JournalEntry, entry).occurred_at.tzinfo is not None
    drift = ctx.now() + dt.timedelta(minutes=3)
    cases.record_journal_entry(ctx, client, occurred_at=drift, kind="note", topic="Piezīme")


def test_journal_entry_in_the_future_or_too_long_is_refused(ctx, client):
    with pytest.raises(ValidationError) as caught:
        cases.record_journal_entry(ctx, client, occurred_at=ctx.now() + dt.timedelta(minutes=10), kind="phone",
                                   topic="Zvans")
    assert caught.value.field == "occurred_at"
    assert "future" in caught.value.english()
    with pytest.raises(ValidationError) as caught:
        cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="phone", topic="Zvans",
                                   duration_minutes=1441)
    assert caught.value.field == "duration_minutes"
    with pytest.raises(ValidationError) as caught:
        cases.record_journal_entry(ctx, client, occurred_at="30.02.2026 10:00", kind="phone", topic="Zvans")
    assert caught.value.field == "occurred_at"
    with pytest.raises(RequiredField) as caught:
        cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="phone", topic="")
    assert caught.value.field == "topic"
    with pytest.raises(ValidationError) as caught:
        cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="phone", topic="Zvans",
                                   flags=["suspected_theft"])
    assert caught.value.field == "flags"


def test_journal_entries_are_final_and_corrections_point_at_the_old_entry(ctx, client):
    wrong = cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="meeting", topic="Tikšanās ar skolu",
                                       duration_minutes=600)
    with pytest.raises(FinalRecordError), ctx.write() as session:
        session.get(JournalEntry, wrong).duration_minutes = 60
    fix = cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="meeting", topic="Tikšanās ar skolu",
                                     duration_minutes=60, corrects_entry_id=wrong, flags=["missing_health_care"])
    entry = load(ctx, JournalEntry, fix)
    assert entry.corrects_entry_id == wrong and entry.flags == ["missing_health_care"]
    assert load(ctx, JournalEntry, wrong).duration_minutes == 600


def test_a_correction_must_point_at_an_entry_of_the_same_client(ctx, client):
    other = people.register_client(ctx, people.create_person(ctx, PersonInput("Ints", "Liepa")),
                                   client_type="voluntary")
    foreign = cases.record_journal_entry(ctx, other, occurred_at=ctx.now(), kind="note", topic="Cits klients")
    with pytest.raises(ValidationError) as caught:
        cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="note", topic="Labojums",
                                   corrects_entry_id=foreign)
    assert caught.value.field == "corrects_entry_id"


def test_restricted_client_journal_is_invisible_to_another_worker(ctx, store, client, data_dir):
    from app import users
    from storage.store import Store

    people.set_restricted(ctx, client, True)
    cases.record_journal_entry(ctx, client, occurred_at=ctx.now(), kind="note", topic="Konfidenciāli")
    users.add_user(ctx, "maris", "Cita-parole-2026", display_name="Māris Egle", roles=["social_worker"])
    other = Context(Store.open(data_dir, "maris", "Cita-parole-2026"), today=lambda: TODAY)
    try:
        with pytest.raises(NotFound):
            cases.list_journal(other, client)
        with pytest.raises(NotFound):
            cases.record_journal_entry(other, client, occurred_at=ctx.now(), kind="note", topic="Mēģinājums")
    finally:
        other.store.lock()


def test_inspector_cannot_write_to_the_journal(ctx, client, data_dir):
    from app import users
    from app.errors import PermissionDenied
    from storage.store import Store

    users.add_user(ctx, "inese", "Inspekcija-2026", display_name="Inese Vītola", roles=["inspector"])
    inspector = Context(Store.open(data_dir, "inese", "Inspekcija-2026"), today=lambda: TODAY)
    try:
        with pytest.raises(PermissionDenied):
            cases.record_journal_entry(inspector, client, occurred_at=ctx.now(), kind="note", topic="Pārbaude")
        assert cases.list_journal(inspector, client) == []
    finally:
        inspector.store.lock()


# -- closure ----------------------------------------------------------------------------------------------------
def test_case_cannot_be_closed_without_an_evaluation(ctx, case):
    with pytest.raises(InvalidTransition) as caught:
        cases.close_case(ctx, case, "2026-11-20", "Mērķi sasniegti")
    assert "evaluation" in caught.value.english()
    with pytest.raises(RequiredField) as caught:
        cases.evaluate_case(ctx, case, "2026-11-20", " ")
    assert caught.value.field == "evaluation"
    assert load(ctx, SocialCase, case).closed_on is None


def test_a_plan_comes_after_the_problem_and_a_goal(ctx, case):
    with pytest.raises(InvalidTransition) as caught:
        cases.create_plan(ctx, case, "2026-10-15")
    assert "problem" in caught.value.english()
    cases.set_problem_and_diagnosis(ctx, case, "Parādi par apkuri.")
    with pytest.raises(InvalidTransition) as caught:
        cases.create_plan(ctx, case, "2026-10-15")
    assert "goal" in caught.value.english()


def test_closed_case_goes_to_monitoring_and_refuses_further_plans(ctx, case):
    plan = plan_for(ctx, case, "2026-10-15")
    goal = cases.add_goal(ctx, case, "Samaksāts apkures parāds")
    cases.evaluate_case(ctx, case, "2026-11-19", "Ģimene sadarbojās; bērni apmeklē skolu.",
                        goal_outcomes={goal: "reached"})
    assert load(ctx, SocialCase, case).stage == "evaluation"
    with pytest.raises(ValidationError) as caught:
        cases.close_case(ctx, case, "2026-11-18", "Mērķi sasniegti")
    assert caught.value.field == "closed_on"
    cases.close_case(ctx, case, "2026-11-20", "Mērķi sasniegti", monitoring_until="2027-02-20")
    closed = load(ctx, SocialCase, case)
    assert (closed.stage, closed.monitoring_until, closed.next_review_on) == ("monitoring", dt.date(2027, 2, 20), None)
    assert load(ctx, InterventionPlan, plan).status == "closed"
    from storage.models import CaseGoal

    assert load(ctx, CaseGoal, goal).status == "reached"
    with pytest.raises(InvalidTransition):
        plan_for(ctx, case, "2026-11-21")
    with pytest.raises(InvalidTransition):
        cases.close_case(ctx, case, "2026-11-21", "Atkārtoti")
    cases.end_monitoring(ctx, case, "2026-11-23")
    assert load(ctx, SocialCase, case).stage == "closed"
    with pytest.raises(InvalidTransition):
        cases.end_monitoring(ctx, case, "2026-11-23")


def test_reviews_fall_due_by_the_client_s_age_and_situation(ctx, case, client):
    plan_for(ctx, case, "2026-10-15")
    assert load(ctx, SocialCase, case).next_review_on == dt.date(2027, 10, 15)  # adult: 12 months
    cases.record_review(ctx, case, "2026-11-20", "Plāns pārskatīts; mērķi aktuāli.")
    assert load(ctx, SocialCase, case).next_review_on == dt.date(2027, 11, 20)
    child = people.register_client(ctx, people.create_person(ctx, PersonInput("Marta", "Ozoliņa",
                                                                              birth_date="2015-04-02")),
                                   client_type="mandatory", referral_source="Skola")
    child_case = cases.open_case(ctx, child, reason="Skolas kavējumi", opened_on="2026-10-01")
    with pytest.raises(ValidationError) as caught:  # a child's rehabilitation plan runs at most 3 months
        plan_for(ctx, child_case, "2026-10-15", valid_to="2027-02-15")
    assert caught.value.field == "valid_to"
    plan_for(ctx, child_case, "2026-10-15", valid_to="2027-01-15")
    assert load(ctx, SocialCase, child_case).next_review_on == dt.date(2027, 1, 15)
    elder = people.register_client(ctx, people.create_person(ctx, PersonInput("Jānis", "Bērziņš",
                                                                              birth_date="1950-01-01")),
                                   client_type="voluntary")
    elder_case = cases.open_case(ctx, elder, reason="Aprūpe mājās", opened_on="2026-10-01")
    plan_for(ctx, elder_case, "2026-10-15")
    assert load(ctx, SocialCase, elder_case).next_review_on == dt.date(2027, 4, 15)  # 6 months
