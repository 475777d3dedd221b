"""Inspection checks on applications and decisions (DOMAIN.md §5, §6, §8): deadlines kept, adult recipients
bound by a co-operation agreement, every recipient (and a guardian) informed, every issued decision signed
by the head and unaltered since.

Terms come from reference data: the benefit catalogue (``assistance_lv``: which benefits need an agreement),
the casework norms valid on the decision date, and the working calendar for working-day terms.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from app.deadlines import ADULT_AGE, age_on
from app.decisions import CORRECTING, content_hash
from app.reports.model import Finding, Message
from app.reports.source import ASSISTANCE, Source
from storage.errors import N_
from storage.models import Agreement, Application, Client, Decision, DecisionNotification, Person

#: Civil Law Art. 219: a person is of age at 18 (the law, not a municipal setting)
GRANTING = ("grant", "partial")
#: what the checks read of an issued decision and its client (columns, not whole records: a report reads many)
ISSUED = (Decision.id, Decision.client_id, Decision.issued_on, Decision.drafted_by_user_id, Client.parish_id,
          Client.responsible_user_id, Client.person_id, Client.capacity_limited, Client.legal_representative_id,
          Person.birth_date)


def _issued(src: Source, *where, columns=ISSUED):
    """Issued decisions on the report date the user may see."""
    return src.session.execute(
        select(*columns).join(Client, Client.id == Decision.client_id).join(Person, Person.id == Client.person_id)
        .where(Decision.status == "issued", Decision.deleted.is_(False), Decision.issued_on <= src.today,
               Client.deleted.is_(False), src.visible(), *where)
        .order_by(Decision.issued_on, Decision.id)).all()


def _finding(row, msgid: str, **params) -> Finding:
    """A decision's finding, dated by its ``day`` parameter; it belongs to the worker who drafted the decision,
    else to the client's worker."""
    return Finding("decisions", row.id, row.client_id, row.drafted_by_user_id or row.responsible_user_id,
                   row.parish_id, params.get("day"), Message(msgid, params))


def adult_recipients_without_agreement(src: Source) -> list[Finding]:
    """Adults granted a benefit that needs a co-operation agreement, with none covering the decision date (an
    unknown date of birth counts as an adult, as when the decision is issued)."""
    catalogue = src.document(ASSISTANCE)["benefits"]
    codes = [entry["code"] for entry in catalogue if entry.get("needs_agreement")]
    decisions = _issued(src, Decision.kind.in_(GRANTING), Decision.benefit_code.in_(codes))
    agreements = defaultdict(list)
    for agreement in src.session.scalars(select(Agreement).where(
            Agreement.client_id.in_(select(Decision.client_id).where(Decision.status == "issued",
                                                                     Decision.benefit_code.in_(codes))),
            Agreement.status.in_(("signed", "ended")), Agreement.client_signed.is_(True),
            Agreement.deleted.is_(False))):
        agreements[agreement.client_id].append(agreement)
    found = []
    for decision in decisions:
        if decision.birth_date is not None and age_on(decision.birth_date, decision.issued_on) < ADULT_AGE:
            continue  # a child: the agreement is made with the adults of the household
        within = src.casework(decision.issued_on)["agreement_within_days"]
        due = decision.issued_on + dt.timedelta(days=within)
        if due >= src.today:
            continue  # there is still time to conclude it
        covered = any(a.valid_from <= due and (a.valid_to is None or a.valid_to >= decision.issued_on)
                      for a in agreements[decision.client_id])
        if not covered:
            found.append(_finding(decision, N_(
                "benefit granted on {issued} to an adult with no signed co-operation agreement (due {day})"),
                issued=decision.issued_on, day=due))
    return found


def missed_application_deadlines(src: Source) -> list[Finding]:
    """Applications undecided past their deadline, and applications decided after it."""
    applications = src.session.execute(
        select(Application.id, Application.received_on, Application.decision_due, Application.extended_until,
               Application.handled_by_user_id, Client.id.label("client_id"), Client.parish_id,
               Client.responsible_user_id).join(Client, Client.id == Application.client_id)
        .where(Application.deleted.is_(False), Application.status != "withdrawn",
               Application.received_on <= src.today, Client.deleted.is_(False), src.visible())
        .order_by(Application.received_on, Application.id)).all()
    decided = dict(src.session.execute(
        select(Decision.application_id, func.min(Decision.issued_on)).where(
            Decision.status == "issued", Decision.deleted.is_(False), Decision.issued_on <= src.today,
            Decision.kind.not_in(CORRECTING), Decision.application_id.is_not(None))
        .group_by(Decision.application_id)).all())
    found = []
    for application in applications:
        due = application.extended_until or application.decision_due
        if due is None:
            continue
        decided_on = decided.get(application.id)
        if decided_on is None and due < src.today:
            message = Message(N_("application received on {received} is not decided; the deadline was {day}"),
                              {"received": application.received_on, "day": due})
        elif decided_on is not None and decided_on > due:
            message = Message(N_("application decided on {decided}, after the deadline {day}"),
                              {"decided": decided_on, "day": due})
        else:
            continue
        found.append(Finding("applications", application.id, application.client_id,
                             application.handled_by_user_id or application.responsible_user_id,
                             application.parish_id, due, message))
    return found


def clients_not_informed(src: Source) -> list[Finding]:
    """Issued decisions nobody was notified of in time; for a client under guardianship, both the client and
    the legal representative must be notified."""
    decisions = _issued(src)
    recipients = defaultdict(set)
    for decision_id, person_id, *days in src.session.execute(
            select(DecisionNotification.decision_id, DecisionNotification.recipient_person_id,
                   DecisionNotification.received_on, DecisionNotification.sent_on, DecisionNotification.registered_on)
            .where(DecisionNotification.deleted.is_(False),
                   DecisionNotification.decision_id.in_(select(Decision.id).where(Decision.status == "issued")))):
        informed = next((day for day in days if day is not None), None)
        if informed is None or informed <= src.today:
            recipients[decision_id].add(person_id)
    calendar = src.calendar()
    found = []
    for decision in decisions:
        working_days = src.casework(decision.issued_on)["notification_due_working_days"]
        due = calendar.add_working_days(decision.issued_on, working_days)
        if due >= src.today:
            continue
        notified = recipients[decision.id]
        if not notified:
            msgid = N_("decision issued on {issued} was not notified to anyone (due {day})")
        elif decision.capacity_limited and decision.legal_representative_id is not None:
            if decision.person_id not in notified and decision.legal_representative_id not in notified:
                msgid = N_("decision issued on {issued} was notified to neither the client nor the legal "
                           "representative (due {day})")
            elif decision.legal_representative_id not in notified:
                msgid = N_("decision issued on {issued} was not notified to the legal representative (due {day})")
            elif decision.person_id not in notified:
                msgid = N_("decision issued on {issued} was not notified to the client in person (due {day})")
            else:
                continue
        else:
            continue
        found.append(_finding(decision, msgid, issued=decision.issued_on, day=due))
    return found


def unsigned_or_altered_decisions(src: Source) -> list[Finding]:
    """Issued decisions without the head's signature, or whose content no longer matches its verification hash."""
    found = []
    for row in _issued(src, columns=(Decision, *ISSUED)):
        decision = row[0]
        if decision.approved_by_user_id is None or decision.signed_at is None:
            msgid = N_("decision issued on {day} has no head's approval and signature")
        elif decision.content_hash != content_hash(decision):
            msgid = N_("decision issued on {day} was changed after issue: its verification code does not match")
        else:
            continue
        found.append(_finding(row, msgid, day=decision.issued_on))
    return found
