"""The central service's database connection: PostgreSQL in production, a SQLite file as the embedded default.

SQLite gets WAL, ``synchronous=FULL`` and ``BEGIN IMMEDIATE`` for every transaction, so two writers queue on
the write lock instead of failing with "database is locked" when a read transaction tries to upgrade.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine

from sync.server.schema import metadata, server_state

#: clients below this data format may push but must upgrade before they pull (the oldest the service serves)
MIN_PULL_SCHEMA = 4


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'central.db').as_posix()}"


def open_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get the settings in the module docstring."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def new_epoch() -> str:
    """A fresh epoch: a restored or new server tells devices that what it confirmed before may be gone."""
    return secrets.token_hex(8)


def initialise(engine: Engine) -> str:
    """Create the tables and the server state if missing; returns the current epoch (unchanged if present)."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        epoch = conn.execute(select(server_state.c.epoch)).scalar()
        if epoch is None:
            epoch = new_epoch()
            conn.execute(server_state.insert().values(singleton=1, epoch=epoch, version=0,
                                                      min_pull_schema=MIN_PULL_SCHEMA))
    return epoch


def start_new_epoch(engine: Engine) -> str:
    """After restoring the server's database from a backup: devices re-send what the backup lost."""
    epoch = new_epoch()
    with engine.begin() as conn:
        conn.execute(server_state.update().values(epoch=epoch))
    return epoch
