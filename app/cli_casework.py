"""`lieta due`, `lieta deadline`, `lieta means-test` and `lieta decision-dates`: the case-work rules on the
command line (the Today screen and the worker's calculators call the same functions)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import uuid

from app import i18n
from app.i18n import _
from storage.errors import N_


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("use a date like 2026-11-23")) from None


def cmd_due(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, open_context
    from app.due import KINDS, due_items

    ctx = open_context(args)
    try:
        today = ctx.today()
        items = due_items(ctx, within_days=args.days, everyone=args.everyone)
    finally:
        ctx.store.lock()
    if args.format == "json":
        print(json.dumps([{"kind": i.kind, "due_on": i.due_on.isoformat(), "overdue": i.overdue(today),
                           "client_id": str(i.client_id) if i.client_id else None, "record_id": str(i.record_id),
                           "detail": i.detail} for i in items], ensure_ascii=False, indent=1))
        return EXIT_OK
    for item in items:
        mark = _("OVERDUE") if item.overdue(today) else ""
        print("\t".join([item.due_on.isoformat(), mark, i18n.gettext(KINDS[item.kind]), item.detail,
                         str(item.client_id or ""), str(item.record_id)]))
    if not items:
        print(_("Nothing is due."))
    return EXIT_OK


def cmd_deadline(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, UsageError
    from app.deadlines import calendar

    if sum(1 for value in (args.months, args.days, args.working_days) if value) != 1:
        raise UsageError(N_("Give the term in exactly one unit: --months, --days or --working-days."))
    end = calendar().term_end(args.start, months=args.months or 0, days=args.days or 0,
                              working_days=args.working_days or 0)
    print(end.isoformat())
    return EXIT_OK


def cmd_means_test(args: argparse.Namespace) -> int:
    from app import reference, validation
    from app.cli import EXIT_OK
    from app.means_test import evaluate

    result = evaluate(reference.document("assistance_lv"), args.date, household_size=args.size,
                      income_cents=validation.money_cents(args.income, "income"),
                      housing_costs_cents=validation.money_cents(args.housing_costs, "housing_costs",
                                                                 required=False) or 0,
                      housing_category=args.category)
    if args.format == "json":
        print(json.dumps(result.snapshot(), ensure_ascii=False, indent=1))
        return EXIT_OK
    euros = lambda cents: f"{cents / 100:.2f}".replace(".", ",") + " EUR"  # noqa: E731
    statuses = {"needy": _("needy"), "low_income": _("low-income"), "none": _("no status")}
    print(_("Thresholds valid from {day}").format(day=result.thresholds_valid_from))
    print(_("Household status: {status}").format(status=statuses[result.result]))
    print(_("GMI benefit: {amount}").format(amount=euros(result.gmi_benefit_cents)))
    print(_("Housing benefit: {amount}").format(amount=euros(result.housing_benefit_cents)))
    return EXIT_OK


def cmd_decision_dates(args: argparse.Namespace) -> int:
    from app.decisions import decision_dates
    from app.cli import EXIT_OK, UsageError, open_context

    try:
        decision_id = uuid.UUID(args.decision)
    except ValueError:
        raise UsageError(N_("'{value}' is not a record id."), value=args.decision) from None
    ctx = open_context(args)
    try:
        dates = decision_dates(ctx, decision_id)
    finally:
        ctx.store.lock()
    fields = {"state": dates.state, "issued_on": dates.issued_on, "in_force_on": dates.in_force_on,
              "appeal_until": dates.appeal_until, "final_on": dates.final_on,
              "missing_recipients": [str(p) for p in dates.missing_recipients]}
    for key, value in fields.items():
        print(f"{key}\t{value.isoformat() if isinstance(value, dt.date) else value if value is not None else ''}")
    return EXIT_OK


def add_casework_commands(sub) -> None:
    formats = ("text", "json")
    due = sub.add_parser("due", help=_("what is due and overdue: deadlines, reviews, tasks, notifications"))
    due.set_defaults(handler=cmd_due)
    due.add_argument("--days", type=int, default=14, help=_("look this many days ahead (default 14)"))
    due.add_argument("--everyone", action="store_true", help=_("every visible client, not only your own"))
    due.add_argument("--format", choices=formats, default="text")

    deadline = sub.add_parser("deadline", help=_("the last day of a legal term (holidays and weekends counted)"))
    deadline.set_defaults(handler=cmd_deadline)
    deadline.add_argument("start", type=_day, help=_("the day of the event that starts the term"))
    deadline.add_argument("--months", type=int)
    deadline.add_argument("--days", type=int)
    deadline.add_argument("--working-days", type=int)

    means = sub.add_parser("means-test", help=_("household status and benefit amounts for an income"))
    means.set_defaults(handler=cmd_means_test)
    means.add_argument("--size", type=int, required=True, help=_("household members"))
    means.add_argument("--income", required=True, help=_("household income, EUR a month"))
    means.add_argument("--housing-costs", default=None, help=_("allowed housing costs, EUR a month"))
    means.add_argument("--category", default="other",
                       choices=("single_pensioner_or_disabled", "only_pensioners_or_disabled", "other"))
    means.add_argument("--date", type=_day, default=dt.date.today(), help=_("the application date"))
    means.add_argument("--format", choices=formats, default="text")

    dates = sub.add_parser("decision-dates", help=_("notification, entry into force and appeal term of a decision"))
    dates.set_defaults(handler=cmd_decision_dates)
    dates.add_argument("decision", help=_("the decision's id"))
