"""The audience prize's panel on the pitch round's stage screen (`judging.rounds.add_stage_panel`,
issue 20's stage, built beside this work): the vote's address and, while the organisers show
them, the live counts. Reads only."""

from flask import url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from audience import services
from jobs.outbox import external_url

ISOLATE, LTR, POP = "\u2068", "\u2066", "\u2069"  # first-strong isolate, left-to-right, pop


def stage_panel(event, _round, language: str) -> dict | None:
    """None until the vote is opened; then {"key", "title", "lines", "image_url", "image_alt"}
    in the screen's language (called within the screen's request): how to vote and the vote
    page's QR code while open, then each idea's votes when shown."""
    poll = services.poll_of(event)
    if poll.opened_at is None:
        return None
    url = external_url("audience.vote", slug=event.slug)
    # plain lines, so the isolates of Unicode stand in for <bdi>: an Arabic title in a French
    # line (or the address in an Arabic one) keeps its own direction
    shown_url = f"{LTR}{url}{POP}"
    with force_locale(language):
        lines = [_("Vote from your phone: %(url)s", url=shown_url)] if poll.is_open else []
        if poll.is_closed:
            lines.append(_("The vote is closed."))
        if poll.show_results:
            lines += [
                ngettext(
                    "%(title)s: %(num)d vote",
                    "%(title)s: %(num)d votes",
                    votes,
                    title=f"{ISOLATE}{title}{POP}",
                )
                for _id, title, votes, _flagged in services.tally(event).rows
            ]
        return {
            "key": "audience",
            "title": _("Audience prize"),
            "lines": lines,
            # on the screen's own server (the page's CSP loads images from 'self' only)
            "image_url": url_for("audience.vote_qr_svg", slug=event.slug) if poll.is_open else None,
            "image_alt": _("QR code of the vote page: %(url)s", url=url) if poll.is_open else None,
        }
