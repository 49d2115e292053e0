"""How the submissions package hooks into lower floors (called once by the app factory)."""

from audit.history import describe_actions, describe_fields
from competitions.services import (
    add_event_link_provider,
    add_event_stats_provider,
    add_transition_notice_provider,
)
from core.offline import add_offline_pages, add_version_part
from jobs.worker import add_periodic_task
from submissions.audit_actions import ACTIONS, FIELDS, VALUES
from submissions.fields import form_version
from submissions.privacy import retention_sweep
from submissions.services import count_ideas
from submissions.views import event_links, offline_pages, unchecked_notices


def register() -> None:
    """The tour dashboard counts each event's ideas; the organiser's event page links to the
    ideas pages and warns, beside "start judging", of ideas not yet checked; the worker's
    periodic sweep erases the personal data whose retention period has run out; the audit log
    names what submissions record; a kiosk tablet keeps its form for offline use, and the
    idea form's version joins the offline cache's version."""
    add_event_stats_provider(count_ideas)
    add_event_link_provider(event_links)
    add_transition_notice_provider(unchecked_notices)
    add_periodic_task("retention", retention_sweep)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
    add_offline_pages(offline_pages)
    add_version_part(form_version)
