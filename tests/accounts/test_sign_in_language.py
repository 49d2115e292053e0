"""Signing in keeps the language the person was reading (issue 17): the choice made on the
sign-in page, else the browser's preference, wins over the account's saved language, and is
then saved on the account."""

import pytest

from accounts.models import User
from extensions import db
from tests.builders import PASSWORD, make_user

LANGS = ["ar", "fr", "en"]


def _sign_in(client, user, **kwargs):
    return client.post("/login", data={"email": user.email, "password": PASSWORD}, **kwargs)


def _page_lang(client):
    html = client.get("/receipt").get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("chosen", LANGS)
def test_language_chosen_on_the_sign_in_page_wins_over_the_saved_one(client, chosen):
    saved = "fr" if chosen != "fr" else "ar"
    user = make_user("organiser", locale=saved)
    client.get(f"/login?lang={chosen}")
    assert _sign_in(client, user).status_code == 303
    assert _page_lang(client) == chosen
    assert db.session.get(User, user.id).locale == chosen


@pytest.mark.parametrize("browser", LANGS)
def test_browser_preference_wins_when_no_choice_was_made(client, browser):
    saved = "fr" if browser != "fr" else "en"
    user = make_user("jury", locale=saved)
    headers = {"Accept-Language": f"{browser};q=0.9"}
    assert _sign_in(client, user, headers=headers).status_code == 303
    assert _page_lang(client) == browser
    assert db.session.get(User, user.id).locale == browser


@pytest.mark.parametrize("saved", LANGS)
def test_saved_language_applies_when_neither_choice_nor_browser_says(client, saved):
    user = make_user("organiser", locale=saved)
    assert _sign_in(client, user).status_code == 303
    assert _page_lang(client) == saved
