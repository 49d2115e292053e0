"""rounds: an event's pitch round, its shortlist and its stage; special prizes

A score sheet belongs to a round (1: the written ideas, every sheet so far; 2: the pitch); a
judge may hold one sheet per idea and round. `rounds` holds an event's pitch round (rubric,
shortlist size, durations and the stage's state), `shortlist_entries` its teams in running
order with what round 1 gave them. A result entry may say "not shortlisted". `special_prizes`
holds the prizes an organiser defines per event (a rule: sector, women-led, youth-led).

Revision ID: h7_rounds
Revises: h6_questions
Create Date: 2026-12-01 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h7_rounds"
down_revision = "h6_questions"
branch_labels = None
depends_on = None

_REASONS = ("calibration", "ineligible", "duplicate", "too_few_judges")


def _reasons(words) -> str:
    return f"not_ranked_reason IN ({','.join(repr(word) for word in words)})"


_UPDATE = "UPDATE score_sheets SET status = 'draft' WHERE id = NEW.sheet_id AND status = 'assigned'"


def _without_sqlite_trigger(change) -> None:
    """SQLite rebuilds `score_sheets` (batch "move and copy"), which the trigger on `scores`
    (`0017_tap.py`) names: drop it first and create it again after."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS scores_first_mark")
    change()
    if sqlite:
        op.execute(f"CREATE TRIGGER scores_first_mark AFTER INSERT ON scores BEGIN {_UPDATE}; END")


def upgrade():
    _without_sqlite_trigger(_sheets_by_round)
    _tables()
    _prizes()


def _sheets_by_round():
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("round_number", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.drop_constraint("uq_score_sheets_idea_judge", type_="unique")
        batch_op.create_unique_constraint(
            "uq_score_sheets_idea_judge_round", ["idea_id", "judge_id", "round_number"]
        )


def _tables():
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_result_entries_not_ranked_reason"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_result_entries_not_ranked_reason"), _reasons((*_REASONS, "not_shortlisted"))
        )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=True),
        sa.Column("shortlist_size", sa.Integer(), nullable=False),
        sa.Column("pitch_seconds", sa.Integer(), nullable=False),
        sa.Column("questions_seconds", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("stage_idea_id", sa.Integer(), nullable=True),
        sa.Column("stage_phase", sa.String(length=20), nullable=False),
        sa.Column("phase_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_phase", sa.String(length=20), nullable=True),
        sa.Column("seconds_left", sa.Integer(), nullable=True),
        sa.Column("screen_language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('written','pitch')", name=op.f("ck_rounds_kind")),
        sa.CheckConstraint(
            "stage_phase IN ('waiting','pitch','questions','paused','done')",
            name=op.f("ck_rounds_stage_phase"),
        ),
        sa.CheckConstraint("shortlist_size >= 1", name=op.f("ck_rounds_shortlist_size")),
        sa.CheckConstraint(
            "pitch_seconds > 0 AND questions_seconds >= 0", name=op.f("ck_rounds_durations")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_rounds_event_id_events")),
        sa.ForeignKeyConstraint(
            ["rubric_id"], ["rubrics.id"], name=op.f("fk_rounds_rubric_id_rubrics")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_rounds_started_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["stage_idea_id"], ["ideas.id"], name=op.f("fk_rounds_stage_idea_id_ideas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("event_id", "number", name="uq_rounds_event_number"),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_event_id"), ["event_id"], unique=False)
    op.create_table(
        "shortlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("written_rank", sa.Integer(), nullable=True),
        sa.Column("written_score", sa.Double(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_shortlist_entries_idea_id_ideas")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_shortlist_entries_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlist_entries")),
        sa.UniqueConstraint("round_id", "idea_id", name="uq_shortlist_entries_round_idea"),
    )
    with op.batch_alter_table("shortlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shortlist_entries_round_id"), ["round_id"], unique=False
        )


def _prizes():
    op.create_table(
        "special_prizes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rule IN ('in_sector','women_led','youth_led')", name=op.f("ck_special_prizes_rule")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_special_prizes_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_prizes")),
    )
    with op.batch_alter_table("special_prizes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_special_prizes_event_id"), ["event_id"], unique=False)


def downgrade():
    op.drop_table("special_prizes")
    op.drop_table("shortlist_entries")
    op.drop_table("rounds")
    op.execute("DELETE FROM score_sheets WHERE round_number <> 1")
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_result_entries_not_ranked_reason"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_result_entries_not_ranked_reason"), _reasons(_REASONS)
        )
    _without_sqlite_trigger(_sheets_in_one_round)


def _sheets_in_one_round():
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.drop_constraint("uq_score_sheets_idea_judge_round", type_="unique")
        batch_op.create_unique_constraint("uq_score_sheets_idea_judge", ["idea_id", "judge_id"])
        batch_op.drop_column("round_number")
