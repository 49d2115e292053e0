"""The needs map's bar charts on a phone (issue 17): their labels were ~6 px at 360 px (a scaled
SVG); drawn in HTML they keep at least 12 px, and nothing sticks out sideways."""

import pytest

from tests.e2e.conftest import no_horizontal_overflow


def _bank(live):
    from tests import builders

    def build():
        builders.make_bank_project(title="Miel", sector="agriculture", region="L'Oriental")
        builders.make_bank_project(title="Argan", sector="agrifood", region="Souss-Massa")
        builders.make_idea(builders.make_event(state="open"))

    live.run(build)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_bar_chart_labels_are_readable_on_a_phone(live, new_page, shot, lang):
    _bank(live)
    page = new_page("small-phone", lang)
    page.goto(f"/bank/map?lang={lang}")
    labels = page.locator(".bar-chart .bar-label, .bar-chart .bar-value")
    assert labels.count() >= 4
    sizes = labels.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 12, sizes
    widths = page.locator(".bar-chart .bar").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert max(widths) > 100  # the longest bar spans the track
    assert no_horizontal_overflow(page)
    shot(page, "map")
