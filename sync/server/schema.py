"""The central service's own database (SQLAlchemy Core tables; PostgreSQL in production, SQLite embedded).

``server_state.version`` is the gap-free server version: every applied change takes the next number inside
the transaction that applies it, and the row lock that takes orders commits too, so a pull cursor never skips
a change that commits late (ARCHITECTURE.md rule 5). ``records`` holds the current state of every synced row
with per-field versions and HLC stamps (for field-level conflict detection); ``change_log`` is the feed that
devices pull; ``conflicts`` keeps every losing value for a worker to review.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Integer, MetaData, PrimaryKeyConstraint, String,
                        Table, Uuid)

metadata = MetaData()

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
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
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
    PrimaryKeyConstraint("entity", "row_id"),
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
