"""Registration before the day in the browser: registering on a phone in Arabic (360 px), the
ticket with its QR code, and check-in at the door by typed code (a browser without a
BarcodeDetector, as headless Chromium); the audience vote on a phone."""

import itertools

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow, sign_in

PASSWORD = "Accueil-Porte-2026!"
_runs = itertools.count(1)


def _open_event(live, **extra):
    from extensions import db
    from registration import services
    from tests.builders import make_event, make_user

    n = next(_runs)

    def build():
        event = make_event(
            slug=f"laayoune-e2e-{n}",
            city="Laâyoune",
            city_ar="العيون",
            state=EventState.DRAFT,
            **extra,
        )
        services.configure(event, {"is_open": "y", "capacity": "1"}, by=None)
        db.session.commit()
        door = make_user("facilitator", email=f"porte{n}@example.ma", password=PASSWORD,
                         events=(event,))  # fmt: skip
        return event.slug, door.email

    return live.run(build)


def test_registering_on_a_phone_in_arabic(live, new_page, shot):
    slug, _door = _open_event(live)
    page = new_page("small-phone", "ar")
    page.goto(f"/e/{slug}/register?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "العيون" in page.locator("main h1").inner_text()
    page.click("#register-submit")  # nothing typed: every message in Arabic, nothing lost
    assert page.locator("#r-name-error").is_visible()
    assert "09-08" in page.locator("#r-consent-error").inner_text()
    page.fill("#r-name", "مريم ولد أحمد")
    page.fill("#r-phone", "٠٦١٢٣٤٥٦٧٨")  # Arabic-Indic digits, as an Arabic keyboard types them
    page.select_option("#r-gender", "female")
    page.check("#r-consent")
    assert no_horizontal_overflow(page)
    shot(page, "register-ar-360")
    page.click("#register-submit")
    page.wait_for_url(f"**/e/{slug}/ticket/*")
    assert page.locator("#ticket svg").count() == 1
    assert "مريم ولد أحمد" in page.locator("#ticket").inner_text()
    assert no_horizontal_overflow(page)
    shot(page, "ticket-ar-360")
    # The only place is taken: the next one waits.
    other = new_page("small-phone", "ar")
    other.goto(f"/e/{slug}/register?lang=ar")
    other.fill("#r-name", "سالك ولد سيدي")
    other.fill("#r-phone", "0612345679")
    other.check("#r-consent")
    other.click("#register-submit")
    other.wait_for_url(f"**/e/{slug}/ticket/*")
    assert "لائحة الانتظار" in other.locator("#ticket-state").inner_text()


def test_check_in_by_typed_code_at_the_door(live, new_page, shot):
    from registration import services

    slug, door = _open_event(live)

    def registrant():
        from competitions.services import get_event
        from extensions import db

        event = get_event(slug)
        person = services.register(
            event, {"name": "Brahim Ma El Ainine", "phone": "0611223344", "consent": "y"}
        )
        db.session.commit()
        return person.code

    code = live.run(registrant)
    page = new_page("tablet", "fr")
    sign_in(page, door, PASSWORD)
    page.goto(f"/e/{slug}/check-in")
    assert (
        page.locator("#camera-missing").is_visible() or page.locator("#camera-block").is_visible()
    )
    page.fill("#check-in-code", code.lower().replace("-", " "))  # as typed by hand
    page.click("#check-in-submit")
    page.wait_for_load_state()
    assert "Brahim Ma El Ainine" in page.locator("main").inner_text()
    assert "1 sur 1" in page.locator("main").inner_text()
    shot(page, "checked-in")
    page.fill("#check-in-code", code)
    page.click("#check-in-submit")
    page.wait_for_load_state()
    assert "Déjà enregistré" in page.locator("main").inner_text()
    page.fill("#check-in-code", "ZZZZZ-ZZZZZ")
    page.click("#check-in-submit")
    page.wait_for_load_state()
    assert "Aucune inscription" in page.locator("main").inner_text()


def test_voting_for_the_audience_prize_on_a_phone(live, new_page, shot):
    def build():
        from audience import services
        from extensions import db
        from tests.builders import make_event, make_idea

        n = next(_runs)
        event = make_event(slug=f"rabat-vote-{n}", city="Rabat", city_ar="الرباط")
        make_idea(event, title="Séchoir solaire")
        make_idea(event, title="Couscous bio")
        services.open_vote(event, by=None)
        codes = services.generate_codes(event, {"count": "1"}, by=None)
        db.session.commit()
        return event.slug, codes[0].code

    slug, code = live.run(build)
    page = new_page("small-phone", "ar")
    page.goto(f"/e/{slug}/vote?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    page.get_by_label("Couscous bio").check()
    page.fill("#vote-code", code)
    assert no_horizontal_overflow(page)
    shot(page, "vote-ar-360")
    page.click("#vote-submit")
    page.wait_for_load_state()
    assert "تم احتساب صوتك" in page.locator("main").inner_text()
    page.get_by_label("Couscous bio").check()
    page.fill("#vote-code", code)
    page.click("#vote-submit")
    page.wait_for_load_state()
    assert "صوت واحد لكل شخص" in page.locator("main").inner_text()
