"""A well-kept parish service, built through the real app services, that every inspection test starts from.

Today is Monday 23 November 2026. Anna (social worker) and Ilze (head of service) follow every rule: each
contact is in the journal, the case has its functional assessment, analysis and plan, the adult recipient of
a housing benefit has a co-operation agreement, every decision is signed and notified (a ward's decision to
him and his guardian), the restricted file and its case belong to Anna, supervision and training are on
schedule, complaints are answered. A test adds exactly one violation and asks the report to find it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text

from app import assistance, audit, cases, decisions, people, records, users, visits
from app.context import Context
from app.decisions import DecisionInput
from app.people import PersonInput
from storage.models import Parish
from storage.store import Store

TODAY = dt.date(2026, 11, 23)
HEAD_PASSPHRASE = "Vadītāja-parole-2026"
WORKER_PASSPHRASE = "Mara-parole-2026!"
LEGAL_BASIS = ["Sociālo pakalpojumu un sociālās palīdzības likuma 35. panta ceturtā daļa"]
CHECKLIST = {
    "housing_adequate": "yes", "food": 4, "clothing": 3, "health_care": "yes", "education": "yes",
    "hygiene_kitchen": 3, "hygiene_bedroom": 4, "hygiene_living_room": 4, "water": "yes", "electricity": "yes",
    "heating": "stove", "child_threats": "no", "emotional_relations": 4,
}
SCORES = {"self_care": 4, "mobility": 3, "household": 3, "health": 2, "finances": 2, "social_contacts": 4,
          "housing": 3, "employment": 1}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def noon(on: dt.date) -> dt.datetime:
    return dt.datetime(on.year, on.month, on.day, 12, 0, tzinfo=dt.timezone.utc)


def at(ctx: Context, on: dt.date | str) -> Context:
    """The same user on the same store, on another day (a signature's time is that day's noon)."""
    on = day(on) if isinstance(on, str) else on
    return Context(ctx.store, today=lambda: on, clock=lambda: noon(on))


def raw_sql(ctx: Context, statement: str, **params) -> None:
    """Change rows behind the services' back, as only a damaged file or a tampering hand could (ids as hex)."""
    values = {key: value.hex if isinstance(value, uuid.UUID) else value for key, value in params.items()}
    with ctx.write() as session:
        session.execute(text(statement), values)


def found(report, check_id: str) -> list[tuple[str, uuid.UUID]]:
    """(entity, record id) of every finding of one check."""
    return [(finding.entity, finding.record_id) for finding in report.check(check_id).findings]


def grant(benefit: str, amount: str = "120,50") -> DecisionInput:
    return DecisionInput(kind="grant", amount=amount, benefit_code=benefit, legal_basis=LEGAL_BASIS,
                         request_summary="Lūgums piešķirt pabalstu.",
                         facts="Mājsaimniecībai ir trūcīgas mājsaimniecības statuss.",
                         operative_part=f"Piešķirt pabalstu {amount} EUR apmērā.")


@dataclass
class World:
    ctx: Context  # Anna: social worker (and administrator of the laptop)
    head: Context  # Ilze: head of service
    data_dir: object
    parish: uuid.UUID = None
    ids: dict[str, uuid.UUID] = field(default_factory=dict)
    _opened: list[Store] = field(default_factory=list)

    # -- building blocks -------------------------------------------------------------------------------------
    def client(self, given: str, surname: str, *, code: str | None = None, birth: str | None = None,
               gender: str = "female", groups: tuple[str, ...] = (), registered: str = "2026-01-10",
               as_ctx: Context | None = None, **options) -> uuid.UUID:
        ctx = as_ctx or self.ctx
        person = people.create_person(ctx, PersonInput(given, surname, personal_code=code, birth_date=birth,
                                                       gender=gender, parish_id=self.parish,
                                                       address="„Liepas”, Ērgļu pag., Ērgļu nov., LV-4840"))
        return people.register_client(ctx, person, client_type="voluntary", target_groups=list(groups),
                                      registered_on=registered, **options)

    def person_of(self, client_id: uuid.UUID) -> uuid.UUID:
        return people.get_client(self.head, client_id)[0].person_id

    def well_kept_case(self, client: uuid.UUID, opened: str, *, as_ctx: Context | None = None,
                       assessment: str | None = None, plan: str | None = None, analysis: bool = True) -> uuid.UUID:
        """A case with its analysis, a final functional assessment and an active plan (each optional)."""
        ctx = as_ctx or self.ctx
        case = cases.open_case(ctx, client, reason="Klienta iesniegums", opened_on=opened)
        if analysis:
            cases.set_problem_and_diagnosis(ctx, case, "Trūkst ienākumu.", diagnosis="Ilgstošs bezdarbs.")
        if assessment:
            visits.record_assessment(ctx, client, "functional_assessment", SCORES, assessment, case_id=case,
                                     finalise=True)
        if plan:
            cases.add_goal(ctx, case, "Klients atrod darbu")
            cases.create_plan(ctx, case, plan, resources="NVA, ģimenes ārsts")
        return case

    def contact(self, client: uuid.UUID, on: str, *, case: uuid.UUID | None = None, minutes: int | None = 45,
                as_ctx: Context | None = None) -> uuid.UUID:
        on_day = day(on)
        return cases.record_journal_entry(as_ctx or self.ctx, client, occurred_at=noon(on_day) - dt.timedelta(hours=2),
                                          kind="consultation", topic="Konsultācija", duration_minutes=minutes,
                                          case_id=case)

    def home_visit(self, client: uuid.UUID, on: str, *, case: uuid.UUID | None = None) -> uuid.UUID:
        on_day = day(on)
        visit = visits.plan_home_visit(self.ctx, client, on_day, "Novērtēt sadzīves apstākļus",
                                       "home_visit_family", case_id=case)
        visits.start_visit(self.ctx, visit, visited_at=noon(on_day) - dt.timedelta(hours=3))
        for question, value in CHECKLIST.items():
            visits.save_answer(self.ctx, visit, question, value)
        visits.set_findings(self.ctx, visit, "Mājoklis sakopts, apkure ir.")
        visits.sign_visit(self.ctx, visit, "signed")
        return visit

    def issued(self, client: uuid.UUID, data: DecisionInput, on: str, *,
               application: uuid.UUID | None = None) -> uuid.UUID:
        """Drafted by Anna, approved and signed by Ilze, issued — all on ``on``."""
        worker, head = at(self.ctx, on), at(self.head, on)
        decision = decisions.draft_decision(worker, client, data, application_id=application)
        decisions.submit_decision(worker, decision)
        decisions.approve_and_sign(head, decision)
        decisions.issue_decision(worker, decision, on)
        return decision

    def notify(self, decision: uuid.UUID, person: uuid.UUID, on: str) -> uuid.UUID:
        return decisions.record_notification(self.ctx, decision, person, "in_person", received_on=on)

    def agreement(self, client: uuid.UUID, valid_from: str, signed: str) -> uuid.UUID:
        agreement = cases.create_agreement(self.ctx, client, valid_from, text="Līdzdarbības līgums")
        cases.add_duty(self.ctx, agreement, "Reģistrēties NVA kā bezdarbniekam", deadline=signed)
        cases.sign_agreement(self.ctx, agreement, signed)
        return agreement

    def staff_on_schedule(self, user_id: uuid.UUID, *, sessions: int = 8, training: tuple[str, ...] = ("12", "10"),
                          recorder: Context | None = None) -> None:
        """Monthly supervision from January and training hours (8 sessions and 22 hours are due by today)."""
        recorder = recorder or self.head
        for month in range(1, sessions + 1):
            records.record_supervision(recorder, user_id, dt.date(2026, month, 15), "group", "2")
        for index, hours in enumerate(training):
            records.record_training(recorder, user_id, dt.date(2026, 3 + index, 10), "Gadījuma vadīšana", hours)

    def worker(self, login: str, name: str, roles: list[str]) -> Context:
        """Another member of staff unlocking the same laptop."""
        users.add_user(self.ctx, login, WORKER_PASSPHRASE, display_name=name, roles=roles)
        store = Store.open(self.data_dir, login, WORKER_PASSPHRASE)
        self._opened.append(store)
        return Context(store, today=lambda: TODAY, clock=lambda: noon(TODAY))

    def close(self) -> None:
        for store in self._opened:
            if not store.locked:
                store.lock()

    # -- the well-kept service -----------------------------------------------------------------------------------
    def build(self) -> World:
        with self.ctx.write() as session:
            parish = Parish(name="Ērgļu pagasts", municipality="Ērgļu novads")
            session.add(parish)
            session.flush()
            self.parish = parish.id
        ids = self.ids
        ids["anna"], ids["ilze"] = self.ctx.user_id, self.head.user_id
        self.staff_on_schedule(ids["anna"], recorder=self.ctx)
        self.staff_on_schedule(ids["ilze"])

        liga = ids["liga"] = self.client("Līga", "Ozoliņa", code="050385-12347", groups=("family_with_children",))
        case = ids["liga_case"] = self.well_kept_case(liga, "2026-02-01", assessment="2026-02-10", plan="2026-02-15")
        ids["liga_contact"] = self.contact(liga, "2026-11-10", case=case, minutes=60)
        ids["liga_visit"] = self.home_visit(liga, "2026-11-10", case=case)
        application = ids["liga_application"] = assistance.register_application(
            self.ctx, liga, "2026-10-01", "in_person", "housing_benefit", "Lūdzu piešķirt mājokļa pabalstu.")
        ids["liga_agreement"] = self.agreement(liga, "2026-10-01", "2026-10-10")
        decision = ids["liga_decision"] = self.issued(liga, grant("housing_benefit"), "2026-10-15",
                                                      application=application)
        self.notify(decision, self.person_of(liga), "2026-10-16")

        guardian = people.create_person(self.ctx, PersonInput("Pēteris", "Kalns", birth_date="1975-06-01",
                                                              address="Rīgas iela 5, Ērgļi, LV-4840"))
        janis = ids["janis"] = self.client("Jānis", "Kalns", birth="1950-04-12", gender="male",
                                           groups=("pensioner", "functional_impairment"), capacity_limited=True,
                                           legal_representative_id=guardian, representative_kind="guardian")
        ids["guardian"] = guardian
        decision = ids["janis_decision"] = self.issued(janis, grant("crisis_benefit", "200,00"), "2026-11-02")
        self.notify(decision, self.person_of(janis), "2026-11-03")
        decisions.record_notification(self.ctx, decision, guardian, "registered_post", sent_on="2026-11-03")

        inga = ids["inga"] = self.client("Inga", "Bērziņa", code="290204-25170", groups=("violence_victim",),
                                         restricted=True)
        ids["inga_case"] = cases.open_case(self.ctx, inga, reason="Vardarbība ģimenē", opened_on="2026-11-20")
        audit.record(self.ctx, "open_client", client_id=inga)
        audit.record(self.head, "print", client_id=inga)

        ids["complaint_answered"] = records.register_complaint(self.ctx, "2026-10-01", "oral", "Ilgi jāgaida rindā.")
        records.answer_complaint(self.ctx, ids["complaint_answered"], "Pieņemšanas laiki pagarināti.", "2026-10-20")
        ids["complaint_open"] = records.register_complaint(self.ctx, "2026-11-15", "written", "Lūdzu pagarināt "
                                                           "pieņemšanas laiku.", kind="suggestion")
        return self
