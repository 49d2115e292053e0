"""audit: where an access came from (the address of a sign-in, a download, an export)

Revision ID: kiosk
Revises: auth
"""

import sqlalchemy as sa
from alembic import op

revision = "kiosk"
down_revision = "auth"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("address")
