"""The header on phones and jury tablets (issue 17): the language switch and sign-out stay in
view outside the collapsed menu, work from there, and nothing sticks out sideways."""

import pytest

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow, sign_in


def _judge(live):
    from tests import builders

    def build():
        event = builders.make_event(state=EventState.JUDGING)
        judge = builders.make_user("jury")
        builders.add_jury(event, judge)
        return judge.email

    return live.run(build)


@pytest.mark.parametrize("size", ["small-phone", "tablet"])
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_language_switch_and_sign_out_stay_visible_outside_the_menu(
    live, new_page, shot, size, lang
):
    from tests.builders import PASSWORD

    email = _judge(live)
    page = new_page(size, lang)
    page.goto(f"/login?lang={lang}")
    sign_in(page, email, PASSWORD)
    assert page.get_attribute("html", "lang") == lang
    assert page.locator(".navbar-toggler").is_visible()  # the menu is collapsed
    assert not page.locator("#main-nav").is_visible()
    other = "fr" if lang == "ar" else "ar"
    switch = page.locator(f".header-tools form.lang-switch button[value={other}]")
    sign_out = page.locator(".header-tools form.sign-out button[type=submit]")
    assert switch.is_visible() and sign_out.is_visible()
    for control in (switch, sign_out):
        box = control.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert no_horizontal_overflow(page)
    shot(page, "header")

    with page.expect_navigation():
        switch.click()  # a real tap, not a script: it must be reachable
    assert page.get_attribute("html", "lang") == other
    assert page.locator(".header-tools form.sign-out button[type=submit]").is_visible()
    with page.expect_navigation():
        page.locator(".header-tools form.sign-out button[type=submit]").click()
    assert "/login" in page.url
    assert page.locator(".header-tools a[href$='/login']").is_visible()
