"""The demo seed: the real tour in order, jury, ideas in both languages, scores; idempotent."""

from datetime import date

from accounts.models import User
from competitions.models import Competition, Event, JuryMember, Rubric
from extensions import db
from judging.models import Score, ScoreSheet
from submissions.models import Idea

TOUR = [
    "Oujda",
    "Casablanca",
    "Dakhla",
    "Rabat",
    "Laâyoune",
    "Fès",
    "Guelmim",
    "Errachidia",
    "Marrakech",
    "Béni Mellal",
    "Tanger",
    "Agadir",
]


def _counts():
    return {
        model.__name__: db.session.query(model).count()
        for model in (Competition, Event, User, JuryMember, Idea, ScoreSheet, Score, Rubric)
    }


def test_seed_demo_creates_the_real_tour_and_is_idempotent(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    competition = db.session.query(Competition).one()
    assert competition.name == "Idéathon — Banque des projets coopératifs 2025"
    events = [e for e in competition.events if not e.is_final]
    assert [e.city for e in events] == TOUR
    assert [e.tour_order for e in events] == list(range(1, 13))
    assert events[0].date == date(2025, 4, 3) and events[-1].date == date(2025, 5, 15)
    dates = [e.date for e in events]
    assert dates == sorted(dates) and len(set(dates)) == 12
    gaps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    assert gaps <= {3, 4, 5}  # spread evenly
    assert events[0].city_ar == "وجدة" and events[0].region_code == "02"
    assert [e.state for e in events[:5]] == [
        "published",
        "deliberation",
        "judging",
        "open",
        "draft",
    ]
    assert len(competition.rubric.criteria) == 6 and competition.rubric.locked_at is not None

    assert all(len(e.jury) == 3 for e in events)
    assert db.session.query(User).filter_by(role="organiser").count() == 1
    ideas = db.session.query(Idea).all()
    assert {i.locale for i in ideas} == {"ar", "fr"}
    assert {"agriculture", "handicrafts", "tourism", "fishing", "services", "digital"} <= {
        i.sector for i in ideas
    }
    assert all(i.lead_phone.startswith("+2126") and len(i.lead_phone) == 13 for i in ideas)
    oujda, dakhla = events[0], events[2]
    sheets = db.session.query(ScoreSheet).filter_by(event_id=oujda.id).all()
    assert sheets and all(s.status == "submitted" and len(s.scores) == 6 for s in sheets)
    statuses = {s.status for s in db.session.query(ScoreSheet).filter_by(event_id=dakhla.id)}
    assert statuses == {"submitted", "draft", "assigned"}

    # Oujda was deliberated and published; its winners are in the bank and in the final.
    from bank.models import BankProject
    from judging.results import event_winners

    winners = event_winners(oujda)
    assert len(winners) == oujda.winners_count
    assert {p.idea_id for p in db.session.query(BankProject)} == {w.idea_id for w in winners}
    final = next(e for e in competition.events if e.is_final)
    assert final.slug == "finale-nationale-2025" and final.date > events[-1].date
    carried = db.session.query(Idea).filter_by(event_id=final.id).all()
    assert {i.carried_from_id for i in carried} == {w.idea_id for w in winners}
    assert all(1 <= s.value <= 5 for s in db.session.query(Score))

    # The logins are printed.
    assert "organisateur@ideathon.ma" in result.output and "Organisateur-2025!" in result.output
    assert "jury.oujda.1@ideathon.ma" in result.output

    before = _counts()
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert _counts() == before
    assert "(0 nouvelles)" in again.output


def test_seeded_tour_shows_on_the_pages(runner, client, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(db.session.query(User).filter_by(role="organiser").one())
    dashboard = client.get("/tour").get_data(as_text=True)
    assert [city for city in TOUR if city not in dashboard] == []
    assert client.get("/tour/events/oujda-2025").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert page.index("Oujda") < page.index("Casablanca") < page.index("Agadir")
    assert "/e/rabat-2025/submit" in page and "/e/oujda-2025/results" in page


def test_the_seeded_demo_reads_in_arabic_throughout(runner, client, login):
    """Competition, cities, venues and the rubric have Arabic names: no name falls back."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(db.session.query(User).filter_by(role="organiser").one())
    for path in (
        "/?lang=ar",
        "/tour",
        "/tour/events/oujda-2025",
        "/tour/events/finale-nationale-2025",
    ):
        page = client.get(path).get_data(as_text=True)
        assert 'class="lang-hint"' not in page, path
    page = client.get("/tour/events/oujda-2025").get_data(as_text=True)
    for arabic in ("بنك المشاريع التعاونية", "وجدة", "تكنوقطب وجدة", "شبكة تقييم أفكار التعاونيات"):
        assert arabic in page
    english = client.get("/tour/events/oujda-2025?lang=en").get_data(as_text=True)
    assert "Oujda Technopole" in english and 'class="lang-hint"' not in english
