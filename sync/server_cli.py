"""``lieta-server``: the central service's command line.

``init`` creates (or checks) the service's database; ``new-epoch`` is run after restoring that database from a
backup, so laptops re-send what the backup lost. Serving HTTPS, users, enrolment and bundles are being built
(issue 4); until then ``serve`` says so plainly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from platformdirs import user_data_dir

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _url(args: argparse.Namespace) -> str:
    from sync.server.database import default_url

    if args.database_url:
        return args.database_url
    if os.environ.get("LIETA_SERVER_DATABASE_URL"):
        return os.environ["LIETA_SERVER_DATABASE_URL"]
    folder = Path(os.environ.get("LIETA_SERVER_DATA_DIR") or user_data_dir("lieta-server", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return default_url(folder)


def _on_database(args: argparse.Namespace, action) -> object:
    """Run ``action(engine)`` on the service's database and close it again."""
    from sync.server.database import open_engine

    engine = open_engine(_url(args))
    try:
        return action(engine)
    finally:
        engine.dispose()


def cmd_init(args: argparse.Namespace) -> int:
    from sync.server.database import initialise

    print(f"central service database ready (epoch {_on_database(args, initialise)})")
    return EXIT_OK


def cmd_new_epoch(args: argparse.Namespace) -> int:
    from sync.server.database import start_new_epoch

    epoch = _on_database(args, start_new_epoch)
    print(f"new epoch {epoch}: laptops will re-send the changes this database does not have")
    return EXIT_OK


def cmd_serve(_args: argparse.Namespace) -> int:
    print("lieta-server serve: the HTTPS service is not part of this version yet (see the sync issue); "
          "the desktop app works fully offline without it.", file=sys.stderr)
    return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lieta-server", description="Lieta central service")
    parser.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/lieta "
                                               "(default: LIETA_SERVER_DATABASE_URL or a SQLite file)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or check the service's database").set_defaults(handler=cmd_init)
    sub.add_parser("new-epoch", help="after restoring the database from a backup").set_defaults(handler=cmd_new_epoch)
    sub.add_parser("serve", help="serve laptops over HTTPS (coming with the sync work)").set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except Exception as error:  # a database error may quote statements; never print its text
        print(f"lieta-server: {type(error).__name__}: the database could not be prepared (check the URL and "
              "that the server is running)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
