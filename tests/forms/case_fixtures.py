"""A family and a social case as the services make them, for the case documents: Ērika Šķēle-Ģīle with her
parents (her father deceased), a brother, a former husband and their two children, her partner and their three
children living with her; an open case with two goals, an intervention plan with tasks for the worker, the
client and the school, and a co-operation agreement. Also the same family as plain genogram data (no store)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app import cases, people, records, users
from app.people import PersonInput
from forms.genogram import GenogramData, Member, Tie
from storage.models import Client, Person, Relation
from storage.store import Store
from tests.app.test_assistance import fixed_context

__all__ = ["family", "casework", "colleague", "three_generations", "set_row"]

PLAN_NOTES = "Plānu pārskatīt kopā ar skolu un ģimenes ārstu."
RESOURCES = "Skolas sociālais pedagogs; ģimenes ārsts; radinieki – Ērikas māte Ilga."
GOALS = ("Bērni katru dienu apmeklē skolu", "Ģimene nomaksā apkures parādu")
TASKS = ("Sazināties ar skolas sociālo pedagogu", "Katru rītu pavadīt bērnus uz skolas autobusu",
         "Ziņot sociālajam dienestam par kavējumiem", "Pieteikties mājokļa pabalstam")
DUTIES = ("Reizi mēnesī ierasties uz konsultāciju Sociālajā dienestā", "Reģistrēties NVA kā bezdarbniecei")
SCHOOL = "Ļaudonas pamatskola"


def set_row(ctx, model, row_id, **values):
    """Change stored values the services have no use-case for (a tombstone, an end date, a draft status)."""
    with ctx.write() as session:
        row = session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)


@pytest.fixture
def family(ctx, erika):
    """Ids of the family around the client ``erika`` (by first name), stored through the services."""
    with ctx.read() as session:
        ids = {"Ērika": session.get(Client, erika).person_id}

    def person(given, surname, born, gender):
        ids[given] = people.create_person(ctx, PersonInput(given, surname, birth_date=born, gender=gender))
        return ids[given]

    person("Voldemārs", "Ķēniņš", "1950-05-14", "male")
    person("Ilga", "Ķēniņa", "1953-08-02", "female")
    person("Aivars", "Ķēniņš", "1983-01-30", "male")
    person("Jānis", "Šķēle", "1976-11-11", "male")
    person("Pēteris", "Ģīle", "1978-04-21", "male")
    for given, surname, born, gender in (("Anna", "Šķēle", "2002-02-02", "female"),
                                         ("Kārlis", "Šķēle", "2005-06-06", "male"),
                                         ("Līga", "Ģīle", "2012-09-01", "female"),
                                         ("Oskars", "Ģīle", "2015-03-15", "male"),
                                         ("Marta", "Ģīle", "2019-12-24", "female")):
        person(given, surname, born, gender)
    set_row(ctx, Person, ids["Voldemārs"], deceased_on=dt.date(2018, 1, 9))
    relate = people.add_relation
    relate(ctx, ids["Voldemārs"], ids["Ilga"], "spouse")
    for child in ("Ērika", "Aivars"):
        relate(ctx, ids["Voldemārs"], ids[child], "parent")
        relate(ctx, ids["Ilga"], ids[child], "parent")
    relate(ctx, ids["Ērika"], ids["Jānis"], "spouse", since="2000-07-01")
    with ctx.write() as session:  # the marriage ended: both directions carry the end date
        for relation in session.query(Relation).filter(Relation.kind == "spouse", Relation.person_id.in_(
                [ids["Ērika"], ids["Jānis"]]), Relation.related_person_id.in_([ids["Ērika"], ids["Jānis"]])):
            relation.until = dt.date(2009, 3, 1)
    relate(ctx, ids["Ērika"], ids["Pēteris"], "cohabitant", since="2011-01-01")
    for child in ("Anna", "Kārlis"):
        relate(ctx, ids["Ērika"], ids[child], "parent")
        relate(ctx, ids[child], ids["Jānis"], "child")
    for child in ("Līga", "Oskars", "Marta"):
        relate(ctx, ids["Ērika"], ids[child], "parent")
        relate(ctx, ids["Pēteris"], ids[child], "parent")
    ids["household"] = people.create_household(
        ctx, members=[ids[name] for name in ("Ērika", "Pēteris", "Līga", "Oskars", "Marta")], head=ids["Ērika"],
        address="„Ūdriņas”, Ļaudonas pag., Madonas nov.")
    return ids


@pytest.fixture
def casework(ctx, erika):
    """An open case in planning with goals, an active plan (one task done) and a signed agreement."""
    case = cases.open_case(ctx, erika, reason="Skola ziņo, ka bērni bieži kavē stundas.", opened_on="2026-10-01")
    cases.set_problem_and_diagnosis(ctx, case, "Bērni neapmeklē skolu regulāri.",
                                    diagnosis="Mātei trūkst atbalsta un ienākumu.")
    goals = [cases.add_goal(ctx, case, GOALS[0], target_date="2027-01-31"),
             cases.add_goal(ctx, case, GOALS[1], target_date="2027-02-28")]
    plan = cases.create_plan(ctx, case, "2026-10-15", valid_to="2027-04-15", resources=RESOURCES, notes=PLAN_NOTES)
    school = records.add_institution(ctx, SCHOOL, "school")
    tasks = [
        cases.add_task(ctx, TASKS[0], deadline="2026-11-20", responsible_kind="worker", plan_id=plan,
                       goal_id=goals[0], expected_result="Vienošanās par apmeklējuma uzraudzību"),
        cases.add_task(ctx, TASKS[1], deadline="2026-12-31", responsible_kind="client", plan_id=plan,
                       goal_id=goals[0], expected_result="Neattaisnotu kavējumu nav"),
        cases.add_task(ctx, TASKS[2], deadline="2026-12-18", responsible_kind="institution", institution_id=school,
                       plan_id=plan, goal_id=goals[0], expected_result="Iknedēļas ziņa"),
        cases.add_task(ctx, TASKS[3], deadline="2026-12-15", responsible_kind="client", plan_id=plan,
                       goal_id=goals[1], expected_result="Iesniegums reģistrēts"),
    ]
    cases.complete_task(ctx, tasks[0], "2026-11-19", "Skola ziņos katru piektdienu.")
    agreement = cases.create_agreement(ctx, erika, "2026-11-01", valid_to="2027-04-30", case_id=case,
                                       text="Līdzēji sadarbojas, lai bērni regulāri apmeklētu skolu.")
    cases.add_duty(ctx, agreement, DUTIES[0], deadline="2027-04-30", goal_id=goals[0])
    cases.add_duty(ctx, agreement, DUTIES[1], deadline="2026-12-15")
    cases.sign_agreement(ctx, agreement, "2026-11-20")
    return {"case": case, "goals": goals, "plan": plan, "tasks": tasks, "agreement": agreement, "school": school}


@pytest.fixture
def colleague(ctx, data_dir):
    """Juris, another social worker on the same laptop (a restricted file of Anna's is not his to see)."""
    users.add_user(ctx, "juris", "Jura-parole-2026!", display_name="Juris Bērziņš", roles=["social_worker"])
    opened = Store.open(data_dir, "juris", "Jura-parole-2026!")
    yield fixed_context(opened)
    opened.lock()


def three_generations() -> GenogramData:
    """The same family as plain data: 3 generations, 2 partners of the client, 5 children (no store needed)."""
    def uid(n: int) -> uuid.UUID:
        return uuid.UUID(int=n)

    people_ = [(1, "Ērika", "Šķēle-Ģīle", "female", 1979, None, True),
               (2, "Jānis", "Šķēle", "male", 1976, None, False), (3, "Pēteris", "Ģīle", "male", 1978, None, True),
               (4, "Anna", "Šķēle", "female", 2002, None, False), (5, "Kārlis", "Šķēle", "male", 2005, None, False),
               (6, "Līga", "Ģīle", "female", 2012, None, True), (7, "Oskars", "Ģīle", "male", 2015, None, True),
               (8, "Marta", "Ģīle", "female", 2019, None, True),
               (9, "Voldemārs", "Ķēniņš", "male", 1950, 2018, False),
               (10, "Ilga", "Ķēniņa", "female", 1953, None, False), (11, "Aivars", "Ķēniņš", "male", 1983, None, False)]
    members = {uid(n): Member(uid(n), given, surname, gender, dt.date(born, 6, 1),
                              dt.date(died, 1, 9) if died else None, household=home)
               for n, given, surname, gender, born, died, home in people_}
    ties = [Tie(uid(1), "spouse", uid(2), dt.date(2009, 3, 1)), Tie(uid(1), "cohabitant", uid(3)),
            Tie(uid(9), "spouse", uid(10))]
    ties += [Tie(uid(parent), "parent", uid(child)) for parent, children in ((1, (4, 5, 6, 7, 8)), (2, (4, 5)),
                                                                           (3, (6, 7, 8)), (9, (1, 11)), (10, (1, 11)))
             for child in children]
    return GenogramData(uid(1), members, ties)
