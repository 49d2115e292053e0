"""Write and read the audit log."""

from sqlalchemy import insert, select

from audit.models import AuditEntry
from extensions import db, utcnow

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
    describes). One prepared INSERT, not an ORM object: every tap and every idea writes one. It
    goes straight to the session's connection: a Core statement needs nothing of the ORM
    session's own layer (4 % of a posted idea's time)."""
    db.session.connection().execute(
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


def entries_for_event(
    event_id: int,
    limit: int | None = None,
    *,
    entity: str | None = None,
    actions: tuple[str, ...] | None = None,
) -> list[AuditEntry]:
    """The event's entries, newest first; `entity` and `actions` narrow them in the query (an
    event's own history is a handful of entries among thousands of scores)."""
    query = select(AuditEntry).where(AuditEntry.event_id == event_id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if actions is not None:
        query = query.where(AuditEntry.action.in_(actions))
    query = query.order_by(AuditEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))
