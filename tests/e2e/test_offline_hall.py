"""The offline hall in Chromium (issue 19, docs/offline.md): the service worker keeps the kiosk's
and the phone's form; ideas sent without a connection wait on the device with their one-time
token and attachment, and each gets its receipt once the site answers again, never twice; an
upgrade while a queue waits refuses the old form clearly and keeps its data.

Offline is Playwright's `context.set_offline(True)` and a route that aborts every request that
still reaches the network: Chromium's emulation may not reach a worker's fetches, and it once let
a page's POST through (a tap stored while the tablet was "offline", 1 CI run in about 200)."""

import re

import pytest
from sqlalchemy import func, select

from bench.server import LiveServer
from tests.e2e.test_participant_journey import (
    RECEIPT,
    _open_event,
    fill_first_half,
    fill_second_half,
)
from tests.submissions.conftest import PDF

BANNER = {"fr": "Hors ligne — sera synchronisé", "ar": "غير متصل — ستتم المزامنة"}
SAVED = {"fr": "Gardée sur cette tablette", "ar": "حُفظت على هذا اللوح"}


def _cut(route):
    """No Wi-Fi: nothing reaches the server (what the service worker answers never gets here)."""
    route.abort("internetdisconnected")


def go_offline(context) -> None:
    context.set_offline(True)
    context.route("**/*", _cut)


def go_online(context) -> None:
    context.unroute("**/*", _cut)
    context.set_offline(False)


def wait_for_worker(page, path: str) -> None:
    """The service worker controls the page and keeps `path` (fetched ahead of time)."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    kept = """async (path) => {
        for (const name of await caches.keys()) {
            if (!name.startsWith("ideathon-pages-")) continue;
            const cache = await caches.open(name);
            if (await cache.match(path, {ignoreVary: true})) return true;
        }
        return false;
    }"""
    for _ in range(100):
        if page.evaluate(kept, path):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the service worker did not keep {path}")


def queue_states(page) -> list[dict]:
    return page.evaluate(
        """() => window.ideathonIdeaQueue.all().then(items => items.map(
            item => ({status: item.status, code: item.code || null, error: item.error || null,
                      file: item.file ? item.file.size : 0})))"""
    )


def replay_all_again(page) -> None:
    """As if every answer had been lost: each sent idea is sent once more."""
    page.evaluate(
        """async () => {
            const queue = window.ideathonIdeaQueue;
            for (const item of await queue.all()) { item.status = "pending"; await queue.put(item); }
            await queue.flush();
        }"""
    )


def stored_ideas(live, slug):
    from competitions.models import Event
    from extensions import db
    from submissions.models import Idea

    def read():
        event_id = db.session.scalar(select(Event.id).where(Event.slug == slug))
        rows = db.session.execute(
            select(Idea.receipt_code, Idea.title, Idea.source, Idea.attachment_name)
            .where(Idea.event_id == event_id)
            .order_by(Idea.id)
        ).all()
        return [tuple(row) for row in rows]

    return live.run(read)


def start_kiosk(page, email, slug, lang, base=""):
    _sign_in_at(page, base, email)
    page.goto(f"{base}/e/{slug}/kiosk?lang={lang}")
    page.click("#start-kiosk")
    page.wait_for_url(re.compile(r"/kiosk$"))


def _sign_in_at(page, base, email):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "Tablette-2025!")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login" not in page.url


def send_offline(page, title, lang, attachment=None):
    fill_first_half(page, title)
    fill_second_half(page, commune=False)
    if attachment:
        page.set_input_files("#attachment", attachment)
    page.click("#submit-idea")
    saved = page.locator("#queued-message")
    saved.wait_for(state="visible")
    assert SAVED[lang] in saved.inner_text()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_kiosk_takes_three_ideas_offline_and_each_gets_one_receipt(live, new_page, shot, lang):
    email, slug = _open_event(live)
    page = new_page("tablet", lang)
    start_kiosk(page, email, slug, lang)
    wait_for_worker(page, f"/e/{slug}/kiosk")

    go_offline(page.context)
    page.reload()  # the tablet's copy of the form, marked offline
    banner = page.locator("#offline-banner")
    banner.wait_for(state="visible")
    assert BANNER[lang] in banner.inner_text()
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.get_attribute("html", "data-offline-copy") == "1"
    titles = [f"Idée hors ligne {n} ({lang})" for n in (1, 2, 3)]
    attachment = {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    for n, title in enumerate(titles):
        send_offline(page, title, lang, attachment if n == 1 else None)
        # The next participant finds a blank form: nothing of the previous one on the screen.
        assert page.input_value("#title") == "" and page.input_value("#lead_name") == ""
        assert not page.is_checked("#consent")
        assert title not in page.inner_text("main")
    shot(page, "three-saved")
    assert [s["status"] for s in queue_states(page)] == ["pending"] * 3
    assert [s["file"] for s in queue_states(page)] == [0, len(PDF), 0]
    assert stored_ideas(live, slug) == []

    go_online(page.context)  # the page hears `online` and sends its queue
    page.wait_for_function(
        "() => document.querySelectorAll('#offline-queue-list [data-state=sent]').length === 3"
    )
    shot(page, "three-sent")
    codes = [s["code"] for s in queue_states(page)]
    assert all(RECEIPT.match(code) for code in codes) and len(set(codes)) == 3
    listed = page.inner_text("#offline-queue-list")
    assert all(code in listed for code in codes)
    assert all(title not in listed for title in titles)  # codes only, never what was typed
    stored = stored_ideas(live, slug)
    assert [(code, title, source) for code, title, source, _file in stored] == [
        (code, title, "kiosk") for code, title in zip(codes, titles, strict=True)
    ]
    assert [file for *_rest, file in stored] == [None, "plan.pdf", None]

    for _ in range(2):
        replay_all_again(page)
        assert [s["code"] for s in queue_states(page)] == codes
    assert len(stored_ideas(live, slug)) == 3


def test_a_phone_that_reconnects_shows_its_receipt(live, new_page, shot):
    _email, slug = _open_event(live)
    page = new_page("small-phone", "fr")
    page.goto(f"/e/{slug}/submit")
    wait_for_worker(page, f"/e/{slug}/submit")
    go_offline(page.context)
    page.reload()
    page.locator("#offline-banner").wait_for(state="visible")
    fill_first_half(page, "Idée du téléphone")
    fill_second_half(page, commune=False)
    page.click("#submit-idea")
    page.locator("#queued-message").wait_for(state="visible")
    assert "Gardée sur ce téléphone" in page.inner_text("#queued-message")
    assert "En attente de la connexion" in page.inner_text("#offline-queue")
    shot(page, "phone-waiting")

    go_online(page.context)
    sent = page.locator("#offline-queue-list [data-state=sent]")
    sent.wait_for()
    (code,) = [s["code"] for s in queue_states(page)]
    assert f"Envoyée · reçu {code}" in sent.inner_text()
    shot(page, "phone-sent")
    sent.locator("a").click()
    page.wait_for_url(re.compile(r"/receipt/"))
    assert page.inner_text("#receipt-code").strip() == code
    assert "Idée du téléphone" in page.inner_text("main")


@pytest.fixture
def upgradable(live):
    """A second server on the same database, restarted on its port as a new release."""
    server = LiveServer(live.server.database_url, live.server.instance_dir, workers=1)
    server.start()

    def upgrade():
        port = server.port
        server.stop()
        server.extra_env = {"IDEA_FORM_VERSION": "next-form", "RELEASE": "next"}
        server.port = port
        server.start()

    server.upgrade = upgrade
    yield server
    server.stop()


def test_an_upgrade_while_a_queue_waits_refuses_the_old_form_and_keeps_its_data(
    live, new_page, shot, upgradable
):
    email, slug = _open_event(live)
    base = upgradable.url
    page = new_page("tablet", "fr")
    start_kiosk(page, email, slug, "fr", base=base)
    wait_for_worker(page, f"/e/{slug}/kiosk")
    old_caches = page.evaluate("caches.keys()")
    go_offline(page.context)
    send_offline(page, "Idée d'avant la mise à jour", "fr")

    upgradable.upgrade()
    go_online(page.context)
    refused = page.locator("#offline-queue-list [data-state=refused]")
    refused.wait_for()
    assert "version précédente du site" in refused.inner_text()
    shot(page, "refused-kept")
    assert stored_ideas(live, slug) == []
    (state,) = queue_states(page)
    assert state["status"] == "refused"

    page.reload()  # the new release: a new worker, whose caches replace the old ones
    for _ in range(100):
        names = page.evaluate("caches.keys()")
        if names and not set(names) & set(old_caches):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"the old caches stayed: {names}")
    # An organiser puts the kept idea back in the new form and sends it.
    page.locator("#offline-queue-list [data-state=refused] button").click()
    assert page.input_value("#title") == "Idée d'avant la mise à jour"
    page.click("#submit-idea")
    page.wait_for_url(re.compile(r"/receipt/"), wait_until="domcontentloaded")
    code = page.inner_text("#receipt-code").strip()
    shot(page, "re-entered")
    assert [(c, t) for c, t, *_ in stored_ideas(live, slug)] == [
        (code, "Idée d'avant la mise à jour")
    ]
    page.goto(f"{base}/e/{slug}/kiosk")
    assert queue_states(page) == []
    assert stored_ideas(live, slug) and live.run(lambda: _count_ideas(slug)) == 1


def _count_ideas(slug):
    from competitions.models import Event
    from extensions import db
    from submissions.models import Idea

    return db.session.scalar(select(func.count(Idea.id)).join(Event).where(Event.slug == slug))
