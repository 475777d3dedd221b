"""Dialogs of the co-operation agreement (DOMAIN.md §3): make a draft, add the client's duties, record that it
was signed, and check a duty — fulfilled or not, on which day, with the evidence (required when not fulfilled:
it may later be a documented reason to refuse assistance). Enter saves, Esc cancels."""

from __future__ import annotations

import uuid
from typing import Callable

from PySide6.QtWidgets import QWidget

from app import cases
from app.context import Context
from app.i18n import N_, _
from ui.clients.tabs.base import label
from ui.clients.tabs.form_dialog import Field, FormDialog, opened, today_text


def create_agreement(parent: QWidget, ctx: Context, client_id: uuid.UUID, case_id: uuid.UUID | None,
                     on_saved: Callable[[], None]) -> FormDialog:
    """A draft agreement, part of the open case when there is one."""
    fields = [Field("valid_from", N_("&Valid from:"), "date", today_text(ctx)),
              Field("valid_to", N_("Valid &until:"), "date"), Field("text", N_("&Terms:"), "text")]
    return opened(FormDialog(_("New co-operation agreement"), fields, lambda v: cases.create_agreement(
        ctx, client_id, v["valid_from"], valid_to=v["valid_to"] or None, text=v["text"] or None, case_id=case_id),
        parent), on_saved)


def add_duty(parent: QWidget, ctx: Context, agreement_id: uuid.UUID, on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("description", N_("&Duty:"), "text"), Field("deadline", N_("&Deadline:"), "date")]
    return opened(FormDialog(_("Add a duty"), fields, lambda v: cases.add_duty(
        ctx, agreement_id, v["description"], deadline=v["deadline"] or None), parent), on_saved)


def sign_agreement(parent: QWidget, ctx: Context, agreement_id: uuid.UUID,
                   on_saved: Callable[[], None]) -> FormDialog:
    fields = [Field("concluded_on", N_("&Signed on:"), "date", today_text(ctx))]
    return opened(FormDialog(_("The client signed the agreement"), fields, lambda v: cases.sign_agreement(
        ctx, agreement_id, v["concluded_on"]), parent), on_saved)


def record_fulfilment(parent: QWidget, ctx: Context, duty_id: uuid.UUID, on_saved: Callable[[], None], *,
                      current: str = "pending", evidence: str = "") -> FormDialog:
    options = tuple((label("fulfilment", code), code) for code in cases.FULFILMENTS)
    fields = [Field("fulfilment", N_("&Fulfilment:"), "choice", current if current != "pending" else "fulfilled",
                    options),
              Field("checked_on", N_("&Checked on:"), "date", today_text(ctx)),
              Field("evidence", N_("&Evidence (required when not fulfilled):"), "text", evidence)]
    return opened(FormDialog(_("Fulfilment of the duty"), fields, lambda v: cases.record_duty_fulfilment(
        ctx, duty_id, v["fulfilment"], v["checked_on"], evidence=v["evidence"] or None), parent), on_saved)
