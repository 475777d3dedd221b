import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from app import assistance, audit, decisions, people, records, users
from app.context import Context
from app.errors import InvalidTransition, NotFound, PermissionDenied, RequiredField, ValidationError
from app.people import PersonInput
from storage.models import (Attachment, AuditEvent, Complaint, InstitutionContact, OutboxEntry, ServiceReferral,
                            SupervisionRecord, TrainingRecord)
from storage.store import Store

TODAY = dt.date(2026, 11, 23)
PDF = b"%PDF-1.4\n% iesniegums ar parakstu\n" + bytes(range(256)) * 40


@pytest.fixture
def person(ctx):
    return people.create_person(ctx, PersonInput("Rasma", "Liepiņa", personal_code="240652-11121"))


@pytest.fixture
def client(ctx, person):
    return people.register_client(ctx, person, client_type="voluntary", target_groups=["pensioner"])


def load(ctx, model, row_id):
    with ctx.read() as session:
        return session.get(model, row_id)


def outbox_count(ctx, entity):
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity == entity))


# -- institutions and referrals ---------------------------------------------------------------------------------
def test_worker_registers_an_institution_with_a_contact_person(ctx):
    court = records.add_institution(ctx, "Madonas novada bāriņtiesa", "orphans_court", phone="+371 64860090",
                                    email="barintiesa@example.lv", address="Saieta laukums 1, Madona")
    contact = records.add_institution_contact(ctx, court, "Dace Priede", position="priekšsēdētāja",
                                              phone="+371 26000000")
    assert load(ctx, InstitutionContact, contact).institution_id == court
    assert outbox_count(ctx, "institutions") == 1 and outbox_count(ctx, "institution_contacts") == 1


@pytest.mark.parametrize("kwargs, field", [
    (dict(name=""), "name"), (dict(kind="shop"), "kind"), (dict(email="nav-adrese"), "email"),
    (dict(phone="zvanīt"), "phone"),
])
def test_institution_with_missing_or_invalid_fields_is_refused(ctx, kwargs, field):
    values = dict(name="Ērgļu vidusskola", kind="school")
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        records.add_institution(ctx, **values)
    assert caught.value.field == field


def test_contact_of_an_unknown_institution_is_refused(ctx):
    import uuid

    with pytest.raises(NotFound):
        records.add_institution_contact(ctx, uuid.uuid4(), "Dace Priede")


def test_client_is_referred_to_a_service_provider(ctx, client):
    provider = records.add_institution(ctx, "Aprūpes centrs „Rūķīši”", "service_provider")
    referral = records.refer_to_service(ctx, client, "home_care", "2026-11-20", institution_id=provider,
                                        note="Aprūpe mājās divas reizes nedēļā")
    saved = load(ctx, ServiceReferral, referral)
    assert (saved.service_code, saved.status, saved.institution_id) == ("home_care", "referred", provider)
    with pytest.raises(ValidationError) as caught:
        records.refer_to_service(ctx, client, "home_care", "2026-11-30")
    assert caught.value.field == "referred_on"


def test_a_service_is_granted_only_by_an_issued_decision(ctx, client):
    draft = decisions.draft_decision(ctx, client, decisions.DecisionInput(kind="grant"))
    with pytest.raises(InvalidTransition):
        records.refer_to_service(ctx, client, "home_care", "2026-11-20", decision_id=draft)


# -- complaints --------------------------------------------------------------------------------------------------
def test_oral_complaint_is_written_down_and_answered(ctx, person):
    complaint = records.register_complaint(ctx, "2026-11-10", "oral", "Klients sūdzas par ilgu gaidīšanu rindā.",
                                           complainant_person_id=person)
    with pytest.raises(ValidationError) as caught:
        records.answer_complaint(ctx, complaint, "Atbilde", "2026-11-09")
    assert caught.value.field == "answered_on"
    with pytest.raises(RequiredField) as caught:
        records.answer_complaint(ctx, complaint, "", "2026-11-12")
    assert caught.value.field == "answer"
    records.answer_complaint(ctx, complaint, "Pieņemšanas laiki pagarināti ceturtdienās.", "2026-11-12")
    saved = load(ctx, Complaint, complaint)
    assert (saved.status, saved.answered_on, saved.recorded_by_user_id) == ("answered", dt.date(2026, 11, 12),
                                                                             ctx.user_id)
    with pytest.raises(InvalidTransition):
        records.answer_complaint(ctx, complaint, "Vēlreiz", "2026-11-13")


def test_anonymous_suggestion_is_registered(ctx):
    suggestion = records.register_complaint(ctx, "2026-11-20", "written", "Ierīkot uzgaidāmo telpu.",
                                            kind="suggestion")
    assert load(ctx, Complaint, suggestion).complainant_person_id is None
    with pytest.raises(ValidationError) as caught:
        records.register_complaint(ctx, "2026-11-20", "fax", "Teksts")
    assert caught.value.field == "channel"


# -- supervision and training ---------------------------------------------------------------------------------
def test_worker_records_her_supervision_and_training_hours(ctx):
    session_id = records.record_supervision(ctx, ctx.user_id, "2026-11-18", "group", "1,5", supervisor="M. Zariņa")
    assert load(ctx, SupervisionRecord, session_id).hours == 1.5
    training = records.record_training(ctx, ctx.user_id, "2026-10-02", "Vardarbības atpazīšana ģimenē", 8,
                                       provider="LM mācību centrs")
    assert load(ctx, TrainingRecord, training).hours == 8
    assert outbox_count(ctx, "supervision_records") == 1 and outbox_count(ctx, "training_records") == 1


@pytest.mark.parametrize("hours", [0, "0", -1, 12.5, "13", "pusotra", None, True])
def test_supervision_hours_must_be_more_than_zero_and_at_most_twelve(ctx, hours):
    with pytest.raises(ValidationError) as caught:
        records.record_supervision(ctx, ctx.user_id, "2026-11-18", "individual", hours)
    assert caught.value.field == "hours"


def test_supervision_kind_and_date_are_checked(ctx):
    with pytest.raises(ValidationError) as caught:
        records.record_supervision(ctx, ctx.user_id, "2026-11-18", "online", 2)
    assert caught.value.field == "kind"
    with pytest.raises(ValidationError) as caught:
        records.record_supervision(ctx, ctx.user_id, "2026-11-31", "group", 2)
    assert caught.value.field == "held_on"


def test_only_the_head_records_supervision_for_someone_else(ctx, data_dir):
    users.add_user(ctx, "ilze", "Vadītāja-parole-2026", display_name="Ilze Vadītāja", roles=["head"])
    head = Context(Store.open(data_dir, "ilze", "Vadītāja-parole-2026"), today=lambda: TODAY)
    try:
        with pytest.raises(PermissionDenied):
            records.record_supervision(ctx, head.user_id, "2026-11-18", "group", 2)
        records.record_supervision(head, ctx.user_id, "2026-11-18", "group", 2)
    finally:
        head.store.lock()


# -- attachments ---------------------------------------------------------------------------------------------------
def test_scanned_document_is_kept_encrypted_in_the_store_and_reading_it_is_audited(ctx, client, data_dir):
    before = outbox_count(ctx, "attachments")
    attachment = records.add_attachment(ctx, client, "iesniegums.pdf", "application/pdf", PDF,
                                        description="Parakstīts iesniegums")
    saved = load(ctx, Attachment, attachment)
    assert (saved.size_bytes, saved.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert outbox_count(ctx, "attachments") == before + 1
    with ctx.read() as session:
        fields = session.scalar(select(OutboxEntry.fields).where(OutboxEntry.row_id == attachment))
    assert "content" not in fields and fields["sha256"] == saved.sha256  # the bytes travel by reference
    assert records.read_attachment(ctx, attachment) == PDF
    events = audit.events_for_client(ctx, client)
    assert [(e.action, e.entity, e.entity_id) for e in events] == [("open_attachment", "attachments", attachment)]
    assert PDF[:20] not in b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize("filename, media_type, content, field", [
    ("tukšs.pdf", "application/pdf", b"", "content"),
    ("liels.pdf", "application/pdf", b"x" * (20 * 1024 * 1024 + 1), "content"),
    ("", "application/pdf", b"x", "filename"),
    ("../../etc/passwd", "text/plain", b"x", "filename"),
    ("foto.jpg", "bilde", b"x", "media_type"),
    ("foto.jpg", "image/jpeg", "nav baiti", "content"),
])
def test_empty_oversized_or_misnamed_files_are_refused(ctx, client, filename, media_type, content, field):
    with pytest.raises(ValidationError) as caught:
        records.add_attachment(ctx, client, filename, media_type, content)
    assert caught.value.field == field


def test_a_file_of_exactly_twenty_mebibytes_is_accepted(ctx, client):
    content = b"\x00" * (20 * 1024 * 1024)
    attachment = records.add_attachment(ctx, client, "skenējums.tiff", "image/tiff", content)
    assert len(records.read_attachment(ctx, attachment)) == len(content)


def test_attachment_belongs_to_a_record_of_the_same_client(ctx, client):
    complaint = records.register_complaint(ctx, "2026-11-10", "written", "Sūdzība")
    with pytest.raises(ValidationError) as caught:
        records.add_attachment(ctx, client, "a.pdf", "application/pdf", b"%PDF", owner_entity="no_such_table",
                               owner_id=complaint)
    assert caught.value.field == "owner_entity"
    application = assistance.register_application(ctx, client, "2026-11-02", "post", "funeral",
                                                  "Apbedīšanas pabalsts")
    attached = records.add_attachment(ctx, client, "a.pdf", "application/pdf", b"%PDF", owner_entity="applications",
                                      owner_id=application)
    assert load(ctx, Attachment, attached).owner_id == application


def test_restricted_clients_attachment_is_invisible_to_another_worker(ctx, client, data_dir):
    people.set_restricted(ctx, client, True)
    attachment = records.add_attachment(ctx, client, "akts.pdf", "application/pdf", PDF)
    users.add_user(ctx, "maris", "Cita-parole-2026", display_name="Māris Egle", roles=["social_worker"])
    other = Context(Store.open(data_dir, "maris", "Cita-parole-2026"), today=lambda: TODAY)
    try:
        with pytest.raises(NotFound):
            records.read_attachment(other, attachment)
    finally:
        other.store.lock()
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "open_client")) == 0
