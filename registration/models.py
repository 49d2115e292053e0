from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competitions.models import Event
from extensions import db, utcnow
from registration.states import RegistrantState


class RegistrationSetting(db.Model):
    """An event's registration form: open or not, and how many places (None: no limit)."""

    __tablename__ = "registration_settings"
    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Registrant(db.Model):
    """A person registered (or waiting) for an event before the day. `code` is the secret of
    their QR code and ticket link: unguessable, typed at the door if the camera cannot read it."""

    __tablename__ = "registrants"
    __table_args__ = (
        CheckConstraint(RegistrantState.check("state"), name="state"),
        UniqueConstraint("event_id", "phone", name="uq_registrants_event_phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=RegistrantState.REGISTERED)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))  # +2126…; None once anonymised
    email: Mapped[str | None] = mapped_column(String(254))
    gender: Mapped[str | None] = mapped_column(String(20))
    age_bracket: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(30))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    anonymised_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()

    @property
    def has_place(self) -> bool:
        return self.state == RegistrantState.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.state == RegistrantState.WAITING

    @property
    def is_cancelled(self) -> bool:
        return self.state == RegistrantState.CANCELLED

    @property
    def is_present(self) -> bool:
        return self.checked_in_at is not None
