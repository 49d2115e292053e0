"""tap: a sheet's first mark makes it "in progress" in the database (a trigger on scores)

A tap writes its mark in one statement (`judging.tap`); the sheet's assigned → draft change
that used to be a third write of each tap is kept by this trigger instead, for every way a mark
is inserted. The words are written out here as they are today (a migration never imports the
code). A later migration that rebuilds `scores` on SQLite (batch "move and copy") must create
the trigger again: `tests/judging/test_tap.py` fails if it is gone.

Revision ID: tap
Revises: portal
Create Date: 2026-11-30 21:10:00

"""

from alembic import op

revision = "tap"
down_revision = "portal"
branch_labels = None
depends_on = None

_UPDATE = "UPDATE score_sheets SET status = 'draft' WHERE id = NEW.sheet_id AND status = 'assigned'"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION scores_first_mark() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_UPDATE}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER scores_first_mark AFTER INSERT ON scores "
            "FOR EACH ROW EXECUTE FUNCTION scores_first_mark()"
        )
    else:
        op.execute(f"CREATE TRIGGER scores_first_mark AFTER INSERT ON scores BEGIN {_UPDATE}; END")


def downgrade():
    op.execute(
        "DROP TRIGGER IF EXISTS scores_first_mark"
        + (" ON scores" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS scores_first_mark()")
