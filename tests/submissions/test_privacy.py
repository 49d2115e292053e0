"""Personal data (Law 09-08): retention, erasure, participants' rights, the notice."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from audit.models import AuditEntry
from bank.models import BankProject
from competitions.states import EventState
from extensions import db, utcnow
from jobs.models import OutboxEmail
from jobs.states import OutboxState
from judging.models import ResultVersion
from judging.results import results_in_force
from submissions import privacy
from submissions.models import DeletionRequest, Idea
from submissions.states import DeletionState
from tests.builders import add_result, make_event, make_idea, make_user
from tests.submissions.conftest import PDF, form_data, upload

MONTH = timedelta(days=31)


def _published_event(uploads_dir):
    """A published event: a winner promoted to the bank, two others with personal data."""
    event = make_event(state=EventState.PUBLISHED)
    winner = make_idea(event, lead_name="Amina Winner", lead_email="amina@example.ma")
    other = make_idea(
        event,
        lead_name="Karim Other",
        lead_phone="+212698765432",
        lead_email="karim@example.ma",
        other_members="Said Ali, 0611223344",
        problem="Appelez-moi au 06 11 22 33 44 ou karim@example.ma.",
        lead_gender="male",
        lead_age_bracket="under_25",
    )
    third = make_idea(event, lead_name="Nadia Third", lead_gender="female")
    (uploads_dir / "1").mkdir(parents=True)
    (uploads_dir / "1" / "file.pdf").write_bytes(PDF)
    other.attachment_path, other.attachment_name = "1/file.pdf", "cv.pdf"
    db.session.add(
        BankProject(
            idea_id=winner.id, title=winner.title, sector="agrifood", region_code=event.region_code,
            province_code="02.411", contact_name="Amina Winner", contact_phone="+212612345678",
        )
    )  # fmt: skip
    db.session.commit()
    for rank, idea in enumerate((winner, other, third), start=1):
        add_result(event, idea, rank, rank == 1, raw=90.0 - rank)
    return event, winner, other, third


def _statistics(event):
    return sorted(
        db.session.execute(
            select(Idea.lead_gender, Idea.lead_age_bracket, Idea.sector, Idea.region_code).where(
                Idea.event_id == event.id
            )
        ).all()
    )


def test_retention_erases_unpromoted_ideas_once_the_period_has_run_out(app, uploads_dir):
    event, winner, other, third = _published_event(uploads_dir)
    ranking = [(r.idea_id, r.rank, r.raw, r.receipt_code) for r in results_in_force(event).rows]
    statistics = _statistics(event)

    assert privacy.retention_plan(now=utcnow() + 11 * MONTH) == []
    assert privacy.apply_retention(now=utcnow() + 11 * MONTH) == {}
    (due,) = privacy.retention_plan(now=utcnow() + 13 * MONTH)
    assert set(due.idea_ids) == {other.id, third.id} and due.kept == 1

    assert privacy.apply_retention(now=utcnow() + 13 * MONTH) == {event.slug: 2}
    db.session.commit()
    db.session.expire_all()
    assert other.lead_name == "" and other.lead_phone == "" and other.lead_email is None
    assert other.other_members == "" and other.attachment_path is None
    assert not (uploads_dir / "1" / "file.pdf").exists()
    assert "06 11 22 33 44" not in other.problem and "karim@example.ma" not in other.problem
    assert other.problem.startswith("Appelez-moi au […]")
    assert other.title and other.is_anonymised and third.is_anonymised
    # Results, rankings and statistics stay true.
    assert [(r.idea_id, r.rank, r.raw, r.receipt_code) for r in results_in_force(event).rows] == (
        ranking
    )
    assert _statistics(event) == statistics
    # The idea promoted to the bank is untouched.
    assert winner.lead_name == "Amina Winner" and not winner.is_anonymised
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "anonymise", AuditEntry.entity_id == other.id)
    ).one()
    assert entry.new["reason"] == "retention" and entry.new["attachment_deleted"] is True
    # A second pass finds nothing more to do.
    assert privacy.retention_plan(now=utcnow() + 13 * MONTH) == []


def test_retention_period_is_the_events_own(app, uploads_dir):
    event, _w, other, _t = _published_event(uploads_dir)
    event.retention_months = 24
    db.session.commit()
    assert privacy.retention_plan(now=utcnow() + 13 * MONTH) == []
    assert privacy.retention_plan(now=utcnow() + 25 * MONTH)[0].idea_ids


def test_unpublished_events_are_never_due(app):
    event = make_event(state=EventState.DELIBERATION)
    make_idea(event)
    assert privacy.retention_plan(now=utcnow() + 120 * MONTH) == []


def test_retention_dry_run_changes_nothing_and_the_command_does_it(app, runner, uploads_dir):
    event, winner, other, third = _published_event(uploads_dir)
    db.session.execute(ResultVersion.__table__.update().values(published_at=utcnow() - 14 * MONTH))
    db.session.commit()

    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{event.slug} :" in result.output and "2 idées à anonymiser" in result.output
    db.session.expire_all()
    assert other.lead_name == "Karim Other" and not other.is_anonymised
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "anonymise")) == 0

    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert other.is_anonymised and third.is_anonymised and not winner.is_anonymised


def test_the_workers_sweep_applies_retention(app, uploads_dir):
    from jobs.worker import sweep

    _event, winner, other, _third = _published_event(uploads_dir)
    db.session.execute(ResultVersion.__table__.update().values(published_at=utcnow() - 14 * MONTH))
    db.session.commit()
    assert sweep()["retention"] == 2
    db.session.expire_all()
    assert other.is_anonymised and not winner.is_anonymised


def test_a_waiting_email_to_an_erased_participant_is_never_sent(client):
    idea = _sent_idea(client)
    receipt = db.session.scalars(select(OutboxEmail)).one()
    receipt.status = OutboxState.PENDING
    db.session.commit()
    privacy.anonymise_idea(idea, reason="retention")
    db.session.commit()
    db.session.refresh(receipt)
    assert (
        receipt.status == OutboxState.FAILED and receipt.recipient == "" and receipt.body_text == ""
    )


def test_contact_details_in_text_are_redacted_and_the_rest_kept():
    text = "Tel +212 6 12 34 56 78, 0712345678 ou a.b@mail.ma; 25 000 MAD, 12 emplois."
    assert privacy.redact_contacts(text) == "Tel […], […] ou […]; 25 000 MAD, 12 emplois."


# --- Participants' rights ------------------------------------------------------------------------


def _sent_idea(client, **fields):
    event = make_event(state=EventState.OPEN)
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(lead_email="fatima@example.ma", **fields),
    )
    assert response.status_code == 303
    return db.session.scalars(select(Idea)).one()


def test_a_consent_records_the_notice_version_and_when(client):
    idea = _sent_idea(client)
    assert idea.consent_version == privacy.PRIVACY_NOTICE_VERSION and idea.consent_at


def test_the_privacy_notice_exists_in_three_languages_and_every_form_links_to_it(client):
    for lang, words in (("fr", "ODCO"), ("ar", "09.08"), ("en", "Law 09-08")):
        page = client.get(f"/privacy?lang={lang}").get_data(as_text=True)
        assert words in page and "CNDP" in page and privacy.PRIVACY_NOTICE_VERSION in page
    event = make_event(state=EventState.OPEN)
    for path in (f"/e/{event.slug}/submit", "/receipt", "/login", "/privacy/my-data"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True), path


def test_participant_sees_and_downloads_what_is_held(client):
    idea = _sent_idea(client)
    data = {"code": idea.receipt_code, "phone": "0612345678"}
    page = client.post("/privacy/my-data", data=data).get_data(as_text=True)
    assert "Fatima Zahra" in page and "fatima@example.ma" in page
    response = client.post("/privacy/my-data", data={**data, "format": "json"})
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    held = json.loads(response.get_data())
    assert held["team"]["lead_phone"] == "+212612345678"
    assert held["consent"]["notice_version"] == privacy.PRIVACY_NOTICE_VERSION


def test_wrong_phone_shows_nothing_and_counts_towards_the_throttle(client):
    idea = _sent_idea(client)
    for _ in range(5):
        response = client.post(
            "/privacy/my-data", data={"code": idea.receipt_code, "phone": "0699999999"}
        )
        assert response.status_code == 404 and "Fatima" not in response.get_data(as_text=True)
    response = client.post(
        "/privacy/my-data", data={"code": idea.receipt_code, "phone": "0612345678"}
    )
    assert response.status_code == 429 and "Fatima" not in response.get_data(as_text=True)


def test_deletion_request_then_approval_erases_the_idea_and_tells_the_participant(client, login):
    idea = _sent_idea(client)
    response = client.post(
        "/privacy/my-data/delete",
        data={"code": idea.receipt_code, "phone": "0612345678", "reason": "Je me retire."},
    )
    assert response.status_code == 303
    request = db.session.scalars(select(DeletionRequest)).one()
    assert request.status == DeletionState.PENDING and request.reason == "Je me retire."
    organiser = login(make_user("organiser"))
    page = client.get("/tour/privacy").get_data(as_text=True)
    assert idea.receipt_code in page and "Je me retire." in page
    response = client.post(f"/tour/privacy/requests/{request.id}/approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert request.status == DeletionState.APPROVED and request.decided_by_id == organiser.id
    assert idea.is_anonymised and idea.lead_name == "" and idea.title
    email = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "privacy")).one()
    assert email.recipient == "fatima@example.ma" and idea.receipt_code in email.body_text
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"anonymise", "approved", "create"} <= actions


def test_refusal_needs_a_reason_and_keeps_the_data(client, login):
    idea = _sent_idea(client)
    request = privacy.request_deletion(idea, "")
    db.session.commit()
    login(make_user("organiser"))
    response = client.post(f"/tour/privacy/requests/{request.id}/refuse", data={"reason": ""})
    assert response.status_code in (303, 422)
    db.session.expire_all()
    assert request.is_pending
    response = client.post(
        f"/tour/privacy/requests/{request.id}/refuse",
        data={"reason": "Une enquête est en cours."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert request.status == DeletionState.REFUSED and not idea.is_anonymised
    assert db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "privacy")).one()


def test_deletion_reason_has_a_length_limit(client):
    idea = _sent_idea(client)
    data = {"code": idea.receipt_code, "phone": "0612345678", "reason": "x" * 1001}
    response = client.post("/privacy/my-data/delete", data=data)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(DeletionRequest.id))) == 0
    data["reason"] = "x" * 1000
    assert client.post("/privacy/my-data/delete", data=data).status_code == 303


def test_approving_a_promoted_idea_erases_the_banks_copy_of_the_contact(app, uploads_dir):
    _event, winner, _o, _t = _published_event(uploads_dir)
    request = privacy.request_deletion(winner, None)
    privacy.decide_deletion(request, True, None, make_user("organiser"))
    db.session.commit()
    project = db.session.scalars(select(BankProject)).one()
    assert project.contact_name is None and project.contact_phone is None
    assert project.title == winner.title


def test_an_attachment_sent_with_the_form_is_deleted_on_approval(client, uploads_dir):
    event = make_event(state=EventState.OPEN)
    client.post(
        f"/e/{event.slug}/submit",
        data=form_data(attachment=upload(PDF, "plan.pdf")),
        content_type="multipart/form-data",
    )
    idea = db.session.scalars(select(Idea)).one()
    path = uploads_dir / idea.attachment_path
    assert path.exists()
    request = privacy.request_deletion(idea, None)
    privacy.decide_deletion(request, True, None, make_user("organiser"))
    db.session.commit()
    assert not path.exists() and idea.attachment_path is None


def test_assisted_and_paper_ideas_record_the_attested_notice_version(
    client, login, runner, tmp_path
):
    from tests.submissions.test_paper_import import GOOD_ROW, filled

    event = make_event(state=EventState.OPEN)
    login(make_user("organiser"))
    response = client.post(f"/e/{event.slug}/assist", data=form_data())
    assert response.status_code == 303
    path = filled(runner, tmp_path, [GOOD_ROW])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code == 0, result.output
    ideas = db.session.scalars(select(Idea).order_by(Idea.id)).all()
    assert [i.source for i in ideas] == ["assisted", "import"]
    assert all(i.consent_version == privacy.PRIVACY_NOTICE_VERSION and i.consent_at for i in ideas)


# --- The event's retention period ----------------------------------------------------------------

EVENT_FORM = {
    "city": "Oujda", "city_ar": "وجدة", "region_code": "02", "venue": "Maison des jeunes",
    "date": "2025-04-03", "winners_count": "3", "languages": ["ar", "fr"], "slug": "oujda-2025",
    "judges_per_idea": "3", "min_judges": "2", "ranking_method": "", "tour_order": "1",
}  # fmt: skip


def test_retention_period_defaults_to_12_months_and_stays_editable_after_publication(client, login):
    login(make_user("organiser"))
    event = make_event(state=EventState.PUBLISHED, slug="oujda-2025", tour_order=1)
    assert event.retention_months == 12
    page = client.get(f"/tour/events/{event.slug}/edit").get_data(as_text=True)
    assert 'name="retention_months"' in page and 'value="12"' in page
    response = client.post(
        f"/tour/events/{event.slug}/edit", data={**EVENT_FORM, "retention_months": "٢٤"}
    )
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.retention_months == 24
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert entry.new == {"retention_months": 24}
    # Every other setting stays frozen.
    response = client.post(
        f"/tour/events/{event.slug}/edit",
        data={**EVENT_FORM, "retention_months": "24", "winners_count": "5"},
    )
    assert response.status_code == 422 and "figés" in response.get_data(as_text=True)


def test_a_retention_period_out_of_range_is_refused_clearly(client, login):
    login(make_user("organiser"))
    event = make_event(state=EventState.OPEN, slug="oujda-2025", tour_order=1)
    for value in ("0", "121", "douze", "-3"):
        response = client.post(
            f"/tour/events/{event.slug}/edit", data={**EVENT_FORM, "retention_months": value}
        )
        assert response.status_code == 422, value
        assert 'name="retention_months"' in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.retention_months == 12


def test_organisers_see_that_an_idea_was_anonymised(client, login):
    event = make_event(state=EventState.OPEN)
    idea = make_idea(event)
    privacy.anonymise_idea(idea, reason="deletion_request")
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}").get_data(as_text=True)
    assert 'id="anonymised"' in page and "Fatima Zahra" not in page
    page = client.get(f"/tour/events/{event.slug}/ideas").get_data(as_text=True)
    assert "(effacé)" in page and "Fatima Zahra" not in page


def test_anonymising_twice_does_nothing_more_and_an_unknown_reason_is_an_error(app):
    import pytest

    idea = make_idea(make_event())
    assert privacy.anonymise_idea(idea, reason="retention")["fields"]
    assert privacy.anonymise_idea(idea, reason="retention") == {}
    with pytest.raises(ValueError):
        privacy.anonymise_idea(make_idea(make_event()), reason="because")
