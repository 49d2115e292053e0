"""Judging services: assignment, score sheets, conflicts and the event ranking.

Deliberation, results and the national final live in `judging.deliberation`; the paper fallback
in `judging.paper`. Functions validate, write, flush and audit; the caller commits.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from itertools import groupby, pairwise
from operator import itemgetter

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, bindparam, case, exists, func, select, update
from sqlalchemy.orm import contains_eager, defer, joinedload

import refusals
from accounts.models import User
from audit.services import record
from competitions import services as competitions_services
from competitions.models import Criterion, Event, JuryMember, Rubric
from competitions.states import EventState, RemovalChoice
from extensions import db, utcnow
from fieldtypes import FieldError, Text
from judging import scoring
from judging.assignment import assign
from judging.freeze import lock_message
from judging.models import Conflict, Round, Score, ScoreSheet, ShortlistEntry
from judging.states import NotRanked, SheetState
from paging import Page, paginate
from submissions.models import Idea
from submissions.receipts import normalise_receipt_code
from submissions.services import ChangeRefused, TriageError
from submissions.states import Eligibility


class JudgingError(refusals.Refusal):
    """A user-facing reason why a judging operation was refused (bad input: 422)."""


class JudgingConflict(JudgingError, refusals.Conflict):
    """The event's or the sheet's state forbids it now (409)."""


class JudgingForbidden(JudgingError, refusals.Forbidden):
    """Someone other than the judge (or the president) tried it (403)."""


class JudgingNotFound(JudgingError, refusals.NotFound):
    """No such sheet for this judge (404)."""


NOT_RANKED_LABELS = {
    NotRanked.CALIBRATION: _l("Calibration idea"),
    NotRanked.INELIGIBLE: _l("Ineligible"),
    NotRanked.DUPLICATE: _l("Duplicate"),
    NotRanked.TOO_FEW_JUDGES: _l("Too few submitted score sheets"),
    NotRanked.NOT_SHORTLISTED: _l("Not shortlisted for the pitches"),
}
SHEET_STATE_LABELS = {
    SheetState.ASSIGNED: _l("To score"),
    SheetState.DRAFT: _l("In progress"),
    SheetState.SUBMITTED: _l("Submitted"),
    SheetState.CONFLICT: _l("Conflict declared"),
    SheetState.SET_ASIDE: _l("Set aside (judge removed)"),
    SheetState.VOID: _l("Voided (judge removed)"),
}
REMOVAL_LABELS = {
    RemovalChoice.KEEP: _l("Kept by the organiser"),
    RemovalChoice.VOID: _l("Voided by the organiser"),
}
REMOVED_JUDGE = _l("You are no longer on the jury of this event: this sheet can no longer change.")


# --- Rounds (see `judging.rounds`) ---------------------------------------------------------------
# Round 1, the written ideas, is every event's; an event's pitch round (a `Round`, number 2)
# takes over once it has started: the judges' lists, the tablets and the ranking follow it.

ACTIVE_ROUND = func.coalesce(
    select(Round.number)
    .where(Round.event_id == ScoreSheet.event_id, Round.started_at.is_not(None))
    .correlate(ScoreSheet)
    .scalar_subquery(),
    1,
)  # the round a sheet's event is judging now, as SQL beside a ScoreSheet


def pitch_round(event: Event) -> Round | None:
    """The event's pitch round, if the organiser added one."""
    return db.session.scalar(select(Round).where(Round.event_id == event.id))


def active_round(event: Event) -> int:
    """The round being judged: 2 once the pitch round has started, else 1."""
    started = db.session.scalar(
        select(Round.number).where(Round.event_id == event.id, Round.started_at.is_not(None))
    )
    return started or 1


def round_rubric(event: Event, number: int) -> Rubric | None:
    """The rubric of one of the event's rounds (the pitch round's own, else the event's; round
    1's is the triage's when the organisers triage it)."""
    found = pitch_round(event)
    if found is not None:
        if number > 1:
            return found.rubric
        if found.has_triage:
            return found.triage_rubric
    return event.rubric


def has_triage(event: Event) -> bool:
    """Whether the organisers, not the jury, score the event's round 1 (the triage)."""
    return bool(
        db.session.scalar(
            select(Round.id).where(Round.event_id == event.id, Round.triage_rubric_id.is_not(None))
        )
    )


TRIAGE_SHEET = exists().where(
    Round.event_id == ScoreSheet.event_id, Round.triage_rubric_id.is_not(None)
).correlate(ScoreSheet) & (
    ScoreSheet.round_number == 1
)  # a sheet of the organisers' triage, as SQL beside a ScoreSheet: never the jury's


def sheet_rubric(sheet: ScoreSheet) -> Rubric | None:
    return round_rubric(sheet.event, sheet.round_number)


def deciding_rubric(event: Event) -> Rubric | None:
    """The rubric of the round whose ranking is the event's (the pitch round's once started)."""
    return round_rubric(event, active_round(event))


def check_unlocked(event: Event) -> None:
    """Raise JudgingConflict (409) naming the way to change the results when they are frozen
    (see `judging.freeze`)."""
    message = lock_message(event)
    if message is not None:
        raise JudgingConflict(message)


# --- Access ---------------------------------------------------------------------------------------


def is_event_judge(event: Event, user) -> bool:
    return bool(
        db.session.scalar(
            select(JuryMember.id).where(
                JuryMember.event_id == event.id, JuryMember.user_id == user.id
            )
        )
    )


def judge_events(user) -> list[Event]:
    """The events where this user sits on the jury, in tour order."""
    query = (
        select(Event)
        .join(JuryMember, JuryMember.event_id == Event.id)
        .where(JuryMember.user_id == user.id)
        .order_by(Event.date, Event.tour_order)
    )
    return list(db.session.scalars(query))


def judge_sheets(event: Event, user, page: int = 1) -> Page:
    """A page of the judge's sheets in this event: calibration first, then by idea (a judge
    of a small jury may hold thousands of sheets)."""
    query = (
        select(ScoreSheet)
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .options(contains_eager(ScoreSheet.idea))  # the list shows each idea: no load per row
        .where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.judge_id == user.id,
            ScoreSheet.status.in_(SheetState.LIVE),  # not set aside, not void
            ScoreSheet.round_number == ACTIVE_ROUND,
            ~TRIAGE_SHEET,
        )
        .order_by(Idea.is_calibration.desc(), Idea.id)
    )
    return paginate(db.session, query, page)


def judge_progress(event: Event, user) -> tuple[int, int]:
    """(submitted, total) of the judge's sheets in this event, the calibration idea aside."""
    query = (
        select(
            func.count(ScoreSheet.id),
            func.count(ScoreSheet.id).filter(ScoreSheet.status == SheetState.SUBMITTED),
        )
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.judge_id == user.id,
            ScoreSheet.status.in_(SheetState.LIVE),
            ScoreSheet.round_number == ACTIVE_ROUND,
            ~TRIAGE_SHEET,
            Idea.is_calibration.is_(False),
        )
    )
    total, done = db.session.execute(query).one()
    return done, total


def next_sheet(sheet: ScoreSheet) -> ScoreSheet | None:
    """The judge's next sheet still to submit in the sheet's event (list order, calibration
    first), the given one aside; None when every other sheet is submitted."""
    return db.session.scalars(
        select(ScoreSheet)
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .where(
            ScoreSheet.event_id == sheet.event_id,
            ScoreSheet.judge_id == sheet.judge_id,
            ScoreSheet.id != sheet.id,
            ScoreSheet.status.in_(SheetState.UNSUBMITTED),
            ScoreSheet.round_number == sheet.round_number,
        )
        .order_by(Idea.is_calibration.desc(), Idea.id)
        .limit(1)
    ).first()


def judge_conflicts(event: Event, user) -> list[tuple[Conflict, Idea]]:
    """The judge's declared conflicts in this event, with their ideas."""
    query = (
        select(Conflict, Idea)
        .join(Idea, Idea.id == Conflict.idea_id)
        .where(Idea.event_id == event.id, Conflict.judge_id == user.id)
        .order_by(Idea.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


_SEATED = (
    exists()
    .where(JuryMember.event_id == ScoreSheet.event_id, JuryMember.user_id == ScoreSheet.judge_id)
    .label("seated")
)
_SHEET_FOR_WRITING = (
    select(ScoreSheet, _SEATED)
    .where(ScoreSheet.id == bindparam("id"), ~TRIAGE_SHEET)
    .options(joinedload(ScoreSheet.event).joinedload(Event.competition))
    .with_for_update(of=ScoreSheet)
)
_SHEET = select(ScoreSheet, _SEATED).where(ScoreSheet.id == bindparam("id"), ~TRIAGE_SHEET)


def sheet_for(sheet_id: int, user, *, for_writing: bool = False) -> ScoreSheet:
    """The sheet if it is this judge's own; another's sheet is the same as no sheet (404). A
    judge taken off the event's jury is refused (403) on every one of its sheets, at once.

    `for_writing` (a tap): the sheet's row is locked at once (FOR UPDATE on PostgreSQL) and
    read with its event and the judge's seat in one statement; the tap then reads the one
    criterion it scores (`_criterion_of`), not the rubric with every criterion's texts."""
    row = db.session.execute(
        _SHEET_FOR_WRITING if for_writing else _SHEET, {"id": sheet_id}
    ).first()
    if row is None or row.ScoreSheet.judge_id != user.id:
        raise JudgingNotFound(_l("This score sheet does not exist."))
    if not row.seated:
        raise JudgingForbidden(REMOVED_JUDGE)
    return row.ScoreSheet


# --- Assignment -----------------------------------------------------------------------------------


def assign_event(event: Event, by=None, *, source: str = "web") -> int:
    """Create the missing score sheets of the round being judged (see `judging.assignment`):
    round 1 deals the ideas out; the pitch round gives every judge every shortlisted team.
    Returns how many sheets were made."""
    number = active_round(event)
    if number == 1 and has_triage(event):
        return 0  # the organisers triage round 1: the jury scores only the pitches
    panels = dict(
        db.session.execute(
            select(JuryMember.user_id, JuryMember.panel).where(JuryMember.event_id == event.id)
        ).all()
    )
    judges = list(panels)
    rows = db.session.execute(
        select(Idea.id, Idea.is_calibration).where(
            Idea.event_id == event.id,
            Idea.eligibility != Eligibility.INELIGIBLE,
            Idea.duplicate_of_id.is_(None),
            Idea.id.in_(
                select(ShortlistEntry.idea_id)
                .join(Round, Round.id == ShortlistEntry.round_id)
                .where(Round.event_id == event.id)
            )
            if number > 1
            else True,
        )
    ).all()
    ideas = [r.id for r in rows]
    conflicts = db.session.execute(
        select(Conflict.idea_id, Conflict.judge_id)
        .join(Idea, Idea.id == Conflict.idea_id)
        .where(Idea.event_id == event.id)
    ).all()
    existing: dict[int, list[int]] = defaultdict(list)
    for idea_id, judge_id in db.session.execute(
        select(ScoreSheet.idea_id, ScoreSheet.judge_id).where(
            ScoreSheet.event_id == event.id, ScoreSheet.round_number == number
        )
    ):
        existing[idea_id].append(judge_id)
    new = assign(
        ideas,
        judges,
        per_idea=event.judges_per_idea if event.split_panels and number == 1 else None,
        conflicts=[tuple(c) for c in conflicts],
        existing=existing,
        everyone=[r.id for r in rows if r.is_calibration],
        panels=panels,
    )
    created = 0
    for idea_id, judge_ids in new.items():
        for judge_id in judge_ids:
            db.session.add(
                ScoreSheet(
                    event_id=event.id,
                    idea_id=idea_id,
                    judge_id=judge_id,
                    status=SheetState.ASSIGNED,
                    round_number=number,
                )
            )
            created += 1
    db.session.flush()
    if created:
        record(
            "event",
            event.id,
            "assign",
            by=by,
            event_id=event.id,
            new={"sheets": created, "round": number} if number > 1 else {"sheets": created},
            source=source,
        )
    return created


def calibration_refusal(event: Event, idea: Idea | None) -> JudgingError | None:
    """Why `idea` cannot become the event's calibration idea now (None: it can). A real idea
    already scored would silently leave the ranking: refused once a sheet of it is submitted;
    official results are frozen (`judging.freeze`)."""
    locked = lock_message(event)
    if locked is not None:
        return JudgingConflict(locked)
    if event.judging_closed:
        return JudgingConflict(_l("The calibration idea can only change before deliberation."))
    if idea is not None and idea.event_id != event.id:
        return JudgingError(_l("This idea is not part of the event."))
    if idea is not None and not idea.is_calibration:
        submitted = db.session.scalar(
            select(func.count(ScoreSheet.id)).where(
                ScoreSheet.idea_id == idea.id, ScoreSheet.status == SheetState.SUBMITTED
            )
        )
        if submitted:
            return JudgingConflict(
                _l(
                    "%(code)s already has %(n)s submitted score sheets: it is a real idea being "
                    "judged and cannot become the calibration idea now.",
                    code=idea.receipt_code,
                    n=submitted,
                ),
            )
    return None


def set_calibration(event: Event, idea: Idea | None, by=None) -> None:
    """Mark one idea (or none) as the event's calibration idea: every judge scores it first,
    it is never ranked. Only before judging ends, never an idea already scored."""
    refusal = calibration_refusal(event, idea)
    if refusal is not None:
        raise refusal
    previous = db.session.scalars(
        select(Idea).where(Idea.event_id == event.id, Idea.is_calibration)
    ).all()
    for other in previous:
        other.is_calibration = False
    if idea is not None:
        idea.is_calibration = True
    db.session.flush()
    record(
        "event", event.id, "calibration", by=by, event_id=event.id,
        old={"idea_id": previous[0].id if previous else None},
        new={"idea_id": idea.id if idea else None},
    )  # fmt: skip
    if idea is not None and event.is_judging:
        assign_event(event, by)


# --- Scores ---------------------------------------------------------------------------------------


# Free text a judge or an organiser types: limits from the columns (comments have a cap).
COMMENT = Text.of(ScoreSheet.comment, max_length=5000)
CONFLICT_REASON = Text.of(Conflict.reason)


def parse_text(kind: Text, raw, field: str | None = None) -> str:
    """`raw` through `kind`; a refusal becomes a JudgingError naming `field`."""
    try:
        return kind.parse(raw)
    except FieldError as error:
        raise JudgingError(error.message, field=field) from None


def _check_writable(sheet: ScoreSheet, by) -> None:
    """Lock the sheet's row first (FOR UPDATE on PostgreSQL; SQLite writers already hold the
    write lock), so two tablets writing one sheet take turns: the first tap on a criterion from
    both never races two INSERTs into one unique row."""
    db.session.refresh(sheet, ["status", "comment"], with_for_update=True)  # what can change
    if not sheet.event.is_judging:
        check_unlocked(sheet.event)
        raise JudgingConflict(_l("Scores can only change while the event is in judging."))
    if by is None or sheet.judge_id != getattr(by, "id", by):
        raise JudgingForbidden(_l("Only the judge of this sheet can change it."))
    if sheet.status in SheetState.WITHDRAWN:
        raise JudgingForbidden(REMOVED_JUDGE)  # set aside or void: the judge was removed
    if sheet.round_number != active_round(sheet.event):
        raise JudgingConflict(_l("This round is over: its scores can no longer change."))
    if sheet.status == SheetState.SUBMITTED:
        raise JudgingConflict(
            _l("This sheet is submitted. Ask an organiser to reopen it to change it.")
        )


def check_value(criterion: Criterion, value) -> float:
    """A mark within the criterion's scale, whole (or half when allowed); else JudgingError."""
    message = _l(
        "Score must be between %(low)s and %(high)s.",
        low=criterion.scale_min,
        high=criterion.scale_max,
    )
    if isinstance(value, bool):
        raise JudgingError(message)
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise JudgingError(_l("Score must be a number.")) from None
    if not math.isfinite(number) or not criterion.scale_min <= number <= criterion.scale_max:
        raise JudgingError(message)
    step = 0.5 if criterion.half_points else 1.0
    if abs(number / step - round(number / step)) > 1e-9:
        raise JudgingError(
            _l("Half points are allowed for this criterion, nothing finer.")
            if criterion.half_points
            else _l("Score must be a whole number."),
        )
    return number


def format_mark(value: float) -> str:
    """3.0 → "3", 3.5 → "3.5" (the form a tap target carries in data-value)."""
    return f"{value:g}"


def levels(criterion: Criterion) -> list[str]:
    """The tap targets of a criterion, lowest first (half points when it allows them)."""
    step = 0.5 if criterion.half_points else 1.0
    count = int(round((criterion.scale_max - criterion.scale_min) / step)) + 1
    return [format_mark(criterion.scale_min + k * step) for k in range(count)]


_CRITERION_IN_RUBRIC = (
    select(Criterion)
    .where(Criterion.id == bindparam("id"), Criterion.rubric_id == bindparam("rubric_id"))
    .options(defer(Criterion.description), defer(Criterion.descriptors))
    .options(joinedload(Criterion.rubric))
)


def _criterion_of(sheet: ScoreSheet, criterion_id) -> Criterion:
    """The criterion being scored (an id, as a number or its digits), if it is in the event's
    rubric: read alone with its rubric, without its description and level descriptors."""
    text = str(criterion_id)
    number = int(text) if text.isascii() and text.isdigit() else None
    criterion = None
    if number is not None and str(number) == text and number < 2**31:  # no "03", no 10**20
        rubric = sheet_rubric(sheet)
        rubric_id = rubric.id if rubric is not None else None
        criterion = db.session.scalar(_CRITERION_IN_RUBRIC, {"id": number, "rubric_id": rubric_id})
    if criterion is None:
        raise JudgingError(_l("This criterion is not in the event's rubric."))
    return criterion


def lock_rubric(rubric: Rubric) -> None:
    """The first score freezes the rubric (through the tour's service)."""
    if rubric.locked_at is None:
        competitions_services.lock_rubric(rubric)


def record_score(
    sheet: ScoreSheet,
    criterion_id,
    value,
    by,
    source: str = "web",
    *,
    tapped_at: datetime | None = None,
    client_action: str | None = None,
) -> Score:
    """Save one mark; every write is audited old → new. Last write wins per criterion by the
    time of the tap: a tap older than the mark in force (queued offline on a second tablet) is
    audited as late and changes nothing."""
    _check_writable(sheet, by)
    criterion = _criterion_of(sheet, criterion_id)
    number = check_value(criterion, value)
    now = utcnow()
    tapped_at = tapped_at or now
    score = db.session.scalar(
        select(Score).where(Score.sheet_id == sheet.id, Score.criterion_id == criterion.id)
    )
    old = score.value if score else None
    if score is not None and (score.tapped_at or score.updated_at) > tapped_at:
        record(
            "score", sheet.id, "late_score", by=by, event_id=sheet.event_id,
            old={"criterion": criterion.key, "value": old},
            new={"criterion": criterion.key, "value": number, "idea_id": sheet.idea_id},
            source=source, client_action=client_action,
        )  # fmt: skip
        return score
    if score is None:
        score = Score(sheet_id=sheet.id, criterion_id=criterion.id, value=number)
        db.session.add(score)
    else:
        score.value = number
        score.updated_at = now
    score.tapped_at = tapped_at
    if sheet.status == SheetState.ASSIGNED:
        sheet.status = SheetState.DRAFT
    sheet.updated_at = now
    lock_rubric(criterion.rubric)
    db.session.flush()
    record(
        "score", sheet.id, "score", by=by, event_id=sheet.event_id,
        old={"criterion": criterion.key, "value": old},
        new={"criterion": criterion.key, "value": number, "idea_id": sheet.idea_id},
        source=source, client_action=client_action,
    )  # fmt: skip
    return score


def save_comment(
    sheet: ScoreSheet, text: str, by, source: str = "web", *, client_action: str | None = None
) -> None:
    _check_writable(sheet, by)
    text = parse_text(COMMENT, text, "comment")
    if text == (sheet.comment or ""):
        return
    record(
        "sheet", sheet.id, "comment", by=by, event_id=sheet.event_id,
        old={"comment": sheet.comment}, new={"comment": text}, source=source,
        client_action=client_action,
    )  # fmt: skip
    sheet.comment = text
    if sheet.status == SheetState.ASSIGNED:
        sheet.status = SheetState.DRAFT
    db.session.flush()


def sheet_values(sheet: ScoreSheet) -> dict[int, float]:
    return {s.criterion_id: s.value for s in sheet.scores}


def seal_sheet(sheet: ScoreSheet, values: dict[int, float]) -> None:
    """Submit a sheet whose marks ({criterion id: mark}) cover its rubric, keeping on it what
    it counts for: S_ij (`scoring.sheet_score`) and its marks, which the ranking and the
    exports read (the rubric is locked once scored: they hold until the sheet is reopened).
    Every way a sheet is submitted goes through here (the jury's page, its tablet, the
    organisers' triage, the paper import)."""
    specs = criterion_specs(sheet_rubric(sheet))
    score = scoring.sheet_score(values, specs)
    if score is None:
        raise JudgingError(_l("Score every criterion before submitting."))
    sheet.status = SheetState.SUBMITTED
    sheet.submitted_at = utcnow()
    sheet.score = score
    sheet.marks = {str(c.id): float(values[c.id]) for c in specs}


def submit_sheet(
    sheet: ScoreSheet, by, source: str = "web", *, client_action: str | None = None
) -> None:
    """Complete the sheet: every criterion must be scored."""
    _check_writable(sheet, by)
    db.session.refresh(sheet, ["scores"])
    seal_sheet(sheet, sheet_values(sheet))  # refuses a sheet with a criterion unscored
    db.session.flush()
    record(
        "sheet", sheet.id, "submit", by=by, event_id=sheet.event_id,
        old={"status": SheetState.DRAFT},
        new={"status": SheetState.SUBMITTED, "idea_id": sheet.idea_id}, source=source,
        client_action=client_action,
    )  # fmt: skip


def reopen_sheet(sheet: ScoreSheet, by, source: str = "web") -> None:
    """An organiser sends a submitted sheet back to its judge (only during judging)."""
    if not sheet.event.is_judging:
        check_unlocked(sheet.event)
        raise JudgingConflict(_l("Scores can only change while the event is in judging."))
    if sheet.status != SheetState.SUBMITTED:
        raise JudgingConflict(_l("This sheet is not submitted."))
    if not is_event_judge(sheet.event, sheet.judge):
        raise JudgingConflict(
            _l("The judge of this sheet is no longer on the jury: it cannot be reopened.")
        )
    sheet.status = SheetState.DRAFT
    sheet.submitted_at = None
    sheet.score = sheet.marks = None  # its marks may change again
    db.session.flush()
    record(
        "sheet", sheet.id, "reopen", by=by, event_id=sheet.event_id,
        old={"status": SheetState.SUBMITTED}, new={"status": SheetState.DRAFT}, source=source,
    )  # fmt: skip


def declare_conflict(sheet: ScoreSheet, reason: str, by, source: str = "web") -> Conflict:
    """The judge declares a conflict of interest: the sheet leaves their list (its marks are
    kept in the audit log only) and, on split panels, another judge takes the idea."""
    if by is None or sheet.judge_id != getattr(by, "id", by):
        raise JudgingForbidden(_l("Only the judge of this sheet can change it."))
    if sheet.event.state not in EventState.OPEN_OR_JUDGING:
        check_unlocked(sheet.event)
        raise JudgingConflict(_l("Scores can only change while the event is in judging."))
    if sheet.status in SheetState.WITHDRAWN:
        raise JudgingForbidden(REMOVED_JUDGE)
    reason = _conflict_reason(reason)
    event = sheet.event
    conflict = Conflict(
        idea_id=sheet.idea_id, judge_id=sheet.judge_id, reason=reason, declared_by_id=by.id
    )
    db.session.add(conflict)
    record(
        "sheet", sheet.id, "conflict", by=by, event_id=event.id,
        old={"status": sheet.status, "scores": {str(k): v for k, v in sheet_values(sheet).items()}},
        new={"idea_id": sheet.idea_id, "reason": reason}, source=source,
    )  # fmt: skip
    db.session.delete(sheet)
    db.session.flush()
    if event.split_panels:
        assign_event(event, by, source=source)
    return conflict


def _conflict_reason(reason) -> str:
    reason = parse_text(CONFLICT_REASON, reason, "reason")
    if len(reason) < 3:
        raise JudgingError(_l("Give the reason for the conflict of interest."), field="reason")
    return reason


def record_conflict(event: Event, judge_id, idea_id, reason: str, by) -> Conflict:
    """An organiser records a judge's conflict of interest on an idea before judging: the idea
    never reaches the judge's list (a sheet not yet started is removed)."""
    if not event.before_judging:
        raise JudgingConflict(
            _l("Organisers record conflicts of interest before judging starts; after that, the "
               "judge declares it from their sheet."),
        )  # fmt: skip
    judge = db.session.scalar(
        select(User)
        .join(JuryMember, JuryMember.user_id == User.id)
        .where(JuryMember.event_id == event.id, User.id == _int_or_none(judge_id))
    )
    if judge is None:
        raise JudgingError(_l("Choose a judge of this event."), field="judge_id")
    idea = _event_idea(event, idea_id)
    if idea is None:
        raise JudgingError(_l("This idea is not part of the event."), field="idea_id")
    reason = _conflict_reason(reason)
    if db.session.scalar(
        select(Conflict.id).where(Conflict.idea_id == idea.id, Conflict.judge_id == judge.id)
    ):
        raise JudgingConflict(_l("This conflict of interest is already recorded."), field="idea_id")
    sheet = db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.idea_id == idea.id, ScoreSheet.judge_id == judge.id)
    )
    if sheet is not None and sheet.status != SheetState.ASSIGNED:
        raise JudgingConflict(
            _l("This judge has already scored this idea: they declare the conflict from their "
               "sheet."),
        )  # fmt: skip
    if sheet is not None:
        db.session.delete(sheet)
    conflict = Conflict(idea_id=idea.id, judge_id=judge.id, reason=reason, declared_by_id=by.id)
    db.session.add(conflict)
    db.session.flush()
    record(
        "conflict", conflict.id, "record", by=by, event_id=event.id,
        new={"idea_id": idea.id, "judge_id": judge.id, "reason": reason},
    )  # fmt: skip
    return conflict


def _event_idea(event: Event, given) -> Idea | None:
    """The event's idea given by its id or by its receipt code (typed by an organiser)."""
    number = _int_or_none(given)
    if number is not None:
        idea = db.session.get(Idea, number)
        return idea if idea is not None and idea.event_id == event.id else None
    code = normalise_receipt_code(str(given or ""))
    return db.session.scalar(
        select(Idea).where(Idea.event_id == event.id, Idea.receipt_code == code)
    )


def _int_or_none(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def event_conflicts(event: Event) -> list[Conflict]:
    """Every conflict of interest of the event, declared by judges or recorded by organisers."""
    query = (
        select(Conflict)
        .join(Idea, Idea.id == Conflict.idea_id)
        .options(
            contains_eager(Conflict.idea),
            joinedload(Conflict.judge),
            joinedload(Conflict.declared_by),
        )
        .where(Idea.event_id == event.id)
        .order_by(Conflict.declared_at, Conflict.id)
    )
    return list(db.session.scalars(query))


# --- Ranking --------------------------------------------------------------------------------------


def criterion_specs(rubric: Rubric | None) -> list[scoring.CriterionSpec]:
    if rubric is None:
        return []
    return [
        scoring.CriterionSpec(c.id, c.weight, c.scale_min, c.scale_max, c.tiebreak_order, c.key)
        for c in rubric.criteria
    ]


def _exclusions(idea_rows, shortlist: set[int] | None = None) -> list[NotRanked | None]:
    """Why each idea row (id, event, code, title, sector, is_calibration, duplicate_of_id,
    eligibility) is left out of the ranking, if it is (`shortlist`: the pitch round's), in one
    pass: an enum member's lookup, idea by idea, cost as much as the rest of the test."""
    calibration, duplicate = NotRanked.CALIBRATION, NotRanked.DUPLICATE
    ineligible, unlisted = NotRanked.INELIGIBLE, NotRanked.NOT_SHORTLISTED
    refused = Eligibility.INELIGIBLE
    return [
        calibration
        if row[5]
        else duplicate
        if row[6] is not None
        else ineligible
        if row[7] == refused
        else unlisted
        if shortlist is not None and row[0] not in shortlist
        else None
        for row in idea_rows
    ]


def _rounds_of(event_ids: list[int], written: bool) -> tuple[dict[int, Round], dict[int, Round]]:
    """In one statement: the started pitch rounds the ranking follows (none when `written`),
    and the rounds whose round 1 is the organisers' triage."""
    found = db.session.scalars(
        select(Round).where(
            Round.event_id.in_(event_ids),
            Round.triage_rubric_id.is_not(None) | Round.started_at.is_not(None),
        )
    ).all()
    pitch = {} if written else {r.event_id: r for r in found if r.is_started}
    return pitch, {r.event_id: r for r in found if r.has_triage}


def rankings_for_events(
    events: list[Event],
    *,
    consistency: bool = False,
    written: bool = False,
    keep: bool = True,
    sheets: Mapping[int, tuple] | None = None,
) -> dict[int, dict]:
    """The ranking of each event. Its sheets are read as they were submitted (S_ij and the
    tie-break marks kept on each, `seal_sheet`), in ONE query for the events whose sheets
    changed since they were last read: each event's sheets are kept (`_SheetCache`) under the
    fingerprint of its submitted sheets, one small query asked when some are kept (`keep=False`:
    what is read is not kept, for a whole-tour export that reads each event once). The ideas are
    read every time; the last rankings made from kept sheets are kept too (`_SheetCache.RANKINGS`)
    and served again while the ideas' rows, the shortlist and the event's method, minimum and
    number of winners are the same (each caller gets its own plain data, `_ranking_data`). The
    judges' consistency figures (Spearman) are computed only when asked.
    An event whose pitch round has started is ranked on it, over its shortlist (the others are
    "not shortlisted"), unless `written` asks for round 1's ranking. `sheets`: {event: (specs,
    sheet columns)} already read by the caller (`judging.results.sheet_table`), used as they
    are when read for the specs this ranking follows (else read again), and never kept."""
    events = list(events)
    if not events:
        return {}
    pitch, triage = _rounds_of([e.id for e in events], written)
    shortlists: dict[int, set[int]] = defaultdict(set)
    if pitch:
        for round_id, idea_id in db.session.execute(
            select(ShortlistEntry.round_id, ShortlistEntry.idea_id).where(
                ShortlistEntry.round_id.in_([r.id for r in pitch.values()])
            )
        ):
            shortlists[next(r.event_id for r in pitch.values() if r.id == round_id)].add(idea_id)
    specs = {
        e.id: criterion_specs(
            pitch[e.id].rubric
            if e.id in pitch
            else triage[e.id].triage_rubric
            if e.id in triage
            else e.rubric
        )
        for e in events
    }
    connection = db.session.connection()  # Core rows: no ORM loading on the hot path
    cache = _SheetCache.of_app()
    given = {
        event_id: columns
        for event_id, (given_specs, columns) in (sheets or {}).items()
        if event_id in specs and tuple(given_specs) == tuple(specs[event_id]) and not written
    }
    kept = [e for e in events if e.id not in given and cache.holds((e.id, written))]
    keys = _sheet_fingerprints(connection, kept, specs, pitch) if kept else {}
    sheets = {
        e.id: given[e.id]
        if e.id in given
        else cache.get((e.id, written), keys[e.id])
        if e.id in keys
        else None
        for e in events
    }
    stale = [e for e in events if sheets[e.id] is None]
    if stale:
        read = _read_sheets(connection, stale, specs, pitch)
        for event in stale:
            # Kept under the key of the rows read (not the key asked before): a sheet submitted
            # between the two statements is then read again next time, never served stale.
            sheets[event.id], key = read[event.id]
            if keep:
                cache.put((event.id, written), key, sheets[event.id])

    result = connection.execute(
        select(
            Idea.id, Idea.event_id, Idea.receipt_code, Idea.title, Idea.sector,
            Idea.is_calibration, Idea.duplicate_of_id, Idea.eligibility,
        )
        .where(Idea.event_id.in_([e.id for e in events]))
        .order_by(Idea.event_id, Idea.id)
    )  # fmt: skip
    idea_rows = result.cursor.fetchall()  # plain tuples (is_calibration 0/1 on SQLite)
    result.close()
    ideas_by_event = defaultdict(list)
    ideas_by_event.update(
        (event_id, list(rows)) for event_id, rows in groupby(idea_rows, key=itemgetter(1))
    )
    rankings = {}
    for e in events:
        shortlist = frozenset(shortlists[e.id]) if e.id in pitch else None
        is_triage = e.id in triage and e.id not in pitch
        # Everything else the ranking is made from: with the kept sheets (the same object) and
        # the same idea rows, it is the ranking made last time.
        inputs = (
            ideas_by_event[e.id], shortlist, is_triage, e.slug, e.effective_ranking_method,
            e.min_judges, e.winners_count,
        )  # fmt: skip
        reuse = keep and e.id not in given
        slot = (e.id, written, consistency)
        made = cache.ranking(slot, sheets[e.id], inputs) if reuse else None
        if made is None:
            made = _rank(e, ideas_by_event[e.id], sheets[e.id], consistency, shortlist, is_triage)
            if reuse:
                cache.keep_ranking(slot, sheets[e.id], inputs, made)
        rankings[e.id] = _ranking_data(made)
    return rankings


def _sheet_fingerprints(
    connection, events: list[Event], specs: dict, pitch: dict
) -> dict[int, tuple]:
    """Each event's key to its submitted sheets of the round ranked (`_round_ranked`), in one grouped query over `score_sheets`
    (index on event_id): their number, the sum, least and greatest of their ids, their latest
    `updated_at`, plus the rubric's specs. A sheet's marks change only while it is open (the
    tap, the sheet page and the paper import refuse a submitted sheet), and a sheet enters or
    leaves the submitted state only with its row written (`updated_at` set: by the ORM's
    onupdate or `_set_status`): any change to what the ranking reads changes the key."""
    result = connection.execute(
        select(
            ScoreSheet.event_id,
            func.count(ScoreSheet.id),
            func.sum(ScoreSheet.id),
            func.min(ScoreSheet.id),
            func.max(ScoreSheet.id),
            func.max(ScoreSheet.updated_at),
        )
        .where(
            ScoreSheet.event_id.in_([e.id for e in events]),
            ScoreSheet.status == SheetState.SUBMITTED,
            _round_ranked(pitch),
            ScoreSheet.score.is_not(None),
        )
        .group_by(ScoreSheet.event_id)
    )
    rows = result.cursor.fetchall()  # the driver's values, as `_read_sheets` sees them
    result.close()
    found = {event_id: tuple(rest) for event_id, *rest in rows}
    return {e.id: (found.get(e.id), tuple(specs[e.id])) for e in events}


def _round_ranked(pitch: dict):
    """The sheets a ranking reads: each event's deciding round, named per event from the rounds
    `_rounds_of` read (`pitch`: the events whose pitch round has started, none when round 1's
    ranking is asked). As `ACTIVE_ROUND`, a subquery beside each sheet, it cost 1 s at ten times
    the tour (252,000 sheets)."""
    if not pitch:
        return ScoreSheet.round_number == 1
    return ScoreSheet.round_number == case(
        *((ScoreSheet.event_id == event_id, r.number) for event_id, r in pitch.items()), else_=1
    )


def deciding_rounds(event_ids) -> ColumnElement:
    """Whether a sheet is of its event's deciding round (the pitch round once started, else
    round 1), as SQL named per event from one read of the rounds: for the long reads of an
    export, where `ACTIVE_ROUND`'s subquery beside each sheet cost 0.2 s at ten times the tour."""
    pitch, _triage = _rounds_of(list(event_ids), written=False)
    return _round_ranked(pitch)


def _read_sheets(connection, events: list[Event], specs: dict, pitch: dict) -> dict[int, tuple]:
    """The events' submitted sheets of the round ranked, in one query over `score_sheets`: each
    sheet's S_ij and its marks on the event's tie-break criteria, as kept when it was submitted
    (`seal_sheet`; reading its score rows instead cost 2 s at ten times the tour, 1.5 M of
    them). Returns {event: (its sheet columns, the fingerprint of the rows read)}."""
    tiebreaks = {e.id: scoring.tiebreak_criteria(specs[e.id]) for e in events}
    width = max((len(order) for order in tiebreaks.values()), default=0)
    selected = [ScoreSheet.event_id, ScoreSheet.idea_id, ScoreSheet.judge_id, ScoreSheet.score]
    selected += [_tiebreak_mark(tiebreaks, k) for k in range(width)]
    query = select(*selected, ScoreSheet.id, ScoreSheet.updated_at).where(
        ScoreSheet.event_id.in_([e.id for e in events]),
        ScoreSheet.status == SheetState.SUBMITTED,
        _round_ranked(pitch),
        ScoreSheet.score.is_not(None),
    )
    # Read in blocks of the driver's plain tuples, each cut by event into float tables
    # (`_event_blocks`): only the tables are kept, never a tuple per sheet (21,000 sheets for an
    # event at ten times the tour).
    result = connection.execute(query)
    # parts: event → its blocks of values (idea, judge, S_ij, tie-break marks…: a row each, a
    # column per sheet), cut once as they come; read: event → its sheets' [count, Σ id, min,
    # max, latest updated_at]
    parts, read = defaultdict(list), defaultdict(list)
    while rows := result.cursor.fetchmany(SHEET_BLOCK):
        for event_id, block, ids, stamps in _event_blocks(rows):
            parts[event_id].append(block)
            _add_to_key(read[event_id], ids, stamps)
    result.close()
    return {
        e.id: (
            _sheet_arrays(parts.get(e.id, ()), 3 + width, len(tiebreaks[e.id])),
            (tuple(read[e.id]) if e.id in read else None, tuple(specs[e.id])),
        )
        for e in events
    }


def _tiebreak_mark(tiebreaks: dict[int, list], k: int) -> ColumnElement:
    """A sheet's mark on its event's k-th tie-break criterion (NULL for an event with fewer):
    the criterion's mark alone when every event names the same one (a tour on one rubric),
    else one CASE branch per criterion named, over the events that name it."""
    events_of = defaultdict(list)  # criterion id → the events whose k-th tie-break it is
    for event_id, order in tiebreaks.items():
        if len(order) > k:
            events_of[order[k].id].append(event_id)
    if len(events_of) == 1 and sum(map(len, events_of.values())) == len(tiebreaks):
        return ScoreSheet.marks[str(next(iter(events_of)))].as_float()
    return case(
        *(
            (ScoreSheet.event_id.in_(event_ids), ScoreSheet.marks[str(criterion_id)].as_float())
            for criterion_id, event_ids in events_of.items()
        ),
        else_=None,
    )


def _event_blocks(rows):
    """A block of sheet rows read (event, idea, judge, S_ij, tie-break marks…, id, updated_at)
    cut by event: (event id, its values as floats: a row each for idea, judge, S_ij and the
    marks, a column per sheet; its sheets' ids; their `updated_at`). Turned column by column
    (C-level: no Python work per row); rows that come mixed (a table written out of order)
    are put in event order first. The ids and `updated_at` stay the driver's values."""
    columns = list(zip(*rows, strict=True))
    event_of, ids, stamps = columns[0], columns[-2], columns[-1]
    block = np.array(columns[1:-2], dtype=np.float64)  # None (no mark) → NaN
    events_in = np.array(event_of)
    if (events_in[1:] < events_in[:-1]).any():
        order = np.argsort(events_in, kind="stable")
        events_in, block = events_in[order], block[:, order]
        positions = order.tolist()
        event_of, ids, stamps = (
            list(map(column.__getitem__, positions)) for column in (event_of, ids, stamps)
        )
    cuts = [0, *(np.flatnonzero(events_in[1:] != events_in[:-1]) + 1).tolist(), len(rows)]
    for start, end in pairwise(cuts):
        yield event_of[start], block[:, start:end], ids[start:end], stamps[start:end]


SHEET_BLOCK = 5000  # sheet rows fetched at a time


def _add_to_key(key: list, ids, stamps) -> None:
    """Adds a block of an event's sheets read (their ids and `updated_at`, as the driver gives
    them) to its fingerprint, as `_sheet_fingerprints` computes it: [number of sheets, sum,
    least and greatest of their ids, latest `updated_at`]."""
    count, total, low, high, latest = len(ids), sum(ids), min(ids), max(ids), max(stamps)
    if not key:
        key.extend((count, total, low, high, latest))
        return
    key[0] += count
    key[1] += total
    key[2] = min(key[2], low)
    key[3] = max(key[3], high)
    key[4] = max(key[4], latest)


class _SheetCache:
    """Each event's sheet columns as last read (a slot per event and round ranked: `(event id,
    written)`), under their fingerprint, in this process (one per app: the key also names the
    database). At most `SIZE` events are kept (about 1 MB each at 3,000 ideas: an export of the
    whole tour keeps none, see `keep`); the oldest read goes first. Beside them, the last
    `RANKINGS` rankings made from kept sheets (`ranking`: about 3 MB each at 3,000 ideas), for
    the pages of the events being judged now, which rank the same event at every load."""

    SIZE = 24
    RANKINGS = 4

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple] = {}
        self._rankings: dict[tuple, tuple] = {}

    @classmethod
    def of_app(cls) -> _SheetCache:
        from flask import current_app

        return current_app.extensions.setdefault("judging.sheet_cache", cls())

    @staticmethod
    def _where(slot: tuple) -> tuple:
        return (str(db.engine.url), *slot)

    def holds(self, slot: tuple) -> bool:
        """Whether sheets are kept in this slot (the fingerprint is asked only then)."""
        with self._lock:
            return self._where(slot) in self._entries

    def get(self, slot: tuple, key: tuple) -> scoring.SheetArrays | None:
        with self._lock:
            found = self._entries.get(self._where(slot))
        return found[1] if found is not None and found[0] == key else None

    def put(self, slot: tuple, key: tuple, sheets: scoring.SheetArrays) -> None:
        for column in (sheets.idea_ids, sheets.judge_ids, sheets.scores, sheets.tiebreaks):
            column.flags.writeable = False  # shared by later calls: never changed in place
        with self._lock:
            self._entries.pop(self._where(slot), None)
            self._entries[self._where(slot)] = (key, sheets)
            while len(self._entries) > self.SIZE:
                del self._entries[next(iter(self._entries))]

    def ranking(self, slot: tuple, sheets, inputs: tuple) -> tuple | None:
        """The ranking made (`_rank`) from these kept sheets (this very object, so the same
        rows) and these other `inputs` (the event's idea rows, shortlist, method…), if kept;
        `slot`: the sheets' slot and whether the consistency figures were made."""
        where = self._where(slot)
        with self._lock:
            found = self._rankings.get(where)
            if found is None or found[0] is not sheets or found[1] != inputs:
                return None
            self._rankings[where] = self._rankings.pop(where)  # the last used goes last
        return found[2]

    def keep_ranking(self, slot: tuple, sheets, inputs: tuple, ranking: tuple) -> None:
        where = self._where(slot)
        with self._lock:
            self._rankings.pop(where, None)
            self._rankings[where] = (sheets, inputs, ranking)
            while len(self._rankings) > self.RANKINGS:
                del self._rankings[next(iter(self._rankings))]


def _sheet_arrays(blocks, width: int, tiebreaks: int) -> scoring.SheetArrays:
    """An event's blocks of values read (a row each for idea, judge, S_ij, then its marks on
    the tie-break criteria in order; a column per sheet) as columns for the ranking, each its
    own array (kept: no view that would hold the values read)."""
    table = np.concatenate(blocks, axis=1) if blocks else np.empty((width, 0))
    return scoring.SheetArrays(
        idea_ids=table[0].astype(np.int64),
        judge_ids=table[1].astype(np.int64),
        scores=table[2].copy(),
        tiebreaks=table[3 : 3 + tiebreaks].T.copy(),
    )


def event_ranking(event: Event, *, consistency: bool = False, written: bool = False) -> dict:
    """The event's ranking (both methods) as plain data; see `_ranking_data` for its shape.
    `consistency`: also each judge's Spearman figure (only the progress page shows them);
    `written`: round 1's ranking of an event whose pitch round has started."""
    return rankings_for_events([event], consistency=consistency, written=written)[event.id]


def _rank(
    event: Event, idea_rows, sheets, consistency: bool = True, shortlist=None, triage=False
) -> tuple:
    """The event's ranking as made, kept as it is (`_SheetCache.keep_ranking`) and never
    changed: (the event's figures, its idea rows in ranking order, the ranked columns, the
    judges' figures); `_ranking_data` makes the plain data each caller gets from it.
    `triage`: round 1 scored by the organisers' triage, where one sheet ranks an idea (a
    triage is often one or two organisers' work, the jury's minimum is not theirs)."""
    method = event.effective_ranking_method
    min_judges = 1 if triage else event.min_judges
    columns, judge_stats = scoring.rank_columns(
        list(map(itemgetter(0), idea_rows)),
        _exclusions(idea_rows, shortlist),
        sheets,
        method=method,
        min_judges=min_judges,
        consistency=consistency,
    )
    head = {
        "event_id": event.id,
        "slug": event.slug,
        "method": method,
        "min_judges": min_judges,
        "winners_count": event.winners_count,
        "round": 2 if shortlist is not None else 1,
        "triage": triage,
    }
    return head, list(map(idea_rows.__getitem__, columns.position)), columns, judge_stats


def _ranking_data(made: tuple) -> dict:
    """A ranking as plain data, new for each caller (the deliberation marks its rows, the
    calibration its judges): the event's figures, "ideas" (one dict per idea, ranked ideas by
    rank) and "judges" (one dict per judge)."""
    head, idea_rows, columns, judge_stats = made
    ideas = [
        {
            "idea_id": idea_id,
            "receipt_code": row[2],
            "title": row[3],
            "sector": row[4],
            "judges": judges,
            "raw": raw,
            "mean_z": mean_z,
            "score_100": score_100,
            "rank": rank,
            "rank_raw": rank_raw,
            "rank_normalised": rank_normalised,
            "ranked": ranked,
            "reason": reason,
        }
        for row, (
            idea_id, judges, raw, mean_z, score_100, _tiebreaks, rank, rank_raw, rank_normalised,
            ranked, reason,
        ) in zip(idea_rows, columns.rows(), strict=True)
    ]  # fmt: skip
    judges = [
        {
            "judge_id": s.judge_id,
            "sheets": s.sheets,
            "mean": s.mean,
            "sd": s.sd,
            "compared": s.compared,
            "spearman": s.spearman,
            "flagged": s.flagged,
        }
        for s in judge_stats
    ]
    return {**head, "ideas": ideas, "judges": judges}


# --- Progress -------------------------------------------------------------------------------------


def progress_matrix(event: Event, page: int = 1) -> dict:
    """Ideas × judges with each cell's state (None, assigned, draft, submitted, conflict), for
    one page of ideas (`ideas` is a `paging.Page`); each judge's figures count every idea."""
    judges = list(
        db.session.scalars(
            select(User)
            .join(JuryMember, JuryMember.user_id == User.id)
            .where(JuryMember.event_id == event.id)
            .order_by(User.name)
        )
    )
    ideas = paginate(
        db.session,
        select(Idea).where(Idea.event_id == event.id).order_by(Idea.is_calibration.desc(), Idea.id),
        page,
    )
    shown = [idea.id for idea in ideas.items]
    cells: dict[tuple[int, int], str] = {}
    for idea_id, judge_id, status in db.session.execute(
        select(ScoreSheet.idea_id, ScoreSheet.judge_id, ScoreSheet.status).where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.idea_id.in_(shown),
            ScoreSheet.round_number == ACTIVE_ROUND,
        )
    ):
        cells[(idea_id, judge_id)] = status
    for idea_id, judge_id in db.session.execute(
        select(Conflict.idea_id, Conflict.judge_id).where(Conflict.idea_id.in_(shown))
    ):
        cells[(idea_id, judge_id)] = SheetState.CONFLICT
    # Each judge's sheets by state, in the round judged now and in every round: one read of
    # the event's sheets (21,000 at ten times the tour) for the seated and the removed judges.
    in_round: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    removed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seated = {judge.id for judge in judges}
    now = func.sum(case((ScoreSheet.round_number == ACTIVE_ROUND, 1), else_=0))
    for judge_id, status, n, n_now in db.session.execute(
        select(ScoreSheet.judge_id, ScoreSheet.status, func.count(ScoreSheet.id), now)
        .where(ScoreSheet.event_id == event.id)
        .group_by(ScoreSheet.judge_id, ScoreSheet.status)
    ):
        in_round[judge_id][status] += n_now
        if judge_id not in seated:
            removed[judge_id][status] += n
    per_judge = {}
    for judge in judges:
        assigned = sum(in_round[judge.id][state] for state in SheetState.LIVE)
        done = in_round[judge.id][SheetState.SUBMITTED]
        per_judge[judge.id] = {"assigned": assigned, "submitted": done, "behind": done < assigned}
    return {
        "judges": judges,
        "ideas": ideas,
        "cells": cells,
        "per_judge": per_judge,
        "removed": removed_judges(event, removed),
    }


def removed_judges(event: Event, counts: dict[int, dict[str, int]]) -> list[dict]:
    """Judges taken off the jury who left sheets behind (`counts`: their sheets of every round
    by state): what became of their sheets (kept, voided, set aside) and the removal's audit
    entry (when, by whom, the organiser's choice)."""
    from audit.services import entries_for_event

    if not counts:
        return []
    removals = {}
    for entry in entries_for_event(event.id, entity="jury", actions=("remove",)):
        removals.setdefault(entry.entity_id, entry)  # newest first: the last removal
    wanted = set(counts) | {e.user_id for e in removals.values() if e.user_id}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    users = [people[judge_id] for judge_id in counts if judge_id in people]
    rows = []
    for user in sorted(users, key=lambda u: u.name):
        entry = removals.get(user.id)
        rows.append(
            {
                "user": user,
                "kept": counts[user.id][SheetState.SUBMITTED],
                "voided": counts[user.id][SheetState.VOID],
                "set_aside": counts[user.id][SheetState.SET_ASIDE],
                "choice": (entry.new or {}).get("submitted") if entry else None,
                "at": entry.at if entry else None,
                "by": people[entry.user_id].name if entry and entry.user_id in people else None,
            }
        )
    return rows


def judging_progress(event_ids: list[int]) -> dict[int, dict]:
    """Share of assigned sheets submitted per event, in % (the tour dashboard's figure)."""
    rows = db.session.execute(
        select(
            ScoreSheet.event_id,
            func.count(ScoreSheet.id),
            func.sum(case((ScoreSheet.status == SheetState.SUBMITTED, 1), else_=0)),
        )
        .where(
            ScoreSheet.event_id.in_(list(event_ids)),
            ScoreSheet.status.in_(SheetState.LIVE),
        )
        .group_by(ScoreSheet.event_id)
    ).all()
    return {
        eid: {"judging_progress": round(100 * (done or 0) / total) if total else 0}
        for eid, total, done in rows
    }


def remind_judges(event: Event) -> list[User]:
    """Queue a reminder e-mail (one a day at most) to each judge behind on their sheets, from
    one reading of the progress matrix; returns those judges."""
    from jobs.outbox import external_url, queue_email

    matrix = progress_matrix(event)
    behind = [j for j in matrix["judges"] if matrix["per_judge"][j.id]["behind"]]
    today = utcnow().date().isoformat()
    for judge in behind:
        figures = matrix["per_judge"][judge.id]
        queue_email(
            kind="jury_reminder",
            to=judge.email,
            locale=judge.locale or "fr",
            template="jury_reminder",
            context={
                "user": judge,
                "event": event,
                "login_url": external_url("judging.my_events"),
                "done": figures["submitted"],
                "total": figures["assigned"],
            },
            dedupe_key=f"jury-reminder:{event.id}:{judge.id}:{today}",
            event_id=event.id,
        )
    return behind


# --- A judge leaves (or rejoins) the jury --------------------------------------------------------


def judge_sheet_counts(event: Event, user) -> dict:
    """The judge's sheets to score or in progress (`open`) and submitted: the removal asks."""
    rows = db.session.execute(
        select(ScoreSheet.status, func.count(ScoreSheet.id))
        .where(ScoreSheet.event_id == event.id, ScoreSheet.judge_id == user.id, ~TRIAGE_SHEET)
        .group_by(ScoreSheet.status)
    ).all()
    counts = dict(rows)
    return {
        "open": sum(counts.get(s, 0) for s in SheetState.UNSUBMITTED),
        "submitted": counts.get(SheetState.SUBMITTED, 0),
    }


def _sheet_ids(event: Event, user, statuses) -> list[int]:
    query = select(ScoreSheet.id).where(
        ScoreSheet.event_id == event.id,
        ScoreSheet.judge_id == user.id,
        ScoreSheet.status.in_(statuses),
        ~TRIAGE_SHEET,  # an organiser's triage sheets are not the jury's
    )
    return sorted(db.session.scalars(query))


def _set_status(ids: list[int], new: str) -> None:
    if ids:
        db.session.execute(
            update(ScoreSheet).where(ScoreSheet.id.in_(ids)).values(status=new, updated_at=utcnow())
        )


def on_jury_member_removed(event: Event, *, user, submitted: str, **_extra) -> dict:
    """A removed judge's sheets: those to score or in progress are set aside, the submitted ones
    kept or voided as the organiser chose. The ids go into the removal's audit entry."""
    void = submitted == RemovalChoice.VOID
    open_ids = _sheet_ids(event, user, SheetState.UNSUBMITTED)
    submitted_ids = _sheet_ids(event, user, (SheetState.SUBMITTED,))
    _set_status(open_ids, SheetState.SET_ASIDE)
    if void:
        _set_status(submitted_ids, SheetState.VOID)
    db.session.flush()
    return {
        "set_aside": open_ids,
        "voided": submitted_ids if void else [],
        "kept": [] if void else submitted_ids,
    }


def on_jury_member_seated(event: Event, *, user, **_extra) -> None:
    """A judge put back on the jury gets back the sheets set aside when they left (with their
    marks: in progress; without: to score). Voided sheets stay void."""
    has_marks = exists().where(Score.sheet_id == ScoreSheet.id)
    db.session.execute(
        update(ScoreSheet)
        .where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.judge_id == user.id,
            ScoreSheet.status == SheetState.SET_ASIDE,
        )
        .values(
            status=case((has_marks, SheetState.DRAFT), else_=SheetState.ASSIGNED),
            updated_at=utcnow(),
        )
    )


def calibration_from_triage(event: Event, idea: Idea | None, by) -> None:
    """The calibration rule as the ideas' triage page applies it: its refusals as TriageError."""
    try:
        set_calibration(event, idea, by)
    except JudgingError as error:
        refusal = ChangeRefused if isinstance(error, refusals.Conflict) else TriageError
        raise refusal(error.message) from error
