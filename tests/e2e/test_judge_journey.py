"""Journey 2: a judge signs in from a one-time link, scores ideas by tapping, reloads mid-sheet
(the taps are kept), and submits."""

import re

import pytest
from sqlalchemy import select

from tests.e2e.conftest import no_horizontal_overflow


def _judge_with_sheets(live, ideas=2):
    """An event being judged, one judge signing in by link, `ideas` assigned sheets."""
    from accounts.services import make_login_link_token
    from extensions import db
    from judging.models import ScoreSheet
    from tests import builders

    def build():
        event = builders.make_event(state="judging")
        judge = builders.make_user("jury", password=None)
        builders.add_jury(event, judge)
        sheets = []
        for n in range(ideas):
            idea = builders.make_idea(event, title=f"Idée à noter {n + 1}")
            sheet = ScoreSheet(event_id=event.id, idea_id=idea.id, judge_id=judge.id)
            db.session.add(sheet)
            sheets.append(sheet)
        token = make_login_link_token(judge)
        db.session.commit()
        return token, [s.id for s in sheets], len(event.rubric.criteria)

    return live.run(build)


def _sheet_state(live, sheet_id):
    from extensions import db
    from judging.models import Score, ScoreSheet

    def read():
        status = db.session.scalar(select(ScoreSheet.status).where(ScoreSheet.id == sheet_id))
        values = db.session.scalars(select(Score.value).where(Score.sheet_id == sheet_id)).all()
        return status, sorted(values)

    return live.run(read)


def _tap(page, criterion_box, value):
    criterion_box.locator(f"button.level[data-value='{value}']").click()
    criterion_box.locator(".criterion-status[data-status='saved']").wait_for()


@pytest.mark.parametrize(("size", "lang"), [("tablet", "fr"), ("phone", "ar")])
def test_judge_signs_in_by_link_taps_scores_reloads_and_submits(live, new_page, shot, size, lang):
    token, sheet_ids, criteria = _judge_with_sheets(live)
    page = new_page(size, lang)
    page.goto(f"/login/link/{token}?lang={lang}")
    shot(page, "link")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jury$"))
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shot(page, "my-sheets")

    page.click(f"a[href$='/jury/sheets/{sheet_ids[0]}']")
    page.wait_for_url(re.compile(rf"/jury/sheets/{sheet_ids[0]}$"))
    boxes = page.locator("section.criterion")
    assert boxes.count() == criteria
    half = criteria // 2
    for i in range(half):
        _tap(page, boxes.nth(i), 4)
    shot(page, "half-scored")

    page.reload()
    boxes = page.locator("section.criterion")
    for i in range(half):
        checked = boxes.nth(i).locator("button.level[aria-checked='true']")
        assert checked.get_attribute("data-value") == "4", "a tap was lost on reload"
    if size == "phone":
        assert no_horizontal_overflow(page), "the score sheet scrolls sideways on a phone"
    for i in range(half, criteria):
        _tap(page, boxes.nth(i), 3)
    shot(page, "all-scored")

    page.click("[data-submit-sheet]")
    page.wait_for_url(re.compile(r"/jury$"))
    shot(page, "submitted")
    assert _sheet_state(live, sheet_ids[0]) == (
        "submitted",
        [3.0] * (criteria - half) + [4.0] * half,
    )
    assert _sheet_state(live, sheet_ids[1]) == ("assigned", [])

    # The link was for one use only.
    other = new_page(size, lang)
    response = other.goto(f"/login/link/{token}")
    assert response.status == 410
