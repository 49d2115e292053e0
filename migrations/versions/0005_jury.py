"""jury: a removed judge's access ends; reprinted jury cards revoke the earlier ones

`users.session_version` ends every session of an account at once (the session cookie holds
`id:version`). `login_links` belong to the event whose cards printed them and can be revoked
("replaced" by a reprint, or "removed" with the judge). A removed judge's sheets take the
statuses "set_aside" and "void" (a string column: no schema change).

Revision ID: jury
Revises: safesteps
Create Date: 2026-11-30 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "jury"
down_revision = "safesteps"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("login_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_reason", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_login_links_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("login_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_links_event_id"))
        batch_op.drop_column("revoked_reason")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("event_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
