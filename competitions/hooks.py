"""How the competitions package hooks into lower floors (called once by the app factory)."""

from accounts.permissions import use_events
from audit.history import describe_actions, describe_fields
from competitions.audit_actions import ACTIONS, FIELDS, VALUES
from competitions.services import event_choices, get_event


def register() -> None:
    """Access rules on an event's pages find the event of the URL's slug (a coordinator's region,
    a facilitator's events); the accounts pages offer the events; the audit log names what competitions record."""
    use_events(find=get_event, choices=event_choices)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
