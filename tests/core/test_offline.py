"""The service worker's server side (issue 19, docs/offline.md): served at the site's root with
its cache version written in; a manifest of what the visitor needs offline; only pages marked
`available_offline` say so, with an opaque scope per visitor."""

from core import offline
from tests.builders import make_event, make_user


def test_the_service_worker_is_served_at_the_root_with_its_cache_version(client, app):
    answer = client.get("/sw.js")
    script = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "__CACHE_VERSION__" not in script
    with app.test_request_context():
        assert f'var VERSION = "{offline.cache_version()}"' in script


def test_a_new_release_gives_a_new_cache_version(app):
    with app.test_request_context():
        before = offline.cache_version()
        app.config["RELEASE"] = "2026-12-01"
        app.extensions.pop("core.offline_version", None)
        try:
            assert offline.cache_version() != before
        finally:
            app.config["RELEASE"] = ""
            app.extensions.pop("core.offline_version", None)


def test_the_manifest_lists_the_assets_and_a_fresh_csrf_token(client):
    answer = client.get("/offline/manifest.json")
    manifest = answer.get_json()
    assert answer.headers["Cache-Control"] == "no-store"
    assert "/static/js/app.js" in manifest["assets"]
    assert "/static/js/idea-queue.js" in manifest["assets"]
    assert "/vendor/bootstrap/dist/css/bootstrap.rtl.min.css" in manifest["assets"]
    assert manifest["scope"] == "anyone" and manifest["pages"] == []
    assert manifest["csrf"]


def test_a_kiosk_tablet_keeps_its_form_under_its_own_scope(client, login):
    event = make_event()
    login(make_user("organiser"))
    organiser_scope = client.get("/offline/manifest.json").get_json()["scope"]
    client.post(f"/e/{event.slug}/kiosk/start")
    manifest = client.get("/offline/manifest.json").get_json()
    assert manifest["pages"] == [f"/e/{event.slug}/kiosk"]
    assert manifest["scope"] not in ("anyone", organiser_scope)
    form = client.get(f"/e/{event.slug}/kiosk")
    assert form.headers["Ideathon-Offline"] == manifest["scope"]


def test_each_account_has_its_own_opaque_scope(client, login):
    scopes = []
    for user in (make_user("jury"), make_user("jury")):
        login(user)
        scopes.append(client.get("/offline/manifest.json").get_json()["scope"])
    assert len(set(scopes)) == 2
    assert all(len(scope) == 20 and "user" not in scope for scope in scopes)


def test_only_pages_marked_available_offline_say_so(client):
    event = make_event()
    assert client.get(f"/e/{event.slug}/submit").headers["Ideathon-Offline"] == "anyone"
    assert "Ideathon-Offline" not in client.get("/").headers
    assert "Ideathon-Offline" not in client.get("/receipt").headers


def test_every_page_names_its_scope_for_the_cleaning_of_other_visitors_pages(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<meta name="offline-scope" content="anyone" data-worker="/sw.js">' in page
    assert 'id="offline-banner"' in page and "/static/js/offline.js" in page


def test_a_page_to_keep_says_so_to_the_script_that_asks_the_worker_to_keep_it(client):
    event = make_event()
    page = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    assert 'data-worker="/sw.js" data-kept>' in page
