"""Rubrics: validation of criteria, lock once scored, explicit new versions, copies per event."""

import html

import pytest

from competitions import services
from competitions.models import Criterion, Rubric
from competitions.states import EventState
from extensions import db, utcnow
from judging.models import Score, ScoreSheet
from tests.builders import make_competition, make_event, make_idea, make_user


def _form(**overrides):
    data = {
        "name_fr": "Ancrage territorial",
        "name_ar": "الارتباط بالمجال",
        "name_en": "Local roots",
        "description_fr": "Lien avec le territoire.",
        "level_1_fr": "Aucun lien.",
        "level_5_fr": "Très ancré.",
        "weight": "2",
        "scale_min": "1",
        "scale_max": "5",
        "tiebreak_order": "",
    }
    data.update(overrides)
    return data


def _score_once(event):
    """A real score row on the event's rubric (as judging records it)."""
    judge = make_user("jury")
    idea = make_idea(event)
    sheet = ScoreSheet(event_id=event.id, idea_id=idea.id, judge_id=judge.id, status="draft")
    sheet.scores.append(Score(criterion_id=event.rubric.criteria[0].id, value=4))
    db.session.add(sheet)
    db.session.commit()


def test_organiser_adds_a_criterion_in_three_languages(client, organiser):
    rubric = make_competition().rubric
    response = client.post(f"/tour/rubrics/{rubric.id}/criteria/new", data=_form())
    assert response.status_code == 303
    criterion = db.session.query(Criterion).filter_by(key="local_roots").one()
    assert criterion.name == {
        "fr": "Ancrage territorial",
        "ar": "الارتباط بالمجال",
        "en": "Local roots",
    }
    assert criterion.descriptors == {"1": {"fr": "Aucun lien."}, "5": {"fr": "Très ancré."}}
    assert criterion.weight == 2
    assert criterion.position == len(rubric.criteria) - 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weight": "0"}, "weight", "supérieur à 0"),
        ({"weight": "-1"}, "weight", "supérieur à 0"),
        ({"weight": "abc"}, "weight", "nombre"),
        ({"weight": "500"}, "weight", "au plus égal à 100"),
        ({"scale_min": "5", "scale_max": "5"}, "scale_max", "haut de l'échelle"),
        ({"scale_min": "5", "scale_max": "1"}, "scale_max", "haut de l'échelle"),
        ({"scale_min": "-3"}, "scale_min", "de 0 à 100"),
        ({"scale_max": "1000"}, "scale_max", "de 0 à 100"),
        ({"scale_max": "4.5"}, "scale_max", "entier"),
        ({"name_fr": "", "name_ar": "", "name_en": ""}, "name_fr", "au moins une langue"),
        ({"tiebreak_order": "1"}, "tiebreak_order", "déjà l'ordre de départage 1"),
        ({"tiebreak_order": "0"}, "tiebreak_order", "de 1 à 1\u202f000"),
        ({"key": "social_impact"}, "key", "utilise déjà la clé"),
        ({"key": "Bad Key!"}, "key", "minuscules"),
    ],
)
def test_bad_criterion_input_is_refused_next_to_its_field(
    client, organiser, overrides, field, message
):
    rubric = make_competition().rubric
    before = len(rubric.criteria)
    response = client.post(f"/tour/rubrics/{rubric.id}/criteria/new", data=_form(**overrides))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert f"field-{field}" in page.split(message)[0].rsplit('class="mb-3', 1)[-1]
    db.session.expire_all()
    assert db.session.query(Criterion).filter_by(rubric_id=rubric.id).count() == before


def test_service_refuses_non_positive_weight_and_bad_scales(app):
    rubric = make_competition().rubric
    base = {"name": {"fr": "X"}, "weight": 1, "scale_min": 1, "scale_max": 5}
    for bad in (
        {"weight": 0},
        {"weight": -2},
        {"scale_min": 3, "scale_max": 3},
        {"scale_min": 1, "scale_max": 2.5},
        {"scale_min": True},
    ):
        with pytest.raises(services.RubricError):
            services.add_criterion(rubric, {**base, **bad})
    criterion = services.add_criterion(
        rubric, {**base, "scale_min": 0, "scale_max": 10, "half_points": True}
    )
    assert (criterion.scale_min, criterion.scale_max, criterion.half_points) == (0, 10, True)


def test_organiser_edits_a_criterion_of_an_unlocked_rubric(client, organiser):
    rubric = make_competition().rubric
    criterion = rubric.criteria[0]
    page = client.get(f"/tour/criteria/{criterion.id}/edit").get_data(as_text=True)
    assert "Impact social" in page
    response = client.post(
        f"/tour/criteria/{criterion.id}/edit",
        data=_form(
            key=criterion.key, name_fr="Impact social et inclusion", weight="4", tiebreak_order="1"
        ),
    )
    assert response.status_code == 303
    db.session.refresh(criterion)
    assert criterion.name["fr"] == "Impact social et inclusion" and criterion.weight == 4


def test_rubric_with_a_score_cannot_be_edited_in_place(client, organiser):
    event = make_event(state=EventState.JUDGING)
    rubric = event.rubric
    _score_once(event)
    criterion = rubric.criteria[0]
    response = client.post(
        f"/tour/criteria/{criterion.id}/edit", data=_form(key=criterion.key, weight="9")
    )
    assert response.status_code == 409
    assert "verrouillée" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Criterion, criterion.id).weight == 3
    assert client.post(f"/tour/rubrics/{rubric.id}/criteria/new", data=_form()).status_code == 409
    assert client.post(f"/tour/criteria/{criterion.id}/delete").status_code == 409
    db.session.expire_all()
    assert len(db.session.get(Rubric, rubric.id).criteria) == 6


def test_locked_rubric_refuses_every_service_change(app):
    rubric = make_competition().rubric
    services.lock_rubric(rubric)
    db.session.commit()
    with pytest.raises(services.RubricLocked):
        services.update_criterion(
            rubric.criteria[0], {"name": {"fr": "X"}, "weight": 1, "scale_min": 1, "scale_max": 5}
        )
    with pytest.raises(services.RubricLocked):
        services.add_criterion(
            rubric, {"name": {"fr": "X"}, "weight": 1, "scale_min": 1, "scale_max": 5}
        )
    with pytest.raises(services.RubricLocked):
        services.delete_criterion(rubric.criteria[0])


def test_locked_rubric_page_offers_a_new_version_instead_of_edit_buttons(client, organiser):
    rubric = make_competition().rubric
    services.lock_rubric(rubric)
    db.session.commit()
    page = client.get(f"/tour/rubrics/{rubric.id}").get_data(as_text=True)
    assert (
        "Créer une nouvelle version" in page
        and f"/tour/criteria/{rubric.criteria[0].id}/edit" not in page
    )


def test_new_version_is_an_editable_copy_and_events_already_judging_keep_the_old_one(
    client, organiser
):
    competition = make_competition()
    judged = make_event(competition, state=EventState.JUDGING)
    upcoming = make_event(competition, state=EventState.DRAFT)
    old = competition.rubric
    _score_once(judged)
    response = client.post(f"/tour/rubrics/{old.id}/version")
    assert response.status_code == 303
    db.session.expire_all()
    new = db.session.query(Rubric).filter_by(previous_id=old.id).one()
    assert new.version == old.version + 1 and new.locked_at is None
    assert [c.key for c in new.criteria] == [c.key for c in old.criteria]
    assert {c.id for c in new.criteria}.isdisjoint({c.id for c in old.criteria})
    assert competition.rubric_id == new.id
    assert judged.rubric.id == old.id  # its scores keep their meaning
    assert upcoming.rubric.id == new.id
    # the new version can be edited
    criterion = new.criteria[0]
    assert (
        client.post(
            f"/tour/criteria/{criterion.id}/edit", data=_form(key=criterion.key, weight="5")
        ).status_code
        == 303
    )


def test_copy_rubric_to_an_event_before_judging_only(client, organiser):
    competition = make_competition()
    event = make_event(competition, state=EventState.OPEN)
    response = client.post(f"/tour/events/{event.slug}/rubric/copy")
    assert response.status_code == 303
    db.session.expire_all()
    assert event.own_rubric is not None and event.rubric.id != competition.rubric.id
    assert len(event.rubric.criteria) == len(competition.rubric.criteria)
    # a second copy, or a copy once judging started, is refused with the reason
    assert "déjà sa propre grille" in client.post(
        f"/tour/events/{event.slug}/rubric/copy"
    ).get_data(as_text=True)
    judging = make_event(competition, state=EventState.JUDGING)
    response = client.post(f"/tour/events/{judging.slug}/rubric/copy")
    assert response.status_code == 409 and judging.own_rubric is None


def test_last_criterion_cannot_be_deleted(client, organiser):
    rubric = make_competition().rubric
    for criterion in list(rubric.criteria[1:]):
        assert client.post(f"/tour/criteria/{criterion.id}/delete").status_code == 303
    response = client.post(f"/tour/criteria/{rubric.criteria[0].id}/delete")
    assert response.status_code == 409 and "au moins un critère" in response.get_data(as_text=True)


def test_lock_rubric_is_idempotent(app):
    rubric = make_competition().rubric
    services.lock_rubric(rubric)
    first = rubric.locked_at
    services.lock_rubric(rubric)
    assert rubric.locked_at == first and first <= utcnow()


def test_every_bad_criterion_field_is_reported_at_once(client, organiser):
    rubric = make_competition().rubric
    response = client.post(
        f"/tour/rubrics/{rubric.id}/criteria/new",
        data=_form(weight="0", scale_min="5", scale_max="2", tiebreak_order="1"),
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    for message in ("supérieur à 0", "haut de l'échelle", "départage 1"):
        assert message in page
    assert page.count("invalid-feedback d-block") == 3


def test_each_level_gets_its_own_descriptor_in_each_language(client, organiser):
    rubric = make_competition().rubric
    page = client.get(f"/tour/rubrics/{rubric.id}/criteria/new").get_data(as_text=True)
    for level in range(1, 6):
        for lang in ("fr", "ar", "en"):
            assert f'name="level_{level}_{lang}"' in page
    texts = {f"level_{n}_fr": f"Niveau {n} décrit." for n in range(1, 6)}
    texts["level_3_ar"] = "مستوى متوسط."
    response = client.post(f"/tour/rubrics/{rubric.id}/criteria/new", data=_form(**texts))
    assert response.status_code == 303
    criterion = db.session.query(Criterion).filter_by(key="local_roots").one()
    assert criterion.descriptor(3) == {"fr": "Niveau 3 décrit.", "ar": "مستوى متوسط."}
    assert criterion.levels_without_descriptor == []


def test_a_wider_scale_is_described_level_by_level_and_out_of_scale_texts_are_dropped(
    client, organiser
):
    rubric = make_competition().rubric
    criterion = rubric.criteria[0]
    data = _form(scale_min="0", scale_max="7", level_7_fr="Excellent.", level_0_fr="Absent.")
    data["level_9_fr"] = "Hors échelle."
    response = client.post(f"/tour/criteria/{criterion.id}/edit", data=data)
    assert response.status_code == 303
    db.session.refresh(criterion)
    assert criterion.descriptors == {
        "0": {"fr": "Absent."},
        "1": {"fr": "Aucun lien."},
        "5": {"fr": "Très ancré."},
        "7": {"fr": "Excellent."},
    }
    page = client.get(f"/tour/criteria/{criterion.id}/edit").get_data(as_text=True)
    assert 'name="level_7_en"' in page and 'name="level_8_fr"' not in page


def test_rubric_page_shows_every_level_and_which_lack_a_descriptor(client, organiser):
    rubric = make_competition().rubric
    criterion = rubric.criteria[0]
    page = client.get(f"/tour/rubrics/{rubric.id}").get_data(as_text=True)
    assert "Aucun descripteur" not in page  # the default rubric describes every level
    assert html.escape(criterion.descriptor(3)["fr"], quote=True) in page
    criterion.descriptors = {"1": {"fr": "Bas."}, "5": {"fr": "Haut."}}
    db.session.commit()
    page = client.get(f"/tour/rubrics/{rubric.id}").get_data(as_text=True)
    assert "Aucun descripteur pour : 2, 3, 4" in page


def test_the_migration_keeps_the_two_ends_as_levels():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "migrations/versions/0015_level_descriptors.py"
    spec = importlib.util.spec_from_file_location("level_descriptors", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    old = {"low": {"fr": "Bas."}, "high": {"ar": "عال."}}
    new = migration._to_levels(old, 0, 10)
    assert new == {"0": {"fr": "Bas."}, "10": {"ar": "عال."}}
    assert migration._to_ends(new, 0, 10) == old
    assert migration._to_levels(new, 0, 10) == new  # already moved: unchanged


def test_a_field_back_with_errors_is_marked_invalid_and_described_by_its_message(client, organiser):
    """The shared `field` macro: every form built with it ties each message to its field."""
    import re

    rubric = make_competition().rubric
    response = client.post(
        f"/tour/rubrics/{rubric.id}/criteria/new?lang=ar", data=_form(weight="0", scale_max="x")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    weight = re.search(r'<input [^>]*name="weight"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in weight
    assert 'aria-describedby="weight-help weight-error"' in weight
    assert re.search(r'<div class="invalid-feedback d-block" id="weight-error">[^<]+</div>', page)
    scale = re.search(r'<input [^>]*name="scale_max"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in scale and 'aria-describedby="scale_max-error"' in scale
    name = re.search(r'<input [^>]*name="name_fr"[^>]*>', page).group(0)
    assert "aria-invalid" not in name and "aria-describedby" not in name
