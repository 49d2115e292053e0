"""The lifecycle of an event: every allowed and forbidden move, through the pages and the CLI."""

import pytest

from audit.models import AuditEntry
from competitions import services
from competitions.models import Event
from competitions.signals import event_state_changed
from competitions.states import EventState
from extensions import db
from tests.builders import make_event, make_user

EVENT_STATES = EventState.values()

ALLOWED = [
    ("draft", "open"),
    ("open", "judging"),
    ("open", "draft"),
    ("judging", "deliberation"),
    ("judging", "open"),
    ("deliberation", "published"),
    ("deliberation", "judging"),
    ("published", "archived"),
]
FORBIDDEN = [
    (old, new)
    for old in EVENT_STATES
    for new in EVENT_STATES
    if old != new and (old, new) not in ALLOWED
]


def _state(event_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Event, event_id).state


def test_the_tables_cover_every_pair_of_states():
    assert len(ALLOWED) + len(FORBIDDEN) == len(EVENT_STATES) * (len(EVENT_STATES) - 1)
    assert {(old, new) for old, news in services.TRANSITIONS.items() for new in news} == set(
        ALLOWED
    )


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transition_through_the_page_is_made_and_audited(
    client, organiser, lifecycle_rules_only, old, new
):
    event = make_event(state=old)
    response = client.post(
        f"/tour/events/{event.slug}/state", data={"state": new, "confirm": "yes"}
    )
    assert response.status_code == 303
    assert _state(event.id) == new
    entry = db.session.query(AuditEntry).filter_by(entity="event", action="state").one()
    assert entry.old == {"state": old} and entry.new == {"state": new}
    assert entry.user_id == organiser.id and entry.event_id == event.id and entry.source == "web"


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_forbidden_transition_through_the_page_is_refused_with_the_reason(
    client, organiser, old, new
):
    event = make_event(state=old)
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": new})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "alert-danger" in page
    if old == "published":
        assert "figés" in page
    elif old == "archived":
        assert "archivé ne peut plus" in page
    elif EVENT_STATES.index(new) > EVENT_STATES.index(old):
        assert "Impossible de sauter" in page
    else:
        assert "perdrait des données" in page
    assert _state(event.id) == old
    assert db.session.query(AuditEntry).filter_by(action="state").count() == 0


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transition_through_the_cli(runner, lifecycle_rules_only, old, new):
    event = make_event(state=old)
    result = runner.invoke(args=["event-state", event.slug, new, "--yes"])
    assert result.exit_code == 0, result.output
    assert f"{old} → {new}" in result.output
    assert _state(event.id) == new
    assert db.session.query(AuditEntry).filter_by(action="state", source="cli").count() == 1


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_forbidden_transition_through_the_cli_exits_non_zero_with_the_reason(runner, old, new):
    event = make_event(state=old)
    result = runner.invoke(args=["event-state", event.slug, new])
    assert result.exit_code != 0
    assert "Error:" in result.output and len(result.output.strip()) > 20
    assert _state(event.id) == old


def test_cli_refuses_an_unknown_event_or_state(runner):
    make_event(state=EventState.DRAFT, slug="oujda-2025")
    assert runner.invoke(args=["event-state", "nowhere-2025", "open"]).exit_code != 0
    result = runner.invoke(args=["event-state", "oujda-2025", "finished"])
    assert result.exit_code != 0
    assert _state(db.session.query(Event).one().id) == "draft"


def test_cli_records_the_organiser_given_with_by(runner):
    boss = make_user("organiser", email="chef@example.ma")
    event = make_event(state=EventState.DRAFT)
    result = runner.invoke(args=["event-state", event.slug, "open", "--by", "chef@example.ma"])
    assert result.exit_code == 0, result.output
    assert db.session.query(AuditEntry).filter_by(action="state").one().user_id == boss.id
    assert (
        runner.invoke(args=["event-state", event.slug, "judging", "--by", "x@y.ma"]).exit_code != 0
    )


def test_events_cli_lists_every_event_with_its_state(runner):
    make_event(state=EventState.JUDGING, slug="casablanca-2025", city="Casablanca")
    make_event(state=EventState.DRAFT, slug="agadir-2025", city="Agadir")
    result = runner.invoke(args=["events"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any("casablanca-2025" in line and "judging" in line for line in lines)
    assert any("agadir-2025" in line and "draft" in line for line in lines)


def test_unknown_state_posted_to_the_page_is_refused(client, organiser):
    event = make_event(state=EventState.OPEN)
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "finished"})
    assert response.status_code == 409
    assert "État inconnu" in response.get_data(as_text=True)
    assert _state(event.id) == "open"


def test_a_registered_guard_refuses_the_move_and_disables_its_button(
    client, organiser, lifecycle_rules_only
):
    event = make_event(state=EventState.DELIBERATION)

    @services.add_transition_guard
    def minutes_validated(event, old, new):
        if (old, new) == ("deliberation", "judging"):
            raise services.TransitionError("Le procès-verbal est validé.")

    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    assert "Le procès-verbal est validé." in page and "disabled" in page
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"})
    assert response.status_code == 409 and _state(event.id) == "deliberation"
    # the other move is untouched by the guard
    assert (
        client.post(
            f"/tour/events/{event.slug}/state", data={"state": "published", "confirm": "yes"}
        ).status_code
        == 303
    )


def test_state_change_sends_the_signal_in_the_transaction(app, lifecycle_rules_only):
    event = make_event(state=EventState.OPEN)
    received = []

    def receiver(sender, **kwargs):
        received.append((sender.id, kwargs["old"], kwargs["new"], kwargs["source"]))

    with event_state_changed.connected_to(receiver):
        services.transition(event, "judging", by=None, source="cli")
    assert received == [(event.id, "open", "judging", "cli")]


def test_jury_member_cannot_change_state_nor_see_organiser_pages(client, login):
    event = make_event(state=EventState.OPEN)
    login(make_user("jury"))
    assert (
        client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"}).status_code
        == 403
    )
    for url in (
        "/tour",
        f"/tour/events/{event.slug}",
        f"/tour/events/{event.slug}/edit",
        f"/tour/rubrics/{event.rubric.id}",
    ):
        assert client.get(url).status_code == 403, url
    assert _state(event.id) == "open"


def test_anonymous_visitor_is_sent_to_sign_in(client):
    event = make_event(state=EventState.OPEN)
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _state(event.id) == "open"


def test_state_form_without_csrf_token_is_refused(client, organiser, csrf_on):
    event = make_event(state=EventState.OPEN)
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "judging"})
    assert response.status_code == 400
    assert _state(event.id) == "open"


def test_public_tour_page_links_a_published_stop_to_its_results(app, client):
    from tests.builders import make_event

    published = make_event(state=EventState.PUBLISHED)
    page = client.get("/").get_data(as_text=True)
    assert f"/e/{published.slug}/results" in page and "Résultats" in page
