"""The columns of the decision screens' tables (ui.widgets.table) and the few ways they write a value for people."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtGui import QColor

from app.i18n import _
from forms.labels import date_text, euros, in_language, label
from ui.widgets.table import Column

OVERDUE = QColor("#a11d1d")


def day(value: dt.date | dt.datetime | None) -> str:
    """23.11.2026. — a stored moment in the laptop's local time."""
    if isinstance(value, dt.datetime):
        value = value.astimezone().date() if value.tzinfo else value.date()
    return date_text(value) if value else "—"


def money(cents: int | None) -> str:
    return euros(cents) if cents is not None else "—"


def benefit_name(code: str | None, names: dict[str, dict[str, str]]) -> str:
    """The catalogue's name in the current language; an unknown code as it is stored."""
    if not code:
        return "—"
    return in_language(names.get(code), code)


def days_left_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return _("overdue, days: {n}").format(n=-days)
    if days == 0:
        return _("due today")
    return _("days left: {n}").format(n=days)


def code_label(group: str, code: str | None) -> str:
    return label(group, code)


def application_columns(benefits: Callable[[], dict[str, dict[str, str]]]) -> list[Column]:
    return [
        Column(_("Number"), lambda a: a.registration_number or "—"),
        Column(_("Received"), lambda a: day(a.received_on)),
        Column(_("Benefit"), lambda a: benefit_name(a.benefit_code, benefits())),
        Column(_("Decide by"), lambda a: " ".join(filter(None, [day(a.due_on), days_left_text(a.days_left)])),
               lambda a: OVERDUE if a.days_left is not None and a.days_left < 0 else None),
        Column(_("Means test"), lambda a: code_label("household_status", a.means_result) if a.means_result
               else (_("not done") if a.means_tested else "")),
        Column(_("State"), lambda a: code_label("application", a.status)),
    ]


def decision_columns(benefits: Callable[[], dict[str, dict[str, str]]]) -> list[Column]:
    return [
        Column(_("Number"), lambda d: d.number or "—"),
        Column(_("Date"), lambda d: day(d.issued_on or d.drafted_on)),
        Column(_("Kind"), lambda d: code_label("decision_kind", d.kind)),
        Column(_("Benefit"), lambda d: benefit_name(d.benefit_code, benefits())),
        Column(_("Amount"), lambda d: money(d.amount_cents)),
        Column(_("State"), lambda d: code_label("decision", d.status)),
        Column(_("Notified"), lambda d: (_("yes") if d.notified else _("not yet")) if d.status == "issued" else ""),
    ]


def queue_columns(benefits: Callable[[], dict[str, dict[str, str]]]) -> list[Column]:
    return [
        Column(_("Client"), lambda q: q.client_name),
        Column(_("Benefit"), lambda q: benefit_name(q.benefit_code, benefits())),
        Column(_("Kind"), lambda q: code_label("decision_kind", q.kind)),
        Column(_("Amount"), lambda q: money(q.amount_cents)),
        Column(_("Social worker"), lambda q: q.worker),
        Column(_("Submitted"), lambda q: day(q.submitted_at)),
        Column(_("Days waiting"), lambda q: str(q.days_waiting),
               lambda q: OVERDUE if q.days_waiting > 7 else None),
    ]
