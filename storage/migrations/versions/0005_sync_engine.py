"""Sync engine: the laptop's sync state, quarantined changes, and conflicts shown to workers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

``sync_state`` (one row once enrolled) holds the central service's address, pinned certificate and bundle
keys, this device's keys, its scope, the server epoch and the pull cursor (committed with each page).
``sync_quarantine`` keeps the changes the service refused. ``sync_conflicts`` is a synced table: the service
writes a row for every value that lost a merge and the workers who can see the record resolve it.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("singleton", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("server_certificate", sa.Text(), nullable=True),
        sa.Column("server_keys", sa.Text(), nullable=False),
        sa.Column("device_keys", sa.Text(), nullable=False),
        sa.Column("parish_ids", sa.JSON(), nullable=False),
        sa.Column("municipal", sa.Boolean(), nullable=False),
        sa.Column("epoch", sa.String(length=40), nullable=True),
        sa.Column("pulled_version", sa.BigInteger(), nullable=False),
        sa.Column("snapshot_from", sa.BigInteger(), nullable=True),
        sa.Column("snapshot_after", sa.String(length=100), nullable=True),
        sa.Column("token", sa.LargeBinary(), nullable=True),
        sa.Column("token_user_id", sa.Uuid(), nullable=True),
        sa.Column("token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=60), nullable=True),
        sa.Column("clock_offset_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("singleton", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_quarantine")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("losing", sa.JSON(), nullable=False),
        sa.Column("standing", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("losing_device_id", sa.Uuid(), nullable=True),
        sa.Column("losing_user_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("author_device_id", sa.Uuid(), nullable=True),
        sa.Column("author_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index(op.f("ix_sync_conflicts_row_id"), "sync_conflicts", ["row_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("stores are only ever upgraded")
