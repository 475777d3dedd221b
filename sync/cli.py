"""`lieta enrol`, `lieta sync`, `lieta conflicts` and `lieta bundle`: the laptop's side of sync on the command
line (the desktop app runs the same engine in the background)."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from app import i18n
from app.i18n import _
from storage.errors import N_


def cmd_enrol(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, _login, _passphrase
    from storage.errors import StoreExists
    from storage.store import Store
    from sync.client import SyncEngine, enrol

    login = _login(args)
    if Store.exists(args.data_dir):
        raise StoreExists()
    password = _passphrase(_("Central service password for {login}: ").format(login=login))
    store = enrol(args.data_dir, url=args.server, code=args.code, login=login, password=password,
                  device_name=args.device_name or "")
    try:
        print(_("This laptop is enrolled; its case store is encrypted with your password. Reading your scope…"))
        report = SyncEngine(store, password=lambda: password).sync_with_retries()
        print(_("Received {count} records.").format(count=report.pulled))
    finally:
        store.lock()
    return EXIT_OK


def _print_status(store) -> None:
    from sync import local

    status = local.status(store)
    never = _("never")
    print(_("Central service: {url}").format(url=status.server_url or "—"))
    print(_("Last successful sync: {when}").format(
        when=status.last_sync_at.isoformat(timespec="minutes") if status.last_sync_at else never))
    print(_("Changes waiting to be sent: {count}").format(count=status.pending))
    print(_("Changes refused by the service: {count}").format(count=status.quarantined))
    print(_("Unresolved conflicts: {count}").format(count=status.conflicts))
    if status.clock_offset_ms is not None and abs(status.clock_offset_ms) > 5 * 60 * 1000:
        print(_("Warning: this laptop's clock is {minutes} minutes off the service's; correct it.").format(
            minutes=round(status.clock_offset_ms / 60000)))


def cmd_sync(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, _login, _passphrase
    from storage.store import Store
    from sync.client import SyncEngine

    login = _login(args)
    password = _passphrase(_("Passphrase for {login}: ").format(login=login))
    store = Store.open(args.data_dir, login, password)
    try:
        if not args.status:
            engine = SyncEngine(store, password=lambda: password)
            report = engine.sync_with_retries(attempts=args.retries)
            print(_("Sent {sent} changes ({refused} refused), received {received}.").format(
                sent=report.pushed, refused=report.refused, received=report.pulled))
        _print_status(store)
    finally:
        store.lock()
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    from app import conflicts
    from app.cli import EXIT_OK, open_context

    ctx = open_context(args)
    try:
        if args.resolve:
            conflicts.resolve(ctx, uuid.UUID(args.resolve), "reapplied" if args.reapply else "kept")
            print(_("Conflict resolved."))
            return EXIT_OK
        for item in conflicts.unresolved(ctx):
            fields = ", ".join(f"{name}: {item.standing.get(name)!r} ← {value!r}"
                               for name, value in item.losing.items())
            print("\t".join([str(item.id), item.occurred_at.isoformat(timespec="minutes"), item.entity,
                             i18n.gettext(REASONS.get(item.reason, item.reason)), fields]))
    finally:
        ctx.store.lock()
    return EXIT_OK


REASONS = {"concurrent_edit": N_("edited on two laptops"), "edited_after_delete": N_("edited after deletion")}


def cmd_bundle(args: argparse.Namespace) -> int:
    from app.cli import EXIT_OK, open_context
    from sync import usb

    ctx = open_context(args)
    try:
        if args.bundle_command == "export":
            summary = usb.export_bundle(ctx.store, args.to)
            print(_("Wrote {count} changes to {path}. Take it to the main office.").format(
                count=summary.changes, path=summary.path))
        else:
            summary = usb.import_reply(ctx.store, args.file)
            if summary.stale_pages:
                print(_("This reply was already applied (or newer changes arrived since); nothing new in it."))
            else:
                print(_("Applied the reply: {received} changes received, {refused} of yours refused.").format(
                    received=summary.pulled, refused=summary.refused))
    finally:
        ctx.store.lock()
    return EXIT_OK


def add_sync_commands(sub: argparse._SubParsersAction) -> None:
    enrol = sub.add_parser("enrol", help=_("enrol this laptop with the central service"))
    enrol.set_defaults(handler=cmd_enrol)
    enrol.add_argument("--server", required=True, help=_("the service's address, e.g. https://lieta.novads.lv:8443"))
    enrol.add_argument("--code", required=True, help=_("the one-time code from the administrator"))
    enrol.add_argument("--device-name")

    sync = sub.add_parser("sync", help=_("send and receive changes now"))
    sync.set_defaults(handler=cmd_sync)
    sync.add_argument("--status", action="store_true", help=_("only show the sync state"))
    sync.add_argument("--retries", type=int, default=3)

    conflicts = sub.add_parser("conflicts", help=_("values that lost a merge: review and resolve"))
    conflicts.set_defaults(handler=cmd_conflicts)
    conflicts.add_argument("--resolve", metavar="ID")
    conflicts.add_argument("--reapply", action="store_true", help=_("write the losing value back"))

    bundle = sub.add_parser("bundle", help=_("sync by USB stick"))
    bundle.set_defaults(handler=cmd_bundle)
    bundle_sub = bundle.add_subparsers(dest="bundle_command", required=True)
    export = bundle_sub.add_parser("export", help=_("write unsent changes to a USB stick"))
    export.add_argument("--to", required=True, type=Path)
    imported = bundle_sub.add_parser("import", help=_("apply the main office's reply"))
    imported.add_argument("file", type=Path)
