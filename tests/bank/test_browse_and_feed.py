import html

import pytest

from bank.models import BankProject
from bank.services import promote_winners
from competitions.states import EventState
from extensions import db
from tests.bank.conftest import SEEDED_EMAIL, SEEDED_LEAD, SEEDED_PHONE
from tests.builders import make_user


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def add_project(**fields) -> BankProject:
    values = dict(
        title="Projet",
        summary="",
        sector="agrifood",
        region_code="02",
        province_code="02.411",
        status="idea",
        financing_sources=[],
    )
    values.update(fields)
    project = BankProject(**values)
    db.session.add(project)
    db.session.commit()
    return project


@pytest.fixture
def bank(app, published):
    promote_winners(published["event"], None, include_bank_worthy=True)
    db.session.commit()
    add_project(
        title="التعاونيّة الفلاحية لزيت الأركان",
        summary="إنتاج زيت الأركان وتسويقه",
        sector="agriculture",
        region_code="09",
        province_code="09.541",
        budget_mad=400_000,
        status="funded",
    )
    add_project(
        title="Atelier numérique des jeunes",
        sector="digital",
        region_code="03",
        province_code="03.061",
        budget_mad=1_200_000,
        status="support",
    )
    return published


def _titles(payload) -> set[str]:
    return {item["title"] for item in payload["items"]}


def test_public_bank_shows_projects_but_no_personal_data(client, bank):
    page = client.get("/bank")
    body = _text(page)
    assert page.status_code == 200
    assert "Coopérative de couscous Al Amal" in body and "Atelier numérique des jeunes" in body
    for secret in (SEEDED_PHONE, SEEDED_EMAIL, SEEDED_LEAD, "Khadija Amrani"):
        assert secret not in body
    project_id = bank["winner"].id
    project = db.session.query(BankProject).filter_by(idea_id=project_id).one()
    detail = client.get(f"/bank/{project.id}")
    detail_body = _text(detail)
    assert "Al Amal" in detail_body and "Femmes rurales" in detail_body
    for secret in (SEEDED_PHONE, SEEDED_EMAIL, SEEDED_LEAD, "Khadija Amrani"):
        assert secret not in detail_body


def test_json_feed_has_no_personal_data(client, bank):
    response = client.get("/api/bank/projects?per_page=100")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    payload = response.get_json()
    assert payload["total"] == 5 and len(payload["items"]) == 5
    for secret in (SEEDED_PHONE, SEEDED_EMAIL, SEEDED_LEAD, "Khadija Amrani"):
        assert secret not in raw
    for item in payload["items"]:
        assert not {"contact_name", "contact_phone", "contact_email", "team"} & set(item)
    winner = next(i for i in payload["items"] if i["title"].startswith("Coopérative de couscous"))
    assert winner["origin"] == {
        "event": "oujda-2025",
        "city": "Oujda",
        "city_ar": "وجدة",
        "year": 2025,
        "rank": 1,
        "is_winner": True,
        "score_100": 62.0,
        "mean_z": 1.2,
        "raw": 4.5,
    }


def test_organiser_view_shows_the_contact(client, login, bank):
    login(make_user())
    body = _text(client.get("/tour/bank"))
    assert SEEDED_LEAD in body and SEEDED_PHONE in body
    project = db.session.query(BankProject).filter_by(idea_id=bank["winner"].id).one()
    detail = _text(client.get(f"/tour/bank/{project.id}"))
    assert SEEDED_EMAIL in detail and "Khadija Amrani" in detail


def test_organiser_views_need_a_sign_in(client, bank):
    assert client.get("/tour/bank").status_code == 302
    assert "/login" in client.get("/tour/bank/export.xlsx").headers["Location"]


def test_organiser_views_are_closed_to_jury_members(client, login, bank):
    login(make_user("jury"))
    assert client.get("/tour/bank").status_code == 403
    assert client.get("/tour/bank/export.xlsx").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=09", {"التعاونيّة الفلاحية لزيت الأركان"}),  # HCP codes, as the lists send
        ("province=03.061", {"Atelier numérique des jeunes"}),
        ("region=Souss-Massa", {"التعاونيّة الفلاحية لزيت الأركان"}),  # a name is read too
        ("region=03&province=Meknès", {"Atelier numérique des jeunes"}),
        ("sector=handicrafts", {"Tissage de tapis"}),
        ("status=funded", {"التعاونيّة الفلاحية لزيت الأركان"}),
        ("min_budget=300000", {"التعاونيّة الفلاحية لزيت الأركان", "Atelier numérique des jeunes"}),
        (
            "min_budget=100000&max_budget=400 000",
            {
                "التعاونيّة الفلاحية لزيت الأركان",
                "Coopérative de couscous Al Amal",
                "Tissage de tapis",
            },
        ),
        ("max_budget=100000", {"Miel de thym bio"}),
        ("sector=agriculture&region=L'Oriental", {"Miel de thym bio"}),
    ],
)
def test_filters(client, bank, query, expected):
    payload = client.get(f"/api/bank/projects?{query}").get_json()
    assert _titles(payload) == expected
    assert payload["total"] == len(expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("تعاونية", {"التعاونيّة الفلاحية لزيت الأركان"}),  # no shadda in the query
        ("الاركان", {"التعاونيّة الفلاحية لزيت الأركان"}),  # alef with hamza folded
        ("cooperative", {"Coopérative de couscous Al Amal"}),
        ("COUSCOUS amal", {"Coopérative de couscous Al Amal"}),  # every word must match
        ("couscous tapis", set()),
        ("numerique", {"Atelier numérique des jeunes"}),
        ("100%", set()),  # LIKE wildcards are literal
    ],
)
def test_search_in_arabic_and_french(client, bank, q, expected):
    payload = client.get("/api/bank/projects", query_string={"q": q}).get_json()
    assert _titles(payload) == expected


def test_the_feed_carries_each_place_as_its_code_and_names(client, bank):
    items = client.get("/api/bank/projects?region=03").get_json()["items"]
    assert items[0]["region"] == {"code": "03", "name_fr": "Fès-Meknès", "name_ar": "فاس-مكناس"}
    assert items[0]["province"]["code"] == "03.061" and items[0]["commune"] is None


def test_the_province_list_follows_the_region_chosen(client, bank):
    body = client.get("/bank?region=09").get_data(as_text=True)
    province_list = body[body.index('id="bank-province"') :].split("</select>")[0]
    assert "09.541" in province_list and "03.061" not in province_list


def test_public_page_search_and_filters(client, bank):
    body = _text(client.get("/bank", query_string={"q": "تعاونية"}))
    assert "لزيت الأركان" in body and "Atelier numérique" not in body
    body = _text(client.get("/bank?sector=digital"))
    assert "Atelier numérique" in body and "Tissage" not in body


def test_feed_is_paginated_with_links(client, bank):
    first = client.get("/api/bank/projects?per_page=2&sector=").get_json()
    assert (first["total"], first["page"], first["pages"], len(first["items"])) == (5, 1, 3, 2)
    assert first["previous"] is None and "page=2" in first["next"] and "per_page=2" in first["next"]
    second = client.get(first["next"]).get_json()
    third = client.get(second["next"]).get_json()
    assert third["next"] is None and len(third["items"]) == 1
    ids = [i["id"] for p in (first, second, third) for i in p["items"]]
    assert len(set(ids)) == 5
    filtered = client.get("/api/bank/projects?per_page=1&sector=agriculture").get_json()
    assert "sector=agriculture" in filtered["next"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=101", "per_page"),
        ("per_page=-5", "per_page"),
        ("min_budget=-1", "min_budget"),
        ("max_budget=12.5", "max_budget"),
        ("min_budget=dix", "min_budget"),
        ("q=" + "x" * 201, "au maximum 200"),
        ("region=" + "x" * 101, "region"),
        ("region=13", "Région inconnue 13"),
        ("region=Atlantide", "Région inconnue"),
        ("province=99.999", "Province inconnue"),
        ("max_budget=&max_budget=5", "max_budget"),  # a repeated parameter is not guessed at
        ("status=closed", "Statut inconnu"),
        ("sector=mining", "Secteur inconnu"),
    ],
)
def test_bad_feed_parameters_get_a_clear_400(client, bank, query, message):
    response = client.get(f"/api/bank/projects?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_a_crossed_budget_range_is_empty_in_the_feed_and_said_on_the_page(client, bank):
    feed = client.get("/api/bank/projects?min_budget=500&max_budget=100")
    assert feed.status_code == 200 and feed.get_json()["total"] == 0
    page = client.get("/bank?min_budget=500&max_budget=100")
    assert page.status_code == 200 and "budget minimum est plus grand" in _text(page)


def test_bad_filter_on_the_page_is_explained(client, bank):
    response = client.get("/bank?min_budget=-5")
    assert response.status_code == 400
    assert "min_budget" in _text(response)


def test_feed_of_one_project_and_unknown_project(client, bank):
    project = db.session.query(BankProject).filter_by(idea_id=bank["winner"].id).one()
    one = client.get(f"/api/bank/projects/{project.id}")
    assert one.get_json()["title"] == "Coopérative de couscous Al Amal"
    assert SEEDED_PHONE not in one.get_data(as_text=True)
    missing = client.get("/api/bank/projects/99999")
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_the_bank_is_linked_from_the_navigation(client, login):
    assert 'href="/bank"' in client.get("/bank/map").get_data(as_text=True)


def test_organisers_find_their_bank_view_in_the_navigation(client, login):
    login(make_user())
    body = client.get("/bank/map").get_data(as_text=True)
    assert 'href="/tour/bank"' in body and "Banque de projets" in body


def test_bank_pages_name_the_origin_city_in_arabic_for_arabic_readers(client, login):
    from bank.models import BankProject
    from extensions import db
    from tests.builders import make_event, make_user

    event = make_event(state=EventState.PUBLISHED, city="Oujda", city_ar="وجدة")
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411",
        origin_event_id=event.id, origin_rank=1,
    )  # fmt: skip
    db.session.add(project)
    db.session.commit()
    assert "وجدة" in client.get(f"/bank/{project.id}?lang=ar").get_data(as_text=True)
    login(make_user("organiser"))
    assert "وجدة" in client.get("/tour/bank?lang=ar").get_data(as_text=True)


def test_the_bank_list_costs_the_same_queries_for_one_origin_or_three(client, login):
    from bank.models import BankProject
    from extensions import db
    from tests.builders import make_event, make_user, selects_for

    login(make_user("organiser"))
    counts = []
    for cities in (("Oujda",), ("Fès", "Agadir")):
        for city in cities:
            event = make_event(state=EventState.PUBLISHED, city=city)
            db.session.add(
                BankProject(
                    title=f"Projet {city}", sector="agrifood", region_code="02",
                    province_code="02.411", origin_event_id=event.id, origin_rank=1,
                )
            )  # fmt: skip
        db.session.commit()
        counts.append(selects_for(client, "/tour/bank"))
    assert counts[0] == counts[1], counts
