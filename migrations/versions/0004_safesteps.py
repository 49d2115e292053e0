"""safesteps: jury secretary, who validated the minutes and how, deliberation notes and the
method's reason, who recorded a conflict of interest

Revision ID: safesteps
Revises: 0003
Create Date: 2026-11-30 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "safesteps"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jury_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_secretary", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("jury_members", schema=None) as batch_op:
        batch_op.alter_column("is_secretary", server_default=None)
    with op.batch_alter_table("deliberations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("validation_mode", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("validated_for_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("method_reason", sa.String(length=1000), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_deliberations_validated_for_id_users"),
            "users",
            ["validated_for_id"],
            ["id"],
        )
    with op.batch_alter_table("deliberations", schema=None) as batch_op:
        batch_op.alter_column("notes", server_default=None)
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declared_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_conflicts_declared_by_id_users"), "users", ["declared_by_id"], ["id"]
        )
    # Conflicts so far were all declared by their judge.
    op.execute("UPDATE conflicts SET declared_by_id = judge_id")


def downgrade():
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_conflicts_declared_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("declared_by_id")
    with op.batch_alter_table("deliberations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_deliberations_validated_for_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("method_reason")
        batch_op.drop_column("notes")
        batch_op.drop_column("validated_for_id")
        batch_op.drop_column("validation_mode")
    with op.batch_alter_table("jury_members", schema=None) as batch_op:
        batch_op.drop_column("is_secretary")
