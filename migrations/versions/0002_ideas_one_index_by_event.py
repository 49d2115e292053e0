"""ideas: one index (event_id, created_at) instead of three

Every index is one more page that each idea sent writes (SQLite: one more WAL frame, one more
write system call). Ideas are only ever listed by event, in order of arrival; none is looked up
by its phone number (a receipt is found by its code, then the phone compared).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:05:00

"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index("ix_ideas_event_id_created_at", ["event_id", "created_at"])
        batch_op.drop_index("ix_ideas_lead_phone")
        batch_op.drop_index("ix_ideas_event_id")
        batch_op.drop_index("ix_ideas_created_at")


def downgrade():
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index("ix_ideas_created_at", ["created_at"])
        batch_op.create_index("ix_ideas_event_id", ["event_id"])
        batch_op.create_index("ix_ideas_lead_phone", ["lead_phone"])
        batch_op.drop_index("ix_ideas_event_id_created_at")
