"""The pitch round in a browser: the organiser sets it up, confirms the shortlist, reorders the
teams (keyboard-reachable buttons), runs the stage; the public screen follows live and switches
to Arabic; a judge's tablet names the team on stage with a link to its sheet."""

import itertools
import re

from competitions.states import EventState
from tests.e2e.conftest import sign_in

_events = itertools.count(1)


def _scored_event(live):
    """An event being judged: 3 ideas scored by 2 judges (idea 1 best), an organiser."""
    from accounts.services import make_login_link_token
    from extensions import db
    from judging import services
    from judging.models import ScoreSheet
    from tests import builders

    n = next(_events)

    def build():
        organiser = builders.make_user("organiser", email=f"scene{n}@example.ma")
        event = builders.make_event(state=EventState.JUDGING)
        judges = [builders.make_user("jury", password=None) for _ in range(2)]
        for k, judge in enumerate(judges):
            builders.add_jury(event, judge, is_president=k == 0)
        ideas = [builders.make_idea(event, title=f"Équipe {k + 1}") for k in range(3)]
        services.assign_event(event)
        for k, idea in enumerate(ideas):
            for judge in judges:
                sheet = (
                    db.session.query(ScoreSheet).filter_by(idea_id=idea.id, judge_id=judge.id).one()
                )
                for criterion in event.rubric.criteria:
                    services.record_score(sheet, criterion.id, 5 - k, judge)
                services.submit_sheet(sheet, judge)
        token = make_login_link_token(judges[0])
        db.session.commit()
        return organiser.email, event.slug, token

    return live.run(build)


def test_organiser_runs_the_pitch_round_and_the_screen_follows(live, new_page, shot):
    email, slug, judge_token = _scored_event(live)
    page = new_page("desktop", "fr")
    sign_in(page, email, builders_password())
    page.goto(f"/events/{slug}/rounds")
    page.fill("#shortlist_size", "2")
    page.locator("form[action$='/rounds'] button").click()
    page.wait_for_load_state()
    shot(page, "round-saved")
    page.locator("form[action$='/rounds/start'] button").click()
    page.wait_for_url(re.compile(r"/rounds/start\?"))
    assert page.locator("main ol li").count() == 2
    page.locator("#confirm").check()
    page.locator("form[action$='/rounds/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/rounds$"))
    teams = page.locator("[data-running-order] li")
    assert teams.count() == 2 and "Équipe 1" in teams.nth(0).inner_text()

    # the keyboard way: focus "Down" on the first team and press Enter
    teams.nth(0).locator("button[value=down]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    teams = page.locator("[data-running-order] li")
    assert "Équipe 2" in teams.nth(0).inner_text()
    shot(page, "running-order")

    screen = new_page("desktop", "fr")
    screen.goto(f"/stage/{slug}")
    assert "Les pitchs vont bientôt commencer" in screen.locator("[data-phase]").inner_text()

    page.goto(f"/events/{slug}/stage")
    with page.expect_navigation():
        page.locator("button[value=start]").click()
    screen.locator("[data-on-stage]:has-text('Équipe 2')").wait_for()
    screen.locator("[data-up-next]:has-text('Équipe 1')").wait_for()
    assert re.fullmatch(r"[45]:\d\d", screen.locator("[data-clock]").inner_text())
    shot(screen, "screen-pitch")

    judge = new_page("tablet", "fr")
    judge.goto(f"/login/link/{judge_token}")
    judge.locator("main form button[type=submit]").click()
    judge.wait_for_url(re.compile(r"/jury$"))
    banner = judge.locator("[data-now-pitching]")
    banner.locator("[data-title]:has-text('Équipe 2')").wait_for()
    banner.locator("a").click()
    judge.wait_for_url(re.compile(r"/jury/sheets/\d+$"))
    assert "Équipe 2" in judge.locator("main").inner_text()

    with page.expect_navigation():
        page.locator("button[value=next]").click()
    screen.locator("[data-on-stage]:has-text('Équipe 1')").wait_for()
    page.select_option("#language", "ar")
    with page.expect_navigation():
        page.locator("form:has(#language) button").click()
    screen.locator("html[dir=rtl]").wait_for(state="attached")
    screen.locator("[data-on-stage]:has-text('Équipe 1')").wait_for()
    shot(screen, "screen-arabic")


def _pitching_with_codes(live, slug, email):
    """The event's pitch round started (2 teams, the first on stage) and 3 voting codes."""
    from accounts.models import User
    from audience import services as audience
    from competitions.services import get_event
    from extensions import db
    from judging import rounds
    from judging.states import StageAction

    def build():
        event = get_event(slug)
        by = db.session.query(User).filter_by(email=email).one()
        rounds.save_pitch_round(
            event, {"shortlist_size": "2", "pitch_minutes": "5", "questions_minutes": "3"}, by
        )
        rounds.start_pitch_round(event, None, None, by)
        rounds.stage_action(event, StageAction.START, by)
        codes = [c.code for c in audience.generate_codes(event, {"count": "3"}, by=by)]
        teams = [entry.idea_id for entry in rounds.shortlist(event)]
        db.session.commit()
        return codes, teams

    return live.run(build)


def _cast(live, slug, idea_id, code):
    from audience import services as audience
    from competitions.services import get_event
    from extensions import db

    def cast():
        audience.vote(get_event(slug), {"idea_id": str(idea_id), "code": code},
                      address="192.0.2.1", device=code)  # fmt: skip
        db.session.commit()

    live.run(cast)


def test_the_stage_screen_shows_the_votes_qr_code_then_the_live_results(live, new_page, shot):
    email, slug, _token = _scored_event(live)
    codes, teams = _pitching_with_codes(live, slug, email)
    screen = new_page("desktop", "fr")
    screen.goto(f"/stage/{slug}")
    assert screen.locator("[data-panels] img").count() == 0  # the vote not open: no QR

    page = new_page("desktop", "fr")
    sign_in(page, email, builders_password())
    page.goto(f"/e/{slug}/audience")
    with page.expect_navigation():
        page.locator("#poll-start").click()
    qr = screen.locator("[data-panels] img.stage-panel-image")
    qr.wait_for()  # drawn by the poller
    assert qr.get_attribute("src") == f"/e/{slug}/vote/qr.svg"
    assert "Code QR de la page de vote" in qr.get_attribute("alt")
    for _ in range(50):  # the image loaded (the CSP lets it come from the screen's server)
        if qr.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        screen.wait_for_timeout(100)
    assert qr.evaluate("img => img.naturalWidth > 0")
    box = qr.bounding_box()
    assert box["width"] >= 240 and box["width"] == box["height"]  # scannable from the room
    shot(screen, "screen-vote-qr")

    screen.reload()  # drawn by the server on the first load too
    assert screen.locator("[data-panels] img.stage-panel-image").count() == 1
    assert "Votez depuis votre téléphone" in screen.locator("[data-panels]").inner_text()
    assert "votes" not in screen.locator("[data-panels]").inner_text()

    _cast(live, slug, teams[1], codes[0])
    with page.expect_navigation():
        page.locator("#poll-show").click()
    screen.locator("[data-panels] p:has-text('1 vote')").wait_for()
    assert screen.locator("[data-panels] p:has-text('0 vote')").count() == 1
    shot(screen, "screen-vote-results")

    with page.expect_navigation():
        page.locator("#poll-close").click()
    screen.locator("[data-panels] img").wait_for(state="detached")  # closed: no QR any more
    assert "Le vote est clos" in screen.locator("[data-panels]").inner_text()


def builders_password() -> str:
    from tests.builders import PASSWORD

    return PASSWORD
