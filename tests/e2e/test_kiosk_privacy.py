"""Journey: a kiosk tablet passes from one participant to the next and keeps nothing of the
first. A participant who walks away is asked "Still there?", then the form is erased; one who
sends an idea leaves a receipt that Back never brings back, nor their form."""

import re

import pytest

from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.e2e.test_participant_journey import _open_event, fill_first_half, fill_second_half

PERSONAL = {"#lead_name": "Khadija Amrani", "#lead_phone": "06 98 76 54 32"}
RESET_TEXT = {"fr": "Encore là ?", "ar": "هل ما زلت هنا؟"}


def _kiosk(live, new_page, lang):
    email, slug = _open_event(live)
    page = new_page("tablet", lang)
    page.clock.install()
    sign_in(page, email, "Tablette-2025!")
    page.goto(f"/e/{slug}/kiosk?lang={lang}")
    page.click("#start-kiosk")
    page.wait_for_url(re.compile(r"/kiosk$"))
    page.organiser_email = email
    return page, slug


def _fill_personal(page):
    for selector, value in PERSONAL.items():
        page.fill(selector, value)
    page.fill("#lead_email", "khadija@example.ma")


def _shows_nothing_of(page, *texts):
    for selector in ("#title", "#lead_name", "#lead_phone", "#lead_email"):
        if page.locator(selector).count():
            assert page.input_value(selector) == "", selector
    content = page.content()
    for text in texts:
        assert text not in content


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_participant_who_walks_away_leaves_a_blank_form(live, new_page, shot, lang):
    page, _slug = _kiosk(live, new_page, lang)
    fill_first_half(page, "Séchoir solaire de Khadija")
    _fill_personal(page)
    overlay = page.locator("#kiosk-idle")
    page.clock.run_for("01:00")  # a pause to think: nothing happens
    assert overlay.is_hidden()
    page.fill("#local_resources", "Berkane")  # typing again starts the count anew
    page.clock.run_for("01:00")
    assert overlay.is_hidden()
    page.clock.run_for("00:35")  # 95 s without a touch: "Still there?"
    assert overlay.is_visible()
    assert RESET_TEXT[lang] in overlay.inner_text()
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shot(page, f"kiosk-still-there-{lang}")
    page.screenshot(path=str(ARTIFACTS / f"kiosk-still-there-{lang}-screen.png"))  # as seen
    page.click("#kiosk-continue")  # the participant was there: everything stays
    assert overlay.is_hidden() and page.input_value("#lead_name") == PERSONAL["#lead_name"]
    page.clock.run_for("01:35")
    assert overlay.is_visible()
    with page.expect_navigation():
        page.clock.run_for("00:21")  # nobody answers: the form is erased
    page.wait_for_load_state()
    shot(page, f"kiosk-after-reset-{lang}")
    _shows_nothing_of(page, "Khadija", "Séchoir solaire")
    assert overlay.is_hidden()
    # A reload (or the tablet switched off and on) brings nothing back either.
    page.reload()
    _shows_nothing_of(page, "Khadija", "Séchoir solaire")


def test_the_next_participant_finds_a_blank_form_and_back_shows_nothing(live, new_page, shot):
    page, _slug = _kiosk(live, new_page, "fr")
    fill_first_half(page, "Couscous de Khadija")
    fill_second_half(page)
    _fill_personal(page)
    page.click("#submit-idea")
    page.wait_for_url(re.compile(r"/receipt/"))
    code = page.inner_text("#receipt-code").strip()
    page.click("#new-idea")
    page.wait_for_url(re.compile(r"/kiosk$"))
    _shows_nothing_of(page, "Khadija", code)
    # The next participant presses Back, twice: neither the form nor the receipt of the first.
    for _step in range(2):
        page.go_back()
        page.wait_for_load_state()
        shot(page, "kiosk-back")
        _shows_nothing_of(page, "Khadija", "Couscous de Khadija", code)


def test_a_receipt_left_on_screen_turns_into_a_blank_form(live, new_page, shot):
    page, _slug = _kiosk(live, new_page, "ar")
    fill_first_half(page, "تعاونية خديجة")
    fill_second_half(page)
    _fill_personal(page)
    page.click("#submit-idea")
    page.wait_for_url(re.compile(r"/receipt/"))
    code = page.inner_text("#receipt-code").strip()
    assert "دقيقتين" in page.inner_text("#receipt-timeout")  # the safety timeout is stated
    page.clock.run_for("01:50")  # time to copy the code: the receipt stays
    assert page.inner_text("#receipt-code").strip() == code
    shot(page, "kiosk-receipt-ar")
    with page.expect_navigation():
        page.clock.run_for("00:11")  # two minutes: gone, for privacy
    page.wait_for_url(re.compile(r"/kiosk$"))
    _shows_nothing_of(page, "Khadija", code)
    page.go_back()
    page.wait_for_load_state()
    _shows_nothing_of(page, "Khadija", "تعاونية خديجة", code)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_start_over_asks_first_in_a_dialog(live, new_page, shot, lang):
    page, _slug = _kiosk(live, new_page, lang)
    fill_first_half(page, "Ruches de Khadija")
    _fill_personal(page)
    gap = page.evaluate(
        """() => document.getElementById('start-over').getBoundingClientRect().top
                 - document.getElementById('submit-idea').getBoundingClientRect().bottom"""
    )
    assert gap >= 24, f"start over sits apart from Send ({gap} px)"
    page.locator("#start-over").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"kiosk-start-over-button-{lang}.png"))
    page.click("#start-over")
    dialog = page.locator("#start-over-dialog")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-start-over-cancel')")
    shot(page, f"kiosk-start-over-{lang}")
    page.keyboard.press("Escape")  # changed their mind: everything stays
    assert dialog.is_hidden() and page.input_value("#lead_name") == PERSONAL["#lead_name"]
    page.click("#start-over")
    page.click("[data-start-over-cancel]")
    assert page.input_value("#title") == "Ruches de Khadija"
    page.click("#start-over")
    with page.expect_navigation():
        page.click("[data-start-over-confirm]")
    page.wait_for_load_state()
    _shows_nothing_of(page, "Khadija", "Ruches de Khadija")


def test_only_the_organiser_leaves_kiosk_mode_from_the_screen(live, new_page, shot):
    page, slug = _kiosk(live, new_page, "ar")
    exit_link = page.locator("#kiosk-exit")
    box = exit_link.bounding_box()
    assert box["height"] >= 44
    exit_link.click()
    page.wait_for_url(re.compile(r"/kiosk/stop$"))
    shot(page, "kiosk-exit-ar")
    page.fill("#exit-email", "participant@example.ma")  # a participant trying
    page.fill("#exit-password", "1234")
    page.click("#leave-kiosk")
    page.wait_for_load_state()
    assert "/kiosk/stop" in page.url
    page.goto(f"/e/{slug}/kiosk")
    assert page.locator("#idea-form").count() == 1  # still a kiosk
    email = page.organiser_email
    page.goto(f"/e/{slug}/kiosk/stop")
    page.fill("#exit-email", email)
    page.fill("#exit-password", "Tablette-2025!")
    page.click("#leave-kiosk")
    page.wait_for_url(re.compile(rf"/e/{slug}/kiosk$"))
    assert page.locator("#start-kiosk").count() == 1  # the organiser's page again
