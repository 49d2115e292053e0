"""jury: a removed judge's access ends; reprinted jury cards revoke the earlier ones

`users.session_version` ends every session of an account at once (the session cookie holds
`id:version`). `login_links` belong to the event whose cards printed them and can be revoked
("replaced" by a reprint, or "removed" with the judge). A removed judge's sheets take the
statuses "set_aside" and "void": the check on `score_sheets.status` allows them. The words are
written out here as they are today (a migration never imports the code).

Revision ID: jury
Revises: states
Create Date: 2026-11-30 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "jury"
down_revision = "states"
branch_labels = None
depends_on = None


SHEET_STATES = ("assigned", "draft", "submitted")
SHEET_STATES_NOW = (*SHEET_STATES, "set_aside", "void")


def _in(column: str, words: tuple[str, ...]) -> str:
    return f"{column} IN ({','.join(repr(word) for word in words)})"


def _sheet_states(words: tuple[str, ...]) -> None:
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_score_sheets_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_score_sheets_status"), _in("status", words))


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
        batch_op.create_check_constraint(
            op.f("ck_login_links_revoked_reason"),
            _in("revoked_reason", ("replaced", "removed")),
        )
    _sheet_states(SHEET_STATES_NOW)


def downgrade():
    # The earlier schema has no word for a removed judge's sheets: they become sheets in
    # progress or to score (never counted, as before).
    op.execute("UPDATE score_sheets SET status = 'draft' WHERE status = 'void'")
    op.execute("UPDATE score_sheets SET status = 'assigned' WHERE status = 'set_aside'")
    _sheet_states(SHEET_STATES)
    with op.batch_alter_table("login_links", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_login_links_revoked_reason"), type_="check")
        batch_op.drop_index(batch_op.f("ix_login_links_event_id"))
        batch_op.drop_column("revoked_reason")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("event_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
