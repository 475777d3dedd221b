"""Schema migrations (Alembic), run when a store is opened — after an automatic encrypted backup.

Revisions are numbered ``0001``, ``0002``…; the number is the schema version carried by change records.
A store made by any older version always opens in a newer one; a store from a newer Lieta is refused.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from storage.errors import N_, StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The newest revision this code knows (a test checks it equals Alembic's head).
HEAD_REVISION = "0006"
SCHEMA_VERSION = int(HEAD_REVISION)


class StoreTooNew(StoreError):
    code = "store_too_new"
    msgid = N_("This case store was made by a newer version of Lieta. Install the newer version to open it.")


def current_revision(connection: Connection) -> str | None:
    has_table = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    ).first()
    if not has_table:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def needs_upgrade(engine: Engine) -> bool:
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision is not None and int(revision) > SCHEMA_VERSION:
        raise StoreTooNew()
    return revision != HEAD_REVISION


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
