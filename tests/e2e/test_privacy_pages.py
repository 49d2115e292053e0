"""The privacy notice on a phone, in Arabic: reachable from the form, readable, right to left."""

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow


def test_privacy_notice_in_arabic_on_a_phone_is_reached_from_the_form(live, new_page, shot):
    from tests import builders

    slug = live.run(lambda: builders.make_event(state=EventState.OPEN).slug)
    page = new_page("phone", "ar")
    page.goto(f"/e/{slug}/submit?lang=ar")
    href = page.get_attribute("#privacy-link", "href")
    assert href == "/privacy"
    page.goto(href)
    assert page.get_attribute("html", "dir") == "rtl"
    notice = page.locator("#privacy-notice")
    assert notice.get_attribute("data-version") == "v1"
    text = notice.inner_text()
    assert "09.08" in text and "CNDP" in text and "مكتب تنمية التعاون" in text
    assert no_horizontal_overflow(page)
    shot(page, "privacy-ar-phone")


def test_participant_sees_their_data_in_arabic_on_a_phone(live, new_page, shot):
    from tests import builders

    def build():
        event = builders.make_event(state=EventState.OPEN)
        return builders.make_idea(event, lead_email="fatima@example.ma").receipt_code

    code = live.run(build)
    page = new_page("phone", "ar")
    page.goto("/privacy/my-data?lang=ar")
    page.fill("#code", code)
    page.fill("#phone", "06 12 34 56 78")
    page.locator("#my-data-form button[type=submit]").click()
    page.wait_for_load_state()
    held = page.inner_text("#held-data")
    assert "Fatima Zahra" in held and "fatima@example.ma" in held
    assert no_horizontal_overflow(page)
    shot(page, "my-data-ar-phone")
