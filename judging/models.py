from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from competitions.models import Criterion, Event, Rubric
from competitions.states import RankingMethod
from extensions import db, utcnow
from i18n import Localized, TypedInLanguages
from judging.states import (
    CertificateKind,
    NotRanked,
    PrizeRule,
    RoundKind,
    SheetState,
    StagePhase,
    ValidationMode,
)
from submissions.models import Idea


class ScoreSheet(db.Model):
    """One judge's sheet for one idea in one round (1: the written ideas; 2: the pitch, see
    `Round`); exists once the idea is assigned to the judge."""

    __tablename__ = "score_sheets"
    __table_args__ = (
        UniqueConstraint(
            "idea_id", "judge_id", "round_number", name="uq_score_sheets_idea_judge_round"
        ),
        CheckConstraint(SheetState.check("status", SheetState.STORED), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SheetState.ASSIGNED)
    round_number: Mapped[int] = mapped_column(default=1, server_default="1")
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # What the sheet counts for, kept when it is submitted (`judging.services.seal_sheet`) and
    # cleared when it is reopened: S_ij (0-100, `judging.scoring.sheet_score`) and its marks
    # ({criterion id: mark}, as in `scores`). The ranking and the exports read these instead
    # of the sheet's score rows: a rubric is locked once scored, so they never go stale.
    score: Mapped[float | None] = mapped_column(Float)
    marks: Mapped[dict | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))

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
    # When the judge tapped it (a tablet's clock, set right by its offset from the server's):
    # an older tap replayed from an offline queue never replaces it (last write wins by tap).
    tapped_at: Mapped[datetime | None]

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class JuryDevice(db.Model):
    """A judge's tablet as it last reported (`judging.offline.report_device`): how many actions
    it still holds unsent, since when, and when it last synced; shown on the progress page."""

    __tablename__ = "jury_devices"
    __table_args__ = (UniqueConstraint("judge_id", "device", name="uq_jury_devices_judge_device"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device: Mapped[str] = mapped_column(String(40))
    pending: Mapped[int] = mapped_column(default=0)
    oldest_pending_at: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)

    judge: Mapped[User] = relationship()


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
    """An event's deliberation: its notes, the method's reason, the current validation of the
    minutes (who, when, how: by the president, or by an organiser on the president's behalf;
    cleared when the deliberation is reopened or an amendment starts), the first publication and
    an amendment's reason while it is open. What was decided lives in ResultVersion."""

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
    published_at: Mapped[datetime | None]  # the first publication
    amendment_reason: Mapped[str | None] = mapped_column(String(2000))  # an amendment is open
    amendment_started_at: Mapped[datetime | None]

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


class ResultVersion(db.Model):
    """One version of an event's official results: made when the minutes are validated (the
    ranking and the winners frozen), public once published, voided when the deliberation is
    reopened before publication. The version in force is the latest published, not voided one;
    an amendment (v2, v3…) carries its reason and leaves every earlier version readable."""

    __tablename__ = "result_versions"
    __table_args__ = (
        UniqueConstraint("event_id", "number", name="uq_result_versions_event_number"),
        CheckConstraint(RankingMethod.check("method"), name="method"),
        CheckConstraint(ValidationMode.check("validation_mode"), name="validation_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    number: Mapped[int]
    method: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(2000))  # None for v1, required after
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    validated_at: Mapped[datetime]
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validation_mode: Mapped[str | None] = mapped_column(String(20))  # ValidationMode
    validated_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the president
    published_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    voided_reason: Mapped[str | None] = mapped_column(String(2000))

    validated_by: Mapped[User | None] = relationship(foreign_keys=[validated_by_id])
    validated_for: Mapped[User | None] = relationship(foreign_keys=[validated_for_id])
    entries: Mapped[list["ResultEntry"]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )


class ResultEntry(db.Model):
    """One idea's line in a version of the results, as frozen when the minutes were validated."""

    __tablename__ = "result_entries"
    __table_args__ = (
        UniqueConstraint("version_id", "idea_id", name="uq_result_entries_version_idea"),
        CheckConstraint(NotRanked.check("not_ranked_reason"), name="not_ranked_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("result_versions.id", ondelete="CASCADE"), index=True
    )
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    rank: Mapped[int | None]
    raw: Mapped[float | None]  # mean of the judges' scores, 0–100
    mean_z: Mapped[float | None]  # mean of the judges' z-scores
    score_100: Mapped[float | None]  # 50 + 10 × mean_z, clipped to 0–100
    rank_raw: Mapped[int | None]  # the rank each method would give
    rank_normalised: Mapped[int | None]
    judges: Mapped[int] = mapped_column(default=0)
    ranked: Mapped[bool] = mapped_column(default=True)
    not_ranked_reason: Mapped[str | None] = mapped_column(String(200))
    is_winner: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(String(2000))

    version: Mapped[ResultVersion] = relationship(back_populates="entries")
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


class Round(db.Model):
    """An event's pitch round (number 2): the teams shortlisted from round 1's ranking (round 1,
    the written ideas, is implicit: an event without a Round judges exactly as before) pitch on
    stage and the jury scores them on the same tablets with the round's rubric; its ranking is
    the event's final one. Also holds the stage: who is on, the phase and its countdown."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("event_id", "number", name="uq_rounds_event_number"),
        CheckConstraint(RoundKind.check("kind"), name="kind"),
        CheckConstraint(StagePhase.check("stage_phase"), name="stage_phase"),
        CheckConstraint("shortlist_size >= 1", name="shortlist_size"),
        CheckConstraint("pitch_seconds > 0 AND questions_seconds >= 0", name="durations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    number: Mapped[int] = mapped_column(default=2)
    kind: Mapped[str] = mapped_column(String(20), default=RoundKind.PITCH)
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id"))  # None: the event's
    # Round 1 by the organisers' triage on this rubric (None: the jury scores the written ideas
    # on the event's rubric): the organisers hold round 1's sheets, the jury only the pitch's.
    triage_rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id"))
    shortlist_size: Mapped[int] = mapped_column(default=5)
    pitch_seconds: Mapped[int] = mapped_column(default=300)
    questions_seconds: Mapped[int] = mapped_column(default=180)
    started_at: Mapped[datetime | None]  # the shortlist chosen, the pitch sheets handed out
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    stage_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))
    stage_phase: Mapped[str] = mapped_column(String(20), default=StagePhase.WAITING)
    phase_started_at: Mapped[datetime | None]
    paused_phase: Mapped[str | None] = mapped_column(String(20))  # the phase a pause stopped
    seconds_left: Mapped[int | None]  # while paused
    screen_language: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    own_rubric: Mapped[Rubric | None] = relationship(foreign_keys=[rubric_id])
    triage_rubric: Mapped[Rubric | None] = relationship(foreign_keys=[triage_rubric_id])
    entries: Mapped[list["ShortlistEntry"]] = relationship(
        back_populates="round", order_by="ShortlistEntry.position", cascade="all, delete-orphan"
    )

    @property
    def rubric(self) -> Rubric | None:
        return self.own_rubric or self.event.rubric

    @property
    def is_started(self) -> bool:
        return self.started_at is not None

    @property
    def has_triage(self) -> bool:
        return self.triage_rubric_id is not None


class ShortlistEntry(db.Model):
    """A team chosen for the pitch round, with its running order and what round 1 gave it
    (frozen when the round started); a pick outside round 1's top N carries its reason."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (
        UniqueConstraint("round_id", "idea_id", name="uq_shortlist_entries_round_idea"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    position: Mapped[int] = mapped_column(default=0)  # the running order on stage
    written_rank: Mapped[int | None]
    written_score: Mapped[float | None]  # round 1's figure of the event's method, /100
    reason: Mapped[str | None] = mapped_column(String(2000))

    round: Mapped[Round] = relationship(back_populates="entries")
    idea: Mapped[Idea] = relationship()


class SpecialPrize(TypedInLanguages, db.Model):
    """A prize the organiser defines for an event beside the main ranking (best women-led
    project, youth, a sector): won by the best-ranked ideas that qualify, from the same scores."""

    __tablename__ = "special_prizes"
    __table_args__ = (CheckConstraint(PrizeRule.check("rule"), name="rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # French; Arabic and English beside it
    name_ar: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(30))  # the sector rule's
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def name_in(self, lang: str | None = None) -> Localized:
        return self.text_in("name", lang)
