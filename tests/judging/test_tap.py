"""A tap (one mark autosaved) in three statements: the session's user, check-and-audit, the
mark (`judging.tap`), with every rule of the ORM path kept."""

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.models import JuryMember
from extensions import db
from judging import services
from judging.models import Score, ScoreSheet
from judging.states import SheetState

from .conftest import build_judging, fill, set_state, sheet_of


def _tap(client, sheet_id, criterion_id, value):
    return client.post(
        f"/jury/sheets/{sheet_id}/score", json={"criterion": criterion_id, "value": value}
    )


def _round_trips(client, sheet_id, criterion_id, value) -> tuple[list[str], int]:
    """The statements and commits one tap sends to the database, from an empty session."""
    db.session.close()
    statements, commits = [], []
    listeners = (
        ("before_cursor_execute", lambda conn, cursor, statement, *a: statements.append(statement)),
        ("commit", lambda conn: commits.append(1)),
    )
    for name, listener in listeners:
        sa_event.listen(db.engine, name, listener)
    try:
        response = _tap(client, sheet_id, criterion_id, value)
    finally:
        for name, listener in listeners:
            sa_event.remove(db.engine, name, listener)
    assert response.status_code == 200 and response.json["ok"], response.get_data(as_text=True)
    return statements, len(commits)


@pytest.fixture
def one_sheet(app, login):
    """An event being judged, one judge signed in, one assigned sheet; its rubric is locked by
    a first mark on another sheet (the ORM path locks it)."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1)
    criteria = [c.id for c in event.rubric.criteria]
    services.record_score(sheet_of(ideas[1], judges[0]), criteria[0], 3, judges[0])
    db.session.commit()
    login(judges[0])
    return event, sheet_of(ideas[0], judges[0]).id, criteria, judges[0]


def test_a_tap_is_three_statements_and_one_commit(app, client, one_sheet):
    """The judge (Flask-Login), check-and-audit, the mark; then the commit. Before: 8
    statements (the sheet with its event, its status locked, the criterion with its rubric, the
    old mark, the sheet's update, the mark, the entry)."""
    event, sheet_id, criteria, judge = one_sheet
    for value in (4, 2):  # a first mark (the sheet goes in progress), then a changed one
        statements, commits = _round_trips(client, sheet_id, criteria[0], value)
        shown = "\n".join(s[:100] for s in statements)
        assert len(statements) == 3 and commits == 1, shown
        assert statements[0].lstrip().startswith("SELECT users."), shown
        assert statements[1].startswith("INSERT INTO audit_entries"), shown
        assert statements[2].startswith("INSERT INTO scores"), shown
    sheet = db.session.get(ScoreSheet, sheet_id)
    assert sheet.status == SheetState.DRAFT  # by the trigger, on the first mark
    assert db.session.scalar(select(Score.value).where(Score.sheet_id == sheet_id)) == 2


def test_a_tap_is_audited_old_to_new_as_before(app, client, one_sheet):
    event, sheet_id, criteria, judge = one_sheet
    sheet = db.session.get(ScoreSheet, sheet_id)
    key, idea_id = event.rubric.criteria[0].key, sheet.idea_id
    assert _tap(client, sheet_id, criteria[0], "3,5").status_code == 422  # no half points
    assert _tap(client, sheet_id, criteria[0], 4).json["status"] == SheetState.DRAFT
    assert _tap(client, sheet_id, criteria[0], "2").status_code == 200
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "score", AuditEntry.entity_id == sheet_id)
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.old, e.new) for e in entries] == [
        ({"criterion": key, "value": None}, {"criterion": key, "value": 4, "idea_id": idea_id}),
        ({"criterion": key, "value": 4}, {"criterion": key, "value": 2, "idea_id": idea_id}),
    ]
    assert {(e.user_id, e.event_id, e.entity, e.action, e.source) for e in entries} == {
        (judge.id, event.id, "score", "score", "web")
    }


def test_a_replayed_tap_changes_nothing_and_answers_the_same(app, client, one_sheet):
    event, sheet_id, criteria, judge = one_sheet
    answers = [_tap(client, sheet_id, criteria[1], 5) for _ in range(3)]
    assert {(a.status_code, a.json["ok"], a.json["status"]) for a in answers} == {
        (200, True, SheetState.DRAFT)
    }
    assert db.session.scalars(select(Score.value).where(Score.sheet_id == sheet_id)).all() == [5]


def test_half_points_pass_where_the_criterion_allows_them(app, client, one_sheet):
    event, sheet_id, criteria, judge = one_sheet
    criterion = event.rubric.criteria[1]
    criterion.half_points = True
    db.session.commit()
    assert _tap(client, sheet_id, criterion.id, 3.5).status_code == 200
    assert _tap(client, sheet_id, criterion.id, 3.25).status_code == 422
    assert db.session.scalar(select(Score.value).where(Score.criterion_id == criterion.id)) == 3.5


def _refusal(case, event, sheet_id, criteria, judge, other_rubric_criterion):
    """Bring about one refusal; return (sheet id, criterion id, value) to tap."""
    if case == "another judge's sheet":
        other = db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.judge_id != judge.id))
        return other, criteria[0], 3
    if case == "removed from the jury":
        db.session.execute(JuryMember.__table__.delete().where(JuryMember.user_id == judge.id))
    elif case == "sheet submitted":
        fill(db.session.get(ScoreSheet, sheet_id), 3)
    elif case == "judging closed":
        set_state(event, "deliberation")
    elif case == "criterion of another rubric":
        return sheet_id, other_rubric_criterion, 3
    elif case == "off the scale":
        return sheet_id, criteria[0], 9
    elif case == "not a number":
        return sheet_id, criteria[0], "beaucoup"
    db.session.commit()
    return sheet_id, criteria[0], 3


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("another judge's sheet", 404),
        ("removed from the jury", 403),
        ("sheet submitted", 409),
        ("judging closed", 409),
        ("criterion of another rubric", 422),
        ("off the scale", 422),
        ("not a number", 422),
    ],
)
def test_every_rule_still_refuses_and_writes_nothing(app, client, login, one_sheet, case, status):
    event, sheet_id, criteria, judge = one_sheet
    other_event, other_ideas, other_judges = build_judging(n_ideas=1, n_judges=1)
    other_criterion = other_event.competition.rubric.criteria[0].id
    if other_event.rubric.id == event.rubric.id:  # the builders share a rubric: make one apart
        pytest.skip("the builders' events share one rubric")
    login(judge)
    target = _refusal(case, event, sheet_id, criteria, judge, other_criterion)
    entries = db.session.query(AuditEntry).count()
    marks = db.session.query(Score).count()
    assert _tap(client, *target).status_code == status
    assert db.session.query(Score).count() == marks
    assert db.session.query(AuditEntry).count() == entries


def test_the_first_mark_of_a_sheet_makes_it_in_progress_in_the_database(app):
    """The trigger of migration `tap`: whatever inserts a mark (a later migration that rebuilds
    `scores` on SQLite must create it again)."""
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    assert sheet.status == SheetState.ASSIGNED
    db.session.execute(
        Score.__table__.insert().values(
            sheet_id=sheet.id, criterion_id=event.rubric.criteria[0].id, value=3.0
        )
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ScoreSheet, sheet.id).status == SheetState.DRAFT
