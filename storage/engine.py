"""SQLCipher connections under SQLAlchemy, with the guard rails of ARCHITECTURE.md rule 2.

The raw data key is handed to SQLCipher through ``creator=`` (never a URL). A file whose header reads
``SQLite format 3`` is refused: a keyless connection would silently read or create plaintext.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from storage.errors import DamagedStore, DiskFull, PlaintextStoreRefused, StoreNotFound
from storage.keys import DataKey

PLAINTEXT_HEADER = b"SQLite format 3\x00"
#: SQLCipher's read cost is decryption on cache misses, so a large page cache pays off. Administrators of
#: laptops with little memory may lower it with LIETA_CACHE_MIB.
DEFAULT_CACHE_MIB = 64


def cache_kib() -> int:
    try:
        mib = int(os.environ.get("LIETA_CACHE_MIB", DEFAULT_CACHE_MIB))
    except ValueError:
        mib = DEFAULT_CACHE_MIB
    return max(8, min(mib, 1024)) * 1024


def check_not_plaintext(path: Path) -> None:
    """Refuse a plaintext SQLite file (and notice a file too short to be a database)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except FileNotFoundError:
        raise StoreNotFound() from None
    if header == PLAINTEXT_HEADER:
        raise PlaintextStoreRefused()
    if len(header) < 16:  # an empty file too: SQLCipher would silently start a new, empty database in it
        raise DamagedStore(detail="file truncated")


def _configure(connection: Any, key: DataKey, memory_security: bool) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA key = {key.sqlcipher_pragma_value()}")
        if memory_security:  # process-wide, and once on it stays on (SQLCipher)
            cursor.execute("PRAGMA cipher_memory_security = ON")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            # The key was authenticated by its slot, so an unreadable file is damage, not a wrong key.
            raise DamagedStore(detail="pages cannot be decrypted") from exc
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives a dead battery, not only a killed process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA cache_size = -{cache_kib()}")
        # Sorts and temporary indexes stay in memory: no plaintext temp files.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def connect_raw(path: Path, key: DataKey, *, create: bool = False, memory_security: bool = True) -> Any:
    """A configured DB-API connection to the encrypted file (also used by backups and ``doctor``)."""
    if not create:
        check_not_plaintext(path)
    try:
        connection = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    except sqlcipher.OperationalError as exc:
        raise DamagedStore(detail="file cannot be opened") from exc
    try:
        _configure(connection, key, memory_security)
    except BaseException:
        connection.close()
        raise
    return connection


def make_engine(path: Path, key: DataKey, *, create: bool = False, memory_security: bool = True) -> Engine:
    """A SQLAlchemy engine over SQLCipher; every pooled connection is keyed and configured the same way.

    ``memory_security`` (SQLCipher wipes every freed allocation) stays on for every process that touches
    real client data. It makes bulk writes about 4× slower, so only a process loading synthetic demo data
    may leave it off; the setting is process-wide and cannot be switched off once on.
    """
    if not create:
        check_not_plaintext(path)
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher,
        creator=lambda: connect_raw(path, key, create=create, memory_security=memory_security),
        pool_pre_ping=False,
        hide_parameters=True,  # SQL parameters are client data: keep them out of exception text
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # explicit BEGIN: the driver's implicit transactions are disabled
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _translate(context: Any) -> None:
        original = context.original_exception
        message = str(original).lower()
        if isinstance(original, sqlcipher.OperationalError) and "disk is full" in message:
            raise DiskFull() from original
        if isinstance(original, OSError) and original.errno == errno.ENOSPC:
            raise DiskFull() from original
        # A page that fails its HMAC (or a broken b-tree) surfaces on the first read that touches it.
        if isinstance(original, sqlcipher.DatabaseError) and ("malformed" in message or "not a database" in message):
            raise DamagedStore(detail="pages cannot be decrypted") from original

    return engine
