"""h5_offline: a jury tablet's offline queue: an action's client id on its audit entry (written
once per account), a mark's tap time (last write wins by tap), and each tablet's last report of
its unsent actions

Revision ID: h5_offline
Revises: h7_rounds
Create Date: 2026-12-01 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h5_offline"
down_revision = "h7_rounds"
branch_labels = None
depends_on = None

_CLIENT_ACTION = sa.text("client_action IS NOT NULL")


def upgrade():
    # Plain ALTER TABLE … ADD COLUMN (no batch rebuild): the trigger on scores stays.
    op.add_column("audit_entries", sa.Column("client_action", sa.String(length=40), nullable=True))
    op.create_index(
        "uq_audit_entries_client_action",
        "audit_entries",
        ["user_id", "client_action"],
        unique=True,
        sqlite_where=_CLIENT_ACTION,
        postgresql_where=_CLIENT_ACTION,
    )
    op.add_column("scores", sa.Column("tapped_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "jury_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=40), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("oldest_pending_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["judge_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("judge_id", "device", name="uq_jury_devices_judge_device"),
    )
    op.create_index("ix_jury_devices_judge_id", "jury_devices", ["judge_id"])


def downgrade():
    op.drop_index("ix_jury_devices_judge_id", table_name="jury_devices")
    op.drop_table("jury_devices")
    op.drop_column("scores", "tapped_at")  # no batch rebuild: the trigger on scores stays
    op.drop_index("uq_audit_entries_client_action", table_name="audit_entries")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("client_action")
