"""The records around the casework (DOMAIN.md §5–§7): institutions and their contacts, referrals to services,
the complaints and suggestions register, supervision and training of staff, and attachments kept encrypted
inside the store (never as files beside it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from decimal import Decimal, InvalidOperation

from app import audit
from app import validation as v
from app.access import CASEWORK_ROLES, require_casework
from app.assistance import code
from app.cases import active_user, visible_case, visible_client
from app.context import Context
from app.errors import InvalidTransition, NotFound, RequiredField, ValidationError
from storage.errors import N_, DamagedStore
from storage.models import (
    SYNCED_MODELS,
    Attachment,
    Complaint,
    Decision,
    Institution,
    InstitutionContact,
    Person,
    ServiceReferral,
    SupervisionRecord,
    TrainingRecord,
)

INSTITUTION_KINDS = ("orphans_court", "police", "school", "kindergarten", "hospital", "family_doctor", "nva", "vsaa",
                     "municipality", "service_provider", "ngo", "court", "probation", "other")
COMPLAINT_CHANNELS = ("oral", "written", "email")
COMPLAINT_KINDS = ("complaint", "suggestion")
SUPERVISION_KINDS = ("individual", "group")
MAX_SUPERVISION_HOURS = Decimal(12)
MAX_TRAINING_HOURS = Decimal(160)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
HOURS = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")

ENTITY_INSTITUTION = N_("institution")
ENTITY_COMPLAINT = N_("complaint")
ENTITY_ATTACHMENT = N_("attachment")
ENTITY_DECISION = N_("decision")



# -- institutions -------------------------------------------------------------------------------------------
def add_institution(ctx: Context, name: str, kind: str, *, address: str | None = None, phone: str | None = None,
                    email: str | None = None, parish_id: uuid.UUID | None = None) -> uuid.UUID:
    """Orphans' court, police, school, family doctor, NVA, VSAA… that the plans and referrals name."""
    ctx.require_role(N_("change the register of institutions"), *CASEWORK_ROLES, "administrator")
    fields = dict(name=v.text(name, "name", max_length=300), kind=v.choice(kind, "kind", INSTITUTION_KINDS),
                  address=v.text(address, "address", required=False, max_length=300), phone=v.phone(phone),
                  email=v.email(email), parish_id=parish_id)
    with ctx.write() as session:
        institution = Institution(**fields)
        session.add(institution)
        session.flush()
        return institution.id


def add_institution_contact(ctx: Context, institution_id: uuid.UUID, name: str, *, position: str | None = None,
                            phone: str | None = None, email: str | None = None) -> uuid.UUID:
    ctx.require_role(N_("change the register of institutions"), *CASEWORK_ROLES, "administrator")
    fields = dict(name=v.text(name, "name", max_length=200),
                  position=v.text(position, "position", required=False, max_length=200), phone=v.phone(phone),
                  email=v.email(email))
    with ctx.write() as session:
        _institution(session, institution_id)
        contact = InstitutionContact(institution_id=institution_id, **fields)
        session.add(contact)
        session.flush()
        return contact.id


def _institution(session, institution_id: uuid.UUID) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None or institution.deleted:
        raise NotFound(entity_msg=ENTITY_INSTITUTION)
    return institution


# -- referrals ------------------------------------------------------------------------------------------------
def refer_to_service(ctx: Context, client_id: uuid.UUID, service_code: str, referred_on: dt.date | str, *,
                     institution_id: uuid.UUID | None = None, decision_id: uuid.UUID | None = None,
                     case_id: uuid.UUID | None = None, note: str | None = None) -> uuid.UUID:
    """A social service granted (by an issued decision) or a referral to a provider or institution."""
    require_casework(ctx)
    service = code(service_code, "service_code")
    referred = v.date(referred_on, "referred_on", not_after=ctx.today())
    note = v.text(note, "note", required=False)
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if case_id is not None:
            visible_case(ctx, session, case_id, client_id=client.id)
        if institution_id is not None:
            _institution(session, institution_id)
        if decision_id is not None:
            decision = session.get(Decision, decision_id)
            if decision is None or decision.deleted or decision.client_id != client.id:
                raise NotFound(entity_msg=ENTITY_DECISION)
            if decision.status != "issued":
                raise InvalidTransition(reason_msg=N_("a service is granted only by an issued decision."))
        referral = ServiceReferral(client_id=client.id, case_id=case_id, service_code=service,
                                   institution_id=institution_id, decision_id=decision_id, referred_on=referred,
                                   note=note)
        session.add(referral)
        session.flush()
        return referral.id


# -- complaints and suggestions -------------------------------------------------------------------------------
def register_complaint(ctx: Context, received_on: dt.date | str, channel: str, text: str, *,
                       kind: str = "complaint", complainant_person_id: uuid.UUID | None = None) -> uuid.UUID:
    """Every complaint is registered — an oral one is written down as it was said."""
    require_casework(ctx)
    received = v.date(received_on, "received_on", not_after=ctx.today())
    channel = v.choice(channel, "channel", COMPLAINT_CHANNELS)
    text = v.text(text, "text")
    kind = v.choice(kind, "kind", COMPLAINT_KINDS)
    with ctx.write() as session:
        if complainant_person_id is not None:
            person = session.get(Person, complainant_person_id)
            if person is None or person.deleted:
                raise ValidationError(N_("'{field_msg}' is not a registered person."), field="complainant")
        complaint = Complaint(received_on=received, channel=channel, text=text, kind=kind,
                              complainant_person_id=complainant_person_id, status="open",
                              recorded_by_user_id=ctx.user_id)
        session.add(complaint)
        session.flush()
        return complaint.id


def answer_complaint(ctx: Context, complaint_id: uuid.UUID, answer: str, answered_on: dt.date | str) -> None:
    require_casework(ctx)
    answer = v.text(answer, "answer")
    answered = v.date(answered_on, "answered_on", not_after=ctx.today())
    with ctx.write() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None or complaint.deleted:
            raise NotFound(entity_msg=ENTITY_COMPLAINT)
        if complaint.status == "answered":
            raise InvalidTransition(reason_msg=N_("the complaint has already been answered."))
        if answered < complaint.received_on:
            raise ValidationError(N_("'{field_msg}' cannot be before the complaint was received."),
                                  field="answered_on")
        complaint.status, complaint.answer, complaint.answered_on = "answered", answer, answered


# -- supervision and training ---------------------------------------------------------------------------------
def parse_hours(value: object, field: str, *, maximum: Decimal) -> float:
    """Hours as typed ('1,5', 1.5, 2): more than zero, at most ``maximum``, to the hundredth."""
    if value is None or value == "":
        raise RequiredField(field=field)
    if isinstance(value, bool):
        raise ValidationError(N_("'{field_msg}' must be a number of hours, e.g. 1,5."), field=field)
    raw = str(value).strip()
    if isinstance(value, float):
        raw = f"{value:.6f}".rstrip("0").rstrip(".")
    if not HOURS.match(raw):
        raise ValidationError(N_("'{field_msg}' must be a number of hours, e.g. 1,5."), field=field)
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(N_("'{field_msg}' must be a number of hours, e.g. 1,5."), field=field) from None
    if not Decimal(0) < number <= maximum:
        raise ValidationError(N_("'{field_msg}' must be more than 0 and at most {limit}."), field=field,
                              limit=int(maximum))
    return float(number)


def _staff_member(ctx: Context, session, user_id: uuid.UUID) -> None:
    """Everyone records their own; the head may record for the staff."""
    if user_id != ctx.user_id:
        ctx.require_role(N_("record supervision and training for other staff"), "head")
    active_user(session, user_id, "user_id")


def record_supervision(ctx: Context, user_id: uuid.UUID, held_on: dt.date | str, kind: str, hours: object, *,
                       supervisor: str | None = None) -> uuid.UUID:
    """A supervision session (the ministry asks for at least 10 a year)."""
    ctx.require_role(N_("record supervision and training"), *CASEWORK_ROLES)
    held = v.date(held_on, "held_on", not_after=ctx.today())
    kind = v.choice(kind, "kind", SUPERVISION_KINDS)
    amount = parse_hours(hours, "hours", maximum=MAX_SUPERVISION_HOURS)
    supervisor = v.text(supervisor, "supervisor", required=False, max_length=200)
    with ctx.write() as session:
        _staff_member(ctx, session, user_id)
        record = SupervisionRecord(user_id=user_id, held_on=held, kind=kind, hours=amount, supervisor=supervisor)
        session.add(record)
        session.flush()
        return record.id


def record_training(ctx: Context, user_id: uuid.UUID, held_on: dt.date | str, title: str, hours: object, *,
                    provider: str | None = None) -> uuid.UUID:
    """A training event (the norm: 24 hours a year, 16 for assistance organisers and carers)."""
    ctx.require_role(N_("record supervision and training"), *CASEWORK_ROLES)
    held = v.date(held_on, "held_on", not_after=ctx.today())
    title = v.text(title, "title", max_length=300)
    amount = parse_hours(hours, "hours", maximum=MAX_TRAINING_HOURS)
    provider = v.text(provider, "provider", required=False, max_length=200)
    with ctx.write() as session:
        _staff_member(ctx, session, user_id)
        record = TrainingRecord(user_id=user_id, held_on=held, title=title, hours=amount, provider=provider)
        session.add(record)
        session.flush()
        return record.id


# -- attachments ----------------------------------------------------------------------------------------------
def _filename(value: object) -> str:
    name = v.text(value, "filename", max_length=255)
    if any(ch in name for ch in "/\\") or name in (".", ".."):
        raise ValidationError(N_("'{field_msg}' must be a file name without folders."), field="filename")
    return name


def add_attachment(ctx: Context, client_id: uuid.UUID, filename: str, media_type: str, content: bytes, *,
                   description: str | None = None, owner_entity: str | None = None,
                   owner_id: uuid.UUID | None = None) -> uuid.UUID:
    """A scanned document or photo, stored encrypted in the client's file (at most 20 MiB)."""
    require_casework(ctx)
    filename = _filename(filename)
    media = (v.text(media_type, "media_type", max_length=100) or "").lower()
    if not MEDIA_TYPE.match(media):
        raise ValidationError(N_("'{field_msg}' must be a media type such as application/pdf."), field="media_type")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise ValidationError(field="content")
    content = bytes(content)
    if not content:
        raise ValidationError(N_("The file is empty."), field="content")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(N_("The file is too large (at most {limit} MiB)."), field="content",
                              limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    description = v.text(description, "description", required=False, max_length=500)
    owner_model = None
    if owner_entity is not None or owner_id is not None:
        owner_model = SYNCED_MODELS.get(v.choice(owner_entity, "owner_entity", sorted(SYNCED_MODELS)))
        if owner_id is None:
            raise RequiredField(field="owner_entity")
    with ctx.write() as session:
        client = visible_client(ctx, session, client_id)
        if owner_model is not None:
            owner = session.get(owner_model, owner_id)
            if owner is None or owner.deleted or getattr(owner, "client_id", client.id) != client.id:
                raise ValidationError(N_("The record the file belongs to is not in this client's file."),
                                      field="owner_entity")
        attachment = Attachment(client_id=client.id, owner_entity=owner_entity, owner_id=owner_id, filename=filename,
                                media_type=media, size_bytes=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), description=description, content=content)
        session.add(attachment)
        session.flush()
        return attachment.id


def read_attachment(ctx: Context, attachment_id: uuid.UUID) -> bytes:
    """The file's bytes, checked against its sha256; opening it is audited like opening the client file."""
    with ctx.write() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None or attachment.deleted or attachment.client_id is None:
            raise NotFound(entity_msg=ENTITY_ATTACHMENT)
        try:
            visible_client(ctx, session, attachment.client_id)
        except NotFound:
            raise NotFound(entity_msg=ENTITY_ATTACHMENT) from None
        content = attachment.content
        if hashlib.sha256(content).hexdigest() != attachment.sha256:
            raise DamagedStore(detail="attachment checksum")
        audit.record(ctx, "open_attachment", entity=Attachment.__tablename__, entity_id=attachment.id,
                     client_id=attachment.client_id, session=session)
        return content
