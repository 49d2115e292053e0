"""outcome: what participants are told of their idea, and the certificates

Two settings of an event (share each idea's rank, share the jury's comments with its team) and
the certificates issued when results are published, each with the code that confirms it.

Revision ID: outcome
Revises: results
Create Date: 2026-11-30 18:00:00

"""

import sqlalchemy as sa
from alembic import op


revision = "outcome"
down_revision = "results"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_ranks", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("share_feedback", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('winner','participant')", name=op.f("ck_certificates_kind")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_certificates_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_certificates_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("idea_id", "kind", name="uq_certificates_idea_kind"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_event_id"))
    op.drop_table("certificates")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("share_feedback")
        batch_op.drop_column("share_ranks")
