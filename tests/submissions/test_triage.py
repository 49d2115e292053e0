"""Organisers' triage: search, filters, eligibility, duplicates, corrections (audited, original
kept), calibration, bank-worthy, attachments for organisers only."""

import re

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from extensions import db
from submissions import attachments
from submissions.models import Idea
from tests.builders import make_event, make_idea, make_user
from tests.submissions.conftest import PDF, form_data, upload


@pytest.fixture
def organiser(login):
    return login(make_user("organiser"))


def audits(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def url(event, idea=None, action=None):
    base = f"/tour/events/{event.slug}/ideas"
    if idea is not None:
        base += f"/{idea.id}"
    return base + (f"/{action}" if action else "")


def test_triage_needs_a_sign_in(client):
    event = make_event()
    assert client.get(url(event)).status_code == 302


def test_triage_is_refused_to_jury_members(client, login):
    event = make_event()
    idea = make_idea(event)
    login(make_user("jury"))
    assert client.get(url(event)).status_code == 403
    assert client.post(url(event, idea, "bank"), data={"on": "1"}).status_code == 403
    db.session.expire_all()
    assert not idea.bank_worthy


def test_list_searches_title_receipt_and_lead_and_filters(client, organiser):
    event = make_event()
    make_idea(event, title="Miel du Rif", receipt_code="OUJ-AAAA", sector="agriculture")
    make_idea(
        event,
        title="Tapis",
        lead_name="Khadija Amrani",
        receipt_code="OUJ-CCCC",
        sector="handicrafts",
        eligibility="pending",
    )
    make_idea(
        event,
        title="Filets du port",
        receipt_code="OUJ-DDDD",
        sector="fishing",
        eligibility="ineligible",
    )

    def titles(query):
        page = client.get(url(event) + query).get_data(as_text=True)
        return {t for t in ("Miel du Rif", "Tapis", "Filets du port") if t in page}

    assert titles("") == {"Miel du Rif", "Tapis", "Filets du port"}
    assert titles("?q=miel") == {"Miel du Rif"}
    assert titles("?q=ouj-cccc") == {"Tapis"}
    assert titles("?q=amrani") == {"Tapis"}
    assert titles("?sector=fishing") == {"Filets du port"}
    assert titles("?eligibility=pending") == {"Tapis"}


def test_ineligible_needs_a_reason_and_is_audited(client, organiser):
    event = make_event()
    idea = make_idea(event, eligibility="pending")
    refused = client.post(url(event, idea, "eligibility"), data={"eligibility": "ineligible"})
    assert refused.status_code == 422
    assert "Indiquez pourquoi" in refused.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).eligibility == "pending"
    ok = client.post(
        url(event, idea, "eligibility"), data={"eligibility": "ineligible", "reason": "Hors région"}
    )
    assert ok.status_code == 303
    db.session.expire_all()
    assert idea.eligibility == "ineligible" and idea.ineligible_reason == "Hors région"
    [entry] = audits("eligibility")
    assert entry.user_id == organiser.id and entry.old["eligibility"] == "pending"
    assert entry.new == {"eligibility": "ineligible", "reason": "Hors région"}


def test_duplicate_is_flagged_both_kept_and_audited(client, organiser):
    event = make_event()
    first = make_idea(event, receipt_code="OUJ-AAAA")
    second = make_idea(event, receipt_code="OUJ-CCCC")
    third = make_idea(event, receipt_code="OUJ-DDDD")
    assert (
        client.post(url(event, second, "duplicate"), data={"original_code": "ouj-aaaa"}).status_code
        == 303
    )
    # A duplicate of a duplicate points at the first idea.
    client.post(url(event, third, "duplicate"), data={"original_code": "OUJ-CCCC"})
    db.session.expire_all()
    assert second.duplicate_of_id == first.id and third.duplicate_of_id == first.id
    assert second.is_ineligible and db.session.get(Idea, first.id) is not None
    assert len(audits("duplicate")) == 2
    # Refusals: itself, unknown code, another event's idea.
    other = make_idea(make_event(), receipt_code="RAB-AAAA")
    for code in ("OUJ-AAAA", "OUJ-ZZZZ", other.receipt_code):
        response = client.post(url(event, first, "duplicate"), data={"original_code": code})
        assert response.status_code == 422
    db.session.expire_all()
    assert first.duplicate_of_id is None
    client.post(url(event, second, "unduplicate"))
    db.session.expire_all()
    assert second.duplicate_of_id is None


def test_corrections_keep_the_original_and_are_audited(client, organiser):
    event = make_event()
    idea = make_idea(event, title="Cooperative de couscuss", lead_name="Fatma")
    client.post(url(event, idea, "correct"), data={"title": "Coopérative de couscous"})
    client.post(url(event, idea, "correct"), data={"lead_name": "Fatima"})
    db.session.expire_all()
    assert idea.title == "Coopérative de couscous" and idea.lead_name == "Fatima"
    assert idea.original["title"] == "Cooperative de couscuss"
    assert idea.original["lead_name"] == "Fatma"
    entries = audits("correct")
    assert [e.old for e in entries] == [
        {"title": "Cooperative de couscuss"},
        {"lead_name": "Fatma"},
    ]
    assert all(e.user_id == organiser.id for e in entries)


def test_correction_cannot_empty_a_required_field(client, organiser):
    event = make_event()
    idea = make_idea(event, title="Titre")
    response = client.post(url(event, idea, "correct"), data={"title": "  "})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)
    db.session.expire_all()
    assert idea.title == "Titre" and idea.original is None and not audits("correct")


def test_one_calibration_idea_per_event_and_bank_worthy_flag(client, organiser):
    event = make_event()
    first, second = make_idea(event), make_idea(event)
    client.post(url(event, first, "calibration"), data={"on": "1", "confirm": "yes"})
    client.post(url(event, second, "calibration"), data={"on": "1", "confirm": "yes"})
    client.post(url(event, first, "bank"), data={"on": "1"})
    db.session.expire_all()
    assert (first.is_calibration, second.is_calibration) == (False, True)
    assert first.bank_worthy
    # One entry per change of the event's calibration idea, naming the previous and the new one.
    changes = [(e.old["idea_id"], e.new["idea_id"]) for e in audits("calibration")]
    assert sorted(changes, key=str) == sorted([(None, first.id), (first.id, second.id)], key=str)
    assert len(audits("bank_worthy")) == 1


def test_making_an_idea_the_calibration_idea_asks_first(client, organiser):
    event = make_event()
    idea = make_idea(event)
    page = client.get(url(event, idea)).get_data(as_text=True)
    assert 'name="confirm" value="yes"' in page and "ne sera jamais classée" in page
    response = client.post(url(event, idea, "calibration"), data={"on": "1"})
    assert response.status_code == 422
    assert "Cochez la case" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not idea.is_calibration and not audits("calibration")


@pytest.mark.parametrize("state", ["deliberation", "published"])
def test_triage_cannot_change_the_calibration_idea_after_judging(client, organiser, state):
    """The same rule as the judging pages: the ranking is settled, calibration stays put."""
    event = make_event(state=state)
    idea = make_idea(event)
    response = client.post(url(event, idea, "calibration"), data={"on": "1", "confirm": "yes"})
    assert response.status_code in (409, 422)
    assert "délibération" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not idea.is_calibration and not audits("calibration")


def test_idea_of_another_event_is_not_found(client, organiser):
    event, other = make_event(), make_event()
    idea = make_idea(other)
    assert client.get(url(event, idea)).status_code == 404
    assert client.post(url(event, idea, "bank"), data={"on": "1"}).status_code == 404


def submit_with_attachment(client, event):
    """An idea with a stored PDF (made without a request: the test's first request decides
    who is signed in for the rest of the test)."""
    stored = attachments.store(
        attachments.Upload(PDF, "plan.pdf", "application/pdf", ".pdf"), event.id
    )
    idea = make_idea(
        event, attachment_path=stored, attachment_name="plan.pdf", attachment_mime="application/pdf"
    )
    return url(event, idea) + "/attachment"


def test_public_form_attachment_reaches_the_organisers_page(client, uploads_dir):
    event = make_event()
    client.post(f"/e/{event.slug}/submit", data=form_data(attachment=upload(PDF, "plan.pdf")))
    idea = db.session.scalar(select(Idea))
    assert (uploads_dir / idea.attachment_path).read_bytes() == PDF


def test_attachments_are_not_for_the_public(client, uploads_dir):
    path = submit_with_attachment(client, make_event())
    assert client.get(path).status_code == 302  # anonymous: sign in first


def test_attachments_are_not_for_jury_members(client, login, uploads_dir):
    path = submit_with_attachment(client, make_event())
    login(make_user("jury"))
    assert client.get(path).status_code == 403


def test_attachments_are_downloadable_by_organisers(client, login, uploads_dir):
    path = submit_with_attachment(client, make_event())
    login(make_user("organiser"))
    response = client.get(path)
    body = response.data
    response.close()
    assert response.status_code == 200 and body == PDF
    assert "plan.pdf" in response.headers["Content-Disposition"]
    response.close()


def test_detail_page_shows_the_idea_and_the_triage_forms(client, organiser):
    event = make_event()
    idea = make_idea(event, title="تعاونية الأمل")
    page = client.get(url(event, idea)).get_data(as_text=True)
    for part in (
        "تعاونية الأمل",
        'id="eligibility-form"',
        'id="duplicate-form"',
        'id="correct-form"',
    ):
        assert part in page
    assert re.search(r'<bdi dir="ltr">250\s000</bdi>&nbsp;MAD', page)


def test_search_and_corrections_with_control_characters_do_not_fail(client, organiser):
    event = make_event()
    idea = make_idea(event, title="Miel")
    assert client.get(url(event) + "?q=mi%00el").status_code == 200
    client.post(url(event, idea, "correct"), data={"title": "Miel\x00 du Rif"})
    db.session.expire_all()
    assert idea.title == "Miel du Rif"


def test_triage_shows_where_each_idea_came_from_in_words(client, organiser):
    event = make_event()
    make_idea(event, source="import")
    make_idea(event, source="assisted")
    page = client.get(f"/tour/events/{event.slug}/ideas").get_data(as_text=True)
    assert "Papier (importé)" in page and "Saisie assistée" in page
    assert ">import<" not in page.replace(" ", "")


def test_an_idea_names_its_region_in_arabic_for_an_arabic_organiser(client, organiser):
    event = make_event()
    idea = make_idea(event)
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}?lang=ar").get_data(as_text=True)
    assert "الشرق" in page
