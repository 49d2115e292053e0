"""audit_event_kind: an event's entries of one kind read newest first through an index on
(event_id, entity, action, id) (issue 21: at ten times the tour the progress page looked for
its tablets' refused actions among an event's 150,000 taps, 49 ms; now a seek)

Revision ID: audit_event_kind
Revises: sheet_figures
Create Date: 2026-12-01 07:25:00

"""

from alembic import op

revision = "audit_event_kind"
down_revision = "sheet_figures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_audit_entries_event_entity_action",
        "audit_entries",
        ["event_id", "entity", "action", "id"],
    )


def downgrade():
    op.drop_index("ix_audit_entries_event_entity_action", table_name="audit_entries")
