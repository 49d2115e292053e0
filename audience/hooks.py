"""How the audience prize hooks into lower floors (called once by the app factory)."""

from audience.audit_actions import ACTIONS, FIELDS, VALUES
from audience.panel import stage_panel
from audience.views import event_links
from audit.history import describe_actions, describe_fields
from competitions.services import add_event_link_provider
from judging.rounds import add_stage_panel


def register() -> None:
    """The organiser's event page links to the audience prize; the stage screen of the pitch
    round shows its panel; the audit log names what it records."""
    add_event_link_provider(event_links)
    add_stage_panel(stage_panel)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
