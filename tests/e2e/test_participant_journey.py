"""Journey 1: a participant sends an idea (kiosk tablet, phone, desktop) and gets a receipt."""

import re

import pytest
from sqlalchemy import select

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow, sign_in
from tests.submissions.conftest import PDF

RECEIPT = re.compile(r"^[A-Z]{3}-[2-9A-Z]{4}$")


def _open_event(live):
    from tests import builders

    def build():
        organiser = builders.make_user("organiser")
        event = builders.make_event(state=EventState.OPEN)
        return organiser.email, event.slug

    return live.run(build)


def _stored(live, code):
    from extensions import db
    from submissions.models import Idea

    return live.run(
        lambda: db.session.execute(
            select(Idea.title, Idea.source, Idea.locale).where(Idea.receipt_code == code)
        ).one_or_none()
    )


def fill_first_half(page, title):
    page.fill("#title", title)
    page.fill("#problem", "Les femmes rurales n'ont pas de revenu régulier.")
    page.fill("#solution", "Une coopérative qui roule et vend du couscous artisanal.")
    page.select_option("#sector", "agrifood")


def fill_second_half(page, *, commune=True):
    """`commune=False`: offline, the province's communes cannot be fetched (the commune is
    optional; the idea is sent without it)."""
    page.select_option("#region_code", "02")  # the Oriental
    # The province list narrows to the region's; the communes of the province are fetched.
    assert page.locator("#province_code option[value='09.581']").count() == 0
    page.select_option("#province_code", "02.411")  # Oujda-Angad
    if commune:
        page.locator("#commune_code option[value='02.411.01.11']").wait_for(state="attached")
        page.select_option("#commune_code", "02.411.01.11")  # Bni Drar
    page.check("input[name=team_kind][value=group]")
    page.fill("#lead_name", "Fatima Zahra")
    page.fill("#lead_phone", "06 12 34 56 78")
    page.check("#consent")


def send_and_read_receipt(page) -> str:
    page.click("#submit-idea")
    page.wait_for_url(re.compile(r"/receipt/"))
    code = page.inner_text("#receipt-code").strip()
    assert RECEIPT.match(code), code
    return code


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_participant_at_a_kiosk_submits_an_idea_and_gets_a_receipt(live, new_page, shot, lang):
    email, slug = _open_event(live)
    page = new_page("tablet", lang)
    sign_in(page, email, "Tablette-2025!")
    page.goto(f"/e/{slug}/kiosk?lang={lang}")
    shot(page, "kiosk-start")
    page.click("#start-kiosk")
    page.wait_for_url(re.compile(r"/kiosk"))
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shot(page, "kiosk-form")
    title = f"Couscous de la kiosque ({lang})"
    fill_first_half(page, title)
    fill_second_half(page)
    shot(page, "kiosk-filled")
    code = send_and_read_receipt(page)
    shot(page, "kiosk-receipt")
    assert _stored(live, code) == (title, "kiosk", lang)
    # The kiosk is still a kiosk: no organiser page behind it.
    page.goto("/tour")
    assert "/login" in page.url


def test_phone_in_arabic_keeps_a_half_filled_form_across_a_reload(live, new_page, shot):
    _email, slug = _open_event(live)
    page = new_page("phone", "ar")
    page.goto(f"/e/{slug}/submit?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert no_horizontal_overflow(page), "the form scrolls sideways on a phone"
    fill_first_half(page, "تعاونية الكسكس النسوية")
    shot(page, "phone-half-filled")
    page.reload()
    assert page.input_value("#title") == "تعاونية الكسكس النسوية"
    assert page.input_value("#problem").startswith("Les femmes rurales")
    assert page.input_value("#sector") == "agrifood"
    shot(page, "phone-after-reload")
    fill_second_half(page)
    code = send_and_read_receipt(page)
    assert no_horizontal_overflow(page), "the receipt scrolls sideways on a phone"
    shot(page, "phone-receipt")
    assert _stored(live, code) == ("تعاونية الكسكس النسوية", "form", "ar")
    # The draft is gone once the idea is sent: a new form starts blank.
    page.goto(f"/e/{slug}/submit")
    assert page.input_value("#title") == ""


def test_desktop_in_french_submits_an_idea(live, new_page, shot):
    _email, slug = _open_event(live)
    page = new_page("desktop", "fr")
    page.goto(f"/e/{slug}/submit")
    assert page.get_attribute("html", "lang") == "fr"
    fill_first_half(page, "Séchoir solaire de figues")
    fill_second_half(page)
    shot(page, "desktop-filled")
    code = send_and_read_receipt(page)
    shot(page, "desktop-receipt")
    assert _stored(live, code) == ("Séchoir solaire de figues", "form", "fr")


CHOOSE = {
    "ar": ("اختيار ملف", "لم يُختر أي ملف"),
    "fr": ("Choisir un fichier", "Aucun fichier choisi"),
}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_attachment_picker_speaks_the_pages_language_whatever_the_browsers(
    live, new_page, shot, lang
):
    """A phone whose browser is in the other language: the file button and "no file chosen"
    are the page's (the browser's own input would say them in its language); a tap on the
    button opens the file chooser, the chosen file's name shows, and the idea goes with it."""
    _email, slug = _open_event(live)
    page = new_page("small-phone", "fr" if lang == "ar" else "ar")  # the browser's language
    page.goto(f"/e/{slug}/submit?lang={lang}")
    button, empty = CHOOSE[lang]
    face = page.locator(".field-attachment .file-picker-face")
    assert face.locator(".btn").inner_text() == button
    assert face.locator(".file-picker-name").inner_text() == empty
    # The real input lies over the face: what a finger taps on the button is the input.
    face.scroll_into_view_if_needed()
    box = face.locator(".btn").bounding_box()
    tapped = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).id",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert tapped == "attachment"
    assert box["height"] >= 44  # a touch target
    with page.expect_file_chooser() as chooser:
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    name = "plan-de-la-cooperative-des-femmes-de-bni-drar-version-finale.pdf"
    chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
    assert face.locator(".file-picker-name").inner_text() == name
    assert no_horizontal_overflow(page), "a long file name pushes the form sideways"
    shot(page, "attachment-chosen")
    fill_first_half(page, f"Coopérative avec pièce jointe ({lang})")
    fill_second_half(page)
    code = send_and_read_receipt(page)

    from extensions import db
    from submissions.models import Idea

    stored = live.run(
        lambda: db.session.scalar(select(Idea.attachment_path).where(Idea.receipt_code == code))
    )
    assert stored
