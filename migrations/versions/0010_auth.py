"""auth: receipt look-up failures remember the address they came from

The /receipt throttle counts failures per code + address, with a far higher ceiling per code
from everywhere, so that strangers cannot lock a participant out of their own receipt code.
Failures recorded before this revision count under the address "?".

Revision ID: auth
Revises: outcome
Create Date: 2026-11-30 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "auth"
down_revision = "privacy"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("receipt_lookup_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("address", sa.String(length=64), nullable=False, server_default="?")
        )


def downgrade():
    with op.batch_alter_table("receipt_lookup_failures", schema=None) as batch_op:
        batch_op.drop_column("address")
