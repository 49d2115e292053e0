"""Write and read the audit log."""

from sqlalchemy import insert, select

from accounts.models import utcnow
from audit.models import AuditEntry
from extensions import db

_INSERT_ENTRY = insert(AuditEntry.__table__)  # built once, executed with each entry


def record(
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    by=None,
    event_id: int | None = None,
    old: dict | None = None,
    new: dict | None = None,
    note: str | None = None,
    source: str | None = None,
) -> None:
    """Write one entry in the current transaction (committed, or rolled back, with the change it
    describes). One prepared INSERT, not an ORM object: every tap and every idea writes one."""
    db.session.execute(
        _INSERT_ENTRY,
        {
            "at": utcnow(),
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "user_id": getattr(by, "id", by),
            "event_id": event_id,
            "old": old,
            "new": new,
            "note": note,
            "source": source,
        },
    )


def entries_for_event(event_id: int, limit: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.event_id == event_id).order_by(AuditEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))
