"""How the bank package hooks into lower floors (called once by the app factory)."""

from bank.services import refresh_results
from bank.views import event_links
from bank.workbook import export_builder
from competitions.services import add_event_link_provider
from jobs.exports import register_export_builder
from judging.results import results_published


def register() -> None:
    """The bank's workbook is built in the background by the jobs package; a published event's
    page links to the promotion of its winners; when amended results come into force, the
    bank's copies of those results follow."""
    register_export_builder("bank", export_builder)
    add_event_link_provider(event_links)
    results_published.connect(refresh_results)
