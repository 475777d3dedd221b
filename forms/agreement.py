"""The co-operation agreement (sadarbības līgums, DOMAIN.md §5): the social service and the client, its validity,
the individual, concrete, checkable duties as a numbered list (each with its goal and deadline), what happens
when they are not fulfilled, and both parties' signatures with dates.

Non-fulfilment is a documented reason to refuse or stop assistance (DOMAIN.md §5; SPSPL Art. 5(1)), so
the agreement says so in writing. A draft prints with the DRAFT mark; an agreement without duties is refused
before anything is rendered, and every printing is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from app import audit
from app.cases import ENTITY_AGREEMENT, visible_record
from app.context import Context
from app.errors import InvalidTransition
from app.i18n import N_, _
from forms.blocks import numbered, signatures
from forms.labels import date_text, label, period_text, person_name
from forms.pdf import letterhead, para, render, styles
from storage.models import Agreement, AgreementDuty, CaseGoal, Client, Person, SocialCase, User

DOCUMENT_KIND = "cooperation_agreement"


def cooperation_agreement(ctx: Context, agreement_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The agreement as PDF bytes (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        agreement, client = visible_record(ctx, session, Agreement, agreement_id, ENTITY_AGREEMENT)
        data = _data(session, agreement, client)
        head = letterhead(session)
    if not data["duties"]:
        raise InvalidTransition(reason_msg=N_(
            "the agreement has no co-operation duties; add at least one duty before printing it."))
    draft = agreement.status == "draft"
    pdf = render(lambda: _story(data, head, large_print), title=_("Co-operation agreement"), head=head, draft=draft)
    audit.record(ctx, "print", entity="agreements", entity_id=agreement_id, client_id=client.id,
                 details={"kind": DOCUMENT_KIND, "status": agreement.status})
    return pdf


def _data(session: Any, agreement: Agreement, client: Client) -> dict[str, Any]:
    case = session.get(SocialCase, agreement.case_id) if agreement.case_id else None
    worker_id = (case.responsible_user_id if case else None) or client.responsible_user_id
    worker = session.get(User, worker_id) if worker_id else None
    duties = list(session.query(AgreementDuty).filter(AgreementDuty.agreement_id == agreement.id,
                                                      AgreementDuty.deleted.is_(False))
                  .order_by(AgreementDuty.created_at, AgreementDuty.id))
    goals = {g.id: g for g in session.query(CaseGoal).filter(
        CaseGoal.id.in_([d.goal_id for d in duties if d.goal_id]))}
    representative = None
    if client.legal_representative_id:
        representative = session.get(Person, client.legal_representative_id)
    return {"agreement": agreement, "person": session.get(Person, client.person_id), "client": client,
            "worker": worker, "duties": duties, "goals": goals, "representative": representative}


def _story(data: dict[str, Any], head: dict[str, Any], large_print: bool) -> list:
    st = styles(large_print)
    agreement, person, worker = data["agreement"], data["person"], data["worker"]
    right = ParagraphStyle("date", parent=st.label, alignment=TA_RIGHT)
    story: list = [para(date_text(agreement.concluded_on) if agreement.concluded_on else "", right),
                   para(_("CO-OPERATION AGREEMENT"), st.title),
                   para(_("on the client's co-operation duties"), ParagraphStyle("sub", parent=st.body,
                                                                               alignment=1))]
    service = _("{institution}, registration No. {number}, {address} (hereinafter – the social service)").format(
        institution=head["institution"], number=head["registration_number"], address=head.get("address") or "")
    if worker is not None:
        service += ", " + _("represented by {position} {name}").format(
            position=(worker.position or _("social worker")).lower(), name=worker.display_name)
    client = _("{name}, personal code {code}, {address} (hereinafter – the client)").format(
        name=person_name(person), code=person.personal_code or "—", address=person.address or "—")
    representative = data["representative"]
    if representative is not None:
        client += ", " + _("with the legal representative {name} ({kind})").format(
            name=person_name(representative), kind=label("representative", data["client"].representative_kind))
    story += [para(_("Parties"), st.heading), para(service + ",", st.body),
              para(_("and") + " " + client + ",", st.body),
              para(_("agree on the following co-operation duties of the client."), st.body)]
    validity = _("The agreement is valid {period}").format(period=period_text(agreement.valid_from,
                                                                              agreement.valid_to))
    story += [para(_("Validity"), st.heading), para(validity if validity.endswith(".") else validity + ".", st.body)]
    if agreement.text:
        story += [para(_("Terms of the agreement"), st.heading), para(agreement.text, st.body)]
    story.append(para(_("The client's co-operation duties"), st.heading))
    story.append(numbered([_duty(duty, data["goals"], st) for duty in data["duties"]], st))
    story += [para(_("Duties of the social service"), st.heading), para(_(
        "The social service supports the client in fulfilling the duties, checks their fulfilment together with "
        "the client on the deadlines agreed and records the result in the client's file."), st.body)]
    story += [para(_("If the duties are not fulfilled"), st.heading), para(_(
        "Social assistance depends on the client's co-operation (Law on Social Services and Social Assistance, "
        "Article 5). If the client does not fulfil a duty without a justified reason, this is recorded with its "
        "evidence and is a reason for the social service to refuse social assistance or to stop granting it. The "
        "client may explain the reasons in writing before a decision is taken."), st.body)]
    story.append(para(_("The agreement is made in two copies, one for each party."), st.body))
    parties = [(_("For the social service"), worker.display_name if worker else "", agreement.concluded_on),
               (_("Client"), person_name(person), agreement.concluded_on if agreement.client_signed else None)]
    if representative is not None:
        parties.append((_("Legal representative"), person_name(representative), None))
    story.append(signatures(parties, st))
    return story


def _duty(duty: AgreementDuty, goals: dict, st) -> list:
    details = []
    goal = goals.get(duty.goal_id)
    if goal is not None:
        details.append(_("Goal: {goal}").format(goal=goal.text))
    details.append(_("Deadline: {date}").format(date=date_text(duty.deadline) if duty.deadline else
                                               _("for the whole validity of the agreement")))
    size = st.body.fontSize - 2
    small = ParagraphStyle("duty-detail", parent=st.small, fontSize=size, leading=size * 1.3,
                           spaceAfter=st.body.fontSize * 0.4)
    return [para(duty.description, ParagraphStyle("duty", parent=st.body, spaceAfter=1)),
            para(" · ".join(details), small)]
