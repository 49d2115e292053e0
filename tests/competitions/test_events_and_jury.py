"""Competitions and events from the organiser's pages; jury panels and jury cards."""

import html
from datetime import date

import pytest

from accounts.models import LoginLink, User
from audit.models import AuditEntry
from competitions import services
from competitions.models import Competition, Event, JuryMember
from competitions.states import EventState
from extensions import db
from tests.builders import add_jury, make_competition, make_event, make_user


def _event_form(**overrides):
    data = {
        "city": "Oujda",
        "city_ar": "وجدة",
        "region_code": "02",
        "venue": "Technopole",
        "date": "2025-04-03",
        "capacity": "150",
        "winners_count": "3",
        "languages": ["ar", "fr"],
        "slug": "",
        "tour_order": "",
        "judges_per_idea": "3",
        "min_judges": "2",
        "ranking_method": "",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_competition_with_the_default_rubric(client, organiser):
    response = client.post("/tour/competitions/new", data={"name": "Idéathon 2026", "year": "2026"})
    assert response.status_code == 303
    competition = db.session.query(Competition).one()
    assert competition.slug == "ideathon-2026-2026" or competition.slug.startswith("ideathon-2026")
    assert (
        len(competition.rubric.criteria) == 6
        and competition.rubric.criteria[0].key == "social_impact"
    )


def test_organiser_creates_an_event_in_draft_with_a_slug_from_city_and_year(client, organiser):
    competition = make_competition()
    response = client.post(f"/tour/competitions/{competition.slug}/events/new", data=_event_form())
    assert response.status_code == 303
    event = db.session.query(Event).one()
    assert (event.slug, event.state, event.languages, event.capacity) == (
        "oujda-2025",
        "draft",
        "ar,fr",
        150,
    )
    assert event.date == date(2025, 4, 3) and event.tour_order == 1
    assert response.headers["Location"].endswith("/tour/events/oujda-2025")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"city": ""}, "Ce champ est obligatoire"),
        ({"region_code": "Atlantis"}, "Choisissez une des options de la liste"),
        ({"region_code": "L'Oriental"}, "Choisissez une des options de la liste"),  # a code
        ({"date": "03/04/2025x"}, "date"),
        ({"capacity": "beaucoup"}, "entier"),
        ({"capacity": "0"}, "de 1 à 100\u202f000"),
        ({"winners_count": "-1"}, "de 0 à 100"),
        ({"languages": []}, "au moins une langue"),
        ({"slug": "Oujda 2025!"}, "minuscules"),
        ({"judges_per_idea": "0"}, "de 1 à 50"),
        ({"split_panels": "y", "judges_per_idea": "2", "min_judges": "3"}, "ne peut pas dépasser"),
    ],
)
def test_bad_event_input_is_refused_with_a_clear_message(client, organiser, overrides, message):
    competition = make_competition()
    response = client.post(
        f"/tour/competitions/{competition.slug}/events/new", data=_event_form(**overrides)
    )
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.session.query(Event).count() == 0


def test_an_address_already_used_is_refused(client, organiser):
    competition = make_competition()
    make_event(competition, slug="oujda-2025")
    response = client.post(f"/tour/competitions/{competition.slug}/events/new", data=_event_form())
    assert response.status_code == 422 and "déjà utilisée" in response.get_data(as_text=True)
    assert db.session.query(Event).count() == 1


def test_organiser_edits_an_event_and_the_change_is_audited(client, organiser):
    event = make_event(state=EventState.OPEN, slug="oujda-2025")
    page = client.get(f"/tour/events/{event.slug}/edit").get_data(as_text=True)
    assert 'value="Maison des jeunes"' in page
    response = client.post(
        f"/tour/events/{event.slug}/edit",
        data=_event_form(slug="oujda-2025", winners_count="5", venue="Palais des congrès"),
    )
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.winners_count == 5 and event.venue == "Palais des congrès"
    entry = db.session.query(AuditEntry).filter_by(entity="event", action="edit").one()
    assert entry.old["winners_count"] == 3 and entry.new["winners_count"] == 5


def test_organiser_chooses_what_participants_are_told_of_the_results(client, organiser):
    event = make_event(state=EventState.OPEN, slug="oujda-2025")
    page = client.get(f"/tour/events/{event.slug}/edit").get_data(as_text=True)
    assert "Indiquer à chaque participant le rang de son idée" in page
    client.post(
        f"/tour/events/{event.slug}/edit",
        data=_event_form(slug="oujda-2025", share_ranks="y", share_feedback="y"),
    )
    db.session.refresh(event)
    assert event.share_ranks and event.share_feedback
    client.post(f"/tour/events/{event.slug}/edit", data=_event_form(slug="oujda-2025"))
    db.session.refresh(event)
    assert not event.share_ranks and not event.share_feedback


def test_published_event_settings_are_frozen(client, organiser):
    event = make_event(state=EventState.PUBLISHED, slug="oujda-2025")
    response = client.post(
        f"/tour/events/{event.slug}/edit", data=_event_form(slug="oujda-2025", winners_count="9")
    )
    assert response.status_code == 422 and "figés" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.winners_count == 3


def test_event_page_shows_the_moves_jury_links_and_history(client, organiser, clean_registries):
    event = make_event(state=EventState.OPEN)
    add_jury(event, make_user("jury", name="Samira Alaoui"), is_president=True)
    services.add_event_link_provider(lambda e: [("Classement", f"/results/{e.slug}")])
    services.add_event_stats_provider(
        lambda ids: {i: {"ideas": 17, "judging_progress": 40.0} for i in ids}
    )
    client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"})
    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    assert "Samira Alaoui" in page and "Présidence du jury" in page
    assert "Président" not in page  # a neutral title (issue 17): women chair juries too
    assert f"/results/{event.slug}" in page and "Classement" in page
    assert "Revenir à la collecte" in page or "Rouvrir le dépôt" in page
    assert "Clôturer l'évaluation" in page
    assert organiser.name in page  # the history says who moved it


def test_event_history_keeps_its_moves_among_many_scores(client, organiser):
    """Scores and ideas are audited under the event too: a busy judging day must not push the
    event's own moves out of its History card, nor show other actions as "Created"."""
    from audit.services import record

    event = make_event(state=EventState.OPEN)
    client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"})
    for n in range(80):
        record("score", n, "score", event_id=event.id, new={"value": 3})
    record("event", event.id, "winners", event_id=event.id, new={"winners": []})
    db.session.commit()
    page = html.unescape(client.get(f"/tour/events/{event.slug}").get_data(as_text=True))
    history = page[page.index("Historique") :]
    assert "Collecte → Évaluation" in history or "→" in history
    assert organiser.name in history
    assert "Créé" not in history


def test_dashboard_shows_every_stop_with_state_and_figures(client, organiser, clean_registries):
    competition = make_competition(name="Idéathon — Banque des projets coopératifs 2025")
    make_event(competition, state=EventState.JUDGING, city="Casablanca", slug="casablanca-2025")
    make_event(competition, state=EventState.DRAFT, city="Agadir", slug="agadir-2025")
    services.add_event_stats_provider(
        lambda ids: {i: {"ideas": 12, "judging_progress": 50} for i in ids}
    )
    page = client.get("/tour").get_data(as_text=True)
    assert page.index("Casablanca") < page.index("Agadir")
    assert "En évaluation" in page and "Brouillon" in page
    assert "50 %" in page and 'Idées reçues : <bdi dir="ltr">12</bdi>' in page


def test_public_home_links_open_events_to_their_submission_page(client):
    competition = make_competition()
    make_event(competition, state=EventState.OPEN, city="Dakhla", slug="dakhla-2025")
    make_event(competition, state=EventState.DRAFT, city="Rabat", slug="rabat-2025")
    page = client.get("/").get_data(as_text=True)
    assert "Dakhla" in page and "Rabat" in page
    assert "/e/dakhla-2025/submit" in page and "/e/rabat-2025/submit" not in page


def test_organiser_adds_a_new_jury_member_by_email(client, organiser):
    event = make_event(state=EventState.OPEN)
    response = client.post(
        f"/tour/events/{event.slug}/jury",
        data={"email": "Karim@Example.MA", "name": "Karim Benali", "panel": "1"},
    )
    assert response.status_code == 303
    member = db.session.query(JuryMember).one()
    assert member.user.email == "karim@example.ma" and member.user.role == "jury"
    assert member.user.password_hash is None  # signs in with the jury card


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pas-un-email", "panel": "1"}, "adresse e-mail"),
        ({"email": "new@example.ma", "name": "", "panel": "1"}, "donnez le nom"),
        ({"email": "new@example.ma", "name": "Nouveau", "panel": "2"}, "pas réparti en jurys"),
        ({"email": "new@example.ma", "name": "Nouveau", "panel": "x"}, "entier"),
    ],
)
def test_bad_jury_input_is_refused(client, organiser, data, message):
    event = make_event(state=EventState.OPEN)
    response = client.post(f"/tour/events/{event.slug}/jury", data=data)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.session.query(JuryMember).count() == 0
    assert db.session.query(User).filter_by(role="jury").count() == 0


def test_an_organiser_account_cannot_sit_on_a_jury(client, organiser):
    event = make_event(state=EventState.OPEN)
    response = client.post(
        f"/tour/events/{event.slug}/jury", data={"email": organiser.email, "panel": "1"}
    )
    assert response.status_code == 422 and "organisateur" in response.get_data(as_text=True)


def test_panels_on_a_split_event_and_moving_a_judge(client, organiser):
    event = make_event(state=EventState.OPEN, split_panels=True)
    judge = make_user("jury")
    assert (
        client.post(
            f"/tour/events/{event.slug}/jury", data={"email": judge.email, "panel": "2"}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/tour/events/{event.slug}/jury", data={"email": judge.email, "panel": "1"}
        ).status_code
        == 303
    )
    member = db.session.query(JuryMember).one()
    assert member.panel == 1


def test_jury_cannot_change_once_deliberation_started(client, organiser):
    event = make_event(state=EventState.DELIBERATION)
    judge = make_user("jury")
    add_jury(event, judge)
    response = client.post(
        f"/tour/events/{event.slug}/jury/{judge.id}/remove", data={"submitted": "keep"}
    )
    assert response.status_code == 409 and "délibération" in response.get_data(as_text=True)
    page = client.get(f"/tour/events/{event.slug}/jury/{judge.id}/remove")
    assert "délibération" in page.get_data(
        as_text=True
    ) and 'name="submitted"' not in page.get_data(as_text=True)
    assert db.session.query(JuryMember).count() == 1
    response = client.post(
        f"/tour/events/{event.slug}/jury", data={"email": make_user("jury").email, "panel": "1"}
    )
    # the state forbids it, not the input: the same 409 as the removal
    assert response.status_code == 409 and db.session.query(JuryMember).count() == 1


def test_removing_a_judge_during_judging(client, organiser):
    event = make_event(state=EventState.JUDGING)
    judge = make_user("jury")
    add_jury(event, judge)
    response = client.post(
        f"/tour/events/{event.slug}/jury/{judge.id}/remove", data={"submitted": "keep"}
    )
    assert response.status_code == 303
    assert db.session.query(JuryMember).count() == 0
    assert db.session.get(User, judge.id) is not None


def test_jury_cards_hold_a_working_one_time_link_per_judge(app, client, organiser):
    event = make_event(state=EventState.OPEN)
    judges = [make_user("jury", name=f"Juge {n}", password=None) for n in range(3)]
    for judge in judges:
        add_jury(event, judge)
    response = client.post(f"/tour/events/{event.slug}/jury/cards")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 3 and all(j.name in page for j in judges)
    assert db.session.query(LoginLink).count() == 3
    link = page.split("/login/link/")[1].split("<")[0].strip()
    other = app.test_client()
    assert other.post(f"/login/link/{link}").status_code == 303  # the judge signs in with it


def test_jury_cards_are_never_made_by_a_get(client, organiser):
    event = make_event(state=EventState.OPEN)
    add_jury(event, make_user("jury"))
    assert client.get(f"/tour/events/{event.slug}/jury/cards").status_code == 405
    assert db.session.query(LoginLink).count() == 0


def test_jury_cards_can_also_queue_each_judge_an_invitation(client, organiser):
    from jobs.models import OutboxEmail

    event = make_event(state=EventState.OPEN)
    for n in range(2):
        add_jury(event, make_user("jury", email=f"juge{n}@example.ma", password=None))
    response = client.post(f"/tour/events/{event.slug}/jury/cards", data={"email": "1"})
    assert response.status_code == 200
    assert "en file d'envoi" in html.unescape(response.get_data(as_text=True))
    emails = db.session.query(OutboxEmail).filter_by(kind="jury_invitation").all()
    assert sorted(e.recipient for e in emails) == ["juge0@example.ma", "juge1@example.ma"]
    assert all("/login/link/" in e.body_text for e in emails)


def test_event_page_in_arabic_is_right_to_left_with_arabic_names(client, organiser):
    event = make_event(state=EventState.OPEN, city="Oujda", city_ar="وجدة", region_code="02")
    page = client.get(f"/tour/events/{event.slug}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "وجدة" in page and "الشرق" in page  # city and region in Arabic
    assert "مفتوحة لاستقبال الأفكار" in page and "إغلاق إيداع الأفكار وبدء التقييم" in page


def test_every_bad_event_field_is_reported_at_once(client, organiser):
    competition = make_competition()
    response = client.post(
        f"/tour/competitions/{competition.slug}/events/new",
        data=_event_form(capacity="0", winners_count="-2", slug="Rabat 2025", region_code="99"),
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    for message in ("de 1 à 100\u202f000", "de 0 à 100", "minuscules", "options de la liste"):
        assert message in page
    assert page.count("invalid-feedback d-block") == 4
    assert db.session.query(Event).count() == 0


def test_tour_dashboard_query_count_does_not_grow_with_the_number_of_stops(app, client, login):
    from sqlalchemy import event as sa_event

    from tests.builders import add_jury, make_competition, make_event, make_user

    login(make_user("organiser"))
    competition = make_competition()
    judge = make_user("jury")

    def queries_for_dashboard():
        count = [0]

        def bump(*_args, **_kwargs):
            count[0] += 1

        sa_event.listen(db.engine, "before_cursor_execute", bump)
        try:
            assert client.get("/tour").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", bump)
        return count[0]

    for _ in range(2):
        add_jury(make_event(competition), judge)
    few = queries_for_dashboard()
    for _ in range(6):
        add_jury(make_event(competition), judge)
    assert queries_for_dashboard() == few


def test_the_public_home_page_costs_the_same_queries_for_one_tour_or_three(client):
    from tests.builders import selects_for

    counts = []
    for tours in (1, 3):
        for _ in range(tours if not counts else tours - 1):
            make_event(make_competition(), state=EventState.OPEN)
        counts.append(selects_for(client, "/"))
    assert counts[0] == counts[1], counts
