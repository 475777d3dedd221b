"""Case work rules: case reviews, evaluation date, child-protection tasks without a case, number blocks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

``case_reviews`` keeps each dated review of a case (final records the inspector checks); ``social_cases``
gains ``evaluated_on``; ``plan_tasks`` gains the client it is about and the record that made it (a flagged
journal entry or home visit creates a reporting task before any case exists); ``number_blocks`` holds the
registration-number blocks leased to devices and ``number_overflow`` counts the numbers a device gave outside them (docs/architecture.md, "Registration numbers").
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("author_device_id", sa.Uuid(), nullable=True),
        sa.Column("author_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "case_reviews",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reviewed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["case_id"], ["social_cases.id"], name=op.f("fk_case_reviews_case_id_social_cases")),
        sa.ForeignKeyConstraint(["reviewed_by_user_id"], ["users.id"],
                                name=op.f("fk_case_reviews_reviewed_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reviews")),
    )
    op.create_index(op.f("ix_case_reviews_case_id"), "case_reviews", ["case_id"], unique=False)
    op.create_table(
        "number_blocks",
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("leased_at", sa.DateTime(), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
    )
    op.create_index(op.f("ix_number_blocks_device_id"), "number_blocks", ["device_id"], unique=False)
    op.create_index("ix_number_blocks_series_year", "number_blocks", ["series", "year", "first_number"], unique=True)
    op.create_table(
        "number_overflow",
        sa.Column("series_year", sa.String(length=20), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series_year", name=op.f("pk_number_overflow")),
    )
    with op.batch_alter_table("social_cases") as batch:
        batch.add_column(sa.Column("evaluated_on", sa.Date(), nullable=True))
    with op.batch_alter_table("plan_tasks") as batch:
        batch.add_column(sa.Column("client_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("source_entity", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("source_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(op.f("fk_plan_tasks_client_id_clients"), "clients", ["client_id"], ["id"])
        batch.create_index(op.f("ix_plan_tasks_client_id"), ["client_id"], unique=False)
    op.execute("UPDATE plan_tasks SET client_id = (SELECT client_id FROM social_cases WHERE social_cases.id = "
               "plan_tasks.case_id) WHERE case_id IS NOT NULL")


def downgrade() -> None:
    raise NotImplementedError("stores are only ever upgraded")
