"""A decision told in a few lines: what the head reads in the queue, and the course of the decision (the approval
trail, issue, notification, entry into force, the appeal term) under its form."""

from __future__ import annotations

from app.decisions import DecisionDetail, TrailStep
from app.i18n import _
from forms.labels import moment_text
from ui.decisions.model import benefit_name, code_label, day, money


def trail_text(trail: list[TrailStep]) -> str:
    lines = []
    for step in trail:
        lines.append(f"{moment_text(step.at)} — {code_label('approval', step.action)} — {step.by}")
        if step.comment:
            lines.append(f"    “{step.comment}”")
    return "\n".join(lines)


def timeline_text(detail: DecisionDetail) -> str:
    """Issue and what follows it (app.decision_timeline), in the order it happens."""
    timeline = detail.timeline
    if timeline.issued_on is None:
        return "" if detail.trail else _("Not submitted yet.")
    names = {r.person_id: r.name for r in detail.recipients}
    lines = [_("Issued on {date}").format(date=day(timeline.issued_on))]
    for person, notified in timeline.notified.items():
        lines.append(_("{name} deemed notified on {date}").format(name=names.get(person, "—"), date=day(notified)))
    if timeline.missing_recipients:
        waiting = ", ".join(names.get(person, "—") for person in timeline.missing_recipients)
        lines.append(_("Waiting for the notification of: {names}").format(names=waiting))
    if timeline.in_force_on:
        lines.append(_("In force from {date}").format(date=day(timeline.in_force_on)))
        lines.append(_("Can be contested until {date}").format(date=day(timeline.appeal_until)))
        lines.append(_("Final from {date}").format(date=day(timeline.final_on)))
    return "\n".join(lines)


def decision_summary(detail: DecisionDetail, benefits: dict[str, dict[str, str]]) -> str:
    """The decision's substance for the head: who, what, how much, on what grounds."""
    content = detail.content
    rows = [
        (_("Client"), detail.client_name),
        (_("Kind"), code_label("decision_kind", content.kind)),
        (_("Benefit"), benefit_name(content.benefit_code, benefits)),
        (_("Amount"), money(detail.amount_cents)),
        (_("Period"), f"{day(content.period_from)} – {day(content.period_to)}" if content.period_from else "—"),
        (_("Application"), f"{detail.application_number} ({day(detail.application_received_on)})"
         if detail.application_number else "—"),
        (_("Social worker"), detail.drafted_by),
        (_("What was requested"), content.request_summary or "—"),
        (_("Established facts"), content.facts or "—"),
        (_("Reasons"), content.reasons or "—"),
        (_("Legal norms applied"), "; ".join(content.legal_basis) or "—"),
        (_("Operative part"), content.operative_part or "—"),
    ]
    return "\n".join(f"{title}: {value}" for title, value in rows)

