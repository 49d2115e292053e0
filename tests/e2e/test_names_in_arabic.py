"""An Arabic reader of the organiser's event page and of the jury cards, on a phone (360 px):
the competition, city and venue read in Arabic; a venue typed only in French says so."""

import itertools

from tests.e2e.conftest import no_horizontal_overflow, sign_in

PASSWORD = "Organisateur-2026!"
_runs = itertools.count(1)


def _event(live, *, venue_ar: str | None):
    from tests.builders import add_jury, make_competition, make_event, make_user

    n = next(_runs)

    def build():
        competition = make_competition(
            name="Idéathon — Banque des projets coopératifs",
            name_ar="أيدياثون — بنك المشاريع التعاونية",
            slug=f"noms-{n}",
        )
        event = make_event(
            competition, slug=f"noms-rabat-{n}", city="Rabat", city_ar="الرباط",
            venue="Bibliothèque nationale du Royaume", venue_ar=venue_ar,
        )  # fmt: skip
        for k in range(2):
            add_jury(
                event, make_user("jury", name=f"حكم {k + 1}", email=f"hakam{k}.{n}@example.ma")
            )
        organiser = make_user(email=f"noms{n}@example.ma", password=PASSWORD, locale="ar")
        return event.slug, organiser.email

    return live.run(build)


def test_the_arabic_event_page_and_jury_cards_read_in_arabic_on_a_phone(live, browser, shot):
    slug, email = _event(live, venue_ar="المكتبة الوطنية للمملكة")
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ar-MA", base_url=live.url,
        has_touch=True, is_mobile=True,
    )  # fmt: skip
    try:
        page = context.new_page()
        sign_in(page, email, PASSWORD)
        page.goto(f"/tour/events/{slug}?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        heading = page.locator("main h1").inner_text()
        assert "الرباط" in heading and "Rabat" not in heading
        text = page.locator("main").inner_text()
        assert "المكتبة الوطنية للمملكة" in text and "بنك المشاريع التعاونية" in text
        assert page.locator(".lang-hint").count() == 0
        assert no_horizontal_overflow(page)
        shot(page, "event-ar-360")
        with context.expect_page() as opened:
            page.locator("form[action$='/jury/cards'] button[type=submit]").click()
        cards = opened.value
        cards.wait_for_load_state()
        card = cards.locator(".jury-card").first.inner_text()
        assert "الرباط" in card and "المكتبة الوطنية للمملكة" in card and "Rabat" not in card
        assert "بنك المشاريع التعاونية" in card
        assert no_horizontal_overflow(cards)
        shot(cards, "jury-cards-ar-360")
    finally:
        context.close()


def test_a_venue_typed_only_in_french_is_marked_as_french_on_the_arabic_page(live, browser, shot):
    slug, email = _event(live, venue_ar=None)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ar-MA", base_url=live.url,
        has_touch=True, is_mobile=True,
    )  # fmt: skip
    try:
        page = context.new_page()
        sign_in(page, email, PASSWORD)
        page.goto(f"/tour/events/{slug}?lang=ar")
        venue = page.locator("bdi[lang=fr]", has_text="Bibliothèque nationale du Royaume")
        assert venue.count() == 1
        assert page.locator(".lang-hint").first.inner_text() == "(بالفرنسية)"
        assert no_horizontal_overflow(page)
        shot(page, "event-ar-360-fallback")
    finally:
        context.close()
