"""Migration h1_place_codes: typed regions and provinces become HCP codes; what cannot be read is
kept for an organiser, listed by `flask places unmapped` and on "Places to correct", and fixed
there. Runs on SQLite and, with --db=postgresql, on PostgreSQL."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from accounts.models import User
from audit.models import AuditEntry
from bank.models import BankProject
from competitions.models import Event
from extensions import db
from submissions.models import Idea
from tests.builders import make_user
from tests.conftest import ROOT

MIGRATIONS = str(ROOT / "migrations")

# (id, region, province) as participants and organisers typed them before the codes.
LEGACY_IDEAS = [
    (1, "L'Oriental", "Oujda-Angad"),  # the event form's French name
    (2, "الشرق", "بركان"),  # Arabic
    (3, "  rabat sale kenitra ", "KENITRA"),  # case, accents, hyphens and spaces
    (4, "Atlantide", "Nulle part"),  # no such place: kept for an organiser
    (5, "Souss-Massa", "Oujda-Angad"),  # a province of another region: the region is kept
]


def _insert_legacy_rows(conn) -> None:
    conn.execute(
        text(
            "INSERT INTO rubrics (id, name, version, created_at) VALUES "
            "(1, 'Grille', 1, '2025-01-01')"
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
            "INSERT INTO events (id, competition_id, slug, tour_order, city, region, date, "
            "winners_count, languages, state, is_final, judges_per_idea, min_judges, "
            "split_panels, blind, share_ranks, share_feedback, retention_months, created_at) "
            "VALUES (1, 1, 'oujda-2025', 1, 'Oujda', 'L''Oriental', '2025-04-03', 3, 'ar,fr', "
            "'open', false, 3, 2, false, false, false, false, 12, '2025-01-01')"
        )
    )
    for idea_id, region, province in LEGACY_IDEAS:
        conn.execute(
            text(
                "INSERT INTO ideas (id, event_id, receipt_code, source, locale, created_at, "
                "title, problem, solution, sector, region, province, beneficiaries, "
                "local_resources, team_kind, lead_name, lead_phone, other_members, eligibility, "
                "is_calibration, bank_worthy) VALUES (:id, 1, :code, 'form', 'fr', "
                "'2025-04-03', 'Idée', 'p', 's', 'agrifood', :region, :province, '', '', "
                "'group', 'Amina', '+212612345678', '', 'eligible', false, false)"
            ),
            {"id": idea_id, "code": f"OUJ-{idea_id}", "region": region, "province": province},
        )
    texts = (
        "summary, target_group, team, products, customers, revenue_sources, main_costs, "
        "break_even, channels, resources, partners, search_text"
    )
    blanks = ", ".join("''" for _ in texts.split(", "))
    for project_id, idea_id, title, region, province in (
        (1, 1, "Miel", "L'Oriental", "Berkane"),
        (2, None, "Gîte", "?", "?"),
    ):
        conn.execute(
            text(
                f"INSERT INTO bank_projects (id, idea_id, title, sector, region, province, {texts}, "
                "financial_plan, financing_sources, status, is_winner, created_at, updated_at) "
                f"VALUES (:id, :idea, :title, 'agriculture', :region, :province, {blanks}, "
                "'{}', '[]', 'idea', false, '2025-05-01', '2025-05-01')"
            ),
            {
                "id": project_id,
                "idea": idea_id,
                "title": title,
                "region": region,
                "province": province,
            },
        )
    conn.execute(
        text(
            "INSERT INTO users (id, email, name, role, region, active, created_at) VALUES (1, 'coord@example.ma', 'Coordinatrice', 'coordinator', "
            "'Casablanca-Settat', true, '2025-01-01')"
        )
    )


def test_typed_places_become_codes_and_what_cannot_be_read_is_kept_and_listed(app, runner):
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="h8_registration")
    try:
        with db.engine.begin() as conn:
            _insert_legacy_rows(conn)
        upgrade(directory=MIGRATIONS)
        places = {
            idea.id: (idea.region_code, idea.province_code, idea.commune_code, idea.place_note)
            for idea in db.session.scalars(select(Idea))
        }
        assert places == {
            1: ("02", "02.411", None, None),
            2: ("02", "02.113", None, None),
            3: ("04", "04.281", None, None),
            4: (None, None, None, "Atlantide / Nulle part"),
            5: ("09", None, None, "Souss-Massa / Oujda-Angad"),
        }
        projects = {
            p.id: (p.region_code, p.province_code, p.place_note)
            for p in db.session.scalars(select(BankProject))
        }
        assert projects == {1: ("02", "02.113", None), 2: (None, None, "? / ?")}
        assert db.session.get(Event, 1).region_code == "02"
        assert db.session.get(User, 1).region_code == "06"

        listed = runner.invoke(args=["places", "unmapped"])
        assert listed.exit_code == 0, listed.output
        assert "idea 4\tOUJ-4\tAtlantide / Nulle part" in listed.output
        assert "idea 5\tOUJ-5\tSouss-Massa / Oujda-Angad" in listed.output
        assert "project 2\tGîte\t? / ?" in listed.output
        assert "idea 1\t" not in listed.output
        assert "2 idée(s) et 1 projet(s) à localiser" in listed.output
    finally:
        db.session.remove()
        upgrade(directory=MIGRATIONS)


def test_the_way_back_gives_the_typed_names_again(app):
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="h8_registration")
    try:
        with db.engine.begin() as conn:
            _insert_legacy_rows(conn)
        upgrade(directory=MIGRATIONS)
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="h8_registration")
        with db.engine.connect() as conn:
            ideas = dict(conn.execute(text("SELECT id, region FROM ideas")).all())
            event_region = conn.execute(text("SELECT region FROM events")).scalar()
        assert ideas[1] == "Oriental" and ideas[4] == "Atlantide / Nulle part"
        assert event_region == "Oriental"
    finally:
        db.session.remove()
        upgrade(directory=MIGRATIONS)


# --- Places to correct: the organisers' page ----------------------------------------------------


def _unplaced_idea(event_id: int | None = None) -> Idea:
    from tests.builders import make_event, make_idea

    event = db.session.get(Event, event_id) if event_id else make_event()
    idea = make_idea(event, region_code=None, province_code=None, place_note="Atlantide / ?")
    return idea


def test_organisers_see_and_fix_the_places_to_correct(client, login):
    idea = _unplaced_idea()
    project = BankProject(title="Gîte", sector="tourism", place_note="Tiznitt")
    db.session.add(project)
    db.session.commit()
    login(make_user("organiser"))
    page = client.get("/tour/bank/places").get_data(as_text=True)
    assert "Atlantide / ?" in page and "Tiznitt" in page and idea.receipt_code in page

    refused = client.post(
        f"/tour/bank/places/ideas/{idea.id}",
        data={"region_code": "02", "province_code": "09.581"},
    )
    assert refused.status_code == 422
    assert "Cette province n&#39;est pas dans la région choisie" in refused.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).place_note == "Atlantide / ?"

    done = client.post(
        f"/tour/bank/places/ideas/{idea.id}",
        data={"region_code": "02", "province_code": "02.411", "commune_code": ""},
    )
    assert done.status_code == 303
    fixed = db.session.get(Idea, idea.id)
    assert (fixed.region_code, fixed.province_code, fixed.place_note) == ("02", "02.411", None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "place"))
    assert entry.old["place_note"] == "Atlantide / ?" and entry.new["province_code"] == "02.411"

    done = client.post(
        f"/tour/bank/places/projects/{project.id}",
        data={"region_code": "09", "province_code": "09.581", "commune_code": ""},
    )
    assert done.status_code == 303
    assert db.session.get(BankProject, project.id).place_note is None
    page = client.get("/tour/bank/places").get_data(as_text=True)
    assert "Chaque idée a son lieu." in page and "Chaque projet a son lieu." in page


def test_places_to_correct_is_for_organisers_only(client, login):
    idea = _unplaced_idea()
    login(make_user("viewer"))
    assert client.get("/tour/bank/places").status_code == 403
    response = client.post(
        f"/tour/bank/places/ideas/{idea.id}", data={"region_code": "02", "province_code": "02.411"}
    )
    assert response.status_code == 403
    assert db.session.get(Idea, idea.id).place_note == "Atlantide / ?"
