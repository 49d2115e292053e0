"""A form that comes back with errors: focus lands on the first field at fault, and each message
is tied to its field (aria-describedby, aria-invalid), for forms built with the shared `field`
macro and for hand-written ones alike (static/js/app.js)."""

import itertools
import re

from tests.e2e.conftest import sign_in

_tours = itertools.count(1)


def _organiser(live):
    from competitions.models import Event
    from extensions import db
    from tools.synthetic import PASSWORD, generate_tour

    tour = live.run(
        lambda: generate_tour(
            events=1, ideas=1, judges=1, state="open", with_scores=False,
            prefix=f"forms{next(_tours)}",
        )
    )  # fmt: skip
    rubric_id = live.run(lambda: db.session.get(Event, tour.event_ids[0]).rubric.id)
    return tour.organiser_email, PASSWORD, rubric_id


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
        const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
        return { name: el.name || '', invalid: el.getAttribute('aria-invalid'),
                 messages: ids.map(id => (document.getElementById(id) || {}).textContent || '') }; }"""
    )


def test_focus_goes_to_the_first_field_at_fault_and_its_message_is_tied(live, new_page, shot):
    email, password, rubric_id = _organiser(live)
    page = new_page("tablet", "ar")
    sign_in(page, email, password)

    # A form of the shared macro (criterion): the weight is refused.
    page.goto(f"/tour/rubrics/{rubric_id}/criteria/new?lang=ar")
    page.fill("input[name=name_fr]", "Ancrage")
    page.fill("input[name=weight]", "0")
    page.fill("input[name=scale_max]", "x")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    focused = _focused(page)
    assert focused["name"] == "weight" and focused["invalid"] == "true", focused
    assert any(re.search(r"\S", text) for text in focused["messages"][1:]), focused
    shot(page, "criterion-errors-ar")

    # A hand-written form (invite an account): app.js ties the message and moves focus.
    page.goto("/tour/accounts?lang=fr")
    page.fill("input[name=email]", "personne@nulle-part")
    page.fill("input[name=name]", "Personne")
    page.locator("form:has(input[name=email]) button[type=submit]").first.click()
    page.wait_for_load_state()
    focused = _focused(page)
    assert focused["name"] == "email" and focused["invalid"] == "true", focused
    assert focused["messages"] and focused["messages"][-1].strip(), focused
