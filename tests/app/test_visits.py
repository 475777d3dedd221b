import datetime as dt

import pytest
from sqlalchemy import func, select

from app import cases, people, visits
from app.context import Context
from app.errors import InvalidTransition, RequiredField, ValidationError
from app.people import PersonInput
from storage.errors import FinalRecordError
from storage.models import Assessment, HomeVisit, HomeVisitAnswer, OutboxEntry
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE

TODAY = dt.date(2026, 11, 23)
LATVIAN_LETTERS = set("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")
FULL_CHECKLIST = {
    "housing_adequate": "yes", "food": 4, "clothing": "3", "health_care": True, "education": "yes",
    "hygiene_kitchen": 3, "hygiene_bedroom": 4, "hygiene_living_room": 4, "water": "yes", "electricity": "yes",
    "heating": "stove", "child_threats": "no", "emotional_relations": 4,
}
SCORES = {"self_care": 4, "mobility": 3, "household": 3, "health": 2, "finances": 2, "social_contacts": 4,
          "housing": 3, "employment": 1}


@pytest.fixture
def client(ctx):
    person = people.create_person(ctx, PersonInput("Inga", "Bērziņa", personal_code="290204-25170"))
    return people.register_client(ctx, person, client_type="voluntary", target_groups=["family_with_children"])


@pytest.fixture
def visit(ctx, client):
    visit_id = visits.plan_home_visit(ctx, client, "2026-11-23", "Novērtēt bērnu aprūpi un mājokli",
                                      "home_visit_family")
    visits.start_visit(ctx, visit_id)
    return visit_id


def outbox_count(ctx, entity):
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity == entity))


def load(ctx, model, row_id):
    with ctx.read() as session:
        return session.get(model, row_id)


def fill(ctx, visit_id, answers=FULL_CHECKLIST):
    for question, value in answers.items():
        visits.save_answer(ctx, visit_id, question, value)


# -- templates ---------------------------------------------------------------------------------------------------
def test_home_visit_checklist_covers_basic_needs_housing_and_the_child_in_two_languages():
    template = visits.load_template("home_visit_family")
    assert (template.id, template.version, template.kind) == ("home_visit_family", 1, "home_visit")
    assert [s["id"] for s in template.sections] == ["basic_needs", "housing", "attention"]
    questions = template.questions
    for wanted in ("housing_adequate", "food", "clothing", "health_care", "education", "rooms", "hygiene_kitchen",
                   "hygiene_bedroom", "hygiene_living_room", "water", "electricity", "heating", "child_study_place",
                   "child_opinion", "child_threats", "emotional_relations", "pets"):
        assert wanted in questions
    for question in questions.values():
        assert question["kind"] in visits.QUESTION_KINDS
        assert question["text"]["lv"] and question["text"]["en"]
        if question["kind"] == "choice":
            assert all(o["id"] and o["lv"] and o["en"] for o in question["options"])
    assert sum(1 for q in questions.values() if LATVIAN_LETTERS & set(q["text"]["lv"])) > len(questions) / 2


def test_functional_scale_has_eight_domains_scored_one_to_five():
    template = visits.load_template("functional_assessment", 1)
    assert template.domain_ids == ["self_care", "mobility", "household", "health", "finances", "social_contacts",
                                   "housing", "employment"]
    assert (template.scale_min, template.scale_max) == (1, 5)
    assert all(d["lv"] and d["en"] for d in template.domains)


@pytest.mark.parametrize("template_id, version", [("no_such_template", None), ("home_visit_family", 7),
                                                  ("../../etc/passwd", None)])
def test_unknown_template_is_a_clear_validation_error(template_id, version):
    with pytest.raises(ValidationError) as caught:
        visits.load_template(template_id, version)
    assert caught.value.field == "template"
    assert caught.value.english() == "There is no such template."


# -- visits ------------------------------------------------------------------------------------------------------
def test_worker_plans_and_starts_a_visit_that_records_its_template_version(ctx, client):
    visit_id = visits.plan_home_visit(ctx, client, "01.12.2026", "Apsekot mājokli", "home_visit_family")
    planned = load(ctx, HomeVisit, visit_id)
    assert (planned.status, planned.template_version, planned.planned_on) == ("planned", 1, dt.date(2026, 12, 1))
    with pytest.raises(InvalidTransition):
        visits.save_answer(ctx, visit_id, "food", 3)  # not started yet
    visits.start_visit(ctx, visit_id)
    started = load(ctx, HomeVisit, visit_id)
    assert started.status == "in_progress" and started.visited_at is not None
    assert outbox_count(ctx, "home_visits") == 2  # planned, then started


def test_visit_needs_a_purpose_and_a_home_visit_template(ctx, client):
    with pytest.raises(RequiredField) as caught:
        visits.plan_home_visit(ctx, client, "2026-12-01", "", "home_visit_family")
    assert caught.value.field == "purpose"
    with pytest.raises(ValidationError) as caught:
        visits.plan_home_visit(ctx, client, "2026-12-01", "Apsekot", "functional_assessment")
    assert caught.value.field == "template"
    with pytest.raises(ValidationError) as caught:
        visits.plan_home_visit(ctx, client, "2026-13-01", "Apsekot", "home_visit_family")
    assert caught.value.field == "planned_on"


def test_every_answer_is_committed_as_typed(ctx, visit, data_dir):
    typed = [("housing_adequate", "yes"), ("food", 2), ("heating", "stove"), ("food", "3")]
    for question, value in typed:
        note = "Ledusskapis gandrīz tukšs" if question == "food" else None
        visits.save_answer(ctx, visit, question, value, note=note)
        reopened = Store.open(data_dir, LOGIN, PASSPHRASE)  # as if the battery died right now
        try:
            saved = visits.answers(Context(reopened, today=lambda: TODAY), visit)
        finally:
            reopened.lock()
        assert saved[question].value == str(value)
    assert {q: a.value for q, a in visits.answers(ctx, visit).items()} == {
        "housing_adequate": "yes", "food": "3", "heating": "stove"}  # one row per question, the last value wins
    assert outbox_count(ctx, "home_visit_answers") == 4  # three inserts and one update


@pytest.mark.parametrize("question, value, field", [
    ("food", 6, "value"), ("food", "daudz", "value"), ("water", "maybe", "value"), ("heating", "gas", "value"),
    ("no_such_question", "yes", "question"),
])
def test_answer_that_does_not_fit_its_question_is_refused(ctx, visit, question, value, field):
    with pytest.raises(ValidationError) as caught:
        visits.save_answer(ctx, visit, question, value)
    assert caught.value.field == field


def test_visit_cannot_be_signed_with_required_questions_unanswered_or_no_findings(ctx, visit):
    fill(ctx, visit, {"food": 4, "water": "yes"})
    with pytest.raises(visits.UnansweredQuestions) as caught:
        visits.sign_visit(ctx, visit, "signed")
    assert "heating" in caught.value.question_ids and "food" not in caught.value.question_ids
    fill(ctx, visit)
    with pytest.raises(RequiredField) as caught:
        visits.sign_visit(ctx, visit, "signed")
    assert caught.value.field == "findings"
    assert load(ctx, HomeVisit, visit).status == "in_progress"


def test_signed_home_visit_refuses_later_edits(ctx, visit):
    fill(ctx, visit)
    visits.set_findings(ctx, visit, "Mājoklis silts un tīrs; pārtikas pietiek.", risks="Apkures parāds",
                        recommendations="Pieteikties mājokļa pabalstam", next_steps="Atkārtota vizīte janvārī",
                        participants="Sociālā darbiniece, klientes māte", flags=["missing_health_care"])
    visits.sign_visit(ctx, visit, "refused")
    signed = load(ctx, HomeVisit, visit)
    assert (signed.status, signed.client_signature, signed.signed_by_user_id) == ("signed", "refused", ctx.user_id)
    assert signed.signed_at is not None and signed.flags == ["missing_health_care"]
    assert all(a.visit_signed for a in visits.answers(ctx, visit).values())
    with pytest.raises(InvalidTransition):
        visits.save_answer(ctx, visit, "food", 1)
    with pytest.raises(InvalidTransition):
        visits.save_answer(ctx, visit, "pets", "Suns")  # not even a new answer
    with pytest.raises(InvalidTransition):
        visits.set_findings(ctx, visit, "Cits teksts")
    with pytest.raises(InvalidTransition):
        visits.sign_visit(ctx, visit, "signed")
    with pytest.raises(FinalRecordError), ctx.write() as session:  # below the services too
        session.scalar(select(HomeVisitAnswer).where(HomeVisitAnswer.visit_id == visit,
                                                     HomeVisitAnswer.question_id == "food")).value = "1"
    with pytest.raises(FinalRecordError), ctx.write() as session:
        session.get(HomeVisit, visit).findings = "Pārrakstīts"
    assert load(ctx, HomeVisit, visit).findings.startswith("Mājoklis silts")


def test_signature_must_be_signed_refused_or_absent(ctx, visit):
    with pytest.raises(ValidationError) as caught:
        visits.sign_visit(ctx, visit, "maybe")
    assert caught.value.field == "client_signature"


# -- assessments ---------------------------------------------------------------------------------------------------
def test_functional_assessment_is_recorded_and_listed_over_time(ctx, client):
    before = outbox_count(ctx, "assessments")
    first = visits.record_assessment(ctx, client, "functional_assessment", SCORES, "2026-05-10", finalise=True,
                                     summary="Grūtības ar finansēm")
    second = visits.record_assessment(ctx, client, "functional_assessment", {**SCORES, "finances": "3"}, "2026-11-20")
    assert outbox_count(ctx, "assessments") == before + 2
    listed = visits.list_assessments(ctx, client, "functional")
    assert [a.id for a in listed] == [first, second]
    assert listed[1].scores["finances"] == 3 and listed[1].status == "draft"
    assert listed[0].template_version == 1
    visits.finalise_assessment(ctx, second)
    assert load(ctx, Assessment, second).status == "final"
    with pytest.raises(InvalidTransition):
        visits.finalise_assessment(ctx, second)
    with pytest.raises(FinalRecordError), ctx.write() as session:
        session.get(Assessment, second).summary = "Labots"


@pytest.mark.parametrize("scores, domain", [
    ({k: v for k, v in SCORES.items() if k != "housing"}, "housing"),
    ({**SCORES, "mobility": 6}, "mobility"),
    ({**SCORES, "mobility": 0}, "mobility"),
    ({**SCORES, "health": 2.5}, "health"),
    ({**SCORES, "health": True}, "health"),
    ({**SCORES, "mood": 3}, "mood"),
])
def test_every_domain_needs_a_whole_score_within_the_scale(ctx, client, scores, domain):
    with pytest.raises(ValidationError) as caught:
        visits.record_assessment(ctx, client, "functional_assessment", scores, "2026-11-20")
    assert caught.value.field == "score"
    assert caught.value.domain == domain


def test_assessment_date_cannot_be_in_the_future(ctx, client):
    with pytest.raises(ValidationError) as caught:
        visits.record_assessment(ctx, client, "functional_assessment", SCORES, "2026-11-24")
    assert caught.value.field == "assessed_on"


def test_visit_can_belong_to_the_clients_case(ctx, client):
    case = cases.open_case(ctx, client, reason="Ģimenes krīze")
    visit_id = visits.plan_home_visit(ctx, client, "2026-11-25", "Apsekot", "home_visit_family", case_id=case)
    assert load(ctx, HomeVisit, visit_id).case_id == case


# -- read models for the screens ---------------------------------------------------------------------------------
def test_client_visits_are_listed_latest_first_with_their_worker(ctx, client):
    older = visits.plan_home_visit(ctx, client, "2026-10-01", "Pirmā apsekošana", "home_visit_family")
    newer = visits.plan_home_visit(ctx, client, "2026-12-05", "Atkārtota apsekošana", "home_visit_family")
    visits.start_visit(ctx, older)
    listed = visits.list_visits(ctx, client)
    assert [row.id for row in listed] == [newer, older]  # the started one counts from today (23 Nov)
    assert [row.status for row in listed] == ["planned", "in_progress"]
    assert listed[0].purpose == "Atkārtota apsekošana" and listed[0].worker == "Anna Kalniņa"
    assert (listed[0].template_id, listed[0].template_version) == ("home_visit_family", 1)


def test_visit_detail_holds_answers_notes_findings_and_the_recorded_template(ctx, client, visit):
    visits.save_answer(ctx, visit, "food", 4, note="Ledusskapī maz")
    visits.save_answer(ctx, visit, "rooms", "Divas istabas")
    visits.set_findings(ctx, visit, "Apstākļi apmierinoši", risks="Malkas trūkums", flags=["missing_health_care"])
    detail = visits.visit_detail(ctx, visit)
    assert detail.client_name == "Inga Bērziņa" and detail.client_id == client
    assert detail.status == "in_progress" and detail.worker == "Anna Kalniņa"
    assert detail.template.id == "home_visit_family" and detail.template.version == 1
    assert detail.answers == {"food": ("4", "Ledusskapī maz"), "rooms": ("Divas istabas", None)}
    assert (detail.findings, detail.risks, detail.flags) == ("Apstākļi apmierinoši", "Malkas trūkums",
                                                             ("missing_health_care",))


def test_home_visit_templates_offer_only_checklists():
    offered = visits.home_visit_templates()
    assert [t.id for t in offered] == ["home_visit_family"]
    assert all(t.kind == "home_visit" for t in offered)
