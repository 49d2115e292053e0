"""Steps that cannot be undone ask first, on a page that says what will happen; the server holds
the rule. The jury's president and secretary, one of each per event."""

import pytest
from markupsafe import escape

from audit.models import AuditEntry
from competitions import services
from competitions.models import Event, JuryMember
from competitions.states import EventState
from extensions import db
from tests.builders import add_jury, make_event, make_user

CONFIRMED = sorted((str(old), str(new)) for old, new in services.CONFIRMED_MOVES)  # as typed


def _state(event_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Event, event_id).state


def test_the_confirmed_moves_are_closing_judging_publishing_and_archiving():
    assert set(CONFIRMED) == {
        ("judging", "deliberation"),
        ("deliberation", "published"),
        ("published", "archived"),
    }


@pytest.mark.parametrize(("old", "new"), CONFIRMED)
def test_a_move_that_cannot_be_undone_is_refused_without_its_confirmation(
    client, organiser, lifecycle_rules_only, old, new
):
    event = make_event(state=old)
    for data in ({"state": new}, {"state": new, "confirm": "no"}):
        response = client.post(f"/tour/events/{event.slug}/state", data=data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Cochez la case pour confirmer" in page
        assert 'name="confirm" value="yes"' in page  # the page to confirm it, shown again
        assert _state(event.id) == old
    assert db.session.query(AuditEntry).filter_by(action="state").count() == 0


@pytest.mark.parametrize(("old", "new"), CONFIRMED)
def test_the_event_page_leads_each_such_move_to_its_confirmation_page(
    client, organiser, lifecycle_rules_only, old, new
):
    event = make_event(state=old)
    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    assert f'href="/tour/events/{event.slug}/state/{new}"' in page
    assert f'name="state" value="{new}"' not in page  # no single-click form for it
    confirm = client.get(f"/tour/events/{event.slug}/state/{new}")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Ce qui va se passer" in text and 'name="confirm"' in text
    assert str(escape(str(services.MOVE_CONSEQUENCES[(old, new)]))) in text


@pytest.mark.parametrize(("old", "new"), CONFIRMED)
def test_the_cli_says_what_the_move_does_and_needs_yes(runner, lifecycle_rules_only, old, new):
    event = make_event(state=old)
    result = runner.invoke(args=["event-state", event.slug, new])
    assert result.exit_code != 0 and "--yes" in result.output
    assert str(services.MOVE_CONSEQUENCES[(old, new)]) in result.output
    assert _state(event.id) == old
    assert runner.invoke(args=["event-state", event.slug, new, "--yes"]).exit_code == 0
    assert _state(event.id) == new


def test_archiving_says_the_event_will_never_change_again(client, organiser):
    event = make_event(state=EventState.PUBLISHED)
    page = client.get(f"/tour/events/{event.slug}/state/archived").get_data(as_text=True)
    assert "ne pourra plus changer en rien" in page


def test_a_move_that_needs_no_confirmation_has_no_confirmation_page(client, organiser):
    event = make_event(state=EventState.OPEN)
    assert client.get(f"/tour/events/{event.slug}/state/draft").status_code == 404
    assert client.get(f"/tour/events/{event.slug}/state/nowhere").status_code == 404


def test_a_refused_move_shows_why_and_no_button_on_its_confirmation_page(
    client, organiser, lifecycle_rules_only
):
    event = make_event(state=EventState.DELIBERATION)

    @services.add_transition_guard
    def never(event, old, new):
        raise services.TransitionError("Le procès-verbal n'est pas validé.")

    page = client.get(f"/tour/events/{event.slug}/state/published").get_data(as_text=True)
    assert "Le procès-verbal n&#39;est pas validé." in page
    assert 'name="confirm"' not in page


def test_higher_floors_add_what_the_move_will_do(client, organiser, clean_registries):
    event = make_event(state=EventState.JUDGING)

    @services.add_transition_notice_provider
    def notices(event, new_state):
        return [{"text": "Il manque 3 grilles.", "items": ["Juge A : TST-0001"]}]

    page = client.get(f"/tour/events/{event.slug}/state/deliberation").get_data(as_text=True)
    assert "Il manque 3 grilles." in page and "Juge A : TST-0001" in page


# --- President and secretary -----------------------------------------------------------------


def _roles(event):
    db.session.expire_all()
    return {
        m.user_id: ("president" if m.is_president else "secretary" if m.is_secretary else "member")
        for m in db.session.query(JuryMember).filter_by(event_id=event.id)
    }


def test_naming_a_president_takes_the_role_from_the_previous_one(client, organiser):
    event = make_event(state=EventState.JUDGING)
    a, b, c = (make_user("jury") for _ in range(3))
    add_jury(event, a, is_president=True)
    add_jury(event, b)
    add_jury(event, c)
    response = client.post(
        f"/tour/events/{event.slug}/jury/{b.id}/role", data={"role": "president"}
    )
    assert response.status_code == 303
    assert _roles(event) == {a.id: "member", b.id: "president", c.id: "member"}
    client.post(f"/tour/events/{event.slug}/jury/{c.id}/role", data={"role": "secretary"})
    client.post(f"/tour/events/{event.slug}/jury/{a.id}/role", data={"role": "secretary"})
    assert _roles(event) == {a.id: "secretary", b.id: "president", c.id: "member"}
    entry = (
        db.session.query(AuditEntry).filter_by(action="role").order_by(AuditEntry.id.desc()).first()
    )
    assert entry.new == {"role": "secretary", "replaced": [c.id]} and entry.user_id == organiser.id
    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    assert "Secrétaire" in page and "Présidence du jury" in page


def test_the_president_is_also_named_from_the_jury_form_one_per_event(client, organiser):
    event = make_event(state=EventState.OPEN)
    a, b = make_user("jury"), make_user("jury")
    add_jury(event, a, is_president=True)
    services.assign_jury(event, b, is_president=True)
    db.session.commit()
    assert _roles(event) == {a.id: "member", b.id: "president"}


def test_jury_roles_can_still_be_named_in_deliberation(client, organiser):
    event = make_event(state=EventState.DELIBERATION)
    judge = make_user("jury")
    add_jury(event, judge)
    client.post(f"/tour/events/{event.slug}/jury/{judge.id}/role", data={"role": "president"})
    assert _roles(event) == {judge.id: "president"}


def test_jury_roles_are_frozen_once_the_results_are_published(client, organiser):
    event = make_event(state=EventState.PUBLISHED)
    judge = make_user("jury")
    add_jury(event, judge)
    response = client.post(
        f"/tour/events/{event.slug}/jury/{judge.id}/role", data={"role": "president"}
    )
    assert response.status_code == 409
    assert "les rôles du jury ne peuvent plus changer" in response.get_data(as_text=True)
    assert _roles(event) == {judge.id: "member"}


def test_an_unknown_role_or_someone_off_the_jury_is_refused(client, organiser):
    event = make_event(state=EventState.OPEN)
    judge, outsider = make_user("jury"), make_user("jury")
    add_jury(event, judge)
    response = client.post(f"/tour/events/{event.slug}/jury/{judge.id}/role", data={"role": "king"})
    assert response.status_code == 422 and "Rôle de jury inconnu." in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/tour/events/{event.slug}/jury/{outsider.id}/role", data={"role": "president"}
    )
    assert response.status_code == 409
    assert _roles(event) == {judge.id: "member"}


def test_in_deliberation_the_method_changes_only_with_its_reason_on_the_deliberation_page(
    client, organiser
):
    event = make_event(state=EventState.DELIBERATION)
    with pytest.raises(services.EventError) as error:
        services.update_event(
            event,
            {
                "city": event.city,
                "region_code": event.region_code,
                "date": event.date,
                "winners_count": 3,
                "languages": "fr",
                "slug": event.slug,
                "judges_per_idea": 3,
                "min_judges": 2,
                "ranking_method": "normalised",
            },
        )
    assert error.value.field == "ranking_method"
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Event, event.id).ranking_method is None
