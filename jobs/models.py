from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db, utcnow
from jobs.states import ExportState, OutboxState


class OutboxEmail(db.Model):
    """An e-mail stored in the same transaction as what caused it, then sent by a job."""

    __tablename__ = "outbox_emails"
    __table_args__ = (CheckConstraint(OutboxState.check("status"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)  # e.g. "receipt:idea:42"
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class UndeliverableAddress(db.Model):
    """An address the mail server refused permanently: no further sends to it."""

    __tablename__ = "undeliverable_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExportJob(db.Model):
    """A workbook built in the background; the file is moved into place only when complete."""

    __tablename__ = "export_jobs"
    __table_args__ = (CheckConstraint(ExportState.check("status"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "rankings", "bank"
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    status: Mapped[str] = mapped_column(String(20), default=ExportState.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    file_name: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(
        default=0
    )  # runs started; run n is rq job export-<id>-<n>
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # last sign of life of the running worker
    finished_at: Mapped[datetime | None]
