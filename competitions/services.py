"""The tour's services: event lifecycle, competitions and events, registries for higher floors.

Rubrics live in `competitions.rubrics`, jury panels in `competitions.jury`; their public functions
are re-exported here so that other packages import everything from `competitions.services`.
"""

import re
from collections.abc import Callable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from audit.services import record
from competitions.defaults import build_default_rubric
from competitions.errors import (
    CompetitionError,
    EventError,
    JuryError,
    RubricConflict,
    RubricError,
    RubricLocked,
    TransitionError,
)
from competitions.jury import (
    add_judge_sheet_counter,
    assign_jury,
    create_jury_member,
    judge_sheet_counts,
    jury_by_panel,
    jury_president,
    remove_jury,
    set_jury_role,
)
from competitions.models import Competition, Event
from competitions.rubrics import (
    add_criterion,
    copy_rubric_to_event,
    delete_criterion,
    ensure_editable,
    lock_rubric,
    new_rubric_version,
    rename_rubric,
    rubric_in_use,
    update_criterion,
)
from competitions.signals import event_state_changed
from competitions.states import EventState, RankingMethod
from extensions import db
from fieldtypes import Choice, Day, Integer, Text, parse_fields
from i18n import LANGUAGE_NAMES
from places.reference import REGION_CODES

__all__ = [
    "CompetitionError",
    "EventError",
    "JuryError",
    "RubricConflict",
    "RubricError",
    "RubricLocked",
    "TransitionError",
    "add_criterion",
    "rename_rubric",
    "add_event_link_provider",
    "add_event_stats_provider",
    "add_judge_sheet_counter",
    "add_transition_guard",
    "add_transition_notice_provider",
    "allowed_transitions",
    "assign_jury",
    "copy_rubric_to_event",
    "create_competition",
    "create_event",
    "create_jury_member",
    "delete_criterion",
    "ensure_editable",
    "event_links",
    "event_stats",
    "judge_sheet_counts",
    "jury_by_panel",
    "jury_president",
    "move_needs_confirmation",
    "lock_rubric",
    "new_rubric_version",
    "remove_jury",
    "rubric_in_use",
    "set_jury_role",
    "transition",
    "transition_notices",
    "transition_refusal",
    "update_competition",
    "update_criterion",
    "update_event",
]

STATE_LABELS = {
    EventState.DRAFT: _l("Draft"),
    EventState.OPEN: _l("Open for ideas"),
    EventState.JUDGING: _l("Judging"),
    EventState.DELIBERATION: _l("Deliberation"),
    EventState.PUBLISHED: _l("Results published"),
    EventState.ARCHIVED: _l("Archived"),
}

# Every allowed move. Forward along the lifecycle; back only where nothing is lost:
# open → draft (ideas stay), judging → open (scores stay), deliberation → judging (higher floors
# refuse it once the minutes are validated). Published results are frozen: only archiving.
TRANSITIONS: dict[EventState, tuple[EventState, ...]] = {
    EventState.DRAFT: (EventState.OPEN,),
    EventState.OPEN: (EventState.JUDGING, EventState.DRAFT),
    EventState.JUDGING: (EventState.DELIBERATION, EventState.OPEN),
    EventState.DELIBERATION: (EventState.PUBLISHED, EventState.JUDGING),
    EventState.PUBLISHED: (EventState.ARCHIVED,),
    EventState.ARCHIVED: (),
}

# The button that makes each move, in the organiser's words.
TRANSITION_LABELS = {
    (EventState.DRAFT, EventState.OPEN): _l("Open submissions"),
    (EventState.OPEN, EventState.JUDGING): _l("Close submissions and start judging"),
    (EventState.OPEN, EventState.DRAFT): _l("Back to draft"),
    (EventState.JUDGING, EventState.DELIBERATION): _l("Close judging and start deliberation"),
    (EventState.JUDGING, EventState.OPEN): _l("Reopen submissions"),
    (EventState.DELIBERATION, EventState.PUBLISHED): _l("Publish the results"),
    (EventState.DELIBERATION, EventState.JUDGING): _l("Back to judging"),
    (EventState.PUBLISHED, EventState.ARCHIVED): _l("Archive"),
}

# Moves that cannot be undone (or only at a cost): the organiser first reads, on a page, what
# will happen, and the server refuses the move unless the form confirms it.
CONFIRMED_MOVES = {
    (EventState.JUDGING, EventState.DELIBERATION),
    (EventState.DELIBERATION, EventState.PUBLISHED),
    (EventState.PUBLISHED, EventState.ARCHIVED),
}

# What each confirmed move does, said on its confirmation page (higher floors add details).
MOVE_CONSEQUENCES = {
    (EventState.JUDGING, EventState.DELIBERATION): _l(
        "Judges can no longer score: sheets not submitted by now will not count in the ranking."
    ),
    (EventState.DELIBERATION, EventState.PUBLISHED): _l(
        "The results become public and frozen: after this, the event can only be archived."
    ),
    (EventState.PUBLISHED, EventState.ARCHIVED): _l(
        "The event can no longer change in any way. Its results stay public."
    ),
}

TransitionGuard = Callable[[Event, str, str], None]
StatsProvider = Callable[[list[int]], dict[int, dict]]
LinkProvider = Callable[[Event], list[tuple[str, str]]]
# fn(event, new_state) -> [{"text": str, "items": [str, ...]}, ...]; must not write.
NoticeProvider = Callable[[Event, str], list[dict]]

_transition_guards: list[TransitionGuard] = []
_stats_providers: list[StatsProvider] = []
_link_providers: list[LinkProvider] = []
_notice_providers: list[NoticeProvider] = []


def _register(registry: list, fn):
    if fn not in registry:
        registry.append(fn)
    return fn


def add_transition_guard(fn: TransitionGuard) -> TransitionGuard:
    """Register `fn(event, old, new)`, which raises TransitionError to refuse a move.
    Guards must not write: they are also called to explain why a button is disabled."""
    return _register(_transition_guards, fn)


def add_event_stats_provider(fn: StatsProvider) -> StatsProvider:
    """Register `fn(event_ids) -> {event_id: {"ideas": n, "judging_progress": pct, ...}}`."""
    return _register(_stats_providers, fn)


def add_event_link_provider(fn: LinkProvider) -> LinkProvider:
    """Register `fn(event) -> [(label, url), ...]`: links shown on the organiser's event page."""
    return _register(_link_providers, fn)


def add_transition_notice_provider(fn: NoticeProvider) -> NoticeProvider:
    """Register `fn(event, new_state) -> [{"text": ..., "items": [...]}]`: what a move will do,
    shown on its confirmation page (missing sheets, e-mails that will leave...). Must not write."""
    return _register(_notice_providers, fn)


def move_needs_confirmation(event: Event, new_state: str) -> bool:
    return (event.state, new_state) in CONFIRMED_MOVES


def transition_notices(event: Event, new_state: str) -> list[dict]:
    """What moving `event` to `new_state` will do: the move's own consequence, then every
    provider's notices."""
    notices = []
    consequence = MOVE_CONSEQUENCES.get((event.state, new_state))
    if consequence is not None:
        notices.append({"text": str(consequence), "items": []})
    for provider in _notice_providers:
        notices.extend(provider(event, new_state) or [])
    return notices


def event_stats(event_ids: list[int]) -> dict[int, dict]:
    """The figures of every provider merged per event (empty dict when nobody provides any)."""
    merged: dict[int, dict] = {event_id: {} for event_id in event_ids}
    for provider in _stats_providers:
        for event_id, figures in (provider(list(event_ids)) or {}).items():
            merged.setdefault(event_id, {}).update(figures)
    return merged


def event_links(event: Event) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for provider in _link_providers:
        links.extend(provider(event) or [])
    return links


# --- Lifecycle ---------------------------------------------------------------------------------


def allowed_transitions(state: str) -> tuple[EventState, ...]:
    return TRANSITIONS.get(state, ())


def transition_refusal(event: Event, new_state: str) -> TransitionError | None:
    """Why this event cannot move to `new_state` now, or None if it can."""
    old = EventState(event.state)
    if EventState.parse(new_state) is None:
        return TransitionError(_l("Unknown state %(state)s.", state=new_state), "state")
    new_state = EventState(new_state)
    if new_state == old:
        return TransitionError(
            _l("The event is already in the state “%(state)s”.", state=STATE_LABELS[old])
        )
    if new_state not in TRANSITIONS[old]:
        if old == EventState.PUBLISHED:
            reason = _l("Published results are frozen: the event can only be archived.")
        elif old == EventState.ARCHIVED:
            reason = _l("An archived event can no longer change state.")
        elif new_state.step > old.step:
            reason = _l(
                "Steps cannot be skipped: from “%(old)s” the event can only go to “%(next)s”.",
                old=STATE_LABELS[old],
                next=STATE_LABELS[TRANSITIONS[old][0]],
            )
        else:
            reason = _l(
                "Going back from “%(old)s” to “%(new)s” would lose data: it is not allowed.",
                old=STATE_LABELS[old],
                new=STATE_LABELS[new_state],
            )
        return TransitionError(reason)
    for guard in _transition_guards:
        try:
            guard(event, old, new_state)
        except TransitionError as error:
            return error
    return None


def transition(event: Event, new_state: str, by=None, *, source: str = "web") -> Event:
    """Move the event to `new_state` if the lifecycle and every guard allow it; audit it and
    send `event_state_changed` in the same transaction. Raises TransitionError otherwise."""
    refusal = transition_refusal(event, new_state)
    if refusal is not None:
        raise refusal
    old, new_state = EventState(event.state), EventState(new_state)
    event.state = new_state
    db.session.flush()
    record(
        "event",
        event.id,
        "state",
        by=by,
        event_id=event.id,
        old={"state": old},
        new={"state": new_state},
        source=source,
    )
    event_state_changed.send(event, old=old, new=new_state, by=by, source=source)
    return event


# --- Competitions and events -------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGES = tuple(LANGUAGE_NAMES)


def _check_slug(slug: str, model, current_id: int | None) -> str:
    slug = (slug or "").strip().lower()
    if not _SLUG.match(slug) or len(slug) > 80:
        raise EventError(
            _l(
                "The address may only hold lower-case letters, digits and dashes (e.g. oujda-2025)."
            ),
            "slug",
        )
    taken = db.session.scalar(select(model.id).where(model.slug == slug))
    if taken is not None and taken != current_id:
        raise EventError(_l("The address %(slug)s is already used.", slug=slug), "slug")
    return slug


def slugify(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80]


# An event's settings and their types (a text's limit is its column's).
EVENT_TYPES = {
    "city": Text.of(Event.city, required=True, empty=None),
    "city_ar": Text.of(Event.city_ar, empty=None),
    "city_en": Text.of(Event.city_en, empty=None),
    "region_code": Choice(REGION_CODES, required=True),
    "venue": Text.of(Event.venue, empty=None),
    "venue_ar": Text.of(Event.venue_ar, empty=None),
    "venue_en": Text.of(Event.venue_en, empty=None),
    "date": Day(required=True),
    "capacity": Integer(1, 100_000),
    "winners_count": Integer(0, 100, required=True),
    "tour_order": Integer(0, 1000),
    "judges_per_idea": Integer(1, 50, required=True),
    "min_judges": Integer(1, 50, required=True),
    "ranking_method": Choice(RankingMethod),
    "retention_months": Integer(1, 120),
}
DEFAULT_RETENTION_MONTHS = 12
# What a published event may still change: how long its participants' personal data are kept.
CHANGEABLE_AFTER_PUBLICATION = frozenset({"retention_months"})
COMPETITION_TYPES = {
    "name": Text.of(Competition.name, required=True),
    "name_ar": Text.of(Competition.name_ar, empty=None),
    "name_en": Text.of(Competition.name_en, empty=None),
    "year": Integer(2000, 2100, required=True),
}


def _clean_event(data: dict, event: Event | None) -> dict:
    """Validate event settings. Every problem is reported at once (EventError.errors), each
    naming its field; returns the cleaned values."""
    clean, errors = parse_fields(EVENT_TYPES, data)
    chosen = data.get("languages") or []
    if isinstance(chosen, str):
        chosen = [lang for lang in chosen.split(",") if lang]
    if not chosen or any(lang not in LANGUAGES for lang in chosen):
        errors["languages"] = _l("Accept at least one language among Arabic, French and English.")
    else:
        clean["languages"] = ",".join(lang for lang in LANGUAGES if lang in chosen)
    slug = data.get("slug")
    if not slug and clean.get("city") and clean.get("date"):
        slug = f"{slugify(clean['city'])}-{clean['date'].year}"
    if slug:
        try:
            clean["slug"] = _check_slug(slug, Event, event.id if event else None)
        except EventError as error:
            errors["slug"] = error.message
    clean["tour_order"] = clean.get("tour_order") or 0
    clean["retention_months"] = clean.get("retention_months") or DEFAULT_RETENTION_MONTHS
    clean["is_final"] = bool(data.get("is_final"))
    clean["split_panels"] = bool(data.get("split_panels"))
    clean["blind"] = bool(data.get("blind"))
    clean["share_ranks"] = bool(data.get("share_ranks"))
    clean["share_feedback"] = bool(data.get("share_feedback"))
    if (
        clean["split_panels"]
        and clean.get("min_judges") is not None
        and clean.get("judges_per_idea") is not None
        and clean["min_judges"] > clean["judges_per_idea"]
    ):
        errors.setdefault(
            "min_judges",
            _l("The minimum number of judges cannot exceed the number of judges per idea."),
        )
    if errors:
        field, message = next(iter(errors.items()))
        raise EventError(message, field, errors)
    return clean


def create_event(competition: Competition, data: dict, by=None, *, source: str = "web") -> Event:
    """A new stop of the tour, in draft."""
    clean = _clean_event(data, None)
    if not clean["tour_order"]:
        clean["tour_order"] = (
            db.session.scalar(
                select(func.max(Event.tour_order)).where(Event.competition_id == competition.id)
            )
            or 0
        ) + 1
    event = Event(competition=competition, state=EventState.DRAFT, **clean)
    db.session.add(event)
    db.session.flush()
    record(
        "event",
        event.id,
        "create",
        by=by,
        event_id=event.id,
        new={"slug": event.slug},
        source=source,
    )
    return event


def update_event(event: Event, data: dict, by=None, *, source: str = "web") -> Event:
    """Change an event's settings; published and archived events are frozen, but for the
    retention period of their participants' personal data."""
    clean = _clean_event(data, event)
    old = {key: _plain(getattr(event, key)) for key in clean}
    changed = {key: value for key, value in clean.items() if _plain(value) != old[key]}
    if event.results_public and changed.keys() - CHANGEABLE_AFTER_PUBLICATION:
        raise EventError(
            _l("Published results are frozen: this event's settings can no longer change.")
        )
    if "ranking_method" in changed and event.in_deliberation:
        raise EventError(
            _l(
                "During deliberation the method is chosen on the deliberation page, with its reason."
            ),
            "ranking_method",
        )
    for key, value in changed.items():
        setattr(event, key, value)
    db.session.flush()
    if changed:
        record(
            "event",
            event.id,
            "edit",
            by=by,
            event_id=event.id,
            source=source,
            old={key: old[key] for key in changed},
            new={key: _plain(value) for key, value in changed.items()},
        )
    return event


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _clean_competition(data: dict, competition: Competition | None) -> dict:
    clean, errors = parse_fields(COMPETITION_TYPES, data)
    if errors:
        field, message = next(iter(errors.items()))
        raise EventError(message, field, errors)
    slug = data.get("slug") or slugify(f"{clean['name']}-{clean['year']}")
    clean["slug"] = _check_slug(slug, Competition, competition.id if competition else None)
    return clean


def create_competition(data: dict, by=None) -> Competition:
    """A new competition with its own copy of the default rubric."""
    competition = Competition(**_clean_competition(data, None), rubric=build_default_rubric())
    db.session.add(competition)
    db.session.flush()
    record("competition", competition.id, "create", by=by, new={"slug": competition.slug})
    return competition


def update_competition(competition: Competition, data: dict, by=None) -> Competition:
    clean = _clean_competition(data, competition)
    old = {key: getattr(competition, key) for key in clean}
    for key, value in clean.items():
        setattr(competition, key, value)
    db.session.flush()
    record("competition", competition.id, "edit", by=by, old=old, new=clean)
    return competition


def get_competition(slug: str) -> Competition | None:
    return db.session.scalar(select(Competition).where(Competition.slug == slug))


def transition_choices(event: Event) -> list[dict]:
    """The moves offered on the event's page: each allowed next state, its label, whether it
    goes back, the reason it is refused now, if any, and (for a move made at once, without a
    confirmation page) what the providers warn of."""
    choices = []
    for new_state in allowed_transitions(event.state):
        refusal = transition_refusal(event, new_state)
        confirm = move_needs_confirmation(event, new_state)
        choices.append(
            {
                "state": new_state,
                "label": TRANSITION_LABELS[(event.state, new_state)],
                "back": new_state.step < EventState(event.state).step,
                "confirm": confirm,
                "refusal": str(refusal) if refusal else None,
                "notices": [] if confirm or refusal else transition_notices(event, new_state),
            }
        )
    return choices


_EVENT_BY_SLUG = select(Event).where(Event.slug == bindparam("slug"))


def get_event(slug: str) -> Event | None:
    """The event of a page's URL (every page of an event asks: the query is built once). A
    posted idea does not: see `submissions.posting.posting_target`."""
    return db.session.scalar(_EVENT_BY_SLUG, {"slug": slug})


def tour_events() -> list[Event]:
    """Every event of every competition, in tour order."""
    return list(
        db.session.scalars(
            select(Event).order_by(Event.competition_id, Event.tour_order, Event.date)
        )
    )


def event_choices() -> list[tuple[int, str]]:
    """Every event as (id, "Competition · City") in the reader's language, for the accounts
    page (a facilitator's events)."""
    return [
        (event.id, f"{event.competition.name_in()} · {event.city_in()}") for event in tour_events()
    ]
