from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from bank.states import (
    BankStatus,
    Decision,
    LegalForm,
    MilestoneKind,
    PartnerKind,
    ProgrammeKind,
)
from competitions.models import Event
from extensions import db, utcnow
from submissions.models import Idea


class BankProject(db.Model):
    __tablename__ = "bank_projects"
    __table_args__ = (
        CheckConstraint(BankStatus.check("status"), name="status"),
        CheckConstraint(LegalForm.check("legal_form"), name="legal_form"),
        CheckConstraint(
            "women_members IS NULL OR members_count IS NULL OR women_members <= members_count",
            name="women_members",
        ),
        CheckConstraint(
            "youth_members IS NULL OR members_count IS NULL OR youth_members <= members_count",
            name="youth_members",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"), unique=True)
    origin_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    # The idea's line in the results in force of its event (judging.results), kept current
    # when an amendment is published.
    origin_rank: Mapped[int | None]
    raw: Mapped[float | None]
    score_100: Mapped[float | None]
    mean_z: Mapped[float | None]
    is_winner: Mapped[bool] = mapped_column(default=False)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(30), index=True)
    # HCP codes (`places.reference`); empty only for a legacy project whose typed place could
    # not be read (`place_note` keeps it until an organiser chooses the place).
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)
    province_code: Mapped[str | None] = mapped_column(String(16), index=True)
    commune_code: Mapped[str | None] = mapped_column(String(16))
    place_note: Mapped[str | None] = mapped_column(String(300))
    target_group: Mapped[str] = mapped_column(Text, default="")
    expected_jobs: Mapped[int | None]
    budget_mad: Mapped[int | None] = mapped_column(BigInteger)
    financing_sought_mad: Mapped[int | None] = mapped_column(BigInteger)
    team: Mapped[str] = mapped_column(Text, default="")  # the cooperative-to-be
    cooperative_name: Mapped[str | None] = mapped_column(String(200))

    # Personal data: organisers only, never in the public view or the JSON feed.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(254))

    # Business model
    products: Mapped[str] = mapped_column(Text, default="")
    customers: Mapped[str] = mapped_column(Text, default="")
    revenue_sources: Mapped[str] = mapped_column(Text, default="")
    main_costs: Mapped[str] = mapped_column(Text, default="")
    break_even: Mapped[str] = mapped_column(String(200), default="")
    channels: Mapped[str] = mapped_column(Text, default="")  # how customers are reached
    resources: Mapped[str] = mapped_column(Text, default="")  # what the project relies on
    # The financial plan (bank.plan): investment lines and up to five years of figures
    financial_plan: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"source": "INDH", "amount_mad": 300000}, …]
    financing_sources: Mapped[list] = mapped_column(JSON, default=list)
    partners: Mapped[str] = mapped_column(Text, default="")
    # What programme reports use: the key back to the rankings (kept when the idea's personal
    # data are erased), the people the project serves, and how its budget is funded
    receipt_code: Mapped[str | None] = mapped_column(String(20), index=True)
    beneficiaries_count: Mapped[int | None]
    funding_programme_mad: Mapped[int | None] = mapped_column(BigInteger)
    funding_holder_mad: Mapped[int | None] = mapped_column(BigInteger)
    funding_partners_mad: Mapped[int | None] = mapped_column(BigInteger)
    # What financing programmes check (bank.eligibility)
    legal_form: Mapped[str | None] = mapped_column(String(20))
    members_count: Mapped[int | None]
    women_members: Mapped[int | None]
    youth_members: Mapped[int | None]  # aged 18 to 34
    status: Mapped[str] = mapped_column(String(20), default=BankStatus.IDEA, index=True)
    # Accompaniment: the adviser who follows the project along its milestones
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    search_text: Mapped[str] = mapped_column(Text, default="")  # folded AR/FR text for search
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    idea: Mapped[Idea | None] = relationship()
    origin_event: Mapped[Event | None] = relationship()
    adviser: Mapped[User | None] = relationship()
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Milestone.position"
    )
    applications: Mapped[list["FinancingApplication"]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="FinancingApplication.filed_on.desc()",
    )


def _searchable(project: BankProject) -> str:
    from bank.folding import fold
    from places.reference import place

    where = [place(c) for c in (project.region_code, project.province_code, project.commune_code)]
    parts = (
        project.title,
        project.summary,
        project.sector,
        *(name for p in where if p for name in (p.name_fr, p.name_ar)),
        project.place_note,
        project.cooperative_name,
        project.target_group,
        project.products,
        project.partners,
    )
    return fold(" ".join(part for part in parts if part))


@event.listens_for(BankProject, "before_insert")
@event.listens_for(BankProject, "before_update")
def _refresh_search_text(mapper, connection, project: BankProject) -> None:
    """search_text always follows the text it folds, whoever writes the project."""
    project.search_text = _searchable(project)


class FinancingProgramme(db.Model):
    """A source of financing with the rules the application checks (bank.eligibility): an
    empty list of sectors, regions, legal forms or target groups means no restriction."""

    __tablename__ = "financing_programmes"
    __table_args__ = (
        CheckConstraint(ProgrammeKind.check("kind"), name="kind"),
        CheckConstraint(
            "min_amount_mad IS NULL OR max_amount_mad IS NULL OR min_amount_mad <= max_amount_mad",
            name="amount_range",
        ),
        CheckConstraint(
            "own_contribution_pct IS NULL OR own_contribution_pct BETWEEN 0 AND 100",
            name="own_contribution_pct",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    funder: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default=ProgrammeKind.PUBLIC)
    description: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    regions: Mapped[list] = mapped_column(JSON, default=list)  # HCP region codes
    legal_forms: Mapped[list] = mapped_column(JSON, default=list)
    target_groups: Mapped[list] = mapped_column(JSON, default=list)
    min_amount_mad: Mapped[int | None] = mapped_column(BigInteger)
    max_amount_mad: Mapped[int | None] = mapped_column(BigInteger)
    own_contribution_pct: Mapped[int | None]
    is_open: Mapped[bool] = mapped_column(default=True)
    open_until: Mapped[date | None]
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Partner(db.Model):
    """Who accompanies projects: NGOs, incubators, ministries' regional offices…"""

    __tablename__ = "partners"
    __table_args__ = (CheckConstraint(PartnerKind.check("kind"), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=PartnerKind.NGO)
    services: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    regions: Mapped[list] = mapped_column(JSON, default=list)  # HCP region codes
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FinancingApplication(db.Model):
    """A project's request to a programme: amount asked, date filed, decision, amount granted."""

    __tablename__ = "financing_applications"
    __table_args__ = (
        CheckConstraint(Decision.check("decision"), name="decision"),
        CheckConstraint("amount_asked_mad > 0", name="amount_asked"),
        CheckConstraint(
            f"amount_granted_mad IS NULL OR decision = '{Decision.GRANTED}'",
            name="granted_only_when_granted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("bank_projects.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int] = mapped_column(ForeignKey("financing_programmes.id"), index=True)
    amount_asked_mad: Mapped[int] = mapped_column(BigInteger)
    filed_on: Mapped[date]
    decision: Mapped[str] = mapped_column(String(20), default=Decision.PENDING)
    decided_on: Mapped[date | None]
    amount_granted_mad: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project: Mapped[BankProject] = relationship(back_populates="applications")
    programme: Mapped[FinancingProgramme] = relationship()


class Milestone(db.Model):
    """One step of a project's path (MilestoneKind), with its planned and actual dates."""

    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint(MilestoneKind.check("kind"), name="kind"),
        UniqueConstraint("project_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("bank_projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int]  # the kind's place on the path, for ordering
    due_on: Mapped[date | None] = mapped_column(index=True)
    done_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project: Mapped[BankProject] = relationship(back_populates="milestones")
    documents: Mapped[list["MilestoneDocument"]] = relationship(
        back_populates="milestone",
        cascade="all, delete-orphan",
        order_by="MilestoneDocument.id",
        passive_deletes=True,
    )

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


class MilestoneDocument(db.Model):
    """A file kept with a milestone (statutes, a registration certificate, a financing file):
    its bytes in the file store (`bank.documents`) under `key`, never public."""

    __tablename__ = "milestone_documents"
    __table_args__ = (CheckConstraint("size > 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))  # as sent, to show and to download
    key: Mapped[str] = mapped_column(String(200), unique=True)  # in the file store
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship()
