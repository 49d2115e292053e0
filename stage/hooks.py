"""How the stage package hooks into lower floors (called once by the app factory)."""

from competitions.services import add_event_link_provider
from stage.links import event_links


def register() -> None:
    """The organiser's event page links to the rounds page and, once the pitch round has
    started, to the stage controls."""
    add_event_link_provider(event_links)
