"""The pitch round in a browser: the organiser sets it up, confirms the shortlist, reorders the
teams (keyboard-reachable buttons), runs the stage; the public screen follows live and switches
to Arabic; a judge's tablet names the team on stage with a link to its sheet."""

import itertools
import re

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
        event = builders.make_event(state="judging")
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


def builders_password() -> str:
    from tests.builders import PASSWORD

    return PASSWORD
