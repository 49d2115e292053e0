"""Journey 3: an organiser moves the event to deliberation, records the winners, validates the
minutes, publishes, downloads the Excel ranking (opened here) and promotes the winners into
the project bank."""

import itertools
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.e2e.conftest import choose_language, sign_in

_tours = itertools.count(1)


def _scored_event(live):
    """One event being judged: 6 ideas, 3 judges, every sheet submitted (synthetic, seeded)."""
    from tools.synthetic import PASSWORD, generate_tour

    prefix = f"orga{next(_tours)}"
    tour = live.run(
        lambda: generate_tour(events=1, ideas=6, judges=3, state="judging", prefix=prefix)
    )
    from competitions.models import Event
    from extensions import db

    slug = live.run(lambda: db.session.get(Event, tour.event_ids[0]).slug)
    return tour.organiser_email, PASSWORD, slug, tour.event_ids[0]


def _move(page, slug, state):
    """A step that cannot be undone: its link leads to the page saying what it does, where the
    organiser ticks the confirmation."""
    page.goto(f"/tour/events/{slug}")
    page.locator(f"a[href$='/tour/events/{slug}/state/{state}']").click()
    page.wait_for_load_state()
    page.locator("#confirm").check()
    page.locator("form:has(input[name=confirm]) button[type=submit]").click()
    page.wait_for_load_state()


def _president_name(live, event_id):
    from competitions.models import Event
    from competitions.services import jury_president
    from extensions import db

    return live.run(lambda: jury_president(db.session.get(Event, event_id)).user.name)


def _event_state(live, event_id):
    from competitions.models import Event
    from extensions import db

    return live.run(lambda: db.session.get(Event, event_id).state)


@pytest.mark.parametrize(("size", "lang"), [("desktop", "fr"), ("tablet", "ar")])
def test_organiser_deliberates_publishes_downloads_and_promotes(
    live, new_page, shot, tmp_path, size, lang
):
    from bank.models import BankProject
    from competitions.models import Event
    from extensions import db
    from judging.results import event_winners

    email, password, slug, event_id = _scored_event(live)
    page = new_page(size, lang)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, email, password)
    page.goto(f"/tour/events/{slug}")
    choose_language(page, lang)
    shot(page, "event-judging")

    _move(page, slug, "deliberation")
    assert _event_state(live, event_id) == "deliberation"
    page.goto(f"/judging/{slug}/deliberation")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shot(page, "deliberation")
    page.locator(f"form[action$='/judging/{slug}/winners'] button").click()
    page.wait_for_load_state()
    page.locator(f"a[href$='/judging/{slug}/validate']").click()
    page.wait_for_load_state()
    page.locator("#president_name").fill(_president_name(live, event_id))
    page.locator("#confirm").check()
    shot(page, "validate-confirm")
    page.locator(f"form[action$='/judging/{slug}/validate'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/minutes$"))
    shot(page, "minutes")

    page.goto(f"/tour/events/{slug}/state/published")
    shot(page, "publish-confirm")
    _move(page, slug, "published")
    assert _event_state(live, event_id) == "published"
    shot(page, "published")
    winners = live.run(lambda: event_winners(db.session.get(Event, event_id)))
    assert len(winners) == 3

    page.goto("/tour/rankings")
    shot(page, "rankings")
    with page.expect_download() as download_info:
        page.locator(f"a[href*='/tour/events/{slug}/rankings.xlsx']").first.click()
    path = tmp_path / "ranking.xlsx"
    download_info.value.save_as(path)
    workbook = load_workbook(path, read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    workbook.close()
    assert len(workbook.sheetnames) >= 1
    assert any("à Tanger" in cell for cell in cells), "the ideas' titles are in the workbook"

    page.goto("/tour/bank/promote")
    shot(page, "promote")
    page.locator(f"form[action$='/tour/bank/promote/{slug}'] button").click()
    page.wait_for_load_state()
    shot(page, "promoted")
    promoted = live.run(
        lambda: db.session.scalar(
            select(func.count(BankProject.id)).where(BankProject.origin_event_id == event_id)
        )
    )
    assert promoted == 3

    public = new_page(size, lang)
    public.goto(f"/e/{slug}/results")
    shot(public, "public-results")
    assert public.locator("main").inner_text().strip()
