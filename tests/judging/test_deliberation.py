"""Deliberation, minutes, publication, public results, the ranking API and the final."""

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions import services as tour
from competitions.states import EventState
from extensions import db
from judging import deliberation as delib
from judging.models import Deliberation, ResultEntry, WinnerChoice
from submissions.models import Idea
from tests.builders import add_jury, make_event, make_user

from .conftest import build_judging, fill, forget_request_state, set_state, sheet_of


def scored_event(**fields):
    """Three ideas scored 5 / 4 / 3 everywhere by two judges, in deliberation, 1 winner."""
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2, winners_count=1, **fields)
    for idea, mark in zip(ideas, (5, 4, 3), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    set_state(event, "deliberation")
    return event, ideas, judges


def test_default_winners_are_the_top_n(app):
    event, ideas, judges = scored_event()
    from judging.services import event_ranking

    assert delib.default_winners(event_ranking(event)) == [ideas[0].id]


def test_an_override_needs_a_written_reason_and_is_audited(app):
    event, ideas, judges = scored_event()
    organiser = make_user("organiser")
    with app.test_request_context():
        with pytest.raises(delib.JudgingError) as error:
            delib.choose_winners(event, [ideas[2].id], {}, organiser)
        assert "n'est pas dans les 1 premiers" in str(error.value)
    assert db.session.query(WinnerChoice).count() == 0
    delib.choose_winners(
        event, [ideas[2].id], {ideas[2].id: "Seule idée portée par des femmes rurales"}, organiser
    )
    db.session.commit()
    choice = db.session.scalar(select(WinnerChoice))
    assert choice.idea_id == ideas[2].id and choice.override_reason.startswith("Seule")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "winners"))
    assert entry.new["overrides"] == {str(ideas[2].id): "Seule idée portée par des femmes rurales"}


def test_winners_are_chosen_only_in_deliberation(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    with pytest.raises(delib.JudgingError):
        delib.choose_winners(event, [ideas[0].id], {}, make_user("organiser"))


def test_publishing_needs_validated_minutes_then_snapshots_results(app):
    event, ideas, judges = scored_event()
    organiser = make_user("organiser")
    with app.test_request_context():
        with pytest.raises(tour.TransitionError) as error:
            tour.transition(event, "published", organiser)
        assert (
            str(error.value)
            == "Validez le procès-verbal de délibération avant de publier les résultats."
        )
    delib.validate_minutes(event, judges[0])  # judges[0] is the president
    tour.transition(event, "published", organiser)
    db.session.commit()
    entries = {e.idea_id: e for e in db.session.scalars(select(ResultEntry))}
    assert entries[ideas[0].id].is_winner and entries[ideas[0].id].rank == 1
    assert not entries[ideas[1].id].is_winner and entries[ideas[1].id].rank == 2
    assert db.session.scalar(select(Deliberation.published_at)) is not None


def test_validated_minutes_lock_the_results(app):
    event, ideas, judges = scored_event()
    delib.validate_minutes(event, make_user("organiser"), president_name=judges[0].name)
    with pytest.raises(delib.JudgingError):
        delib.choose_winners(event, [ideas[1].id], {ideas[1].id: "x" * 10}, make_user("organiser"))
    with pytest.raises(tour.TransitionError):
        tour.transition(event, "judging", None)


def test_only_the_president_or_an_organiser_validates(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[1])
    response = client.post(f"/judging/{event.slug}/validate", data={"confirm": "yes"})
    assert response.status_code == 403
    assert db.session.scalar(select(Deliberation.validated_at)) is None
    forget_request_state()
    login(judges[0])
    client.post(f"/judging/{event.slug}/validate", data={"confirm": "yes"})
    assert db.session.scalar(select(Deliberation.validated_at)) is not None


def test_deliberation_page_shows_both_methods_and_which_ranks(app, client, login):
    event, ideas, judges = scored_event(split_panels=True, judges_per_idea=2)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert "Classement par le score normalisé" in page
    assert "Score brut /100" in page and "Score /100 ★" in page and "Score z moyen" in page
    assert "50 + 10 × le z-score moyen" in page
    assert "Score normalisé" not in page  # one name per figure


def test_jury_sees_the_ranking_in_deliberation(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[1])
    assert client.get(f"/judging/{event.slug}/deliberation").status_code == 200


def test_winners_form_records_the_choice(app, client, login):
    event, ideas, judges = scored_event()
    login(make_user("organiser"))
    response = client.post(
        f"/judging/{event.slug}/winners", data={"winner": [ideas[1].id]}, follow_redirects=True
    )
    assert "n&#39;est pas dans les 1 premiers" in response.get_data(as_text=True)
    client.post(
        f"/judging/{event.slug}/winners",
        data={
            "winner": [ideas[0].id, ideas[1].id],
            f"reason_{ideas[1].id}": "Ex aequo de cœur du jury",
        },
    )
    assert sorted(c.idea_id for c in db.session.scalars(select(WinnerChoice))) == [
        ideas[0].id,
        ideas[1].id,
    ]


def test_minutes_are_printable_in_french_and_arabic(app, client, login):
    event, ideas, judges = scored_event()
    delib.choose_winners(
        event,
        [ideas[0].id, ideas[2].id],
        {ideas[2].id: "Projet rural unique"},
        make_user("organiser"),
    )
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    assert "Procès-verbal de délibération" in page and "Projet rural unique" in page
    assert judges[0].name in page and "Présidence du jury" in page and "Signatures" in page
    forget_request_state()
    page = client.get(f"/judging/{event.slug}/minutes?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "محضر المداولة" in page


def publish(event, judges):
    delib.validate_minutes(event, judges[0])
    tour.transition(event, "published", None)
    db.session.commit()


def test_public_results_show_winners_only_in_three_languages(app, client):
    event, ideas, judges = scored_event()
    assert client.get(f"/e/{event.slug}/results").status_code == 404
    publish(event, judges)
    for lang, heading in (
        ("fr", "Idéathon de Oujda"),
        ("ar", "نتائج إيديثون وجدة"),
        ("en", "Results of the Ideathon"),
    ):
        forget_request_state()
        page = client.get(f"/e/{event.slug}/results?lang={lang}").get_data(as_text=True)
        assert heading in page
        assert ideas[0].receipt_code in page and ideas[1].receipt_code not in page


def test_ranking_api_access(app, client, login):
    event, ideas, judges = scored_event()
    assert client.get(f"/api/events/{event.slug}/ranking").status_code == 403
    forget_request_state()
    login(make_user("organiser"))
    data = client.get(f"/api/events/{event.slug}/ranking").json
    assert data["method"] == "raw"
    first = data["ideas"][0]
    assert first["receipt_code"] == ideas[0].receipt_code and first["rank"] == 1 and first["ranked"]
    assert first["raw"] == pytest.approx(100) and first["is_winner"]
    assert data["provisional"] and data["version"] is None
    assert set(data["figures"]) == {"score_100", "mean_z", "raw"}
    publish(event, judges)
    forget_request_state()
    anonymous = app.test_client()
    data = anonymous.get(f"/api/events/{event.slug}/ranking").json
    assert data["version"] == 1 and data["in_force"] and not data["provisional"]
    assert [i["is_winner"] for i in data["ideas"]] == [True, False, False]
    assert data["figures"]["score_100"]["label"] == "Score /100"


def test_the_public_ranking_api_lists_the_receipt_codes_of_winners_only(app, client, login):
    event, ideas, judges = scored_event()
    publish(event, judges)
    forget_request_state()
    public = client.get(f"/api/events/{event.slug}/ranking").json["ideas"]
    assert [(i["is_winner"], i["receipt_code"]) for i in public] == [
        (True, ideas[0].receipt_code), (False, None), (False, None)
    ]  # fmt: skip
    text = client.get(f"/api/events/{event.slug}/ranking").get_data(as_text=True)
    assert ideas[1].receipt_code not in text and ideas[2].receipt_code not in text
    login(make_user("organiser"))
    forget_request_state()
    codes = [
        i["receipt_code"] for i in client.get(f"/api/events/{event.slug}/ranking").json["ideas"]
    ]
    assert None not in codes


def test_carry_winners_to_the_final_is_idempotent(app):
    event, ideas, judges = scored_event()
    publish(event, judges)
    final = make_event(
        competition=event.competition, state=EventState.OPEN, is_final=True, city="Rabat"
    )
    created = delib.carry_winners_to_final(final, None)
    db.session.commit()
    assert [i.carried_from_id for i in created] == [ideas[0].id]
    assert created[0].source == "final" and created[0].title == ideas[0].title
    assert delib.carry_winners_to_final(final, None) == []
    assert db.session.query(Idea).filter_by(event_id=final.id).count() == 1


def test_a_winner_carried_into_the_final_takes_its_team_along(app):
    from submissions import team

    event, ideas, judges = scored_event()
    team.store_members(
        ideas[0].id,
        [{"name": "Sara", "role": "", "gender": "female", "age_bracket": "25_34", "position": 1}],
    )
    publish(event, judges)
    final = make_event(
        competition=event.competition, state=EventState.OPEN, is_final=True, city="Rabat"
    )
    (carried,) = delib.carry_winners_to_final(final, None)
    db.session.commit()
    assert [(m.name, m.gender) for m in team.members_of(carried.id)] == [("Sara", "female")]
    assert team.team_counts(carried) == team.team_counts(ideas[0])


def test_judging_state_assigns_sheets(app):
    event = make_event(state=EventState.OPEN)
    judge = make_user("jury")
    add_jury(event, judge)
    from tests.builders import make_idea

    make_idea(event)
    tour.transition(event, "judging", None)
    db.session.commit()
    from judging.models import ScoreSheet

    assert db.session.query(ScoreSheet).filter_by(event_id=event.id).count() == 1


def test_organiser_carries_winners_into_the_final_from_its_page_and_the_cli(
    app, client, runner, login
):
    event, ideas, judges = scored_event()
    publish(event, judges)
    final = make_event(
        competition=event.competition, state=EventState.DRAFT, is_final=True, city="Rabat"
    )
    login(make_user("organiser"))
    page = client.get(f"/judging/{final.slug}/finalists").get_data(as_text=True)
    assert "Aucun finaliste" in page
    response = client.post(f"/judging/{final.slug}/finalists")
    assert response.status_code == 303
    page = client.get(f"/judging/{final.slug}/finalists").get_data(as_text=True)
    assert ideas[0].title in page and ideas[1].title not in page
    # The CLI is idempotent too
    result = runner.invoke(args=["carry-winners", "--event", final.slug])
    assert result.exit_code == 0 and "0 lauréats reportés" in result.output
    assert db.session.query(Idea).filter_by(event_id=final.id).count() == 1


def test_winners_cannot_be_carried_once_the_final_is_judging_or_into_a_city_event(
    app, client, runner, login
):
    event, ideas, judges = scored_event()
    publish(event, judges)
    final = make_event(
        competition=event.competition, state=EventState.JUDGING, is_final=True, city="Rabat"
    )
    result = runner.invoke(args=["carry-winners", "--event", final.slug])
    assert result.exit_code != 0 and "avant le début de l'évaluation" in result.output
    city = make_event(competition=event.competition, state=EventState.OPEN)
    result = runner.invoke(args=["carry-winners", "--event", city.slug])
    assert result.exit_code != 0 and "finale nationale" in result.output
    login(make_user("organiser"))
    assert client.get(f"/judging/{city.slug}/finalists").status_code == 404
    assert db.session.query(Idea).filter(Idea.event_id.in_([final.id, city.id])).count() == 0


def _checkboxes(page: str) -> dict[int, tuple[bool, str]]:
    """{idea id: (ticked, accessible label)} of the winner check boxes."""
    import html
    import re

    boxes = {}
    for tag in re.findall(
        r'<input class="form-check-input" type="checkbox" name="winner"[^>]*>', page
    ):
        idea_id = int(re.search(r'value="(\d+)"', tag).group(1))
        label = html.unescape(re.search(r'aria-label="([^"]*)"', tag).group(1))
        boxes[idea_id] = (" checked" in tag, label)
    return boxes


def test_a_refused_override_keeps_the_ticks_and_reasons_typed_and_ties_the_error(
    app, client, login
):
    event, ideas, judges = build_judging(n_ideas=5, n_judges=2, winners_count=3)
    for idea, mark in zip(ideas, (5, 4, 3, 2, 1), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    set_state(event, "deliberation")
    login(make_user("organiser"))
    response = client.post(
        f"/judging/{event.slug}/winners",
        data={
            "winner": [ideas[0].id, ideas[3].id, ideas[4].id],
            f"reason_{ideas[3].id}": "Seule coopérative de femmes",
            f"reason_{ideas[4].id}": "",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    ticked = sorted(i for i, (checked, _label) in _checkboxes(page).items() if checked)
    assert ticked == sorted([ideas[0].id, ideas[3].id, ideas[4].id])  # not the top 3 again
    assert 'value="Seule coopérative de femmes"' in page
    assert f'aria-describedby="reason_{ideas[4].id}-error"' in page
    assert f'id="reason_{ideas[4].id}-error">{ideas[4].receipt_code} n&#39;est pas' in page
    assert db.session.query(WinnerChoice).count() == 0


def test_every_reason_input_and_winner_box_has_its_own_label(app, client, login):
    event, ideas, judges = build_judging(n_ideas=4, n_judges=2, winners_count=1)
    for idea, mark in zip(ideas, (5, 4, 3, 2), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    set_state(event, "deliberation")
    login(make_user("organiser"))
    for lang in ("fr", "ar"):
        page = client.get(f"/judging/{event.slug}/deliberation?lang={lang}").get_data(as_text=True)
        labels = [label for _ticked, label in _checkboxes(page).values()]
        assert len(labels) == 4 and len(set(labels)) == 4
        assert all(idea.receipt_code in " ".join(labels) for idea in ideas)
        for idea in ideas[1:]:
            assert f'<label class="visually-hidden" for="reason_{idea.id}">' in page
            assert f'id="reason_{idea.id}"' in page
