"""Personal data (Law 09-08): the privacy notice version each consent accepted, when an idea's
personal data were erased, each event's retention period, and participants' deletion requests

Revision ID: privacy
Revises: outcome
Create Date: 2026-11-30 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "privacy"
down_revision = "outcome"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_version", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_months", sa.Integer(), server_default="12", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_events_retention_months"), "retention_months >= 1"
        )
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("refusal_reason", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending','approved','refused')", name=op.f("ck_deletion_requests_status")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_deletion_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_deletion_requests_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_deletion_requests_idea_id_ideas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_requests")),
    )
    with op.batch_alter_table("deletion_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deletion_requests_event_id"), ["event_id"])
        batch_op.create_index(batch_op.f("ix_deletion_requests_idea_id"), ["idea_id"])
        batch_op.create_index(batch_op.f("ix_deletion_requests_status"), ["status"])


def downgrade():
    with op.batch_alter_table("deletion_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deletion_requests_status"))
        batch_op.drop_index(batch_op.f("ix_deletion_requests_idea_id"))
        batch_op.drop_index(batch_op.f("ix_deletion_requests_event_id"))
    op.drop_table("deletion_requests")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_retention_months"), type_="check")
        batch_op.drop_column("retention_months")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("consent_version")
