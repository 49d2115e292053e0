from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from accounts.states import LinkRevoked, Role
from extensions import db, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(Role.check("role"), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    # A coordinator's region (HCP code of one of the 12 regions): the events they organise.
    region_code: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised to end every session of the account at once (`accounts.services.end_sessions`).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_version}" if self.session_version else str(self.id)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    @property
    def is_jury(self) -> bool:
        return self.role == Role.JURY

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_viewer(self) -> bool:
        return self.role == Role.VIEWER

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UserEvent(db.Model):
    """An event given to a facilitator (assisted entry and kiosk of that event only)."""

    __tablename__ = "user_events"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LoginFailure(db.Model):
    """One failed sign-in; throttling counts these per account and per account + address."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginLink(db.Model):
    """A one-time jury sign-in link (printed as a QR code on a jury card of an event).

    Reprinting an event's cards revokes the earlier ones (`LinkRevoked.REPLACED`); taking a
    judge off the event's jury revokes theirs (`LinkRevoked.REMOVED`)."""

    __tablename__ = "login_links"
    __table_args__ = (CheckConstraint(LinkRevoked.check("revoked_reason"), name="revoked_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    event_id: Mapped[int | None] = mapped_column(index=True)  # plain id: accounts sit below events
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(20))  # a LinkRevoked
