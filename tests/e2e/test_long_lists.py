"""The long lists of an event, on a phone in Arabic: the audit log, the progress matrix, the
deliberation, triage and a judge's sheets come a page at a time, with paging links reached by
the keyboard, and nothing sticks out sideways at 360 px."""

from tests.builders import PASSWORD
from tests.e2e.conftest import CHROMIUM_ARGS, no_horizontal_overflow, sign_in  # noqa: F401

PAGES = [
    ("audit", "/judging/{slug}/audit"),
    ("audit-filtered", "/judging/{slug}/audit?action=score:score&q=impact"),
    ("progress", "/judging/{slug}/progress"),
    ("deliberation", "/judging/{slug}/deliberation"),
    ("triage", "/tour/events/{slug}/ideas"),
]


def _event(live):
    from tests.builders import make_user
    from tests.test_page_budgets import build_event

    def build():
        event, judges = build_event(120)
        organiser = make_user("organiser", name="سميرة المنظمة")
        return event.slug, organiser.email, judges[0].email

    return live.run(build)


def _phone(browser, live):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="ar-MA",
        base_url=live.url,
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    return context


def test_long_lists_are_paged_in_arabic_at_360_px(browser, live, shot):
    slug, organiser, judge = _event(live)
    for who, email, pages in (
        ("organiser", organiser, PAGES),
        ("judge", judge, [("jury", "/jury")]),
    ):
        context = _phone(browser, live)
        page = context.new_page()
        errors: list = []
        page.on("pageerror", lambda error, seen=errors: seen.append(error))
        sign_in(page, email, PASSWORD)
        page.goto("/?lang=ar")
        for name, path in pages:
            page.goto(path.format(slug=slug))
            assert page.get_attribute("html", "dir") == "rtl", name
            assert no_horizontal_overflow(page), name
            shot(page, f"{who}-{name}")
            nav = page.locator("nav[aria-label='الصفحات']")
            if name == "audit-filtered":
                continue
            assert nav.count() >= 1, name
            following = nav.first.locator("a[rel=next]")
            following.focus()
            assert page.evaluate("document.activeElement.getAttribute('rel')") == "next", name
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert "page=2" in page.url, name
            assert page.locator("[aria-current=page]").first.inner_text().strip() == "2", name
        assert errors == []
        context.close()
