"""Write and read the audit log."""

from flask import has_request_context
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


# The execution option that marks an access entry's INSERT: the one write a GET may make.
ACCESS_LOG = "audit_access_log"


def record_access(
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    by=None,
    address: str | None,
    event_id: int | None = None,
    note: str | None = None,
    source: str | None = None,
) -> None:
    """An access to accounts or personal data (a sign-in, a refused one, a jury card used, a
    download, an export): who, when, from which address. Written on a connection of its own
    and committed at once, so that it stays when the request's transaction is rolled back (a
    refused sign-in) and a GET that hands out a file records it (`ACCESS_LOG` names the write
    to `tests/test_get_never_writes.py`). In a request, call it once the request's own writes
    are committed or refused: what the request's session still holds is rolled back first, as
    its transaction may hold SQLite's one write lock, which the entry's connection needs."""
    user_id = getattr(by, "id", by)  # read before the rollback, which expires the user
    if has_request_context():
        db.session.rollback()
    with db.engine.connect() as connection:
        connection.execution_options(**{ACCESS_LOG: True}).execute(
            _INSERT_ENTRY,
            {
                "at": utcnow(),
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "user_id": user_id,
                "event_id": event_id,
                "note": note[:2000] if note else None,
                "source": source[:40] if source else None,
                "address": (address or "?")[:64],
            },
        )
        connection.commit()


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
