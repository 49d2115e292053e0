"""Links and QR codes lead to the address the app really runs on (issue 17): in development the
request's own host and port, in production EXTERNAL_BASE_URL; jobs outside a request use
EXTERNAL_BASE_URL."""

import pytest

from competitions.states import EventState
from jobs.outbox import external_url, site_base_url
from tests.builders import add_jury, make_event, make_user

DEV_HOST = "http://localhost:8123"


def test_development_qr_code_and_poster_use_the_port_the_app_runs_on(app, client):
    app.config["EXTERNAL_BASE_URL"] = "https://ideathon.example.ma"  # a copied production file
    event = make_event()
    poster = client.get(f"/e/{event.slug}/poster", base_url=DEV_HOST).get_data(as_text=True)
    assert f"{DEV_HOST}/e/{event.slug}/submit" in poster
    assert "127.0.0.1:5000" not in poster and "ideathon.example.ma" not in poster


def test_development_jury_cards_use_the_port_the_app_runs_on(client, login):
    login(make_user("organiser"))
    event = make_event(state=EventState.OPEN)
    add_jury(event, make_user("jury", password=None))
    page = client.post(f"/tour/events/{event.slug}/jury/cards", base_url=DEV_HOST)
    assert f"{DEV_HOST}/login/link/" in page.get_data(as_text=True)


def test_production_keeps_the_configured_public_address(app, client):
    app.config.update(APP_ENV="production", EXTERNAL_BASE_URL="https://ideathon.example.ma/")
    event = make_event()
    poster = client.get(f"/e/{event.slug}/poster", base_url=DEV_HOST).get_data(as_text=True)
    assert f"https://ideathon.example.ma/e/{event.slug}/submit" in poster


def test_production_without_a_configured_address_uses_the_request(app):
    app.config.update(APP_ENV="production", EXTERNAL_BASE_URL=None)
    with app.test_request_context("/", base_url="https://tour.example.ma"):
        assert site_base_url() == "https://tour.example.ma"


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("https://ideathon.example.ma", "https://ideathon.example.ma"),
        (None, "http://127.0.0.1:5000"),
    ],
)
def test_jobs_outside_a_request_use_the_configured_address(app, configured, expected):
    app.config["EXTERNAL_BASE_URL"] = configured
    assert external_url("submissions.receipt_lookup") == expected + "/receipt"
