"""Names organisers type (competition, city, venue, rubric, criteria) in Arabic, French and
English: each reader gets their language, and a missing one falls back visibly."""

import html
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from flask import render_template
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import select, text

from competitions.models import Competition, Event, Rubric
from competitions.rubrics import copy_rubric_to_event
from competitions.states import EventState
from extensions import db, utcnow
from i18n import Localized, localized
from jobs.models import OutboxEmail
from tests.builders import add_jury, make_competition, make_event, make_idea, make_user

ROOT = Path(__file__).resolve().parent.parent.parent
HINT_FR_IN_AR = "بالفرنسية"


def arabic_event(**fields) -> Event:
    competition = make_competition(
        name="Idéathon des coopératives",
        name_ar="أيدياثون التعاونيات",
        name_en="Cooperatives Ideathon",
    )
    return make_event(
        competition,
        city="Rabat", city_ar="الرباط", city_en="Rabat",
        venue="Bibliothèque nationale", venue_ar="المكتبة الوطنية", venue_en="National Library",
        **fields,
    )  # fmt: skip


def french_only_event(**fields) -> Event:
    competition = make_competition(name="Idéathon des coopératives")
    return make_event(
        competition, city="Rabat", city_ar=None, venue="Bibliothèque nationale", **fields
    )


def page(client, path: str) -> str:
    return html.unescape(client.get(path).get_data(as_text=True))


# --- The reader --------------------------------------------------------------------------------


def test_a_name_is_read_in_the_readers_language_else_french_then_english(app):
    names = {"fr": "Rabat", "ar": "الرباط", "en": "Rabat (EN)"}
    assert localized(names, "ar") == "الرباط" and not localized(names, "ar").is_fallback
    assert localized({"en": "National Library"}, "ar").lang == "en"
    missing = localized({"fr": "Rabat", "en": "Rabat (EN)"}, "ar")
    assert (missing, missing.lang, missing.is_fallback) == ("Rabat", "fr", True)
    assert localized({}, "ar") == "" and not localized({}, "ar").is_fallback
    assert localized({"fr": "", "en": "Library"}, "fr").lang == "en"  # an empty text is missing


def test_a_fallback_is_marked_with_its_language_and_a_translated_hint(app):
    name = Localized("Maison <des> jeunes", "fr", "ar")
    with force_locale("ar"):
        assert name.marked() == (
            '<bdi lang="fr">Maison &lt;des&gt; jeunes</bdi> <small class="lang-hint">(بالفرنسية)</small>'
        )
        assert name.hinted() == "Maison <des> jeunes (بالفرنسية)"
    with force_locale("fr"):
        assert Localized("Library", "en", "fr").hinted() == "Library (en anglais)"
    same = Localized("الرباط", "ar", "ar")
    assert same.marked() == "الرباط" and same.hinted() == "الرباط"


# --- The migration -----------------------------------------------------------------------------


def test_the_migration_keeps_existing_names_and_names_the_default_rubric(app):
    directory = str(ROOT / "migrations")
    db.session.remove()
    downgrade(directory=directory, revision="roles")
    try:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO rubrics (id, name, version, created_at) VALUES "
                    "(1, 'Grille idéathon coopératives', 1, '2025-01-01'), "
                    "(2, 'Ma grille', 1, '2025-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO competitions (id, name, slug, year, rubric_id, created_at) "
                    "VALUES (1, 'Idéathon 2025', 'ideathon-2025', 2025, 1, '2025-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO events (id, competition_id, slug, tour_order, city, city_ar, "
                    "region, venue, date, winners_count, languages, state, is_final, "
                    "judges_per_idea, min_judges, split_panels, blind, share_ranks, "
                    "share_feedback, retention_months, created_at) VALUES (1, 1, 'oujda-2025', 1, "
                    "'Oujda', 'وجدة', 'L''Oriental', 'Technopole', '2025-04-03', 3, 'ar,fr', "
                    "'draft', false, 3, 2, false, false, false, false, 12, '2025-01-01')"
                )
            )
        upgrade(directory=directory, revision="names_in_languages")
        competition = db.session.get(Competition, 1)
        assert (competition.name, competition.name_ar, competition.name_en) == (
            "Idéathon 2025", None, None,
        )  # fmt: skip
        event = db.session.execute(  # read as the table stands at this revision
            text("SELECT city, city_ar, venue, city_en, venue_ar, venue_en FROM events")
        ).one()
        assert tuple(event) == ("Oujda", "وجدة", "Technopole", None, None, None)
        default, own = db.session.get(Rubric, 1), db.session.get(Rubric, 2)
        assert (default.name_ar, default.name_en) == (
            "شبكة تقييم أفكار التعاونيات", "Cooperatives ideathon rubric",
        )  # fmt: skip
        assert (own.name, own.name_ar, own.name_en) == ("Ma grille", None, None)
        db.session.remove()
        downgrade(directory=directory, revision="roles")  # the way back keeps the names too
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT city, city_ar, venue FROM events")).one()
        assert tuple(row) == ("Oujda", "وجدة", "Technopole")
    finally:
        db.session.remove()
        upgrade(directory=directory)


# --- Forms -------------------------------------------------------------------------------------


def test_organisers_type_the_names_in_three_languages(client, login):
    login(make_user())
    response = client.post(
        "/tour/competitions/new",
        data={"name": "Idéathon", "name_ar": " أيدياثون ", "name_en": "", "year": "2026"},
    )
    assert response.status_code == 303
    competition = db.session.scalar(select(Competition))
    assert (competition.name, competition.name_ar, competition.name_en) == (
        "Idéathon", "أيدياثون", None,
    )  # fmt: skip
    form = {
        "city": "Rabat", "city_ar": "الرباط", "city_en": "Rabat", "region_code": "04",
        "venue": "", "venue_ar": "المكتبة الوطنية", "venue_en": "National Library",
        "date": "2025-05-30", "winners_count": "3", "languages": ["ar", "fr"],
        "judges_per_idea": "3", "min_judges": "2",
    }  # fmt: skip
    assert (
        client.post(f"/tour/competitions/{competition.slug}/events/new", data=form).status_code
        == 303
    )
    event = db.session.scalar(select(Event))
    assert (event.venue, event.venue_ar, event.venue_en) == (
        None,
        "المكتبة الوطنية",
        "National Library",
    )
    assert event.venue_in("fr") == "National Library" and event.venue_in("fr").lang == "en"
    assert event.venue_in("ar") == "المكتبة الوطنية" and not event.venue_in("ar").is_fallback


def test_a_refused_event_form_gives_back_the_names_typed_in_each_language(client, login):
    competition = make_competition()
    login(make_user())
    form = {
        "city": "Rabat", "city_ar": "الرباط", "city_en": "\x00Rabat", "region_code": "04",
        "venue_ar": "المكتبة الوطنية", "venue_en": "National Library", "date": "hier",
        "winners_count": "3", "languages": ["ar"], "judges_per_idea": "3", "min_judges": "2",
    }  # fmt: skip
    response = client.post(f"/tour/competitions/{competition.slug}/events/new", data=form)
    assert response.status_code == 422
    body = html.unescape(response.get_data(as_text=True))
    assert 'value="المكتبة الوطنية"' in body and 'value="National Library"' in body
    assert db.session.scalar(select(Event)) is None


def test_a_rubric_copied_to_an_event_is_named_in_each_language(app):
    event = arabic_event(state=EventState.DRAFT)
    copy = copy_rubric_to_event(event)
    assert copy.name_in("ar") == "شبكة تقييم أفكار التعاونيات — الرباط"
    assert copy.name_in("en") == "Cooperatives ideathon rubric — Rabat"
    assert copy.name == "Grille idéathon coopératives — Rabat"


# --- Pages -------------------------------------------------------------------------------------


def test_the_arabic_event_page_shows_the_arabic_names(client, login):
    event = arabic_event()
    login(make_user())
    body = page(client, f"/tour/events/{event.slug}?lang=ar")
    for arabic in (
        "أيدياثون التعاونيات",
        "الرباط",
        "المكتبة الوطنية",
        "شبكة تقييم أفكار التعاونيات",
    ):
        assert arabic in body
    assert "Bibliothèque nationale" not in body and "lang-hint" not in body
    english = page(client, f"/tour/events/{event.slug}?lang=en")
    assert "National Library" in english and "Cooperatives Ideathon" in english


def test_a_name_missing_in_arabic_shows_in_french_marked_as_french(client, login):
    event = french_only_event()
    login(make_user())
    body = page(client, f"/tour/events/{event.slug}?lang=ar")
    assert (
        '<bdi lang="fr">Bibliothèque nationale</bdi> <small class="lang-hint">(بالفرنسية)</small>'
        in body
    )
    assert (
        '<bdi lang="fr">Rabat</bdi>' in body
        and '<bdi lang="fr">Idéathon des coopératives</bdi>' in body
    )
    assert "lang-hint" not in page(client, f"/tour/events/{event.slug}?lang=fr")


def test_the_arabic_edit_page_names_the_event_in_arabic(client, login):
    event = arabic_event()
    login(make_user())
    body = page(client, f"/tour/events/{event.slug}/edit?lang=ar")
    assert "تعديل الرباط" in body and "تعديل Rabat" not in body
    fallback = page(client, f"/tour/events/{french_only_event().slug}/edit?lang=ar")
    assert 'تعديل <bdi lang="fr">Rabat</bdi>' in fallback


def test_the_public_pages_show_the_arabic_names(client):
    event = arabic_event(state=EventState.OPEN)
    home = page(client, "/?lang=ar")
    assert "أيدياثون التعاونيات" in home and "المكتبة الوطنية" in home
    submit = page(client, f"/e/{event.slug}/submit?lang=ar")
    assert "أيدياثون التعاونيات" in submit and "المكتبة الوطنية" in submit
    assert "lang-hint" not in submit
    other = french_only_event(state=EventState.OPEN)
    assert f"{HINT_FR_IN_AR}" in page(client, f"/e/{other.slug}/submit?lang=ar")


def test_jury_cards_name_the_competition_city_and_venue_in_arabic(client, login):
    event = arabic_event()
    add_jury(event, make_user("jury"))
    other = french_only_event()
    add_jury(other, make_user("jury"))
    login(make_user())
    body = html.unescape(
        client.post(f"/tour/events/{event.slug}/jury/cards?lang=ar").get_data(as_text=True)
    )
    card = body.split('class="jury-card card"')[1]
    assert "أيدياثون التعاونيات" in card and "الرباط" in card and "المكتبة الوطنية" in card
    assert "lang-hint" not in body
    fallback = html.unescape(
        client.post(f"/tour/events/{other.slug}/jury/cards?lang=ar").get_data(as_text=True)
    )
    assert (
        '<bdi lang="fr">Bibliothèque nationale</bdi> <small class="lang-hint">(بالفرنسية)</small>'
        in fallback
    )


def test_the_rubric_and_the_score_sheet_mark_a_criterion_missing_in_arabic(client, login):
    event = arabic_event()
    criterion = event.rubric.criteria[0]
    criterion.name = {"fr": "Impact social"}
    db.session.commit()
    login(make_user())
    body = page(client, f"/tour/rubrics/{event.rubric.id}?lang=ar")
    assert '<bdi lang="fr">Impact social</bdi> <small class="lang-hint">(بالفرنسية)</small>' in body
    assert "الابتكار" in body  # the others are in Arabic


# --- E-mails and certificates ------------------------------------------------------------------


def invitation(event, locale) -> OutboxEmail:
    from competitions.jury import jury_cards

    add_jury(event, make_user("jury", email=f"juge.{locale}.{event.id}@example.ma", locale=locale))
    jury_cards(event, lambda token: f"https://ideathon.ma/login/link/{token}", send_email=True)
    db.session.commit()
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()


def test_a_jury_invitation_in_arabic_names_the_city_and_venue_in_arabic(app):
    message = invitation(arabic_event(), "ar")
    assert "الرباط" in message.subject
    assert (
        "المكتبة الوطنية، الرباط" in message.body_text
        or "المكتبة الوطنية, الرباط" in message.body_text
    )
    assert "المكتبة الوطنية" in message.body_html and HINT_FR_IN_AR not in message.body_text
    french = invitation(arabic_event(), "fr")
    assert "Bibliothèque nationale, Rabat" in french.body_text


def test_a_jury_invitation_in_arabic_marks_a_venue_given_only_in_french(app):
    message = invitation(french_only_event(), "ar")
    assert f"Bibliothèque nationale ({HINT_FR_IN_AR})" in message.body_text
    assert f"Rabat ({HINT_FR_IN_AR})" in message.body_text
    assert '<bdi lang="fr">Bibliothèque nationale</bdi>' in html.unescape(message.body_html)


def certificate_html(event, lang) -> str:
    from types import SimpleNamespace

    from jobs.outbox import external_url

    idea = make_idea(event)
    certificate = SimpleNamespace(
        code="ABCD-EFGH-JKMN-PQRT", is_winner=True, issued_at=date(2025, 6, 1)
    )
    with app_request(), force_locale(lang):
        return html.unescape(
            render_template(
                "judging/certificate.html", certificate=certificate, idea=idea, event=event,
                lang=lang, external_url=external_url,
            )
        )  # fmt: skip


def app_request():
    from flask import current_app

    return current_app.test_request_context("/")


def test_an_arabic_certificate_names_the_competition_and_city_in_arabic(app):
    body = certificate_html(arabic_event(), "ar")
    assert "أيدياثون التعاونيات" in body and "الرباط" in body and "lang-hint" not in body
    assert "Idéathon des coopératives" in certificate_html(arabic_event(), "fr")
    fallback = certificate_html(french_only_event(), "ar")
    assert (
        '<bdi lang="fr">Idéathon des coopératives</bdi> <small class="lang-hint">(بالفرنسية)</small>'
        in fallback
    )


# --- Workbooks ---------------------------------------------------------------------------------


def test_an_arabic_rankings_workbook_names_regions_and_cities_in_arabic(app, tmp_path):
    from reporting.services import write_event_workbook

    event = arabic_event(state=EventState.DELIBERATION)
    make_idea(event, region_code="09")
    for lang, city, region in (("ar", "الرباط", "سوس-ماسة"), ("fr", "Rabat", "Souss-Massa")):
        path = tmp_path / f"{lang}.xlsx"
        write_event_workbook(path, event, lang)
        book = load_workbook(path)
        assert city in book.sheetnames
        cells = {c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c}
        assert region in cells


def test_an_arabic_bank_workbook_names_the_region_in_arabic(app):
    from bank.models import BankProject
    from bank.workbook import write_bank_workbook

    event = arabic_event(state="published")
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411",
        origin_event_id=event.id, origin_rank=1,
    )  # fmt: skip
    db.session.add(project)
    db.session.commit()
    for lang, region in (("ar", "الشرق"), ("fr", "Oriental")):  # HCP's names
        target = BytesIO()
        write_bank_workbook(target, [project], lang=lang)
        target.seek(0)
        cells = {c for row in load_workbook(target).active.iter_rows(values_only=True) for c in row}
        assert region in cells


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_new_label_is_translated(app, lang):
    from competitions.forms import CompetitionForm, EventForm

    with app.test_request_context(f"/?lang={lang}"), force_locale(lang):
        labels = [str(f.label.text) for f in (*CompetitionForm(), *EventForm())]
    assert not any(label.startswith(("City (", "Venue (", "Name (")) for label in labels)


def test_organisers_name_a_rubric_in_three_languages_even_once_locked(client, login):
    from audit.models import AuditEntry

    rubric = make_competition().rubric
    rubric.locked_at = utcnow()
    db.session.commit()
    login(make_user())
    assert client.get(f"/tour/rubrics/{rubric.id}/name?lang=ar").status_code == 200
    data = {"name": "Grille 2026", "name_ar": "شبكة 2026", "name_en": ""}
    response = client.post(f"/tour/rubrics/{rubric.id}/name", data=data)
    assert response.status_code == 303
    db.session.expire_all()
    assert (rubric.name, rubric.name_ar, rubric.name_en) == ("Grille 2026", "شبكة 2026", None)
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "rubric"))
        == "rename"
    )
    refused = client.post(f"/tour/rubrics/{rubric.id}/name", data={"name": " ", "name_ar": "شبكة"})
    assert refused.status_code == 422 and 'value="شبكة"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert rubric.name == "Grille 2026"
