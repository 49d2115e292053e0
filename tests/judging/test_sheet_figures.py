"""A submitted sheet keeps what it counts for (`services.seal_sheet`): S_ij and its marks, which
the ranking and the exports read instead of its score rows. Every way of submitting keeps them
equal to the marks, reopening clears them, and the migration computes them for sheets submitted
before it."""

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from bench.server import fresh_database
from competitions.states import EventState
from extensions import db
from judging import scoring, services, triage
from judging.models import Score, ScoreSheet
from judging.states import SheetState
from tests.builders import add_jury, make_event, make_idea, make_user

from .conftest import build_judging, fill, sheet_of
from .test_paper_import import _cli, _fill_rows, _workbook
from .test_triage import _triage_event

ROOT = Path(__file__).resolve().parents[2]


def assert_kept(sheet: ScoreSheet) -> None:
    """The sheet's figures are those of its score rows, as `scoring.sheet_score` computes S_ij."""
    db.session.expire(sheet)
    values = {
        criterion_id: value
        for criterion_id, value in db.session.execute(
            select(Score.criterion_id, Score.value).where(Score.sheet_id == sheet.id)
        )
    }
    specs = services.criterion_specs(services.sheet_rubric(sheet))
    assert sheet.is_submitted
    assert sheet.score == pytest.approx(scoring.sheet_score(values, specs))
    assert sheet.marks == {str(c.id): values[c.id] for c in specs}


def _raw(event, idea):
    return {r["idea_id"]: r["raw"] for r in services.event_ranking(event)["ideas"]}[idea.id]


def test_the_jurys_submit_keeps_the_figures_and_a_reopen_clears_them(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    criteria = event.rubric.criteria
    fill(sheet, [c.scale_max for c in criteria])
    assert_kept(sheet)
    assert _raw(event, ideas[0]) == pytest.approx(100)

    services.reopen_sheet(sheet, make_user("organiser"))
    db.session.commit()
    assert (sheet.score, sheet.marks) == (None, None)
    assert _raw(event, ideas[0]) is None  # an open sheet does not count

    services.record_score(sheet, criteria[0].id, criteria[0].scale_min, judges[0])
    services.submit_sheet(sheet, judges[0])
    db.session.commit()
    assert_kept(sheet)
    assert _raw(event, ideas[0]) == pytest.approx(sheet.score) and sheet.score < 100


def test_the_jurys_page_and_tablet_keep_the_figures(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1, min_judges=1)
    login(judges[0])
    for idea, tablet in zip(ideas, (False, True), strict=True):
        sheet = sheet_of(idea, judges[0])
        fill(sheet, 3, submit=False)
        path = f"/jury/sheets/{sheet.id}/submit"
        if tablet:
            response = client.post(path, json={"id": "5b1c3d0e-0000-4000-8000-000000000001"})
        else:
            response = client.post(path)
        assert response.status_code in (200, 303), response.get_data(as_text=True)
        assert_kept(sheet)


def test_the_paper_import_keeps_the_figures(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    path = _workbook(tmp_path, event, lambda ws: _fill_rows(ws, value=4, rows=[2]))
    result = _cli(runner, event, path)
    assert result.exit_code == 0, result.output
    sealed = db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.status == SheetState.SUBMITTED)
    ).all()
    assert len(sealed) == 1
    assert_kept(sealed[0])


def test_the_triage_keeps_the_figures_on_its_own_rubric(app):
    event, ideas, _judges, organisers, rubric = _triage_event()
    marks = {c.id: str(c.scale_max - k % 2) for k, c in enumerate(rubric.criteria)}
    sheet = triage.save_triage_sheet(event, ideas[0], marks, "", True, organisers[0])
    db.session.commit()
    assert_kept(sheet)
    assert set(sheet.marks) == {str(c.id) for c in rubric.criteria}


def test_the_migration_computes_the_figures_of_sheets_already_submitted(database_url, tmp_path):
    """Sheets submitted before the figures were kept get them from their score rows; a draft
    and an incomplete sheet (never counted) get none. Then back down and up again."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with fresh_database(kind, tmp_path, database_url) as url:
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
             "MAIL_SUPPRESS_SEND": True},
            instance_path=str(tmp_path / "instance"),
        )  # fmt: skip
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"), revision="audit_event_order")
            event = make_event(state=EventState.DELIBERATION)
            judge = make_user("jury")
            add_jury(event, judge)
            ideas = [make_idea(event) for _ in range(3)]
            criteria = event.rubric.criteria
            db.session.commit()
            marks = [[c.scale_max - k % 3 for k, c in enumerate(criteria)]] * 3
            sheets = []
            for idea, status, given in zip(
                ideas,
                (SheetState.SUBMITTED, SheetState.SUBMITTED, SheetState.DRAFT),
                marks,
                strict=True,
            ):
                sheet_id = db.session.execute(
                    text(
                        "INSERT INTO score_sheets (event_id, idea_id, judge_id, status,"
                        " round_number, comment, updated_at) VALUES (:e, :i, :j, :s, 1, '',"
                        " CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"e": event.id, "i": idea.id, "j": judge.id, "s": str(status)},
                ).scalar()
                sheets.append(sheet_id)
                shown = given if idea is not ideas[1] else given[:-1]  # the second: incomplete
                for criterion, value in zip(criteria, shown, strict=False):
                    db.session.execute(
                        text(
                            "INSERT INTO scores (sheet_id, criterion_id, value, updated_at)"
                            " VALUES (:s, :c, :v, CURRENT_TIMESTAMP)"
                        ),
                        {"s": sheet_id, "c": criterion.id, "v": float(value)},
                    )
            db.session.commit()
            upgrade(directory=str(ROOT / "migrations"))
            rows = {
                sheet_id: (score, given)
                for sheet_id, score, given in db.session.execute(
                    select(ScoreSheet.id, ScoreSheet.score, ScoreSheet.marks)
                )
            }
            specs = services.criterion_specs(event.rubric)
            expected = dict(zip((c.id for c in specs), marks[0], strict=True))
            assert rows[sheets[0]][0] == pytest.approx(scoring.sheet_score(expected, specs))
            assert rows[sheets[0]][1] == {str(c): float(v) for c, v in expected.items()}
            assert rows[sheets[1]] == (None, None)  # incomplete: not counted, as before
            assert rows[sheets[2]] == (None, None)  # a draft
            ranked = {r["idea_id"]: r for r in services.event_ranking(event)["ideas"]}
            assert ranked[ideas[0].id]["raw"] == pytest.approx(rows[sheets[0]][0])
            db.session.remove()
            downgrade(directory=str(ROOT / "migrations"), revision="audit_event_order")
            upgrade(directory=str(ROOT / "migrations"))
            assert db.session.scalar(
                select(ScoreSheet.score).where(ScoreSheet.id == sheets[0])
            ) == pytest.approx(rows[sheets[0]][0])
            db.session.remove()
            db.engine.dispose()
