from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from competitions.states import EventState, RankingMethod
from extensions import db, utcnow
from i18n import Localized, TypedInLanguages, localized


class Rubric(TypedInLanguages, db.Model):
    """A weighted scoring grid. Locked once any score uses it: changes need a new version."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # French; Arabic and English beside it
    name_ar: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id"))
    locked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="rubric", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def name_in(self, lang: str | None = None) -> Localized:
        return self.text_in("name", lang)


class Criterion(db.Model):
    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("scale_min < scale_max", name="scale_order"),
        UniqueConstraint("rubric_id", "key", name="uq_criteria_rubric_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(40))  # e.g. "social_impact"
    name: Mapped[dict] = mapped_column(JSON)  # {"ar": …, "fr": …, "en": …}
    description: Mapped[dict] = mapped_column(JSON, default=dict)  # same shape
    # What each whole level of the scale looks like: {"1": {"fr": …, "ar": …}, "2": {…}, …}
    descriptors: Mapped[dict] = mapped_column(JSON, default=dict)
    weight: Mapped[float] = mapped_column(default=1.0)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    half_points: Mapped[bool] = mapped_column(default=False)
    tiebreak_order: Mapped[int | None]  # 1 = first tie-break criterion; None = not used

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")

    @property
    def whole_levels(self) -> list[int]:
        """The whole levels of the scale, lowest first: each may have its descriptor."""
        return list(range(self.scale_min, self.scale_max + 1))

    def descriptor(self, level) -> dict:
        """{lang: text} describing a level (a half level has none)."""
        return (self.descriptors or {}).get(str(level)) or {}

    @property
    def levels_without_descriptor(self) -> list[int]:
        """Whole levels no language describes yet (the rubric page lists them)."""
        return [level for level in self.whole_levels if not self.descriptor(level)]

    def name_in(self, lang: str | None = None) -> Localized:
        return localized(self.name, lang)

    def description_in(self, lang: str | None = None) -> Localized:
        return localized(self.description, lang)

    def descriptor_in(self, level, lang: str | None = None) -> Localized:
        """What a level of the scale looks like, in the reader's language (or its fallback)."""
        return localized(self.descriptor(level), lang)


class Competition(TypedInLanguages, db.Model):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # French; Arabic and English beside it
    name_ar: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    year: Mapped[int]
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rubric: Mapped[Rubric | None] = relationship()
    events: Mapped[list["Event"]] = relationship(
        back_populates="competition", order_by="Event.tour_order"
    )

    def name_in(self, lang: str | None = None) -> Localized:
        return self.text_in("name", lang)


class Event(TypedInLanguages, db.Model):
    """One stop of the tour (or the national final)."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(EventState.check("state"), name="state"),
        CheckConstraint(RankingMethod.check("ranking_method"), name="ranking_method"),
        CheckConstraint("winners_count >= 0", name="winners_count"),
        CheckConstraint("judges_per_idea >= 1", name="judges_per_idea"),
        CheckConstraint("min_judges >= 1", name="min_judges"),
        CheckConstraint("retention_months >= 1", name="retention_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    tour_order: Mapped[int] = mapped_column(default=0)
    city: Mapped[str] = mapped_column(String(100))
    city_ar: Mapped[str | None] = mapped_column(String(100))
    city_en: Mapped[str | None] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(16))  # HCP code of one of the 12 regions
    venue: Mapped[str | None] = mapped_column(String(200))  # French (or the only one typed)
    venue_ar: Mapped[str | None] = mapped_column(String(200))
    venue_en: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[date]
    capacity: Mapped[int | None]
    winners_count: Mapped[int] = mapped_column(default=3)
    languages: Mapped[str] = mapped_column(String(20), default="ar,fr")
    state: Mapped[str] = mapped_column(String(20), default=EventState.DRAFT)
    is_final: Mapped[bool] = mapped_column(default=False)
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id"))  # own copy, if any
    judges_per_idea: Mapped[int] = mapped_column(default=3)  # K, when ideas are split on panels
    min_judges: Mapped[int] = mapped_column(default=2)  # fewer submitted sheets: not ranked
    split_panels: Mapped[bool] = mapped_column(default=False)
    ranking_method: Mapped[str | None] = mapped_column(String(20))  # None: automatic
    blind: Mapped[bool] = mapped_column(default=False)
    # What each participant is told of their own idea once the results are published.
    share_ranks: Mapped[bool] = mapped_column(default=False)
    share_feedback: Mapped[bool] = mapped_column(default=False)  # the jury's comments, anonymous
    # Months after publication that the personal data of ideas not promoted to the bank are kept.
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="events")
    own_rubric: Mapped[Rubric | None] = relationship(foreign_keys=[rubric_id])
    jury: Mapped[list["JuryMember"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    @property
    def rubric(self) -> Rubric | None:
        return self.own_rubric or self.competition.rubric

    def city_in(self, lang: str | None = None) -> Localized:
        return self.text_in("city", lang)

    def venue_in(self, lang: str | None = None) -> Localized:
        return self.text_in("venue", lang)

    @property
    def effective_ranking_method(self) -> RankingMethod:
        """Normalised by default when ideas are split across panels, raw otherwise."""
        chosen = RankingMethod.parse(self.ranking_method)
        if chosen is not None:
            return chosen
        return RankingMethod.NORMALISED if self.split_panels else RankingMethod.RAW

    # What the event's state alone says (judging's own locks, e.g. validated minutes, live there).
    @property
    def is_draft(self) -> bool:
        return self.state == EventState.DRAFT

    @property
    def accepts_ideas(self) -> bool:
        return self.state == EventState.OPEN

    @property
    def before_judging(self) -> bool:
        """Draft or open: the rubric and the entrants can still change."""
        return self.state in EventState.BEFORE_JUDGING

    @property
    def is_judging(self) -> bool:
        return self.state == EventState.JUDGING

    @property
    def judging_started(self) -> bool:
        """Judging or any later state: ideas are closed and scores exist."""
        return self.state in EventState.JUDGING_OR_LATER

    @property
    def judging_closed(self) -> bool:
        """Deliberation or any later state: the scores are final."""
        return self.state in EventState.AFTER_JUDGING

    @property
    def in_deliberation(self) -> bool:
        return self.state == EventState.DELIBERATION

    @property
    def is_published(self) -> bool:
        """Published and not yet archived: the one move left is archiving."""
        return self.state == EventState.PUBLISHED

    @property
    def results_public(self) -> bool:
        """Published or archived: the results are public and frozen."""
        return self.state in EventState.RESULTS_PUBLIC

    @property
    def language_list(self) -> list[str]:
        return [lang for lang in self.languages.split(",") if lang]


class JuryMember(db.Model):
    """A jury member assigned to an event, on a panel (1 when the event is not split)."""

    __tablename__ = "jury_members"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_jury_members_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    panel: Mapped[int] = mapped_column(default=1)
    is_president: Mapped[bool] = mapped_column(default=False)
    is_secretary: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="jury")
    user: Mapped[User] = relationship(lazy="joined")
