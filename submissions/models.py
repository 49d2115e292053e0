from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competitions.models import Event
from extensions import db, utcnow
from i18n import Localized, TypedInLanguages, localized
from submissions.states import DeletionState, Eligibility, IdeaSource, QuestionKind, TeamKind

SECTORS = (
    "agriculture",
    "handicrafts",
    "tourism",
    "fishing",
    "agrifood",
    "services",
    "digital",
    "environment",
    "other",
)
GENDERS = ("female", "male", "unspecified")
AGE_BRACKETS = ("under_25", "25_34", "35_44", "45_plus")
LEAD_STATUSES = ("job_seeker", "cooperative_member", "project_holder")


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("expected_jobs IS NULL OR expected_jobs >= 0", name="jobs"),
        CheckConstraint("budget_mad IS NULL OR budget_mad >= 0", name="budget"),
        CheckConstraint(
            "financing_sought_mad IS NULL OR financing_sought_mad >= 0", name="financing"
        ),
        CheckConstraint(Eligibility.check("eligibility"), name="eligibility"),
        CheckConstraint(IdeaSource.check("source"), name="source"),
        CheckConstraint(TeamKind.check("team_kind"), name="team_kind"),
        # An event's ideas, newest or oldest first: the only way ideas are listed. Every index
        # is one more page written by each idea a participant sends (none on the phone number:
        # a receipt is found by its code, then the phone compared).
        Index("ix_ideas_event_id_created_at", "event_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # idempotency
    source: Mapped[str] = mapped_column(String(20), default=IdeaSource.FORM)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The idea
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(30))
    # Where it would run: HCP codes (`places.reference`), names shown in the reader's language.
    # Empty only for a legacy idea whose typed place could not be read: `place_note` keeps what
    # was typed until an organiser chooses the place (the bank's "Places to correct" page).
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)
    province_code: Mapped[str | None] = mapped_column(String(16))
    commune_code: Mapped[str | None] = mapped_column(String(16))
    place_note: Mapped[str | None] = mapped_column(String(300))
    beneficiaries: Mapped[str] = mapped_column(Text, default="")
    local_resources: Mapped[str] = mapped_column(Text, default="")
    expected_jobs: Mapped[int | None]
    budget_mad: Mapped[int | None] = mapped_column(BigInteger)
    financing_sought_mad: Mapped[int | None] = mapped_column(BigInteger)

    # The team
    team_kind: Mapped[str] = mapped_column(String(20), default=TeamKind.GROUP)
    cooperative_name: Mapped[str | None] = mapped_column(String(200))
    cooperative_members: Mapped[int | None]
    lead_name: Mapped[str] = mapped_column(String(200))
    lead_phone: Mapped[str] = mapped_column(String(20))  # normalised +2126…/+2127…
    lead_email: Mapped[str | None] = mapped_column(String(254))
    lead_gender: Mapped[str | None] = mapped_column(String(20))
    lead_age_bracket: Mapped[str | None] = mapped_column(String(20))
    lead_status: Mapped[str | None] = mapped_column(String(30))
    other_members: Mapped[str] = mapped_column(Text, default="")

    attachment_path: Mapped[str | None] = mapped_column(String(300))
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_mime: Mapped[str | None] = mapped_column(String(100))

    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(20))  # the privacy notice's
    anonymised_at: Mapped[datetime | None]  # personal data erased (retention or deletion)
    assisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Triage
    eligibility: Mapped[str] = mapped_column(String(20), default=Eligibility.PENDING)
    ineligible_reason: Mapped[str | None] = mapped_column(String(500))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))
    original: Mapped[dict | None] = mapped_column(JSON)  # the text as first received, if corrected
    is_calibration: Mapped[bool] = mapped_column(default=False)
    bank_worthy: Mapped[bool] = mapped_column(default=False)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))  # national final

    event: Mapped[Event] = relationship()

    @property
    def is_ineligible(self) -> bool:
        return self.eligibility == Eligibility.INELIGIBLE or self.duplicate_of_id is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class ReceiptLookupFailure(db.Model):
    """A failed /receipt look-up (wrong code or phone): throttling counts these per code and
    address, and per code from everywhere (a far higher ceiling); never per address alone, since
    every tablet of a venue shares one public IP."""

    __tablename__ = "receipt_lookup_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(64), server_default="?")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DeletionRequest(db.Model):
    """A participant's request that their personal data be erased (Law 09-08): pending until an
    organiser approves it (the idea is anonymised) or refuses it with a reason."""

    __tablename__ = "deletion_requests"
    __table_args__ = (CheckConstraint(DeletionState.check("status"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default=DeletionState.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refusal_reason: Mapped[str | None] = mapped_column(String(1000))

    idea: Mapped[Idea] = relationship()
    event: Mapped[Event] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == DeletionState.PENDING


class Question(TypedInLanguages, db.Model):
    """A question an organiser adds to an event's idea form. Its text is typed in French (`text`)
    with Arabic and English beside it; a choice's options are `[{"code", "fr", "ar", "en"}]`.
    A question with answers is never deleted: it is archived (`archived_at`), its answers kept."""

    __tablename__ = "event_questions"
    __table_args__ = (
        CheckConstraint(QuestionKind.check("kind"), name="kind"),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length"),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value", name="bounds"
        ),
        Index("ix_event_questions_event_id_position", "event_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    text_ar: Mapped[str | None] = mapped_column(String(500))
    text_en: Mapped[str | None] = mapped_column(String(500))
    options: Mapped[list | None] = mapped_column(JSON)
    required: Mapped[bool] = mapped_column(default=False)
    visible_to_jury: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None]
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def field_name(self) -> str:
        """The name of its input in the idea form (and of its column in the paper template)."""
        return f"question-{self.id}"

    def wording_in(self, lang: str | None = None) -> Localized:
        return self.text_in("text", lang)

    def option_label(self, code: str, lang: str | None = None) -> Localized:
        for option in self.options or ():
            if option.get("code") == code:
                return localized(option, lang)
        return Localized(code or "", "fr", lang or "fr")


class Answer(db.Model):
    """An idea's answer to one question: `value` as typed and checked (a number, a choice's
    code, "yes"/"no"), or a file kept in the attachments' store."""

    __tablename__ = "idea_answers"
    __table_args__ = (
        UniqueConstraint("idea_id", "question_id", name="uq_idea_answers_one_answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id"), index=True)
    value: Mapped[str | None] = mapped_column(Text)
    file_path: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_mime: Mapped[str | None] = mapped_column(String(100))

    question: Mapped[Question] = relationship()


class TeamMember(db.Model):
    """A member of an idea's team besides its lead, who consented to be named."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="")
    gender: Mapped[str | None] = mapped_column(String(20))
    age_bracket: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None]


class IdeaFormSettings(db.Model):
    """What an event's organisers let the jury see beside the idea's text: its attachments
    (the idea's file and file answers) and the answers of questions marked for the jury.
    No row: nothing more is shown."""

    __tablename__ = "idea_form_settings"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True)
    jury_sees_attachments: Mapped[bool] = mapped_column(default=False)
    jury_sees_answers: Mapped[bool] = mapped_column(default=False)
