"""Rounds: an event's pitch round after the written one. Round 1 alone behaves as before; the
shortlist comes from round 1's ranking (top N, or picks with a reason); the pitch sheets go to
every judge on the same tablets; the event's ranking becomes the pitch round's."""

import random

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.defaults import build_default_rubric
from competitions.errors import TransitionError
from competitions.services import transition
from competitions.states import EventState
from extensions import db
from judging import rounds, services
from judging.models import ScoreSheet
from judging.services import JudgingConflict, JudgingError
from judging.states import NotRanked, SheetState, StageAction, StagePhase
from tests.judging.conftest import build_judging, fill

SETTINGS = {"shortlist_size": "2", "pitch_minutes": "5", "questions_minutes": "3"}


def _sheet(idea, judge, round_number=1) -> ScoreSheet:
    return db.session.scalars(
        select(ScoreSheet).filter_by(idea_id=idea.id, judge_id=judge.id, round_number=round_number)
    ).one()


def _written(event, ideas, judges, marks=(5, 4, 3, 2)):
    """Round 1 scored: idea k gets marks[k] from every judge (idea 0 first)."""
    for idea, mark in zip(ideas, marks, strict=False):
        for judge in judges:
            fill(_sheet(idea, judge), mark)


def _pitch_event(n_ideas=4, **settings):
    event, ideas, judges = build_judging(n_ideas=n_ideas, n_judges=2)
    pitch_rubric = build_default_rubric()
    db.session.add(pitch_rubric)
    db.session.flush()
    rounds.save_pitch_round(
        event, {**SETTINGS, "rubric_id": str(pitch_rubric.id), **settings}, judges[0]
    )
    _written(event, ideas, judges)
    db.session.commit()
    return event, ideas, judges, pitch_rubric


def test_an_event_without_rounds_ranks_as_before(app):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    _written(event, ideas, judges, marks=(3, 5, 4))
    ranking = services.event_ranking(event)
    assert ranking["round"] == 1
    assert [r["idea_id"] for r in sorted(ranking["ideas"], key=lambda r: r["rank"])] == [
        ideas[1].id, ideas[2].id, ideas[0].id,
    ]  # fmt: skip
    assert services.active_round(event) == 1
    assert rounds.written_ranking(event)["ideas"] == ranking["ideas"]


def test_the_pitch_round_starts_on_round_one_top_n_and_deals_every_judge_every_team(app):
    event, ideas, judges, pitch_rubric = _pitch_event()
    assert rounds.proposed_shortlist(event, 2) == [ideas[0].id, ideas[1].id]
    rounds.start_pitch_round(event, None, None, judges[0])
    db.session.commit()
    entries = rounds.shortlist(event)
    assert [(e.idea_id, e.written_rank) for e in entries] == [(ideas[0].id, 1), (ideas[1].id, 2)]
    assert services.active_round(event) == 2
    pitch = db.session.scalars(select(ScoreSheet).filter_by(round_number=2)).all()
    assert sorted((s.idea_id, s.judge_id) for s in pitch) == sorted(
        (i.id, j.id) for i in ideas[:2] for j in judges
    )
    # the judges' lists show the pitch round's sheets only, with its rubric
    listed = services.judge_sheets(event, judges[0]).items
    assert {s.round_number for s in listed} == {2}
    assert services.sheet_rubric(listed[0]).id == pitch_rubric.id
    assert db.session.scalar(
        select(AuditEntry.id).filter_by(action="start_pitch_round", entity_id=event.id)
    )


def test_the_final_ranking_is_the_pitch_rounds_and_round_one_stays_readable(app):
    event, ideas, judges, _ = _pitch_event()
    rounds.start_pitch_round(event, None, None, judges[0])
    db.session.commit()
    for judge in judges:  # the pitch turns the order round
        fill(_sheet(ideas[0], judge, 2), 2)
        fill(_sheet(ideas[1], judge, 2), 5)
    ranking = services.event_ranking(event)
    assert ranking["round"] == 2
    by_idea = {r["idea_id"]: r for r in ranking["ideas"]}
    assert by_idea[ideas[1].id]["rank"] == 1 and by_idea[ideas[0].id]["rank"] == 2
    assert by_idea[ideas[2].id]["reason"] == NotRanked.NOT_SHORTLISTED
    written = {r["idea_id"]: r for r in rounds.written_ranking(event)["ideas"]}
    assert written[ideas[0].id]["rank"] == 1  # round 1 as it was
    transition(event, EventState.DELIBERATION, judges[0])  # judging closes on the pitch round


def test_round_one_sheets_are_closed_once_the_pitch_round_starts(app):
    event, ideas, judges, _ = _pitch_event()
    sheet = _sheet(ideas[3], judges[0])
    rounds.start_pitch_round(event, None, None, judges[0])
    db.session.commit()
    services.reopen_sheet(sheet, judges[0])  # an organiser could reopen it: it still can't change
    with pytest.raises(JudgingConflict):
        services.record_score(sheet, services.sheet_rubric(sheet).criteria[0].id, 3, judges[0])


def test_a_pick_outside_the_top_n_needs_a_reason_and_is_kept(app):
    event, ideas, judges, _ = _pitch_event()
    with pytest.raises(JudgingError) as refused:
        rounds.start_pitch_round(event, [ideas[0].id, ideas[3].id], "", judges[0])
    assert refused.value.field == "reason"
    rounds.start_pitch_round(event, [ideas[3].id, ideas[0].id], "Coup de cœur du jury", judges[0])
    entries = rounds.shortlist(event)
    assert [e.idea_id for e in entries] == [ideas[0].id, ideas[3].id]  # round 1's order
    assert entries[1].reason == "Coup de cœur du jury" and entries[0].reason is None


def test_the_shortlist_refuses_ideas_of_another_event_and_a_second_start(app):
    event, ideas, judges, _ = _pitch_event()
    with pytest.raises(JudgingError):
        rounds.start_pitch_round(event, [10**6], "x", judges[0])
    rounds.start_pitch_round(event, None, None, judges[0])
    with pytest.raises(JudgingConflict):
        rounds.start_pitch_round(event, None, None, judges[0])
    with pytest.raises(JudgingConflict):
        rounds.save_pitch_round(event, SETTINGS, judges[0])
    with pytest.raises(JudgingConflict):
        rounds.remove_pitch_round(event, judges[0])


def test_judging_does_not_close_before_the_pitch_round_starts(app):
    event, _ideas, judges, _ = _pitch_event()
    with pytest.raises(TransitionError):
        transition(event, EventState.DELIBERATION, judges[0])


def test_round_settings_are_checked(app):
    event, _ideas, judges = build_judging()
    with pytest.raises(JudgingError) as refused:
        rounds.save_pitch_round(
            event,
            {
                "shortlist_size": "0",
                "pitch_minutes": "x",
                "questions_minutes": "",
                "rubric_id": "9",
            },
            judges[0],
        )
    assert set(refused.value.errors) == {
        "shortlist_size", "pitch_minutes", "questions_minutes", "rubric_id",
    }  # fmt: skip
    found = rounds.save_pitch_round(event, SETTINGS, judges[0])
    assert (found.pitch_seconds, found.questions_seconds, found.rubric.id) == (
        300, 180, event.rubric.id,
    )  # fmt: skip
    rounds.remove_pitch_round(event, judges[0])
    assert services.pitch_round(event) is None


def test_running_order_moves_draws_and_orders(app):
    event, ideas, judges, _ = _pitch_event(shortlist_size="3")
    rounds.start_pitch_round(event, None, None, judges[0])
    order = lambda: [e.idea_id for e in rounds.shortlist(event)]  # noqa: E731
    rounds.move_team(event, ideas[2].id, -1, judges[0])
    assert order() == [ideas[0].id, ideas[2].id, ideas[1].id]
    rounds.move_team(event, ideas[0].id, -1, judges[0])  # already first: nothing moves
    assert order() == [ideas[0].id, ideas[2].id, ideas[1].id]
    rounds.set_running_order(event, [ideas[1].id, ideas[0].id, ideas[2].id], judges[0])
    assert order() == [ideas[1].id, ideas[0].id, ideas[2].id]
    with pytest.raises(JudgingError):
        rounds.set_running_order(event, [ideas[1].id, ideas[1].id, ideas[2].id], judges[0])
    rounds.draw_lots(event, judges[0], rng=random.Random(3))
    assert sorted(order()) == sorted(i.id for i in ideas[:3])
    assert db.session.scalar(
        select(AuditEntry.id).filter_by(action="running_order", entity_id=event.id)
    )


def test_the_stage_runs_through_the_teams_with_pauses(app):
    event, ideas, judges, _ = _pitch_event()
    rounds.start_pitch_round(event, None, None, judges[0])
    state = rounds.stage_state(event)
    assert state["phase"] == StagePhase.WAITING and state["up_next"]["idea_id"] == ideas[0].id
    rounds.stage_action(event, StageAction.START, judges[0])
    state = rounds.stage_state(event)
    assert (
        state["on_stage"]["idea_id"] == ideas[0].id and state["up_next"]["idea_id"] == ideas[1].id
    )
    assert 295 <= state["seconds_left"] <= 300
    rounds.stage_action(event, StageAction.PAUSE, judges[0])
    assert rounds.stage_state(event)["paused"]
    rounds.stage_action(event, StageAction.RESUME, judges[0])
    rounds.stage_action(event, StageAction.QUESTIONS, judges[0])
    assert rounds.stage_state(event)["seconds_total"] == 180
    assert rounds.now_pitching(event).id == ideas[0].id
    rounds.stage_action(event, StageAction.NEXT, judges[0])
    rounds.stage_action(event, StageAction.NEXT, judges[0])
    assert rounds.stage_state(event)["phase"] == StagePhase.DONE
    assert rounds.now_pitching(event) is None
    with pytest.raises(JudgingError):
        rounds.stage_action(event, "explode", judges[0])
    with pytest.raises(JudgingError):
        rounds.stage_action(event, StageAction.RESET, judges[0], language="de")
    rounds.stage_action(event, StageAction.RESET, judges[0], language="ar")
    assert rounds.stage_state(event)["language"] == "ar"


def test_stage_panels_from_higher_floors_reach_the_screen(app):
    event, _ideas, judges, _ = _pitch_event()
    rounds.start_pitch_round(event, None, None, judges[0])

    def vote_panel(event, found, language):
        return {"key": "vote", "title": "Vote", "lines": [language]}

    rounds.add_stage_panel(vote_panel)
    try:
        assert rounds.stage_state(event)["panels"] == [
            {"key": "vote", "title": "Vote", "lines": ["fr"]}
        ]
    finally:
        rounds._PANELS.remove(vote_panel)


def test_sheet_states_count_the_pitch_round_in_progress(app):
    event, ideas, judges, _ = _pitch_event()
    rounds.start_pitch_round(event, None, None, judges[0])
    assert services.judge_progress(event, judges[0]) == (0, 2)
    fill(_sheet(ideas[0], judges[0], 2), 4)
    assert services.judge_progress(event, judges[0]) == (1, 2)
    assert _sheet(ideas[0], judges[0], 2).status == SheetState.SUBMITTED
