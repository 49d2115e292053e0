"""The jury's tablet pages: lists, the score sheet, tap-to-save, submit, conflicts, access."""

import html
import re

from sqlalchemy import select

from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db
from judging.models import Conflict, Score, ScoreSheet
from tests.builders import make_idea, make_user, selects_for

from .conftest import build_judging, fill, sheet_of


def test_judge_sees_own_events_and_progress_with_calibration_first(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    calibration = make_idea(event, title="Idée d'étalonnage", is_calibration=True)
    from judging import services

    services.assign_event(event)
    db.session.commit()
    fill(sheet_of(ideas[0], judges[0]), 3)
    login(judges[0])
    page = client.get("/jury").get_data(as_text=True)
    assert "1 sur 2" in page  # calibration is not counted in the progress
    assert page.index("Idée d&#39;étalonnage") < page.index(ideas[0].title)
    assert "Étalonnage" in page
    assert "Soumise" in page and "À noter" in page
    assert calibration.receipt_code in page


def _levels(page: str, criterion) -> list[tuple[str, bool, str]]:
    """(value, checked, descriptor shown beside it) of each level option of a criterion."""
    found = []
    for label in re.findall(r'<label class="level-option[^"]*">(.*?)</label>', page, re.S):
        radio = re.search(r"<input [^>]*>", label).group(0)
        if f'name="criterion-{criterion.id}"' not in radio:
            continue
        assert 'type="radio"' in radio
        value = re.search(r'value="([^"]+)"', radio).group(1)
        text = re.search(r'<span class="level-text">(.*?)</span>', label, re.S)
        found.append((value, " checked" in radio, html.unescape(text.group(1)) if text else ""))
    return found


def test_every_level_is_a_radio_of_one_group_with_its_own_descriptor_beside_it(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(judges[0])
    sheet = sheet_of(ideas[0], judges[0])
    for lang in ("fr", "ar"):
        page = client.get(f"/jury/sheets/{sheet.id}?lang={lang}").get_data(as_text=True)
        assert "<button" not in page.split('id="score-sheet"')[1].split("<form")[0]
        for criterion in event.rubric.criteria:
            levels = _levels(page, criterion)
            assert [value for value, _c, _t in levels] == ["1", "2", "3", "4", "5"]
            for value, _checked, text in levels:
                assert text == criterion.descriptor(value)[lang], (criterion.key, value)
    criterion = event.rubric.criteria[0]
    criterion.descriptors = {"1": {"fr": "Rien."}}
    criterion.half_points = True
    db.session.commit()
    page = client.get(f"/jury/sheets/{sheet.id}?lang=fr").get_data(as_text=True)
    levels = dict((value, text) for value, _c, text in _levels(page, criterion))
    assert levels["1"] == "Rien." and levels["1.5"] == "" and levels["5"] == ""
    page = client.get(f"/jury/sheets/{sheet.id}?lang=ar").get_data(as_text=True)
    levels = dict((value, text) for value, _c, text in _levels(page, criterion))
    assert levels["1"] == '<bdi lang="fr">Rien.</bdi> <small class="lang-hint">(بالفرنسية)</small>'


def test_submit_names_the_criteria_still_to_score_and_stays_disabled(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    criteria = event.rubric.criteria

    def hint_and_button(lang="fr"):
        page = client.get(f"/jury/sheets/{sheet.id}?lang={lang}").get_data(as_text=True)
        hint = re.search(r'<p class="submit-hint[^>]*>(.*?)</p>', page, re.S)
        assert 'aria-live="polite"' in hint.group(0)
        button = re.search(r"<button [^>]*data-submit-sheet[^>]*>", page).group(0)
        return " ".join(html.unescape(hint.group(1)).split()), " disabled" in button

    hint, disabled = hint_and_button()
    assert disabled and hint.startswith("Encore à noter :")
    assert all(criterion.name["fr"] in hint for criterion in criteria)
    for criterion in criteria[:-1]:
        client.post(f"/jury/sheets/{sheet.id}/score", json={"criterion": criterion.id, "value": 3})
    hint, disabled = hint_and_button("ar")
    assert disabled and criteria[-1].name["ar"] in hint and criteria[0].name["ar"] not in hint
    client.post(f"/jury/sheets/{sheet.id}/score", json={"criterion": criteria[-1].id, "value": 3})
    hint, disabled = hint_and_button()
    assert not disabled and "Encore à noter" not in hint


def test_after_submitting_the_judge_is_offered_the_next_idea_to_score(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=1)
    first, second, third = (sheet_of(idea, judges[0]) for idea in ideas)
    fill(second, 3)  # already submitted: skipped
    login(judges[0])
    for criterion in event.rubric.criteria:
        client.post(f"/jury/sheets/{first.id}/score", json={"criterion": criterion.id, "value": 4})
    response = client.post(f"/jury/sheets/{first.id}/submit")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/jury/sheets/{first.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Grille soumise. Merci." in page
    assert re.search(rf'href="/jury/sheets/{third.id}"[^>]*data-next-idea', page)
    assert ">Idée suivante<" in page
    fill(third, 2)
    page = client.get(f"/jury/sheets/{first.id}").get_data(as_text=True)
    assert "data-next-idea" not in page and "Toutes les idées de votre liste sont notées" in page


def test_sheet_page_shows_the_idea_and_tap_targets(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    page = client.get(f"/jury/sheets/{sheet.id}").get_data(as_text=True)
    assert ideas[0].problem.replace("'", "&#39;") in page
    criterion = event.rubric.criteria[0]
    assert [value for value, _checked, _text in _levels(page, criterion)] == list("12345")
    assert page.count("is-unscored") == len(event.rubric.criteria)
    assert "Non noté" in page
    assert "Fatima Zahra" in page


def test_blind_event_hides_the_team(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, blind=True)
    login(judges[0])
    page = client.get(f"/jury/sheets/{sheet_of(ideas[0], judges[0]).id}").get_data(as_text=True)
    assert "Fatima Zahra" not in page and ideas[0].lead_phone not in page


def test_half_point_levels_are_offered_when_allowed(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    event.rubric.criteria[0].half_points = True
    db.session.commit()
    login(judges[0])
    page = client.get(f"/jury/sheets/{sheet_of(ideas[0], judges[0]).id}").get_data(as_text=True)
    assert 'data-value="2.5"' in page and 'data-value="4.5"' in page


def test_a_tap_is_saved_at_once_and_audited(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    criterion = event.rubric.criteria[0]
    login(judges[0])
    response = client.post(
        f"/jury/sheets/{sheet.id}/score", json={"criterion": criterion.id, "value": "4"}
    )
    assert response.status_code == 200 and response.json == {
        "ok": True,
        "status": "draft",
        "message": "Enregistré",
    }
    assert db.session.scalar(select(Score.value)) == 4
    page = client.get(f"/jury/sheets/{sheet.id}").get_data(as_text=True)
    assert [value for value, checked, _text in _levels(page, criterion) if checked] == ["4"]


def test_json_tap_needs_the_csrf_header(app, client, login, csrf_on):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    response = client.post(
        f"/jury/sheets/{sheet.id}/score",
        json={"criterion": event.rubric.criteria[0].id, "value": 4},
    )
    assert response.status_code == 400
    assert db.session.query(Score).count() == 0


def test_out_of_range_tap_is_refused_in_french_and_nothing_stored(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    response = client.post(
        f"/jury/sheets/{sheet.id}/score",
        json={"criterion": event.rubric.criteria[0].id, "value": 9},
    )
    assert response.status_code == 422
    assert response.json["error"] == "Le score doit être compris entre 1 et 5."
    response = client.post(f"/jury/sheets/{sheet.id}/score", json={"criterion": 999999, "value": 3})
    assert response.status_code == 422
    response = client.post(f"/jury/sheets/{sheet.id}/score", data="not json")
    assert response.status_code == 422
    assert db.session.query(Score).count() == 0


def test_a_tap_names_a_criterion_of_this_events_rubric_or_gets_a_clear_refusal(app, client, login):
    """The criterion is looked up by id within the event's rubric: its digits as text are the
    same id; anything else (another rubric's criterion, a huge number, a boolean, a float,
    leading zeros, other digits) is the same clear 422, and nothing is stored."""
    from competitions.defaults import build_default_rubric

    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    criterion_id = event.rubric.criteria[0].id
    other = build_default_rubric()
    db.session.add(other)
    db.session.commit()
    other_id = other.criteria[0].id
    login(judges[0])
    path = f"/jury/sheets/{sheet.id}/score"
    for wrong in (other_id, 10**20, True, float(criterion_id), f"0{criterion_id}", "١", None):
        response = client.post(path, json={"criterion": wrong, "value": 3})
        assert response.status_code == 422, wrong
        assert (
            response.json["error"] == "Ce critère ne fait pas partie de la grille de l'événement."
        )
    assert db.session.query(Score).count() == 0
    response = client.post(path, json={"criterion": str(criterion_id), "value": 3})
    assert response.status_code == 200
    assert db.session.query(Score).count() == 1


def test_two_tablets_last_write_wins_both_audited(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    criterion = event.rubric.criteria[0]
    other = app.test_client()
    login(judges[0])
    login(judges[0], other)
    assert (
        client.post(
            f"/jury/sheets/{sheet.id}/score",
            json={"criterion": criterion.id, "value": 2},
            headers={"X-Tablet-Id": "tablet-A"},
        ).status_code
        == 200
    )
    assert (
        other.post(
            f"/jury/sheets/{sheet.id}/score",
            json={"criterion": criterion.id, "value": 5},
            headers={"X-Tablet-Id": "tablet-B"},
        ).status_code
        == 200
    )
    assert db.session.scalars(select(Score.value)).all() == [5]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "score").order_by(AuditEntry.id)
    ).all()
    assert [(e.source, e.old["value"], e.new["value"]) for e in entries] == [
        ("tablet-A", None, 2),
        ("tablet-B", 2, 5),
    ]


def test_comment_is_saved_by_json(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    assert (
        client.post(f"/jury/sheets/{sheet.id}/score", json={"comment": "Très solide"}).status_code
        == 200
    )
    assert db.session.get(ScoreSheet, sheet.id).comment == "Très solide"


def test_submit_requires_every_criterion(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    client.post(
        f"/jury/sheets/{sheet.id}/score",
        json={"criterion": event.rubric.criteria[0].id, "value": 3},
    )
    response = client.post(f"/jury/sheets/{sheet.id}/submit", follow_redirects=True)
    assert "Notez chaque critère avant de soumettre." in response.get_data(as_text=True)
    assert db.session.get(ScoreSheet, sheet.id).status == "draft"
    for criterion in event.rubric.criteria:
        client.post(f"/jury/sheets/{sheet.id}/score", json={"criterion": criterion.id, "value": 3})
    response = client.post(f"/jury/sheets/{sheet.id}/submit")
    assert response.status_code == 303
    assert db.session.get(ScoreSheet, sheet.id).status == "submitted"


def test_organiser_reopens_a_submitted_sheet(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    fill(sheet, 4)
    login(make_user("organiser"))
    assert client.post(f"/judging/sheets/{sheet.id}/reopen").status_code == 303
    assert db.session.get(ScoreSheet, sheet.id).status == "draft"


def test_conflict_declaration_needs_a_reason_and_removes_the_idea(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    page = client.post(
        f"/jury/sheets/{sheet.id}/conflict", data={"reason": ""}, follow_redirects=True
    )
    assert "Indiquez la raison du conflit d&#39;intérêts." in page.get_data(as_text=True)
    assert db.session.query(Conflict).count() == 0
    client.post(f"/jury/sheets/{sheet.id}/conflict", data={"reason": "C'est mon frère"})
    assert db.session.query(Conflict).count() == 1
    page = client.get("/jury").get_data(as_text=True)
    assert "Conflit déclaré" in page and "0 sur 1" in page
    assert page.index(ideas[0].receipt_code) > page.index(ideas[1].receipt_code)  # listed apart


# --- Access ---------------------------------------------------------------------------------------


def test_a_judge_cannot_read_or_write_another_judges_sheet(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    theirs = sheet_of(ideas[0], judges[1])
    login(judges[0])
    assert client.get(f"/jury/sheets/{theirs.id}").status_code == 404
    criterion = event.rubric.criteria[0]
    assert (
        client.post(
            f"/jury/sheets/{theirs.id}/score", json={"criterion": criterion.id, "value": 3}
        ).status_code
        == 404
    )
    assert client.post(f"/jury/sheets/{theirs.id}/submit").status_code == 404
    assert db.session.query(Score).count() == 0


def test_a_judge_cannot_see_another_events_sheets(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    other_event, other_ideas, other_judges = build_judging(n_ideas=1, n_judges=1)
    login(judges[0])
    page = client.get("/jury").get_data(as_text=True)
    assert other_ideas[0].title not in page
    assert (
        client.get(f"/jury/sheets/{sheet_of(other_ideas[0], other_judges[0]).id}").status_code
        == 404
    )


def test_scores_cannot_change_outside_judging(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, state=EventState.DELIBERATION)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    response = client.post(
        f"/jury/sheets/{sheet.id}/score",
        json={"criterion": event.rubric.criteria[0].id, "value": 3},
    )
    assert response.status_code == 409
    assert (
        response.json["error"] == "Les scores ne peuvent changer que pendant la phase de notation."
    )
    assert db.session.query(Score).count() == 0


def test_judges_never_see_rankings_before_deliberation(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(judges[0])
    assert client.get(f"/judging/{event.slug}/deliberation").status_code == 403
    assert client.get(f"/judging/{event.slug}/minutes").status_code == 403
    assert client.get(f"/api/events/{event.slug}/ranking").status_code == 403
    assert client.get(f"/judging/{event.slug}/progress").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    response = client.get("/jury")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_control_characters_in_free_text_are_dropped(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    assert (
        client.post(
            f"/jury/sheets/{sheet.id}/score", json={"comment": "Bien\x00 vu\x07"}
        ).status_code
        == 200
    )
    assert db.session.get(ScoreSheet, sheet.id).comment == "Bien vu"
    client.post(f"/jury/sheets/{sheet.id}/conflict", data={"reason": "Cousin\x00 germain"})
    assert db.session.scalar(select(Conflict.reason)) == "Cousin germain"


def test_the_judges_list_costs_the_same_queries_for_two_ideas_or_eight(app, client, login):
    counts = []
    for n in (2, 8):
        event, ideas, judges = build_judging(n_ideas=n, n_judges=1)
        login(judges[0])
        counts.append(selects_for(client, "/jury"))
    assert counts[0] == counts[1], counts


def test_the_sheet_names_the_region_in_arabic_for_an_arabic_judge(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(judges[0])
    page = client.get(f"/jury/sheets/{sheet_of(ideas[0], judges[0]).id}?lang=ar")
    assert "الشرق" in page.get_data(as_text=True)
