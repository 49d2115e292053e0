"""file store: attachments kept in the database, chunk by chunk, where every host sees them

Revision ID: file_store
Revises: names_in_languages
Create Date: 2026-11-30 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "file_store"
down_revision = "names_in_languages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "file_chunks",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", "seq", name=op.f("pk_file_chunks")),
    )


def downgrade():
    op.drop_table("file_chunks")
