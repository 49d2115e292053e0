"""portal: the project bank's catalogue of financing programmes and partners, applications per
project, what programmes check on a project (legal form, members, women and young members), and
the accompaniment of each project (its adviser and its path of milestones)

The words are written out here as they are today (a migration never imports the code).

Revision ID: portal
Revises: level_descriptors
Create Date: 2026-11-30 20:53:37

"""

import sqlalchemy as sa
from alembic import op

revision = "portal"
down_revision = "level_descriptors"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "financing_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("legal_forms", sa.JSON(), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("min_amount_mad", sa.BigInteger(), nullable=True),
        sa.Column("max_amount_mad", sa.BigInteger(), nullable=True),
        sa.Column("own_contribution_pct", sa.Integer(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("open_until", sa.Date(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('public','guarantee','microcredit','regional','odco','private')",
            name=op.f("ck_financing_programmes_kind"),
        ),
        sa.CheckConstraint(
            "min_amount_mad IS NULL OR max_amount_mad IS NULL OR min_amount_mad <= max_amount_mad",
            name=op.f("ck_financing_programmes_amount_range"),
        ),
        sa.CheckConstraint(
            "own_contribution_pct IS NULL OR own_contribution_pct BETWEEN 0 AND 100",
            name=op.f("ck_financing_programmes_own_contribution_pct"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_programmes")),
        sa.UniqueConstraint("name", name=op.f("uq_financing_programmes_name")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('ngo','incubator','ministry_office','public_agency','lender','other')",
            name=op.f("ck_partners_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )
    op.create_table(
        "financing_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("amount_asked_mad", sa.BigInteger(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("amount_granted_mad", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_granted_mad IS NULL OR decision = 'granted'",
            name=op.f("ck_financing_applications_granted_only_when_granted"),
        ),
        sa.CheckConstraint(
            "decision IN ('pending','granted','refused','withdrawn')",
            name=op.f("ck_financing_applications_decision"),
        ),
        sa.CheckConstraint(
            "amount_asked_mad > 0", name=op.f("ck_financing_applications_amount_asked")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["financing_programmes.id"],
            name=op.f("fk_financing_applications_programme_id_financing_programmes"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["bank_projects.id"],
            name=op.f("fk_financing_applications_project_id_bank_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_applications")),
    )
    with op.batch_alter_table("financing_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_financing_applications_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_financing_applications_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('training','business_plan','statutes','registration','financing_file',"
            "'financing_obtained','activity_started')",
            name=op.f("ck_milestones_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["bank_projects.id"],
            name=op.f("fk_milestones_project_id_bank_projects"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("project_id", "kind", name=op.f("uq_milestones_project_id")),
    )  # fmt: skip
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestones_due_on"), ["due_on"], unique=False)

    with op.batch_alter_table("bank_projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adviser_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("receipt_code", sa.String(length=20), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_bank_projects_receipt_code"), ["receipt_code"], unique=False
        )
        batch_op.add_column(sa.Column("beneficiaries_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("funding_programme_mad", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("funding_holder_mad", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("funding_partners_mad", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("channels", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("resources", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("financial_plan", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.create_index(
            batch_op.f("ix_bank_projects_adviser_id"), ["adviser_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_bank_projects_adviser_id_users"), "users", ["adviser_id"], ["id"]
        )
        batch_op.add_column(sa.Column("legal_form", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("members_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("women_members", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("youth_members", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_bank_projects_legal_form"),
            "legal_form IN ('unregistered','cooperative','association','self_employed','company')",
        )
        batch_op.create_check_constraint(
            op.f("ck_bank_projects_women_members"),
            "women_members IS NULL OR members_count IS NULL OR women_members <= members_count",
        )
        batch_op.create_check_constraint(
            op.f("ck_bank_projects_youth_members"),
            "youth_members IS NULL OR members_count IS NULL OR youth_members <= members_count",
        )
    # Each project carries its idea's receipt code, the key back to the rankings.
    op.execute(
        "UPDATE bank_projects SET receipt_code = "
        "(SELECT ideas.receipt_code FROM ideas WHERE ideas.id = bank_projects.idea_id) "
        "WHERE idea_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("bank_projects", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bank_projects_youth_members"), type_="check")
        batch_op.drop_constraint(op.f("ck_bank_projects_women_members"), type_="check")
        batch_op.drop_constraint(op.f("ck_bank_projects_legal_form"), type_="check")
        batch_op.drop_constraint(op.f("fk_bank_projects_adviser_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_bank_projects_adviser_id"))
        batch_op.drop_column("adviser_id")
        batch_op.drop_index(batch_op.f("ix_bank_projects_receipt_code"))
        batch_op.drop_column("receipt_code")
        batch_op.drop_column("beneficiaries_count")
        batch_op.drop_column("funding_programme_mad")
        batch_op.drop_column("funding_holder_mad")
        batch_op.drop_column("funding_partners_mad")
        batch_op.drop_column("financial_plan")
        batch_op.drop_column("resources")
        batch_op.drop_column("channels")
        batch_op.drop_column("youth_members")
        batch_op.drop_column("women_members")
        batch_op.drop_column("members_count")
        batch_op.drop_column("legal_form")

    with op.batch_alter_table("financing_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financing_applications_project_id"))
        batch_op.drop_index(batch_op.f("ix_financing_applications_programme_id"))

    op.drop_table("milestones")
    op.drop_table("financing_applications")
    op.drop_table("partners")
    op.drop_table("financing_programmes")
