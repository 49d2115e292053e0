"""Write and read the audit log."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import has_request_context
from sqlalchemy import String, and_, cast, insert, or_, select

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
    client_action: str | None = None,
) -> None:
    """Write one entry in the current transaction (committed, or rolled back, with the change it
    describes). One prepared INSERT, not an ORM object: every tap and every idea writes one. It
    goes straight to the session's connection: a Core statement needs nothing of the ORM
    session's own layer (4 % of a posted idea's time). `client_action`: the id a client gave
    an action it may send again; the database keeps one entry per account and id."""
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
            "client_action": client_action,
        },
    )


def record_kept(
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    by=None,
    event_id: int | None = None,
    new: dict | None = None,
    source: str | None = None,
    client_action: str | None = None,
) -> None:
    """An entry that stays when the request's change is refused and rolled back (a jury tablet's
    queued action refused on replay, reported to the organisers): written like an access, on a
    connection of its own, committed at once (see `record_access`). An entry already written for
    this account's `client_action` is kept as it is."""
    values = {"entity": entity, "entity_id": entity_id, "action": action, "event_id": event_id}
    values |= {"new": new, "source": source[:40] if source else None}
    _write_apart(by, values, client_action=client_action)


def _write_apart(by, values: dict, *, client_action: str | None = None, options=None) -> None:
    """One entry on a connection of its own, committed at once (it outlives the request's
    transaction). What the request's session still holds is rolled back first: its transaction
    may hold SQLite's one write lock, which this connection needs. With `client_action`, nothing
    is written when the account already has an entry for it."""
    user_id = getattr(by, "id", by)  # read before the rollback, which expires the user
    if has_request_context():
        db.session.rollback()
    values = {**values, "at": utcnow(), "user_id": user_id, "client_action": client_action}
    with db.engine.connect() as connection:
        if client_action is not None and connection.scalar(
            select(AuditEntry.id).where(
                AuditEntry.user_id == user_id, AuditEntry.client_action == client_action
            )
        ):
            return
        connection.execution_options(**(options or {})).execute(_INSERT_ENTRY, values)
        connection.commit()


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
    values = {"entity": entity, "entity_id": entity_id, "action": action, "event_id": event_id}
    values |= {
        "note": note[:2000] if note else None,
        "source": source[:40] if source else None,
        "address": (address or "?")[:64],
    }
    _write_apart(by, values, options={ACCESS_LOG: True})


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


@dataclass(frozen=True)
class Filters:
    """What the reader of an event's log narrows it to (every field optional)."""

    user_id: int | None = None  # who
    entity: str | None = None  # what kind of record
    action: str | None = None  # with `entity`: one action
    idea_id: int | None = None  # entries about one idea (its own, and its sheets' and scores')
    since: date | None = None  # from this day on (UTC)
    until: date | None = None  # up to this day, included
    text: str | None = None  # in the reason or the values

    @property
    def any(self) -> bool:
        return any(value is not None for value in vars(self).values())


def event_entries(event_id: int, filters: Filters = Filters()):
    """The query of an event's entries narrowed by `filters`, newest first (page it: an event
    of 3,000 ideas has tens of thousands of entries)."""
    query = select(AuditEntry).where(AuditEntry.event_id == event_id)
    if filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.entity is not None:
        query = query.where(AuditEntry.entity == filters.entity)
    if filters.action is not None:
        query = query.where(AuditEntry.action == filters.action)
    if filters.idea_id is not None:
        query = query.where(
            or_(
                _about(entity="idea", entity_id=filters.idea_id),
                AuditEntry.new["idea_id"].as_integer() == filters.idea_id,
            )
        )
    if filters.since is not None:
        query = query.where(AuditEntry.at >= _midnight(filters.since))
    if filters.until is not None:
        query = query.where(AuditEntry.at < _midnight(filters.until + timedelta(days=1)))
    if filters.text:
        query = query.where(
            or_(
                AuditEntry.note.icontains(filters.text, autoescape=True),
                cast(AuditEntry.old, String).icontains(filters.text, autoescape=True),
                cast(AuditEntry.new, String).icontains(filters.text, autoescape=True),
            )
        )
    return query.order_by(AuditEntry.id.desc())


def event_authors(event_id: int) -> list[int]:
    """The accounts that wrote in an event's log (the "who" filter offers them)."""
    query = select(AuditEntry.user_id).where(
        AuditEntry.event_id == event_id, AuditEntry.user_id.is_not(None)
    )
    return list(db.session.scalars(query.distinct()))


def _about(*, entity: str, entity_id: int):
    return and_(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
