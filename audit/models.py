from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        # An action a client may send again (a jury tablet's offline queue) is written once per
        # account: a replay finds its entry and changes nothing (`judging.offline`).
        Index(
            "uq_audit_entries_client_action",
            "user_id",
            "client_action",
            unique=True,
            sqlite_where=text("client_action IS NOT NULL"),
            postgresql_where=text("client_action IS NOT NULL"),
        ),
        # An event's log is read newest first, a page at a time: (event, id) finds the page at
        # once. On `event_id` alone, PostgreSQL walks the primary key backwards past every other
        # event's entries (3.5 s for the first stop of a tour of 1.76 M entries).
        Index("ix_audit_entries_event_id_id", "event_id", "id"),
        # An event's entries of one kind, newest first (its state changes, its jury's removals,
        # its tablets' refused actions: a handful among 150,000 taps at ten times the tour): on
        # (event, id) alone the progress page walked all of them to find none (49 ms).
        Index("ix_audit_entries_event_entity_action", "event_id", "entity", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # no index: read by event, by id
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    event_id: Mapped[int | None]  # plain id: audit sits below events
    entity: Mapped[str] = mapped_column(String(40))  # "event", "idea", "score", "sheet", ...
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))  # "state", "score", "submit", "reopen", ...
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str | None] = mapped_column(String(40))  # "web", "cli", "import", tablet id...
    address: Mapped[str | None] = mapped_column(String(64))  # where from: an access's IP address
    client_action: Mapped[str | None] = mapped_column(String(40))  # a tablet's id of the action
