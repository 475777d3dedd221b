"""The ``lieta`` command line: the same services the desktop UI calls.

Exit codes (also in ``lieta --help`` and the README):
0 done · 1 unexpected error · 2 usage error · 3 wrong user or passphrase · 4 invalid input ·
5 no store / store exists · 6 damaged or unsafe store · 7 not allowed for your role · 8 disk full
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from app import i18n
from app.errors import DomainError, PermissionDenied
from app.i18n import _
from storage.errors import (
    DamagedStore, DiskFull, LietaError, N_, PlaintextStoreRefused, StoreExists, StoreNotFound, WrongPassphrase,
)
from storage.paths import default_data_dir

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_WRONG_PASSPHRASE, EXIT_INVALID = 0, 1, 2, 3, 4
EXIT_NO_STORE, EXIT_DAMAGED, EXIT_PERMISSION, EXIT_DISK_FULL = 5, 6, 7, 8
EXIT_CODES_HELP = N_(
    "exit codes: 0 done, 1 unexpected error, 2 usage error, 3 wrong user or passphrase, 4 invalid input, "
    "5 no store or store already exists, 6 damaged or unsafe store, 7 not allowed for your role, 8 disk full"
)
log = logging.getLogger("lieta")


class UsageError(LietaError):
    code = "usage"


def exit_code_for(error: BaseException) -> int:
    if isinstance(error, UsageError):
        return EXIT_USAGE
    if isinstance(error, WrongPassphrase):
        return EXIT_WRONG_PASSPHRASE
    if isinstance(error, PermissionDenied):
        return EXIT_PERMISSION
    if isinstance(error, DomainError):
        return EXIT_INVALID
    if isinstance(error, (StoreNotFound, StoreExists)):
        return EXIT_NO_STORE
    if isinstance(error, (DamagedStore, PlaintextStoreRefused)):
        return EXIT_DAMAGED
    if isinstance(error, DiskFull):
        return EXIT_DISK_FULL
    if isinstance(error, LietaError):
        return EXIT_INVALID
    return EXIT_ERROR


# -- credentials ---------------------------------------------------------------------------------------------
def _login(args: argparse.Namespace) -> str:
    login = args.user or os.environ.get("LIETA_USER")
    if not login:
        raise UsageError(N_("No user name given: use --user or set the LIETA_USER environment variable."))
    return login


def _passphrase(prompt: str, env: str = "LIETA_PASSPHRASE", *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(N_("No passphrase: type it at the prompt or set {variable} for scripts."), variable=env)
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise UsageError(N_("The two passphrases differ."))
    return first


def open_context(args: argparse.Namespace, *, memory_security: bool = True):
    """Unlock the store as the given user and return the services context."""
    from app.context import Context
    from storage.store import Store

    login = _login(args)
    store = Store.open(args.data_dir, login, _passphrase(_("Passphrase for {login}: ").format(login=login)),
                       memory_security=memory_security)
    return Context(store)


# -- commands --------------------------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from app.users import validate_login, validate_passphrase
    from storage.keys import parse_office_public_key
    from storage.store import Store

    login = validate_login(_login(args))
    if Store.exists(args.data_dir):
        raise StoreExists()
    public_key = parse_office_public_key(args.recovery_public_key) if args.recovery_public_key else None
    passphrase = validate_passphrase(_passphrase(_("New passphrase: "), confirm=True), login)
    store = Store.create(args.data_dir, login, passphrase, display_name=args.display_name or login,
                         roles=args.role or ["social_worker", "administrator"])
    try:
        if public_key is not None:
            store.set_recovery_key(public_key)
    finally:
        store.lock()
    print(_("Created an encrypted case store in {path} for user {login}.").format(path=args.data_dir, login=login))
    if public_key is None:
        print(_("Warning: no office recovery key is installed; a forgotten passphrase cannot be recovered. "
                "Install one with 'lieta recovery-key install'."))
    return EXIT_OK


def cmd_user(args: argparse.Namespace) -> int:
    from app import users

    if args.user_command == "passwd":
        login = args.login or _login(args)
        old = _passphrase(_("Current passphrase for {login}: ").format(login=login))
        new = _passphrase(_("New passphrase: "), "LIETA_NEW_PASSPHRASE", confirm=True)
        users.change_passphrase(args.data_dir, login, old, new)
        print(_("Passphrase changed."))
        return EXIT_OK
    ctx = open_context(args)
    try:
        if args.user_command == "add":
            new = _passphrase(_("Passphrase for the new user {login}: ").format(login=args.login),
                              "LIETA_NEW_PASSPHRASE", confirm=True)
            users.add_user(ctx, args.login, new, display_name=args.name, roles=args.role or ["social_worker"])
            print(_("User {login} can now unlock this laptop.").format(login=args.login))
        elif args.user_command == "remove":
            users.remove_user(ctx, args.login)
            print(_("User {login} can no longer unlock this laptop.").format(login=args.login))
        else:
            for login, name, roles, local in users.list_users(ctx):
                print(f"{login}\t{name}\t{','.join(roles)}\t{'*' if local else ''}")
    finally:
        ctx.store.lock()
    return EXIT_OK


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from app.demo import seed_demo

    # This process writes synthetic data only; SQLCipher's memory wiping would make it 4x slower.
    ctx = open_context(args, memory_security=False)
    try:
        summary = seed_demo(ctx, args.clients, seed=args.seed,
                            progress=(lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr))
                            if sys.stderr.isatty() else None)
    finally:
        ctx.store.lock()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("Added {clients} demo clients ({persons} persons, {rows} records).").format(
        clients=summary.clients, persons=summary.persons, rows=summary.rows))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from app.search import search_clients

    ctx = open_context(args)
    try:
        hits = search_clients(ctx, args.text, limit=args.limit)
    finally:
        ctx.store.lock()
    for hit in hits:
        print("\t".join([hit.surname, hit.given_name, hit.personal_code or "", hit.address or "", str(hit.client_id)]))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from app import audit
    from storage.backup import create_backup

    ctx = open_context(args)
    try:
        path = create_backup(ctx.store.paths, ctx.store.slots, ctx.store.data_key, reason="manual",
                             destination=Path(args.to) if args.to else None)
        audit.record(ctx, "backup", details={"file": path.name})
    finally:
        ctx.store.lock()
    print(_("Encrypted backup written: {path}").format(path=path))
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from storage.backup import describe, list_backups
    from storage.paths import StorePaths

    for path in list_backups(StorePaths(args.data_dir).backups):
        info = describe(path)
        print(f"{path.name}\t{info.created_at}\t{info.reason}\t{info.size // 1024} KiB")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from storage.backup import restore_backup

    login = _login(args)
    passphrase = _passphrase(_("Passphrase for {login}: ").format(login=login))
    safety = restore_backup(args.data_dir, Path(args.file), login, passphrase)
    print(_("Restored the backup."))
    if safety:
        print(_("The store it replaced was kept as {path}").format(path=safety))
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from app.doctor import run_checks

    ctx = open_context(args)
    try:
        results = run_checks(ctx)
    finally:
        ctx.store.lock()
    worst = EXIT_OK
    for result in results:
        label = "OK  " if result.ok else "WARN" if result.warning else "FAIL"
        print(f"{label}  {_(result.title)}: {result.detail}")
        if not result.ok and not result.warning:
            worst = EXIT_DAMAGED
    return worst


def cmd_recovery_key(args: argparse.Namespace) -> int:
    from storage.keys import generate_office_key, parse_office_public_key

    if args.recovery_command == "create":
        out = Path(args.out)
        if out.exists():
            raise UsageError(N_("The file already exists; choose another name."))
        secret = _passphrase(_("Passphrase protecting the office key: "), "LIETA_OFFICE_PASSPHRASE", confirm=True)
        pem, public = generate_office_key(secret)
        out.write_bytes(pem)
        out.chmod(0o600)
        print(_("Office recovery key written to {path}. Keep it offline in the main office.").format(path=out))
        print(_("Public key (install it on each laptop): {key}").format(key=public))
        return EXIT_OK
    ctx = open_context(args)
    try:
        ctx.require_role(N_("install the office recovery key"), "administrator")
        ctx.store.set_recovery_key(parse_office_public_key(args.public_key))
    finally:
        ctx.store.lock()
    print(_("The office recovery key is installed."))
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from storage.keys import load_office_private_key
    from storage.store import reset_passphrase_with_office_key

    from app.users import validate_passphrase

    secret = _passphrase(_("Office key passphrase: "), "LIETA_OFFICE_PASSPHRASE")
    private = load_office_private_key(Path(args.office_key).read_bytes(), secret)
    new = validate_passphrase(_passphrase(_("New passphrase for {login}: ").format(login=args.login),
                                          "LIETA_NEW_PASSPHRASE", confirm=True), args.login)
    reset_passphrase_with_office_key(args.data_dir, private, args.login, new)
    print(_("Access restored: {login} can unlock with the new passphrase.").format(login=args.login))
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    # The desktop UI is loaded by name: the core never imports Qt (ARCHITECTURE.md example 1).
    return importlib.import_module("ui.main").run(args.data_dir, args.user or os.environ.get("LIETA_USER"))


# -- parser ----------------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors keep argparse's exit code 2
        self.print_usage(sys.stderr)
        print(f"lieta: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _with_global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help=_("data folder (default: LIETA_DATA_DIR or the user data folder)"))
    parser.add_argument("--user", help=_("user name (default: LIETA_USER)"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=os.environ.get("LIETA_LANG") or None,
                        help=_("language of messages (lv or en)"))
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _with_global_options(_Parser(prog="lieta", description=_(
        "Lieta — encrypted case files for social services."), epilog=_(EXIT_CODES_HELP)))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(handler=handler)
        return command

    init = add("init", cmd_init, _("create an encrypted case store on this laptop"))
    init.add_argument("--display-name")
    init.add_argument("--role", action="append", choices=["social_worker", "assistance_organiser", "head",
                                                           "administrator", "inspector"])
    init.add_argument("--recovery-public-key", help=_("the main office's recovery public key (base64)"))

    user = add("user", cmd_user, _("add, remove or list users; change a passphrase"))
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    user_add = user_sub.add_parser("add")
    user_add.add_argument("login")
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", action="append", choices=["social_worker", "assistance_organiser", "head",
                                                               "administrator", "inspector"])
    user_passwd = user_sub.add_parser("passwd")
    user_passwd.add_argument("login", nargs="?")
    user_remove = user_sub.add_parser("remove")
    user_remove.add_argument("login")
    user_sub.add_parser("list")

    seed = add("seed-demo", cmd_seed_demo, _("add synthetic demo clients"))
    seed.add_argument("--clients", type=int, required=True)
    seed.add_argument("--seed", type=int, default=1)

    search = add("search", cmd_search, _("find clients by name, personal code or address"))
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=50)

    backup = add("backup", cmd_backup, _("write an encrypted backup"))
    backup.add_argument("--to", help=_("file or folder (e.g. a USB stick); default: the backups folder"))
    add("backups", cmd_backups, _("list the backups in the backups folder"))
    restore = add("restore", cmd_restore, _("replace the store with an encrypted backup"))
    restore.add_argument("file")
    add("doctor", cmd_doctor, _("check the store's integrity"))

    recovery = add("recovery-key", cmd_recovery_key, _("create or install the main office's recovery key"))
    recovery_sub = recovery.add_subparsers(dest="recovery_command", required=True, parser_class=_Parser)
    create = recovery_sub.add_parser("create")
    create.add_argument("--out", required=True)
    install = recovery_sub.add_parser("install")
    install.add_argument("public_key")
    recover = add("recover", cmd_recover, _("restore a user's access with the office recovery key"))
    recover.add_argument("--office-key", required=True)
    recover.add_argument("login")
    add("gui", cmd_gui, _("open the desktop application (the default)"))
    importlib.import_module("app.cli_reports").add_report_commands(sub)  # lieta report …, in its own module
    importlib.import_module("app.cli_casework").add_casework_commands(sub)  # due, deadline, means-test, …
    # the command line is the composition root: sync sits above app, so its commands are looked up by name
    importlib.import_module("sync.cli").add_sync_commands(sub)  # enrol, sync, conflicts, bundle
    importlib.import_module("forms.cli").add_print_commands(sub)  # print
    importlib.import_module("forms.cli").add_verify_command(sub)  # verify
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = os.environ.get("LIETA_LANG")
    if "--lang" in argv[:-1]:
        language = argv[argv.index("--lang") + 1]
    if language in i18n.LANGUAGES:
        i18n.set_language(language)
    # `lieta` alone opens the desktop: parse the global options without loading every command's module (the
    # commands import the database and PDF code, a second of an old laptop's start before the unlock window)
    args, rest = _with_global_options(_Parser(prog="lieta", add_help=False)).parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    args.data_dir = (args.data_dir or default_data_dir()).expanduser()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handler = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except LietaError as error:
        print(f"lieta: {i18n.user_message(error)}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:  # the output went to `head` or a closed pager
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # never print the exception text: it may carry personal data
        log.error("unexpected %s", type(error).__name__, exc_info=os.environ.get("LIETA_DEBUG") == "1")
        print("lieta: " + i18n.user_message(error), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
