"""`lieta print KIND ID --out FILE.pdf`: documents on the command line. A PDF reaches the disk only here, where
the user names the file; the desktop app previews and prints from memory."""

from __future__ import annotations

import argparse
import os
import uuid
from pathlib import Path

from app.i18n import _

KINDS = ("decision",)


def cmd_print(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, open_context
    from forms.decision_letter import decision_letter

    ctx = open_context(args)
    try:
        pdf = decision_letter(ctx, uuid.UUID(args.id), large_print=args.large_print)
    finally:
        ctx.store.lock()
    out = Path(args.out)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pdf)
    print(_("Saved {path}.").format(path=out))
    return EXIT_OK


def add_print_commands(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("print", help=_("save a document as PDF (decision letters)"))
    command.set_defaults(handler=cmd_print)
    command.add_argument("kind", choices=KINDS)
    command.add_argument("id")
    command.add_argument("--out", required=True, help=_("the PDF file to write"))
    command.add_argument("--large-print", action="store_true", help=_("14-point text for clients who need it"))
