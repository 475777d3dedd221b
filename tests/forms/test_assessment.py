"""Assessment forms read back from the PDF: domains, scores and scale labels, which way is better, the radar chart
with the previous final assessment overlaid and a legend naming both dates, the draft mark only on drafts, the new
risk and basic-needs scales, incomplete data refused before rendering, every printing audited."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.shapes import String

from app import visits
from app.errors import NotFound, RequiredField, ValidationError
from app.i18n import set_language, user_message
from forms import assessment as assessment_form
from forms.assessment import assessment_report, change_text
from forms.charts import CURRENT_COLOR, PREVIOUS_COLOR, RadarSeries, radar_chart
from forms.pdf import SANS
from storage.models import Assessment, AuditEvent
from tests.forms.conftest import LETTERS, first_page_png, flat, fonts_of, page_count, text_of

pytestmark = pytest.mark.usefixtures("lv")

EARLIER = {"self_care": 3, "mobility": 3, "household": 2, "health": 2, "finances": 1, "social_contacts": 3,
           "housing": 4, "employment": 1}
LATER = {**EARLIER, "self_care": 4, "household": 3, "finances": 3, "employment": 2, "housing": 3}
RISK_BEFORE = {"child_safety": 3, "basic_care": 4, "health": 4, "education": 3, "emotional_needs": 3,
               "parenting": 4, "family_relations": 3, "housing": 3, "income": 4, "addictions": 5, "violence": 2}
RISK_NOW = {**RISK_BEFORE, "basic_care": 2, "health": 2, "addictions": 4, "violence": 3}
NEEDS = {"food": 4, "clothing": 3, "housing": 4, "heating": 2, "utilities": 3, "hygiene": 4, "health_care": 2,
         "education": 5}
SUMMARY = f"Ērika sāka apmeklēt ģimenes ārstu; finanšu plānošana uzlabojusies. {LETTERS}"


def print_events(ctx) -> list[AuditEvent]:
    with ctx.read() as session:
        return session.query(AuditEvent).filter(AuditEvent.action == "print").all()


def two_functional(ctx, client, *, finalise_later: bool = True) -> tuple[uuid.UUID, uuid.UUID]:
    earlier = visits.record_assessment(ctx, client, "functional_assessment", EARLIER, "2026-05-10", finalise=True,
                                       summary="Sākotnējais novērtējums.")
    later = visits.record_assessment(ctx, client, "functional_assessment", LATER, "2026-11-20", summary=SUMMARY,
                                     finalise=finalise_later)
    return earlier, later


@pytest.fixture
def no_rendering(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("rendered although the assessment should have been refused")
    monkeypatch.setattr(assessment_form, "render", refuse)


def colour_pixels(png, colour, tolerance=40) -> int:
    target = [round(c * 255) for c in (colour.red, colour.green, colour.blue)]
    data = Image.open(png).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if all(abs(data[i + k] - target[k]) <= tolerance for k in range(3)))


def test_functional_assessment_prints_domains_scores_labels_and_the_change_in_exact_latvian(ctx, erika):
    _earlier, later = two_functional(ctx, erika)
    pdf = assessment_report(ctx, later)
    text = flat(text_of(pdf))
    template = visits.load_template("functional_assessment")
    for expected in ("Funkcionālā novērtējuma skala („zirneklis”)", "Ērika Šķēle-Ģīle", "120379-10007",
                     "Novērtējuma datums 20.11.2026.", "Novērtēja Anna Kalniņa", "Statuss galīgs",
                     "Salīdzināts ar 10.05.2026.", *[d["lv"] for d in template.domains],
                     "Vērtējums no 1 līdz 5. 1 – nopietnas grūtības; 3 – daļēji patstāvīgs; 5 – pilnīgi patstāvīgs.",
                     "Jo augstāks vērtējums, jo labāk (5 – labākais).", "Diagramma",
                     "Novērtējums 20.11.2026.", "Iepriekšējais novērtējums 10.05.2026.",  # the chart's legend
                     "Vērtējums 20.11.2026.", "Vērtējums 10.05.2026.", "Izmaiņas", "+2 (labāk)", "−1 (sliktāk)",
                     "Vidēji 2,9 2,4 +0,5 (labāk)", SUMMARY, "Lapa 1 no"):
        assert flat(expected) in text, expected
    assert "MELNRAKSTS" not in text
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()) and not any("Helvetica" in name for name in fonts)


def test_the_radar_chart_draws_both_assessments_in_different_styles(ctx, erika, tmp_path):
    earlier, later = two_functional(ctx, erika)
    both = first_page_png(assessment_report(ctx, later), tmp_path)
    assert colour_pixels(both, CURRENT_COLOR) > 200 and colour_pixels(both, PREVIOUS_COLOR) > 100
    only = first_page_png(assessment_report(ctx, earlier), tmp_path)  # nothing final before the first one
    assert colour_pixels(only, CURRENT_COLOR) > 200 and colour_pixels(only, PREVIOUS_COLOR) == 0
    assert "agrāka galīga novērtējuma nav" in flat(text_of(assessment_report(ctx, earlier)))
    stream = PdfReader(io.BytesIO(assessment_report(ctx, later))).pages[0].get_contents().get_data()
    assert b"[5 3] 0 d" in stream  # the previous assessment's dashed line


def test_a_draft_prints_with_the_draft_mark_and_is_compared_with_the_last_final_one(ctx, erika):
    _earlier, later = two_functional(ctx, erika, finalise_later=False)
    draft = flat(text_of(assessment_report(ctx, later)))
    assert "MELNRAKSTS" in draft and "Statuss melnraksts" in draft and "Iepriekšējais novērtējums 10.05.2026." in draft
    visits.finalise_assessment(ctx, later)
    assert "MELNRAKSTS" not in text_of(assessment_report(ctx, later))
    assert [e.details for e in print_events(ctx)] == [{"kind": "assessment_report", "final": False},
                                                      {"kind": "assessment_report", "final": True}]
    assert {(e.entity, e.entity_id, e.client_id) for e in print_events(ctx)} == {("assessments", later, erika)}


def test_risk_assessment_says_a_lower_score_is_better_and_words_the_change_that_way(ctx, erika):
    visits.record_assessment(ctx, erika, "risk_assessment", RISK_BEFORE, "2026-05-20", finalise=True)
    now = visits.record_assessment(ctx, erika, "risk_assessment", RISK_NOW, "2026-11-20", finalise=True,
                                   summary="Māte pārtraukusi lietot alkoholu; tēvs <b>bez darba</b> & 0% ienākumu.")
    pdf = assessment_report(ctx, now)
    text = flat(text_of(pdf))
    for expected in ("Riska faktoru novērtējums ģimenē ar bērniem", "Bērna drošība", "Bērna pamatvajadzības",
                     "Vecāku spējas", "Ģimenes attiecības", "Atkarības", "Vardarbība",
                     "Jo zemāks vērtējums, jo labāk (5 – augstākais risks).", "ļoti augsts risks, bērns apdraudēts",
                     "−2 (labāk)", "+1 (sliktāk)", "Iepriekšējais novērtējums 20.05.2026.",
                     "tēvs <b>bez darba</b> & 0% ienākumu."):
        assert flat(expected) in text, expected
    assert all(fonts_of(pdf).values())


def test_basic_needs_assessment_prints_through_the_same_form(ctx, erika):
    needs = visits.record_assessment(ctx, erika, "basic_needs_assessment", NEEDS, "2026-11-20", finalise=True)
    text = flat(text_of(assessment_report(ctx, needs)))
    template = visits.load_template("basic_needs_assessment")
    for expected in ("Pamatvajadzību novērtējums", *[d["lv"] for d in template.domains], "pilnībā nodrošināts",
                     "Jo augstāks vērtējums, jo labāk (5 – labākais).", "Novērtējums 20.11.2026.",
                     "agrāka galīga novērtējuma nav"):
        assert flat(expected) in text, expected
    assert "Iepriekšējais" not in text and "Izmaiņas" not in text


@pytest.mark.parametrize("template_id, kind, domains, better", [
    ("risk_assessment", "risk", {"child_safety", "basic_care", "health", "education", "parenting", "family_relations",
                                 "housing", "addictions", "violence"}, False),
    ("basic_needs_assessment", "basic_needs", {"food", "clothing", "housing", "heating", "health_care", "hygiene",
                                               "education"}, True),
    ("functional_assessment", "functional", {"self_care", "mobility"}, True),
])
def test_the_scales_are_data_in_two_languages_with_a_direction(ctx, erika, template_id, kind, domains, better):
    template = visits.load_template(template_id)
    assert template.kind == kind and domains <= set(template.domain_ids) and template.higher_is_better is better
    assert (template.scale_min, template.scale_max) == (1, 5)
    assert all(d["lv"] and d["en"] for d in template.domains) and template.title["lv"] and template.title["en"]
    latvian = "".join(d["lv"] + template.title["lv"] for d in template.domains)
    assert set("āēģīļņšū") & set(latvian.lower())
    with pytest.raises(ValidationError):
        visits.record_assessment(ctx, erika, template_id, {d: 6 for d in template.domain_ids}, "2026-11-20")
    recorded = visits.record_assessment(ctx, erika, template_id, {d: 1 for d in template.domain_ids}, "2026-11-20")
    assert [a.id for a in visits.list_assessments(ctx, erika, kind)] == [recorded]


def test_incomplete_scores_are_refused_before_rendering(ctx, erika, no_rendering):
    draft = visits.record_assessment(ctx, erika, "functional_assessment", LATER, "2026-11-20")
    with ctx.write() as session:  # as it might arrive from an older laptop
        row = session.get(Assessment, draft)
        row.scores = {k: v for k, v in LATER.items() if k != "housing"}
    with pytest.raises(ValidationError) as refused:
        assessment_report(ctx, draft)
    assert refused.value.english() == "Every domain of the scale needs a score." and refused.value.domain == "housing"
    with pytest.raises(NotFound):
        assessment_report(ctx, uuid.uuid4())
    assert print_events(ctx) == []


def test_a_final_assessment_without_its_assessor_is_refused_before_rendering(ctx, erika, no_rendering):
    with ctx.write() as session:
        row = Assessment(client_id=erika, kind="functional", template_id="functional_assessment", template_version=1,
                         assessed_on=visits.v.date("2026-11-20", "assessed_on"), scores=LATER, status="final")
        session.add(row)
        session.flush()
        final = row.id
    with pytest.raises(RequiredField) as refused:
        assessment_report(ctx, final)
    assert user_message(refused.value, "lv") == "Lauks 'novērtētājs' ir obligāts."


def test_a_ten_thousand_character_summary_flows_onto_more_pages_literally(ctx, erika):
    summary = ((f"{LETTERS} <b>treknraksts</b> & 100% <br/> " * 4 + "\n") * 40)[:10_000]
    long = visits.record_assessment(ctx, erika, "functional_assessment", LATER, "2026-11-20", summary=summary)
    pdf = assessment_report(ctx, long)
    text = text_of(pdf)
    pages = page_count(pdf)
    assert pages >= 4 and f"Lapa {pages} no {pages}" in text
    assert LETTERS in text and "<b>treknraksts</b> & 100% <br/>" in text
    assert page_count(assessment_report(ctx, long, large_print=True)) > pages


def test_english_form_and_the_words_for_a_change():
    set_language("en")
    assert change_text(4, 3, True) == "+1 (better)" and change_text(2, 4, False) == "−2 (better)"
    assert change_text(3.3, 3.5, True) == "−0,2 (worse)" and change_text(2, 2, True) == "0"
    assert change_text(3, None, True) == "—"


def test_the_radar_chart_sets_every_label_in_the_embedded_font_and_needs_three_axes():
    drawing = radar_chart(["Pašaprūpe", "Pārvietošanās", "Mājsaimniecības darbi un citi ļoti gari vārdi"],
                          [RadarSeries("Novērtējums 20.11.2026.", [5, 1, 3]),
                           RadarSeries("Iepriekšējais 10.05.2026.", [4, None, 2], PREVIOUS_COLOR, dashed=True)],
                          low=1, high=5, width=400)
    strings = [node for node in drawing.getContents() if isinstance(node, String)]
    assert strings and {s.fontName for s in strings} == {SANS} and drawing.initialFontName == SANS
    assert {"Novērtējums 20.11.2026.", "Iepriekšējais 10.05.2026.", "Pašaprūpe"} <= {s.text for s in strings}
    with pytest.raises(ValueError):
        radar_chart(["A", "B"], [], low=1, high=5, width=400)
