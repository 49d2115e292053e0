"""Registration before the day: capacity and waiting list, the ticket by e-mail, check-in at
the door, the idea form pre-filled, the organiser's figures, personal data."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db, utcnow
from jobs.models import OutboxEmail
from registration import services
from registration.codes import normalise_code
from registration.states import RegistrantState
from tests.builders import make_event, make_user
from tests.registration.conftest import open_registration, person, register


def _emails(kind=services.TICKET_EMAIL):
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == kind)))


def test_places_are_given_in_order_then_the_waiting_list(app):
    event = open_registration(capacity=2)
    first, second, third = (register(event) for _ in range(3))
    assert [first.state, second.state, third.state] == [
        RegistrantState.REGISTERED,
        RegistrantState.REGISTERED,
        RegistrantState.WAITING,
    ]
    assert services.waiting_position(third) == 1
    assert services.attendance(event).expected == 2
    assert services.attendance(event).waiting == 1


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_emailed(app):
    event = open_registration(capacity=1)
    holder, first_waiting, second_waiting = (register(event) for _ in range(3))
    services.cancel(holder)
    db.session.commit()
    assert holder.state == RegistrantState.CANCELLED
    assert first_waiting.state == RegistrantState.REGISTERED
    assert second_waiting.state == RegistrantState.WAITING
    assert services.waiting_position(second_waiting) == 1
    promoted = [e for e in _emails() if e.dedupe_key.startswith(f"promotion:{first_waiting.id}:")]
    assert len(promoted) == 1
    assert first_waiting.code in promoted[0].body_text
    assert "data:image/png;base64," in promoted[0].body_html  # the QR code, no image to fetch


def test_raising_the_capacity_promotes_the_waiting(app):
    event = open_registration(capacity=0)
    waiting = register(event)
    assert waiting.is_waiting
    services.configure(event, {"is_open": "y", "capacity": "5"}, by=make_user())
    db.session.commit()
    assert waiting.has_place


def test_registration_emails_the_ticket_with_its_code_and_pre_filled_link(app):
    event = open_registration()
    registrant = register(event)
    (email,) = _emails()
    assert email.recipient == "khadija@example.ma"
    assert registrant.code in email.body_text
    assert f"registration={registrant.code}" in email.body_text


def test_closed_form_and_bad_input_are_refused(app):
    closed = make_event()
    with pytest.raises(services.RegistrationClosed):
        services.register(closed, person())
    event = open_registration()
    with pytest.raises(services.RegistrationError) as refused:
        services.register(event, person(phone="12", consent="", name=""))
    assert set(refused.value.errors) == {"phone", "consent", "name"}


def test_the_same_phone_registers_once(app):
    event = open_registration()
    register(event, phone="0612345678")
    with pytest.raises(services.RegistrationError) as refused:
        services.register(event, person(phone="+212 6 12 34 56 78"))
    assert refused.value.field == "phone"


def test_codes_are_unguessable_and_read_as_typed(app):
    event = open_registration()
    codes = {register(event).code for _ in range(20)}
    assert len(codes) == 20
    code = next(iter(codes))
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code(f"https://x.ma/e/{event.slug}/ticket/{code}") == code
    assert normalise_code("abc") is None


def test_check_in_by_code_once(app):
    event = open_registration()
    door = make_user("facilitator", events=(event,))
    registrant = register(event)
    services.check_in(event, registrant.code.lower(), by=door)
    db.session.commit()
    assert registrant.is_present
    assert registrant.checked_in_by_id == door.id
    with pytest.raises(services.CheckInRefused, match="Déjà enregistré"):
        services.check_in(event, registrant.code, by=door)
    with pytest.raises(services.UnknownCode):
        services.check_in(event, "ZZZZZ-ZZZZZ", by=door)
    with pytest.raises(services.UnknownCode):
        services.check_in(event, "", by=door)
    other = open_registration()
    with pytest.raises(services.UnknownCode):  # another event's ticket
        services.check_in(other, registrant.code, by=door)
    assert db.session.scalar(select(AuditEntry).filter_by(entity="registrant", action="check_in"))


def test_the_waiting_and_the_cancelled_are_not_let_in(app):
    event = open_registration(capacity=1)
    holder, waiting = register(event), register(event)
    with pytest.raises(services.CheckInRefused, match="liste d.attente"):
        services.check_in(event, waiting.code, by=None)
    services.cancel(holder)
    db.session.commit()
    with pytest.raises(services.CheckInRefused, match="annulée"):
        services.check_in(event, holder.code, by=None)


def test_attendance_counts_expected_and_present_by_gender_age_and_status(app):
    event = open_registration()
    a = register(event, gender="female", age_bracket="under_25")
    register(event, gender="male", age_bracket="35_44", status="")
    register(event, gender="", age_bracket="", status="")
    services.check_in(event, a.code, by=None)
    figures = services.attendance(event)
    assert (figures.expected, figures.present) == (3, 1)
    assert figures.by["gender"]["female"] == (1, 1)
    assert figures.by["gender"]["male"] == (1, 0)
    assert figures.by["gender"][None] == (1, 0)
    assert figures.by["age_bracket"]["35_44"] == (1, 0)
    assert figures.by["status"]["job_seeker"] == (1, 1)


def test_pre_fill_maps_registration_fields_to_the_idea_form(app):
    event = open_registration()
    registrant = register(event)
    assert services.prefill_data(registrant) == {
        "lead_name": "Khadija Alaoui",
        "lead_phone": registrant.phone,
        "lead_email": "khadija@example.ma",
        "lead_gender": "female",
        "lead_age_bracket": "under_25",
        "lead_status": "job_seeker",
    }
    assert services.prefill_for(event, "nothing") is None
    services.cancel(registrant)
    assert services.prefill_for(event, registrant.code) is None


def test_idea_form_is_pre_filled_from_the_link(app, client):
    event = open_registration(state=EventState.OPEN)
    registrant = register(event)
    page = client.get(f"/e/{event.slug}/submit?registration={registrant.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Khadija Alaoui"' in html
    assert 'value="khadija@example.ma"' in html
    unknown = client.get(f"/e/{event.slug}/submit?registration=ZZZZZ-ZZZZZ")
    assert unknown.status_code == 200
    assert "Khadija" not in unknown.get_data(as_text=True)


def test_public_form_registers_and_shows_the_ticket(app, client):
    event = open_registration()
    sent = client.post(f"/e/{event.slug}/register", data=person(name="Amina"))
    assert sent.status_code == 303
    ticket = client.get(sent.headers["Location"])
    assert ticket.status_code == 200
    assert "Amina" in ticket.get_data(as_text=True)
    assert ticket.headers["Cache-Control"] == "no-store"
    bad = client.post(f"/e/{event.slug}/register", data=person(phone="abc", consent=""))
    assert bad.status_code == 422
    closed = make_event()
    assert client.get(f"/e/{closed.slug}/register").status_code == 409


def test_check_in_page_answers_json_for_the_camera(app, client, login):
    event = open_registration()
    registrant = register(event)
    login(make_user("facilitator", events=(event,)))
    first = client.post(f"/e/{event.slug}/check-in", json={"code": registrant.code})
    assert first.status_code == 200 and first.json["ok"]
    again = client.post(f"/e/{event.slug}/check-in", json={"code": registrant.code})
    assert again.status_code == 409 and not again.json["ok"]
    unknown = client.post(f"/e/{event.slug}/check-in", data={"code": "nothing"})
    assert unknown.status_code == 303  # typed: the message is flashed on the check-in page


def test_retention_erases_registrants_with_the_ideas(app, monkeypatch):
    event = open_registration()
    registrant = register(event)
    published = utcnow() - timedelta(days=31 * (event.retention_months + 1))
    monkeypatch.setattr(services, "publication_dates", lambda ids: dict.fromkeys(ids, published))
    assert services.apply_retention() == 1
    assert (registrant.name, registrant.phone, registrant.email) == ("", None, None)
    assert registrant.gender == "female"  # the figures stay
    assert services.apply_retention() == 0
