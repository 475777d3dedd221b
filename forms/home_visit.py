"""The home-visit report (apsekošanas akts) and the blank checklist for pen-and-paper visits (DOMAIN.md §4).

Both are drawn from the same versioned template, so what the worker ticks on paper is what she later enters in
Lieta; the report uses the template version the visit recorded, not today's. Police and the orphans' court ask
for the report, so only a signed visit prints as final, a visit in progress prints with the DRAFT mark and a
planned or cancelled visit has no report at all. Every printing of a report is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app import attestation, audit
from app.cases import FLAGS, visible_record
from app.child_protection import REASONS
from app.context import Context
from app.errors import InvalidTransition, RequiredField, ValidationError
from app.i18n import _, gettext
from app.visits import CLIENT_SIGNATURES, ENTITY_VISIT, HOME_VISIT_KIND, Template, UnansweredQuestions, \
    load_template
from storage.errors import N_
from storage.models import Client, HomeVisit, HomeVisitAnswer, Person, User
from forms.blocks import cell_style, facts, grid, signature_lines
from forms.labels import date_text, in_language, moment_text, person_name, user_line
from forms.pdf import SANS, SERIF, Styles, letterhead, para, render, styles
from forms.seal import seal_flowable, seal_for

REPORT_KIND = "home_visit_report"
YES_NO = {"yes": N_("Yes"), "no": N_("No")}
CLIENT_SIGNATURE_TEXTS = {"signed": N_("The client signed the report."),
                          "refused": N_("The client refused to sign the report."),
                          "absent": N_("The client was not present to sign the report.")}
BOX = "\u2610"  # ☐ — in DejaVu Sans, so it embeds like every other glyph


# -- hand-filled pieces ---------------------------------------------------------------------------------------------
class RuledLines(Flowable):
    """Blank ruled lines to write on by hand; ``label`` (e.g. "Note:") is printed where the first line starts."""

    def __init__(self, count: int, spacing: float, *, label: str = "", font_size: float = 8.0) -> None:
        super().__init__()
        self.count, self.spacing, self.label, self.font_size = count, spacing, label, font_size

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.spacing

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
        self.canv.setLineWidth(0.5)
        start = 0.0
        if self.label:
            self.canv.setFont(SANS, self.font_size)
            self.canv.setFillColor(colors.Color(0.35, 0.35, 0.35))
            self.canv.drawString(0, (self.count - 1) * self.spacing + 3, self.label)
            start = stringWidth(self.label, SANS, self.font_size) + 3
        for number in range(self.count):
            y = number * self.spacing + 1
            self.canv.line(start if number == self.count - 1 else 0, y, self.width, y)
        self.canv.restoreState()


# -- the report -----------------------------------------------------------------------------------------------------
@dataclass
class Answered:
    question: str
    answer: str
    note: str | None = None


@dataclass
class VisitReport:
    """Everything the report prints, read in one transaction; rendering needs no session."""

    template_title: str
    template_version: int
    client: str
    personal_code: str | None
    address: str | None
    planned_on: dt.date | None
    visited_at: dt.datetime | None
    worker: str
    purpose: str
    participants: str | None
    final: bool
    sections: list[tuple[str, list[Answered]]] = field(default_factory=list)
    findings: str | None = None
    risks: str | None = None
    recommendations: str | None = None
    next_steps: str | None = None
    flags: list[str] = field(default_factory=list)
    signed_at: dt.datetime | None = None
    signed_by: str = "—"
    client_signature: str | None = None


def home_visit_report(ctx: Context, visit_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The report as PDF bytes (in memory); refused for a visit not yet made; audited as a print."""
    with ctx.read() as session:
        visit, client = visible_record(ctx, session, HomeVisit, visit_id, ENTITY_VISIT)
        report = report_data(session, visit, client)
        seal = None
        if report.final:
            signer = attestation.user_name(session, visit.signed_by_user_id)
            seal = seal_for(session, attestation.visit_facts(visit, session.get(Person, client.person_id), signer))
        head = letterhead(session)

    def story() -> list:
        flowables = report_story(report, large_print=large_print)
        return flowables + [seal_flowable(seal, styles(large_print))] if seal else flowables

    pdf = render(story, title=_("Home-visit report"), head=head, draft=not report.final)
    audit.record(ctx, "print", entity="home_visits", entity_id=visit_id, client_id=client.id,
                 details={"kind": REPORT_KIND, "final": report.final})
    return pdf


def report_data(session: Any, visit: HomeVisit, client: Client) -> VisitReport:
    """The report's content, or an app error when the visit cannot have a report (checked before rendering)."""
    if visit.status == "planned":
        raise InvalidTransition(reason_msg=N_("the visit has not been made yet, so it has no report."))
    if visit.status not in ("in_progress", "signed"):
        raise InvalidTransition(reason_msg=N_("the visit was cancelled, so it has no report."))
    template = load_template(visit.template_id, visit.template_version)
    rows = {row.question_id: row for row in session.query(HomeVisitAnswer).filter(
        HomeVisitAnswer.visit_id == visit.id, HomeVisitAnswer.deleted.is_(False))}
    final = visit.status == "signed"
    if final:  # a signed report arriving from elsewhere must still be complete
        if visit.visited_at is None:
            raise RequiredField(field="visited_at")
        missing = [qid for qid in template.required_questions if rows.get(qid) is None or rows[qid].value is None]
        if missing:
            raise UnansweredQuestions(missing)
        if not (visit.findings or "").strip():
            raise RequiredField(field="findings")
        if visit.client_signature not in CLIENT_SIGNATURES:
            raise RequiredField(field="client_signature")
    person = session.get(Person, client.person_id)
    worker = session.get(User, visit.worker_user_id) if visit.worker_user_id else None
    signer = session.get(User, visit.signed_by_user_id) if visit.signed_by_user_id else None
    return VisitReport(
        template_title=in_language(template.title), template_version=template.version,
        client=person_name(person), personal_code=person.personal_code, address=person.address,
        planned_on=visit.planned_on, visited_at=visit.visited_at, worker=user_line(worker), purpose=visit.purpose,
        participants=visit.participants, final=final, sections=_answered_sections(template, rows),
        findings=visit.findings, risks=visit.risks, recommendations=visit.recommendations,
        next_steps=visit.next_steps, flags=[gettext(REASONS.get(flag, flag)) for flag in visit.flags or []],
        signed_at=visit.signed_at, signed_by=user_line(signer or worker), client_signature=visit.client_signature)


def _answered_sections(template: Template, rows: dict[str, HomeVisitAnswer]) -> list[tuple[str, list[Answered]]]:
    sections = []
    for section in template.sections:
        answered = []
        for question in section.get("questions", []):
            row = rows.get(question["id"])
            answered.append(Answered(in_language(question.get("text")), answer_text(question, row.value if row
                                                                                         else None),
                                     row.note if row else None))
        sections.append((in_language(section.get("title")), answered))
    return sections


def answer_text(question: dict[str, Any], value: str | None) -> str:
    """A stored answer as words: "yes", "4 of 5", the option's label; the typed text as it is."""
    if value is None:
        return _("not answered")
    kind = question.get("kind")
    if kind == "yes_no":
        return gettext(YES_NO.get(value, value))
    if kind == "scale_1_5":
        return _("{score} of 5").format(score=value)
    if kind == "choice":
        for option in question.get("options", []):
            if isinstance(option, dict) and option.get("id") == value:
                return in_language(option)
    return value


def report_story(report: VisitReport, *, large_print: bool = False) -> list:
    """The report's flowables, ending with the signature block (a verification seal may be appended after it)."""
    st = styles(large_print)
    cell, small = cell_style(st), cell_style(st, small=True)
    story: list = [para(_("HOME-VISIT REPORT"), st.title), _version_line(report.template_title,
                                                                         report.template_version, small),
                   Spacer(1, 4 * mm)]
    story.append(facts([
        (_("Client"), report.client), (_("Personal code"), report.personal_code), (_("Address"), report.address),
        (_("Planned for"), date_text(report.planned_on)), (_("Visited"), moment_text(report.visited_at)),
        (_("Social worker"), report.worker), (_("Purpose of the visit"), report.purpose),
        (_("Participants"), report.participants)], st, compact=False))
    for title, answered in report.sections:
        rows = []
        for item in answered:
            answer = [para(item.answer, cell)]
            if item.note:
                answer.append(para(_("Note: {note}").format(note=item.note), small))
            rows.append([item.question, answer])
        story += [Spacer(1, 3 * mm), grid(None, rows, st, widths=["58%", "42%"], title=title, compact=False)]
    for name, text in ((_("Findings"), report.findings), (_("Risks"), report.risks),
                       (_("Recommendations"), report.recommendations), (_("Next steps"), report.next_steps)):
        story += [para(name, st.heading), para(text or "—", st.body)]
    story += [para(_("Child protection flags"), st.heading),
              *([para(f"– {flag}", st.body) for flag in report.flags] or [para(_("none"), st.body)])]
    story.append(KeepTogether(_signature_block(report, st)))
    return story


def _signature_block(report: VisitReport, st: Styles) -> list:
    block: list = [para(_("Signatures"), st.heading)]
    if report.final:
        local = report.signed_at.astimezone() if report.signed_at else None
        block.append(para(_("The social worker {name} signed the report on {date} at {time}.").format(
            name=report.signed_by, date=date_text(local.date() if local else None),
            time=f"{local:%H:%M}" if local else "—"), st.body))
        block.append(para(gettext(CLIENT_SIGNATURE_TEXTS[report.client_signature]), st.body))
    else:
        block.append(para(_("Not signed yet: this is a draft of the report."), st.body))
    client_line = report.client
    if report.final and report.client_signature != "signed":
        client_line += "\n" + gettext(CLIENT_SIGNATURE_TEXTS[report.client_signature])
    block += [Spacer(1, 2 * mm), signature_lines([(_("Social worker"), report.signed_by if report.final
                                                   else report.worker), (_("Client"), client_line)], st)]
    return block


def stated_facts(facts: dict[str, Any], language: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Where a signed report states its signed facts (for :mod:`forms.verification`). The visit's and the
    signature's dates are signed too but not looked for: the report prints them in the laptop's time zone."""
    stated = {"name": ("{name}", {"name": facts["name"]})}
    if facts.get("worker"):
        stated["worker"] = ("{worker}", {"worker": facts["worker"]})
    return stated


# -- the blank checklist --------------------------------------------------------------------------------------------
def blank_checklist(template_id: str, *, version: int | None = None, large_print: bool = False,
                    session: Any = None) -> bytes:
    """The checklist to fill by hand on a visit without the laptop: the same template, tick boxes and lines.

    Holds no client data, so it is not audited; ``session`` only supplies the letterhead."""
    template = load_template(template_id, version)
    if template.kind != HOME_VISIT_KIND:
        raise ValidationError(N_("This template is not a home-visit checklist."), field="template")
    head = letterhead(session)
    return render(lambda: blank_story(template, large_print=large_print), title=_("Home-visit checklist"),
                  head=head)


def blank_story(template: Template, *, large_print: bool = False) -> list:
    st = styles(large_print)
    cell, small = cell_style(st), cell_style(st, small=True)
    line = st.body.fontSize * 2.0
    story: list = [para(_("HOME-VISIT CHECKLIST"), st.title),
                   _version_line(in_language(template.title), template.version, small), Spacer(1, 3 * mm),
                   para(_("Fill in by hand during the visit and enter it in Lieta afterwards. Questions marked * "
                          "must be answered before the report can be signed."), small),
                   Spacer(1, 2 * mm)]
    fields = [_("Client"), _("Personal code"), _("Address"), _("Date and time"), _("Social worker"),
              _("Purpose of the visit"), _("Participants")]
    header = Table([[para(label, st.label), RuledLines(1, line)] for label in fields] + [["", RuledLines(1, line)]],
                   colWidths=["30%", "70%"])
    header.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story.append(header)
    for section in template.sections:
        rows = []
        for question in section.get("questions", []):
            text = in_language(question.get("text")) + (" *" if question.get("required") else "")
            rows.append([text, _answer_space(question, st, line)])
        story += [Spacer(1, 3 * mm), grid(None, rows, st, widths=["55%", "45%"],
                                          title=in_language(section.get("title")), compact=False)]
    for name, count in ((_("Findings"), 6), (_("Risks"), 3), (_("Recommendations"), 3), (_("Next steps"), 3)):
        story.append(KeepTogether([para(name, st.heading), RuledLines(count, line)]))
    story += [para(_("Child protection flags"), st.heading),
              boxes([gettext(REASONS[flag]) for flag in FLAGS], cell, across=False)]
    block = [para(_("Signatures"), st.heading),
             boxes([gettext(CLIENT_SIGNATURE_TEXTS[code]) for code in CLIENT_SIGNATURES], cell, across=False),
             Spacer(1, 2 * mm),
             signature_lines([(_("Social worker"), _("name, signature")), (_("Client"), _("name, signature"))], st)]
    story.append(KeepTogether(block))
    return story


def _version_line(title: str, version: int, style: ParagraphStyle) -> Paragraph:
    """Under the document's title: the checklist and the version of it the form follows."""
    return para(f"{title} · " + _("checklist version {version}").format(version=version),
                ParagraphStyle("sub", parent=style, alignment=1))


def boxes(labels: list[str], style: ParagraphStyle, *, across: bool = True) -> Paragraph:
    """Tick boxes with their labels, side by side or one under another."""
    size = style.fontSize * 1.25
    joiner = "&nbsp;&nbsp;&nbsp; " if across else "<br/>"
    return Paragraph(joiner.join(f'<font name="{SANS}" size="{size:.1f}">{BOX}</font>&nbsp;{escape(label)}'
                                 for label in labels), style)


def _answer_space(question: dict[str, Any], st: Styles, line: float) -> list:
    cell = cell_style(st)
    kind = question.get("kind")
    if kind == "text":
        return [RuledLines(3, line)]
    if kind == "yes_no":
        choice = boxes([gettext(YES_NO[answer]) for answer in ("yes", "no")], cell)
    elif kind == "scale_1_5":
        choice = boxes([str(score) for score in range(1, 6)], cell)
    else:
        choice = boxes([in_language(option) if isinstance(option, dict) else str(option)
                        for option in question.get("options", [])], cell, across=False)
    return [choice, RuledLines(1, line, label=_("Note:"), font_size=st.small.fontSize)]
