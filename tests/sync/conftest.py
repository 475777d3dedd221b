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


# -- a central service with staff, and laptops enrolled with it (the sync engine's tests) -------------------
PASSWORD = "Pareiza-parole-2026!"


class Central:
    """The real service in-process (Starlette's test client is an httpx client) over ``server_engine``."""

    def __init__(self, engine, tmp_path):
        from starlette.testclient import TestClient

        from storage.ids import HybridLogicalClock
        from sync.server.app import create_app
        from sync.server.auth import add_user
        from sync.server.database import initialise
        from sync.server.directory import add_parish

        initialise(engine)
        self.engine, self.tmp_path, self.clock = engine, tmp_path, HybridLogicalClock()
        with engine.begin() as conn:
            self.parish_a = str(add_parish(conn, self.clock, "Ērgļi"))
            self.parish_b = str(add_parish(conn, self.clock, "Ļaudona"))
            self.users = {
                "anna": add_user(conn, self.clock, login="anna", display_name="Anna Kalniņa",
                                 roles=["social_worker"], parish_ids=[self.parish_a], password=PASSWORD),
                "ilze": add_user(conn, self.clock, login="ilze", display_name="Ilze Ābola",
                                 roles=["social_worker"], parish_ids=[self.parish_a], password=PASSWORD),
                "juris": add_user(conn, self.clock, login="juris", display_name="Juris Ņikitins",
                                  roles=["social_worker"], parish_ids=[self.parish_b], password=PASSWORD),
                "vadita": add_user(conn, self.clock, login="vadita", display_name="Vadītāja Šķēle",
                                   roles=["head"], parish_ids=[], password=PASSWORD),
            }
        self.app = create_app(engine, clock=self.clock)
        self.http = TestClient(self.app)

    def restart(self):
        """A new process of the service on the same database (nothing kept in memory survives)."""
        from starlette.testclient import TestClient

        from storage.ids import HybridLogicalClock
        from sync.server.app import create_app

        self.app = create_app(self.engine, clock=HybridLogicalClock())
        self.http = TestClient(self.app)

    def code(self, *parishes, municipal=False):
        from sync.server.auth import create_enrolment_code

        with self.engine.begin() as conn:
            return create_enrolment_code(conn, list(parishes), municipal=municipal)

    def laptop(self, name, login, *parishes, municipal=False, http=None):
        from sync.client import SyncEngine, enrol

        store = enrol(self.tmp_path / name, url="http://testserver", code=self.code(*parishes, municipal=municipal),
                      login=login, password=PASSWORD, device_name=name, http=http or self.http)
        laptop = Laptop(store, SyncEngine(store, http=http or self.http, password=lambda: PASSWORD, page_limit=50))
        laptop.sync()  # the initial sync that follows enrolment
        return laptop


class Laptop:
    def __init__(self, store, engine):
        self.store, self.engine = store, engine

    def sync(self):
        return self.engine.sync()


@pytest.fixture
def central(server_engine, tmp_path):
    service = Central(server_engine, tmp_path)
    yield service
    service.http.close()
