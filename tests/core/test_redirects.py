"""No open redirect: every `next` and return address is a path on this site (issue 15, finding 1).
Each hostile value is what the server receives once the query string or form is decoded."""

from urllib.parse import urlencode, urlsplit

import pytest

from refusals import Refusal, answer, same_site_path
from tests.builders import PASSWORD, make_user

HOSTILE = [
    "/\t/evil.example/phish",  # next=/%09/evil.example/phish: a browser drops the tab
    "/\n/evil.example/phish",  # next=/%0a...: a 500 before
    "/\r\n/evil.example/phish",
    "/\r/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "//evil.example/phish",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%09/evil.example",  # next=/%2509/...: decoded once more, still a tab
    "/%2F/evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/" + "a" * 2001,
]


def _off_site(location: str) -> bool:
    parts = urlsplit(location)
    return bool(parts.scheme or parts.netloc) and parts.netloc != "localhost"


@pytest.mark.parametrize("target", HOSTILE)
def test_same_site_path_refuses_every_hostile_target(target):
    assert same_site_path(target) is None


@pytest.mark.parametrize("target", ["/", "/tour", "/bank?sector=agri&q=caf%C3%A9", "/e/x-1/ideas"])
def test_same_site_path_keeps_paths_of_this_site(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_sends_the_browser_off_site(client, target):
    user = make_user("organiser")
    response = client.post(
        "/login?" + urlencode({"next": target}), data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/tour"


def test_sign_in_follows_a_next_on_this_site(client):
    user = make_user("organiser")
    response = client.post(
        "/login?next=/bank%3Fsector%3Dagri", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/bank?sector=agri"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_sends_the_browser_off_site(client, target):
    response = client.post("/language", data={"lang": "ar", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


# A header cannot hold a line break: the referrer gets every other hostile value.
@pytest.mark.parametrize("target", [t for t in HOSTILE if "\n" not in t and "\r" not in t])
def test_a_refused_form_never_goes_back_to_a_hostile_referrer(app, target):
    """The refusal handler's way back is the referrer's path on this site, checked the same way."""
    with app.test_request_context(
        "/anything", method="POST", headers={"Referer": "http://localhost" + target}
    ):
        response = app.make_response(answer(Refusal("no")))
    location = response.headers.get("Location")
    assert location is None or not _off_site(location)
    assert location is None or same_site_path(location) == location


def test_a_refused_form_goes_back_to_its_page_on_this_site(app):
    with app.test_request_context(
        "/anything", method="POST", headers={"Referer": "http://localhost/bank?q=a"}
    ):
        response = app.make_response(answer(Refusal("no")))
    assert response.status_code == 303 and response.headers["Location"] == "/bank?q=a"
