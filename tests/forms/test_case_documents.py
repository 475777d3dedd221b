"""The intervention plan, the co-operation agreement and the client card read back from the PDF: every required
part in exact Latvian, embedded fonts, the draft mark only on drafts, long texts flowing onto more pages, markup
printed literally, missing content refused before anything is rendered, every printing audited, and a restricted
file as invisible in print as on screen."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app import assistance, cases, decisions, people, visits
from app.errors import InvalidTransition, NotFound
from app.people import PersonInput
from forms import agreement as agreement_module
from forms import intervention_plan as plan_module
from forms.agreement import cooperation_agreement
from forms.client_card import client_card
from forms.genogram import genogram
from forms.intervention_plan import intervention_plan
from storage.models import AuditEvent, InterventionPlan
from tests.app.test_assistance import GRANT
from tests.forms.case_fixtures import (DUTIES, GOALS, PLAN_NOTES, RESOURCES, SCHOOL, TASKS, casework, colleague,
                                       family, set_row)
from tests.forms.conftest import LETTERS, flat, fonts_of, page_count, text_of

__all__ = ["casework", "colleague", "family"]
pytestmark = pytest.mark.usefixtures("lv")

MARKUP = "<b>treknraksts</b> & 100% <br/>"
ADDRESS = "„Ūdriņas”, Ļaudonas pag., Madonas nov."


def long_text() -> str:
    """Exactly 10,000 characters of Latvian letters and markup, in lines (the longest text a field takes)."""
    line = f"{LETTERS} {MARKUP} " * 4 + "\n"
    text = (line * (10_000 // len(line) + 1))[:9_999]
    return text.rstrip() + "." * (10_000 - len(text.rstrip()))


def prints(ctx) -> list[AuditEvent]:
    with ctx.read() as session:
        return session.query(AuditEvent).filter(AuditEvent.action == "print").order_by(AuditEvent.at).all()


def embedded(pdf: bytes) -> bool:
    fonts = fonts_of(pdf)
    return bool(fonts) and all(fonts.values()) and any(name.endswith("+DejaVuSerif") for name in fonts)


# -- the intervention plan -------------------------------------------------------------------------------------
def test_the_plan_prints_goals_tasks_who_does_what_and_signature_lines_in_exact_latvian(ctx, erika, casework):
    pdf = intervention_plan(ctx, casework["plan"])
    text = flat(text_of(pdf))
    for expected in ("INTERVENCES PLĀNS", "Ērika Šķēle-Ģīle", "120379-10007", "Sociālais gadījums atvērts 01.10.2026.",
                     "Atbildīgais darbinieks", "Anna Kalniņa", "15.10.2026. – 15.04.2027.", "Versija", "spēkā",
                     "Bērni neapmeklē skolu regulāri.", "Mātei trūkst atbalsta un ienākumu.",
                     f"{GOALS[0]} (sasniedzams līdz 31.01.2027.; tiek īstenots)", GOALS[1], "28.02.2027.",
                     *TASKS, "Anna Kalniņa (sociālais darbinieks)", "Ērika Šķēle-Ģīle (klients)", SCHOOL,
                     "Vienošanās par apmeklējuma uzraudzību", "Iesniegums reģistrēts", "20.11.2026.", "18.12.2026.",
                     "izpildīts 19.11.2026. Skola ziņos katru piektdienu.", "jāizpilda", "1. mērķim", "2. mērķim",
                     "1.1", "1.3", "2.1", RESOURCES, PLAN_NOTES, "Sociālais darbinieks", "Klients", "Paraksts:",
                     "Datums:", "Lapa 1 no"):
        assert expected in text, expected
    assert text.index(TASKS[0]) < text.index(TASKS[2]) < text.index(TASKS[1])  # by deadline within a goal
    assert "MELNRAKSTS" not in text and embedded(pdf)


def test_only_a_draft_plan_prints_with_the_draft_mark(ctx, erika, casework):
    set_row(ctx, InterventionPlan, casework["plan"], status="draft")
    assert "MELNRAKSTS" in text_of(intervention_plan(ctx, casework["plan"]))
    set_row(ctx, InterventionPlan, casework["plan"], status="active")
    assert "MELNRAKSTS" not in text_of(intervention_plan(ctx, casework["plan"]))


def test_a_plan_without_tasks_is_refused_before_anything_is_rendered_or_audited(ctx, erika, monkeypatch):
    case = cases.open_case(ctx, erika, reason="Iesniegums", opened_on="2026-11-01")
    cases.set_problem_and_diagnosis(ctx, case, "Parādi")
    cases.add_goal(ctx, case, "Nomaksāt parādus")
    plan = cases.create_plan(ctx, case, "2026-11-02")
    monkeypatch.setattr(plan_module, "render", lambda *a, **k: pytest.fail("rendered"))
    with pytest.raises(InvalidTransition) as refused:
        intervention_plan(ctx, plan)
    assert "no tasks" in refused.value.english()
    assert prints(ctx) == []


def test_a_long_plan_with_markup_flows_onto_more_pages_and_prints_it_literally(ctx, erika, casework):
    notes = long_text()
    assert len(notes) == 10_000
    plan = cases.create_plan(ctx, casework["case"], "2026-11-20", notes=notes)  # version 2 supersedes the first
    cases.add_task(ctx, f"Uzdevums {MARKUP}", deadline="2026-12-01", responsible_kind="worker", plan_id=plan)
    cases.add_task(ctx, notes, deadline="2026-12-02", responsible_kind="client", plan_id=plan)  # taller than a page
    pdf = intervention_plan(ctx, plan)
    text = text_of(pdf)
    assert page_count(pdf) >= 5 and f"Lapa 1 no {page_count(pdf)}" in text
    assert LETTERS in text and MARKUP in text and f"Uzdevums {MARKUP}" in flat(text)
    assert "Citi uzdevumi" in text  # a task without a goal


def size_of(pdf: bytes, needle: str) -> float:
    """The font size the first text run containing ``needle`` is printed in."""
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(size * tm[0])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found[0]


def test_printing_the_plan_is_audited_and_large_print_is_larger(ctx, erika, casework):
    normal = intervention_plan(ctx, casework["plan"])
    large = intervention_plan(ctx, casework["plan"], large_print=True)
    assert size_of(normal, "Bērni neapmeklē") == 11
    assert size_of(large, "Bērni neapmeklē") == 14
    events = prints(ctx)
    assert [(e.entity, e.entity_id, e.client_id, e.details["kind"]) for e in events] == [
        ("intervention_plans", casework["plan"], erika, "intervention_plan")] * 2
    assert events[0].user_id == ctx.user_id and events[0].device_id == ctx.store.device_id


# -- the co-operation agreement ---------------------------------------------------------------------------------
def test_the_agreement_names_the_parties_duties_consequences_and_dated_signatures(ctx, erika, casework):
    pdf = cooperation_agreement(ctx, casework["agreement"])
    text = flat(text_of(pdf))
    for expected in ("SADARBĪBAS LĪGUMS", "par klienta līdzdarbības pienākumiem", "Priedkalnes novada Sociālais "
                     "dienests, reģistrācijas Nr. 40900012345", "(turpmāk – Sociālais dienests)", "Anna Kalniņa",
                     f"Ērika Šķēle-Ģīle, personas kods 120379-10007, {ADDRESS} (turpmāk – Klients)",
                     "Līgums ir spēkā 01.11.2026. – 30.04.2027.",
                     "Līdzēji sadarbojas, lai bērni regulāri apmeklētu skolu.", "Klienta līdzdarbības pienākumi",
                     f"1. {DUTIES[0]}", f"Mērķis: {GOALS[0]}", "Termiņš: 30.04.2027.", f"2. {DUTIES[1]}",
                     "Termiņš: 15.12.2026.", "Ja pienākumi netiek pildīti", "5. pants",
                     "atteiktu sociālo palīdzību vai pārtrauktu tās piešķiršanu", "Sociālā dienesta vārdā",
                     "Datums: 20.11.2026."):
        assert expected in text, expected
    assert text.count("Datums: 20.11.2026.") == 2  # both parties signed on the day it was concluded
    assert "MELNRAKSTS" not in text and embedded(pdf)
    assert [(e.entity, e.entity_id, e.client_id, e.details) for e in prints(ctx)] == [
        ("agreements", casework["agreement"], erika, {"kind": "cooperation_agreement", "status": "signed"})]


def test_a_draft_agreement_has_the_draft_mark_blank_dates_and_the_guardian_signs_too(ctx, erika):
    guardian = people.create_person(ctx, PersonInput("Ģirts", "Ļaudonietis", personal_code="050385-12347"))
    people.set_legal_representative(ctx, erika, guardian, "guardian", capacity_limited=True)
    agreement = cases.create_agreement(ctx, erika, "2026-11-01")
    cases.add_duty(ctx, agreement, "Apmeklēt ģimenes ārstu")
    text = flat(text_of(cooperation_agreement(ctx, agreement, large_print=True)))
    assert "MELNRAKSTS" in text and "Datums: ______________" in text and "bez beigu termiņa" in text
    assert "ar likumisko pārstāvi – Ģirts Ļaudonietis (aizbildnis)" in text and "Likumiskais pārstāvis" in text
    assert "Termiņš: visu līguma darbības laiku" in text


def test_an_agreement_without_duties_is_refused_before_anything_is_rendered(ctx, erika, monkeypatch):
    agreement = cases.create_agreement(ctx, erika, "2026-11-01")
    monkeypatch.setattr(agreement_module, "render", lambda *a, **k: pytest.fail("rendered"))
    with pytest.raises(InvalidTransition) as refused:
        cooperation_agreement(ctx, agreement)
    assert "no co-operation duties" in refused.value.english()
    assert prints(ctx) == []


def test_a_long_agreement_text_with_markup_flows_onto_more_pages(ctx, erika):
    agreement = cases.create_agreement(ctx, erika, "2026-11-01", text=long_text())
    cases.add_duty(ctx, agreement, f"Pienākums {MARKUP}", deadline="2026-12-01")
    pdf = cooperation_agreement(ctx, agreement)
    text = text_of(pdf)
    assert page_count(pdf) >= 3 and LETTERS in text and MARKUP in text and f"Pienākums {MARKUP}" in flat(text)


# -- the client card -------------------------------------------------------------------------------------------
def test_the_client_card_summarises_person_household_genogram_case_journal_and_assistance(ctx, erika, family,
                                                                                          casework):
    visits.record_assessment(ctx, erika, "functional_assessment", {d: 3 for d in (
        "self_care", "mobility", "household", "health", "finances", "social_contacts", "housing", "employment")},
        "2026-11-10", summary="Patstāvīga, trūkst ienākumu.", case_id=casework["case"], finalise=True)
    for day in range(1, 13):
        cases.record_journal_entry(ctx, erika, occurred_at=f"{day:02d}.11.2026 10:00", kind="consultation",
                                   topic=f"Saruna nr. {day:02d} {MARKUP}", duration_minutes=30)
    application = assistance.register_application(ctx, erika, "2026-11-02", "in_person", "housing_benefit",
                                                  "Lūdzu piešķirt mājokļa pabalstu.")
    decisions.draft_decision(ctx, erika, GRANT, application_id=application)
    pdf = client_card(ctx, erika)
    text = flat(text_of(pdf))
    for expected in ("KLIENTA KARTE", "Lietas stāvoklis 23.11.2026.", "Ērika Šķēle-Ģīle", "120379-10007",
                     "12.03.1979. (47 g.)", ADDRESS, "brīvprātīgs (vērsās pats)", "aktīvs", "Anna Kalniņa",
                     "Pēteris Ģīle partneris (kopdzīvē)", "Līga Ģīle bērns", "Marta Ģīle bērns", "klients",
                     "Genogramma", "Voldemārs", "Ķēniņš", "1950–2018", "Kārlis", "īstenošana",
                     "Skola ziņo, ka bērni bieži kavē stundas.", GOALS[0], GOALS[1],
                     "Intervences plāns, 1. versija (spēkā), spēkā 15.10.2026. – 15.04.2027.: vēl jāizpilda 3 no 4",
                     "Sadarbības līgums (parakstīts)", "nav izpildīti – 0, vēl nav pārbaudīti – 2",
                     "Jaunākais novērtējums", "funkcionālais novērtējums", "Pašaprūpe 3",
                     "Patstāvīga, trūkst ienākumu.",
                     f"Saruna nr. 12 {MARKUP}", f"Saruna nr. 03 {MARKUP}", "konsultācija", "30 min",
                     "IES/2026/0001", "Mājokļa pabalsts", "120,50 EUR", "01.11.2026. – 30.11.2026.",
                     "Tuvākie termiņi", "02.12.2026."):
        assert expected in text, expected
    assert "Saruna nr. 02" not in text and "Saruna nr. 01" not in text  # only the latest ten contacts
    assert "MELNRAKSTS" not in text and embedded(pdf)
    assert [(e.entity, e.entity_id, e.details) for e in prints(ctx)] == [("clients", erika, {"kind": "client_card"})]


def test_a_new_client_card_says_what_is_not_there_yet(ctx, erika):
    text = flat(text_of(client_card(ctx, erika, large_print=True)))
    for expected in ("Mājsaimniecība nav reģistrēta.", "Klientam nav atvērta sociālā gadījuma.",
                     "Novērtējums nav reģistrēts.", "Kontaktu nav.", "Iesniegumu nav.", "Lēmumu nav."):
        assert expected in text, expected
    assert "Genogramma" not in text


def test_a_restricted_file_prints_for_its_worker_only(ctx, erika, family, casework, colleague):
    people.set_restricted(ctx, erika, True)
    for document, record in ((intervention_plan, casework["plan"]), (cooperation_agreement, casework["agreement"]),
                             (client_card, erika), (genogram, erika)):
        with pytest.raises(NotFound):
            document(colleague, record)
        assert text_of(document(ctx, record))
    assert {e.user_id for e in prints(ctx)} == {ctx.user_id}


def test_dates_print_as_latvian_documents_print_them():
    from forms.labels import period_text

    assert period_text(dt.date(2026, 1, 2), dt.date(2026, 3, 4)) == "02.01.2026. – 04.03.2026."
    assert period_text(dt.date(2026, 1, 2), None) == "02.01.2026. – bez beigu termiņa"
