"""h6_questions: questions per event and their answers, team members, what the jury sees

Revision ID: h6_questions
Revises: h2_milestone_documents
Create Date: 2026-12-01 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h6_questions"
down_revision = "h2_milestone_documents"
branch_labels = None
depends_on = None

_KINDS = "'short_text','long_text','number','choice','yes_no','file'"


def upgrade():
    op.create_table(
        "event_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("text_ar", sa.String(length=500), nullable=True),
        sa.Column("text_en", sa.String(length=500), nullable=True),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("visible_to_jury", sa.Boolean(), nullable=False),
        sa.Column("max_length", sa.Integer(), nullable=True),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("max_value", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"kind IN ({_KINDS})", name=op.f("ck_event_questions_kind")),
        sa.CheckConstraint(
            "max_length IS NULL OR max_length > 0", name=op.f("ck_event_questions_max_length")
        ),
        sa.CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name=op.f("ck_event_questions_bounds"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_questions_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_questions")),
    )
    op.create_index(
        "ix_event_questions_event_id_position", "event_questions", ["event_id", "position"]
    )
    op.create_table(
        "idea_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("file_path", sa.String(length=300), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("file_mime", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_idea_answers_idea_id_ideas")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["event_questions.id"],
            name=op.f("fk_idea_answers_question_id_event_questions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_answers")),
        sa.UniqueConstraint("idea_id", "question_id", name="uq_idea_answers_one_answer"),
    )
    op.create_index(op.f("ix_idea_answers_idea_id"), "idea_answers", ["idea_id"])
    op.create_index(op.f("ix_idea_answers_question_id"), "idea_answers", ["question_id"])
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=20), nullable=True),
        sa.Column("age_bracket", sa.String(length=20), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_team_members_idea_id_ideas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
    )
    op.create_index(op.f("ix_team_members_idea_id"), "team_members", ["idea_id"])
    op.create_table(
        "idea_form_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("jury_sees_attachments", sa.Boolean(), nullable=False),
        sa.Column("jury_sees_answers", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_idea_form_settings_event_id_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_idea_form_settings")),
    )


def downgrade():
    op.drop_table("idea_form_settings")
    op.drop_index(op.f("ix_team_members_idea_id"), table_name="team_members")
    op.drop_table("team_members")
    op.drop_index(op.f("ix_idea_answers_question_id"), table_name="idea_answers")
    op.drop_index(op.f("ix_idea_answers_idea_id"), table_name="idea_answers")
    op.drop_table("idea_answers")
    op.drop_index("ix_event_questions_event_id_position", table_name="event_questions")
    op.drop_table("event_questions")
