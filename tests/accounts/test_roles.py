"""Least privilege: a coordinator's region, a facilitator's events, a viewer without personal
data and without writes; the accounts page (invitation, access, disabling); exports holding
personal data say so and are made only by those who may see it."""

import re
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import User, UserEvent
from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db
from jobs.models import OutboxEmail
from tests.builders import add_jury, make_competition, make_event, make_idea, make_user

NOTICE_FR = "Données personnelles"


def _two_regions():
    competition = make_competition()
    here = make_event(competition, state=EventState.JUDGING, region_code="02", city="Oujda")
    there = make_event(competition, state=EventState.JUDGING, region_code="09", city="Agadir")
    return here, there


# --- Coordinators: their region only -------------------------------------------------------------


def test_a_coordinator_manages_the_events_of_their_region_only(client, login):
    here, there = _two_regions()
    login(make_user("coordinator", region_code="02"))
    assert client.get(f"/tour/events/{here.slug}").status_code == 200
    assert client.get(f"/tour/events/{here.slug}/edit").status_code == 200
    assert client.get(f"/judging/{here.slug}/progress").status_code == 200
    for path in (f"/tour/events/{there.slug}", f"/tour/events/{there.slug}/edit",
                 f"/judging/{there.slug}/progress", f"/tour/events/{there.slug}/ideas",
                 f"/tour/events/{there.slug}/rankings.xlsx"):  # fmt: skip
        assert client.get(path).status_code == 403, path
    assert (
        client.post(f"/tour/events/{there.slug}/state", data={"state": "open"}).status_code == 403
    )


def test_the_tour_dashboard_lists_only_the_coordinators_events(client, login):
    here, there = _two_regions()
    login(make_user("coordinator", region_code="02"))
    page = client.get("/tour").get_data(as_text=True)
    assert f"/tour/events/{here.slug}" in page
    assert f"/tour/events/{there.slug}" not in page
    assert "/tour/competitions/new" not in page  # the tour itself stays with organisers


def test_a_coordinator_has_no_tour_pages(client, login):
    login(make_user("coordinator", region_code="02"))
    for path in ("/tour/competitions/new", "/tour/outbox", "/tour/bank", "/tour/accounts"):
        assert client.get(path).status_code == 403, path


# --- Facilitators: assisted entry and kiosk of their events --------------------------------------


def test_a_facilitator_runs_the_assisted_entry_of_their_events_only(client, login):
    competition = make_competition()
    mine = make_event(competition, state=EventState.OPEN)
    other = make_event(competition, state=EventState.OPEN, city="Berkane")
    login(make_user("facilitator", events=(mine,)))
    assert client.get(f"/e/{mine.slug}/assist").status_code == 200
    assert client.get(f"/e/{mine.slug}/kiosk").status_code == 200  # the kiosk's start page
    assert client.get(f"/e/{other.slug}/assist").status_code == 403
    assert client.post(f"/e/{other.slug}/kiosk/start").status_code == 403
    dashboard = client.get("/tour").get_data(as_text=True)
    assert f"/e/{mine.slug}/assist" in dashboard and other.slug not in dashboard


def test_a_facilitator_has_no_organiser_pages_and_no_exports(client, login):
    event = make_event(make_competition(), state=EventState.JUDGING)
    login(make_user("facilitator", events=(event,)))
    for path in (f"/tour/events/{event.slug}", f"/tour/events/{event.slug}/ideas",
                 f"/judging/{event.slug}/progress", f"/tour/events/{event.slug}/rankings.xlsx",
                 "/tour/rankings", "/tour/bank/export.xlsx"):  # fmt: skip
        assert client.get(path).status_code == 403, path


# --- Viewers: read only, no personal data --------------------------------------------------------


def test_a_viewer_reads_an_event_without_personal_data(client, login):
    event = make_event(make_competition(), state=EventState.JUDGING)
    judge = make_user("jury", name="Najat Berrada", email="najat@example.ma")
    add_jury(event, judge)
    login(make_user("viewer"))
    page = client.get(f"/tour/events/{event.slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Najat" not in text and "najat@example.ma" not in text
    assert f"/tour/events/{event.slug}/state" not in text  # no action offered
    progress = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert "Najat" not in progress and "najat@example.ma" not in progress


def test_a_viewer_never_writes(client, login):
    event = make_event(make_competition(), state=EventState.OPEN)
    idea = make_idea(event)
    login(make_user("viewer"))
    for path in (f"/tour/events/{event.slug}/state", f"/tour/events/{event.slug}/jury",
                 f"/judging/{event.slug}/assign", f"/e/{event.slug}/assist",
                 f"/tour/events/{event.slug}/ideas/{idea.id}/eligibility"):  # fmt: skip
        assert client.post(path, data={"state": "judging"}).status_code == 403, path
    db.session.refresh(event)
    assert event.state == EventState.OPEN


def test_a_viewer_gets_no_personal_data_export(client, login):
    event = make_event(make_competition(), state=EventState.JUDGING)
    login(make_user("viewer"))
    assert client.get(f"/tour/events/{event.slug}/rankings.xlsx").status_code == 403
    assert client.get("/tour/rankings").status_code == 403
    idea = make_idea(event)
    assert client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/attachment").status_code == 403


# --- Exports holding personal data ---------------------------------------------------------------


def test_an_event_workbook_says_it_holds_personal_data(client, login):
    event = make_event(make_competition(), state=EventState.JUDGING, region_code="02")
    make_idea(event)
    login(make_user("coordinator", region_code="02"))
    response = client.get(f"/tour/events/{event.slug}/rankings.xlsx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.search(r"-personal-data\.xlsx", disposition), disposition
    first = load_workbook(BytesIO(response.data)).worksheets[0]
    assert first["A1"].value.startswith(NOTICE_FR)
    assert first["A1"].font.bold
    assert first.freeze_panes == "A3"  # the header row, under the notice, stays in view


def test_the_bank_export_says_it_holds_personal_data(client, login):
    login(make_user("organiser"))
    response = client.get("/tour/bank/export.xlsx")
    assert response.status_code == 200
    assert "-personal-data.xlsx" in response.headers["Content-Disposition"]
    first = load_workbook(BytesIO(response.data)).worksheets[0]
    assert first["A1"].value.startswith(NOTICE_FR)


# --- The accounts page ---------------------------------------------------------------------------


def _invite(client, **fields):
    data = {"email": "salma@example.ma", "name": "Salma Idrissi", "role": "viewer",
            "locale": "fr", **fields}  # fmt: skip
    return client.post("/tour/accounts/invite", data=data)


def _link_of(email: str) -> str:
    message = db.session.scalar(select(OutboxEmail).where(OutboxEmail.recipient == email))
    return re.search(r"/invitation/[^\s\"<]+", message.body_text).group(0)


def test_an_invited_person_chooses_a_password_once_and_is_signed_in(app, client, login):
    organiser = login(make_user("organiser"))
    response = _invite(client, role="coordinator", region="02")
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "salma@example.ma"))
    assert (user.role, user.region_code, user.password_hash) == ("coordinator", "02", None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_id == user.id))
    assert (entry.entity, entry.action, entry.user_id) == ("user", "invite", organiser.id)
    link = _link_of("salma@example.ma")
    invited = app.test_client()
    assert "Salma Idrissi" in invited.get(link).get_data(as_text=True)
    chosen = invited.post(link, data={"password": "Oujda-2026!", "confirmation": "Oujda-2026!"})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/tour")
    assert invited.get("/tour").status_code == 200
    db.session.refresh(user)
    assert user.password_hash
    again = app.test_client().post(link, data={"password": "Autre-2026!", "confirmation": "x"})
    assert again.status_code == 410


def test_an_invitation_refuses_bad_passwords_and_keeps_the_link(app, client, login):
    login(make_user("organiser"))
    _invite(client)
    link = _link_of("salma@example.ma")
    invited = app.test_client()
    differ = invited.post(link, data={"password": "Oujda-2026!", "confirmation": "Oujda-2027!"})
    assert differ.status_code == 422
    short = invited.post(link, data={"password": "abc1", "confirmation": "abc1"})
    assert short.status_code == 422 and "au moins 10" in short.get_data(as_text=True)
    assert invited.get(link).status_code == 200  # the link still works


def test_a_jury_card_link_is_no_invitation(app):
    from accounts.services import make_login_link_token

    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    assert app.test_client().get(f"/invitation/{token}").status_code == 410


def test_an_invitation_refuses_bad_input_and_creates_nothing(client, login):
    """(Lengths: tests/test_length_limits.py.)"""
    login(make_user("organiser"))
    existing = make_user("viewer", email="taken@example.ma")
    cases = [
        ({"email": "not-an-email"}, "email"),
        ({"email": existing.email}, "email"),
        ({"name": ""}, "name"),
        ({"role": "admin"}, "role"),
        ({"role": "jury"}, "role"),
        ({"role": "coordinator", "region": ""}, "region"),
        ({"role": "coordinator", "region": "Atlantis"}, "region"),
        ({"role": "coordinator", "region": "L'Oriental"}, "region"),  # its code is asked
        ({"role": "facilitator"}, "events"),
        ({"role": "facilitator", "events": "999999"}, "events"),
    ]
    for fields, field in cases:
        response = _invite(client, **{"email": "new@example.ma", **fields})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, fields
        assert re.search(rf'id="{field}(-error)?" class="[^"]*(is-invalid|text-danger)', page), (
            fields
        )
        assert 'value="Salma Idrissi"' in page or fields.get("name") is not None  # kept
    assert db.session.scalar(select(User).where(User.email == "new@example.ma")) is None
    assert db.session.scalar(select(OutboxEmail)) is None


def test_setting_a_facilitators_events_and_a_role_is_audited(client, login):
    login(make_user("organiser"))
    event = make_event(make_competition())
    user = make_user("viewer")
    response = client.post(
        f"/tour/accounts/{user.id}", data={"role": "facilitator", "events": [str(event.id)]}
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.role == "facilitator"
    assert db.session.scalars(select(UserEvent.event_id)).all() == [event.id]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "access"))
    assert entry.old["role"] == "viewer" and entry.new == {
        "role": "facilitator", "region": None, "events": [event.id]}  # fmt: skip


def test_an_organiser_cannot_lock_themselves_out(client, login):
    organiser = login(make_user("organiser"))
    assert client.post(f"/tour/accounts/{organiser.id}", data={"role": "viewer"}).status_code == 403
    assert client.post(f"/tour/accounts/{organiser.id}/active").status_code == 303
    db.session.refresh(organiser)
    assert organiser.role == "organiser" and organiser.active


def test_a_disabled_account_is_signed_out_at_once_and_can_be_enabled(app, client, login):
    login(make_user("organiser"))
    coordinator = make_user("coordinator", region_code="02")
    theirs = app.test_client()
    login(coordinator, theirs)
    assert theirs.get("/tour").status_code == 200
    assert client.post(f"/tour/accounts/{coordinator.id}/active", data={}).status_code == 303
    away = theirs.get("/tour")
    assert away.status_code == 302 and "/login" in away.headers["Location"]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == coordinator.id)
    ).all()
    assert actions == ["disable"]
    client.post(f"/tour/accounts/{coordinator.id}/active", data={"active": "1"})
    db.session.refresh(coordinator)
    assert coordinator.active
