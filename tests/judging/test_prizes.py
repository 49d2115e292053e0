"""Special prizes: defined per event with a rule, won by the best-ranked ideas that qualify
(from the same scores), shown in deliberation, the minutes, the results and the certificates;
who qualifies counts the whole team (its lead and members), as `submissions.team` does."""

import pytest

from extensions import db
from judging import prizes, results
from judging.services import JudgingConflict, JudgingError
from judging.states import PrizeRule
from submissions.models import TeamMember
from tests.builders import make_user
from tests.judging.conftest import build_judging, fill, set_state, sheet_of


def _ranked_event():
    """Four ideas ranked 1..4: a man's (best), a woman's under 25, a woman's, a young man's."""
    event, ideas, judges = build_judging(n_ideas=4, n_judges=2)
    leads = [("male", "45_plus"), ("female", "under_25"), ("female", "35_44"), ("male", "25_34")]
    sectors = ["digital", "agriculture", "agriculture", "tourism"]
    for idea, (gender, age), sector in zip(ideas, leads, sectors, strict=True):
        idea.lead_gender, idea.lead_age_bracket, idea.sector = gender, age, sector
    for idea, mark in zip(ideas, (5, 4, 3, 2), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    return event, ideas, judges


def _winners(event):
    shown = results.provisional_results(event)
    return {
        o.prize.rule: [w.idea_id for w in o.winners] for o in prizes.prize_outcomes(event, shown)
    }


def test_each_prize_goes_to_the_best_ranked_idea_that_qualifies(app):
    event, ideas, judges = _ranked_event()
    organiser = make_user()
    prizes.add_prize(
        event, {"name": "Meilleur projet féminin", "rule": PrizeRule.WOMEN_LED}, organiser
    )
    prizes.add_prize(event, {"name": "Jeunesse", "rule": PrizeRule.YOUTH_LED}, organiser)
    prizes.add_prize(
        event, {"name": "Tourisme", "rule": PrizeRule.SECTOR, "sector": "tourism"}, organiser
    )
    db.session.commit()
    assert _winners(event) == {
        PrizeRule.WOMEN_LED: [ideas[1].id],
        PrizeRule.YOUTH_LED: [ideas[1].id],
        PrizeRule.SECTOR: [ideas[3].id],
    }


def test_the_whole_team_counts_not_only_its_lead(app):
    event, ideas, judges = _ranked_event()
    prizes.add_prize(event, {"name": "Femmes", "rule": PrizeRule.WOMEN_LED}, make_user())
    assert _winners(event) == {PrizeRule.WOMEN_LED: [ideas[1].id]}  # a woman leading alone
    # The best idea's lead is a man; with two women and a man beside him, half its team are
    # women: it qualifies, and being ranked first, wins.
    for position, gender in enumerate(("female", "female", "male")):
        db.session.add(
            TeamMember(idea_id=ideas[0].id, position=position, name=f"M{position}", gender=gender)
        )
    db.session.commit()
    assert _winners(event) == {PrizeRule.WOMEN_LED: [ideas[0].id]}


def test_a_prize_no_ranked_idea_qualifies_for_has_no_winner(app):
    event, _ideas, _judges = _ranked_event()
    prizes.add_prize(
        event, {"name": "Pêche", "rule": PrizeRule.SECTOR, "sector": "fishing"}, make_user()
    )
    assert _winners(event) == {PrizeRule.SECTOR: []}


def test_prize_input_is_checked(app):
    event, _ideas, _judges = build_judging()
    with pytest.raises(JudgingError) as refused:
        prizes.add_prize(event, {"name": "", "rule": "lottery"}, make_user())
    assert set(refused.value.errors) == {"name", "rule"}
    with pytest.raises(JudgingError) as refused:
        prizes.add_prize(event, {"name": "Secteur", "rule": PrizeRule.SECTOR}, make_user())
    assert set(refused.value.errors) == {"sector"}
    with pytest.raises(JudgingError):
        prizes.remove_prize(event, 10**6, make_user())


def test_prizes_show_in_deliberation_minutes_and_results(app, client, login):
    event, ideas, judges = _ranked_event()
    prizes.add_prize(event, {"name": "Prix des femmes", "rule": PrizeRule.WOMEN_LED}, make_user())
    set_state(event, "deliberation")
    organiser = make_user()
    login(organiser)
    for path in (f"/judging/{event.slug}/deliberation", f"/judging/{event.slug}/minutes"):
        page = client.get(path).get_data(as_text=True)
        assert "Prix des femmes" in page and ideas[1].title in page


def test_prizes_are_frozen_with_the_results(app):
    from judging import deliberation

    event, ideas, judges = _ranked_event()
    set_state(event, "deliberation")
    organiser = make_user()
    deliberation.validate_minutes(event, judges[0])
    with pytest.raises(JudgingConflict):
        prizes.add_prize(event, {"name": "Tard", "rule": PrizeRule.WOMEN_LED}, organiser)


def test_published_results_and_certificates_name_the_prize(app, client):
    from competitions.services import transition
    from competitions.states import EventState
    from judging import deliberation

    event, ideas, judges = _ranked_event()
    prizes.add_prize(event, {"name": "Prix des femmes", "rule": PrizeRule.WOMEN_LED}, make_user())
    set_state(event, "deliberation")
    organiser = make_user()
    deliberation.validate_minutes(event, judges[0])
    transition(event, EventState.PUBLISHED, organiser)
    db.session.commit()
    in_force = results.results_in_force(event)
    assert [p.name for p in prizes.idea_prizes(event, in_force, ideas[1].id)] == ["Prix des femmes"]
    assert prizes.idea_prizes(event, in_force, ideas[0].id) == []
    page = client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    assert "Prix des femmes" in page
