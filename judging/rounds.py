"""Rounds: an event's pitch round after the written one, its shortlist and the stage.

Round 1 (the written ideas) is every event's and needs no record: an event without a `Round`
judges exactly as before. The organiser may add a pitch round (its rubric, the shortlist's size,
the pitch's and the questions' durations); starting it chooses the shortlist from round 1's
ranking (the top N, or the organiser's picks with a written reason; a step that cannot be
undone), freezes what round 1 gave each team, and hands every judge a sheet per shortlisted team
on the same tablets. From then on the judges' lists, the progress grid and the ranking are the
pitch round's (`judging.services.ACTIVE_ROUND`), and the deliberation decides on it.

Round 1 may instead be the organisers' triage on a rubric of its own (`Round.triage_rubric_id`,
scored in `judging.triage`): the shortlist is then taken from the triage's ranking, the same way.

The stage (running order, who is on, the countdown) lives on the round too: the public screen
reads `stage_state`, to which higher floors add panels with `add_stage_panel`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from audit.services import record
from competitions.errors import TransitionError
from competitions.models import Event, Rubric
from competitions.states import EventState, RankingMethod
from extensions import db, utcnow
from fieldtypes import Integer, Text, parse_fields
from judging.models import Round, ScoreSheet, ShortlistEntry
from judging.services import (
    JudgingConflict,
    JudgingError,
    assign_event,
    check_unlocked,
    event_ranking,
    pitch_round,
    round_rubric,
)
from judging.states import NotRanked, RoundKind, StageAction, StagePhase
from submissions.models import Idea

ROUND_FIELDS = {
    "shortlist_size": Integer(1, 100, required=True),
    "pitch_minutes": Integer(1, 60, required=True),
    "questions_minutes": Integer(0, 60, required=True),
}
REASON = Text.of(ShortlistEntry.reason)
SCREEN_LANGUAGES = ("ar", "fr", "en")
NOT_STARTED = _l("The pitch round has not started.")
NO_PITCH_ROUND = _l("Add a pitch round first.")
PHASE_LABELS = {
    StagePhase.WAITING: _l("No one on stage"),
    StagePhase.PITCH: _l("Pitch"),
    StagePhase.QUESTIONS: _l("Questions from the jury"),
    StagePhase.PAUSED: _l("Paused"),
    StagePhase.DONE: _l("Every team has pitched"),
}


def _editable(event: Event) -> None:
    if event.judging_closed:
        raise JudgingConflict(_l("Judging is over: the rounds can no longer change."))


def save_pitch_round(event: Event, raw: dict, by) -> Round:
    """Add the event's pitch round, or change it before it starts (rubric, shortlist size,
    durations in minutes)."""
    _editable(event)
    found = pitch_round(event)
    if found is not None and found.is_started:
        raise JudgingConflict(_l("The pitch round has started: its settings can no longer change."))
    values, errors = parse_fields(ROUND_FIELDS, raw)
    rubric_id = raw.get("rubric_id") or None
    rubric = None
    if rubric_id is not None:
        rubric = db.session.get(Rubric, int(rubric_id)) if str(rubric_id).isdigit() else None
        if rubric is None or int(rubric_id) >= 2**31:
            errors["rubric_id"] = _l("Choose a rubric from the list.")
    triage_id = raw.get("triage_rubric_id") or None
    triage = None
    if triage_id is not None:
        digits = str(triage_id).isdigit() and int(triage_id) < 2**31
        triage = db.session.get(Rubric, int(triage_id)) if digits else None
        if triage is None:
            errors["triage_rubric_id"] = _l("Choose a rubric from the list.")
    if errors:
        # The first field's message says what to fix (a flash shows one message).
        raise JudgingError(next(iter(errors.values())), errors=errors)
    old = None
    if found is None:
        found = Round(event_id=event.id, number=2, kind=RoundKind.PITCH)
        db.session.add(found)
    else:
        old = _settings(found)
    new_triage = triage.id if triage is not None else None
    if (found.triage_rubric_id is not None) != (new_triage is not None) and _round_one_begun(event):
        raise JudgingConflict(
            _l("Round 1's sheets exist already: who scores it can no longer change.")
        )
    if found.triage_rubric_id not in (None, new_triage) and _round_one_begun(event):
        raise JudgingConflict(_l("The triage has begun: its rubric can no longer change."))
    found.rubric_id = rubric.id if rubric is not None else None
    found.triage_rubric_id = new_triage
    found.shortlist_size = values["shortlist_size"]
    found.pitch_seconds = values["pitch_minutes"] * 60
    found.questions_seconds = values["questions_minutes"] * 60
    db.session.flush()
    record(
        "event", event.id, "pitch_round", by=by, event_id=event.id, old=old, new=_settings(found)
    )
    return found


def _round_one_begun(event: Event) -> bool:
    """Whether any sheet of round 1 exists (the jury's or the triage's)."""
    return bool(
        db.session.scalar(
            select(ScoreSheet.id)
            .where(ScoreSheet.event_id == event.id, ScoreSheet.round_number == 1)
            .limit(1)
        )
    )


def _settings(found: Round) -> dict:
    return {
        "rubric_id": found.rubric_id,
        "triage_rubric_id": found.triage_rubric_id,
        "shortlist_size": found.shortlist_size,
        "pitch_seconds": found.pitch_seconds,
        "questions_seconds": found.questions_seconds,
    }


def remove_pitch_round(event: Event, by) -> None:
    """Take the pitch round away before it starts (the event is judged on round 1 alone)."""
    found = pitch_round(event)
    if found is None:
        return
    if found.is_started:
        raise JudgingConflict(_l("The pitch round has started: it can no longer be removed."))
    if found.has_triage and _round_one_begun(event):
        raise JudgingConflict(
            _l("The organisers' triage has begun: the pitch round can no longer be removed.")
        )
    record("event", event.id, "remove_pitch_round", by=by, event_id=event.id, old=_settings(found))
    db.session.delete(found)
    db.session.flush()


def written_ranking(event: Event) -> dict:
    """Round 1's ranking (the written ideas), whichever round is being judged."""
    return event_ranking(event, written=True)


def _figure(row: dict, method) -> float | None:
    return row["score_100"] if method == RankingMethod.NORMALISED else row["raw"]


def proposed_shortlist(event: Event, size: int) -> list[int]:
    """Round 1's top `size` ranked ideas (all of a tie at the last place)."""
    rows = written_ranking(event)["ideas"]
    return [r["idea_id"] for r in rows if r["ranked"] and r["rank"] <= size]


def start_pitch_round(event: Event, idea_ids: list[int] | None, reason, by) -> Round:
    """Choose the shortlist (the proposed top N when `idea_ids` is None or empty; a pick outside
    it needs `reason`), freeze what round 1 gave each team, and deal the pitch sheets: every
    seated judge scores every shortlisted team. Cannot be undone."""
    found = pitch_round(event)
    if found is None:
        raise JudgingConflict(NO_PITCH_ROUND)
    if found.is_started:
        raise JudgingConflict(_l("The pitch round has already started."))
    if not event.is_judging:
        raise JudgingConflict(_l("The pitch round starts while the event is in judging."))
    check_unlocked(event)
    if found.rubric is None:
        raise JudgingConflict(_l("Give the pitch round a rubric first."))
    ranking = written_ranking(event)
    rows = {r["idea_id"]: r for r in ranking["ideas"]}
    top = set(proposed_shortlist(event, found.shortlist_size))
    chosen = list(dict.fromkeys(idea_ids or [])) or sorted(top, key=lambda i: rows[i]["rank"])
    if not chosen:
        raise JudgingError(_l("No idea is ranked yet: choose the shortlist by hand."))
    for idea_id in chosen:
        row = rows.get(idea_id)
        if row is None or row["reason"] in NotRanked.EXCLUDED:
            raise JudgingError(_l("Only eligible ideas of this event can be shortlisted."))
    outside = [i for i in chosen if i not in top]
    text = REASON.parse(reason) if reason is not None else ""
    if outside and not text:
        raise JudgingError(
            _l(
                "Say why ideas outside round 1's top %(n)s are shortlisted.", n=found.shortlist_size
            ),
            "reason",
        )
    ordered = sorted(chosen, key=lambda i: (rows[i]["rank"] is None, rows[i]["rank"] or 0, i))
    for position, idea_id in enumerate(ordered, start=1):
        row = rows[idea_id]
        found.entries.append(
            ShortlistEntry(
                idea_id=idea_id,
                position=position,
                written_rank=row["rank"],
                written_score=_figure(row, ranking["method"]),
                reason=text if idea_id in outside else None,
            )
        )
    found.started_at = utcnow()
    found.started_by_id = getattr(by, "id", None)
    db.session.flush()
    record(
        "event", event.id, "start_pitch_round", by=by, event_id=event.id,
        new={"shortlist": [rows[i]["receipt_code"] for i in ordered], "reason": text or None},
    )  # fmt: skip
    assign_event(event, by)
    return found


def round_one(event: Event) -> dict | None:
    """Round 1 as the deliberation and the minutes show it once the pitch round has started:
    who scored it (`triage`: the organisers, else the jury), its rubric, and its whole ranking,
    each row with the team's shortlist entry (None: not shortlisted)."""
    found = pitch_round(event)
    if found is None or not found.is_started:
        return None
    ranking = written_ranking(event)
    entries = {e.idea_id: e for e in found.entries}
    rows = [
        {**r, "figure": _figure(r, ranking["method"]), "entry": entries.get(r["idea_id"])}
        for r in ranking["ideas"]
        if r["ranked"] or r["idea_id"] in entries
    ]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["idea_id"]))
    return {
        "triage": found.has_triage,
        "rubric": round_rubric(event, 1),
        "method": ranking["method"],
        "rows": rows,
    }


def shortlist(event: Event) -> list[ShortlistEntry]:
    """The pitch round's teams in running order (empty before it starts)."""
    return list(
        db.session.scalars(
            select(ShortlistEntry)
            .join(Round, Round.id == ShortlistEntry.round_id)
            .where(Round.event_id == event.id)
            .order_by(ShortlistEntry.position, ShortlistEntry.id)
        )
    )


def require_pitch_round_started(event: Event, old: str, new: str) -> None:
    """Guard: an event with a pitch round closes judging only once that round has started."""
    if (old, new) != (EventState.JUDGING, EventState.DELIBERATION):
        return
    found = pitch_round(event)
    if found is not None and not found.is_started:
        raise TransitionError(
            _l("Choose the shortlist and start the pitch round before closing judging.")
        )


# --- Running order --------------------------------------------------------------------------------


def _started(event: Event) -> Round:
    found = pitch_round(event)
    if found is None or not found.is_started:
        raise JudgingConflict(NOT_STARTED)
    return found


def _renumber(found: Round, order: list[ShortlistEntry], by, how: str) -> None:
    old = [e.idea_id for e in found.entries]
    for position, entry in enumerate(order, start=1):
        entry.position = position
    db.session.flush()
    db.session.expire(found, ["entries"])
    record(
        "event", found.event_id, "running_order", by=by, event_id=found.event_id,
        old={"order": old}, new={"order": [e.idea_id for e in order], "how": how},
    )  # fmt: skip


def set_running_order(event: Event, idea_ids: list[int], by) -> None:
    """The teams in this order (every shortlisted team, once: what a drag and drop sends)."""
    found = _started(event)
    entries = {e.idea_id: e for e in found.entries}
    if sorted(idea_ids) != sorted(entries):
        raise JudgingError(_l("The running order must list every shortlisted team once."))
    _renumber(found, [entries[i] for i in idea_ids], by, "order")


def move_team(event: Event, idea_id: int | None, step: int, by) -> None:
    """Move a team one place up (-1) or down (+1) in the running order."""
    found = _started(event)
    order = list(found.entries)
    index = next((k for k, e in enumerate(order) if e.idea_id == idea_id), None)
    if index is None:
        raise JudgingError(_l("This team is not on the shortlist."))
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    _renumber(found, order, by, "move")


def draw_lots(event: Event, by, *, rng: random.Random | None = None) -> None:
    """Draw the running order by lot (audited: the order drawn is in the log)."""
    found = _started(event)
    order = list(found.entries)
    (rng or random.SystemRandom()).shuffle(order)
    _renumber(found, order, by, "lots")


# --- The stage ------------------------------------------------------------------------------------


def _duration(found: Round, phase: str) -> int:
    return found.pitch_seconds if phase == StagePhase.PITCH else found.questions_seconds


def seconds_left(found: Round, now=None) -> int | None:
    """What the countdown shows: None when no countdown runs."""
    if found.stage_phase == StagePhase.PAUSED:
        return found.seconds_left
    if found.stage_phase not in StagePhase.TIMED or found.phase_started_at is None:
        return None
    elapsed = ((now or utcnow()) - found.phase_started_at).total_seconds()
    return max(0, int(_duration(found, found.stage_phase) - elapsed))


def _next_team(found: Round) -> int | None:
    order = [e.idea_id for e in found.entries]
    if found.stage_idea_id not in order:
        return order[0] if order else None
    index = order.index(found.stage_idea_id)
    return order[index + 1] if index + 1 < len(order) else None


def _phase(found: Round, phase: str) -> None:
    found.stage_phase = phase
    found.phase_started_at = utcnow() if phase in StagePhase.TIMED else None
    found.paused_phase = None
    found.seconds_left = None


def stage_action(event: Event, action, by, *, language: str | None = None) -> Round:
    """The organiser's stage controls: start (the next team's pitch, or the current team's
    if none is on), questions, next (the next team's pitch; after the last: done), pause,
    resume, reset (no one on). `language` sets the screen's language."""
    found = _started(event)
    old = {"phase": found.stage_phase, "idea_id": found.stage_idea_id}
    if language is not None:
        if language not in SCREEN_LANGUAGES:
            raise JudgingError(_l("Choose Arabic, French or English."))
        found.screen_language = language
    action = StageAction.parse(action)
    if action is None and language is None:
        raise JudgingError(_l("Unknown stage action."))
    if action == StageAction.START:
        if found.stage_idea_id is None:
            found.stage_idea_id = _next_team(found)
        if found.stage_idea_id is None:
            raise JudgingConflict(_l("No team is on the shortlist."))
        _phase(found, StagePhase.PITCH)
    elif action == StageAction.QUESTIONS:
        if found.stage_idea_id is None:
            raise JudgingConflict(_l("No team is on stage."))
        _phase(found, StagePhase.QUESTIONS)
    elif action == StageAction.NEXT:
        following = _next_team(found)
        found.stage_idea_id = following
        _phase(found, StagePhase.PITCH if following is not None else StagePhase.DONE)
    elif action == StageAction.PAUSE:
        if found.stage_phase not in StagePhase.TIMED:
            raise JudgingConflict(_l("No countdown is running."))
        left = seconds_left(found)
        found.paused_phase = found.stage_phase
        found.stage_phase = StagePhase.PAUSED
        found.seconds_left = left
    elif action == StageAction.RESUME:
        if found.stage_phase != StagePhase.PAUSED:
            raise JudgingConflict(_l("The countdown is not paused."))
        phase, left = found.paused_phase or StagePhase.PITCH, found.seconds_left or 0
        found.stage_phase = phase
        found.phase_started_at = utcnow() - timedelta(seconds=_duration(found, phase) - left)
        found.paused_phase = found.seconds_left = None
    elif action == StageAction.RESET:
        found.stage_idea_id = None
        _phase(found, StagePhase.WAITING)
    db.session.flush()
    record(
        "event", event.id, "stage", by=by, event_id=event.id, old=old,
        new={"phase": found.stage_phase, "idea_id": found.stage_idea_id, "action": action},
    )  # fmt: skip
    return found


StagePanel = Callable[[Event, Round, str], "dict | None"]
_PANELS: list[StagePanel] = []


def add_stage_panel(fn: StagePanel) -> None:
    """Higher floors add a panel to the stage screen (e.g. the audience vote): `fn(event, round,
    language)` returns None (nothing to show now) or a dict `{"key": "vote", "title": str,
    "lines": [str, ...], "image_url": str | None, "image_alt": str | None}` (an image, such as
    a QR code, and its text alternative); it must not write (the screen polls it)."""
    if fn not in _PANELS:
        _PANELS.append(fn)


def _team(idea: Idea | None) -> dict | None:
    if idea is None:
        return None
    return {"idea_id": idea.id, "title": idea.title, "code": idea.receipt_code}


def now_pitching(event: Event) -> Idea | None:
    """The team on stage, if the pitch round has one on (a judge's tablet offers it)."""
    found = pitch_round(event)
    if found is None or found.stage_idea_id is None or found.stage_phase == StagePhase.DONE:
        return None
    return db.session.get(Idea, found.stage_idea_id)


def on_stage_for(event: Event, user) -> tuple[Idea | None, int | None]:
    """The team on stage and the id of this judge's pitch sheet for it (None: no sheet)."""
    idea = now_pitching(event)
    if idea is None:
        return None, None
    return idea, db.session.scalar(
        select(ScoreSheet.id).where(
            ScoreSheet.idea_id == idea.id,
            ScoreSheet.judge_id == user.id,
            ScoreSheet.round_number == found_number(event),
        )
    )


def found_number(event: Event) -> int:
    found = pitch_round(event)
    return found.number if found is not None else 1


def stage_state(event: Event) -> dict:
    """What the stage screen shows, as plain data (the JSON the screen polls): the phase,
    who is on and who is next, the countdown, and the panels of higher floors."""
    found = _started(event)
    following = _next_team(found) if found.stage_phase != StagePhase.DONE else None
    current = db.session.get(Idea, found.stage_idea_id) if found.stage_idea_id else None
    language = found.screen_language
    panels = [p for p in (fn(event, found, language) for fn in _PANELS) if p]
    phase = found.paused_phase if found.stage_phase == StagePhase.PAUSED else found.stage_phase
    return {
        "phase": found.stage_phase,
        "paused": found.stage_phase == StagePhase.PAUSED,
        "language": language,
        "on_stage": _team(current),
        "up_next": _team(db.session.get(Idea, following) if following else None),
        "seconds_left": seconds_left(found),
        "seconds_total": _duration(found, phase) if phase in StagePhase.TIMED else None,
        "teams": db.session.scalar(
            select(func.count(ShortlistEntry.id)).where(ShortlistEntry.round_id == found.id)
        ),
        "panels": panels,
    }
