"""How the registration package hooks into lower floors (called once by the app factory)."""

from audit.history import describe_actions, describe_fields
from competitions.services import add_event_link_provider
from jobs.worker import add_periodic_task
from registration.audit_actions import ACTIONS, FIELDS, VALUES
from registration.services import (
    prefill_for,
    retention_sweep,
    uses_registration,
)
from registration.views import event_links
from submissions.services import use_prefill


def register() -> None:
    """The organiser's event page links to registration and check-in; the idea form is pre-filled from a registration code; the worker's sweep erases
    registrants' personal data with the ideas' retention period; the audit log names what
    registration records."""
    add_event_link_provider(event_links)
    use_prefill(uses_registration, prefill_for)
    add_periodic_task("registration_retention", retention_sweep)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
