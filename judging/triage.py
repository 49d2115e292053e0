"""Round 1 by the organisers' triage: when the pitch round says so (`Round.triage_rubric_id`),
the organisers and the region's coordinators (those who MANAGE the event), not the jury, score
the written ideas on the triage's rubric. Their sheets are round 1's `ScoreSheet`s (the judge is
the organiser: one sheet per organiser and idea, made on the first save), scored and submitted
by the jury's own services (`record_score`, `submit_sheet`), ranked by `event_ranking(event,
written=True)`; the shortlist is taken from that ranking as for a jury's round 1. The jury never
holds nor sees a triage sheet (`judging.services.TRIAGE_SHEET`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.permissions import can
from accounts.states import Permission
from audit.services import record
from competitions.models import Event
from extensions import db
from judging.models import Round, ScoreSheet
from judging.services import (
    JudgingConflict,
    JudgingForbidden,
    JudgingNotFound,
    check_unlocked,
    pitch_round,
    record_score,
    save_comment,
    sheet_values,
    submit_sheet,
)
from judging.states import SheetState
from paging import Page, paginate
from submissions.models import Idea
from submissions.states import Eligibility

NOT_TRIAGE = _l("The jury scores this event's written ideas: there is no triage to do.")


def triage_round(event: Event) -> Round | None:
    """The event's pitch round when its round 1 is the organisers' triage."""
    found = pitch_round(event)
    return found if found is not None and found.has_triage else None


def may_triage(event: Event, user) -> bool:
    """Whether `user` scores this event's triage (those who manage the event)."""
    return triage_round(event) is not None and can(user, Permission.MANAGE, event)


def _triaged_ideas(event: Event):
    return select(Idea).where(
        Idea.event_id == event.id,
        Idea.eligibility != Eligibility.INELIGIBLE,
        Idea.duplicate_of_id.is_(None),
        Idea.is_calibration.is_(False),
    )


def triage_list(event: Event, user, page: int = 1) -> tuple[Page, dict[int, ScoreSheet]]:
    """A page of the ideas to triage, and this organiser's sheets of them by idea."""
    ideas = paginate(db.session, _triaged_ideas(event).order_by(Idea.id), page)
    sheets = {
        s.idea_id: s
        for s in db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.event_id == event.id,
                ScoreSheet.judge_id == user.id,
                ScoreSheet.round_number == 1,
                ScoreSheet.idea_id.in_([i.id for i in ideas.items]),
            )
        )
    }
    return ideas, sheets


def triage_idea(event: Event, idea_id: int) -> Idea:
    """An idea of this event that the triage scores (else 404)."""
    idea = db.session.scalar(_triaged_ideas(event).where(Idea.id == idea_id))
    if idea is None:
        raise JudgingNotFound(_l("This idea is not in the triage."))
    return idea


def own_sheet(event: Event, idea: Idea, user) -> ScoreSheet | None:
    """This organiser's triage sheet of the idea, if it has one."""
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.idea_id == idea.id,
            ScoreSheet.judge_id == user.id,
            ScoreSheet.round_number == 1,
        )
    )


def _same(kept: float | None, text: str) -> bool:
    try:
        return kept is not None and float(text.replace(",", ".")) == kept
    except ValueError:
        return False


def _open_triage(event: Event, by) -> None:
    found = triage_round(event)
    if found is None:
        raise JudgingConflict(NOT_TRIAGE)
    if not can(by, Permission.MANAGE, event):
        raise JudgingForbidden(_l("Only the event's organisers score its triage."))
    check_unlocked(event)
    if not event.is_judging:
        raise JudgingConflict(_l("The triage is scored while the event is in judging."))
    if found.is_started:
        raise JudgingConflict(_l("This round is over: its scores can no longer change."))


def save_triage_sheet(
    event: Event, idea: Idea, marks: dict[int, str], comment: str | None, submit: bool, by
) -> ScoreSheet:
    """Save an organiser's triage marks of one idea (criterion id → typed mark; blanks skipped)
    and comment, on their sheet (made on the first save), and submit it when asked (every
    criterion scored). Each mark is the jury's `record_score`: audited, checked on the scale."""
    _open_triage(event, by)
    sheet = own_sheet(event, idea, by)
    if sheet is None:
        sheet = ScoreSheet(
            event_id=event.id,
            idea_id=idea.id,
            judge_id=by.id,
            status=SheetState.ASSIGNED,
            round_number=1,
        )
        db.session.add(sheet)
        db.session.flush()
        record("sheet", sheet.id, "triage_sheet", by=by, event_id=event.id,
               new={"idea_id": idea.id})  # fmt: skip
    kept = sheet_values(sheet)
    for criterion_id, value in marks.items():
        text = str(value).strip()
        if text and _same(kept.get(criterion_id), text):
            continue  # the form sends every mark again: only a changed one is recorded
        if text:
            record_score(sheet, criterion_id, text, by)
    if comment is not None:
        save_comment(sheet, comment, by)
    if submit:
        submit_sheet(sheet, by)
    return sheet
