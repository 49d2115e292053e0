"""Versioned official results: result_versions; result entries belong to a version

A validated deliberation freezes the ranking into a version (v1, then amendments v2, v3… with
their reason); the version in force is the latest published, not voided one. Result entries
move from the event to the version and their figures take one name each (raw, mean_z,
score_100), in the bank's copy too. Existing published results become version 1. A deliberation validated but not yet
published has no frozen rows to carry: its validation is cleared (the president validates again).

Revision ID: results
Revises: jury
Create Date: 2026-11-30 18:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "results"
down_revision = "jury"
branch_labels = None
depends_on = None

# The words as they are today (a migration is history: it never imports the code).
NOT_RANKED = "not_ranked_reason IN ('calibration','ineligible','duplicate','too_few_judges')"


def _old_entries_table():
    return sa.Table(
        "result_entries",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("raw_score", sa.Double(), nullable=True),
        sa.Column("normalised_score", sa.Double(), nullable=True),
        sa.Column("normalised_100", sa.Double(), nullable=True),
        sa.Column("judges", sa.Integer(), nullable=False),
        sa.Column("ranked", sa.Boolean(), nullable=False),
        sa.Column("not_ranked_reason", sa.String(length=200), nullable=True),
        sa.Column("is_winner", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=2000), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
    )


def _create_old_entries():
    op.create_table(
        "result_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        *[c.copy() for c in _old_entries_table().columns if c.name != "id"],
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_result_entries_event_id_events")),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_result_entries_idea_id_ideas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_entries")),
        sa.UniqueConstraint("event_id", "idea_id", name="uq_result_entries_event_idea"),
        sa.CheckConstraint("method IN ('raw','normalised')", name=op.f("ck_result_entries_method")),
        sa.CheckConstraint(NOT_RANKED, name=op.f("ck_result_entries_not_ranked_reason")),
    )  # fmt: skip
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_entries_event_id"), ["event_id"], unique=False)


def upgrade():
    # The bank's copy of an idea's result takes the figures' names (and the 0–100 score).
    with op.batch_alter_table("bank_projects", schema=None) as batch_op:
        batch_op.alter_column("raw_score", new_column_name="raw")
        batch_op.alter_column("normalised_score", new_column_name="mean_z")
        batch_op.add_column(sa.Column("score_100", sa.Double(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE bank_projects SET score_100 = CASE WHEN 50 + 10 * mean_z > 100 THEN 100 "
            "WHEN 50 + 10 * mean_z < 0 THEN 0 ELSE 50 + 10 * mean_z END "
            "WHERE mean_z IS NOT NULL"
        )
    )
    old = _old_entries_table()
    rows = [dict(r._mapping) for r in bind.execute(sa.select(old))]
    table = sa.table(
        "deliberations",
        sa.column("event_id", sa.Integer()),
        sa.column("validated_at", sa.DateTime(timezone=True)),
        sa.column("validated_by_id", sa.Integer()),
        sa.column("validation_mode", sa.String(20)),
        sa.column("validated_for_id", sa.Integer()),
        sa.column("published_at", sa.DateTime(timezone=True)),
    )
    deliberations = {r.event_id: r for r in bind.execute(sa.select(table))}
    with op.batch_alter_table("deliberations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amendment_reason", sa.String(length=2000), nullable=True))
        batch_op.add_column(
            sa.Column("amendment_started_at", sa.DateTime(timezone=True), nullable=True)
        )
    versions = op.create_table(
        "result_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("validated_by_id", sa.Integer(), nullable=True),
        sa.Column("validation_mode", sa.String(length=20), nullable=True),
        sa.Column("validated_for_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_reason", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_result_versions_event_id_events")),
        sa.ForeignKeyConstraint(["validated_by_id"], ["users.id"], name=op.f("fk_result_versions_validated_by_id_users")),
        sa.ForeignKeyConstraint(["validated_for_id"], ["users.id"], name=op.f("fk_result_versions_validated_for_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_versions")),
        sa.UniqueConstraint("event_id", "number", name="uq_result_versions_event_number"),
        sa.CheckConstraint("method IN ('raw','normalised')", name=op.f("ck_result_versions_method")),
        sa.CheckConstraint(
            "validation_mode IN ('president','on_behalf')",
            name=op.f("ck_result_versions_validation_mode"),
        ),
    )  # fmt: skip
    with op.batch_alter_table("result_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_versions_event_id"), ["event_id"], unique=False)
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_entries_event_id"))
    op.drop_table("result_entries")
    entries = op.create_table(
        "result_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("raw", sa.Double(), nullable=True),
        sa.Column("mean_z", sa.Double(), nullable=True),
        sa.Column("score_100", sa.Double(), nullable=True),
        sa.Column("rank_raw", sa.Integer(), nullable=True),
        sa.Column("rank_normalised", sa.Integer(), nullable=True),
        sa.Column("judges", sa.Integer(), nullable=False),
        sa.Column("ranked", sa.Boolean(), nullable=False),
        sa.Column("not_ranked_reason", sa.String(length=200), nullable=True),
        sa.Column("is_winner", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_result_entries_idea_id_ideas")),
        sa.ForeignKeyConstraint(["version_id"], ["result_versions.id"], name=op.f("fk_result_entries_version_id_result_versions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_entries")),
        sa.UniqueConstraint("version_id", "idea_id", name="uq_result_entries_version_idea"),
        sa.CheckConstraint(NOT_RANKED, name=op.f("ck_result_entries_not_ranked_reason")),
    )  # fmt: skip
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_entries_idea_id"), ["idea_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_result_entries_version_id"), ["version_id"], unique=False
        )

    now = datetime.now(UTC)
    by_event: dict[int, list[dict]] = {}
    for row in rows:
        by_event.setdefault(row["event_id"], []).append(row)
    for number, (event_id, event_rows) in enumerate(sorted(by_event.items()), start=1):
        d = deliberations.get(event_id)
        published = (d.published_at if d else None) or (d.validated_at if d else None) or now
        bind.execute(
            versions.insert().values(
                id=number, event_id=event_id, number=1, method=event_rows[0]["method"],
                created_at=published, validated_at=(d.validated_at if d else None) or published,
                validated_by_id=d.validated_by_id if d else None,
                validation_mode=d.validation_mode if d else None,
                validated_for_id=d.validated_for_id if d else None, published_at=published,
            )
        )  # fmt: skip
        bind.execute(
            entries.insert(),
            [
                {
                    "version_id": number, "idea_id": r["idea_id"], "rank": r["rank"],
                    "raw": r["raw_score"], "mean_z": r["normalised_score"],
                    "score_100": r["normalised_100"], "judges": r["judges"],
                    "ranked": r["ranked"], "not_ranked_reason": r["not_ranked_reason"],
                    "is_winner": r["is_winner"], "override_reason": r["override_reason"],
                }
                for r in event_rows
            ],
        )  # fmt: skip
    if by_event and bind.dialect.name == "postgresql":
        bind.execute(
            sa.text(
                "SELECT setval('result_versions_id_seq', (SELECT max(id) FROM result_versions))"
            )
        )
    bind.execute(
        sa.text(
            "UPDATE deliberations SET validated_at = NULL, validated_by_id = NULL "
            "WHERE validated_at IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM result_versions WHERE result_versions.event_id = deliberations.event_id)"
        )
    )


def downgrade():
    bind = op.get_bind()
    rows = [
        dict(r._mapping)
        for r in bind.execute(
            sa.text(
                "SELECT v.event_id, v.method, e.* FROM result_entries e "
                "JOIN result_versions v ON v.id = e.version_id "
                "WHERE v.published_at IS NOT NULL AND v.voided_at IS NULL AND v.number = "
                "(SELECT max(w.number) FROM result_versions w WHERE w.event_id = v.event_id "
                "AND w.published_at IS NOT NULL AND w.voided_at IS NULL)"
            )
        )
    ]
    with op.batch_alter_table("result_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_entries_version_id"))
        batch_op.drop_index(batch_op.f("ix_result_entries_idea_id"))
    op.drop_table("result_entries")
    with op.batch_alter_table("result_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_versions_event_id"))
    op.drop_table("result_versions")
    _create_old_entries()
    if rows:
        bind.execute(
            _old_entries_table().insert(),
            [
                {
                    "event_id": r["event_id"], "idea_id": r["idea_id"], "rank": r["rank"],
                    "raw_score": r["raw"], "normalised_score": r["mean_z"],
                    "normalised_100": r["score_100"], "judges": r["judges"],
                    "ranked": r["ranked"], "not_ranked_reason": r["not_ranked_reason"],
                    "is_winner": r["is_winner"], "override_reason": r["override_reason"],
                    "method": r["method"],
                }
                for r in rows
            ],
        )  # fmt: skip
    with op.batch_alter_table("deliberations", schema=None) as batch_op:
        batch_op.drop_column("amendment_started_at")
        batch_op.drop_column("amendment_reason")
    with op.batch_alter_table("bank_projects", schema=None) as batch_op:
        batch_op.drop_column("score_100")
        batch_op.alter_column("mean_z", new_column_name="normalised_score")
        batch_op.alter_column("raw", new_column_name="raw_score")
