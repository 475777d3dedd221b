"""The central service's own database (SQLAlchemy Core tables; PostgreSQL in production, SQLite embedded).

``server_state.version`` is the gap-free server version: every applied change takes the next number inside
the transaction that applies it, and the row lock that takes orders commits too, so a pull cursor never skips
a change that commits late (ARCHITECTURE.md rule 5). ``records`` holds the current state of every synced row
with per-field versions and HLC stamps (for field-level conflict detection); ``change_log`` is the feed that
devices pull; ``conflicts`` keeps every losing value for a worker to review.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Index, Integer, MetaData, PrimaryKeyConstraint,
                        String, Table, Text, Uuid)

metadata = MetaData()


def audience_columns() -> list[Column]:
    """Who may receive a row (``sync.server.scope.Audience``): everyone, or a parish (and, for a restricted
    file, only its worker); municipal laptops receive everything."""
    return [Column("shared", Boolean, nullable=False, default=False),
            Column("parish_id", String(36)),
            Column("worker_id", String(36))]

server_state = Table(
    "server_state", metadata,
    Column("singleton", Integer, primary_key=True),
    Column("epoch", String(40), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("min_pull_schema", Integer, nullable=False),
)

devices = Table(
    "devices", metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("last_applied_seq", BigInteger, nullable=False, default=0),
    Column("parish_ids", JSON, nullable=False, default=list),
    Column("municipal", Boolean, nullable=False, default=False),  # the head's laptop: the whole municipality
    Column("public_keys", Text),  # app.signing.PublicKeys text form: login signatures and USB bundles
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

#: staff who sign in to the service (their records also sync to laptops as the ``users`` entity)
users = Table(
    "users", metadata,
    Column("id", Uuid, primary_key=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("parish_ids", JSON, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
)

#: one-time codes printed by ``lieta-server enrol``; only their hash is kept
enrolment_codes = Table(
    "enrolment_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("parish_ids", JSON, nullable=False),
    Column("municipal", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("device_id", Uuid),
)

#: sign-in tokens: one user on one device, until they expire; only their hash is kept
tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("device_id", Uuid, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

#: who has signed in on which laptop: restricted files reach a laptop only through their worker
device_users = Table(
    "device_users", metadata,
    Column("device_id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("device_id", "user_id"),
)

#: the service's own keys for USB bundles (private keys: protect the database like the data it holds)
service_keys = Table(
    "service_keys", metadata,
    Column("singleton", Integer, primary_key=True),
    Column("key_pair", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

records = Table(
    "records", metadata,
    Column("entity", String(60), nullable=False),
    Column("row_id", Uuid, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("field_versions", JSON, nullable=False),
    Column("field_hlcs", JSON, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    *audience_columns(),
    Column("root_id", Uuid),  # the client, person or household whose audience this row follows
    Column("entity_order", Integer, nullable=False),  # foreign-key order of the entity: snapshots go parents first
    PrimaryKeyConstraint("entity", "row_id"),
    Index("ix_records_root", "root_id"),
    Index("ix_records_snapshot", "entity_order", "row_id"),
)

change_log = Table(
    "change_log", metadata,
    Column("server_version", BigInteger, primary_key=True, autoincrement=False),
    Column("op_id", Uuid, nullable=False, unique=True),
    Column("tx_id", Uuid, nullable=False),
    Column("device_id", Uuid, nullable=False),
    Column("device_seq", BigInteger, nullable=False),
    Column("user_id", Uuid),
    Column("entity", String(60), nullable=False),
    Column("row_id", Uuid, nullable=False),
    Column("op", String(10), nullable=False),
    Column("base_version", BigInteger),
    Column("fields", JSON, nullable=False),
    Column("hlc", String(30), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    *audience_columns(),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", Uuid, primary_key=True),
    Column("entity", String(60), nullable=False),
    Column("row_id", Uuid, nullable=False),
    Column("fields", JSON, nullable=False),  # the losing values, field → value
    Column("winning", JSON, nullable=False),  # what stands, field → value
    Column("losing_op_id", Uuid, nullable=False),
    Column("losing_device_id", Uuid, nullable=False),
    Column("reason", String(30), nullable=False),  # concurrent_edit | edited_after_delete
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
)
