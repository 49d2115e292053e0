"""bank: documents kept with a project's milestones (their bytes in the file store)

Revision ID: h2_milestone_documents
Revises: tap
Create Date: 2026-12-01 00:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h2_milestone_documents"
down_revision = "tap"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "milestone_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_milestone_documents_size")),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestones.id"],
            name=op.f("fk_milestone_documents_milestone_id_milestones"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"],
            name=op.f("fk_milestone_documents_uploaded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_documents")),
        sa.UniqueConstraint("key", name=op.f("uq_milestone_documents_key")),
    )  # fmt: skip
    with op.batch_alter_table("milestone_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_documents_milestone_id"), ["milestone_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("milestone_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_documents_milestone_id"))
    op.drop_table("milestone_documents")
