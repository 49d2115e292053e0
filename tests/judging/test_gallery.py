"""The winners' gallery: public, the winners of the results in force only, their sector, region
and a short description, and never a name, a phone, an e-mail or a receipt code."""

import pytest
from sqlalchemy import event as sa_event

from competitions.states import EventState
from extensions import db, utcnow
from judging import gallery
from judging.models import ResultVersion
from tests.builders import add_result, make_event, make_idea, make_user

LEAD = "Amina Benali"
PHONE = "+212661234567"
EMAIL = "amina.secret@example.ma"
MEMBER = "Khadija Amrani"


@pytest.fixture
def tour(app):
    oujda = make_event(state=EventState.PUBLISHED, city="Oujda", slug="oujda-2026")
    winner = make_idea(
        oujda,
        title="Coopérative de couscous Al Amal",
        solution=f"Rouler le couscous à la main. Contact : {LEAD}, 06 61 23 45 67, {EMAIL}; "
        f"avec {MEMBER}.",
        sector="agrifood",
        region_code="02",  # L'Oriental
        lead_name=LEAD,
        lead_phone=PHONE,
        lead_email=EMAIL,
        other_members=MEMBER,
    )
    loser = make_idea(oujda, title="Idée non primée")
    add_result(oujda, winner, 1, True)
    add_result(oujda, loser, 2, False)
    agadir = make_event(
        state=EventState.JUDGING, city="Agadir", region_code="09", slug="agadir-2026"
    )
    unpublished = make_idea(agadir, title="Gîte d'Agadir")
    add_result(agadir, unpublished, 1, True)  # a version of an event not published yet
    return {"oujda": oujda, "agadir": agadir, "winner": winner}


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_gallery_shows_each_published_stops_winners(client, tour, lang):
    response = client.get(f"/winners?lang={lang}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Coopérative de couscous Al Amal" in body and "Rouler le couscous" in body
    assert "Idée non primée" not in body
    assert "Gîte d'Agadir" not in body  # its event is not published
    assert {"fr": "Agroalimentaire", "ar": "الشرق", "en": "Agri-food"}[lang] in body
    if lang == "ar":
        assert 'dir="rtl"' in body
    assert "/e/oujda-2026/winners" in body


def test_the_gallery_never_shows_personal_data(client, tour):
    for path in ("/winners", "/e/oujda-2026/winners"):
        body = client.get(path).get_data(as_text=True)
        for secret in (LEAD, "Benali", EMAIL, MEMBER, "06 61 23 45 67", PHONE, "661234567"):
            assert secret not in body, (path, secret)
        assert tour["winner"].receipt_code not in body


def test_a_stop_before_its_results_is_not_found(client, tour):
    assert client.get("/e/agadir-2026/winners").status_code == 404
    assert client.get("/e/nowhere/winners").status_code == 404


def test_voided_results_disappear_and_an_amendment_shows_its_own_winners(client, tour):
    oujda = tour["oujda"]
    version = db.session.query(ResultVersion).filter_by(event_id=oujda.id).one()
    version.voided_at = utcnow()
    db.session.commit()
    assert "Al Amal" not in client.get("/winners").get_data(as_text=True)
    assert client.get("/e/oujda-2026/winners").status_code == 404
    other = make_idea(oujda, title="Miel de thym bio")
    add_result(oujda, other, 1, True, number=2)
    body = client.get("/winners").get_data(as_text=True)
    assert "Miel de thym bio" in body and "Al Amal" not in body


def test_anonymous_visitors_may_keep_the_page_signed_in_ones_may_not(client, login, tour):
    anonymous = client.get("/winners")
    assert "public" in anonymous.headers["Cache-Control"]
    assert "max-age=300" in anonymous.headers["Cache-Control"]
    login(make_user())
    assert client.get("/winners").headers["Cache-Control"] == "no-store"


def test_the_gallery_reads_the_database_in_a_constant_number_of_statements(app, client, tour):
    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/winners").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count()
    for n in range(3):
        event = make_event(state=EventState.PUBLISHED, city=f"Ville {n}", slug=f"ville-{n}")
        add_result(event, make_idea(event, title=f"Projet {n}"), 1, True)
    assert count() == few <= 6


def test_the_bank_and_the_home_page_link_to_the_gallery(client, tour):
    for path in ("/", "/bank", "/bank/map"):
        assert 'href="/winners"' in client.get(path).get_data(as_text=True), path


def test_a_long_description_is_shortened_on_a_word():
    text = "mot " * 200
    short = gallery._shorten(text)
    assert len(short) <= gallery.DESCRIPTION_CHARS + 2 and short.endswith("…")


def test_the_results_in_force_link_to_their_stops_gallery(client, tour):
    body = client.get("/e/oujda-2026/results").get_data(as_text=True)
    assert 'href="/e/oujda-2026/winners"' in body
