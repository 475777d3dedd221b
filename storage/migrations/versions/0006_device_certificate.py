"""Document verification: the service's certificate of this laptop's signing key

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

``sync_state.device_certificate`` (``app.attestation.DeviceCertificate`` text form) is given by the central
service at enrolment and renewed at every sign-in; the laptop signs issued documents' verification codes with
its own key under it. Local only: nothing synced changes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("device_certificate", sa.Text(), nullable=True))
