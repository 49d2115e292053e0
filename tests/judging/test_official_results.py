"""Official results: versions frozen at validation, refusals of every change that feeds the
ranking, reopening with a reason, amendments with their reason, every version readable."""

import io

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions import services as tour
from extensions import db
from jobs.models import OutboxEmail
from judging import deliberation as delib
from judging import paper, results
from judging.models import Deliberation, ResultVersion
from tests.builders import make_user

from .conftest import build_judging, fill, forget_request_state, set_state, sheet_of

LOCKED_VALIDATED = "Le procès-verbal est validé"
LOCKED_PUBLISHED = "Les résultats sont publiés"


def scored_event(n_ideas=3, **fields):
    """Ideas scored 5 / 4 / 3… by two judges (judges[0] presides), in deliberation, 1 winner."""
    event, ideas, judges = build_judging(n_ideas=n_ideas, n_judges=2, winners_count=1, **fields)
    for idea, mark in zip(ideas, (5, 4, 3, 2, 1), strict=False):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    set_state(event, "deliberation")
    return event, ideas, judges


def validate(event, judges):
    version = delib.validate_minutes(event, judges[0])
    db.session.commit()
    return version


def publish(event, judges):
    validate(event, judges)
    tour.transition(event, "published", make_user("organiser"))
    db.session.commit()


def try_every_change(client, login, event, ideas, judges, paper_file) -> dict:
    """Each change that feeds the ranking, through its route: {change: (status, page text)}."""
    organiser = make_user("organiser")
    idea, other = ideas[0], ideas[1]
    base = f"/tour/events/{event.slug}/ideas/{idea.id}"
    answers = {}

    def post(name, path, **kwargs):
        response = client.post(path, **kwargs)
        text = response.json["error"] if response.is_json else response.get_data(as_text=True)
        answers[name] = (response.status_code, text.replace("&#39;", "'"))

    login(organiser)
    post("eligibility", f"{base}/eligibility", data={"eligibility": "ineligible", "reason": "x y"})
    post("duplicate", f"{base}/duplicate", data={"original_code": other.receipt_code})
    post("correct title", f"{base}/correct", data={"title": "Coquille corrigée"})
    post("calibration", f"{base}/calibration", data={"on": "1", "confirm": "yes"})
    post(
        "calibration (judging)",
        f"/judging/{event.slug}/calibration",
        data={"idea_id": idea.id, "confirm": "yes"},
        follow_redirects=True,
    )
    post(
        "reopen sheet",
        f"/judging/sheets/{sheet_of(idea, judges[1]).id}/reopen",
        follow_redirects=True,
    )
    post(
        "paper import",
        f"/judging/{event.slug}/import-scores",
        data={"file": (io.BytesIO(paper_file), "sheet.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    post("jury", f"/tour/events/{event.slug}/jury/{judges[1].id}/remove")
    post(
        "winners",
        f"/judging/{event.slug}/winners",
        data={"winner": [other.id]},
        follow_redirects=True,
    )
    forget_request_state()
    login(judges[1])
    sheet = sheet_of(idea, judges[1])
    criterion = event.rubric.criteria[0]
    post("tap", f"/jury/sheets/{sheet.id}/score", json={"criterion": criterion.id, "value": 1})
    post("comment", f"/jury/sheets/{sheet.id}/score", json={"comment": "changé"})
    post("submit", f"/jury/sheets/{sheet.id}/submit", follow_redirects=True)
    forget_request_state()
    return answers


def assert_all_refused(answers, message):
    for change, (status, text) in answers.items():
        if change in ("paper import", "submit", "winners", "reopen sheet", "calibration (judging)"):
            # Redirected pages flash the refusal.
            assert message in text, change
            continue
        if change == "jury":
            assert status == 409, change  # the jury of record: deliberation has started
            continue
        assert status == 409, (change, status)
        assert message in text, change


@pytest.fixture
def paper_file(tmp_path):
    def make(event):
        return paper.write_score_sheet(event, tmp_path / "sheet.xlsx").read_bytes()

    return make


def test_validating_the_minutes_makes_an_unpublished_version(app):
    event, ideas, judges = scored_event()
    version = validate(event, judges)
    assert (version.number, version.reason, version.published_at) == (1, None, None)
    assert results.results_in_force(event) is None
    assert [r.idea_id for r in results.validated_results(event).winners] == [ideas[0].id]
    tour.transition(event, "published", None)
    db.session.commit()
    official = results.results_in_force(event)
    assert official.number == 1 and official.published_at is not None
    assert [r.idea_id for r in results.event_winners(event)] == [ideas[0].id]
    assert results.idea_outcome(ideas[0].id).row.is_winner
    assert not results.idea_outcome(ideas[1].id).row.is_winner


def test_every_change_is_refused_once_the_minutes_are_validated(app, client, login, paper_file):
    event, ideas, judges = scored_event()
    sheet_bytes = paper_file(event)
    validate(event, judges)
    before = results.validated_results(event)
    answers = try_every_change(client, login, event, ideas, judges, sheet_bytes)
    assert_all_refused(answers, LOCKED_VALIDATED)
    assert "rouvrez la délibération" in answers["eligibility"][1]
    assert results.provisional_results(event).rows == before.rows
    db.session.expire_all()
    assert ideas[0].eligibility == "eligible" and ideas[0].title != "Coquille corrigée"


def test_every_change_is_refused_once_the_results_are_published(app, client, login, paper_file):
    event, ideas, judges = scored_event()
    sheet_bytes = paper_file(event)
    publish(event, judges)
    answers = try_every_change(client, login, event, ideas, judges, sheet_bytes)
    assert_all_refused(answers, LOCKED_PUBLISHED)
    assert "ouvrez un amendement" in answers["eligibility"][1]
    assert results.provisional_results(event).rows == results.results_in_force(event).rows


def test_correcting_a_name_stays_possible_after_publication(app, client, login):
    event, ideas, judges = scored_event()
    publish(event, judges)
    login(make_user("organiser"))
    response = client.post(
        f"/tour/events/{event.slug}/ideas/{ideas[0].id}/correct", data={"lead_name": "Fatima Z."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert ideas[0].lead_name == "Fatima Z."


def test_reopening_needs_a_reason_within_its_limit(app, client, login):
    event, ideas, judges = scored_event()
    validate(event, judges)
    login(make_user("organiser"))
    too_long = "2\u202f000 caractères au maximum (2\u202f001 saisis)"
    for reason, message in (("", "Écrivez la raison"), ("x" * 2001, too_long)):
        page = client.post(
            f"/judging/{event.slug}/reopen", data={"reason": reason}, follow_redirects=True
        ).get_data(as_text=True)
        assert message in page
    assert results.pending_version(event) is not None
    response = client.post(f"/judging/{event.slug}/reopen", data={"reason": "x" * 2000})
    assert response.status_code == 303
    assert results.pending_version(event) is None


def test_reopening_voids_the_validation_and_unfreezes_the_ranking(app):
    event, ideas, judges = scored_event()
    organiser = make_user("organiser")
    validate(event, judges)
    delib.reopen_deliberation(event, "Une idée primée était un doublon", organiser)
    db.session.commit()
    voided = db.session.scalar(select(ResultVersion))
    assert voided.voided_at is not None and voided.voided_reason.startswith("Une idée")
    assert db.session.scalar(select(Deliberation.validated_at)) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen_deliberation"))
    assert entry.note == "Une idée primée était un doublon" and entry.user_id == organiser.id
    from submissions import services as triage

    triage.set_eligibility(ideas[0], "ineligible", "Doublon d'une autre idée", organiser)
    delib.choose_winners(event, [ideas[1].id], {}, organiser)
    version = validate(event, judges)
    assert version.number == 2
    tour.transition(event, "published", organiser)
    db.session.commit()
    assert [r.idea_id for r in results.event_winners(event)] == [ideas[1].id]
    assert results.results_version(event, 1) is None  # voided before publication: never public


def test_nothing_to_reopen_before_validation_or_after_publication(app):
    event, ideas, judges = scored_event()
    organiser = make_user("organiser")
    with pytest.raises(delib.JudgingError) as error:
        delib.reopen_deliberation(event, "Une raison", organiser)
    assert error.value.status == 409
    publish(event, judges)
    with app.test_request_context():
        with pytest.raises(delib.JudgingError) as error:
            delib.reopen_deliberation(event, "Une raison", organiser)
        assert "amendement" in str(error.value)


def test_an_amendment_needs_a_reason_and_published_results(app):
    event, ideas, judges = scored_event()
    organiser = make_user("organiser")
    with pytest.raises(delib.JudgingError) as error:
        delib.start_amendment(event, "Erreur de saisie", organiser)
    assert error.value.status == 409
    publish(event, judges)
    for reason in ("", "  ", "ab", "x" * 2001):
        with pytest.raises(delib.JudgingError) as error:
            delib.start_amendment(event, reason, organiser)
        assert error.value.status == 422 and error.value.field == "reason"
    delib.start_amendment(event, "x" * 2000, organiser)
    with pytest.raises(delib.JudgingError) as error:
        delib.start_amendment(event, "Encore", organiser)
    assert error.value.status == 409


def test_an_amendment_makes_version_two_and_keeps_version_one_readable(app, client, login):
    event, ideas, judges = scored_event()
    for idea in ideas:
        idea.lead_email = f"lead{idea.id}@example.ma"
    db.session.commit()
    organiser = make_user("organiser")
    publish(event, judges)
    delib.start_amendment(event, "La première idée était un doublon", organiser)
    db.session.commit()
    # Inputs unfreeze; the published version stays in force and public meanwhile.
    from submissions import services as triage

    triage.set_eligibility(ideas[0], "ineligible", "Doublon", organiser)
    db.session.commit()
    assert [r.idea_id for r in results.event_winners(event)] == [ideas[0].id]
    assert ideas[0].receipt_code in client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    delib.choose_winners(event, [ideas[1].id], {}, organiser)
    version = validate(event, judges)
    assert version.number == 2 and version.reason == "La première idée était un doublon"
    with pytest.raises(delib.JudgingError):  # frozen again until it is published
        delib.choose_winners(event, [ideas[2].id], {ideas[2].id: "raison"}, organiser)
    assert results.results_in_force(event).number == 1
    sent = delib.publish_amendment(event, organiser)
    db.session.commit()
    assert sent == 3  # the winner that left the ranking, the new winner, the third moved up
    assert results.results_in_force(event).number == 2
    assert [r.idea_id for r in results.event_winners(event)] == [ideas[1].id]
    v1 = results.results_version(event, 1)
    assert [r.idea_id for r in v1.winners] == [ideas[0].id]
    page = client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    assert "Modifiés le" in page and "La première idée était un doublon" in page
    assert ideas[1].receipt_code in page and ideas[0].receipt_code not in page
    old = client.get(f"/e/{event.slug}/results?version=1").get_data(as_text=True)
    assert ideas[0].receipt_code in old and "n'est plus en vigueur" in old.replace("&#39;", "'")
    assert client.get(f"/e/{event.slug}/results?version=7").status_code == 404
    assert client.get(f"/e/{event.slug}/results?version=abc").status_code == 404
    api = client.get(f"/api/events/{event.slug}/ranking?version=1").json
    assert api["version"] == 1 and not api["in_force"]
    emails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "results_amended"))
    assert sorted(e.recipient for e in emails) == sorted(f"lead{i.id}@example.ma" for i in ideas)
    with pytest.raises(delib.JudgingError):  # nothing left to publish
        delib.publish_amendment(event, organiser)


def test_amendment_emails_are_queued_once_per_idea_and_version(app):
    event, ideas, judges = scored_event(n_ideas=2)
    ideas[1].lead_email = "second@example.ma"
    db.session.commit()
    organiser = make_user("organiser")
    publish(event, judges)
    delib.start_amendment(event, "Erreur", organiser)
    delib.choose_winners(event, [ideas[0].id, ideas[1].id], {ideas[1].id: "Ex aequo"}, organiser)
    validate(event, judges)
    delib.publish_amendment(event, organiser)
    db.session.commit()
    before = results.results_version(event, 1)
    after = results.results_in_force(event)
    assert delib.changed_outcomes(before, after) == [ideas[1].id]
    assert delib._announce_changes(event, before, after) == 1  # a retry finds the same row
    db.session.commit()
    assert db.session.query(OutboxEmail).filter_by(kind="results_amended").count() == 1


def test_the_deliberation_page_offers_reopen_then_amendment(app, client, login):
    event, ideas, judges = scored_event()
    login(make_user("organiser"))
    validate(event, judges)
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert "Rouvrir la délibération" in page
    tour.transition(event, "published", None)
    db.session.commit()
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert "Ouvrir un amendement" in page and "Rouvrir la délibération" not in page
    response = client.post(f"/judging/{event.slug}/amend", data={"reason": "Erreur de calcul"})
    assert response.status_code == 303
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert "Amendement en cours" in page and "Erreur de calcul" in page


def test_publishing_an_amendment_needs_its_validation(app, client, login):
    event, ideas, judges = scored_event()
    publish(event, judges)
    organiser = make_user("organiser")
    delib.start_amendment(event, "Erreur", organiser)
    db.session.commit()
    login(organiser)
    page = client.post(
        f"/judging/{event.slug}/publish-amendment", data={"confirm": "yes"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Validez le procès-verbal de l&#39;amendement" in page
    assert client.get(f"/judging/{event.slug}/publish-amendment").status_code == 303
    assert results.results_in_force(event).number == 1


def test_publishing_an_amendment_asks_first_and_says_what_changes(app, client, login):
    event, ideas, judges = scored_event()
    for idea in ideas:
        idea.lead_email = f"lead{idea.id}@example.ma"
    organiser = make_user("organiser")
    publish(event, judges)
    delib.start_amendment(event, "Le lauréat a retiré son idée", organiser)
    delib.choose_winners(event, [ideas[1].id], {ideas[1].id: "Désistement"}, organiser)
    validate(event, judges)
    login(organiser)
    page = client.get(f"/judging/{event.slug}/publish-amendment").get_data(as_text=True)
    assert "La version 2 des résultats remplace la version 1" in page
    assert "Le lauréat a retiré son idée" in page and "2 e-mails" in page
    before = page.split('id="winners-before"')[1].split("</ul>")[0]
    after = page.split('id="winners-after"')[1].split("</ul>")[0]
    assert ideas[0].receipt_code in before and ideas[1].receipt_code in after
    refused = client.post(f"/judging/{event.slug}/publish-amendment")
    assert refused.status_code == 422 and results.results_in_force(event).number == 1
    done = client.post(f"/judging/{event.slug}/publish-amendment", data={"confirm": "yes"})
    assert done.status_code == 303 and results.results_in_force(event).number == 2


def test_an_amendment_of_an_unchanged_ranking_tells_nobody(app):
    event, ideas, judges = scored_event()
    for idea in ideas:
        idea.lead_email = f"lead{idea.id}@example.ma"
    organiser = make_user("organiser")
    publish(event, judges)
    delib.start_amendment(event, "Relecture", organiser)
    validate(event, judges)
    assert delib.publish_amendment(event, organiser) == 0
