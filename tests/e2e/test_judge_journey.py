"""Journey 2: a judge signs in from a one-time link, scores ideas by tapping, reloads mid-sheet
(the taps are kept), and submits."""

import re

import pytest
from sqlalchemy import select

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow


def _judge_with_sheets(live, ideas=2):
    """An event being judged, one judge signing in by link, `ideas` assigned sheets."""
    from accounts.services import make_login_link_token
    from extensions import db
    from judging.models import ScoreSheet
    from tests import builders

    def build():
        event = builders.make_event(state=EventState.JUDGING)
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
    criterion_box.locator(f"label.level-option:has(input[value='{value}'])").click()
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
        checked = boxes.nth(i).locator("input.level-radio:checked")
        assert checked.get_attribute("value") == "4", "a tap was lost on reload"
    if size == "phone":
        assert no_horizontal_overflow(page), "the score sheet scrolls sideways on a phone"
    for i in range(half, criteria):
        _tap(page, boxes.nth(i), 3)
    shot(page, "all-scored")

    page.click("[data-submit-sheet]")
    page.locator(".next-idea").wait_for()  # sent from the queue, the server's page is shown
    shot(page, "submitted")
    assert _sheet_state(live, sheet_ids[0]) == (
        "submitted",
        [3.0] * (criteria - half) + [4.0] * half,
    )
    assert _sheet_state(live, sheet_ids[1]) == ("assigned", [])
    page.click("[data-next-idea]")  # straight to the next idea, not back to the list
    page.wait_for_url(re.compile(rf"/jury/sheets/{sheet_ids[1]}$"))

    # The link was for one use only.
    other = new_page(size, lang)
    response = other.goto(f"/login/link/{token}")
    assert response.status == 410


def test_levels_are_one_tab_stop_per_criterion_arrow_keys_score_and_submit_names_whats_missing(
    live, new_page, shot
):
    token, sheet_ids, criteria = _judge_with_sheets(live, ideas=1)
    page = new_page("tablet", "ar")
    page.goto(f"/login/link/{token}?lang=ar")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jury$"))
    page.goto(f"/jury/sheets/{sheet_ids[0]}")
    boxes = page.locator("section.criterion")
    hint = page.locator("#submit-hint")
    assert hint.get_attribute("aria-live") == "polite"
    names = boxes.evaluate_all("boxes => boxes.map(b => b.dataset.name)")
    assert all(name in hint.inner_text() for name in names)
    assert page.locator("[data-submit-sheet]").is_disabled()

    # Every option is a tap target of at least 44 x 44 px, its descriptor beside it.
    for option in page.locator("label.level-option").all():
        box = option.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        number = option.locator(".level").bounding_box()
        assert number["height"] >= 44 and number["width"] >= 44, number
    first_five = boxes.nth(0).locator("label.level-option").nth(4)
    text = first_five.locator(".level-text").bounding_box()
    number = first_five.locator(".level").bounding_box()
    assert abs(text["y"] + text["height"] / 2 - (number["y"] + number["height"] / 2)) < 30
    shot(page, "sheet-ar")

    # One tab stop per criterion: Tab from the first radio lands in the next criterion.
    first = boxes.nth(0).locator("input.level-radio").first
    first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == boxes.nth(1).locator("input.level-radio").first.get_attribute("name")
    stops = page.evaluate(
        """() => { const seen = new Set(); let n = 0;
        document.querySelectorAll('#score-sheet input.level-radio').forEach(r => {
          if (!seen.has(r.name)) { seen.add(r.name); n += 1; } });
        return n; }"""
    )
    assert stops == criteria

    # Arrow keys move within the group and each choice is saved.
    for i in range(criteria):
        radios = boxes.nth(i).locator("input.level-radio")
        radios.nth(1).focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowLeft")  # in RTL, left is forward: level 3
        boxes.nth(i).locator(".criterion-status[data-status='saved']").wait_for()
        if i == 0:
            assert names[0] not in hint.inner_text() and names[1] in hint.inner_text()
    checked = page.locator("input.level-radio:checked").evaluate_all("rs => rs.map(r => r.value)")
    assert checked == ["3"] * criteria
    page.locator("[data-submit-sheet]:not([disabled])").wait_for()
    assert names[-1] not in hint.inner_text()
    shot(page, "all-scored-ar")
    page.click("[data-submit-sheet]")
    page.locator(".next-idea").wait_for()
    assert _sheet_state(live, sheet_ids[0]) == ("submitted", [3.0] * criteria)
