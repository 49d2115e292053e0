"""audit_event_order: an event's audit log read newest first through an index on (event_id, id),
which replaces the index on event_id alone (issue 21: the log of a stop of ten times the tour)

Revision ID: audit_event_order
Revises: h11_triage_round
Create Date: 2026-12-01 04:40:00

"""

from alembic import op

revision = "audit_event_order"
down_revision = "h11_triage_round"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_entries_event_id_id", "audit_entries", ["event_id", "id"])
    op.drop_index("ix_audit_entries_event_id", table_name="audit_entries")


def downgrade():
    op.create_index("ix_audit_entries_event_id", "audit_entries", ["event_id"])
    op.drop_index("ix_audit_entries_event_id_id", table_name="audit_entries")
