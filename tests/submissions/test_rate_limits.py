"""The public form is no e-mail relay (finding 5 of issue 15): submissions are rate-limited per
sending address and per event, the receipt's subject holds no text typed by the sender, and one
address gets at most one receipt e-mail an hour for an event."""

import html
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from extensions import db, limiter, utcnow
from jobs.models import OutboxEmail
from submissions.models import Idea
from tests.builders import make_event
from tests.submissions.conftest import form_data


@pytest.fixture
def limits(app):
    """limits(per_address, per_event): lowered limits, counted afresh."""

    def _set(per_address="100000 per minute", per_event="100000 per minute"):
        app.config["SUBMIT_LIMITS_PER_ADDRESS"] = per_address
        app.config["SUBMIT_LIMITS_PER_EVENT"] = per_event
        limiter.reset()

    yield _set
    limiter.reset()


def send(client, event, address="198.51.100.7", path="submit", **fields):
    data = form_data(submit_token=secrets.token_urlsafe(24), **fields)
    return client.post(
        f"/e/{event.slug}/{path}",
        data=data,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def ideas_of(event) -> int:
    return db.session.scalar(select(func.count(Idea.id)).where(Idea.event_id == event.id))


def test_one_address_sending_too_many_ideas_is_refused_with_429(client, limits):
    limits(per_address="3 per minute")
    event = make_event()
    assert [send(client, event).status_code for _ in range(3)] == [303, 303, 303]
    refused = send(client, event)
    assert refused.status_code == 429
    assert "Trop d'idées ont été envoyées d'ici" in html.unescape(refused.get_data(as_text=True))
    assert ideas_of(event) == 3
    assert send(client, event, address="198.51.100.8").status_code == 303  # another address


def test_the_form_page_itself_is_not_counted(client, limits):
    limits(per_address="2 per minute")
    event = make_event()
    for _ in range(5):
        assert client.get(f"/e/{event.slug}/submit").status_code == 200
    assert [send(client, event).status_code for _ in range(2)] == [303, 303]


def test_one_event_flooded_from_many_addresses_is_refused_and_others_still_take_ideas(
    client, limits
):
    limits(per_event="4 per minute")
    flooded, other = make_event(), make_event()
    statuses = [send(client, flooded, address=f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses == [303] * 4 + [429] * 2
    assert ideas_of(flooded) == 4
    assert send(client, other, address="203.0.113.1").status_code == 303


def test_the_kiosk_shares_the_address_limit_with_the_form(client, limits):
    limits(per_address="2 per minute")
    event = make_event()
    with client.session_transaction() as session:
        session["kiosk_event"] = event.slug
    assert send(client, event, path="kiosk").status_code == 303
    assert send(client, event).status_code == 303
    assert send(client, event, path="kiosk").status_code == 429


def test_receipt_subject_holds_no_text_typed_by_the_sender(client):
    event = make_event()
    send(client, event, title="GAGNEZ 1000 DH http://spam.example", lead_email="a@example.ma")
    email = db.session.scalar(select(OutboxEmail))
    assert "spam" not in email.subject.lower() and "GAGNEZ" not in email.subject
    assert "Fatima" not in email.subject
    code = db.session.scalar(select(Idea.receipt_code))
    assert email.subject.endswith(code)


def test_one_address_gets_one_receipt_email_an_hour_per_event(client):
    event, other = make_event(), make_event()
    for _ in range(3):
        send(client, event, lead_email="victim@example.ma")
    send(client, event, lead_email="someone@example.ma")
    send(client, other, lead_email="victim@example.ma")
    assert ideas_of(event) == 4
    sent = db.session.execute(select(OutboxEmail.recipient, OutboxEmail.event_id)).all()
    assert sorted(sent) == sorted(
        [
            ("victim@example.ma", event.id),
            ("someone@example.ma", event.id),
            ("victim@example.ma", other.id),
        ]
    )
    # An hour later, the next idea from that address is mailed its receipt again.
    db.session.execute(update(OutboxEmail).values(created_at=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    send(client, event, lead_email="Victim@Example.ma")
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 4
