"""Sending the idea form without a connection (issue 17): a clear translated message instead of
the browser's error page; what was typed stays in the form and in its draft; once the connection
is back the same tap sends it."""

import pytest

from tests.e2e.test_participant_journey import (
    _open_event,
    fill_first_half,
    fill_second_half,
    send_and_read_receipt,
)

MESSAGES = {"ar": "لا يوجد اتصال", "fr": "Pas de connexion"}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_sending_offline_shows_a_message_and_keeps_the_idea(live, new_page, shot, lang):
    _email, slug = _open_event(live)
    page = new_page("small-phone", lang)
    page.goto(f"/e/{slug}/submit?lang={lang}")
    fill_first_half(page, "Coopérative hors ligne")
    fill_second_half(page)
    form_url = page.url
    page.context.set_offline(True)
    page.click("#submit-idea")
    message = page.locator("#offline-message")
    message.wait_for(state="visible")
    assert MESSAGES[lang] in message.inner_text()
    assert page.url == form_url and page.input_value("#title") == "Coopérative hors ligne"
    draft = page.evaluate(f"localStorage.getItem('ideathon-draft:submit-{slug}')")
    assert draft and "Coopérative hors ligne" in draft
    shot(page, "offline")

    page.context.set_offline(False)
    send_and_read_receipt(page)
