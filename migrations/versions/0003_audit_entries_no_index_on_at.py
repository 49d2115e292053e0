"""audit_entries: no index on `at`

Every tap of a judge and every idea sent writes an audit entry, and every index is one more
page that each of them writes. The log is only ever read by event, newest first (its ids
follow time); nothing asks for entries by timestamp.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:00:00

"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_at")


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_at", ["at"])
