"""Deterministic, synthetic demo data: what a newcomer sees and what the benchmarks load.

Realistic Latvian names and places, valid fictitious personal codes, households with children and
pensioners, cases at every stage with plans and journals, home visits, assessments, applications and
decisions in every state. The same seed and date give the same data (ids included). Rows go in with bulk
inserts, batch by batch, each with its outbox records — 100,000 clients take well under a minute.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from app import demo_names as names
from app import numbers
from app.assistance import decision_due
from app.context import Context
from app.deadlines import add_months, calendar
from app.decisions import content_hash
from app.personal_code import fake_new_code, fake_old_code
from storage import outbox
from storage.models import (
    Agreement, AgreementDuty, Application, Assessment, CaseGoal, CaseReview, Client, Complaint, ServiceReferral,
    SupervisionRecord, TrainingRecord, Decision, DecisionApproval,
    DecisionNotification, HomeVisit, HomeVisitAnswer, Household, HouseholdMember, HouseholdStatus,
    InterventionPlan, JournalEntry, MeansTest, Parish, Person, PlanTask, Relation,
    SocialCase, User,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "resources" / "templates"
BATCH = 5000
INSERT_ORDER = [Person, Household, HouseholdMember, Relation, Client, SocialCase, CaseReview, CaseGoal,
                InterventionPlan, PlanTask, Agreement, AgreementDuty, JournalEntry, HomeVisit, HomeVisitAnswer,
                Assessment, Application, MeansTest, Decision, DecisionApproval, DecisionNotification, HouseholdStatus,
                ServiceReferral]
CASE_STAGES = ["opened", "assessment", "planning", "implementation", "implementation", "implementation",
               "evaluation", "closed", "closed", "monitoring"]
DECISION_STATES = ["draft", "submitted", "returned", "approved", "issued", "issued", "issued"]


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    persons: int
    rows: int


class _Ids:
    """UUIDv7-shaped ids from the seed, so the same seed gives the same ids."""

    def __init__(self, rng: random.Random, base: dt.date) -> None:
        self._rng = rng
        self._ms = int(dt.datetime(base.year, base.month, base.day, tzinfo=dt.timezone.utc).timestamp() * 1000)

    def __call__(self) -> uuid.UUID:
        self._ms += 1
        value = (self._ms << 80) | (0x7 << 76) | (self._rng.getrandbits(12) << 64) | (0b10 << 62) | self._rng.getrandbits(62)
        return uuid.UUID(int=value)


def _template(template_id: str) -> dict:
    return json.loads((TEMPLATES / f"{template_id}_v1.json").read_text(encoding="utf-8"))


class _Generator:
    def __init__(self, ctx: Context, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.ids = _Ids(self.rng, today)
        self.ctx = ctx
        self.visit_questions = [q for section in _template("home_visit_family")["sections"] for q in section["questions"]]
        self.assessment_domains = [d["id"] for d in _template("functional_assessment")["domains"]]
        self.risk_domains = [d["id"] for d in _template("risk_assessment")["domains"]]
        self.needs_domains = [d["id"] for d in _template("basic_needs_assessment")["domains"]]
        # family assessments and second-parent links draw from their own stream: every other demo row is unchanged
        self.family_rng = random.Random(f"family-assessments:{seed}")
        self.family_ids = _Ids(self.family_rng, today)
        self.surname_weights = [w for _m, _f, w in names.SURNAMES]
        self.flagged = 0

    def pick_surname(self) -> tuple[str, str]:
        male, female, _w = self.rng.choices(names.SURNAMES, self.surname_weights)[0]
        return male, female

    def person(self, rows, gender: str, surname_pair, born: dt.date, parish_id, address) -> uuid.UUID:
        rng = self.rng
        pid = self.ids()
        given = rng.choice(names.MALE_NAMES if gender == "male" else names.FEMALE_NAMES)
        code = fake_old_code(born, rng) if born <= dt.date(2017, 6, 30) else fake_new_code(rng)
        rows[Person].append(dict(id=pid, given_name=given, surname=surname_pair[0 if gender == "male" else 1],
                                 personal_code=code, birth_date=born, gender=gender, address=address,
                                 parish_id=parish_id, phone=f"+371 2{rng.randrange(1000000, 9999999)}",
                                 language="lv", search_rowid=self.next_search_rowid()))
        return pid

    def next_search_rowid(self) -> int:
        self.search_rowid += 1
        return self.search_rowid

    def born(self, low: int, high: int) -> dt.date:
        start, end = dt.date(low, 1, 1).toordinal(), dt.date(high, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randrange(start, end))

    def address(self, parish) -> str:
        rng = self.rng
        parish_name, village, postcode = parish[1]
        if rng.random() < 0.5:
            return f"{rng.choice(names.STREETS)} {rng.randrange(1, 60)}-{rng.randrange(1, 30)}, {village}, " \
                   f"{parish_name.replace('pagasts', 'pag.')}, {names.MUNICIPALITY}, {postcode}"
        return f"„{rng.choice(names.HOMESTEADS)}”, {parish_name.replace('pagasts', 'pag.')}, " \
               f"{names.MUNICIPALITY}, {postcode}"

    def client(self, rows, parishes, workers, caseload_user) -> None:
        rng, today = self.rng, self.today
        parish = rng.choice(parishes)
        address = self.address(parish)
        surname = self.pick_surname()
        kind = rng.choices(["family", "pensioner", "pensioner_couple", "single"], [45, 25, 10, 20])[0]
        members: list[tuple[uuid.UUID, str]] = []
        if kind in ("pensioner", "pensioner_couple"):
            main_gender = rng.choice(["female", "female", "male"])
            main = self.person(rows, main_gender, surname, self.born(1934, 1960), parish[0], address)
            members.append((main, "adult"))
            if kind == "pensioner_couple":
                spouse = self.person(rows, "male" if main_gender == "female" else "female", surname,
                                     self.born(1934, 1960), parish[0], address)
                members.append((spouse, "spouse"))
            groups = ["pensioner"] + (["functional_impairment"] if rng.random() < 0.4 else [])
        else:
            main_gender = rng.choice(["female", "male"])
            main = self.person(rows, main_gender, surname, self.born(1966, 2002), parish[0], address)
            members.append((main, "adult"))
            groups = []
            if kind == "family":
                if rng.random() < 0.55:
                    partner = self.person(rows, "male" if main_gender == "female" else "female", surname,
                                          self.born(1966, 2002), parish[0], address)
                    members.append((partner, "spouse"))
                for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                    child = self.person(rows, rng.choice(["female", "male"]), surname, self.born(2008, 2024),
                                        parish[0], address)
                    members.append((child, "child"))
                groups.append("family_with_children")
            groups += rng.sample(["long_term_unemployed", "addiction", "low_income", "violence_victim"],
                                 k=rng.choice([0, 1, 1, 2]))
        household = self.ids()
        rows[Household].append(dict(id=household, label=f"{surname[0]} mājsaimniecība", address=address,
                                    parish_id=parish[0]))
        for person_id, role in members:
            rows[HouseholdMember].append(dict(id=self.ids(), household_id=household, person_id=person_id,
                                              is_head=person_id == main, joined_on=today - dt.timedelta(days=900)))
            if role in ("spouse", "child"):
                forward, back = ("spouse", "spouse") if role == "spouse" else ("parent", "child")
                rows[Relation].append(dict(id=self.ids(), person_id=main, related_person_id=person_id, kind=forward))
                rows[Relation].append(dict(id=self.ids(), person_id=person_id, related_person_id=main, kind=back))
        partners = [person_id for person_id, role in members if role == "spouse"]
        for partner in partners if kind == "family" else []:  # the children are the couple's: both parents linked
            for child in (person_id for person_id, role in members if role == "child"):
                rows[Relation].append(dict(id=self.family_ids(), person_id=partner, related_person_id=child,
                                           kind="parent"))
                rows[Relation].append(dict(id=self.family_ids(), person_id=child, related_person_id=partner,
                                           kind="child"))
        worker = caseload_user() or rng.choice(workers)
        mandatory = rng.random() < 0.25
        restricted = "violence_victim" in groups or rng.random() < 0.03
        client = self.ids()
        registered = today - dt.timedelta(days=rng.randrange(10, 2000))
        rows[Client].append(dict(id=client, person_id=main, client_type="mandatory" if mandatory else "voluntary",
                                 target_groups=groups, restricted=restricted, registered_on=registered,
                                 referral_source="Bāriņtiesa" if mandatory else None, responsible_user_id=worker,
                                 parish_id=parish[0], status="active"))
        if rng.random() < 0.45:
            self.case(rows, client, worker, mandatory, restricted, registered,
                      6 if kind in ("pensioner", "pensioner_couple") else 12)
        if kind == "family" and worker == self.ctx.user_id and self.flagged < 2:
            self.child_protection(rows, client, worker)
        if rng.random() < 0.25:
            self.visit(rows, client, household, worker)
        if rng.random() < 0.2:
            self.assessments(rows, client, worker)
        if kind == "family":
            self.family_assessments(rows, client, worker)
        if rng.random() < 0.3:
            start = max(registered, today - dt.timedelta(days=rng.randrange(10, 600)))
            rows[ServiceReferral].append(dict(
                id=self.ids(), client_id=client, service_code=rng.choice(names.SERVICES), referred_on=start,
                starts_on=start + dt.timedelta(days=7), status=rng.choice(["active", "active", "ended"]),
                ends_on=None if rng.random() < 0.7 else start + dt.timedelta(days=180)))
        if rng.random() < 0.45:
            self.application(rows, client, main, household, len(members),
                             sum(1 for _p, r in members if r != "child") if kind in ("family", "single") else 0, worker)

    def case(self, rows, client, worker, mandatory, restricted, registered, review_months) -> None:
        rng, today = self.rng, self.today
        case = self.ids()
        stage = rng.choice(CASE_STAGES)
        if stage in ("opened", "assessment"):  # a case still being assessed was opened recently
            opened = max(registered, today - dt.timedelta(days=rng.randrange(0, 20)))
        else:
            opened = min(registered + dt.timedelta(days=rng.randrange(0, 30)), today - dt.timedelta(days=40))
        closed = stage in ("closed", "monitoring")
        closed_on = today - dt.timedelta(days=rng.randrange(5, 200)) if closed else None
        evaluated = stage in ("evaluation", "closed", "monitoring")
        plan_start = opened + dt.timedelta(days=14)
        # reviewed on time, except about one case in thirty (the inspection report shows these)
        planned = stage not in ("opened", "assessment")
        next_review = add_months(plan_start, review_months) if planned and not closed else None
        while next_review is not None and next_review < today and rng.random() > 0.01:
            reviewed = next_review - dt.timedelta(days=rng.randrange(0, 20))
            next_review = add_months(reviewed, review_months)
            rows[CaseReview].append(dict(id=self.ids(), case_id=case, reviewed_on=reviewed, kind="review",
                                         text="Plāns pārskatīts: mērķi aktuāli, uzdevumi precizēti.",
                                         reviewed_by_user_id=worker, next_review_on=next_review))
        rows[SocialCase].append(dict(
            id=case, client_id=client, opened_on=opened, reason=rng.choice(names.CASE_REASONS),
            client_type="mandatory" if mandatory else "voluntary", responsible_user_id=worker, stage=stage,
            restricted=restricted, problem="Nepietiekami ienākumi un sadzīves prasmes." if stage != "opened" else None,
            diagnosis="Ģimenei trūkst resursu pamatvajadzību nodrošināšanai." if stage not in ("opened", "assessment") else None,
            next_review_on=next_review,
            evaluation="Mērķi daļēji sasniegti; klients sadarbojas." if evaluated else None,
            evaluated_on=(closed_on or today) - dt.timedelta(days=rng.randrange(1, 10)) if evaluated else None,
            closed_on=closed_on,
            closure_reason="Mērķi sasniegti." if closed else None,
            monitoring_until=today + dt.timedelta(days=90) if stage == "monitoring" else None))
        if stage in ("opened", "assessment"):
            return
        if rng.random() < 0.98:  # the functional assessment made when the case was opened
            rows[Assessment].append(dict(id=self.ids(), client_id=client, case_id=case, kind="functional",
                                         template_id="functional_assessment", template_version=1,
                                         assessed_on=opened + dt.timedelta(days=10), summary="Sākotnējais novērtējums.",
                                         scores={d: rng.randrange(1, 5) for d in self.assessment_domains},
                                         status="final", assessor_user_id=worker))
        goal = self.ids()
        rows[CaseGoal].append(dict(id=goal, case_id=case, text="Nodrošināt regulāru bērnu skolas apmeklējumu un "
                                   "samaksāt apkures parādu.", target_date=today + dt.timedelta(days=120)))
        plan = self.ids()
        rows[InterventionPlan].append(dict(id=plan, case_id=case, valid_from=plan_start,
                                           valid_to=None, status="closed" if closed else "active",
                                           resources="Sociālais darbinieks, skola, ģimenes ārsts."))
        for kind, text in (("client", "Reģistrēties NVA un apmeklēt konsultācijas."),
                           ("worker", "Organizēt tikšanos ar skolas sociālo pedagogu."),
                           ("institution", "Ģimenes ārsts pārbauda bērnu veselības stāvokli.")):
            done = rng.random() < 0.4
            rows[PlanTask].append(dict(id=self.ids(), plan_id=plan, case_id=case, client_id=client, goal_id=goal,
                                       description=text,
                                       responsible_kind=kind, responsible_user_id=worker if kind == "worker" else None,
                                       expected_result="Uzdevums izpildīts un dokumentēts.",
                                       deadline=today + dt.timedelta(days=rng.randrange(-30, 90)),
                                       status="done" if done else "open", done_on=today - dt.timedelta(days=3) if done else None))
        agreement = self.ids()
        rows[Agreement].append(dict(id=agreement, client_id=client, case_id=case, concluded_on=opened + dt.timedelta(days=20),
                                    valid_from=opened + dt.timedelta(days=20), valid_to=opened + dt.timedelta(days=200),
                                    status="signed", client_signed=True,
                                    text="Klients apņemas pildīt individuālos līdzdarbības pienākumus."))
        for text in ("Reizi mēnesī ierasties uz konsultāciju sociālajā dienestā.",
                     "Nodrošināt, ka bērni apmeklē skolu katru dienu."):
            rows[AgreementDuty].append(dict(id=self.ids(), agreement_id=agreement, description=text, goal_id=goal,
                                            deadline=today + dt.timedelta(days=60),
                                            fulfilment=rng.choice(["pending", "fulfilled", "not_fulfilled"]),
                                            evidence="Apmeklējumu reģistrs."))
        for i in range(rng.randrange(1, 5)):
            # open cases have recent contacts (about one in a hundred has none for months)
            recent = i == 0 and not closed and rng.random() < 0.99
            when = dt.datetime.combine(today - dt.timedelta(days=rng.randrange(1, 60) if recent else rng.randrange(1, 300)),
                                       dt.time(9 + i, 15),
                                       tzinfo=dt.timezone.utc)
            rows[JournalEntry].append(dict(id=self.ids(), client_id=client, case_id=case, occurred_at=when,
                                           kind=rng.choice(["consultation", "phone", "meeting", "cooperation"]),
                                           duration_minutes=rng.choice([15, 30, 45, 60]),
                                           topic=rng.choice(names.CONSULTATION_TOPICS),
                                           text="Klients informēts par iespējām; vienojāmies par nākamajiem soļiem.",
                                           worker_user_id=worker))

    def child_protection(self, rows, client, worker) -> None:
        """A flagged contact and its reporting tasks, as the services make them: the first already reported,
        the second overdue (what the worker sees first on the Today screen)."""
        self.flagged += 1
        day = self.today - dt.timedelta(days=2 if self.flagged == 2 else 20)
        entry = self.ids()
        rows[JournalEntry].append(dict(id=entry, client_id=client, kind="phone", duration_minutes=15,
                                       occurred_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone.utc),
                                       topic="Skolas ziņojums par zilumiem bērnam", worker_user_id=worker,
                                       flags=["suspected_abuse"], text="Skolotāja ziņo par zilumiem uz bērna rokām."))
        due = calendar().add_working_days(day, 1)
        for origin, text in (("cp_report:orphans_court", "Ziņot bāriņtiesai"), ("cp_report:police",
                                                                                 "Ziņot Valsts policijai")):
            done = self.flagged == 1
            rows[PlanTask].append(dict(
                id=self.ids(), client_id=client, description=f"{text}: aizdomas par vardarbību pret bērnu vai bērna "
                f"pamešanu novārtā ({day.strftime('%d.%m.%Y')}).", responsible_kind="worker",
                responsible_user_id=worker, deadline=due, status="done" if done else "open",
                done_on=due if done else None, result="Ziņojums nosūtīts." if done else None, origin=origin,
                source_entity="journal_entries", source_id=entry))

    def visit(self, rows, client, household, worker) -> None:
        rng, today = self.rng, self.today
        status = rng.choice(["planned", "in_progress", "signed", "signed"])
        visit = self.ids()
        day = today + dt.timedelta(days=rng.randrange(1, 21)) if status == "planned" else today - dt.timedelta(days=rng.randrange(1, 200))
        signed = status == "signed"
        at = dt.datetime.combine(day, dt.time(11, 0), tzinfo=dt.timezone.utc)
        rows[HomeVisit].append(dict(
            id=visit, client_id=client, household_id=household, template_id="home_visit_family", template_version=1,
            planned_on=day, visited_at=None if status == "planned" else at,
            purpose="Novērtēt dzīves apstākļus un bērnu aprūpi.", participants="Sociālā darbiniece, klients",
            status=status, findings="Mājoklis ir silts un tīrs; ledusskapī ir pārtika." if signed else None,
            risks="Apkures parāds." if signed else None,
            recommendations="Pieteikties mājokļa pabalstam." if signed else None,
            client_signature="signed" if signed else None, signed_at=at if signed else None,
            signed_by_user_id=worker if signed else None, worker_user_id=worker))
        if status == "planned":
            return
        if rng.random() < 0.97:  # the visit is registered in the journal (the report lists the rest)
            rows[JournalEntry].append(dict(id=self.ids(), client_id=client, occurred_at=at, kind="visit",
                                           duration_minutes=rng.choice([45, 60, 90]),
                                           topic="Apsekošana dzīvesvietā", worker_user_id=worker,
                                           text="Apsekoti dzīves apstākļi; sastādīts apsekošanas akts."))
        answered = self.visit_questions if signed else self.visit_questions[: len(self.visit_questions) // 2]
        for question in answered:
            rows[HomeVisitAnswer].append(dict(id=self.ids(), visit_id=visit, question_id=question["id"],
                                              value=self.answer(question), visit_signed=signed))

    def answer(self, question: dict) -> str:
        kind = question["kind"]
        if kind == "yes_no":
            return self.rng.choice(["yes", "yes", "no"])
        if kind == "scale_1_5":
            return str(self.rng.randrange(2, 6))
        if kind == "choice":
            return self.rng.choice([o["id"] if isinstance(o, dict) else o for o in question["options"]])
        return "Bez piezīmēm."

    def assessments(self, rows, client, worker) -> None:
        rng = self.rng
        previous = {d: rng.randrange(1, 5) for d in self.assessment_domains}
        for months_ago, scores in ((7, previous), (1, {d: min(5, s + rng.choice([0, 0, 1])) for d, s in previous.items()})):
            rows[Assessment].append(dict(id=self.ids(), client_id=client, kind="functional",
                                         template_id="functional_assessment", template_version=1,
                                         assessed_on=add_months(self.today, -months_ago), scores=scores,
                                         summary="Funkcionālais novērtējums.", status="final", assessor_user_id=worker))

    def family_assessments(self, rows, client, worker) -> None:
        """Most families with children have a risk assessment (about half with the one made half a year before,
        which their chart overlays; a few of the latest still drafts) and a basic-needs assessment."""
        rng = self.family_rng
        if rng.random() >= 0.6:
            return
        levels = [1, 2, 3, 4, 5]
        risk = {d: rng.choices(levels, [30, 30, 22, 12, 6])[0] for d in self.risk_domains}
        made = []
        if rng.random() < 0.5:  # risk was higher half a year ago
            made.append(("risk", 7, {d: min(5, s + rng.choice([0, 0, 1])) for d, s in risk.items()}, "final",
                         "Ģimenē konstatēti vairāki riska faktori; sastādīts sociālās rehabilitācijas plāns."))
        made.append(("risk", 1, risk, "draft" if rng.random() < 0.15 else "final",
                     "Riska faktori novērtēti kopā ar ģimeni; atkārtoti novērtēt pēc sešiem mēnešiem."))
        made.append(("basic_needs", 1, {d: rng.choices(levels, [5, 10, 25, 35, 25])[0] for d in self.needs_domains},
                     "final", "Pamatvajadzības lielākoties nodrošinātas; apkures sezonai vajadzīgs atbalsts malkas "
                     "iegādei."))
        for kind, months_ago, scores, status, summary in made:
            template = "risk_assessment" if kind == "risk" else "basic_needs_assessment"
            rows[Assessment].append(dict(id=self.family_ids(), client_id=client, kind=kind, template_id=template,
                                         template_version=1, assessed_on=add_months(self.today, -months_ago),
                                         scores=scores, summary=summary, status=status, assessor_user_id=worker))

    def application(self, rows, client, person, household, size, working_age, worker) -> None:
        rng, today = self.rng, self.today
        state = rng.choice(["registered"] + DECISION_STATES)
        # undecided applications are recent: about one in forty is past its deadline
        late = rng.random() < 0.025
        received = today - dt.timedelta(days=rng.randrange(0, 25) if state != "issued" and not late
                                        else rng.randrange(12, 70))
        application = self.ids()
        benefit = rng.choice(names.BENEFITS)
        rows[Application].append(dict(
            id=application, client_id=client, applicant_person_id=person,
            received_on=received,
            channel=rng.choice(["in_person", "in_person", "post", "email"]), benefit_code=benefit,
            request_text="Lūdzu piešķirt pabalstu.", status="decided" if state == "issued" else "in_review",
            decision_due=decision_due(None, benefit, received), handled_by_user_id=worker))
        income = rng.randrange(0, 90000)
        rows[MeansTest].append(dict(id=self.ids(), application_id=application, household_id=household,
                                    performed_on=received + dt.timedelta(days=3), household_size=size,
                                    working_age_members=working_age, income_cents=income,
                                    result="needy" if income < 42500 else "low_income" if income < 68000 else "none"))
        if income < 68000 and rng.random() < 0.6:
            start = received.replace(day=1)
            rows[HouseholdStatus].append(dict(id=self.ids(), household_id=household,
                                              status="needy" if income < 42500 else "low_income", valid_from=start,
                                              valid_to=add_months(start, 3 if working_age else 6) - dt.timedelta(days=1)))
        if state == "registered":
            return
        refusal = rng.random() < 0.2
        decision = self.ids()
        issued = state == "issued"
        rows[Decision].append(dict(
            id=decision, application_id=application, client_id=client, kind="refusal" if refusal else "grant",
            status=state, benefit_code=benefit, amount_cents=None if refusal else rng.randrange(5000, 40000),
            period_from=None if refusal else received, period_to=None if refusal else add_months(received, 3),
            request_summary="Iesniegums par pabalsta piešķiršanu.", facts="Mājsaimniecības ienākumi novērtēti.",
            participants_views="Iesniedzējs uzskata, ka pabalsts ir nepieciešams." if refusal else None,
            reasons="Ienākumi pārsniedz slieksni." if refusal else "Atbilst saistošo noteikumu prasībām.",
            legal_basis=["Sociālo pakalpojumu un sociālās palīdzības likuma 33. panta pirmā daļa"],
            operative_part="Atteikt piešķirt pabalstu." if refusal else "Piešķirt pabalstu.",
            appeal_body="Priedkalnes novada pašvaldības domē", appeal_term="viena mēneša laikā no spēkā stāšanās dienas",
            drafted_by_user_id=worker, approved_by_user_id=self.head if state in ("approved", "issued") else None,
            signed_at=dt.datetime.combine(min(received + dt.timedelta(days=10), today), dt.time(12),
                                          tzinfo=dt.timezone.utc)
            if state in ("approved", "issued") else None,
            issued_on=received + dt.timedelta(days=11) if issued else None,
        ))
        def step(days: int, hour: int) -> dt.datetime:  # approval steps a few days apart, never in the future
            return dt.datetime.combine(min(received + dt.timedelta(days=days), today), dt.time(hour),
                                       tzinfo=dt.timezone.utc)

        if state != "draft":
            rows[DecisionApproval].append(dict(id=self.ids(), decision_id=decision, action="submitted",
                                               by_user_id=worker, at=step(5, 9)))
        if state == "returned":
            rows[DecisionApproval].append(dict(id=self.ids(), decision_id=decision, action="returned",
                                               by_user_id=self.head, at=step(6, 10),
                                               comment="Lūdzu papildināt faktu izklāstu."))
        if state in ("approved", "issued"):
            rows[DecisionApproval].append(dict(id=self.ids(), decision_id=decision, action="approved",
                                               by_user_id=self.head, at=step(10, 11)))
        if issued and benefit in ("gmi_benefit", "housing_benefit") and not refusal and rng.random() < 0.97:
            start = received - dt.timedelta(days=rng.randrange(0, 30))  # co-operation duties of the recipient
            agreement = self.ids()
            rows[Agreement].append(dict(id=agreement, client_id=client, concluded_on=start, valid_from=start,
                                        valid_to=add_months(start, 6), status="signed", client_signed=True,
                                        text="Līdzdarbības pienākumi pabalsta saņēmējam."))
            rows[AgreementDuty].append(dict(id=self.ids(), agreement_id=agreement,
                                            description="Reģistrēties NVA un piedalīties aktīvās nodarbinātības "
                                                        "pasākumos.", deadline=start + dt.timedelta(days=30),
                                            fulfilment="pending"))
        if issued and rng.random() < 0.97:
            sent = received + dt.timedelta(days=12)
            rows[DecisionNotification].append(dict(id=self.ids(), decision_id=decision, recipient_person_id=person,
                                                   channel="registered_post" if refusal else "post",
                                                   registered_on=sent, sent_on=sent,
                                                   deemed_notified_on=sent + dt.timedelta(days=7 if refusal else 8)))


def _staff_records(session, gen: _Generator, new_users: list[dict]) -> None:
    """A year of supervision and training for newly made staff (one of them behind schedule) and a small
    complaints register with one answer overdue — what the service reports show."""
    rng, today = gen.rng, gen.today
    rows: dict[type, list[dict]] = defaultdict(list)
    start = dt.date(today.year, 1, 1)
    days = (today - start).days
    for index, user in enumerate(new_users):
        behind = index == 1
        sessions = max(0, round(10 * days / 365) - (3 if behind else 0))
        for n in range(sessions):
            rows[SupervisionRecord].append(dict(id=gen.ids(), user_id=user["id"], kind=rng.choice(["group", "individual"]),
                                                held_on=start + dt.timedelta(days=n * days // max(sessions, 1)),
                                                hours=1.5, supervisor="Supervizore Inga Kalna"))
        hours = 0.0
        while hours < 24 * days / 365 - (10 if behind else 0):
            rows[TrainingRecord].append(dict(id=gen.ids(), user_id=user["id"], title=rng.choice(names.TRAININGS),
                                             held_on=start + dt.timedelta(days=rng.randrange(0, max(days, 1))),
                                             provider="Sociālo darbinieku biedrība", hours=6.0))
            hours += 6.0
    for n, (kind, channel, text, answered) in enumerate((
            ("complaint", "oral", "Klients sūdzas par ilgu gaidīšanu rindā pie sociālā darbinieka.", True),
            ("suggestion", "written", "Ierosinājums pieņemt apmeklētājus arī sestdienās.", True),
            ("complaint", "email", "Sūdzība par atteikumu piešķirt transporta kompensāciju.", False))):
        received = today - dt.timedelta(days=[60, 20, 45][n])
        rows[Complaint].append(dict(id=gen.ids(), received_on=received, channel=channel, kind=kind, text=text,
                                    status="answered" if answered else "open",
                                    answer="Atbildēts rakstiski; situācija izvērtēta." if answered else None,
                                    answered_on=received + dt.timedelta(days=12) if answered else None,
                                    recorded_by_user_id=new_users[0]["id"] if new_users else None))
    for model in (SupervisionRecord, TrainingRecord, Complaint):
        outbox.record_bulk_inserts(session, model, rows[model])


def _ensure_parishes_and_workers(ctx: Context, gen: _Generator) -> tuple[list, list[uuid.UUID], uuid.UUID]:
    with ctx.write() as session:
        parishes = session.execute(select(Parish.id, Parish.name).where(Parish.municipality == names.MUNICIPALITY)).all()
        if not parishes:
            rows = [dict(id=gen.ids(), name=p, municipality=names.MUNICIPALITY, code=f"P{i + 1:02d}")
                    for i, (p, _v, _c) in enumerate(names.PARISHES)]
            outbox.record_bulk_inserts(session, Parish, rows)
            parishes = [(r["id"], r["name"]) for r in rows]
        by_name = {p[0]: p for p in names.PARISHES}
        parishes = [(pid, by_name[name]) for pid, name in parishes]
        existing = {u.login: u for u in session.scalars(select(User))}
        new = [dict(id=gen.ids(), login=login, display_name=display, roles=roles,
                    parish_ids=[str(parishes[i % len(parishes)][0])])
               for i, (login, display, roles) in enumerate(names.WORKERS) if login not in existing]
        outbox.record_bulk_inserts(session, User, new)
        if new:
            _staff_records(session, gen, new)
        users = {**{u.login: (u.id, u.roles) for u in existing.values()}, **{r["login"]: (r["id"], r["roles"]) for r in new}}
    workers = [uid for uid, roles in users.values()  # the person at the keyboard gets exactly 25 (below)
               if {"social_worker", "assistance_organiser"} & set(roles) and uid != ctx.user_id]
    head = next(uid for uid, roles in users.values() if "head" in roles)
    return parishes, workers, head


def _number(session, ctx: Context, rows: dict[type, list[dict]]) -> None:
    """Registration numbers from this device's blocks, as the services give them; then the issued decisions'
    content hashes, which cover the number."""
    series = (numbers.series_for("application", session), numbers.series_for("decision", session))
    for model, key, date_key, name in ((Application, "registration_number", "received_on", series[0]),
                                       (Decision, "number", "issued_on", series[1])):
        by_year: dict[int, list[dict]] = defaultdict(list)
        for row in rows.get(model, []):
            if row.get(date_key) is not None:
                by_year[row[date_key].year].append(row)
        for year, year_rows in sorted(by_year.items()):
            year_rows.sort(key=lambda r: r[date_key])
            for row, number in zip(year_rows, numbers.take_numbers(session, ctx.store.device_id, name, year,
                                                                   len(year_rows))):
                row[key] = number
    for row in rows.get(Decision, []):
        if row["status"] == "issued":  # the same hash an issued decision gets from the services
            row["content_hash"] = content_hash(Decision(**{k: v for k, v in row.items() if k != "content_hash"}))


def seed_demo(ctx: Context, clients: int, *, seed: int = 1, today: dt.date | None = None,
              progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Add ``clients`` demo clients (with households, cases, visits, applications…) to the store."""
    if clients < 0:
        raise ValueError("clients must not be negative")
    gen = _Generator(ctx, seed, today or ctx.today())
    parishes, workers, gen.head = _ensure_parishes_and_workers(ctx, gen)
    caseload = 25 if ctx.user_id and ctx.has_role("social_worker", "assistance_organiser", "head") else 0
    given = [0]

    def caseload_user() -> uuid.UUID | None:  # the person at the keyboard gets a realistic caseload of 25
        if given[0] < caseload:
            given[0] += 1
            return ctx.user_id
        return None

    with ctx.read() as session:
        gen.search_rowid = session.scalar(select(func.coalesce(func.max(Person.search_rowid), 0)))
    persons = rows_total = done = 0
    while done < clients:
        rows: dict[type, list[dict]] = defaultdict(list)
        for _ in range(min(BATCH, clients - done)):
            gen.client(rows, parishes, workers, caseload_user)
        with ctx.write() as session:
            _number(session, ctx, rows)
            for model in INSERT_ORDER:
                rows_total += outbox.record_bulk_inserts(session, model, rows.get(model, []))
        persons += len(rows[Person])
        done += min(BATCH, clients - done)
        if progress:
            progress(done, clients)
    return DemoSummary(clients=clients, persons=persons, rows=rows_total)
