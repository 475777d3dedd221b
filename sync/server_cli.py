"""``lieta-server``: the central service's command line (docs/admin-guide.md).

``init`` creates the database; ``serve`` runs the HTTPS service; ``user add``, ``parish add``, ``enrol``,
``devices`` and ``revoke`` manage who may sync; ``bundle import`` takes a USB bundle from an office without a
connection and writes the reply; ``export`` writes the state-system exchange files; ``new-epoch`` is run after
restoring the database from a backup, so laptops re-send what the backup lost. Messages never quote database
errors (they may contain record content).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import ipaddress
import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

from platformdirs import user_data_dir

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 4


class _Usage(Exception):
    """A mistake on the command line: its message is printed as is."""


def _url(args: argparse.Namespace) -> str:
    from sync.server.database import default_url

    if args.database_url:
        return args.database_url
    if os.environ.get("LIETA_SERVER_DATABASE_URL"):
        return os.environ["LIETA_SERVER_DATABASE_URL"]
    folder = Path(os.environ.get("LIETA_SERVER_DATA_DIR") or user_data_dir("lieta-server", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return default_url(folder)


def _on_database(args: argparse.Namespace, action: Callable[[Any], Any]) -> Any:
    """Run ``action(engine)`` on the service's (initialised) database and close it again."""
    from sync.server.database import initialise, open_engine

    engine = open_engine(_url(args))
    try:
        initialise(engine)
        return action(engine)
    finally:
        engine.dispose()


def _in_transaction(args: argparse.Namespace, action: Callable[[Any], Any]) -> Any:
    def run(engine: Any) -> Any:
        with engine.begin() as conn:
            return action(conn)
    return _on_database(args, run)


def _clock():
    from storage.ids import HybridLogicalClock

    return HybridLogicalClock()


def cmd_init(args: argparse.Namespace) -> int:
    from sync.server.auth import service_public_keys
    from sync.server.database import initialise

    def run(engine: Any) -> str:
        epoch = initialise(engine)
        with engine.begin() as conn:
            service_public_keys(conn)  # the bundle keys exist from the start
        return epoch

    print(f"central service database ready (epoch {_on_database(args, run)})")
    return EXIT_OK


def cmd_new_epoch(args: argparse.Namespace) -> int:
    from sync.server.database import start_new_epoch

    epoch = _on_database(args, start_new_epoch)
    print(f"new epoch {epoch}: laptops will re-send the changes this database does not have")
    return EXIT_OK


def _password(env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise _Usage(f"no password: type it at the prompt or set {env}")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise _Usage("the two passwords differ")
    return first


def _parish_ids(conn: Any, names: list[str]) -> list[str]:
    from sync.server.directory import find_parish

    return [find_parish(conn, name) for name in names]


def cmd_user_add(args: argparse.Namespace) -> int:
    from app.users import validate_login, validate_passphrase
    from sync.server.auth import add_user

    login = validate_login(args.login)
    password = validate_passphrase(_password("LIETA_SERVER_USER_PASSWORD"), login)
    user_id = _in_transaction(args, lambda conn: add_user(
        conn, _clock(), login=login, display_name=args.name, roles=args.role, password=password,
        parish_ids=_parish_ids(conn, args.parish or [])))
    print(f"user {login} added ({user_id})")
    return EXIT_OK


def cmd_parish_add(args: argparse.Namespace) -> int:
    from sync.server.directory import add_parish

    parish_id = _in_transaction(args, lambda conn: add_parish(conn, _clock(), args.name, args.code))
    print(f"parish {args.name} added ({parish_id})")
    return EXIT_OK


def cmd_parishes(args: argparse.Namespace) -> int:
    from sync.server.directory import parishes

    for parish_id, name in _in_transaction(args, parishes):
        print(f"{parish_id}\t{name}")
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    from sync.server.auth import create_enrolment_code

    if not args.parish and not args.municipality:
        raise _Usage("name the laptop's parishes (--parish NAME, repeatable) or --municipality")
    code = _in_transaction(args, lambda conn: create_enrolment_code(
        conn, _parish_ids(conn, args.parish or []), municipal=args.municipality, hours=args.hours))
    print(code)
    print(f"one-time enrolment code, valid for {args.hours} hours: on the laptop run\n"
          f"  lieta enrol --server URL --code {code} --user LOGIN", file=sys.stderr)
    return EXIT_OK


def cmd_devices(args: argparse.Namespace) -> int:
    from sync.server.directory import device_list

    for row in _in_transaction(args, device_list):
        print("\t".join(str(value) for value in row))
    return EXIT_OK


def cmd_public_key(args: argparse.Namespace) -> int:
    """The service's public key: inspectors check documents' QR codes with it (``lieta verify --service-key``)."""
    from sync.server.auth import service_public_keys

    print(_in_transaction(args, service_public_keys))
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from sync.server.auth import revoke
    from sync.server.directory import find_device

    def run(conn: Any) -> uuid.UUID:
        device_id = find_device(conn, args.device)
        revoke(conn, device_id)
        return device_id

    device_id = _in_transaction(args, run)
    print(f"device {device_id} revoked: it is refused from now on and erases its store at its next contact")
    return EXIT_OK


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from sync.server.bundles import import_bundle

    summary = _on_database(args, lambda engine: import_bundle(engine, Path(args.file), Path(args.reply)))
    print(json.dumps(summary, ensure_ascii=False))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sync.server.export import ExportError, write_export

    def run(engine: Any) -> list[Path]:
        parish_ids = None
        if args.parish:
            with engine.connect() as conn:
                parish_ids = set(_parish_ids(conn, args.parish))
        try:
            return write_export(engine, Path(args.out), formats=tuple(args.format or ("json", "csv")),
                                parish_ids=parish_ids)
        except ExportError as error:  # names the record, never its content
            raise _Usage(f"export refused: {error}") from None

    for path in _on_database(args, run):
        print(path)
    return EXIT_OK


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger and the message (which carries no record content)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        try:
            payload = json.loads(message)
        except ValueError:
            payload = {"message": message}
        return json.dumps({"time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(),
                           "level": record.levelname.lower(), "logger": record.name, **payload}, ensure_ascii=False)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.app import create_app
    from sync.server.database import initialise, open_engine

    if bool(args.tls_cert) != bool(args.tls_key):
        raise _Usage("give both --tls-cert and --tls-key")
    if not args.tls_cert and not _is_loopback(args.host):
        raise _Usage("serving beyond this computer needs TLS: give --tls-cert and --tls-key "
                     "(see 'lieta-server tls-cert' and docs/admin-guide.md)")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    for name in ("lieta.server", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    engine = open_engine(_url(args))
    initialise(engine)
    try:
        uvicorn.run(create_app(engine), host=args.host, port=args.port, ssl_certfile=args.tls_cert,
                    ssl_keyfile=args.tls_key, log_config=None, access_log=False, server_header=False)
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_tls_cert(args: argparse.Namespace) -> int:
    from sync.server.tls import write_self_signed

    cert, key = write_self_signed(Path(args.out), args.host, days=args.days)
    print(f"certificate {cert}\nprivate key {key} (keep it readable by the service only)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lieta-server", description="Lieta central service")
    parser.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/lieta "
                                               "(default: LIETA_SERVER_DATABASE_URL or a SQLite file)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or check the service's database").set_defaults(handler=cmd_init)
    sub.add_parser("new-epoch", help="after restoring the database from a backup").set_defaults(handler=cmd_new_epoch)

    serve = sub.add_parser("serve", help="serve laptops (HTTPS; plain HTTP only on loopback)")
    serve.set_defaults(handler=cmd_serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")

    tls = sub.add_parser("tls-cert", help="make a self-signed certificate for the service (laptops pin it)")
    tls.set_defaults(handler=cmd_tls_cert)
    tls.add_argument("--host", required=True, help="the name or address laptops use for the service")
    tls.add_argument("--out", required=True, help="folder for cert.pem and key.pem")
    tls.add_argument("--days", type=int, default=3650)

    user = sub.add_parser("user", help="staff who sign in").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add a user (password from the prompt or LIETA_SERVER_USER_PASSWORD)")
    add.set_defaults(handler=cmd_user_add)
    add.add_argument("login")
    add.add_argument("--name", required=True)
    add.add_argument("--role", action="append", required=True,
                     choices=["social_worker", "assistance_organiser", "head", "administrator", "inspector"])
    add.add_argument("--parish", action="append", help="parish name or id (repeatable)")

    parish = sub.add_parser("parish", help="the municipality's parishes").add_subparsers(dest="parish_command",
                                                                                         required=True)
    parish_add = parish.add_parser("add")
    parish_add.set_defaults(handler=cmd_parish_add)
    parish_add.add_argument("name")
    parish_add.add_argument("--code")
    parish.add_parser("list").set_defaults(handler=cmd_parishes)

    enrol = sub.add_parser("enrol", help="print a one-time code for enrolling a laptop")
    enrol.set_defaults(handler=cmd_enrol)
    enrol.add_argument("--parish", action="append", help="parish name or id (repeatable)")
    enrol.add_argument("--municipality", action="store_true", help="the laptop sees every parish (head of service)")
    enrol.add_argument("--hours", type=int, default=72)

    sub.add_parser("devices", help="list enrolled laptops").set_defaults(handler=cmd_devices)
    sub.add_parser("public-key", help="the service's public key (for checking documents' verification codes)"
                   ).set_defaults(handler=cmd_public_key)
    revoke = sub.add_parser("revoke", help="withdraw a laptop (lost or stolen)")
    revoke.set_defaults(handler=cmd_revoke)
    revoke.add_argument("device", help="device id (or a unique start of it) or name")

    bundle = sub.add_parser("bundle", help="USB bundles").add_subparsers(dest="bundle_command", required=True)
    bundle_import = bundle.add_parser("import", help="apply a laptop's bundle and write its reply")
    bundle_import.set_defaults(handler=cmd_bundle_import)
    bundle_import.add_argument("file")
    bundle_import.add_argument("--reply", required=True, help="where to write the reply bundle")

    export = sub.add_parser("export", help="exchange files for state systems (docs/state-export.md)")
    export.set_defaults(handler=cmd_export)
    export.add_argument("--out", required=True)
    export.add_argument("--parish", action="append")
    export.add_argument("--format", action="append", choices=["json", "csv"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from storage.errors import LietaError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except _Usage as error:
        print(f"lieta-server: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LietaError as error:
        print(f"lieta-server: {error.english()}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as error:  # a database error may quote statements; never print its text
        print(f"lieta-server: {type(error).__name__}: the command failed (check the database URL and that the "
              "database server is running)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
