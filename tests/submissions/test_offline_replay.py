"""The offline hall's server side (issue 19, docs/offline.md): a tablet sends its queued ideas
again and again with their one-time tokens, as JSON requests; each token makes one idea and every
replay gets its receipt back; a form of another version is refused with a clear message (the
tablet keeps its data), unless its idea was stored already."""

import re

import pytest
from sqlalchemy import func, select

from competitions.states import EventState
from extensions import db
from submissions.fields import form_version
from submissions.models import Idea
from tests.builders import make_event, make_user
from tests.submissions.conftest import PDF, form_data, upload

JSON = {"Accept": "application/json"}


def replay(client, event, path="submit", **overrides):
    return client.post(
        f"/e/{event.slug}/{path}",
        data=form_data(**{"form_version": form_version(), **overrides}),
        headers=JSON,
        content_type="multipart/form-data",
    )


def ideas_count() -> int:
    return db.session.scalar(select(func.count(Idea.id)))


def test_a_queued_idea_sent_three_times_is_one_idea_with_one_receipt(client):
    event = make_event()
    answers = [replay(client, event, lead_email="fatima@example.ma") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.get_json() for a in answers]
    assert [b["created"] for b in bodies] == [True, False, False]
    assert len({b["code"] for b in bodies}) == 1 and all(b["ok"] for b in bodies)
    idea = db.session.scalar(select(Idea))
    assert ideas_count() == 1 and idea.receipt_code == bodies[0]["code"]
    assert bodies[0]["receipt_url"] == f"/e/{event.slug}/receipt/{idea.receipt_code}"


def test_the_receipt_email_of_a_replayed_idea_is_queued_once(client):
    pytest.importorskip("jobs.outbox")
    from jobs.models import OutboxEmail

    event = make_event()
    for _ in range(2):
        replay(client, event, lead_email="fatima@example.ma")
    emails = db.session.scalars(select(OutboxEmail)).all()
    assert [(e.kind, e.recipient) for e in emails] == [("receipt", "fatima@example.ma")]


def test_a_replay_with_its_attachment_stores_one_file(client, uploads_dir):
    event = make_event()
    for _ in range(2):
        answer = replay(client, event, attachment=upload(PDF, "plan.pdf"))
        assert answer.status_code == 200
    assert ideas_count() == 1
    assert len(list(uploads_dir.rglob("*.pdf"))) == 1


def test_a_replay_after_the_event_closed_gets_the_receipt_it_had(client):
    event = make_event()
    code = replay(client, event).get_json()["code"]
    event.state = EventState.JUDGING
    db.session.commit()
    answer = replay(client, event)
    assert answer.status_code == 200 and answer.get_json()["code"] == code


def test_an_idea_first_sent_after_the_event_closed_is_refused_in_json(client):
    event = make_event(state=EventState.JUDGING)
    answer = replay(client, event)
    assert answer.status_code == 409
    assert answer.get_json()["ok"] is False and answer.get_json()["error"]
    assert ideas_count() == 0


def test_a_queued_idea_with_a_wrong_field_is_refused_with_its_message(client):
    event = make_event()
    answer = replay(client, event, title="")
    assert answer.status_code == 422
    assert "title" in answer.get_json()["errors"]
    assert ideas_count() == 0


def test_a_form_of_an_earlier_version_is_refused_clearly_and_nothing_is_stored(client):
    event = make_event()
    answer = client.post(
        f"/e/{event.slug}/submit?lang=en",
        data=form_data(form_version="0ld-version"),
        headers=JSON,
    )
    assert answer.status_code == 409
    assert "earlier version of the site" in answer.get_json()["error"]
    assert ideas_count() == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "version précédente du site"), ("ar", "إصدار سابق للموقع"), ("en", "earlier version")],
)
def test_the_outdated_form_message_is_translated(client, lang, words):
    event = make_event()
    answer = client.post(
        f"/e/{event.slug}/submit?lang={lang}",
        data=form_data(form_version="0ld-version"),
        headers=JSON,
    )
    assert words in answer.get_json()["error"]


def test_an_outdated_form_sent_from_the_page_comes_back_with_the_typing_and_the_new_version(
    client,
):
    event = make_event()
    page = client.post(
        f"/e/{event.slug}/submit", data=form_data(form_version="0ld-version", title="Mon idée")
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "version précédente du site" in text
    assert "Mon idée" in text and f'value="{form_version()}"' in text
    assert ideas_count() == 0


def test_a_stored_idea_replayed_from_an_outdated_form_still_gets_its_receipt(client, app):
    event = make_event()
    code = replay(client, event).get_json()["code"]
    app.config["IDEA_FORM_VERSION"] = "after-the-upgrade"
    try:
        answer = replay(client, event, form_version="before-the-upgrade")
    finally:
        app.config["IDEA_FORM_VERSION"] = None
    assert answer.status_code == 200 and answer.get_json()["code"] == code


def test_a_form_without_a_version_is_taken_as_it_was_before_versions(client):
    event = make_event()
    data = form_data()
    data.pop("form_version", None)
    answer = client.post(f"/e/{event.slug}/submit", data=data, headers=JSON)
    assert answer.status_code == 200 and ideas_count() == 1


def test_the_form_carries_its_version_and_the_version_follows_the_setting(client, app):
    event = make_event()
    page = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    assert f'name="form_version" type="hidden" value="{form_version()}"' in page
    assert re.fullmatch(r"[0-9a-f]{12}", form_version())
    app.config["IDEA_FORM_VERSION"] = "v2"
    try:
        assert form_version() == "v2"
    finally:
        app.config["IDEA_FORM_VERSION"] = None


def test_a_kiosk_replay_is_one_idea_from_the_kiosk(client, login):
    event = make_event()
    login(make_user("organiser"))
    client.post(f"/e/{event.slug}/kiosk/start")
    codes = {replay(client, event, path="kiosk").get_json()["code"] for _ in range(2)}
    idea = db.session.scalar(select(Idea))
    assert len(codes) == 1 and idea.source == "kiosk" and ideas_count() == 1
