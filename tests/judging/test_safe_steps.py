"""Safe steps in judging: what closing judging and publishing will do, who validates the minutes
(the president, or an organiser on their behalf typing their name), the minutes' own content
(notes, method and its reason, conflicts of both kinds), organisers' conflicts, the calibration
page, and a scored idea that cannot become the calibration idea."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.models import Event
from competitions.states import EventState
from extensions import db
from judging import calibration, services
from judging import deliberation as delib
from judging.models import Conflict, Deliberation, ScoreSheet
from submissions.models import Idea
from tests.builders import make_idea, make_user

from .conftest import build_judging, fill, forget_request_state, set_state, sheet_of
from .test_deliberation import scored_event


def _html(text: str) -> str:
    return str(escape(text))


def _deliberation() -> Deliberation | None:
    db.session.expire_all()
    return db.session.scalar(select(Deliberation))


# --- Closing judging and publishing say what will happen ---------------------------------------


def test_closing_judging_lists_the_missing_sheets_by_judge_and_idea(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 4)
    fill(sheet_of(ideas[0], judges[1]), 4)
    fill(sheet_of(ideas[1], judges[0]), 4, submit=False)  # in progress: still missing
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/state/deliberation").get_data(as_text=True)
    assert "33 % des grilles sont soumises (2 sur 6)." in page
    assert "Grilles encore manquantes, par membre du jury :" in page
    first = f"{judges[0].name}: {ideas[1].receipt_code} "
    assert _html(first) in page and ideas[2].receipt_code in page
    line = next(line for line in page.splitlines() if judges[0].name + ":" in line)
    assert ideas[0].receipt_code not in line  # submitted: not missing


def test_closing_judging_with_every_sheet_in_says_so(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 3)
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/state/deliberation").get_data(as_text=True)
    assert "100 % des grilles sont soumises (1 sur 1)." in page
    assert "Toutes les grilles sont soumises." in page


def test_publishing_names_what_becomes_public_and_the_emails_that_will_leave(app, client, login):
    event, ideas, judges = scored_event()
    ideas[0].lead_email = "fatima@example.ma"
    ideas[1].lead_email = "youssef@example.ma"
    ideas[2].lead_email = None
    db.session.commit()
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/state/published").get_data(as_text=True)
    assert "2 e-mails de résultats vont partir, un par idée ayant une adresse e-mail." in page
    assert f"/e/{event.slug}/results" in page and f"/api/events/{event.slug}/ranking" in page


def test_publishing_without_confirmation_is_refused_and_nothing_is_published(app, client, login):
    event, ideas, judges = scored_event()
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    login(make_user("organiser"))
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "published"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Event, event.id).state == "deliberation"
    assert _deliberation().published_at is None
    response = client.post(
        f"/tour/events/{event.slug}/state", data={"state": "published", "confirm": "yes"}
    )
    assert response.status_code == 303
    assert _deliberation().published_at is not None


# --- Who validates -----------------------------------------------------------------------------


def test_validating_needs_its_confirmation(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[0])  # the president
    page = client.get(f"/judging/{event.slug}/validate").get_data(as_text=True)
    assert "Ce qui sera verrouillé" in page and "la méthode de classement" in page
    assert "depuis votre propre compte" in page or "connecté sur votre propre compte" in page
    response = client.post(f"/judging/{event.slug}/validate")
    assert response.status_code == 422
    assert "Cochez la case pour confirmer" in response.get_data(as_text=True)
    assert _deliberation() is None or _deliberation().validated_at is None


def test_the_president_validates_on_their_own_account_and_the_minutes_say_so(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[0])
    response = client.post(f"/judging/{event.slug}/validate", data={"confirm": "yes"})
    assert response.status_code == 303
    record = _deliberation()
    assert record.validation_mode == "president"
    assert record.validated_by_id == judges[0].id == record.validated_for_id
    forget_request_state()
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    assert (
        f'par la présidence du jury (<bdi dir="auto">{judges[0].name}</bdi>), depuis son propre compte.'
        in page
    )


def test_an_organiser_validates_on_behalf_only_by_typing_the_presidents_name(app, client, login):
    event, ideas, judges = scored_event()
    organiser = login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/validate").get_data(as_text=True)
    assert f'au nom de la présidence du jury (<bdi dir="auto">{judges[0].name}</bdi>)' in page
    assert 'name="president_name"' in page
    for typed in (None, "", "Quelqu'un d'autre", judges[1].name):
        data = {"confirm": "yes"} if typed is None else {"confirm": "yes", "president_name": typed}
        response = client.post(f"/judging/{event.slug}/validate", data=data)
        assert response.status_code == 422
        assert _html(
            "Pour valider au nom de la présidence du jury, saisissez le nom"
        ) in response.get_data(as_text=True)
        assert _deliberation() is None or _deliberation().validated_at is None
    typed = "  " + judges[0].name.upper().replace(" ", "  ") + " "  # case and spaces forgiven
    response = client.post(
        f"/judging/{event.slug}/validate", data={"confirm": "yes", "president_name": typed}
    )
    assert response.status_code == 303
    record = _deliberation()
    assert record.validation_mode == "on_behalf"
    assert record.validated_by_id == organiser.id and record.validated_for_id == judges[0].id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "minutes"))
    assert entry.new["mode"] == "on_behalf" and entry.new["president_id"] == judges[0].id
    forget_request_state()
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    b = f'<bdi dir="auto">{judges[0].name}</bdi>'
    assert (
        f'par <bdi dir="auto">{organiser.name}</bdi>, organisateur, au nom de la présidence du jury '
        f"({b})." in page
    )


def test_a_judge_who_is_not_president_cannot_validate(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[1])
    assert client.get(f"/judging/{event.slug}/validate").status_code == 403
    response = client.post(
        f"/judging/{event.slug}/validate",
        data={"confirm": "yes", "president_name": judges[0].name},
    )
    assert response.status_code == 403
    assert _deliberation() is None or _deliberation().validated_at is None


def test_without_a_president_nobody_validates(app, client, login):
    event, ideas, judges = scored_event()
    for member in event.jury:
        member.is_president = False
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/validate").get_data(as_text=True)
    assert "Le jury n'a pas de présidence" in page
    response = client.post(
        f"/judging/{event.slug}/validate", data={"confirm": "yes", "president_name": "x"}
    )
    assert response.status_code == 409
    assert _deliberation() is None or _deliberation().validated_at is None


def test_the_deliberation_page_leads_to_the_validation_page(app, client, login):
    event, ideas, judges = scored_event()
    login(judges[0])
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert f'href="/judging/{event.slug}/validate"' in page
    assert f'action="/judging/{event.slug}/validate"' not in page


# --- The minutes carry the deliberation itself -------------------------------------------------


def test_notes_are_kept_in_the_minutes_and_limited_in_length(app, client, login):
    event, ideas, judges = scored_event()
    login(make_user("organiser"))
    notes = "Le jury a longuement discuté de l'idée 2.\nVote à main levée."
    response = client.post(f"/judging/{event.slug}/notes", data={"notes": notes})
    assert response.status_code == 303
    assert _deliberation().notes == notes
    too_long = "x" * (delib.NOTES.max_length + 1)
    response = client.post(f"/judging/{event.slug}/notes", data={"notes": too_long})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20\u202f000 caractères au maximum (20\u202f001 saisis)." in page
    assert too_long in page  # what was typed is not lost
    assert _deliberation().notes == notes
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    assert "Notes de la discussion" in page and _html("longuement discuté de l'idée 2.") in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notes"))
    assert entry.new == {"notes": notes}


def test_notes_and_method_are_locked_once_the_minutes_are_validated(app, client, login):
    event, ideas, judges = scored_event()
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    login(make_user("organiser"))
    response = client.post(f"/judging/{event.slug}/notes", data={"notes": "Après coup"})
    assert response.status_code == 409
    response = client.post(
        f"/judging/{event.slug}/method",
        data={"method": "normalised", "method_reason": "Trop tard pour changer"},
    )
    assert response.status_code == 409
    assert _deliberation().notes == "" and _deliberation().method_reason is None


def test_changing_the_method_needs_a_reason_written_in_the_minutes(app, client, login):
    event, ideas, judges = scored_event()
    login(make_user("organiser"))
    for data, message in (
        ({"method": "normalised"}, "Écrivez pourquoi le jury classe selon cette méthode."),
        ({"method": "normalised", "method_reason": "x" * 1001}, "au maximum"),
        ({"method": "median", "method_reason": "Pourquoi pas"}, "Méthode de classement inconnue."),
    ):
        response = client.post(f"/judging/{event.slug}/method", data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).ranking_method is None
    reason = "Deux jurys ont noté des idées différentes : on corrige leur sévérité."
    response = client.post(
        f"/judging/{event.slug}/method", data={"method": "normalised", "method_reason": reason}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).ranking_method == "normalised"
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    assert "Pourquoi cette méthode :" in page and _html(reason) in page
    assert "Classement par le score normalisé" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "method"))
    assert entry.old["method"] == "raw" and entry.new == {"method": "normalised", "reason": reason}


# --- Conflicts: declared by judges, recorded by organisers -------------------------------------


def test_an_organiser_records_a_conflict_before_judging_and_the_judge_never_gets_the_idea(
    app, client, login
):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, state=EventState.OPEN)
    assert db.session.query(ScoreSheet).filter_by(judge_id=judges[1].id).count() == 2
    organiser = login(make_user("organiser"))
    response = client.post(
        f"/judging/{event.slug}/conflicts",
        data={"judge_id": judges[1].id, "idea_id": ideas[0].id, "reason": "C'est son cousin"},
    )
    assert response.status_code == 303
    conflict = db.session.scalar(select(Conflict))
    assert conflict.declared_by_id == organiser.id and conflict.judge_id == judges[1].id
    sheets = db.session.query(ScoreSheet).filter_by(judge_id=judges[1].id).all()
    assert [s.idea_id for s in sheets] == [ideas[1].id]  # the assigned sheet is gone
    services.assign_event(event)
    db.session.commit()
    assert db.session.query(ScoreSheet).filter_by(judge_id=judges[1].id).count() == 1
    page = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert _html("C'est son cousin") in page and f"enregistré par {organiser.name}" in page


@pytest.mark.parametrize(
    ("field", "value", "status", "message"),
    [
        ("judge_id", "outsider", 422, "Choisissez un membre du jury de cet événement."),
        ("judge_id", "abc", 422, "Choisissez un membre du jury de cet événement."),
        ("idea_id", "elsewhere", 422, "Cette idée ne fait pas partie de l"),
        ("reason", "", 422, "Indiquez la raison du conflit"),
        ("reason", "x" * 1001, 422, "au maximum"),
        ("state", "judging", 409, "avant le début de l&#39;évaluation"),
        ("again", None, 409, "Ce conflit d&#39;intérêts est déjà enregistré."),
    ],
)
def test_bad_organiser_conflicts_are_refused(app, client, login, field, value, status, message):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, state=EventState.OPEN)
    login(make_user("organiser"))
    data = {"judge_id": judges[0].id, "idea_id": ideas[0].id, "reason": "Son associé"}
    if field == "state":
        set_state(event, value)
    elif field == "again":
        client.post(f"/judging/{event.slug}/conflicts", data=data)
    elif value == "outsider":
        data[field] = make_user("jury").id
    elif value == "elsewhere":
        from tests.builders import make_event

        data[field] = make_idea(make_event()).id
    else:
        data[field] = value
    before = db.session.query(Conflict).count()
    response = client.post(f"/judging/{event.slug}/conflicts", data=data, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert db.session.query(Conflict).count() == before
    assert response.history[0].status_code == 303  # refused, told on the progress page
    with pytest.raises(services.JudgingError) as error:
        services.record_conflict(event, data["judge_id"], data["idea_id"], data["reason"], None)
    assert error.value.status == status
    db.session.rollback()


def test_an_organiser_cannot_remove_a_sheet_already_scored_by_recording_a_conflict(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 4)
    set_state(event, "open")  # submissions reopened: the sheet stays submitted
    with pytest.raises(services.JudgingError) as error:
        services.record_conflict(event, judges[0].id, ideas[0].id, "Son frère", make_user())
    assert error.value.status == 409
    db.session.rollback()
    assert db.session.query(ScoreSheet).count() == 1


def test_the_minutes_list_conflicts_of_both_kinds_with_reasons_and_who(app, client, login):
    event, ideas, judges = build_judging(
        n_ideas=3, n_judges=2, state=EventState.OPEN, winners_count=1
    )
    organiser = make_user("organiser")
    services.record_conflict(event, judges[1].id, ideas[2].id, "Associé du porteur", organiser)
    set_state(event, "judging")
    services.declare_conflict(sheet_of(ideas[1], judges[0]), "Ma voisine", judges[0])
    db.session.commit()
    login(organiser)
    page = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    assert "Conflits d'intérêts" in page
    assert "Associé du porteur" in page and (
        f'enregistré par <bdi dir="auto">{organiser.name}</bdi>, organisateur' in page
    )
    assert "Ma voisine" in page and "déclaré par le membre du jury" in page
    assert judges[0].name in page and judges[1].name in page


# --- Calibration that calibrates ---------------------------------------------------------------


def _calibrated_event():
    """Four judges; the calibration idea marked 4 everywhere by three, 1 everywhere by one."""
    event, ideas, judges = build_judging(n_ideas=3, n_judges=4)
    services.set_calibration(event, ideas[0])
    db.session.commit()
    for judge, mark in zip(judges, (4, 4, 4, 1), strict=True):
        fill(sheet_of(ideas[0], judge), mark)
    return event, ideas, judges


def test_calibration_figures_put_the_judges_marks_side_by_side(app):
    event, ideas, judges = _calibrated_event()
    figures = calibration.calibration_figures(event)
    assert figures["idea"].id == ideas[0].id
    row = figures["rows"][0]
    assert row["marks"] == {judges[0].id: 4, judges[1].id: 4, judges[2].id: 4, judges[3].id: 1}
    assert row["median"] == 4 and row["far"] == {judges[3].id}
    assert figures["scores"][judges[0].id] == pytest.approx(75.0)
    assert figures["scores"][judges[3].id] == pytest.approx(0.0)
    assert figures["scores_far"] == {judges[3].id}


def test_judges_mean_and_spread_flag_the_harsh_judge(app):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=3)
    for idea, marks in zip(ideas, ((5, 5, 1), (4, 4, 1), (3, 4, 1)), strict=True):
        for judge, mark in zip(judges, marks, strict=True):
            fill(sheet_of(idea, judge), mark)
    figures = calibration.calibration_figures(event)
    assert figures["idea"] is None
    spread = {f["judge_id"]: f for f in figures["spread"]}
    assert spread[judges[2].id]["mean"] == pytest.approx(0.0)
    assert spread[judges[0].id]["mean"] == pytest.approx(75.0)
    assert spread[judges[0].id]["sd"] == pytest.approx(20.41, abs=0.01)
    assert [j for j, f in spread.items() if f["far"]] == [judges[2].id]


def test_far_from_median_needs_three_judges(app):
    assert calibration.far_from_median({1: 0.0, 2: 100.0}, 15) == set()
    assert calibration.far_from_median({1: 50, 2: 60, 3: 70, 4: 90}, 15) == {4}
    assert calibration.median([3, 1, 2, 10]) == 2.5


def test_the_calibration_page_highlights_the_judge_far_from_the_others(app, client, login):
    event, ideas, judges = _calibrated_event()
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/calibration").get_data(as_text=True)
    assert "Notes de l'idée d'étalonnage" in page
    assert ideas[0].receipt_code in page
    for judge in judges:
        assert judge.name in page
    far = f'data-judge="{judges[3].id}" data-score data-far="true"'
    near = f'data-judge="{judges[0].id}" data-score data-far="false"'
    assert far in page and near in page
    assert "Moyenne et dispersion de chaque membre du jury" in page
    progress = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert f'href="/judging/{event.slug}/calibration"' in progress


def test_a_scored_idea_cannot_become_the_calibration_idea_mid_judging(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    fill(sheet_of(ideas[1], judges[0]), 4)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/calibration/{ideas[1].id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "a déjà 1 grilles soumises" in text and 'name="confirm"' not in text
    response = client.post(
        f"/judging/{event.slug}/calibration",
        data={"idea_id": ideas[1].id, "confirm": "yes"},
        follow_redirects=True,
    )
    assert "ne peut plus devenir l&#39;idée d&#39;étalonnage" in response.get_data(as_text=True)
    with pytest.raises(services.JudgingError) as error:
        services.set_calibration(event, db.session.get(Idea, ideas[1].id))
    assert error.value.status == 409
    db.session.rollback()
    db.session.expire_all()
    assert not db.session.get(Idea, ideas[1].id).is_calibration
    assert services.event_ranking(event)["ideas"][0]["reason"] != "calibration"


def test_choosing_the_calibration_idea_asks_first(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    login(make_user("organiser"))
    progress = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert f'action="/judging/{event.slug}/calibration/choose"' in progress
    assert f'<option value="{ideas[0].id}">' in progress
    assert "Utiliser comme idée d" not in progress  # the jargon link beside each idea is gone
    page = client.get(f"/judging/{event.slug}/calibration/choose?idea_id={ideas[0].id}")
    page = page.get_data(as_text=True)
    assert "Cette idée n'est jamais classée" in page and 'name="confirm"' in page
    assert f'name="idea_id" value="{ideas[0].id}"' in page
    page = client.get(f"/judging/{event.slug}/calibration/{ideas[0].id}").get_data(as_text=True)
    assert "Cette idée n'est jamais classée" in page and 'name="confirm"' in page
    assert client.get(f"/judging/{event.slug}/calibration/choose").status_code == 404
    assert client.get(f"/judging/{event.slug}/calibration/choose?idea_id=x").status_code == 404
    response = client.post(f"/judging/{event.slug}/calibration", data={"idea_id": ideas[0].id})
    assert response.status_code == 422
    db.session.expire_all()
    assert not db.session.get(Idea, ideas[0].id).is_calibration
    response = client.post(
        f"/judging/{event.slug}/calibration", data={"idea_id": ideas[0].id, "confirm": "yes"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, ideas[0].id).is_calibration
