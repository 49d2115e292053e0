"""A jury tap (one mark autosaved) in two statements after the session's user: check-and-audit,
then the mark.

Why (issue 21, docs/performance.md 2026-11-30): a tap is the hottest write of judging day, a
hundred judges about once a second each. Through the ORM it took 8 statements (the sheet with
its event, its status locked, the criterion with its rubric, the old mark, the sheet's update,
the mark, the audit entry), and with the other core busy its p95 reached 1.4–1.8 s on
PostgreSQL. Here:

1. `INSERT INTO audit_entries … SELECT … FROM score_sheets JOIN events … JOIN criteria …
   WHERE <every rule> [FOR UPDATE OF score_sheets] RETURNING id`: the entry (old mark → new
   mark) is written only when the sheet is this judge's, the judge is still seated, the sheet
   is open (assigned or in progress), the event is judging, the criterion belongs to the
   event's locked rubric and the mark is on its scale; on PostgreSQL the sheet's row is locked,
   so a submit or a removal waits for the tap, as before;
2. `INSERT INTO scores … ON CONFLICT (sheet_id, criterion_id) DO UPDATE`: the mark, last write
   wins by the time of the tap (a tap queued offline may arrive after a newer one).

A tap from a tablet's queue (`judging.offline`, issue 19) carries its action id and tap time,
and statement 1 holds two more rules: no mark of that criterion tapped later (an older tap
replayed never replaces a newer one), and no entry of this judge with this action id (`ON
CONFLICT … DO NOTHING` on the unique index of `audit_entries`: a replayed tap writes nothing).
Either way statement 1 writes nothing and the ORM path (`judging.offline.apply`) tells a
replay, a late tap or a refusal apart; the fast path stays at three round trips.

The sheet's "assigned → in progress" is kept by the database: a trigger on the first mark of a
sheet (migration `tap`). When statement 1 writes nothing, the tap takes the ORM path
(`services.record_score`), which finds and states the reason (404, 403, 409, a mark off the
scale) or does what this path leaves to it: the first mark of an unlocked rubric locks it.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import Float, and_, bindparam, cast, exists, func, literal_column, null, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from audit.models import AuditEntry
from competitions.models import Competition, Criterion, Event, JuryMember, Rubric
from competitions.states import EventState
from extensions import db, utcnow
from judging.models import Round, Score, ScoreSheet
from judging.services import ACTIVE_ROUND, TRIAGE_SHEET
from judging.states import SheetState

_STATEMENTS: dict[str, tuple] = {}  # dialect name → (check-and-audit, mark), built once


def _json(dialect: str, *pairs):
    """A JSON object built by the database from (key, SQL expression) pairs."""
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    arguments = []
    for key, value in pairs:
        arguments += [literal_column(f"'{key}'"), value]
    return build(*arguments)


def _round_rubric():
    """The pitch round's own rubric, for a sheet of that round (else NULL: the event's)."""
    return (
        select(Round.rubric_id)
        .where(Round.event_id == ScoreSheet.event_id, Round.number == ScoreSheet.round_number)
        .correlate(ScoreSheet)
        .scalar_subquery()
    )


def _statements(dialect: str) -> tuple:
    if dialect in _STATEMENTS:
        return _STATEMENTS[dialect]
    value = cast(bindparam("value", type_=Float), Float)
    old = (
        select(Score.value)
        .where(Score.sheet_id == ScoreSheet.id, Score.criterion_id == Criterion.id)
        .scalar_subquery()
    )
    seated = exists().where(
        JuryMember.event_id == ScoreSheet.event_id, JuryMember.user_id == ScoreSheet.judge_id
    )
    newer = exists().where(
        Score.sheet_id == ScoreSheet.id,
        Score.criterion_id == Criterion.id,
        func.coalesce(Score.tapped_at, Score.updated_at)
        > bindparam("tapped_at", type_=Score.tapped_at.type),
    )
    on_scale = and_(
        value >= Criterion.scale_min,
        value <= Criterion.scale_max,
        or_(
            func.round(value) == value,
            and_(Criterion.half_points, func.round(value * 2) == value * 2),
        ),
    )
    entry = (
        select(
            bindparam("at", type_=AuditEntry.at.type),
            ScoreSheet.judge_id,
            ScoreSheet.event_id,
            literal_column("'score'"),
            ScoreSheet.id,
            literal_column("'score'"),
            _json(dialect, ("criterion", Criterion.key), ("value", old)),
            _json(
                dialect,
                ("criterion", Criterion.key),
                ("value", value),
                ("idea_id", ScoreSheet.idea_id),
            ),
            null(),
            bindparam("source", type_=AuditEntry.source.type),
            bindparam("client_action", type_=AuditEntry.client_action.type),
        )
        .select_from(ScoreSheet)
        .join(Event, Event.id == ScoreSheet.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .join(
            Criterion,
            and_(
                Criterion.id == bindparam("criterion_id"),
                Criterion.rubric_id
                == func.coalesce(_round_rubric(), Event.rubric_id, Competition.rubric_id),
            ),
        )
        .join(Rubric, Rubric.id == Criterion.rubric_id)
        .where(
            ScoreSheet.id == bindparam("sheet_id"),
            ScoreSheet.judge_id == bindparam("user_id"),
            ScoreSheet.status.in_(SheetState.UNSUBMITTED),
            Event.state == EventState.JUDGING,
            ScoreSheet.round_number == ACTIVE_ROUND,
            Rubric.locked_at.is_not(None),
            on_scale,
            seated,
            ~TRIAGE_SHEET,  # an organiser's triage sheet is never scored on a jury tablet
            ~newer,
        )
        .with_for_update(of=ScoreSheet)
    )
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = ["at", "user_id", "event_id", "entity", "entity_id", "action", "old", "new"]
    check_and_audit = (
        insert(AuditEntry.__table__)
        .from_select([*columns, "note", "source", "client_action"], entry)
        .on_conflict_do_nothing(
            index_elements=["user_id", "client_action"],
            index_where=AuditEntry.client_action.is_not(None),
        )
        .returning(AuditEntry.id)
    )
    mark = insert(Score.__table__).values(
        sheet_id=bindparam("sheet_id"),
        criterion_id=bindparam("criterion_id"),
        value=bindparam("value", type_=Float),
        updated_at=bindparam("at", type_=Score.updated_at.type),
        tapped_at=bindparam("tapped_at", type_=Score.tapped_at.type),
    )
    stored = Score.__table__.c
    mark = mark.on_conflict_do_update(
        index_elements=["sheet_id", "criterion_id"],
        set_={
            "value": mark.excluded.value,
            "updated_at": mark.excluded.updated_at,
            "tapped_at": mark.excluded.tapped_at,
        },
        where=func.coalesce(stored.tapped_at, stored.updated_at) <= mark.excluded.tapped_at,
    )
    _STATEMENTS[dialect] = (check_and_audit, mark)
    return _STATEMENTS[dialect]


def _number(raw) -> float | None:
    """The mark as a finite number ("3,5" included), or None (the ORM path words the refusal)."""
    if isinstance(raw, bool):
        return None
    try:
        number = float(str(raw).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _criterion_id(raw) -> int | None:
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or str(int(text)) != text or int(text) >= 2**31:
        return None
    return int(text)


def record_tap(
    sheet_id: int,
    user,
    criterion_raw,
    value_raw,
    source: str,
    *,
    client_action: str | None = None,
    tapped_at: datetime | None = None,
) -> bool:
    """Save one mark the fast way; False when a rule refuses it, it was applied already (the
    same `client_action`), a later tap holds the criterion, or it needs the ORM path (the
    caller then takes it: nothing was written). The caller commits."""
    criterion_id, value = _criterion_id(criterion_raw), _number(value_raw)
    if criterion_id is None or value is None:
        return False
    connection = db.session.connection()
    check_and_audit, mark = _statements(connection.dialect.name)
    now = utcnow()
    parameters = {
        "sheet_id": sheet_id,
        "user_id": user.id,
        "criterion_id": criterion_id,
        "value": value,
        "at": now,
        "tapped_at": tapped_at or now,
        "source": source,
        "client_action": client_action,
    }
    if connection.execute(check_and_audit, parameters).first() is None:
        return False
    connection.execute(mark, parameters)
    return True
