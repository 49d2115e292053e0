"""h11_triage_round: round 1 by the organisers' triage on a rubric of its own (the pitch round's
`triage_rubric_id`; None: the jury scores the written ideas on the event's rubric)

Revision ID: h11_triage_round
Revises: h1_place_codes
Create Date: 2026-12-01 01:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h11_triage_round"
down_revision = "h1_place_codes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("triage_rubric_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_rounds_triage_rubric_id_rubrics", "rubrics", ["triage_rubric_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("fk_rounds_triage_rubric_id_rubrics", type_="foreignkey")
        batch.drop_column("triage_rubric_id")
