"""``lieta report …``: the inspection-readiness report and the service reports on the command line.

Kept out of ``app/cli.py`` so the main command module stays small; ``build_parser`` calls
:func:`add_report_commands`. Output goes to stdout as aligned text in the chosen language or as JSON, or with
``--pdf FILE`` to the printable document (``forms.service_reports``, loaded by name: forms sit above app).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from app import validation as v
from app.cli import EXIT_OK, open_context
from app.errors import NotFound
from app.i18n import _, current_language
from storage.errors import N_

FORMATS = ("text", "json")
ENTITY_USER = N_("user")


def _worker_id(ctx, login: str | None):
    if login is None:
        return None
    from sqlalchemy import select  # the command line's parser loads no database code (the desktop starts from it)

    from storage.models import User

    with ctx.read() as session:
        user_id = session.scalar(select(User.id).where(User.login == login.strip(), User.deleted.is_(False)))
    if user_id is None:
        raise NotFound(entity_msg=ENTITY_USER)
    return user_id


def _build(ctx, args: argparse.Namespace):
    from app import reports

    if args.report_command == "inspection":
        today = v.date(args.date, "date") if args.date else None
        return reports.inspection_report(ctx, worker_id=_worker_id(ctx, args.worker), today=today)
    if args.report_command == "workload":
        return reports.workload_report(ctx, args.year, worker_id=_worker_id(ctx, args.worker))
    if args.report_command == "statistics":
        return reports.statistics_report(ctx, args.year)
    return reports.complaints_register(ctx, args.year)


def cmd_report(args: argparse.Namespace) -> int:
    from app.reports import render

    ctx = open_context(args)
    try:
        report = _build(ctx, args)
        if args.pdf:
            pdf = importlib.import_module("forms.service_reports").print_report(ctx, report)
    finally:
        ctx.store.lock()
    if args.pdf:
        importlib.import_module("forms.pdf").save_pdf(Path(args.pdf), pdf)
        print(_("Saved {path}.").format(path=args.pdf))
        return EXIT_OK
    output = render.to_json(report) if args.format == "json" else render.to_text(report, current_language())
    print(output, end="")
    return EXIT_OK


def add_report_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report inspection|workload|statistics|complaints`` to the ``lieta`` parser."""
    report = subparsers.add_parser("report", help=_("inspection readiness, workload, statistics and complaints "
                                                    "reports"))
    report.set_defaults(handler=cmd_report)
    kinds = report.add_subparsers(dest="report_command", required=True, parser_class=type(report))

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = kinds.add_parser(name, help=help_text)
        command.add_argument("--format", choices=FORMATS, default="text", help=_("output format (default: text)"))
        command.add_argument("--pdf", metavar="FILE", help=_("save the printable report (tables and charts) as PDF"))
        return command

    inspection = add("inspection", _("what an inspector would find: per check, per worker and per parish"))
    inspection.add_argument("--worker", metavar="LOGIN", help=_("only the findings of this worker"))
    inspection.add_argument("--date", help=_("the day to check as of (default: today), e.g. 2026-11-23"))
    workload = add("workload", _("cases, consultations, home visits, supervision and training per worker"))
    workload.add_argument("--worker", metavar="LOGIN", help=_("only this worker"))
    add("statistics", _("the annual state report tables: clients and benefits"))
    add("complaints", _("the complaints and suggestions register with answer deadlines"))
    for name in ("workload", "statistics", "complaints"):
        kinds.choices[name].add_argument("--year", type=int, required=True, help=_("the calendar year"))
