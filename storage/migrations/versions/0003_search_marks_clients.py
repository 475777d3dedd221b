"""Person search marks clients, so client search never scans household members

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The index gains a ``role`` column ('client' or 'person'). Client search filters on it inside FTS5 instead of
joining away the non-clients afterwards: a digit prefix such as ``32`` (new-format codes, mostly children)
otherwise read hundreds of household members to find a page of clients. Triggers on ``clients`` re-index a
person when they become, or stop being, a client; a person has at most one client row.
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = "given_name, surname, code, code_digits, address, role"
CLIENT, PERSON = "'client'", "'person'"
IS_CLIENT = "EXISTS (SELECT 1 FROM clients AS c WHERE c.person_id = {p}.id AND c.deleted = 0)"


def _values(p: str, role: str | None = None) -> str:
    role_sql = role or f"CASE WHEN {IS_CLIENT.format(p=p)} THEN 'client' ELSE 'person' END"
    return (
        f"{p}.given_name, {p}.surname, coalesce({p}.personal_code, ''), "
        f"replace(coalesce({p}.personal_code, ''), '-', ''), coalesce({p}.address, ''), {role_sql}"
    )


def _reindex_person(person_id: str, old_role: str, new_role: str) -> str:
    """Statements that move one person's index entry from ``old_role`` to ``new_role``."""
    where = f"FROM persons AS p WHERE p.id = {person_id} AND p.search_rowid IS NOT NULL AND p.deleted = 0"
    return (
        f"INSERT INTO person_search(person_search, rowid, {COLUMNS}) SELECT 'delete', p.search_rowid, "
        f"{_values('p', old_role)} {where}; "
        f"INSERT INTO person_search(rowid, {COLUMNS}) SELECT p.search_rowid, {_values('p', new_role)} {where};"
    )


def upgrade() -> None:
    for trigger in ("persons_search_insert", "persons_search_update", "persons_search_delete"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE person_search")
    op.execute("DROP VIEW person_search_source")
    op.execute(
        "CREATE VIEW person_search_source AS SELECT search_rowid, given_name, surname, "
        "coalesce(personal_code, '') AS code, replace(coalesce(personal_code, ''), '-', '') AS code_digits, "
        f"coalesce(address, '') AS address, CASE WHEN {IS_CLIENT.format(p='persons')} THEN 'client' "
        "ELSE 'person' END AS role FROM persons WHERE deleted = 0 AND search_rowid IS NOT NULL"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE person_search USING fts5({COLUMNS}, content='person_search_source', "
        "content_rowid='search_rowid', tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2 3')"
    )
    op.execute("INSERT INTO person_search(person_search) VALUES ('rebuild')")
    op.execute(
        "CREATE TRIGGER persons_search_insert AFTER INSERT ON persons "
        "WHEN new.search_rowid IS NOT NULL AND new.deleted = 0 BEGIN "
        f"INSERT INTO person_search(rowid, {COLUMNS}) VALUES (new.search_rowid, {_values('new')}); END"
    )
    # delete the old entry before inserting the new one, in one trigger (see 0002)
    op.execute(
        "CREATE TRIGGER persons_search_update AFTER UPDATE OF given_name, surname, personal_code, address, "
        "deleted, search_rowid ON persons BEGIN "
        f"INSERT INTO person_search(person_search, rowid, {COLUMNS}) SELECT 'delete', old.search_rowid, "
        f"{_values('old')} WHERE old.search_rowid IS NOT NULL AND old.deleted = 0; "
        f"INSERT INTO person_search(rowid, {COLUMNS}) SELECT new.search_rowid, {_values('new')} "
        "WHERE new.search_rowid IS NOT NULL AND new.deleted = 0; END"
    )
    op.execute(
        "CREATE TRIGGER persons_search_delete AFTER DELETE ON persons "
        "WHEN old.search_rowid IS NOT NULL AND old.deleted = 0 BEGIN "
        f"INSERT INTO person_search(person_search, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.search_rowid, {_values('old')}); END"
    )
    op.execute(
        "CREATE TRIGGER clients_search_insert AFTER INSERT ON clients WHEN new.deleted = 0 BEGIN "
        + _reindex_person("new.person_id", PERSON, CLIENT)
        + " END"
    )
    op.execute(
        "CREATE TRIGGER clients_search_tombstone AFTER UPDATE OF deleted ON clients "
        "WHEN old.deleted != new.deleted BEGIN "
        + _reindex_person(
            "new.person_id",
            "CASE WHEN old.deleted = 0 THEN 'client' ELSE 'person' END",
            "CASE WHEN new.deleted = 0 THEN 'client' ELSE 'person' END",
        )
        + " END"
    )
    op.execute(
        "CREATE TRIGGER clients_search_delete AFTER DELETE ON clients WHEN old.deleted = 0 BEGIN "
        + _reindex_person("old.person_id", CLIENT, PERSON)
        + " END"
    )


def downgrade() -> None:
    raise NotImplementedError("Lieta stores only move forward; restore a backup instead")
