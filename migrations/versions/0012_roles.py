"""roles: facilitator, coordinator and viewer accounts; a coordinator's region; a facilitator's events

`users.role` admits the three new roles; `users.region` holds a coordinator's region;
`user_events` gives a facilitator the events whose assisted entry and kiosk they run. The words
are written out here as they are today (a migration never imports the code).

Revision ID: roles
Revises: kiosk
Create Date: 2026-11-30 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "roles"
down_revision = "kiosk"
branch_labels = None
depends_on = None


ROLES = ("organiser", "jury")
ROLES_NOW = (*ROLES, "facilitator", "coordinator", "viewer")


def _in(column: str, words: tuple[str, ...]) -> str:
    return f"{column} IN ({','.join(repr(word) for word in words)})"


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), _in("role", ROLES_NOW))
    op.create_table(
        "user_events",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_user_events_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_events_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "event_id", name=op.f("pk_user_events")),
    )
    with op.batch_alter_table("user_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_events_event_id"), ["event_id"], unique=False)


def downgrade():
    # The earlier schema has no word for the new roles: their accounts become disabled jury
    # accounts (no event, so no access), keeping the history that points to them.
    op.execute(
        "UPDATE users SET role = 'jury', active = false "
        "WHERE role IN ('facilitator', 'coordinator', 'viewer')"
    )
    with op.batch_alter_table("user_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_events_event_id"))
    op.drop_table("user_events")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), _in("role", ROLES))
        batch_op.drop_column("region")
