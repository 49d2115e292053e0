"""The territorial map on a phone (issues 16 and 17): twelve regions drawn, text readable (the
old bar charts' labels were ~6 px at 360 px), nothing sticking out sideways, a tap on a region
opening its page, and the same links in the list beside the map for the keyboard."""

import pytest

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow


def _bank(live):
    from tests import builders

    def build():
        builders.make_bank_project(title="Miel", sector="agriculture", region_code="02")
        builders.make_bank_project(
            title="Argan", sector="agrifood", region_code="09", province_code="09.001"
        )
        builders.make_idea(builders.make_event(state=EventState.OPEN))

    live.run(build)


INSIDE = """(area) => {
  const box = area.getBoundingClientRect();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.left + (box.width * i) / 24, y = box.top + (box.height * j) / 24;
    if (document.elementFromPoint(x, y) === area) return [x, y];
  }
  return null;
}"""


def tap_region(page, area) -> None:
    """A finger on the region's own shape: the centre of its box may fall on a neighbour or on
    the sea (a click there, forced, missed Souss-Massa in one CI run)."""
    area.scroll_into_view_if_needed()
    point = area.evaluate(INSIDE)
    assert point, "no point of the region can be tapped"
    page.mouse.click(*point)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_map_reads_on_a_phone_and_a_tap_opens_a_region(live, new_page, shot, lang):
    _bank(live)
    page = new_page("small-phone", lang)
    page.goto(f"/bank/map?lang={lang}&layer=projects")
    assert page.locator(".needs-map .area").count() == 12
    texts = page.locator(".map-legend li, .map-ranking li, .map-layers label")
    sizes = texts.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 12, sizes
    assert no_horizontal_overflow(page)
    shot(page, "map")
    # The keyboard reaches the regions through the list beside the map.
    first = page.locator(".map-ranking a").first
    first.focus()
    assert page.evaluate("document.activeElement.closest('.map-ranking') !== null")
    # A tap on Souss-Massa (09) opens its page with its provinces.
    tap_region(page, page.locator('.needs-map .area[data-href*="/bank/map/09"]'))
    page.wait_for_url("**/bank/map/09**")
    assert page.locator(".needs-map .area").count() == 6  # Souss-Massa's six provinces
    assert no_horizontal_overflow(page)
    shot(page, "region")
