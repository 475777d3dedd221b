import datetime as dt

import pytest
from sqlalchemy import func, select

from app import people
from app.errors import PermissionDenied, RequiredField, ValidationError
from app.people import DuplicatePerson, PersonInput
from storage.models import OutboxEntry, Person


def test_register_person_and_client_writes_rows_and_outbox(ctx):
    person = people.create_person(ctx, PersonInput("Jānis", "Bērziņš", personal_code="05038512347",
                                                   address="Skolas iela 5, Ērgļi"))
    client = people.register_client(ctx, person, client_type="voluntary", target_groups=["pensioner"])
    loaded_client, loaded_person = people.get_client(ctx, client)
    assert loaded_person.personal_code == "050385-12347"
    assert loaded_person.birth_date == dt.date(1985, 3, 5)
    assert loaded_client.responsible_user_id == ctx.user_id
    with ctx.read() as session:
        entities = [e for (e,) in session.execute(select(OutboxEntry.entity).order_by(OutboxEntry.seq))]
    assert entities[-2:] == ["persons", "clients"]


def test_invalid_personal_code_is_refused_and_nothing_is_written(ctx):
    with ctx.read() as session:
        before = session.scalar(select(func.count()).select_from(OutboxEntry))
    with pytest.raises(ValidationError) as caught:
        people.create_person(ctx, PersonInput("Ilze", "Ozoliņa", personal_code="050385-12348"))
    assert caught.value.field == "personal_code"
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == before


@pytest.mark.parametrize(
    "data, field",
    [
        (PersonInput("", "Ozoliņa"), "given_name"),
        (PersonInput("Ilze", "  "), "surname"),
        (PersonInput("Ilze", "Ozoliņa", birth_date="31.02.1980"), "birth_date"),
        (PersonInput("Ilze", "Ozoliņa", birth_date="2030-01-01"), "birth_date"),
        (PersonInput("Ilze", "Ozoliņa", email="not-an-address"), "email"),
        (PersonInput("Ilze3", "Ozoliņa"), "given_name"),
    ],
)
def test_missing_or_invalid_fields_are_refused_with_the_field_named(ctx, data, field):
    with pytest.raises(ValidationError) as caught:
        people.create_person(ctx, data)
    assert caught.value.field == field
    assert caught.value.english()  # a readable sentence


def test_missing_name_is_a_required_field_error(ctx):
    with pytest.raises(RequiredField):
        people.create_person(ctx, PersonInput("", "Ozoliņa"))


def test_birth_date_must_match_the_personal_code(ctx):
    with pytest.raises(ValidationError) as caught:
        people.create_person(ctx, PersonInput("Jānis", "Bērziņš", personal_code="050385-12347", birth_date="1985-03-06"))
    assert caught.value.field == "birth_date"


def test_duplicate_personal_code_is_detected(ctx):
    first = people.create_person(ctx, PersonInput("Jānis", "Bērziņš", personal_code="050385-12347"))
    with pytest.raises(DuplicatePerson) as caught:
        people.create_person(ctx, PersonInput("Jānis", "Bērziņš", personal_code="050385-12347"))
    assert caught.value.existing_id == first


def test_person_keeps_id_when_personal_code_changes_and_history_is_kept(ctx):
    person = people.create_person(ctx, PersonInput("Marta", "Kļaviņa", personal_code="240652-11121"))
    people.change_personal_code(ctx, person, "324801-97654", reason="Personas koda maiņa pēc pieprasījuma",
                                effective="2026-11-01")
    history = people.code_history(ctx, person)
    assert [h.personal_code for h in history] == ["240652-11121", "324801-97654"]
    assert history[0].valid_from == dt.date(1952, 6, 24) and history[0].valid_to == dt.date(2026, 11, 1)
    assert history[1].valid_from == dt.date(2026, 11, 1) and history[1].valid_to is None
    # the old code still finds the same person, and cannot be given to someone else
    with ctx.read() as session:
        assert people.find_by_code(session, "240652-11121").id == person
    with pytest.raises(DuplicatePerson):
        people.create_person(ctx, PersonInput("Cits", "Cilvēks", personal_code="240652-11121"))


def test_update_cannot_change_the_code_behind_the_history(ctx):
    person = people.create_person(ctx, PersonInput("Marta", "Kļaviņa", personal_code="240652-11121"))
    with pytest.raises(ValidationError):
        people.update_person(ctx, person, PersonInput("Marta", "Kļaviņa", personal_code="050385-12347"))


def test_mandatory_client_needs_the_reporting_source(ctx):
    person = people.create_person(ctx, PersonInput("Pēteris", "Ozols"))
    with pytest.raises(ValidationError) as caught:
        people.register_client(ctx, person, client_type="mandatory")
    assert caught.value.field == "referral_source"
    people.register_client(ctx, person, client_type="mandatory", referral_source="Bāriņtiesa")


def test_household_and_relations_read_both_ways(ctx):
    mother = people.create_person(ctx, PersonInput("Līga", "Zariņa"))
    child = people.create_person(ctx, PersonInput("Emīls", "Zariņš", birth_date="2015-05-05"))
    people.create_household(ctx, members=[mother, child], head=mother, address="Ezera iela 1, Ērgļi")
    people.add_relation(ctx, mother, child, "parent")
    from storage.models import Relation

    with ctx.read() as session:
        kinds = {(r.person_id, r.kind) for r in session.scalars(select(Relation))}
    assert kinds == {(mother, "parent"), (child, "child")}


def test_restricted_client_is_invisible_to_other_workers(ctx, store, data_dir):
    from app.context import Context
    from app.errors import NotFound
    from app.users import add_user
    from storage.store import Store

    person = people.create_person(ctx, PersonInput("Ieva", "Lāce"))
    client = people.register_client(ctx, person, client_type="voluntary", restricted=True,
                                    target_groups=["violence_victim"])
    add_user(ctx, "janis", "Cita-parole-2026", display_name="Jānis Liepiņš", roles=["social_worker"])
    add_user(ctx, "vaditaja", "Vaditajas-parole-1", display_name="Sarmīte Vītola", roles=["head"])
    other = Context(Store.open(data_dir, "janis", "Cita-parole-2026"))
    head = Context(Store.open(data_dir, "vaditaja", "Vaditajas-parole-1"))
    try:
        with pytest.raises(NotFound):
            people.get_client(other, client)
        assert people.get_client(head, client)[1].surname == "Lāce"
    finally:
        other.store.lock()
        head.store.lock()


def test_administrator_without_casework_role_cannot_register_clients(store, data_dir):
    from app.context import Context
    from app.users import add_user
    from storage.store import Store

    add_user(Context(store), "admins", "Admina-parole-1", display_name="IT", roles=["administrator"])
    admin = Context(Store.open(data_dir, "admins", "Admina-parole-1"))
    try:
        with pytest.raises(PermissionDenied):
            people.create_person(admin, PersonInput("Jānis", "Bērziņš"))
    finally:
        admin.store.lock()


def test_new_client_form_saves_person_and_client_together_or_neither(ctx):
    with pytest.raises(ValidationError) as caught:  # a mandatory client without who reported it
        people.register_new_client(ctx, PersonInput("Ilze", "Ozoliņa", personal_code="05038512347"),
                                   client_type="mandatory")
    assert caught.value.field == "referral_source"
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0

    client = people.register_new_client(ctx, PersonInput("Ilze", "Ozoliņa", personal_code="05038512347"),
                                        client_type="voluntary", target_groups=["pensioner"])
    loaded, person = people.get_client(ctx, client)
    assert (person.surname, loaded.target_groups) == ("Ozoliņa", ["pensioner"])
    assert people.client_of_person(ctx, person.id) == client

    with pytest.raises(DuplicatePerson) as duplicate:  # the same code again: the existing person is named
        people.register_new_client(ctx, PersonInput("Ilze", "Kalna", personal_code="050385-12347"),
                                   client_type="voluntary")
    assert duplicate.value.existing_id == person.id
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_a_relative_who_is_not_a_client_has_no_client_registration(ctx):
    relative = people.create_person(ctx, PersonInput("Pēteris", "Ozoliņš"))
    assert people.client_of_person(ctx, relative) is None


def test_a_new_code_and_other_details_are_saved_together_or_not_at_all(ctx):
    person = people.create_person(ctx, PersonInput("Ilze", "Ozoliņa", personal_code="05038512347"))
    with pytest.raises(ValidationError):  # a new code without a reason is still refused
        people.update_person(ctx, person, PersonInput("Ilze", "Ozoliņa", personal_code="120790-12344"))
    with pytest.raises(ValidationError) as caught:  # the code would be fine, the e-mail is not: neither is saved
        people.update_person(ctx, person, PersonInput("Ilze", "Ozoliņa", personal_code="120790-12344",
                                                      email="nav-epasts"), code_reason="adopcija")
    assert caught.value.field == "email"
    with ctx.read() as session:
        assert session.get(Person, person).personal_code == "050385-12347"
    people.update_person(ctx, person, PersonInput("Ilze", "Kalna", personal_code="120790-12344",
                                                  phone="+371 20000000"), code_reason="adopcija")
    with ctx.read() as session:
        saved = session.get(Person, person)
        assert (saved.surname, saved.personal_code, saved.birth_date.isoformat()) == ("Kalna", "120790-12344",
                                                                                      "1990-07-12")
    assert [p.personal_code for p in people.code_history(ctx, person)][:1] == ["050385-12347"]
