"""A posted idea reads nothing before its INSERT: the event it goes to is remembered per process,
and the one statement that writes the idea checks that event.

Why (measured under a hall's load of phones, docs/performance.md, 2026-11-28): the event's
SELECT before each INSERT was 13 % of the workers' busy time on SQLite (each read in autocommit
mode reads its pages again once another process has written), and building the INSERT anew
each time cost as much as running it. So each worker remembers, by slug, the event's id, slug
and city (`posting_target`), and the INSERT … SELECT … WHERE the event is still open with that
slug and city, ON CONFLICT DO NOTHING RETURNING id, is built once per dialect and set of columns
(`insert_if_open`). A stale entry costs a fresh look-up (`current_event`), never a misplaced
idea; an event closed in between takes no idea.
"""

from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from competitions.models import Event
from competitions.states import EventState
from extensions import db
from submissions.models import Idea


@dataclass(frozen=True)
class PostingTarget:
    """What storing an idea needs of its event: its id, and its city for the receipt code."""

    id: int
    slug: str
    city: str


_TARGET_BY_SLUG = select(Event.id, Event.slug, Event.city).where(Event.slug == bindparam("slug"))
_TARGETS_KEPT = 1000  # a tour has a dozen events; the bound is against made-up slugs
_EVENT_NOW = select(Event.state, Event.slug, Event.city).where(Event.id == bindparam("id"))


def posting_target(slug: str, *, fresh: bool = False) -> PostingTarget | None:
    """The event that ideas posted to this slug go to, or None if there is no such event."""
    targets = current_app.extensions.setdefault("submissions.posting_targets", {})
    target = None if fresh else targets.get(slug)
    if target is None:
        row = db.session.execute(_TARGET_BY_SLUG, {"slug": slug}).first()
        if row is None:
            targets.pop(slug, None)
            return None
        if len(targets) >= _TARGETS_KEPT:
            targets.clear()
        target = targets[slug] = PostingTarget(*row)
    return target


def current_event(event_id: int):
    """The event's state, slug and city now (after an INSERT that stored nothing), or None."""
    return db.session.execute(_EVENT_NOW, {"id": event_id}).first()


@cache
def insert_if_open(dialect: str, columns: tuple[str, ...]):
    """INSERT … SELECT … WHERE the event is open (and still has the slug and city it was known
    by), ON CONFLICT DO NOTHING RETURNING id, in the database's dialect, for one set of
    columns (psycopg's dialect casts each parameter to its column's type, which PostgreSQL
    needs in a SELECT list)."""
    insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[dialect]
    ideas, events = Idea.__table__, Event.__table__
    params = {name: bindparam(name, type_=ideas.c[name].type) for name in columns}
    is_open = exists().where(
        events.c.id == params["event_id"],
        events.c.state == EventState.OPEN,
        events.c.slug == bindparam("event_slug", type_=events.c.slug.type),
        events.c.city == bindparam("event_city", type_=events.c.city.type),
    )
    values = select(*(params[name].label(name) for name in columns)).where(is_open)
    return (
        insert(ideas)
        .from_select(list(columns), values)
        .on_conflict_do_nothing()
        .returning(ideas.c.id)
    )
