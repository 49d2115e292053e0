from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from competitions.models import Criterion, Event
from competitions.states import RankingMethod
from extensions import db, utcnow
from judging.states import CertificateKind, NotRanked, SheetState, ValidationMode
from submissions.models import Idea


class ScoreSheet(db.Model):
    """One judge's sheet for one idea; exists once the idea is assigned to the judge."""

    __tablename__ = "score_sheets"
    __table_args__ = (
        UniqueConstraint("idea_id", "judge_id", name="uq_score_sheets_idea_judge"),
        CheckConstraint(SheetState.check("status", SheetState.STORED), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SheetState.ASSIGNED)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    idea: Mapped[Idea] = relationship()
    judge: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()
    scores: Mapped[list["Score"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetState.SUBMITTED


class Score(db.Model):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id", name="uq_scores_sheet_criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class Conflict(db.Model):
    """A conflict of interest of a judge on an idea, declared by the judge or recorded by an
    organiser before judging: the idea leaves the judge's list."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("idea_id", "judge_id", name="uq_conflicts_idea_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # judge or organiser

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])
    idea: Mapped[Idea] = relationship()


class Deliberation(db.Model):
    """An event's deliberation: its notes, the method's reason, the minutes' validation (who,
    when, how: by the president, or by an organiser on the president's behalf) and the
    publication."""

    __tablename__ = "deliberations"
    __table_args__ = (
        CheckConstraint(RankingMethod.check("method"), name="method"),
        CheckConstraint(ValidationMode.check("validation_mode"), name="validation_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    method: Mapped[str | None] = mapped_column(String(20))
    validated_at: Mapped[datetime | None]
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validation_mode: Mapped[str | None] = mapped_column(String(20))
    validated_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the president
    notes: Mapped[str] = mapped_column(Text, default="")
    method_reason: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None]

    validated_by: Mapped[User | None] = relationship(foreign_keys=[validated_by_id])
    validated_for: Mapped[User | None] = relationship(foreign_keys=[validated_for_id])


class WinnerChoice(db.Model):
    """An idea chosen as a winner in deliberation; outside the top N it needs a written reason."""

    __tablename__ = "winner_choices"
    __table_args__ = (UniqueConstraint("event_id", "idea_id", name="uq_winner_choices_event_idea"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    override_reason: Mapped[str | None] = mapped_column(String(2000))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship()


class ResultEntry(db.Model):
    """The frozen ranking of a published event, one row per idea."""

    __tablename__ = "result_entries"
    __table_args__ = (
        UniqueConstraint("event_id", "idea_id", name="uq_result_entries_event_idea"),
        CheckConstraint(RankingMethod.check("method"), name="method"),
        CheckConstraint(NotRanked.check("not_ranked_reason"), name="not_ranked_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    rank: Mapped[int | None]
    raw_score: Mapped[float | None]
    normalised_score: Mapped[float | None]  # mean z
    normalised_100: Mapped[float | None]
    judges: Mapped[int] = mapped_column(default=0)
    ranked: Mapped[bool] = mapped_column(default=True)
    not_ranked_reason: Mapped[str | None] = mapped_column(String(200))
    is_winner: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(String(2000))
    method: Mapped[str] = mapped_column(String(20))

    idea: Mapped[Idea] = relationship()


class Certificate(db.Model):
    """A certificate issued to an idea when the results are published; its code, printed on the
    PDF, lets anyone confirm it at /certificate/<code>."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("idea_id", "kind", name="uq_certificates_idea_kind"),
        CheckConstraint(CertificateKind.check("kind"), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship()
    event: Mapped[Event] = relationship()

    @property
    def is_winner(self) -> bool:
        return self.kind == CertificateKind.WINNER
