"""An assessment form (functional "spider", risk, basic needs …): domains with their scores and scale labels, the
summary and the assessor, with a radar chart that overlays the client's previous final assessment of the same
kind so progress shows at a glance, and a table of both score sets and the change.

Scales differ in direction — 5 is "fully independent" on the functional scale but "very high risk" on the risk
scale — so the form says which way is better and words each change as better or worse accordingly. A draft
prints with the DRAFT mark; incomplete scores are refused before rendering; every printing is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app import audit
from app.cases import visible_record
from app.context import Context
from app.errors import RequiredField
from app.i18n import _
from app.visits import ENTITY_ASSESSMENT, load_template, validate_scores
from storage.errors import N_
from storage.models import Assessment, Person, User
from forms.charts import CURRENT_COLOR, PREVIOUS_COLOR, RadarSeries, radar_chart
from forms.blocks import cell_style, facts, grid, signature_lines
from forms.labels import date_text, in_language, person_name, user_line
from forms.pdf import letterhead, para, render, styles

REPORT_KIND = "assessment_report"
ASSESSOR = N_("assessor")
MIN_RADAR_DOMAINS = 3


@dataclass
class Domain:
    label: str
    description: str
    score: int
    previous: int | None


@dataclass
class AssessmentForm:
    """Everything the form prints, read in one transaction."""

    title: str
    description: str
    template_version: int
    client: str
    personal_code: str | None
    assessed_on: dt.date
    final: bool
    assessor: str
    low: int
    high: int
    labels: dict[int, str]
    higher_is_better: bool
    domains: list[Domain]
    previous_on: dt.date | None
    summary: str | None


def assessment_report(ctx: Context, assessment_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The form as PDF bytes (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        assessment, client = visible_record(ctx, session, Assessment, assessment_id, ENTITY_ASSESSMENT)
        form = form_data(session, assessment, session.get(Person, client.person_id))
        head = letterhead(session)
    pdf = render(lambda: assessment_story(form, large_print=large_print), title=form.title, head=head,
                 draft=not form.final)
    audit.record(ctx, "print", entity="assessments", entity_id=assessment_id, client_id=client.id,
                 details={"kind": REPORT_KIND, "final": form.final})
    return pdf


def form_data(session: Any, assessment: Assessment, person: Person) -> AssessmentForm:
    """The form's content; an incomplete score set or a final form without its assessor is refused here."""
    template = load_template(assessment.template_id, assessment.template_version)
    scores = validate_scores(template, assessment.scores)
    final = assessment.status == "final"
    assessor = session.get(User, assessment.assessor_user_id) if assessment.assessor_user_id else None
    if final and assessor is None:
        raise RequiredField(field="assessor_user_id", field_msg=ASSESSOR)
    previous = previous_final(session, assessment)
    earlier = previous.scores if previous is not None else {}
    scale = template.raw.get("scale") or {}
    return AssessmentForm(
        title=in_language(template.title), description=in_language(template.raw.get("description")),
        template_version=template.version, client=person_name(person), personal_code=person.personal_code,
        assessed_on=assessment.assessed_on, final=final, assessor=user_line(assessor),
        low=template.scale_min, high=template.scale_max,
        labels={int(key): in_language(texts) for key, texts in (scale.get("labels") or {}).items()},
        higher_is_better=template.higher_is_better,
        domains=[Domain(in_language(d), in_language(d.get("description")), scores[d["id"]],
                        _in_range(earlier.get(d["id"]), template.scale_min, template.scale_max))
                 for d in template.domains],
        previous_on=previous.assessed_on if previous is not None else None, summary=assessment.summary)


def previous_final(session: Any, assessment: Assessment) -> Assessment | None:
    """The client's latest final assessment of the same kind made before this one."""
    earlier = session.query(Assessment).filter(
        Assessment.client_id == assessment.client_id, Assessment.kind == assessment.kind,
        Assessment.status == "final", Assessment.deleted.is_(False), Assessment.id != assessment.id,
        Assessment.assessed_on <= assessment.assessed_on).order_by(Assessment.assessed_on.desc(),
                                                                   Assessment.created_at.desc())
    for candidate in earlier:
        if candidate.assessed_on < assessment.assessed_on or candidate.created_at < assessment.created_at:
            return candidate
    return None


def _in_range(value: object, low: int, high: int) -> int | None:
    """An older score as a number, or None when that assessment lacked the domain (another template version)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def assessment_story(form: AssessmentForm, *, large_print: bool = False) -> list:
    """The form's flowables, ending with the assessor's signature block."""
    st = styles(large_print)
    story: list = [para(form.title, st.title), facts([
        (_("Client"), form.client), (_("Personal code"), form.personal_code),
        (_("Date of the assessment"), date_text(form.assessed_on)), (_("Assessed by"), form.assessor),
        (_("Status"), _("final") if form.final else _("draft")),
        (_("Compared with"), date_text(form.previous_on) if form.previous_on else _("no earlier final assessment"))],
        st, compact=False)]
    if form.description:
        story += [Spacer(1, 2 * mm), para(form.description, st.body)]
    story += [para(_("Scale"), st.heading), para(scale_text(form), st.body), para(direction_text(form), st.label)]
    if len(form.domains) >= MIN_RADAR_DOMAINS:
        story.append(KeepTogether([para(_("Chart"), st.heading), _chart(form, large_print)]))
    story += [para(_("Scores"), st.heading), _scores_table(form, st)]
    story += [para(_("Summary"), st.heading), para(form.summary or "—", st.body)]
    story.append(KeepTogether([Spacer(1, 6 * mm), signature_lines([(_("Assessed by"), form.assessor)], st)]))
    return story


def scale_text(form: AssessmentForm) -> str:
    """The range and the meaning of the labelled points."""
    text = _("Scores from {low} to {high}.").format(low=form.low, high=form.high)
    if form.labels:
        text += " " + "; ".join(f"{score} – {label}" for score, label in sorted(form.labels.items())) + "."
    return text


def direction_text(form: AssessmentForm) -> str:
    """Which way is better: up on an ability scale, down on a risk scale."""
    if form.higher_is_better:
        return _("A higher score is better ({high} is the best).").format(high=form.high)
    return _("A lower score is better ({high} means the highest risk).").format(high=form.high)


def _chart(form: AssessmentForm, large_print: bool):
    series = [RadarSeries(_("Assessment of {date}").format(date=date_text(form.assessed_on)),
                          [d.score for d in form.domains], CURRENT_COLOR)]
    if form.previous_on is not None:
        series.append(RadarSeries(_("Previous assessment of {date}").format(date=date_text(form.previous_on)),
                                  [d.previous for d in form.domains], PREVIOUS_COLOR, dashed=True))
    return radar_chart([d.label for d in form.domains], series, low=form.low, high=form.high, width=150 * mm,
                       size=11 if large_print else 8.5)


def _scores_table(form: AssessmentForm, st: Any):
    cell, small = cell_style(st), cell_style(st, small=True)

    def score(value: int | None) -> list:
        if value is None:
            return [para("—", cell)]
        label = form.labels.get(value)
        return [para(str(value), cell)] + ([para(label, small)] if label else [])

    def domain(item: Domain) -> list:
        return [para(item.label, cell)] + ([para(item.description, small)] if item.description else [])

    compare = form.previous_on is not None
    header = [_("Domain"), _("Score") + "\n" + date_text(form.assessed_on)]
    if compare:
        header += [_("Score") + "\n" + date_text(form.previous_on), _("Change")]
    rows: list[list[Any]] = []
    for item in form.domains:
        rows.append([domain(item), score(item.score)] + ([score(item.previous), change_text(
            item.score, item.previous, form.higher_is_better)] if compare else []))
    current = average([d.score for d in form.domains])  # rounded as printed, so the change adds up on paper
    before = average([d.previous for d in form.domains]) if compare else None
    rows.append([para(_("Average"), st.label), para(number_text(current), st.label)] + (
        [para(number_text(before), st.label), change_text(current, before, form.higher_is_better)]
        if compare else []))
    widths = ["42%", "20%", "20%", "18%"] if compare else ["70%", "30%"]
    return grid(header, rows, st, widths=widths, compact=False)


def average(values: list[int | None]) -> float | None:
    """The mean to one decimal, halves rounded up as people round them (2,25 → 2,3)."""
    known = [value for value in values if value is not None]
    if not known:
        return None
    return float((Decimal(sum(known)) / len(known)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def number_text(value: float | None) -> str:
    """1 decimal with a decimal comma, as Latvian documents print numbers: 3,4."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def change_text(now: float | None, before: float | None, higher_is_better: bool) -> str:
    """"+1 (better)" / "−1 (worse)" / "0", judged by the direction of the scale."""
    if now is None or before is None:
        return "—"
    delta = round(now - before, 1)
    if delta == 0:
        return "0"
    shown = (f"{delta:+.0f}" if float(delta).is_integer() else f"{delta:+.1f}").replace(".", ",").replace("-", "−")
    better = (delta > 0) == higher_is_better
    return f"{shown} " + (_("(better)") if better else _("(worse)"))
