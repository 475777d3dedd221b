"""Home visits with their checklist and the signed report, and assessments (DOMAIN.md §3–§4).

Checklists and scales are versioned JSON data in ``resources/templates/<id>_v<version>.json`` so a
municipality can adjust them without code; every filled visit or assessment records the version it used.
Answers are saved one by one, each in its own committed transaction, so a dead battery loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import child_protection
from app import validation as v
from app.access import require_casework
from app.cases import FLAGS, visible_case, visible_client, visible_record
from app.context import Context
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from storage.errors import N_
from storage.models import Assessment, Client, HomeVisit, HomeVisitAnswer, Household, JournalEntry, Person, User

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "resources" / "templates"
TEMPLATE_ID = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
TEMPLATE_FILE = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)_v(?P<version>\d+)\.json$")
QUESTION_KINDS = ("yes_no", "scale_1_5", "text", "choice")
YES_NO = ("yes", "no")
CLIENT_SIGNATURES = ("signed", "refused", "absent")
HOME_VISIT_KIND = "home_visit"
ENTITY_VISIT = N_("home visit")
ENTITY_ASSESSMENT = N_("assessment")
ENTITY_HOUSEHOLD = N_("household")



class UnansweredQuestions(InvalidTransition):
    """Signing refused: required checklist questions have no answer. ``question_ids`` lets the UI point."""

    def __init__(self, question_ids: list[str]) -> None:
        self.question_ids = question_ids
        super().__init__(reason_msg=N_("required questions of the checklist are unanswered."))


@dataclass(frozen=True)
class Template:
    """A checklist (``sections`` of questions) or a scale (``domains`` scored ``scale_min``..``scale_max``)."""

    id: str
    version: int
    kind: str
    title: dict[str, str]
    sections: list[dict[str, Any]] = field(default_factory=list)
    domains: list[dict[str, Any]] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def questions(self) -> dict[str, dict[str, Any]]:
        """Every question by id, in the order of the form."""
        return {q["id"]: q for section in self.sections for q in section.get("questions", [])}

    @property
    def required_questions(self) -> list[str]:
        return [qid for qid, q in self.questions.items() if q.get("required")]

    @property
    def domain_ids(self) -> list[str]:
        return [d["id"] for d in self.domains]

    @property
    def higher_is_better(self) -> bool:
        """Most scales score abilities (5 = independent); a risk scale says ``"better": "low"`` (5 = danger)."""
        return (self.raw.get("scale") or {}).get("better", "high") != "low"


def template_versions(template_id: str) -> list[int]:
    """The versions of a template present in ``resources/templates``, oldest first."""
    versions = []
    for path in TEMPLATES_DIR.glob(f"{template_id}_v*.json"):
        match = TEMPLATE_FILE.match(path.name)
        if match and match["id"] == template_id:
            versions.append(int(match["version"]))
    return sorted(versions)


def load_template(template_id: str, version: int | None = None) -> Template:
    """A template by id, the latest version unless ``version`` is given."""
    if not isinstance(template_id, str) or not TEMPLATE_ID.match(template_id):
        raise ValidationError(N_("There is no such template."), field="template")
    versions = template_versions(template_id)
    if not versions or (version is not None and version not in versions):
        raise ValidationError(N_("There is no such template."), field="template")
    chosen = versions[-1] if version is None else version
    raw = json.loads((TEMPLATES_DIR / f"{template_id}_v{chosen}.json").read_text(encoding="utf-8"))
    if raw.get("id") != template_id or raw.get("version") != chosen:
        raise ValidationError(N_("The template file does not match its name."), field="template")
    scale = raw.get("scale") or {}
    return Template(id=template_id, version=chosen, kind=raw.get("kind", ""), title=raw.get("title", {}),
                    sections=raw.get("sections", []), domains=raw.get("domains", []),
                    scale_min=int(scale.get("min", 1)), scale_max=int(scale.get("max", 5)), raw=raw)


def answer_value(question: dict[str, Any], value: object) -> str | None:
    """The stored form of an answer, or a ValidationError if it does not fit the question's kind."""
    kind = question.get("kind")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # clears the answer
    if kind == "yes_no":
        if isinstance(value, bool):
            return "yes" if value else "no"
        return v.choice(str(value).strip().lower(), "value", YES_NO)
    if kind == "scale_1_5":
        if isinstance(value, bool):
            raise ValidationError(N_("'{field_msg}' must be a whole number."), field="value")
        return str(v.integer(value, "value", minimum=1, maximum=5))
    if kind == "choice":
        options = [o["id"] if isinstance(o, dict) else str(o) for o in question.get("options", [])]
        return v.choice(value, "value", options)
    if kind == "text":
        return v.text(value, "value", required=False)
    raise ValidationError(N_("The template has a question of an unknown kind."), field="template")


# -- home visits ------------------------------------------------------------------------------------------
def plan_home_visit(ctx: Context, client_id: uuid.UUID, planned_on: dt.date | str, purpose: str,
                    template_id: str, *, case_id: uuid.UUID | None = None,
                    household_id: uuid.UUID | None = None) -> uuid.UUID:
    """A visit with its purpose set beforehand; it uses the latest version of the checklist."""
    require_casework(ctx)
    planned = v.date(planned_on, "planned_on")
    purpose = v.text(purpose, "purpose")
    template = load_template(template_id)
    if template.kind != HOME_VISIT_KIND:
        raise ValidationError(N_("This template is not a home-visit checklist."), field="template")
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if case_id is not None:
            visible_case(ctx, session, case_id, client_id=client.id)
        if household_id is not None:
            household = session.get(Household, household_id)
            if household is None or household.deleted:
                raise NotFound(entity_msg=ENTITY_HOUSEHOLD)
        visit = HomeVisit(client_id=client.id, case_id=case_id, household_id=household_id, template_id=template.id,
                          template_version=template.version, planned_on=planned, purpose=purpose, status="planned",
                          worker_user_id=ctx.user_id)
        session.add(visit)
        session.flush()
        return visit.id


def start_visit(ctx: Context, visit_id: uuid.UUID, *, visited_at: dt.datetime | str | None = None) -> None:
    """At the door (or later, entering a paper checklist): the visit is in progress from ``visited_at``."""
    require_casework(ctx)
    when = v.moment(visited_at, "visited_at", now=ctx.now(), required=False) or ctx.now()
    with ctx.write() as session:
        visit = _visit(ctx, session, visit_id)
        if visit.status != "planned":
            raise InvalidTransition(reason_msg=N_("the visit has already been started or is closed."))
        visit.status, visit.visited_at = "in_progress", when
        if visit.worker_user_id is None:
            visit.worker_user_id = ctx.user_id


def save_answer(ctx: Context, visit_id: uuid.UUID, question_id: str, value: object, *,
                note: str | None = None) -> uuid.UUID:
    """Save one answer as it is typed (one committed transaction per answer); the same question again
    replaces the answer. Returns the answer's id."""
    require_casework(ctx)
    note = v.text(note, "note", required=False)
    with ctx.write() as session:
        visit = _visit(ctx, session, visit_id)
        _require_in_progress(visit)
        question = load_template(visit.template_id, visit.template_version).questions.get(question_id)
        if question is None:
            raise ValidationError(N_("The checklist of this visit has no such question."), field="question")
        stored = answer_value(question, value)
        answer = session.scalar(select(HomeVisitAnswer).where(
            HomeVisitAnswer.visit_id == visit.id, HomeVisitAnswer.question_id == question_id))
        if answer is None:
            answer = HomeVisitAnswer(visit_id=visit.id, question_id=question_id, value=stored, note=note)
            session.add(answer)
        else:
            answer.value, answer.note, answer.deleted = stored, note, False
        session.flush()
        return answer.id


def answers(ctx: Context, visit_id: uuid.UUID) -> dict[str, HomeVisitAnswer]:
    """The visit's answers by question id."""
    with ctx.read() as session:
        visit = _visit(ctx, session, visit_id)
        rows = session.scalars(select(HomeVisitAnswer).where(HomeVisitAnswer.visit_id == visit.id,
                                                             HomeVisitAnswer.deleted.is_(False)))
        return {row.question_id: row for row in rows}


def set_findings(ctx: Context, visit_id: uuid.UUID, findings: str, *, risks: str | None = None,
                 recommendations: str | None = None, next_steps: str | None = None,
                 participants: str | None = None, flags: list[str] | None = None) -> None:
    """Findings, risks, recommendations, next steps and participants of the report (saved as a whole)."""
    require_casework(ctx)
    values = {
        "findings": v.text(findings, "findings"),
        "risks": v.text(risks, "risks", required=False),
        "recommendations": v.text(recommendations, "recommendations", required=False),
        "next_steps": v.text(next_steps, "next_steps", required=False),
        "participants": v.text(participants, "participants", required=False),
        "flags": v.choices(flags, "flags", FLAGS),
    }
    with ctx.write() as session:
        visit = _visit(ctx, session, visit_id)
        _require_in_progress(visit)
        for key, value in values.items():
            if getattr(visit, key) != value:
                setattr(visit, key, value)
        session.flush()
        found_on = visit.visited_at.astimezone().date() if visit.visited_at else ctx.today()
        child_protection.create_report_tasks(ctx, session, session.get(Client, visit.client_id), values["flags"],
                                             found_on, source_entity="home_visits", source_id=visit.id)


def sign_visit(ctx: Context, visit_id: uuid.UUID, client_signature: str) -> None:
    """Sign the home-visit report: every required question answered and findings written. The visit and
    all its answers become final in the same transaction."""
    require_casework(ctx)
    signature = v.choice(client_signature, "client_signature", CLIENT_SIGNATURES)
    with ctx.write() as session:
        visit = _visit(ctx, session, visit_id)
        _require_in_progress(visit)
        rows = session.scalars(select(HomeVisitAnswer).where(HomeVisitAnswer.visit_id == visit.id,
                                                             HomeVisitAnswer.deleted.is_(False))).all()
        answered = {row.question_id for row in rows if row.value is not None}
        template = load_template(visit.template_id, visit.template_version)
        missing = [qid for qid in template.required_questions if qid not in answered]
        if missing:
            raise UnansweredQuestions(missing)
        if not (visit.findings or "").strip():
            raise RequiredField(field="findings")
        visit.status, visit.client_signature = "signed", signature
        visit.signed_at, visit.signed_by_user_id = ctx.now(), ctx.user_id
        for row in rows:
            row.visit_signed = True
        # the visit is a contact: it goes into the journal with the report (inspectors check both)
        session.add(JournalEntry(client_id=visit.client_id, case_id=visit.case_id, kind="visit",
                                 occurred_at=visit.visited_at or ctx.now(), topic=visit.purpose[:300],
                                 participants=(visit.participants or "")[:500] or None, text=visit.findings,
                                 worker_user_id=ctx.user_id))


def _visit(ctx: Context, session, visit_id: uuid.UUID) -> HomeVisit:
    return visible_record(ctx, session, HomeVisit, visit_id, ENTITY_VISIT)[0]


def _require_in_progress(visit: HomeVisit) -> None:
    if visit.status == "signed":
        raise InvalidTransition(reason_msg=N_("the home-visit report is signed and final."))
    if visit.status != "in_progress":
        raise InvalidTransition(reason_msg=N_("start the visit first."))


# -- assessments ----------------------------------------------------------------------------------------------
def validate_scores(template: Template, scores: object) -> dict[str, int]:
    """Every domain of the scale scored with a whole number in range, and nothing else."""
    if not template.domains:
        raise ValidationError(N_("This template is not an assessment scale."), field="template")
    if not isinstance(scores, dict):
        raise ValidationError(field="score")
    unknown = [key for key in scores if key not in template.domain_ids]
    if unknown:
        raise _score_error(N_("The scale has no such domain."), unknown[0])
    result = {}
    for domain in template.domain_ids:
        value = scores.get(domain)
        if value is None or value == "":
            raise _score_error(N_("Every domain of the scale needs a score."), domain)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise _score_error(N_("A score must be a whole number from {low} to {high}."), domain,
                               low=template.scale_min, high=template.scale_max)
        try:
            number = v.integer(value, "score")
        except ValidationError:
            number = None
        if number is None or not template.scale_min <= number <= template.scale_max:
            raise _score_error(N_("A score must be a whole number from {low} to {high}."), domain,
                               low=template.scale_min, high=template.scale_max)
        result[domain] = number
    return result


def _score_error(msgid: str, domain: str, **params: object) -> ValidationError:
    error = ValidationError(msgid, field="score", **params)
    error.domain = domain  # type: ignore[attr-defined]  # the UI points at the domain's row
    return error


def record_assessment(ctx: Context, client_id: uuid.UUID, template_id: str, scores: dict[str, Any],
                      assessed_on: dt.date | str, *, summary: str | None = None, case_id: uuid.UUID | None = None,
                      finalise: bool = False) -> uuid.UUID:
    """An assessment on the latest version of a scale (e.g. the functional 'spider'); draft unless finalised."""
    require_casework(ctx)
    template = load_template(template_id)
    checked = validate_scores(template, scores)
    assessed = v.date(assessed_on, "assessed_on", not_after=ctx.today())
    summary = v.text(summary, "summary", required=False)
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if case_id is not None:
            visible_case(ctx, session, case_id, client_id=client.id)
        assessment = Assessment(client_id=client.id, case_id=case_id, kind=template.kind, template_id=template.id,
                                template_version=template.version, assessed_on=assessed, scores=checked,
                                summary=summary, status="final" if finalise else "draft",
                                assessor_user_id=ctx.user_id)
        session.add(assessment)
        session.flush()
        return assessment.id


def finalise_assessment(ctx: Context, assessment_id: uuid.UUID) -> None:
    require_casework(ctx)
    with ctx.write() as session:
        assessment, _client = visible_record(ctx, session, Assessment, assessment_id, ENTITY_ASSESSMENT)
        if assessment.status == "final":
            raise InvalidTransition(reason_msg=N_("the assessment is already final."))
        validate_scores(load_template(assessment.template_id, assessment.template_version), assessment.scores)
        assessment.status = "final"


def list_assessments(ctx: Context, client_id: uuid.UUID, kind: str | None = None) -> list[Assessment]:
    """The client's assessments, oldest first (a chart compares them over time)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        query = select(Assessment).where(Assessment.client_id == client.id, Assessment.deleted.is_(False))
        if kind is not None:
            query = query.where(Assessment.kind == kind)
        return list(session.scalars(query.order_by(Assessment.assessed_on, Assessment.created_at)))



# -- read models for the screens ------------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitRow:
    """One line of a client's list of home visits (plain values: the UI never holds a session's rows)."""

    id: uuid.UUID
    status: str
    planned_on: dt.date | None
    visited_at: dt.datetime | None
    purpose: str
    worker: str
    template_id: str
    template_version: int


@dataclass(frozen=True)
class VisitDetail:
    """Everything the checklist screen shows for one visit, read in one transaction, with its template."""

    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    status: str
    template: Template
    planned_on: dt.date | None
    visited_at: dt.datetime | None
    purpose: str
    worker: str
    participants: str | None
    findings: str | None
    risks: str | None
    recommendations: str | None
    next_steps: str | None
    flags: tuple[str, ...]
    client_signature: str | None
    signed_at: dt.datetime | None
    #: question id -> (stored value, note)
    answers: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def _user_name(session, user_id: uuid.UUID | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else ""


def list_visits(ctx: Context, client_id: uuid.UUID) -> list[VisitRow]:
    """The client's home visits, the latest first (planned ones by their date, made ones by the visit)."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        rows = session.scalars(select(HomeVisit).where(HomeVisit.client_id == client.id,
                                                       HomeVisit.deleted.is_(False))).all()
        names: dict[uuid.UUID | None, str] = {}
        result = []
        for visit in rows:
            if visit.worker_user_id not in names:
                names[visit.worker_user_id] = _user_name(session, visit.worker_user_id)
            result.append(VisitRow(id=visit.id, status=visit.status, planned_on=visit.planned_on,
                                   visited_at=visit.visited_at, purpose=visit.purpose,
                                   worker=names[visit.worker_user_id], template_id=visit.template_id,
                                   template_version=visit.template_version))

    def when(row: VisitRow) -> tuple[dt.date, str]:
        day = row.visited_at.astimezone().date() if row.visited_at else row.planned_on or dt.date.min
        return day, str(row.id)

    return sorted(result, key=when, reverse=True)


def visit_detail(ctx: Context, visit_id: uuid.UUID) -> VisitDetail:
    """One visit with its answers and the template version it records (not today's latest)."""
    with ctx.read() as session:
        visit, client = visible_record(ctx, session, HomeVisit, visit_id, ENTITY_VISIT)
        person = session.get(Person, client.person_id)
        rows = session.scalars(select(HomeVisitAnswer).where(HomeVisitAnswer.visit_id == visit.id,
                                                             HomeVisitAnswer.deleted.is_(False))).all()
        return VisitDetail(
            id=visit.id, client_id=client.id,
            client_name=f"{person.given_name} {person.surname}" if person is not None else "",
            status=visit.status, template=load_template(visit.template_id, visit.template_version),
            planned_on=visit.planned_on, visited_at=visit.visited_at, purpose=visit.purpose,
            worker=_user_name(session, visit.worker_user_id), participants=visit.participants,
            findings=visit.findings, risks=visit.risks, recommendations=visit.recommendations,
            next_steps=visit.next_steps, flags=tuple(visit.flags or ()), client_signature=visit.client_signature,
            signed_at=visit.signed_at, answers={row.question_id: (row.value, row.note) for row in rows})


def home_visit_templates() -> list[Template]:
    """The latest version of every home-visit checklist in ``resources/templates`` (the "plan a visit" choice)."""
    found = []
    for template_id in sorted({m["id"] for p in TEMPLATES_DIR.glob("*_v*.json")
                               if (m := TEMPLATE_FILE.match(p.name))}):
        template = load_template(template_id)
        if template.kind == HOME_VISIT_KIND:
            found.append(template)
    return found
