from competitions.states import EventState
from tests.builders import make_user


def test_home_is_french_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Se connecter" in page


def test_lang_query_serves_arabic_right_to_left_and_is_remembered(client):
    page = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "تسجيل الدخول" in page
    # remembered for the session
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_browser_preference_is_the_fallback(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Sign in" in page


def test_switch_remembers_the_choice_on_the_account(app, client, login):
    user = login(make_user("organiser"))
    response = client.post("/language", data={"lang": "ar", "next": "/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    from extensions import db

    db.session.refresh(user)
    assert user.locale == "ar"
    fresh = app.test_client()
    login(user, fresh)
    assert 'dir="rtl"' in fresh.get("/").get_data(as_text=True)


def test_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"lang": "fr", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_mad_amounts_are_grouped_the_french_way(app):
    from flask_babel import force_locale

    from i18n import format_mad

    with app.test_request_context("/"), force_locale("fr"):
        assert format_mad(2230000).replace("\u202f", " ").replace("\xa0", " ") == "2 230 000 MAD"


def test_lang_query_lasts_beyond_one_page_for_a_signed_in_user(client, login):
    login(make_user("organiser", locale="fr"))
    assert 'dir="rtl"' in client.get("/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_signing_in_keeps_the_language_chosen_before(client):
    """Issue 17: the choice on the sign-in page wins over the saved one (tests/accounts/
    test_sign_in_language.py covers every language and the browser's preference)."""
    from tests.builders import PASSWORD

    user = make_user("organiser", locale="ar")
    client.get("/?lang=fr")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert '<html lang="fr" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_amounts_on_pages_are_isolated_so_arabic_text_keeps_their_order(app):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("ar"):
        html = render_template_string("{{ 480000|mad }}")
    assert html == '<bdi class="amount"><bdi dir="ltr">480,000</bdi>&nbsp;درهم</bdi>'


def test_every_page_has_an_icon_and_favicon_ico_answers(client):
    """Issue 17: each page logged a missing favicon.ico."""
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    for path in ("/favicon.ico", "/static/img/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).lstrip().startswith("<svg")
        response.close()


def test_every_language_switch_offers_english_and_pages_render_in_english(client, login):
    """Issue 17: English is the third language; message ids are English, and the one that
    was not ("Idéathon") has an English rendering."""
    from tests.builders import make_event

    event = make_event(state=EventState.OPEN)
    pages = ["/", "/login", "/receipt", f"/e/{event.slug}/submit", "/bank", "/bank/map"]
    for path in pages:
        page = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert '<html lang="en" dir="ltr">' in page, path
        assert 'name="lang" value="en"' in page, path  # the header's switch
        brand = page.split('class="navbar-brand', 1)[1].split("</a>", 1)[0]
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert brand.endswith(">Ideathon") and "Idéathon" not in title, path
    login(make_user("organiser"))
    with client.session_transaction() as session:
        session["kiosk_event"] = event.slug  # a kiosk started by an organiser
    kiosk = client.get(f"/e/{event.slug}/kiosk?lang=en").get_data(as_text=True)
    switch = kiosk.split('class="lang-switch', 1)[1].split("</form>", 1)[0]
    assert all(f'value="{code}"' in switch for code in ("ar", "fr", "en"))
    assert "Send my idea" in kiosk


def test_labels_handed_to_a_long_table_are_translated_once_in_the_readers_language(app):
    """`i18n.translated`: the progress matrix shows a sheet state's label in each of its cells;
    the view hands the template plain strings, already in the reader's language."""
    from flask_babel import force_locale

    from i18n import translated
    from judging.services import SHEET_STATE_LABELS

    with app.test_request_context("/"), force_locale("ar"):
        labels = translated(SHEET_STATE_LABELS)
        arabic = {key: str(label) for key, label in SHEET_STATE_LABELS.items()}
    with app.test_request_context("/"), force_locale("fr"):
        french = {key: str(label) for key, label in SHEET_STATE_LABELS.items()}
    assert labels == arabic and set(labels) == set(SHEET_STATE_LABELS)
    assert all(type(label) is str for label in labels.values())  # not lazy: fixed once
    assert labels != french  # the reader's language, not the default one
