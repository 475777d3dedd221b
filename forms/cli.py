"""`lieta print KIND ID --out FILE.pdf` and `lieta verify CODE`: documents on the command line. A PDF reaches the
disk only here, where the user names the file; the desktop app previews and prints from memory."""

from __future__ import annotations

import argparse
import importlib
import inspect
import uuid
from pathlib import Path

from app.i18n import _, gettext
from storage.errors import N_

#: ``lieta print KIND ID``: the module and function that make each document from a record's id (and what id)
DOCUMENTS = {
    "decision": ("forms.decision_letter", "decision_letter", N_("a decision")),
    "visit": ("forms.home_visit", "home_visit_report", N_("a home visit")),
    "assessment": ("forms.assessment", "assessment_report", N_("an assessment")),
    "plan": ("forms.intervention_plan", "intervention_plan", N_("an intervention plan")),
    "agreement": ("forms.agreement", "cooperation_agreement", N_("a co-operation agreement")),
    "client-card": ("forms.client_card", "client_card", N_("a client")),
    "genogram": ("forms.genogram", "genogram", N_("a client")),
    "client-data": ("forms.client_data", "client_data_report", N_("a person")),
}
BLANK_FORMS = ("home-visit",)


def _record_id(text: str) -> uuid.UUID:
    from app.cli import UsageError

    try:
        return uuid.UUID(text)
    except ValueError:
        raise UsageError(N_("'{value}' is not a record id: find ids with 'lieta list'."), value=text[:40]) from None


def cmd_print(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, UsageError, open_context

    if args.kind == "blank":
        if args.id not in BLANK_FORMS or not args.template:
            raise UsageError(N_("Use: lieta print blank home-visit --template TEMPLATE --out FILE.pdf"))
        from forms.home_visit import blank_checklist

        pdf = blank_checklist(args.template, large_print=args.large_print)
    else:
        module, function, _what = DOCUMENTS[args.kind]
        make = getattr(importlib.import_module(module), function)
        record = _record_id(args.id)
        ctx = open_context(args)
        try:
            takes_size = "large_print" in inspect.signature(make).parameters  # a genogram is a drawing: one size
            pdf = make(ctx, record, large_print=args.large_print) if takes_size else make(ctx, record)
        finally:
            ctx.store.lock()
    from forms.pdf import save_pdf  # reportlab loads only when a document is printed

    save_pdf(Path(args.out), pdf)
    print(_("Saved {path}.").format(path=args.out))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, open_context
    from app.listing import printable

    ctx = open_context(args)
    try:
        lines = printable(ctx, args.kind, client_id=_record_id(args.client) if args.client else None,
                          limit=args.limit)
    finally:
        ctx.store.lock()
    for line in lines:
        extra = f"\t{line.person_id}" if args.kind == "clients" else ""
        print(f"{line.id}\t{line.day.strftime('%d.%m.%Y.') if line.day else '—'}\t{line.client}\t{line.what}{extra}")
    if not lines:
        print(_("Nothing found."))
    return EXIT_OK


def add_print_commands(sub: argparse._SubParsersAction) -> None:
    from app.listing import KINDS

    kinds = ", ".join(f"{kind} ({gettext(what)})" for kind, (_m, _f, what) in DOCUMENTS.items())
    command = sub.add_parser("print", help=_("save a document as PDF: {kinds}; or a blank home-visit checklist")
                             .format(kinds=kinds))
    command.set_defaults(handler=cmd_print)
    command.add_argument("kind", choices=[*DOCUMENTS, "blank"])
    command.add_argument("id", help=_("the record's id (see 'lieta list'), or 'home-visit' for a blank form"))
    command.add_argument("--out", required=True, help=_("the PDF file to write"))
    command.add_argument("--template", help=_("the checklist template of a blank form, e.g. home_visit_family"))
    command.add_argument("--large-print", action="store_true", help=_("14-point text for clients who need it"))
    listing = sub.add_parser("list", help=_("find records to print: their ids, dates and clients"))
    listing.set_defaults(handler=cmd_list)
    listing.add_argument("kind", choices=KINDS)
    listing.add_argument("--client", help=_("only this client's records (client id)"))
    listing.add_argument("--limit", type=int, default=50)


def cmd_verify(args: argparse.Namespace) -> int:
    """A QR token is checked offline (with the service's public key); a short code is looked up on this laptop."""
    from app import attestation
    from app.signing import PublicKeys
    from app.cli import EXIT_INVALID, EXIT_OK, UsageError, open_context
    from forms import verification

    text = args.code.strip()
    document_text = verification.pdf_text(_read(Path(args.pdf))) if args.pdf else None
    if text.upper().startswith(attestation.TOKEN_PREFIX):
        if args.service_key:
            service = PublicKeys.from_text(args.service_key)
        else:
            ctx = open_context(args)
            try:
                with ctx.read() as session:
                    service = attestation.service_public_key(session)
            finally:
                ctx.store.lock()
            if service is None:
                raise UsageError(N_("This laptop is not enrolled with a central service: give the service's public "
                                    "key with --service-key."))
        check = verification.check_token(text, service, document_text)
    else:
        ctx = open_context(args)
        try:
            check = verification.find_by_code(ctx, text)
        finally:
            ctx.store.lock()
        if check is None:
            print(_("No issued document with the code {code} is on this laptop (or you may not see it).").format(
                code=attestation.normalise_code(text)))
            return EXIT_INVALID
        if document_text is not None:
            check = verification.Check(check.facts, check.code, verification.mismatches(check.facts, document_text))
    print(_("Genuine: signed by this social service. Code {code}.").format(code=check.code))
    for name, value in check.facts.items():
        if name not in ("id", "text"):
            print(f"  {gettext(attestation.FACT_LABELS.get(name, name))}: {value if value is not None else '—'}")
    if check.altered:
        print(_("ALTERED: the document does not state what was signed: {fields}.").format(
            fields=", ".join(gettext(attestation.FACT_LABELS[name]) for name in check.altered)))
        return EXIT_INVALID
    if document_text is not None:
        print(_("The document states what was signed."))
    return EXIT_OK


def _read(path: Path) -> bytes:
    from app.cli import UsageError

    try:
        return path.read_bytes()
    except OSError:
        raise UsageError(N_("The file {name} cannot be read: check its name and folder."), name=path.name) from None


def add_verify_command(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("verify", help=_("check a document's verification code (QR text or short code)"))
    command.set_defaults(handler=cmd_verify)
    command.add_argument("code", help=_("the text of the QR code, or the short code printed under it"))
    command.add_argument("--pdf", help=_("also check that this PDF states what was signed"))
    command.add_argument("--service-key", help=_("the central service's public key (without a store)"))
