"""Round 1 by the organisers' triage (issue 20): when the pitch round says so, the organisers
(and the region's coordinators), not the jury, score the written ideas on a rubric of their own;
round 1's ranking is theirs and the shortlist is taken from it; the jury scores only the
pitches and never sees a triage sheet. An event without the choice judges as before."""

import pytest
from sqlalchemy import func, select

from audit.models import AuditEntry
from competitions.defaults import build_default_rubric
from competitions.states import EventState
from extensions import db
from judging import rounds, services, triage
from judging.models import ScoreSheet
from judging.services import JudgingConflict, JudgingError, JudgingForbidden, JudgingNotFound
from tests.builders import add_jury, make_event, make_idea, make_user
from tests.judging.conftest import build_judging

SETTINGS = {"shortlist_size": "2", "pitch_minutes": "5", "questions_minutes": "3"}


def _rubric():
    rubric = build_default_rubric()
    rubric.name, rubric.name_en = "Grille de tri", "Triage grid"
    db.session.add(rubric)
    db.session.flush()
    return rubric


def _triage_event(n_ideas=4):
    """An event in judging with a jury of two, a pitch round and round 1 by the triage on its
    own rubric (chosen before anything is dealt); returns (event, ideas, judges, organisers,
    triage rubric)."""
    event = make_event(state=EventState.JUDGING)
    judges = [make_user("jury") for _ in range(2)]
    for i, judge in enumerate(judges):
        add_jury(event, judge, is_president=(i == 0))
    ideas = [make_idea(event) for _ in range(n_ideas)]
    organisers = [make_user("organiser"), make_user("coordinator", region_code=event.region_code)]
    rubric = _rubric()
    rounds.save_pitch_round(event, {**SETTINGS, "triage_rubric_id": str(rubric.id)}, organisers[0])
    services.assign_event(event)
    db.session.commit()
    return event, ideas, judges, organisers, rubric


def _score(event, idea, organiser, mark, submit=True):
    marks = {c.id: str(mark) for c in services.round_rubric(event, 1).criteria}
    sheet = triage.save_triage_sheet(event, idea, marks, "", submit, organiser)
    db.session.commit()
    return sheet


def test_the_jury_gets_no_sheet_of_a_triaged_round_one(app):
    event, _ideas, judges, _organisers, rubric = _triage_event()
    assert db.session.scalar(select(func.count(ScoreSheet.id))) == 0
    assert services.round_rubric(event, 1).id == rubric.id
    assert services.judge_sheets(event, judges[0]).items == []
    assert services.judge_progress(event, judges[0]) == (0, 0)


def test_organisers_score_the_triage_and_its_ranking_is_round_ones(app):
    event, ideas, _judges, (organiser, coordinator), rubric = _triage_event()
    for idea, mark in zip(ideas, (2, 5, 4, 3), strict=True):
        _score(event, idea, organiser, mark)
    _score(event, ideas[0], coordinator, 3)
    sheet = triage.own_sheet(event, ideas[1], organiser)
    assert sheet.round_number == 1 and sheet.is_submitted
    assert {s.criterion.rubric_id for s in sheet.scores} == {rubric.id}
    ranking = rounds.written_ranking(event)
    assert ranking["triage"] and ranking["min_judges"] == 1  # one organiser's sheet ranks
    ranked = sorted((r for r in ranking["ideas"] if r["ranked"]), key=lambda r: r["rank"])
    assert [r["idea_id"] for r in ranked][:2] == [ideas[1].id, ideas[2].id]
    assert db.session.scalar(select(AuditEntry.id).filter_by(action="triage_sheet"))
    assert db.session.scalar(select(AuditEntry.id).filter_by(action="score", user_id=organiser.id))


def test_the_shortlist_is_taken_from_the_triage_and_the_jury_scores_the_pitches(app):
    event, ideas, judges, (organiser, _coordinator), _rubric_ = _triage_event()
    for idea, mark in zip(ideas, (2, 5, 4, 3), strict=True):
        _score(event, idea, organiser, mark)
    assert rounds.proposed_shortlist(event, 2) == [ideas[1].id, ideas[2].id]
    rounds.start_pitch_round(event, None, None, organiser)
    db.session.commit()
    assert [(e.idea_id, e.written_rank) for e in rounds.shortlist(event)] == [
        (ideas[1].id, 1), (ideas[2].id, 2),
    ]  # fmt: skip
    listed = services.judge_sheets(event, judges[0]).items
    assert {(s.idea_id, s.round_number) for s in listed} == {(ideas[1].id, 2), (ideas[2].id, 2)}
    assert services.event_ranking(event)["round"] == 2
    summary = rounds.round_one(event)
    assert summary["triage"] and [r["idea_id"] for r in summary["rows"]][:2] == [
        ideas[1].id, ideas[2].id,
    ]  # fmt: skip
    assert summary["rows"][0]["entry"] is not None and summary["rows"][3]["entry"] is None
    with pytest.raises(JudgingConflict):  # round 1 is over
        _score(event, ideas[3], organiser, 5)


def test_the_jury_never_sees_nor_writes_a_triage_sheet(app):
    event, ideas, judges, _organisers, _rubric_ = _triage_event()
    add_jury_organiser = make_user("organiser")
    add_jury(event, add_jury_organiser)
    sheet = _score(event, ideas[0], add_jury_organiser, 4, submit=False)
    # an organiser who sits on the jury too: the triage sheet is not on their jury list
    assert services.judge_sheets(event, add_jury_organiser).items == []
    with pytest.raises(JudgingNotFound):
        services.sheet_for(sheet.id, add_jury_organiser)
    with pytest.raises(JudgingNotFound):
        services.sheet_for(sheet.id, judges[0])


def test_a_judge_cannot_score_the_triage(app):
    event, ideas, judges, _organisers, _rubric_ = _triage_event()
    with pytest.raises(JudgingForbidden):
        _score(event, ideas[0], judges[0], 4)
    assert db.session.scalar(select(func.count(ScoreSheet.id))) == 0


def test_a_coordinator_of_another_region_cannot_score_the_triage(app):
    event, ideas, _judges, _organisers, _rubric_ = _triage_event()
    stranger = make_user("coordinator", region_code="01")
    with pytest.raises(JudgingForbidden):
        _score(event, ideas[0], stranger, 4)


def test_triage_marks_are_checked_and_a_sheet_submits_only_when_complete(app):
    event, ideas, _judges, (organiser, _c), rubric = _triage_event()
    first = rubric.criteria[0].id
    with pytest.raises(JudgingError):
        triage.save_triage_sheet(event, ideas[0], {first: "99"}, "", False, organiser)
    with pytest.raises(JudgingError):
        triage.save_triage_sheet(event, ideas[0], {first: "3"}, "", True, organiser)
    with pytest.raises(JudgingError):
        triage.save_triage_sheet(event, ideas[0], {}, "x" * 5001, False, organiser)


def test_without_the_choice_round_one_is_the_jurys_as_before(app):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    rounds.save_pitch_round(event, SETTINGS, judges[0])
    assert services.round_rubric(event, 1).id == event.rubric.id
    assert len(services.judge_sheets(event, judges[0]).items) == 2
    assert triage.triage_round(event) is None
    with pytest.raises(JudgingConflict):
        triage.save_triage_sheet(event, ideas[0], {}, "", False, make_user("organiser"))
    assert not rounds.written_ranking(event)["triage"]


def test_who_scores_round_one_cannot_change_once_its_sheets_exist(app):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)  # the jury's sheets are dealt
    rubric = _rubric()
    with pytest.raises(JudgingConflict):
        rounds.save_pitch_round(event, {**SETTINGS, "triage_rubric_id": str(rubric.id)}, None)
    event, ideas, _judges, (organiser, _c), rubric = _triage_event()
    _score(event, ideas[0], organiser, 3, submit=False)
    with pytest.raises(JudgingConflict):
        rounds.save_pitch_round(event, SETTINGS, organiser)  # back to the jury
    with pytest.raises(JudgingConflict):
        rounds.save_pitch_round(event, {**SETTINGS, "triage_rubric_id": str(_rubric().id)}, None)
    with pytest.raises(JudgingConflict):
        rounds.remove_pitch_round(event, organiser)
    found = rounds.save_pitch_round(
        event, {**SETTINGS, "shortlist_size": "3", "triage_rubric_id": str(rubric.id)}, organiser
    )
    assert found.shortlist_size == 3 and found.triage_rubric_id == rubric.id


def test_an_unknown_triage_rubric_is_refused(app):
    event, _ideas, judges = build_judging()
    for bad in ("9999999", "x", "99999999999"):
        with pytest.raises(JudgingError) as refused:
            rounds.save_pitch_round(event, {**SETTINGS, "triage_rubric_id": bad}, judges[0])
        assert "triage_rubric_id" in refused.value.errors


# --- Pages ----------------------------------------------------------------------------------------


def test_the_triage_pages_let_an_organiser_score_and_submit(app, client, login):
    event, ideas, _judges, (organiser, _c), rubric = _triage_event(n_ideas=2)
    login(organiser)
    page = client.get(f"/events/{event.slug}/triage")
    assert page.status_code == 200 and ideas[0].receipt_code in page.get_data(as_text=True)
    form = client.get(f"/events/{event.slug}/triage/{ideas[0].id}")
    assert form.status_code == 200 and "Grille de tri" in form.get_data(as_text=True)
    data = {f"criterion-{c.id}": "4" for c in rubric.criteria}
    bad = client.post(f"/events/{event.slug}/triage/{ideas[0].id}", data={**data, "submit": "yes",
                      f"criterion-{rubric.criteria[0].id}": "42"})  # fmt: skip
    assert bad.status_code == 422
    done = client.post(f"/events/{event.slug}/triage/{ideas[0].id}", data={**data, "submit": "yes"})
    assert done.status_code == 303
    assert triage.own_sheet(event, ideas[0], organiser).is_submitted
    assert client.get(f"/events/{event.slug}/triage/{10**6}").status_code == 404


def test_a_judge_is_refused_the_triage_pages(app, client, login):
    event, ideas, judges, _organisers, _rubric_ = _triage_event(n_ideas=1)
    login(judges[0])
    assert client.get(f"/events/{event.slug}/triage").status_code == 403
    assert client.post(f"/events/{event.slug}/triage/{ideas[0].id}", data={}).status_code == 403


def test_the_minutes_show_round_ones_whole_ranking_and_who_scored_it(app, client, login):
    event, ideas, judges, (organiser, _c), _rubric_ = _triage_event()
    for idea, mark in zip(ideas, (2, 5, 4, 3), strict=True):
        _score(event, idea, organiser, mark)
    rounds.start_pitch_round(event, None, None, organiser)
    db.session.commit()
    login(organiser)
    for path in (f"/judging/{event.slug}/minutes", f"/judging/{event.slug}/deliberation"):
        html = client.get(path + "?lang=en").get_data(as_text=True)
        assert "Scored by the organisers' triage on the rubric Triage grid" in html, path
        for idea in ideas:  # the whole ranking, not the shortlist alone
            assert idea.receipt_code in html


def test_an_organiser_on_the_jury_cannot_tap_a_triage_sheet_from_a_jury_tablet(app, client, login):
    """Even when the triage's rubric is the event's (the tap's fast path reads the rubric)."""
    event = make_event(state=EventState.JUDGING)
    idea = make_idea(event)
    organiser = make_user("organiser")
    add_jury(event, organiser, is_president=True)
    rounds.save_pitch_round(
        event, {**SETTINGS, "triage_rubric_id": str(event.rubric.id)}, organiser
    )
    criteria = [c.id for c in event.rubric.criteria]
    sheet = triage.save_triage_sheet(event, idea, {criteria[0]: "3"}, "", False, organiser)
    db.session.commit()
    login(organiser)
    tap = client.post(f"/jury/sheets/{sheet.id}/score", json={"criterion": criteria[1], "value": 4})
    assert tap.status_code == 404
    assert client.get(f"/jury/sheets/{sheet.id}").status_code == 404
    assert len(triage.own_sheet(event, idea, organiser).scores) == 1


def test_an_organiser_taken_off_the_jury_keeps_their_triage_sheets(app):
    from competitions.jury import remove_jury

    event, ideas, _judges, _organisers, _rubric_ = _triage_event()
    organiser = make_user("organiser")
    add_jury(event, organiser)
    sheet = _score(event, ideas[0], organiser, 4)
    done = remove_jury(event, organiser, organiser, submitted="void")
    db.session.commit()
    assert done["voided"] == [] and triage.own_sheet(event, ideas[0], organiser).is_submitted
    assert sheet.id not in done["set_aside"]
