"""The winners' gallery: for each stop whose results are public, the winners of the version in
force (`judging.results`), with their sector, region and a short description; never a name, a
phone, an e-mail or a receipt code. A voided version or an unpublished event shows nothing.

The description is the start of the idea's solution; anything in it that matches the team's own
contact (the lead's name, each other member's name, the phone, the e-mail) is blanked, in case
someone typed it there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from competitions.models import Event
from competitions.states import EventState
from extensions import db
from judging.results import results_in_force_of
from submissions.models import Idea

DESCRIPTION_CHARS = 280
HIDDEN = "…"
_DIGITS = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"\+?\d[\d .\-]{7,}\d")


@dataclass(frozen=True)
class Winner:
    idea_id: int
    rank: int | None
    title: str
    sector: str
    region_code: str | None  # the HCP code (`places.reference`), None when not known
    description: str


@dataclass(frozen=True)
class Stop:
    event: Event
    version: int
    published_at: datetime
    winners: tuple[Winner, ...]


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + " " + HIDDEN


def _without_contact(text: str, idea) -> str:
    """The text with the team's own contact blanked (names, phone, e-mail)."""
    names = [idea.lead_name or "", *re.split(r"[\n,;]", idea.other_members or "")]
    for value in [*names, idea.lead_email or ""]:
        value = value.strip()
        if len(value) >= 3:
            text = re.sub(re.escape(value), HIDDEN, text, flags=re.IGNORECASE)
    return _PHONE_LIKE.sub(_phone_or_not, text)


def _phone_or_not(match: re.Match) -> str:
    """A run of nine digits or more is taken for a phone number."""
    return HIDDEN if len(_DIGITS.sub("", match.group(0))) >= 9 else match.group(0)


def public_events(slug: str | None = None) -> list[Event]:
    """The events whose results are public (one, by slug), in the tour's order."""
    query = select(Event).where(Event.state.in_(EventState.RESULTS_PUBLIC))
    if slug is not None:
        query = query.where(Event.slug == slug)
    return list(db.session.scalars(query.order_by(Event.date, Event.id)))


def gallery(events: list[Event]) -> list[Stop]:
    """The stops among `events` with results in force, each with its winners by rank (four
    statements, whatever the number of stops)."""
    results = results_in_force_of(events)
    winner_ids = [row.idea_id for r in results.values() for row in r.winners]
    ideas = (
        {idea.id: idea for idea in db.session.scalars(select(Idea).where(Idea.id.in_(winner_ids)))}
        if winner_ids
        else {}
    )
    stops = []
    for event in events:
        found = results.get(event.id)
        if found is None or not found.winners:
            continue
        winners = []
        for row in found.winners:
            idea = ideas[row.idea_id]
            winners.append(
                Winner(
                    idea_id=row.idea_id,
                    rank=row.rank,
                    title=_without_contact(row.title, idea),
                    sector=idea.sector,
                    region_code=idea.region_code,
                    description=_shorten(_without_contact(idea.solution, idea)),
                )
            )
        stops.append(Stop(event, found.number, found.published_at, tuple(winners)))
    return stops
