"""Round 1 by the organisers' triage in a browser: the organiser chooses it on the rounds page,
scores an idea on a 360 px phone in Arabic and in French, and submits; each page stays within the
phone's width and axe-core finds no serious or critical violation on it."""

import itertools
import re

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow, sign_in
from tests.e2e.test_every_page import AXE, AXE_ONLY, AXE_RUN, SERIOUS

_events = itertools.count(1)


def _triage_event(live):
    """An event being judged with a jury, two ideas and a pitch round (round 1 by the jury, for
    now); an organiser."""
    from extensions import db
    from judging import rounds
    from tests import builders

    n = next(_events)

    def build():
        organiser = builders.make_user("organiser", email=f"tri{n}@example.ma")
        event = builders.make_event(state=EventState.JUDGING)
        builders.add_jury(event, builders.make_user("jury", password=None), is_president=True)
        ideas = [builders.make_idea(event, title=f"Équipe {k + 1}") for k in range(2)]
        rounds.save_pitch_round(
            event, {"shortlist_size": "1", "pitch_minutes": "5", "questions_minutes": "3"},
            organiser,
        )  # fmt: skip
        db.session.commit()
        return organiser.email, event.slug, ideas[0].id

    return live.run(build)


def _checked(page):
    assert no_horizontal_overflow(page), page.url
    page.evaluate(AXE.read_text())
    axe = page.evaluate(AXE_RUN, [AXE_ONLY, page.evaluate("document.documentElement.lang") == "ar"])
    serious = [v for v in axe["violations"] if v["impact"] in SERIOUS]
    assert serious == [], (page.url, serious)


def test_the_organiser_chooses_the_triage_and_scores_an_idea_on_a_phone(live, new_page, shot):
    from tests.builders import PASSWORD

    email, slug, idea_id = _triage_event(live)
    page = new_page("small-phone", "fr")
    sign_in(page, email, PASSWORD)
    page.goto(f"/events/{slug}/rounds")
    page.locator("#triage_rubric_id").select_option(index=1)
    page.locator("form[action$='/rounds'] button").click()
    page.wait_for_load_state()
    page.locator("#triage-link a").click()
    page.wait_for_url(re.compile(r"/triage$"))
    for lang in ("ar", "fr"):
        page.goto(f"/events/{slug}/triage?lang={lang}")
        _checked(page)
        page.goto(f"/events/{slug}/triage/{idea_id}?lang={lang}")
        _checked(page)
    shot(page, "triage-sheet")
    for field in page.locator("#triage-sheet input[type=number]").all():
        field.fill("4")
    page.locator("#triage-sheet button[value=yes]").click()
    page.wait_for_url(re.compile(r"/triage$"))
    assert "Soumise" in page.locator("#triage-list").inner_text()
