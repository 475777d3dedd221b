"""Home-visit reports and blank checklists read back from the PDF: every question of the visit's own template version
with its answer, exact Latvian, embedded fonts, the draft mark only before signing, long text flowing onto more
pages, markup printed literally, visits that cannot have a report refused before anything is rendered."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest
from reportlab.platypus import KeepTogether

from app import visits
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from app.i18n import set_language, user_message
from app.visits import UnansweredQuestions
from forms import home_visit
from forms.home_visit import blank_checklist, home_visit_report, report_data, report_story
from storage.models import AuditEvent, Client, HomeVisit, HomeVisitAnswer
from tests.app.test_assistance import NOON
from tests.forms.conftest import LETTERS, flat, fonts_of, page_count, text_of

pytestmark = pytest.mark.usefixtures("lv")

ANSWERS = {
    "housing_adequate": "yes", "food": 4, "clothing": 3, "health_care": "no", "education": "yes",
    "rooms": "Divas istabas; bērni guļ kopā ar māti.", "hygiene_kitchen": 2, "hygiene_bedroom": 4,
    "hygiene_living_room": 5, "water": "yes", "electricity": "yes", "heating": "stove", "child_threats": "no",
    "emotional_relations": 4, "child_opinion": f"Ģirts saka: „Man patīk skola.” {LETTERS}",
}
NOTES = {"health_care": "Jaunākajam bērnam nav ģimenes ārsta; reģistrēt līdz 01.12.2026."}
FINDINGS = "Mājoklis silts, malka sagādāta ziemai; ledusskapī ir pārtika. Ūdens jānes no akas."


def template_texts(template_id: str = "home_visit_family", version: int | None = None, language: str = "lv"):
    template = visits.load_template(template_id, version)
    sections = [section["title"][language] for section in template.sections]
    return sections, [question["text"][language] for question in template.questions.values()]


def made_visit(ctx, client, *, answers=ANSWERS, findings=FINDINGS) -> uuid.UUID:
    visit = visits.plan_home_visit(ctx, client, "2026-11-23", "Novērtēt bērnu aprūpi un mājokli pēc skolas ziņojuma",
                                   "home_visit_family")
    visits.start_visit(ctx, visit)
    for question, value in answers.items():
        visits.save_answer(ctx, visit, question, value, note=NOTES.get(question))
    if findings:
        visits.set_findings(ctx, visit, findings, risks="Apkures parāds 240 EUR; māte bez darba.",
                            recommendations="Pieteikties mājokļa pabalstam; reģistrēt bērnu pie ģimenes ārsta.",
                            next_steps="Atkārtota apsekošana decembrī.",
                            participants="Sociālā darbiniece Anna Kalniņa, Ērika Šķēle-Ģīle, meita Līga (9)",
                            flags=["missing_health_care"])
    return visit


def print_events(ctx) -> list[AuditEvent]:
    with ctx.read() as session:
        return session.query(AuditEvent).filter(AuditEvent.action == "print").all()


@pytest.fixture
def no_rendering(monkeypatch):
    """Fails the test if anything reaches the PDF renderer (refusals must come first)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("rendered although the visit should have been refused")
    monkeypatch.setattr(home_visit, "render", refuse)


def test_signed_report_prints_every_question_with_its_answer_in_exact_latvian(ctx, erika):
    visit = made_visit(ctx, erika)
    visits.sign_visit(ctx, visit, "refused")
    pdf = home_visit_report(ctx, visit)
    text = flat(text_of(pdf))
    sections, questions = template_texts()
    local = NOON.astimezone()
    for expected in ("APSEKOŠANAS AKTS", "Ģimenes dzīves apstākļu apsekošana dzīvesvietā", "kontrolsaraksta versija 1",
                     "Ērika Šķēle-Ģīle", "120379-10007", "„Ūdriņas”, Ļaudonas pag., Madonas nov.",
                     f"23.11.2026. {local:%H:%M}", "Anna Kalniņa",
                     "Novērtēt bērnu aprūpi un mājokli pēc skolas ziņojuma", "meita Līga (9)",
                     *sections, *questions,
                     "Jā", "Nē", "4 no 5", "5 no 5", "Krāsns apkure (malka)", ANSWERS["rooms"],
                     ANSWERS["child_opinion"], "Piezīme: " + NOTES["health_care"], "nav atbildēts",
                     "Konstatējumi", FINDINGS, "Apkures parāds 240 EUR; māte bez darba.",
                     "Atkārtota apsekošana decembrī.",
                     "Pieteikties mājokļa pabalstam", "bērnam netiek nodrošināta veselības aprūpe",
                     f"Sociālais darbinieks Anna Kalniņa aktu parakstīja 23.11.2026. plkst. {local:%H:%M}.",
                     "Klients atteicās aktu parakstīt.", "Lapa 1 no"):
        assert flat(expected) in text, expected
    assert "MELNRAKSTS" not in text
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()) and not any("Helvetica" in name for name in fonts)


def test_visit_in_progress_prints_as_a_draft_and_the_signed_one_without_the_mark(ctx, erika):
    visit = made_visit(ctx, erika)
    draft = text_of(home_visit_report(ctx, visit))
    assert "MELNRAKSTS" in draft and "Vēl nav parakstīts: šis ir akta melnraksts." in flat(draft)
    visits.sign_visit(ctx, visit, "signed")
    final = flat(text_of(home_visit_report(ctx, visit)))
    assert "MELNRAKSTS" not in final and "Klients aktu parakstīja." in final
    assert [e.details for e in print_events(ctx)] == [{"kind": "home_visit_report", "final": False},
                                                      {"kind": "home_visit_report", "final": True}]


def test_a_draft_may_lack_answers_and_findings_and_says_so(ctx, erika):
    visit = made_visit(ctx, erika, answers={"food": 2}, findings=None)
    text = flat(text_of(home_visit_report(ctx, visit)))
    assert "2 no 5" in text and text.count("nav atbildēts") == len(visits.load_template("home_visit_family")
                                                                     .questions) - 1
    assert "MELNRAKSTS" in text


def test_planned_or_cancelled_visit_is_refused_before_rendering(ctx, erika, no_rendering):
    visit = visits.plan_home_visit(ctx, erika, "2026-11-30", "Iepazīties ar ģimeni", "home_visit_family")
    with pytest.raises(InvalidTransition) as refused:
        home_visit_report(ctx, visit)
    assert refused.value.english() == "This cannot be done now: the visit has not been made yet, so it has no report."
    assert user_message(refused.value, "lv").endswith("apsekošana vēl nav notikusi, tāpēc tai nav akta.")
    with ctx.write() as session:
        session.get(HomeVisit, visit).status = "cancelled"
    with pytest.raises(InvalidTransition, match="cancelled"):
        home_visit_report(ctx, visit)
    with pytest.raises(NotFound):
        home_visit_report(ctx, uuid.uuid4())
    assert print_events(ctx) == []


def signed_elsewhere(ctx, client, **fields) -> uuid.UUID:
    """A signed visit as it might arrive by sync from another laptop, written straight into the store."""
    row = dict(client_id=client, template_id="home_visit_family", template_version=1, purpose="Apsekošana",
               status="signed", visited_at=NOON, signed_at=NOON, client_signature="signed", findings=FINDINGS)
    row.update(fields)
    with ctx.write() as session:
        visit = HomeVisit(**row)
        session.add(visit)
        session.flush()
        return visit.id


def test_signed_report_missing_required_content_is_refused_before_rendering(ctx, erika, no_rendering):
    with pytest.raises(UnansweredQuestions) as unanswered:
        home_visit_report(ctx, signed_elsewhere(ctx, erika))
    assert "housing_adequate" in unanswered.value.question_ids
    assert "required questions of the checklist are unanswered" in unanswered.value.english()
    visit = made_visit(ctx, erika)
    visits.sign_visit(ctx, visit, "signed")
    no_findings = signed_elsewhere(ctx, erika, findings="  ")
    with ctx.write() as session:  # the complete answers of the signed visit, but no findings
        for row in session.query(HomeVisitAnswer).filter(HomeVisitAnswer.visit_id == visit).all():
            session.add(HomeVisitAnswer(visit_id=no_findings, question_id=row.question_id, value=row.value,
                                       visit_signed=True))
    with pytest.raises(RequiredField) as missing:
        home_visit_report(ctx, no_findings)
    assert missing.value.field == "findings" and "konstatēt" in user_message(missing.value, "lv")
    assert print_events(ctx) == []


def test_ten_thousand_characters_of_findings_and_a_long_answer_flow_onto_more_pages_literally(ctx, erika):
    findings = (f"{LETTERS} <b>treknraksts</b> & 100% <br/> " * 4 + "\n") * 40
    findings = findings[:10_000]
    answers = {**ANSWERS, "rooms": ("Istaba <i>ar</i> krāsni & 50% mitruma. " * 150)[:6000]}
    visit = made_visit(ctx, erika, answers=answers, findings=findings)
    visits.sign_visit(ctx, visit, "absent")
    pdf = home_visit_report(ctx, visit)
    text = text_of(pdf)
    pages = page_count(pdf)
    assert pages >= 5 and f"Lapa 1 no {pages}" in text and f"Lapa {pages} no {pages}" in text
    assert LETTERS in text and "<b>treknraksts</b> & 100% <br/>" in text
    assert "Istaba <i>ar</i> krāsni & 50% mitruma." in flat(text)
    assert "Klients nebija klāt, lai aktu parakstītu." in flat(text)


def test_large_print_is_bigger_and_the_story_ends_with_the_signature_block(ctx, erika):
    visit = made_visit(ctx, erika)
    visits.sign_visit(ctx, visit, "signed")
    assert page_count(home_visit_report(ctx, visit, large_print=True)) > page_count(home_visit_report(ctx, visit))
    with ctx.read() as session:
        report = report_data(session, session.get(HomeVisit, visit), session.get(Client, erika))
    story = report_story(report)
    assert isinstance(story[-1], KeepTogether)  # a verification seal can be appended after it
    assert "Paraksti" in story[-1]._content[0].text


def test_report_uses_the_template_version_of_the_visit_and_blank_checklist_the_latest(ctx, erika, tmp_path,
                                                                                      monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(visits.TEMPLATES_DIR, folder)
    monkeypatch.setattr(visits, "TEMPLATES_DIR", folder)
    visit = made_visit(ctx, erika)
    newer = json.loads((folder / "home_visit_family_v1.json").read_text(encoding="utf-8"))
    newer["version"] = 2
    newer["sections"][0]["questions"][0]["text"]["lv"] = "Vai mājoklis ir drošs un silts?"
    (folder / "home_visit_family_v2.json").write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    report = flat(text_of(home_visit_report(ctx, visit)))
    assert "Vai mājoklis ir piemērots dzīvošanai?" in report and "drošs un silts" not in report
    latest = flat(text_of(blank_checklist("home_visit_family")))
    assert "Vai mājoklis ir drošs un silts?" in latest and "kontrolsaraksta versija 2" in latest
    assert "Vai mājoklis ir piemērots dzīvošanai?" in flat(text_of(blank_checklist("home_visit_family", version=1)))


def test_blank_checklist_has_every_question_with_boxes_lines_and_header_fields(ctx):
    pdf = blank_checklist("home_visit_family")
    text = flat(text_of(pdf))
    sections, questions = template_texts()
    for expected in ("APSEKOŠANAS KONTROLSARAKSTS", "Klients", "Personas kods", "Adrese", "Datums un laiks",
                     "Sociālais darbinieks", "Apsekošanas mērķis", "Piedalījās", *sections, *questions,
                     "☐ Jā ☐ Nē", "☐ 1 ☐ 2 ☐ 3 ☐ 4 ☐ 5", "☐ Centrālapkure", "☐ Nav apkures", "Piezīmes:",
                     "Konstatējumi", "Riski", "Ieteikumi", "Turpmākā rīcība",
                     "☐ aizdomas par vardarbību pret bērnu vai bērna pamešanu novārtā",
                     "☐ Klients aktu parakstīja.", "☐ Klients atteicās aktu parakstīt.", "vārds, uzvārds, paraksts"):
        assert flat(expected) in text, expected
    required = visits.load_template("home_visit_family").required_questions
    assert text.count(" *") >= len(required)
    assert "MELNRAKSTS" not in text
    fonts = fonts_of(pdf)
    assert all(fonts.values()) and not any("Helvetica" in name for name in fonts)
    assert print_events(ctx) == []  # no client, nothing to audit


def test_blank_checklist_in_english_and_in_large_print():
    set_language("en")
    text = flat(text_of(blank_checklist("home_visit_family")))
    _sections, questions = template_texts(language="en")
    assert "HOME-VISIT CHECKLIST" in text and all(flat(question) in text for question in questions)
    assert "☐ Yes ☐ No" in text
    set_language("lv")
    assert page_count(blank_checklist("home_visit_family", large_print=True)) > page_count(
        blank_checklist("home_visit_family"))


@pytest.mark.parametrize("template_id, version, message", [
    ("no_such_template", None, "There is no such template."),
    ("home_visit_family", 9, "There is no such template."),
    ("functional_assessment", None, "This template is not a home-visit checklist."),
])
def test_blank_checklist_of_an_unknown_template_is_a_clear_error(template_id, version, message):
    with pytest.raises(ValidationError) as refused:
        blank_checklist(template_id, version=version)
    assert refused.value.english() == message and refused.value.field == "template"
