"""How the reporting package hooks into lower floors (called once by the app factory)."""

from competitions.services import add_event_link_provider
from jobs.exports import register_export_builder
from reporting.services import export_builder
from reporting.views import event_links


def register() -> None:
    """The whole tour's rankings workbook is built in the background by the jobs package; an
    event's page, once scores exist, links to its Excel ranking."""
    register_export_builder(
        "rankings", export_builder, personal=lambda params: bool(params.get("personal"))
    )
    add_event_link_provider(event_links)
