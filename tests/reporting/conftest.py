"""A scored event for the rankings workbook: two judges, four ideas with formula-like titles."""

from dataclasses import dataclass

import pytest

from competitions.states import EventState
from extensions import db
from judging.models import Score, ScoreSheet, WinnerChoice
from judging.services import seal_sheet
from judging.states import SheetState
from tests.builders import add_jury, make_event, make_idea, make_user


def score(idea, judge, mark, comment="", status="submitted"):
    """A sheet of this judge on this idea with the same mark on every criterion."""
    submitted = status == SheetState.SUBMITTED
    sheet = ScoreSheet(
        event=idea.event, idea_id=idea.id, judge_id=judge.id, round_number=1,
        status=SheetState.DRAFT if submitted else status, comment=comment,
    )  # fmt: skip
    criteria = idea.event.rubric.criteria
    sheet.scores = [Score(criterion_id=c.id, value=mark) for c in criteria]
    db.session.add(sheet)
    if submitted:  # as the judge's Submit does
        seal_sheet(sheet, {c.id: mark for c in criteria})
    db.session.commit()
    return sheet


@dataclass
class Scored:
    event: object
    amina: object
    brahim: object
    first: object
    second: object
    ineligible: object
    one_judge: object


@pytest.fixture
def scored(app):
    event = make_event(
        state=EventState.DELIBERATION,
        slug="oujda-2025",
        city="Oujda",
        city_ar="وجدة",
        winners_count=2,
    )
    amina = make_user("jury", name="Amina Juge")
    brahim = make_user("jury", name="Brahim Juge")
    add_jury(event, amina)
    add_jury(event, brahim)
    first = make_idea(
        event, title='=HYPERLINK("http://x","y")', receipt_code="OUJ-AAAA", sector="tourism",
        budget_mad=2_230_000, lead_email="fatima@example.ma",
    )  # fmt: skip
    second = make_idea(event, title="+1+1", receipt_code="OUJ-BBBB", lead_gender="male")
    ineligible = make_idea(event, title="-2", receipt_code="OUJ-CCCC", eligibility="ineligible")
    one_judge = make_idea(event, title="@SUM(A1)", receipt_code="OUJ-DDDD")
    score(first, amina, 5, comment="+1+1 excellent")  # S = 100
    score(first, brahim, 4)  # S = 75
    score(second, amina, 3)  # S = 50
    score(second, brahim, 4, comment="=cmd|' /C calc'!A0")  # S = 75
    score(ineligible, amina, 2)
    score(one_judge, brahim, 5)
    score(one_judge, amina, 1, comment="brouillon", status="draft")  # not counted
    db.session.add_all(
        [
            WinnerChoice(event_id=event.id, idea_id=first.id),
            WinnerChoice(
                event_id=event.id, idea_id=second.id, override_reason="Coup de cœur du jury"
            ),
        ]
    )
    db.session.commit()
    return Scored(event, amina, brahim, first, second, ineligible, one_judge)
