"""A real PostgreSQL for the central service's tests (and SQLite, the embedded default, beside it).

``LIETA_TEST_PG_URL`` points at an existing database; otherwise a throwaway cluster is started from the
installed PostgreSQL binaries, as the unprivileged ``postgres`` user when the tests run as root (PostgreSQL
refuses to run as root), listening on a Unix socket only, and removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sync.server.database import open_engine
from sync.server.schema import metadata

PORT = "54329"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        message = "PostgreSQL is not installed (apt install postgresql) and LIETA_TEST_PG_URL is not set"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must test the real thing, never skip it
        pytest.skip(message)
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_url():
    if os.environ.get("LIETA_TEST_PG_URL"):
        yield os.environ["LIETA_TEST_PG_URL"]
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="lieta-pg-"))
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(_as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "lieta", "--no-sync", "-E", "UTF8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o",
                                 f"-F -k {folder} -p {PORT} -c listen_addresses=''", "start"]),
                   check=True, capture_output=True)
    try:
        admin = create_engine(f"postgresql+psycopg://lieta@/postgres?host={folder}&port={PORT}",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE lieta_test"))
        admin.dispose()
        yield f"postgresql+psycopg://lieta@/lieta_test?host={folder}&port={PORT}"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def server_engine(request, tmp_path):
    """An empty central-service database on each backend (SQLite as served: a file, WAL, BEGIN IMMEDIATE)."""
    if request.param == "sqlite":
        engine = open_engine(f"sqlite:///{tmp_path}/central.db")
    else:
        engine = create_engine(request.getfixturevalue("postgres_url"))
        metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    engine.dispose()
