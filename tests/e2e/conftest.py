"""Browser journeys: headless Debian Chromium driven by Playwright (sync API) against a real
server process on loopback (gunicorn, 2 workers) and a fresh migrated SQLite database seeded
with the builders. Screenshots of every step go to test-artifacts/e2e/ (git-ignored)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench.server import LiveServer, fresh_database, migrate, seed_app

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {
    "small-phone": (360, 740),
    "phone": (390, 844),
    "tablet": (800, 1280),
    "desktop": (1366, 900),
}


def pytest_collection_modifyitems(config, items):
    reason = None
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed"
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().parent == here:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


class Live:
    def __init__(self, server: LiveServer, app):
        self.server = server
        self.app = app

    @property
    def url(self) -> str:
        return self.server.url

    def run(self, fn):
        from extensions import db

        with self.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("e2e")
    with fresh_database("sqlite", workdir) as url:
        instance = workdir / "instance"
        migrate(url, instance)
        app = seed_app(url, instance)
        server = LiveServer(url, instance)
        server.start()
        try:
            yield Live(server, app)
        finally:
            server.stop()
            from extensions import db

            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live):
    """new_page(size, lang): a fresh browser context (own cookies and storage) at that size."""
    contexts = []

    def _new(size: str = "desktop", lang: str = "fr"):
        width, height = SIZES[size]
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="ar-MA" if lang == "ar" else "fr-MA",
            base_url=live.url,
            accept_downloads=True,
            has_touch=size != "desktop",
            is_mobile=size in ("phone", "small-phone"),
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
        page.csp_violations = []
        page.on("console", lambda message: _note_csp_violation(page, message))
        pages.append(page)
        return page

    pages = []
    yield _new
    for context in contexts:
        context.close()
    violations = [text for page in pages for text in page.csp_violations]
    assert violations == [], "the Content-Security-Policy blocked something"


def _note_csp_violation(page, message) -> None:
    """Chromium reports what the Content-Security-Policy blocks as a console error."""
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


@pytest.fixture
def shot(request):
    """shot(page, step): a full-page screenshot test-artifacts/e2e/<test>-<nn>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    counter = iter(range(1, 100))

    def _shot(page, step: str) -> Path:
        path = ARTIFACTS / f"{name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"sign-in of {email} failed"


def no_horizontal_overflow(page) -> bool:
    """True when nothing sticks out sideways (phones must never scroll sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


def choose_language(page, lang: str) -> None:
    """The header's language switch (kept on the account of a signed-in user); it may sit in
    the collapsed menu on small screens, so the button is pressed from script."""
    with page.expect_navigation():
        page.locator(f"form.lang-switch button[value={lang}]").first.evaluate("b => b.click()")
    assert page.get_attribute("html", "lang") == lang
