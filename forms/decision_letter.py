"""The decision letter (APL Art. 67): number and date, addressee, what was applied for and when, the facts and
the means-test result, the legal basis, the reasons, the operative part with amount and period, co-operation
duties, the appeal route for an unfavourable decision, and the head of service's signature block.

Only an approved and signed decision prints as final, with its verification seal (:mod:`forms.seal`);
anything earlier prints with the DRAFT mark and no seal. Missing
required content is refused before anything is rendered (:func:`app.decisions.require_complete`), and every
printing is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app import attestation, audit
from app.assistance import catalogue_entry
from app.cases import visible_record
from app.context import Context
from app.decisions import ENTITY_DECISION, require_complete
from app.i18n import _, current_language, gettext
from storage.errors import N_
from storage.models import Application, Decision, MeansTest, Person, User
from forms.labels import date_text, euros
from forms.pdf import SERIF, letterhead, para, render, styles
from forms.seal import beside_signature, seal_for

FINAL_STATUSES = ("approved", "issued")
NUMBER_LINE = N_("No. {number}")
AMOUNT_LINE = N_("Amount: {amount} per month, from {start} to {end}")
CORRECTS = {"amendment": N_("This decision amends the decision No. {number} of {date}."),
            "revocation": N_("This decision revokes the decision No. {number} of {date}.")}
KIND_TITLES = {"grant": N_("DECISION to grant"), "partial": N_("DECISION to grant in part"),
               "refusal": N_("DECISION to refuse"), "amendment": N_("DECISION to amend a decision"),
               "revocation": N_("DECISION to revoke a decision")}


def is_final(decision: Decision) -> bool:
    return decision.status in FINAL_STATUSES and decision.signed_at is not None


def decision_letter(ctx: Context, decision_id: uuid.UUID, *, large_print: bool = False) -> bytes:
    """The letter as PDF bytes (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        decision, client = visible_record(ctx, session, Decision, decision_id, ENTITY_DECISION)
        person = session.get(Person, client.person_id)
        final = is_final(decision)
        if final:
            require_complete(decision, session)
        elif not (person.address or "").strip():
            require_complete(decision, session)  # even a draft needs someone to address
        application = session.get(Application, decision.application_id) if decision.application_id else None
        means = session.query(MeansTest).filter(MeansTest.application_id == application.id).order_by(
            MeansTest.created_at.desc()).first() if application else None
        head = session.get(User, decision.approved_by_user_id) if decision.approved_by_user_id else None
        data = _letter_data(session, decision, person, application, means, head)
        data["seal"] = seal_for(session, attestation.decision_facts(decision, person)) if final else None
        letterhead_doc = letterhead(session)
    pdf = render(lambda: _story(data, letterhead_doc, large_print), title=data["title"], head=letterhead_doc,
                 draft=not final)
    audit.record(ctx, "print", entity="decisions", entity_id=decision_id, client_id=client.id,
                 details={"kind": "decision_letter", "final": final})
    return pdf


def _letter_data(session: Any, decision: Decision, person: Person, application: Application | None,
                 means: MeansTest | None, head: User | None) -> dict[str, Any]:
    benefit = ""
    if decision.benefit_code:  # printed in the letter's language (Latvian first)
        names = catalogue_entry(session, decision.benefit_code)["name"]
        benefit = names.get(current_language(), names["lv"])
    return {
        "title": gettext(KIND_TITLES.get(decision.kind, KIND_TITLES["grant"])),
        "number": decision.number, "issued_on": decision.issued_on, "status": decision.status,
        "addressee": f"{person.given_name} {person.surname}", "address": person.address or "",
        "application": application, "benefit": benefit,
        "request": decision.request_summary, "facts": decision.facts, "views": decision.participants_views,
        "means": means, "basis": list(decision.legal_basis or []), "reasons": decision.reasons,
        "operative": decision.operative_part, "amount": decision.amount_cents,
        "period": (decision.period_from, decision.period_to), "appeal_body": decision.appeal_body,
        "appeal_term": decision.appeal_term, "unfavourable": decision.kind in ("refusal", "partial", "revocation"),
        "head": head.display_name if head else None, "head_position": head.position if head else None,
        "signed_at": decision.signed_at,
        "corrects": _corrected(session, decision),
    }


def _corrected(session: Any, decision: Decision) -> str | None:
    """For an amendment or revocation: which earlier decision it changes (the reader must be able to find it)."""
    earlier = session.get(Decision, decision.amends_decision_id) if decision.amends_decision_id else None
    if earlier is None or decision.kind not in CORRECTS:
        return None
    return _(CORRECTS[decision.kind]).format(number=earlier.number or "—", date=date_text(earlier.issued_on))


def _story(data: dict[str, Any], head: dict[str, Any], large_print: bool) -> list:
    st = styles(large_print)
    story: list = []
    number = data["number"] or _("(number given at issue)")
    meta = Table([[para(_(NUMBER_LINE).format(number=number), st.label),
                   para(date_text(data["issued_on"]), ParagraphStyle("date", parent=st.label, alignment=TA_RIGHT))]],
                 colWidths=["60%", "40%"])
    meta.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [meta, Spacer(1, 4 * mm), para(data["addressee"], st.label), para(data["address"], st.body),
              Spacer(1, 6 * mm), para(data["title"], st.title)]
    if data["corrects"]:
        story.append(para(data["corrects"], st.body))
    application = data["application"]
    if application is not None:
        story.append(para(_("On {date} the social service received the application {number}: {benefit}.").format(
            date=date_text(application.received_on), number=application.registration_number or "—",
            benefit=data["benefit"] or application.benefit_code), st.body))
    sections = [(_("What was requested"), data["request"]), (_("Established facts"), data["facts"])]
    if data["views"]:
        sections.append((_("Views of the participants"), data["views"]))
    for heading, text in sections:
        story += [para(heading, st.heading), para(text, st.body)]
    means = data["means"]
    if means is not None:
        story += [para(_("Means test"), st.heading), para(_means_text(means), st.body)]
    story.append(para(_("Legal basis"), st.heading))
    norm_style = ParagraphStyle("norm", parent=st.body, alignment=TA_LEFT)  # a long title justified gapes
    story += [para(f"– {norm}", norm_style) for norm in data["basis"]]
    if data["reasons"]:
        story += [para(_("Reasons"), st.heading), para(data["reasons"], st.body)]
    story += [para(_("Decision"), st.heading), para(data["operative"], st.body)]
    if data["amount"] is not None:
        start, end = data["period"]
        story.append(para(_(AMOUNT_LINE).format(amount=euros(data["amount"]), start=date_text(start),
                                                end=date_text(end)), st.body))
    if data["unfavourable"] and data["appeal_body"]:
        story += [para(_("How to contest this decision"), st.heading), para(_(
            "This decision may be contested at {body}, {term}.").format(
            body=data["appeal_body"], term=data["appeal_term"]), st.body)]
    signer = data["head"] or "______________________"
    block = [Spacer(1, 10 * mm), para(data["head_position"] or head.get("head_title", ""), st.body),
             para(signer, st.label)]
    if data["signed_at"]:
        block.append(para(_("Signed on {date}").format(date=date_text(data["signed_at"].date())), st.small))
    else:
        block.append(para(_("Signature: ______________________"), st.body))
    story.append(KeepTogether(beside_signature(block, data["seal"], st) if data["seal"] else block))
    return story


def _means_text(means: MeansTest) -> str:
    status = {"needy": _("needy household"), "low_income": _("low-income household")}.get(
        means.result or "", _("neither needy nor low-income"))
    per_person = means.income_cents // max(means.household_size, 1)
    return _("Household members: {size}; income {income} a month ({per_person} per member), tested on {date} – "
             "{status}."
             ).format(size=means.household_size, income=euros(means.income_cents), per_person=euros(per_person),
                      date=date_text(means.performed_on), status=status)


def stated_facts(facts: dict[str, Any], language: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Where the letter states each signed fact in ``language``: a phrase and the value of its placeholder(s)
    (what :mod:`forms.verification` looks for; the phrase's other placeholders may say anything)."""
    def day(name: str) -> str:
        return date_text(dt.date.fromisoformat(facts[name])) if facts.get(name) else "—"

    stated = {"name": ("{name}", {"name": facts["name"]}), "date": ("{date}", {"date": day("date")})}
    if facts.get("number"):
        stated["number"] = (gettext(NUMBER_LINE, language), {"number": facts["number"]})
    if facts.get("amount") is not None:
        line = gettext(AMOUNT_LINE, language)
        stated.update(amount=(line, {"amount": euros(facts["amount"])}), **{
            "from": (line, {"start": day("from")}), "to": (line, {"end": day("to")})})
    return stated
