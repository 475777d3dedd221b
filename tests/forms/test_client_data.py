"""The personal data report (GDPR Art. 15): every table that refers to a person or a client is in it (a new one
that is not fails here), everything recorded about the person prints in its section, a restricted file is only
reported by someone who may see it, and making the report is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from app import assistance, cases, decisions, people, records, visits
from app.errors import NotFound, PermissionDenied
from forms import client_data as report_module
from forms.client_card import client_card
from forms.client_data import COVERED, NOT_ABOUT_THE_PERSON, client_data_report
from storage.models import AuditEvent, Base, Person, SyncConflict
from tests.app.test_assistance import GRANT, approved
from tests.forms.case_fixtures import DUTIES, GOALS, TASKS, casework, colleague, family
from tests.forms.conftest import LETTERS, flat, fonts_of, page_count, text_of

__all__ = ["casework", "colleague", "family"]
pytestmark = pytest.mark.usefixtures("lv")

SCAN = b"%PDF-1.4 skenets-iesniegums-SATURS-NEDRUKAT"
SECTIONS = ("1. Apstrādes nolūki un tiesiskais pamats", "2. Persona", "3. Klienta lieta",
            "4. Mājsaimniecības un ģimenes saites", "5. Sociālie gadījumi, mērķi, plāni un uzdevumi",
            "6. Sadarbības līgumi un līdzdarbības pienākumi", "7. Kontaktu un konsultāciju žurnāls",
            "8. Apsekošanas", "9. Novērtējumi",
            "10. Iesniegumi, ienākumu izvērtēšana un mājsaimniecības statuss", "11. Lēmumi",
            "12. Sociālie pakalpojumi un nosūtījumi", "13. Sūdzības un priekšlikumi",
            "14. Dokumenti un skenējumi (tikai apraksts)", "15. Pārskatīšanai saglabātās atšķirīgās versijas",
            "16. Kas piekļuva lietai")


def about_people(metadata) -> set[str]:
    """Tables that refer to a person or a client: by a column named so, or by a foreign key to persons or
    clients or (transitively) to a table that does."""
    found = {name for name, table in metadata.tables.items()
             if any(column.name.endswith(("person_id", "client_id")) for column in table.columns)}
    roots = {"persons", "clients"}
    while True:
        more = {name for name, table in metadata.tables.items() if name not in roots and any(
            key.column.table.name in roots for key in table.foreign_keys)}
        if not more:
            return found | roots
        roots |= more


def test_every_table_that_refers_to_a_person_or_a_client_is_in_the_report():
    tables = about_people(Base.metadata)
    assert {"journal_entries", "home_visit_answers", "agreement_duties", "decision_notifications", "audit_events",
            "complaints", "attachments"} <= tables  # the rule finds direct, indirect and key-less references
    missing = tables - set(COVERED) - set(NOT_ABOUT_THE_PERSON)
    assert not missing, f"add these tables to forms/client_data.py (COVERED) and to the report: {sorted(missing)}"
    assert set(COVERED) <= set(Base.metadata.tables)  # and the report names no table that is gone


def test_a_new_table_about_a_client_would_fail_the_coverage_test():
    from sqlalchemy import Column, ForeignKey, MetaData, Table, Uuid

    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("client_pets", metadata, Column("id", Uuid, primary_key=True),
          Column("owner", Uuid, ForeignKey("clients.id")))
    assert about_people(metadata) - set(COVERED) - set(NOT_ABOUT_THE_PERSON) == {"client_pets"}


@pytest.fixture
def full_file(ctx, head, erika, family, casework):
    """Something in every section of the report for Ērika."""
    person = family["Ērika"]
    people.change_personal_code(ctx, person, "324801-97654", reason="Koda maiņa pēc personas lūguma",
                                effective="2026-11-10")
    cases.record_journal_entry(ctx, erika, occurred_at="18.11.2026 10:30", kind="phone", duration_minutes=15,
                               topic="Zvans par skolas kavējumiem", text=f"Māte apsola uzraudzīt. {LETTERS}",
                               participants="Ērika un Pēteris")
    visit = visits.plan_home_visit(ctx, erika, "2026-11-20", "Novērtēt dzīves apstākļus", "home_visit_family",
                                   household_id=family["household"], case_id=casework["case"])
    visits.start_visit(ctx, visit, visited_at="20.11.2026 11:00")
    visits.save_answer(ctx, visit, "rooms", "Divas istabas; bērni guļ kopā.", note="Vajadzīga gulta")
    visits.set_findings(ctx, visit, "Mājoklis silts, malka sagādāta.", risks="Nav ūdensvada.")
    visits.record_assessment(ctx, erika, "functional_assessment", {d: 4 for d in (
        "self_care", "mobility", "household", "health", "finances", "social_contacts", "housing", "employment")},
        "2026-11-10", summary="Patstāvīga.")
    application = assistance.register_application(ctx, erika, "2026-11-02", "post", "housing_benefit",
                                                  "Lūdzu piešķirt mājokļa pabalstu apkurei.")
    assistance.record_means_test(ctx, application_id=application, performed_on="2026-11-05", household_size=5,
                                 working_age_members=2, income="412,30")
    assistance.set_household_status(ctx, family["household"], "needy", "2026-12-01", working_age_members=2)
    decision = approved(ctx, head, erika, GRANT, application)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    decisions.record_notification(ctx, decision, person, "in_person", received_on="2026-11-23")
    records.refer_to_service(ctx, erika, "family_assistant", "2026-11-15", note="Ģimenes asistents 10 h nedēļā")
    records.register_complaint(ctx, "2026-11-16", "oral", "Sūdzība par garu rindu pieņemšanā",
                               complainant_person_id=person)
    scan = records.add_attachment(ctx, erika, "iesniegums.pdf", "application/pdf", SCAN,
                                  description="Skenēts iesniegums")
    records.read_attachment(ctx, scan)
    client_card(ctx, erika)
    with ctx.write() as session:
        session.add(SyncConflict(entity="persons", row_id=person, losing={"phone": "+371 20000000"},
                                 standing={"phone": "+371 29999999"}, reason="concurrent_edit",
                                 occurred_at=dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone.utc)))
    return person


def test_the_report_prints_everything_recorded_about_the_person_in_its_section(ctx, erika, full_file):
    pdf = client_data_report(ctx, full_file)
    text = flat(text_of(pdf))
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    for expected in (
            "PĀRSKATS PAR PERSONAS DATIEM", "Vispārīgās datu aizsardzības regulas 15. pants", "Sagatavoja",
            "Anna Kalniņa", "VDAR 6. panta 1. punkta c) un e) apakšpunkts", "Datu valsts inspekcijā",
            "Ērika Šķēle-Ģīle", "324801-97654", "120379-10007", "Koda maiņa pēc personas lūguma", "10.11.2026.",
            "brīvprātīgs (vērsās pats)", "„Ūdriņas”, Ļaudonas pag., Madonas nov.", "Pēteris Ģīle", "Marta Ģīle",
            "partneris (kopdzīvē)", "01.03.2009.", "Skola ziņo, ka bērni bieži kavē stundas.", GOALS[0], GOALS[1],
            *TASKS, "Skola ziņos katru piektdienu.", DUTIES[0], DUTIES[1], "Zvans par skolas kavējumiem",
            f"Māte apsola uzraudzīt. {LETTERS}", "telefonsaruna, 15 min", "Ērika un Pēteris",
            "Novērtēt dzīves apstākļus", "Telpu izkārtojums", "Divas istabas; bērni guļ kopā.", "Vajadzīga gulta",
            "Mājoklis silts, malka sagādāta.", "Nav ūdensvada.", "funkcionālais novērtējums", "Pašaprūpe 4",
            "IES/2026/0001", "pa pastu", "Lūdzu piešķirt mājokļa pabalstu apkurei.", "412,30 EUR",
            "trūcīga mājsaimniecība", GRANT.facts, GRANT.operative_part, "120,50 EUR", "apstiprināts un parakstīts",
            "Ilga", "klātienē", "Ģimenes asistents", "Ģimenes asistents 10 h nedēļā",
            "Sūdzība par garu rindu pieņemšanā", "mutiski", "iesniegums.pdf", "application/pdf",
            "Skenēts iesniegums", "+371 20000000", "+371 29999999", "izdrukāja: klienta karte",
            "atvēra dokumentu"):
        assert expected in text, expected
    assert "SATURS-NEDRUKAT" not in text  # a scan's description is data held; its content is not printed
    assert "MELNRAKSTS" not in text and page_count(pdf) > 3
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values())


def test_making_the_report_is_audited_as_a_data_report_of_the_file(ctx, erika, family):
    client_data_report(ctx, family["Ērika"], large_print=True)
    with ctx.read() as session:
        events = session.query(AuditEvent).filter(AuditEvent.action == "client_data_report").all()
    assert [(e.entity, e.entity_id, e.client_id, e.details) for e in events] == [
        ("persons", family["Ērika"], erika, {"kind": "client_data_report"})]
    text = flat(text_of(client_data_report(ctx, family["Ērika"])))
    assert "sagatavoja personas datu pārskatu" in text  # the second report shows the first one


def test_a_person_who_is_not_a_client_gets_their_own_data_and_no_one_elses(ctx, erika, family, casework,
                                                                            colleague):
    text = flat(text_of(client_data_report(ctx, family["Pēteris"])))
    assert "Persona nav reģistrēta kā klients." in text and "Pēteris Ģīle" in text and "Līga Ģīle" in text
    assert "„Ūdriņas”" in text  # the household he lives in
    for foreign in (*TASKS, *DUTIES, "user_added", "juris", GOALS[0]):
        assert foreign not in text, foreign


def test_a_restricted_file_is_reported_only_by_someone_who_may_see_it(ctx, erika, family, head, colleague,
                                                                      monkeypatch):
    people.set_restricted(ctx, erika, True)
    assert text_of(client_data_report(head, family["Ērika"]))
    monkeypatch.setattr(report_module, "render", lambda *a, **k: pytest.fail("rendered"))
    with pytest.raises(PermissionDenied) as refused:
        client_data_report(colleague, family["Ērika"])
    assert "head of service" in refused.value.english()
    with ctx.read() as session:
        events = session.query(AuditEvent).filter(AuditEvent.action == "client_data_report").all()
    assert [e.user_id for e in events] == [head.user_id]
    with ctx.write() as session:
        session.get(Person, family["Aivars"]).deleted = True
    with pytest.raises(NotFound):
        client_data_report(ctx, family["Aivars"])


def test_long_records_with_markup_flow_onto_more_pages_and_print_literally(ctx, erika):
    markup = "<b>treknraksts</b> & 100% <br/>"
    for day in range(1, 21):
        cases.record_journal_entry(ctx, erika, occurred_at=f"{day:02d}.11.2026 09:00", kind="note",
                                   topic=f"Ieraksts {day} {markup}", text=(f"{LETTERS} {markup} " * 60)[:2_000])
    pdf = client_data_report(ctx, (people.get_client(ctx, erika))[1].id)
    text = text_of(pdf)
    assert page_count(pdf) >= 5 and markup in flat(text) and f"Ieraksts 20 {markup}" in flat(text)
