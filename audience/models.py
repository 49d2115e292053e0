from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from audience.states import VoteFlag
from extensions import db, utcnow


class AudiencePoll(db.Model):
    """An event's audience vote: opened, closed (for good) and whether the stage shows results."""

    __tablename__ = "audience_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    show_results: Mapped[bool] = mapped_column(default=False)

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AudienceCode(db.Model):
    """A one-time voting code handed at the door (printed by the organisers): unguessable."""

    __tablename__ = "audience_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class AudienceVote(db.Model):
    """One vote: `voter` is who voted, once per event ("code:<id>" or "receipt:<idea id>"), never
    a phone number; `address` and `device` serve the anomaly checks; `flag` says why the
    organisers should look at it."""

    __tablename__ = "audience_votes"
    __table_args__ = (
        UniqueConstraint("event_id", "voter"),
        CheckConstraint(VoteFlag.check("flag"), name="flag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    voter: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    flag: Mapped[str | None] = mapped_column(String(20))
