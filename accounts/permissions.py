"""Who may do what, decided once: `can(user, action, event)` for every role and event.

Organisers may do everything. A coordinator organises the events of their region only; a
facilitator runs the assisted entry and kiosk of the events given to them; a viewer reads
events, progress and rankings without personal data and never changes anything. An event is
anything with an `id` and a `region_code` (accounts sit below the events: the competitions package
gives the way to find an event by its slug, `use_events`)."""

from flask import g
from sqlalchemy import select

from accounts.models import User, UserEvent
from accounts.states import Permission, Role
from extensions import db
from places.reference import REGION_CODES

GRANTS: dict[str, frozenset[Permission]] = {
    Role.ORGANISER: frozenset(Permission),
    Role.COORDINATOR: frozenset(
        {Permission.MANAGE, Permission.VIEW, Permission.ASSIST, Permission.PERSONAL_DATA}
    ),
    Role.FACILITATOR: frozenset({Permission.ASSIST}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}
# What a write needs when the page itself only needs reading (a viewer never posts).
WRITE_OF = {Permission.VIEW: Permission.MANAGE}

_events = {"find": None, "choices": None}


def use_events(*, find, choices) -> None:
    """How accounts reach the events above them (registered by the competitions package):
    `find(slug)` → the event of a URL or None; `choices()` → [(event id, label)] for a
    facilitator's events."""
    _events.update(find=find, choices=choices)


def find_event(slug: str):
    return _events["find"](slug) if _events["find"] else None


def event_choices() -> list[tuple[int, str]]:
    return list(_events["choices"]()) if _events["choices"] else []


def region_choices() -> list[str]:
    """The regions a coordinator may have: the 12 HCP region codes."""
    return list(REGION_CODES)


def assigned_event_ids(user: User) -> frozenset[int]:
    """The events given to a facilitator (read once per request)."""
    cache = g.setdefault("_assigned_events", {})
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(select(UserEvent.event_id).where(UserEvent.user_id == user.id))
        )
    return cache[user.id]


def forget_assignments() -> None:
    """After a facilitator's events change, read them again."""
    g.pop("_assigned_events", None)


def can(user, action: Permission, event=None) -> bool:
    """Whether `user` may do `action` on `event`; without an event, whether their role may do
    it on some event (a page listing only the events they may see)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if action not in GRANTS.get(user.role, ()):
        return False
    if event is None:
        return True
    if user.role == Role.COORDINATOR:
        return bool(user.region_code) and event.region_code == user.region_code
    if user.role == Role.FACILITATOR:
        return event.id in assigned_event_ids(user)
    return True
