import html

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from bank.models import BankProject
from bank.services import PromotionError, promote_winners
from competitions.states import EventState
from extensions import db
from tests.bank.conftest import SEEDED_EMAIL, SEEDED_LEAD, SEEDED_PHONE
from tests.builders import add_result, make_event, make_idea, make_user


def _projects():
    return db.session.scalars(select(BankProject).order_by(BankProject.origin_rank)).all()


def test_promoting_copies_the_winners_with_their_origin_and_contact(app, published):
    organiser = make_user()
    result = promote_winners(published["event"], organiser)
    db.session.commit()
    assert (result["created"], result["already"]) == (2, 0)
    first, second = _projects()
    assert first.idea_id == published["winner"].id
    assert first.title == "Coopérative de couscous Al Amal"
    assert "revenu régulier" in first.summary and "couscous artisanal" in first.summary
    assert (first.sector, first.region_code, first.province_code) == ("agrifood", "02", "02.411")
    assert first.target_group == "Femmes rurales"
    assert (first.expected_jobs, first.budget_mad, first.financing_sought_mad) == (
        8,
        250_000,
        150_000,
    )
    assert first.team.splitlines() == [SEEDED_LEAD, "Khadija Amrani", "Sara Idrissi"]
    assert first.cooperative_name == "Al Amal"
    assert (first.contact_name, first.contact_phone, first.contact_email) == (
        SEEDED_LEAD,
        SEEDED_PHONE,
        SEEDED_EMAIL,
    )
    assert first.origin_event_id == published["event"].id
    assert (first.origin_rank, first.raw, first.mean_z) == (1, 4.5, 1.2)
    assert first.score_100 == pytest.approx(62.0)
    assert first.is_winner and first.status == "idea"
    assert second.title == "Miel de thym bio" and second.origin_rank == 2
    # The search text is maintained with the record.
    assert "couscous" in first.search_text and "cooperative" in first.search_text


def test_promoting_twice_never_duplicates(app, published):
    organiser = make_user()
    promote_winners(published["event"], organiser)
    db.session.commit()
    project = _projects()[0]
    project.status = "support"  # an organiser's edit must survive a second promotion
    db.session.commit()
    again = promote_winners(published["event"], organiser, include_bank_worthy=True)
    db.session.commit()
    assert (again["created"], again["already"]) == (1, 2)  # only the bank-worthy idea is new
    projects = _projects()
    assert len(projects) == 3
    assert len({p.idea_id for p in projects}) == 3
    assert projects[0].status == "support"
    third = promote_winners(published["event"], organiser, include_bank_worthy=True)
    assert (third["created"], third["already"]) == (0, 3)


def test_bank_worthy_ideas_come_only_when_asked(app, published):
    promote_winners(published["event"], None)
    assert published["worthy"].id not in {p.idea_id for p in _projects()}
    promote_winners(published["event"], None, include_bank_worthy=True)
    worthy = db.session.scalar(
        select(BankProject).where(BankProject.idea_id == published["worthy"].id)
    )
    assert worthy is not None and worthy.is_winner is False and worthy.origin_rank == 3


@pytest.mark.parametrize("state", ["draft", "open", "judging", "deliberation"])
def test_only_a_published_event_can_feed_the_bank(app, state):
    event = make_event(state=state, city="Fès")
    make_idea(event, bank_worthy=True)
    with pytest.raises(PromotionError, match="publié"):
        promote_winners(event, None, include_bank_worthy=True)
    assert _projects() == []


def test_promotion_is_audited(app, published):
    organiser = make_user()
    promote_winners(published["event"], organiser)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "bank_project", AuditEntry.action == "promoted"
        )
    ).all()
    assert len(entries) == 2
    assert {e.user_id for e in entries} == {organiser.id}
    assert {e.event_id for e in entries} == {published["event"].id}


def test_an_idea_carried_to_the_final_is_not_promoted_twice(app, published):
    promote_winners(published["event"], None)
    db.session.commit()
    final = make_event(state=EventState.PUBLISHED, city="Rabat", is_final=True)
    copy = make_idea(
        final, title="Coopérative de couscous Al Amal", carried_from_id=published["winner"].id
    )
    add_result(final, copy, 1, True)
    result = promote_winners(final, None)
    assert (result["created"], result["already"]) == (0, 1)
    assert len(_projects()) == 2


def test_cli_promotes_and_says_what_was_already_there(app, runner, published):
    first = runner.invoke(args=["promote-winners", "--event", "oujda-2025"])
    assert first.exit_code == 0, first.output
    assert "2 projet(s) ajouté(s)" in first.output
    second = runner.invoke(
        args=["promote-winners", "--event", "oujda-2025", "--include-bank-worthy"]
    )
    assert "1 projet(s) ajouté(s)" in second.output and "2 déjà dans la banque" in second.output
    assert len(_projects()) == 3


def test_cli_refuses_an_unknown_or_unpublished_event(app, runner):
    make_event(state=EventState.JUDGING, slug="fes-2025", city="Fès")
    unknown = runner.invoke(args=["promote-winners", "--event", "nowhere"])
    assert unknown.exit_code != 0 and "Aucun événement" in unknown.output
    unpublished = runner.invoke(args=["promote-winners", "--event", "fes-2025"])
    assert unpublished.exit_code != 0 and "Fès" in unpublished.output
    assert _projects() == []


def test_promote_button_needs_a_sign_in(client, published):
    assert "/login" in client.post("/tour/bank/promote/oujda-2025").headers["Location"]
    assert _projects() == []


def test_promote_button_is_closed_to_jury_members(client, login, published):
    login(make_user("jury"))
    assert client.post("/tour/bank/promote/oujda-2025").status_code == 403
    assert _projects() == []


def test_promote_button_adds_what_is_missing(client, login, published):
    login(make_user())
    page = client.get("/tour/bank/promote")
    assert "Oujda" in page.get_data(as_text=True)
    response = client.post("/tour/bank/promote/oujda-2025", follow_redirects=True)
    assert "2 projet(s) ajouté(s) à la banque" in response.get_data(as_text=True)
    again = client.post(
        "/tour/bank/promote/oujda-2025", data={"include_bank_worthy": "1"}, follow_redirects=True
    )
    assert "1 projet(s) ajouté(s) à la banque, 2 déjà dans la banque" in again.get_data(
        as_text=True
    )
    assert len(_projects()) == 3


def test_promote_button_on_an_unpublished_event_explains_why(app, client, login):
    make_event(state=EventState.JUDGING, slug="fes-2025", city="Fès")
    login(make_user())
    response = client.post("/tour/bank/promote/fes-2025", follow_redirects=True)
    assert "Fès n'est pas encore publié" in html.unescape(response.get_data(as_text=True))
    assert _projects() == []


def test_published_event_page_links_to_promotion_and_open_event_page_shows_its_qr(
    app, client, login
):
    from tests.builders import make_event, make_user

    login(make_user("organiser"))
    published = make_event(state=EventState.PUBLISHED)
    page = client.get(f"/tour/events/{published.slug}").get_data(as_text=True)
    assert "Verser les lauréats dans la banque de projets" in page and "/tour/bank/promote" in page
    opened = make_event(state=EventState.OPEN)
    page = client.get(f"/tour/events/{opened.slug}").get_data(as_text=True)
    assert "<svg" in page and "Verser les lauréats" not in page


def test_a_published_amendment_updates_the_bank_copy(app, published):
    """The bank shows the results in force: publishing v2 refreshes what promotion copied."""
    from judging import results

    promote_winners(published["event"], None)
    db.session.commit()
    event = published["event"]
    add_result(event, published["winner"], 2, False, raw=4.0, mean_z=0.2, number=2)
    add_result(event, published["second"], 1, True, raw=4.6, mean_z=1.3, number=2)
    results.results_published.send(event, version=2)
    db.session.commit()
    first = db.session.scalar(select(BankProject).filter_by(idea_id=published["winner"].id))
    assert (first.origin_rank, first.is_winner, first.mean_z) == (2, False, 0.2)
    second = db.session.scalar(select(BankProject).filter_by(idea_id=published["second"].id))
    assert (second.origin_rank, second.is_winner, second.raw) == (1, True, 4.6)
