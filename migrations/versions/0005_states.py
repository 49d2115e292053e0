"""Every stored vocabulary held by a CheckConstraint

Each closed set of words the application stores (`<package>/states.py`) is now held by the
database too, as `events.state`, `ideas.eligibility` and `users.role` already were. The words
are written out here as they are today: a migration is history and never imports the code.

Revision ID: states
Revises: safesteps
Create Date: 2026-11-30 18:00:00

"""

from alembic import op

revision = "states"
down_revision = "safesteps"
branch_labels = None
depends_on = None

# (table, constraint's short name, column, words)
CHECKS = (
    ("events", "ranking_method", "ranking_method", ("raw", "normalised")),
    ("ideas", "source", "source", ("form", "kiosk", "assisted", "import", "final")),
    ("ideas", "team_kind", "team_kind", ("cooperative", "group")),
    ("score_sheets", "status", "status", ("assigned", "draft", "submitted")),
    ("deliberations", "method", "method", ("raw", "normalised")),
    ("deliberations", "validation_mode", "validation_mode", ("president", "on_behalf")),
    ("result_entries", "method", "method", ("raw", "normalised")),
    (
        "result_entries",
        "not_ranked_reason",
        "not_ranked_reason",
        ("calibration", "ineligible", "duplicate", "too_few_judges"),
    ),
    ("outbox_emails", "status", "status", ("pending", "sending", "sent", "failed")),
    ("export_jobs", "status", "status", ("queued", "running", "done", "failed")),
    ("bank_projects", "status", "status", ("idea", "support", "founded", "funded", "active")),
)


def _sql(column: str, words: tuple[str, ...]) -> str:
    return f"{column} IN ({','.join(repr(word) for word in words)})"


def upgrade():
    for table, name, column, words in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), _sql(column, words))


def downgrade():
    for table, name, _column, _words in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
