from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bank.states import BankStatus
from competitions.models import Event
from extensions import db, utcnow
from submissions.models import Idea


class BankProject(db.Model):
    __tablename__ = "bank_projects"
    __table_args__ = (CheckConstraint(BankStatus.check("status"), name="status"),)

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
    region: Mapped[str] = mapped_column(String(100), index=True)
    province: Mapped[str] = mapped_column(String(100), index=True)
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
    # [{"source": "INDH", "amount_mad": 300000}, …]
    financing_sources: Mapped[list] = mapped_column(JSON, default=list)
    partners: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=BankStatus.IDEA, index=True)

    search_text: Mapped[str] = mapped_column(Text, default="")  # folded AR/FR text for search
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    idea: Mapped[Idea | None] = relationship()
    origin_event: Mapped[Event | None] = relationship()


def _searchable(project: BankProject) -> str:
    from bank.folding import fold

    parts = (
        project.title,
        project.summary,
        project.sector,
        project.region,
        project.province,
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
