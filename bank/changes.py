"""How a bank record is changed and audited, one way for every record of the bank: the values
that differ are set and kept as before → after, and the audit entry names the event the project
came from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from audit.services import record


def plain(values: Mapping | None) -> dict | None:
    """Audit data as JSON holds it (dates as ISO text)."""
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def apply(record_, values: Mapping) -> tuple[dict, dict]:
    """Set the values that differ on the record; (old, new) of what changed."""
    old, new = {}, {}
    for name, value in values.items():
        current = getattr(record_, name)
        if current != value:
            old[name], new[name] = current, value
            setattr(record_, name, value)
    return old, new


def audit(entity: str, entity_id: int, action: str, *, by, project, old=None, new=None, **extra):
    """Record a change to a project or to a record of a project (its milestone, its application),
    under the event the project came from; flush first, so that the ids exist."""
    record(
        entity,
        entity_id,
        action,
        by=by,
        event_id=project.origin_event_id if project is not None else None,
        old=plain(old),
        new=plain(new),
        **extra,
    )
