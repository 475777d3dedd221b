"""A store made by an older Lieta opens in this one (after a backup); one from a newer Lieta is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from storage import migrate
from storage.backup import describe, list_backups, restore_backup
from storage.ids import new_id
from storage.models import Base, Person, utcnow
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE, snapshot
from tests.storage.helpers import OTHER_SURNAME, PERSONAL_CODE, SURNAME, last_seq, outbox_after


def scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def revision_of(store) -> str:
    with store.engine.connect() as connection:
        return migrate.current_revision(connection)


@pytest.fixture
def old_store(data_dir):
    """A store as revision 0001 left it, with two persons (no search index existed yet)."""
    made = Store.create(data_dir, LOGIN, PASSPHRASE, display_name="Anna", roles=["social_worker"], revision="0001")
    assert revision_of(made) == "0001"
    with Session(made.engine) as session, session.begin():  # the ORM, as the 0001 code wrote rows
        session.info["applying_remote"] = True
        session.add(Person(id=new_id(), given_name="Jānis", surname=SURNAME, personal_code=PERSONAL_CODE,
                           created_at=utcnow(), updated_at=utcnow(), deleted=False))
    with made.engine.begin() as connection:  # and plain Core
        connection.execute(insert(Person.__table__).values(
            id=new_id(), given_name="Ilze", surname=OTHER_SURNAME, created_at=utcnow(), updated_at=utcnow(),
            deleted=False))
    with made.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM sqlite_master WHERE name = 'person_search'")).all() == []
    made.lock()
    return made


def test_head_revision_is_alembics_head():
    assert scripts().get_heads() == [migrate.HEAD_REVISION]
    assert migrate.SCHEMA_VERSION == int(migrate.HEAD_REVISION)


def test_revisions_form_one_numbered_chain():
    chain = [rev.revision for rev in scripts().walk_revisions()][::-1]
    assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    assert chain[-1] == migrate.HEAD_REVISION


def test_migrations_build_exactly_what_the_models_describe(store):
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # Only the FTS5 index (created by raw SQL in 0002, not a model) is unknown to the models.
    unknown = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("person_search"))]
    assert unknown == []


def test_old_store_opens_after_upgrade_and_search_finds_old_persons(old_store, data_dir):
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    try:
        assert revision_of(opened) == migrate.HEAD_REVISION
        with opened.session() as session:
            found = session.execute(text(
                "SELECT surname FROM person_search WHERE person_search MATCH 'berzins'")).scalars().all()
            assert found == [SURNAME]
            by_code = session.execute(text(
                "SELECT surname FROM person_search WHERE person_search MATCH :q"), {"q": "05038512347"}).scalars().all()
            assert by_code == [SURNAME]
            assert session.execute(text("SELECT surname FROM person_search WHERE person_search MATCH 'ozolina'")
                                   ).scalars().all() == [OTHER_SURNAME]
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        opened.lock()


def test_upgrade_makes_a_before_upgrade_backup_of_the_old_store(old_store, data_dir):
    Store.open(data_dir, LOGIN, PASSPHRASE).lock()
    [backup] = list_backups(old_store.paths.backups)
    info = describe(backup)
    assert info.reason == "before-upgrade" and info.revision == "0001" and "before-upgrade" in backup.name
    # The backup really is the old store: restoring it brings back revision 0001.
    restore_backup(data_dir, backup, LOGIN, PASSPHRASE)
    reopened = Store.open(data_dir, LOGIN, PASSPHRASE, upgrade=False)
    assert revision_of(reopened) == "0001"
    reopened.lock()


def test_persons_written_after_the_upgrade_are_searchable_and_synced(old_store, data_dir):
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    try:
        start = last_seq(opened)
        with opened.write() as session:
            session.add(Person(id=new_id(), given_name="Pēteris", surname="Kļaviņš",
                               birth_date=dt.date(1950, 1, 1)))
        [record] = outbox_after(opened, start)
        assert (record.entity, record.op, record.schema_version) == ("persons", "insert", migrate.SCHEMA_VERSION)
        with opened.session() as session:
            hits = session.execute(text("SELECT surname FROM person_search WHERE person_search MATCH 'klavins'"))
            assert hits.scalars().all() == ["Kļaviņš"]
            rowids = session.scalars(select(Person.search_rowid)).all()
            assert len(set(rowids)) == 3 and None not in rowids
    finally:
        opened.lock()


def test_open_without_upgrade_leaves_an_old_store_as_it_is(old_store, data_dir):
    opened = Store.open(data_dir, LOGIN, PASSPHRASE, upgrade=False)
    assert revision_of(opened) == "0001"
    opened.lock()
    assert list_backups(old_store.paths.backups) == []


def test_store_from_a_newer_lieta_is_refused_untouched(store, data_dir):
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"),
                           {"v": f"{migrate.SCHEMA_VERSION + 1:04d}"})
    store.lock()
    before = snapshot(data_dir)
    with pytest.raises(migrate.StoreTooNew):
        Store.open(data_dir, LOGIN, PASSPHRASE)
    assert snapshot(data_dir) == before  # no backup, no upgrade, no downgrade


def test_failed_upgrade_rolls_back_whole_and_keeps_its_backup(old_store, data_dir):
    """0002 fails half-way (its view is made, then its index cannot be): nothing of it may stay behind."""
    reopened = Store.open(data_dir, LOGIN, PASSPHRASE, upgrade=False)
    with reopened.engine.begin() as connection:
        connection.execute(text("CREATE TABLE person_search (blocker)"))
    reopened.lock()
    with pytest.raises(Exception, match="person_search already exists"):
        Store.open(data_dir, LOGIN, PASSPHRASE)
    reopened = Store.open(data_dir, LOGIN, PASSPHRASE, upgrade=False)
    try:
        assert revision_of(reopened) == "0001"
        with reopened.engine.connect() as connection:
            names = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'person_search%' "
                                            "OR name LIKE 'persons_search%'")).scalars().all()
            assert names == ["person_search"]  # only the blocker: no view, no triggers, no index
            assert connection.execute(text("SELECT count(*) FROM persons WHERE search_rowid IS NOT NULL")
                                      ).scalar() == 0
    finally:
        reopened.lock()
    assert [describe(b).reason for b in list_backups(old_store.paths.backups)] == ["before-upgrade"]
