"""Builders for judging tests: an event in judging with its jury, ideas and sheets."""

import pytest
from flask import g
from flask_babel import refresh

from competitions.models import Event
from competitions.states import EventState
from extensions import db
from judging import services
from judging.models import ScoreSheet
from tests.builders import add_jury, make_event, make_idea, make_user


def build_judging(n_ideas=3, n_judges=2, state=EventState.JUDGING, **event_fields):
    """An event with n ideas and n judges, sheets assigned; returns (event, ideas, judges)."""
    event = make_event(state=state, **event_fields)
    judges = [make_user("jury") for _ in range(n_judges)]
    for i, judge in enumerate(judges):
        add_jury(event, judge, is_president=(i == 0))
    ideas = [make_idea(event) for _ in range(n_ideas)]
    services.assign_event(event)
    db.session.commit()
    return event, ideas, judges


def sheet_of(idea, judge) -> ScoreSheet:
    return db.session.query(ScoreSheet).filter_by(idea_id=idea.id, judge_id=judge.id).one()


def fill(sheet, marks, judge=None, submit=True):
    """Score every criterion of the sheet: marks is a list (rubric order) or one value for all."""
    criteria = services.sheet_rubric(sheet).criteria
    if not isinstance(marks, list | tuple):
        marks = [marks] * len(criteria)
    for criterion, value in zip(criteria, marks, strict=True):
        services.record_score(sheet, criterion.id, value, judge or sheet.judge)
    if submit:
        services.submit_sheet(sheet, judge or sheet.judge)
    db.session.commit()


def set_state(event: Event, state: str):
    event.state = state
    db.session.commit()


@pytest.fixture
def judging_event(app):
    return build_judging()


def forget_request_state():
    """The test app context outlives each request: forget the signed-in user and the language
    that Flask-Login and Flask-Babel cached on `g`, as a new request would."""
    g.pop("_login_user", None)
    refresh()
