"""The stage package's links on the organiser's event page."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from competitions.models import Event
from judging.services import pitch_round


def event_links(event: Event) -> list[tuple[str, str]]:
    links = [
        (str(_l("Rounds and pitches")), url_for("stage.rounds_page", slug=event.slug)),
        (str(_l("Special prizes")), url_for("stage.prizes_page", slug=event.slug)),
    ]
    found = pitch_round(event)
    if found is not None and found.is_started:
        links.append((str(_l("Stage controls")), url_for("stage.control", slug=event.slug)))
    return links
