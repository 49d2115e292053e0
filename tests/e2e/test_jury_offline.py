"""The offline hall, the jury's side (issue 19, docs/offline.md): a judge loads the list, the
Wi-Fi goes, the tablet reloads and opens three ideas from its copy, scores and submits two and
starts the third; back online, the queue is sent once and the server holds exactly those marks,
audited. With judging closed meanwhile, every action is refused, shown to the judge with the
reason, reported to the organisers, and nothing counts."""

import re

import pytest
from sqlalchemy import func, select

from tests.e2e.test_judge_journey import _judge_with_sheets, _sheet_state
from tests.e2e.test_offline_hall import go_offline, go_online

KEPT = """async (ids) => {
  const names = (await caches.keys()).filter(n => n.startsWith("ideathon-pages-"));
  for (const name of names) {
    const cache = await caches.open(name);
    let all = !!(await cache.match("/jury", { ignoreVary: true }));
    for (const id of ids) all = all && !!(await cache.match("/jury/sheets/" + id, { ignoreVary: true }));
    if (all) return true;
  }
  return false;
}"""


def _until(page, script: str, arg=None, seconds: int = 30) -> None:
    """Poll `script` (a function) until it answers true: `wait_for_function` evaluates a string,
    which the pages' Content-Security-Policy forbids."""
    for _ in range(seconds * 2):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(500)
    pytest.fail(f"still false after {seconds} s: {script}")


def _sign_in_and_keep(page, token, sheet_ids, lang):
    page.goto(f"/login/link/{token}?lang={lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jury$"))
    _until(page, KEPT, sheet_ids)  # the service worker fetches the judge's pages ahead of time


def _open_from_list(page, sheet_id):
    page.goto("/jury")
    page.click(f"a[href$='/jury/sheets/{sheet_id}']")
    page.wait_for_url(re.compile(rf"/jury/sheets/{sheet_id}$"))
    assert page.locator("#offline-banner").is_visible(), "the copy is not marked offline"


def _score_all(page, value):
    boxes = page.locator("section.criterion")
    for i in range(boxes.count()):
        boxes.nth(i).locator(f"label.level-option:has(input[value='{value}'])").click()
        boxes.nth(i).locator(".criterion-status[data-status='unsaved']").wait_for()


def _submit_offline(page):
    page.locator("[data-submit-sheet]:not([disabled])").click()
    page.locator("#score-sheet[data-submitted-here='true']").wait_for()


def _pending(page) -> int:
    return int(page.locator("#jury-sync").get_attribute("data-pending") or "0")


def _audit(live, sheet_ids):
    """The judge's audited actions that came from the tablet's queue, counted by kind."""
    from audit.models import AuditEntry
    from extensions import db
    from judging.models import ScoreSheet

    def read():
        judge = db.session.get(ScoreSheet, sheet_ids[0]).judge_id
        query = select(AuditEntry.action, func.count()).where(
            AuditEntry.client_action.is_not(None), AuditEntry.user_id == judge
        )
        return dict(db.session.execute(query.group_by(AuditEntry.action)).all())

    return live.run(read)


def _offline_journey(live, new_page, shot, lang, *, close_judging=False):
    token, sheet_ids, criteria = _judge_with_sheets(live, ideas=4)
    page = new_page("tablet", lang)
    _sign_in_and_keep(page, token, sheet_ids, lang)
    shot(page, "list-online")

    go_offline(page.context)
    page.reload()  # the tablet's copy of the list
    assert page.locator("#offline-banner").is_visible()
    shot(page, "list-offline")

    _open_from_list(page, sheet_ids[0])
    _score_all(page, 4)
    _submit_offline(page)
    shot(page, "first-submitted-offline")
    _open_from_list(page, sheet_ids[1])
    _score_all(page, 3)
    _submit_offline(page)
    _open_from_list(page, sheet_ids[2])
    first = page.locator("section.criterion").first
    first.locator("label.level-option:has(input[value='2'])").click()
    first.locator(".criterion-status[data-status='unsaved']").wait_for()
    # The tap is shown unsaved at once; the queue counts it once IndexedDB has stored it.
    expected = 2 * (criteria + 1) + 1
    _until(
        page, "(n) => document.getElementById('jury-sync').dataset.pending === String(n)", expected
    )
    assert _pending(page) == expected
    assert str(_pending(page)) in page.locator("#sync-status").inner_text()
    shot(page, "third-started-offline")
    for sheet_id in sheet_ids:  # nothing reached the server
        assert _sheet_state(live, sheet_id) == ("assigned", [])

    if close_judging:
        live.run(lambda: _close_judging(sheet_ids[0]))
    go_online(page.context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _until(page, "() => document.getElementById('jury-sync').dataset.pending === '0'")
    shot(page, "back-online")
    return page, sheet_ids, criteria


def _close_judging(sheet_id):
    from competitions.models import Event
    from extensions import db
    from judging.models import ScoreSheet

    sheet = db.session.get(ScoreSheet, sheet_id)
    event = db.session.get(Event, sheet.event_id)
    event.state = "deliberation"
    db.session.commit()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_judge_scores_and_submits_offline_and_the_server_gets_exactly_that(
    live, new_page, shot, lang
):
    page, sheet_ids, criteria = _offline_journey(live, new_page, shot, lang)
    assert _sheet_state(live, sheet_ids[0]) == ("submitted", [4.0] * criteria)
    assert _sheet_state(live, sheet_ids[1]) == ("submitted", [3.0] * criteria)
    assert _sheet_state(live, sheet_ids[2]) == ("draft", [2.0])
    assert _sheet_state(live, sheet_ids[3]) == ("assigned", [])
    assert page.locator("#refused-list").is_hidden()
    # Audited once each, with the tablet's id as the source.
    assert _audit(live, sheet_ids) == {"score": 2 * criteria + 1, "submit": 2}
    # Online again, the queue is empty: another round sends nothing more.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    assert _audit(live, sheet_ids) == {"score": 2 * criteria + 1, "submit": 2}


@pytest.mark.parametrize("lang", ["fr"])
def test_judging_closed_while_offline_every_action_is_refused_shown_and_nothing_counts(
    live, new_page, shot, lang
):
    page, sheet_ids, criteria = _offline_journey(live, new_page, shot, lang, close_judging=True)
    for sheet_id in sheet_ids:
        assert _sheet_state(live, sheet_id) == ("assigned", [])
    refused = page.locator("#refused-list li.refused-action")
    assert page.locator("#refused-list").is_visible()
    assert refused.count() == 2 * (criteria + 1) + 1
    assert "que pendant la phase de notation" in refused.first.inner_text()
    assert _audit(live, sheet_ids) == {"refused_on_arrival": 2 * (criteria + 1) + 1}
    shot(page, "refused-shown")
    # The judge has read them: "Noted" takes one away, the others stay.
    refused.first.locator("button").click()
    _until(
        page,
        "n => document.querySelectorAll('#refused-list li.refused-action').length === n",
        2 * (criteria + 1),
    )
    page.reload()
    assert page.locator("#refused-list li.refused-action").count() == 2 * (criteria + 1)
