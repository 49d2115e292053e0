"""How the bank package hooks into lower floors (called once by the app factory)."""

from bank.views import event_links
from bank.workbook import export_builder
from competitions.services import add_event_link_provider
from jobs.exports import register_export_builder


def register() -> None:
    """The bank's workbook is built in the background by the jobs package; a published event's
    page links to the promotion of its winners."""
    register_export_builder("bank", export_builder)
    add_event_link_provider(event_links)
