"""The territorial map of needs and potential (bank.needs_map and its two pages)."""

import re

import pytest

from bank.models import BankProject
from bank.needs_map import LAYERS, classes, legend, provinces_map, regions_map, shade_of
from competitions.models import Event
from competitions.states import EventState
from extensions import db
from places import census
from tests.builders import make_event, make_idea, selects_for


@pytest.fixture
def tour(app):
    """Ideas in the Oriental and Souss-Massa (one whose typed place no HCP place matched when
    places became codes), and a project."""
    oujda = make_event(state=EventState.OPEN, city="Oujda", slug="oujda", region_code="02")
    agadir = make_event(state=EventState.OPEN, city="Agadir", slug="agadir", region_code="09")
    make_idea(oujda, sector="agriculture", region_code="02", province_code="02.411")
    make_idea(oujda, sector="handicrafts", region_code="02", province_code="02.113")
    make_idea(
        oujda,
        sector="tourism",
        region_code="02",
        province_code="02.411",
        eligibility="ineligible",
    )  # not counted
    make_idea(oujda, sector="tourism", region_code="02", is_calibration=True)  # not counted
    make_idea(agadir, sector="tourism", region_code="09", province_code="09.001")
    make_idea(
        agadir, sector="tourism", region_code=None, province_code=None, place_note="Atlantide / ?"
    )  # not placed
    db.session.add(
        BankProject(
            title="Gîte",
            sector="tourism",
            region_code="09",
            province_code="09.001",
            expected_jobs=7,
        )
    )
    db.session.commit()
    return {"oujda": oujda, "agadir": agadir}


def _area(view, code):
    return next(area for area in view.areas if area.code == code)


def test_the_country_map_counts_the_tours_ideas_and_the_banks_projects_by_region(tour):
    view = regions_map("ideas")
    assert [a.code for a in view.areas] == [f"{n:02d}" for n in range(1, 13)]
    assert _area(view, "02").values["ideas"] == 2
    assert _area(view, "09").values["ideas"] == 1
    assert _area(view, "09").values["projects"] == 1
    assert _area(view, "09").values["jobs"] == 7
    assert _area(view, "01").values["ideas"] == 0
    assert view.unplaced_ideas == 1  # "Atlantide": listed, never guessed
    souss = census.needs("09").population
    assert _area(view, "09").values["per_100k"] == round(100_000 / souss, 2)
    assert _area(view, "02").shade > _area(view, "01").shade
    assert view.years  # the tour's years, from its events


def test_census_layers_come_from_the_2024_census(tour):
    view = regions_map("unemployment")
    assert view.layer.key == "unemployment" and view.year_label() == "2024"
    assert all(area.values["unemployment"] > 0 for area in view.areas)
    assert len({area.shade for area in view.areas}) == 5  # twelve regions over five shades


def test_an_unknown_layer_shows_the_first(tour):
    assert regions_map("<script>").layer.key == "ideas"


def test_a_regions_map_counts_by_province(tour):
    view = provinces_map("02", "ideas")
    assert _area(view, "02.411").values["ideas"] == 1
    assert _area(view, "02.113").values["ideas"] == 1
    assert provinces_map("42", "ideas") is None


def test_classes_spread_values_and_few_values_get_one_class_each():
    assert classes([]) == [] and legend([], []) == []
    assert classes([3, 3, 3]) == [3]
    assert shade_of(3, [3]) == 0 and shade_of(None, [3]) == -1
    assert classes([0] * 8 + [4, 6, 6, 6]) == [0, 4, 6]
    assert [shade_of(v, [0, 4, 6]) for v in (0, 4, 6)] == [0, 2, 4]
    values = list(range(1, 13))
    bounds = classes(values)
    assert len(bounds) == 5 and bounds[-1] == 12
    assert [shade_of(v, bounds) for v in (1, 12)] == [0, 4]
    entries = legend(values, bounds)
    assert [e.shade for e in entries] == [0, 1, 2, 3, 4]
    assert entries[0].low == 1 and entries[-1].high == 12
    assert all(a.high < b.low for a, b in zip(entries, entries[1:], strict=False))


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize("layer", [layer.key for layer in LAYERS])
def test_the_map_page_draws_every_layer_in_every_language(client, tour, lang, layer):
    response = client.get(f"/bank/map?layer={layer}&lang={lang}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('class="area shade-') == 12
    assert body.count('href="/bank/map/') >= 24  # each region in the list and in the table
    assert body.count('data-href="/bank/map/') == 12  # and a tap on the map
    assert len(response.data) < 300_000
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "http://" not in main.replace('xmlns="http://www.w3.org/2000/svg"', "")
    if lang == "ar":
        assert 'dir="rtl"' in body and "الشرق" in body
    assert "2024" in body or layer in ("ideas", "projects", "jobs")


def test_the_map_page_says_the_source_and_year_of_its_layer(client, tour):
    body = client.get("/bank/map?layer=women_activity").get_data(as_text=True)
    assert "HCP" in body and "2024" in body


def test_the_region_page_lists_provinces_sectors_needs_and_projects(client, tour):
    response = client.get("/bank/map/09?layer=projects&lang=fr")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Souss-Massa" in body and "Gîte" in body
    assert "Agadir-Ida-Ou-Tanane" in body
    assert re.search(r"Tourisme", body)
    assert body.count('class="area shade-') == len(provinces_map("09", None).areas)
    arabic = client.get("/bank/map/09?lang=ar").get_data(as_text=True)
    assert "سوس-ماسة" in arabic


@pytest.mark.parametrize("code", ["13", "x", "0" * 300, "02.411"])
def test_an_unknown_region_is_a_404(client, tour, code):
    assert client.get(f"/bank/map/{code}").status_code == 404


def test_the_map_reads_the_database_in_a_constant_number_of_statements(client, tour):
    oujda_id = tour["oujda"].id
    few = selects_for(client, "/bank/map")
    oujda = db.session.get(Event, oujda_id)
    for _ in range(20):
        make_idea(oujda, region_code="02", province_code="02.275")  # Jerada
    assert selects_for(client, "/bank/map") == few <= 4


@pytest.mark.parametrize("layer", [layer.key for layer in LAYERS])
def test_a_regions_page_reads_the_database_in_a_constant_number_of_statements(client, tour, layer):
    path = f"/bank/map/02?layer={layer}"
    oujda_id = tour["oujda"].id
    db.session.add(
        BankProject(title="Projet 0", sector="agrifood", region_code="02", province_code="02.113")
    )
    db.session.commit()  # a region with a project (its page then loads the projects' events)
    few = selects_for(client, path)
    oujda = db.session.get(Event, oujda_id)
    for n in range(20):
        make_idea(oujda, region_code="02", province_code="02.275")  # Jerada
        db.session.add(
            BankProject(
                title=f"Projet {n}", sector="agrifood", region_code="02", province_code="02.275"
            )
        )
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200 and len(response.data) < 300_000
    assert selects_for(client, path) == few <= 12


@pytest.mark.parametrize("code", ["01", "02", "06", "09", "12"])
def test_each_regions_svg_stays_small(client, tour, code):
    body = client.get(f"/bank/map/{code}").get_data(as_text=True)
    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    assert len(svg.encode()) < 300_000
    assert len(body.encode()) < 300_000


def test_the_countrys_svg_stays_small(client, tour):
    body = client.get("/bank/map?lang=ar").get_data(as_text=True)
    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    assert len(svg.encode()) < 300_000
