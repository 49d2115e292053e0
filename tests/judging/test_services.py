"""Score sheets and the event ranking against the database."""

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db
from judging import scoring, services
from judging.models import Conflict, Score, ScoreSheet
from tests.builders import make_idea, make_user

from .conftest import build_judging, fill, sheet_of


def test_everyone_gets_every_idea_when_not_split(app):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    assert db.session.query(ScoreSheet).filter_by(event_id=event.id, status="assigned").count() == 6


def test_split_panels_give_k_sheets_per_idea(app):
    event, ideas, judges = build_judging(
        n_ideas=6, n_judges=4, split_panels=True, judges_per_idea=2
    )
    for idea in ideas:
        assert db.session.query(ScoreSheet).filter_by(idea_id=idea.id).count() == 2
    assert services.assign_event(event) == 0  # nothing missing: running it again adds nothing


def test_ineligible_ideas_are_not_assigned(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    bad = make_idea(event, eligibility="ineligible")
    services.assign_event(event)
    assert db.session.query(ScoreSheet).filter_by(idea_id=bad.id).count() == 0


def test_record_score_saves_audits_and_locks_the_rubric(app):
    event, ideas, judges = build_judging()
    sheet = sheet_of(ideas[0], judges[0])
    criterion = event.rubric.criteria[0]
    services.record_score(sheet, criterion.id, 4, judges[0])
    services.record_score(sheet, criterion.id, 2, judges[0], source="tablet-2")
    db.session.commit()
    assert db.session.scalar(select(Score.value).where(Score.sheet_id == sheet.id)) == 2
    assert sheet.status == "draft"
    assert event.rubric.locked_at is not None
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "score").order_by(AuditEntry.id)
    ).all()
    assert [(e.old["value"], e.new["value"]) for e in entries] == [(None, 4), (4, 2)]
    assert entries[1].source == "tablet-2"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "Le score doit être compris entre 1 et 5."),
        (0, "Le score doit être compris entre 1 et 5."),
        ("abc", "Le score doit être un nombre."),
        (None, "Le score doit être un nombre."),
        (2.5, "Le score doit être un nombre entier."),
        ("nan", "Le score doit être compris entre 1 et 5."),
    ],
)
def test_bad_marks_are_refused_with_a_clear_message(app, value, message):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    with app.test_request_context():
        with pytest.raises(services.JudgingError) as error:
            services.record_score(sheet, event.rubric.criteria[0].id, value, judges[0])
        assert str(error.value) == message
    assert db.session.query(Score).count() == 0


def test_half_points_only_where_the_criterion_allows(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    criterion = event.rubric.criteria[0]
    criterion.half_points = True
    db.session.commit()
    sheet = sheet_of(ideas[0], judges[0])
    assert services.record_score(sheet, criterion.id, "3,5", judges[0]).value == 3.5
    with pytest.raises(services.JudgingError):
        services.record_score(sheet, criterion.id, 3.25, judges[0])


def test_scores_cannot_change_outside_judging(app):
    event, ideas, judges = build_judging(state=EventState.DELIBERATION)
    with pytest.raises(services.JudgingError) as error:
        services.record_score(
            sheet_of(ideas[0], judges[0]), event.rubric.criteria[0].id, 3, judges[0]
        )
    assert error.value.status == 409


def test_only_the_sheets_judge_can_write_it(app):
    event, ideas, judges = build_judging()
    with pytest.raises(services.JudgingError) as error:
        services.record_score(
            sheet_of(ideas[0], judges[0]), event.rubric.criteria[0].id, 3, judges[1]
        )
    assert error.value.status == 403
    organiser = make_user("organiser")
    with pytest.raises(services.JudgingError):
        services.record_score(
            sheet_of(ideas[0], judges[0]), event.rubric.criteria[0].id, 3, organiser
        )


def test_submit_needs_every_criterion_and_reopen_gives_it_back(app):
    event, ideas, judges = build_judging()
    sheet = sheet_of(ideas[0], judges[0])
    fill(sheet, 3, submit=False)
    db.session.delete(sheet.scores[-1])
    db.session.commit()
    with pytest.raises(services.JudgingError):
        services.submit_sheet(sheet, judges[0])
    fill(sheet, 3)
    assert sheet.status == "submitted"
    with pytest.raises(services.JudgingError):  # submitted: frozen until reopened
        services.record_score(sheet, event.rubric.criteria[0].id, 5, judges[0])
    services.reopen_sheet(sheet, make_user("organiser"))
    assert sheet.status == "draft"
    services.record_score(sheet, event.rubric.criteria[0].id, 5, judges[0])
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "sheet").order_by(AuditEntry.id)
    ).all()
    assert actions == ["submit", "reopen"]


def test_conflict_removes_the_sheet_and_needs_a_reason(app):
    event, ideas, judges = build_judging(
        n_ideas=2, n_judges=3, split_panels=True, judges_per_idea=2
    )
    sheet = db.session.scalars(select(ScoreSheet).where(ScoreSheet.idea_id == ideas[0].id)).first()
    judge = sheet.judge
    with pytest.raises(services.JudgingError):
        services.declare_conflict(sheet, "  ", judge)
    services.declare_conflict(sheet, "Ma cousine dirige cette coopérative", judge)
    db.session.commit()
    assert db.session.query(Conflict).filter_by(idea_id=ideas[0].id, judge_id=judge.id).count() == 1
    judges_now = db.session.scalars(
        select(ScoreSheet.judge_id).where(ScoreSheet.idea_id == ideas[0].id)
    ).all()
    assert judge.id not in judges_now and len(judges_now) == 2  # another judge took the idea


def test_event_ranking_matches_the_pure_formula(app):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2, min_judges=2)
    marks = {(0, 0): [5, 4, 3, 2, 1, 5], (0, 1): [4, 4, 4, 4, 4, 4], (1, 0): [2, 2, 3, 3, 1, 1]}
    marks |= {(1, 1): [5, 5, 5, 5, 5, 5], (2, 0): [1, 2, 3, 4, 5, 1]}
    for (i, j), values in marks.items():
        fill(sheet_of(ideas[i], judges[j]), values)
    ranking = services.event_ranking(event)
    specs = services.criterion_specs(event.rubric)
    rows = [
        (ideas[i].id, judges[j].id, c.id, v)
        for (i, j), values in marks.items()
        for c, v in zip(specs, values, strict=True)
    ]
    expected = scoring.rank_event(
        [scoring.IdeaSpec(i.id) for i in ideas],
        scoring.sheets_from_marks(rows, specs),
        method="raw",
        min_judges=2,
    ).by_idea()
    got = {row["idea_id"]: row for row in ranking["ideas"]}
    for idea in ideas:
        assert got[idea.id]["raw"] == pytest.approx(expected[idea.id].raw)
        assert got[idea.id]["mean_z"] == pytest.approx(expected[idea.id].mean_z)
        assert got[idea.id]["rank"] == expected[idea.id].rank
    assert got[ideas[2].id]["reason"] == "too_few_judges"  # one submitted sheet of two
    assert ranking["method"] == "raw"


def test_draft_sheets_do_not_count(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    fill(sheet_of(ideas[0], judges[1]), 1, submit=False)
    row = services.event_ranking(event)["ideas"][0]
    assert row["judges"] == 1 and row["raw"] == pytest.approx(100)


def test_rankings_for_many_events_in_one_call(app):
    first, ideas1, judges1 = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    second, ideas2, judges2 = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    fill(sheet_of(ideas1[0], judges1[0]), 5)
    fill(sheet_of(ideas2[0], judges2[0]), 1)
    result = services.rankings_for_events([first, second])
    assert result[first.id]["ideas"][0]["raw"] == pytest.approx(100)
    assert result[second.id]["ideas"][0]["raw"] == pytest.approx(0)


def test_entering_judging_on_a_split_event_assigns_each_idea_within_one_panel(app):
    from judging.models import ScoreSheet
    from tests.builders import add_jury, make_event, make_idea, make_user

    event = make_event(state=EventState.OPEN, split_panels=True, judges_per_idea=2)
    judges = [make_user("jury") for _ in range(4)]
    for n, judge in enumerate(judges):
        add_jury(event, judge, panel=1 + n // 2)
    ideas = [make_idea(event) for _ in range(4)]
    services.assign_event(event)
    db.session.commit()
    panel = {j.id: 1 + n // 2 for n, j in enumerate(judges)}
    for idea in ideas:
        sheets = db.session.query(ScoreSheet).filter_by(idea_id=idea.id).all()
        assert len(sheets) == 2 and len({panel[s.judge_id] for s in sheets}) == 1
