"""The well-kept service is built once per test session through the services, then each test gets its own
copy of the encrypted folder (unlocked as Anna and as Ilze) to add its one violation to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import users
from app.context import Context
from storage.store import Store
from tests.app.reports.world import HEAD_PASSPHRASE, TODAY, World, noon
from tests.conftest import LOGIN, PASSPHRASE


def _context(store: Store) -> Context:
    return Context(store, today=lambda: TODAY, clock=lambda: noon(TODAY))


@pytest.fixture(scope="session")
def well_kept(tmp_path_factory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("well-kept") / "data"
    anna = Store.create(folder, LOGIN, PASSPHRASE, display_name="Anna Kalniņa",
                        roles=["social_worker", "administrator"])
    ctx = _context(anna)
    users.add_user(ctx, "ilze", HEAD_PASSPHRASE, display_name="Ilze Vadītāja", roles=["head"])
    ilze = Store.open(folder, "ilze", HEAD_PASSPHRASE)
    built = World(ctx, _context(ilze), folder).build()
    ilze.lock()
    anna.lock()
    return folder, built


@pytest.fixture
def store(well_kept, data_dir):
    """Anna's store: a fresh copy of the well-kept service for this test."""
    shutil.copytree(well_kept[0], data_dir)
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    yield opened
    if not opened.locked:
        opened.lock()


@pytest.fixture
def ctx(store):
    """Anna (social worker and administrator) on Monday 23 November 2026 at noon."""
    return _context(store)


@pytest.fixture
def head(ctx, data_dir):
    """Ilze, the head of service, unlocking the same laptop with her own key slot."""
    opened = Store.open(data_dir, "ilze", HEAD_PASSPHRASE)
    yield _context(opened)
    opened.lock()


@pytest.fixture
def world(well_kept, ctx, head, data_dir):
    built = World(ctx, head, data_dir, parish=well_kept[1].parish, ids=dict(well_kept[1].ids))
    yield built
    built.close()
