"""Diacritics-insensitive person search (FTS5 inside the encrypted file)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

An external-content FTS5 index over a view of persons. ``remove_diacritics 2`` folds ā č ē ģ ī ķ ļ ņ š ū ž
so ``berzins`` finds ``Bērziņš``; ``code_digits`` lets a personal code match with or without its hyphen.
Each person gets a local, stable ``search_rowid`` (assigned by trigger) as the index's rowid, because
SQLite's implicit rowids may change on VACUUM or export. Triggers keep the index exact on every write path.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXED = "given_name, surname, code, code_digits, address"


def _values(prefix: str) -> str:
    return (
        f"{prefix}.given_name, {prefix}.surname, coalesce({prefix}.personal_code, ''), "
        f"replace(coalesce({prefix}.personal_code, ''), '-', ''), coalesce({prefix}.address, '')"
    )


def upgrade() -> None:
    op.execute(
        "CREATE VIEW person_search_source AS SELECT search_rowid, given_name, surname, "
        "coalesce(personal_code, '') AS code, replace(coalesce(personal_code, ''), '-', '') AS code_digits, "
        "coalesce(address, '') AS address FROM persons WHERE deleted = 0 AND search_rowid IS NOT NULL"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE person_search USING fts5({INDEXED}, content='person_search_source', "
        "content_rowid='search_rowid', tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2 3')"
    )
    # Persons stored before this revision: number them and index them all, before the triggers exist.
    op.execute(
        "UPDATE persons SET search_rowid = numbered.n FROM (SELECT id, row_number() OVER (ORDER BY rowid) "
        "+ (SELECT coalesce(max(search_rowid), 0) FROM persons) AS n FROM persons WHERE search_rowid IS NULL) "
        "AS numbered WHERE persons.id = numbered.id"
    )
    op.execute("INSERT INTO person_search(person_search) VALUES ('rebuild')")
    op.execute(
        "CREATE TRIGGER persons_search_rowid AFTER INSERT ON persons WHEN new.search_rowid IS NULL BEGIN "
        "UPDATE persons SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM persons) "
        "WHERE id = new.id; END"
    )
    op.execute(
        "CREATE TRIGGER persons_search_insert AFTER INSERT ON persons "
        "WHEN new.search_rowid IS NOT NULL AND new.deleted = 0 BEGIN "
        f"INSERT INTO person_search(rowid, {INDEXED}) VALUES (new.search_rowid, {_values('new')}); END"
    )
    # One trigger, two statements in this order: an external-content index must forget the old values
    # before it learns the new ones (two triggers would fire in an unspecified order and corrupt it).
    op.execute(
        "CREATE TRIGGER persons_search_update AFTER UPDATE OF given_name, surname, personal_code, address, "
        "deleted, search_rowid ON persons BEGIN "
        f"INSERT INTO person_search(person_search, rowid, {INDEXED}) SELECT 'delete', old.search_rowid, "
        f"{_values('old')} WHERE old.search_rowid IS NOT NULL AND old.deleted = 0; "
        f"INSERT INTO person_search(rowid, {INDEXED}) SELECT new.search_rowid, {_values('new')} "
        "WHERE new.search_rowid IS NOT NULL AND new.deleted = 0; END"
    )
    op.execute(
        "CREATE TRIGGER persons_search_delete AFTER DELETE ON persons "
        "WHEN old.search_rowid IS NOT NULL AND old.deleted = 0 BEGIN "
        f"INSERT INTO person_search(person_search, rowid, {INDEXED}) "
        f"VALUES ('delete', old.search_rowid, {_values('old')}); END"
    )


def downgrade() -> None:
    raise NotImplementedError("Lieta stores only move forward; restore a backup instead")
