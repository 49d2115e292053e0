"""The demo: Laâyoune takes registrations, with a waiting list and people checked in."""

from competitions.services import get_event
from registration import services


def test_demo_opens_registration_in_laayoune(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    event = get_event("laayoune-2025")
    assert services.accepts_registrations(event)
    figures = services.attendance(event)
    assert (figures.expected, figures.present, figures.waiting) == (24, 9, 3)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    assert services.attendance(event).expected == 24
