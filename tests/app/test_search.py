import pytest

from app import people
from app.people import PersonInput
from app.search import match_expression, search_clients

CLIENTS = [
    ("Jānis", "Bērziņš", "050385-12347", "Skolas iela 5, Ērgļi"),
    ("Ilze", "Bērziņa", "311299-10462", "„Kalnāji”, Ļaudonas pag."),
    ("Anna", "Ozoliņa", "240652-11121", "Rīgas iela 1, Žīguri"),
    ("Ģirts", "Ķēniņš", "324801-97654", "Dārza iela 2, Ķeipene"),
    ("Žanna", "Šmite", None, "Ūdrupes, Sausnējas pag."),
]


@pytest.fixture
def registered(ctx):
    ids = {}
    for given, surname, code, address in CLIENTS:
        person = people.create_person(ctx, PersonInput(given, surname, personal_code=code, address=address))
        ids[surname] = people.register_client(ctx, person, client_type="voluntary")
    return ids


def surnames(hits):
    return sorted(hit.surname for hit in hits)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("berzins", ["Bērziņš"]),
        ("Bērziņš", ["Bērziņš"]),
        ("BĒRZIŅŠ", ["Bērziņš"]),
        ("berzin", ["Bērziņa", "Bērziņš"]),
        ("ozolina", ["Ozoliņa"]),
        ("kenins", ["Ķēniņš"]),
        ("girts", ["Ķēniņš"]),
        ("zanna smite", ["Šmite"]),
        ("ilze berz", ["Bērziņa"]),
        ("ergli", ["Bērziņš"]),
        ("laudonas", ["Bērziņa"]),
        ("udrupes", ["Šmite"]),
        ("050385", ["Bērziņš"]),
        ("050385-12347", ["Bērziņš"]),
        ("05038512347", ["Bērziņš"]),
        ("3248", ["Ķēniņš"]),
        ("nobody", []),
        ("", []),
        ('"; DROP TABLE persons; --', []),
        ("berz*", ["Bērziņa", "Bērziņš"]),
        ("AND OR NOT", []),
    ],
)
def test_search_is_diacritics_and_case_insensitive(ctx, registered, query, expected):
    assert surnames(search_clients(ctx, query)) == expected


def test_search_sees_later_edits_and_tombstones(ctx, registered):
    from storage.models import Client, Person

    with ctx.write() as session:
        person = session.get(Person, session.get(Client, registered["Ozoliņa"]).person_id)
        person.surname = "Kalniņa"
    assert surnames(search_clients(ctx, "ozolina")) == []
    assert surnames(search_clients(ctx, "kalnina")) == ["Kalniņa"]
    with ctx.write() as session:
        session.get(Person, person.id).deleted = True
    assert search_clients(ctx, "kalnina").hits == []


def test_name_matches_come_before_address_matches(ctx, registered):
    person = people.create_person(ctx, PersonInput("Pēteris", "Liepa", address="Bērzu iela 3, Ērgļi"))
    people.register_client(ctx, person, client_type="voluntary")
    result = search_clients(ctx, "berz")
    assert [hit.surname for hit in result] == ["Bērziņa", "Bērziņš", "Liepa"]
    assert result.complete


def test_broad_query_says_it_is_incomplete_instead_of_guessing(ctx):
    for i in range(30):
        person = people.create_person(ctx, PersonInput("Kārlis", f"Kalniņš{'a' * (i % 3)}"[:-1] or "Kalniņš"))
        people.register_client(ctx, person, client_type="voluntary")
    narrow = search_clients(ctx, "kar", limit=50, scan=100)
    assert len(narrow) == 30 and narrow.complete
    broad = search_clients(ctx, "kar", limit=10, scan=20)
    assert len(broad) == 10 and not broad.complete


def test_match_expression_keeps_user_text_inside_quoted_prefixes():
    assert match_expression('a"b') == '{given_name surname address} : "a"* AND {given_name surname address} : "b"*'
    assert match_expression("050385-1") == 'code_digits : "0503851"*'
    assert match_expression("  ") is None


def test_index_follows_clients_coming_and_going_and_stays_consistent(ctx):
    from sqlalchemy import text

    from storage.models import Client

    member = people.create_person(ctx, PersonInput("Emīls", "Zariņš", personal_code="324801-97654"))
    assert search_clients(ctx, "3248").hits == []  # a household member is not a client
    client = people.register_client(ctx, member, client_type="voluntary")
    assert surnames(search_clients(ctx, "3248")) == ["Zariņš"]
    with ctx.write() as session:
        session.get(Client, client).deleted = True
    assert search_clients(ctx, "zarins").hits == []
    with ctx.write() as session:
        session.get(Client, client).deleted = False
    assert surnames(search_clients(ctx, "zarins")) == ["Zariņš"]
    with ctx.read() as session:  # FTS5 compares every index entry with the content it was built from
        session.execute(text("INSERT INTO person_search(person_search, rank) VALUES ('integrity-check', 1)"))
