"""How the e-mail templates hook into lower floors (called once by the app factory)."""

from audit.history import describe_actions, describe_fields
from competitions.services import add_event_link_provider
from emailtemplates.audit_actions import ACTIONS, FIELDS
from emailtemplates.services import override
from emailtemplates.views import event_links
from jobs.outbox import use_template_override


def register() -> None:
    """The outbox sends an event's own text of a message when its organisers wrote one; the
    organiser's event page links to the templates; the audit log names what is recorded."""
    use_template_override(override)
    add_event_link_provider(event_links)
    describe_actions(ACTIONS)
    describe_fields(FIELDS)
