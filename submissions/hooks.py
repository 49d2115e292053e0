"""How the submissions package hooks into lower floors (called once by the app factory)."""

from competitions.services import add_event_link_provider, add_event_stats_provider
from submissions.services import count_ideas
from submissions.views import event_links


def register() -> None:
    """The tour dashboard counts each event's ideas; the organiser's event page links to the
    ideas pages."""
    add_event_stats_provider(count_ideas)
    add_event_link_provider(event_links)
