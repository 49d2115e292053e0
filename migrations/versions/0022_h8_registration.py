"""h8_registration: registration before the day (an event's form, its registrants, check-in),
events' own e-mail templates, the audience prize

The words are written out here as they are today (a migration never imports the code).

Revision ID: h8_registration
Revises: h5_offline
Create Date: 2026-12-01 00:11:11

"""

import sqlalchemy as sa
from alembic import op

revision = "h8_registration"
down_revision = "h5_offline"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "registrants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("gender", sa.String(length=20), nullable=True),
        sa.Column("age_bracket", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_version", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by_id", sa.Integer(), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('registered','waiting','cancelled')", name=op.f("ck_registrants_state")
        ),
        sa.ForeignKeyConstraint(
            ["checked_in_by_id"], ["users.id"], name=op.f("fk_registrants_checked_in_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_registrants_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrants")),
        sa.UniqueConstraint("code", name=op.f("uq_registrants_code")),
        sa.UniqueConstraint("event_id", "phone", name="uq_registrants_event_phone"),
    )
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrants_event_id"), ["event_id"], unique=False)

    op.create_table(
        "registration_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity >= 0", name=op.f("ck_registration_settings_capacity")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_registration_settings_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_settings")),
        sa.UniqueConstraint("event_id", name=op.f("uq_registration_settings_event_id")),
    )
    op.create_table(
        "email_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_email_templates_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_email_templates_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_templates")),
        sa.UniqueConstraint("event_id", "kind", "locale", name=op.f("uq_email_templates_event_id")),
    )
    with op.batch_alter_table("email_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_templates_event_id"), ["event_id"], unique=False)
    op.create_table(
        "audience_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_audience_codes_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_audience_codes_code")),
    )
    with op.batch_alter_table("audience_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audience_codes_event_id"), ["event_id"], unique=False)

    op.create_table(
        "audience_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("show_results", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_audience_polls_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_polls")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audience_polls_event_id")),
    )
    op.create_table(
        "audience_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flag", sa.String(length=20), nullable=True),
        sa.CheckConstraint(
            "flag IN ('shared_device','burst')", name=op.f("ck_audience_votes_flag")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_audience_votes_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_audience_votes_idea_id_ideas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_votes")),
        sa.UniqueConstraint("event_id", "voter", name=op.f("uq_audience_votes_event_id")),
    )
    with op.batch_alter_table("audience_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audience_votes_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audience_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audience_votes_event_id"))

    op.drop_table("audience_votes")
    op.drop_table("audience_polls")
    with op.batch_alter_table("audience_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audience_codes_event_id"))

    op.drop_table("audience_codes")
    with op.batch_alter_table("email_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_templates_event_id"))

    op.drop_table("email_templates")
    op.drop_table("registration_settings")
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrants_event_id"))

    op.drop_table("registrants")
