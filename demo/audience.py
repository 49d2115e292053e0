"""The demo's audience prize: the national final in Rabat, whose pitch round is on stage, has its
vote open on the shortlisted teams, codes printed for the door, a few votes in and the results
shown on the stage screen beside the vote's QR code."""

from sqlalchemy import func, select

from audience import services
from audience.models import AudienceCode
from competitions.services import get_event
from extensions import db

SLUG = "finale-nationale-2025"  # the event with the pitch round and the stage screen
CODES = 40
VOTES = (0, 1, 0, 2, 0, 1, 3)  # the candidate each of the first codes votes for


def seed_audience(organiser) -> int:
    """Open the final's vote (seeded after its pitch round: the candidates are the shortlist)
    with its codes and a few votes; returns the votes cast (0 once done)."""
    event = get_event(SLUG)
    if event is None or db.session.scalar(
        select(func.count(AudienceCode.id)).where(AudienceCode.event_id == event.id)
    ):
        return 0
    ideas = services.candidates(event)
    if not ideas:
        return 0
    services.open_vote(event, by=organiser)
    codes = services.generate_codes(event, {"count": str(CODES)}, by=organiser)
    for n, choice in enumerate(VOTES):
        services.vote(
            event,
            {"idea_id": str(ideas[choice % len(ideas)].id), "code": codes[n].code},
            address="192.0.2.10",
            device=f"demo-phone-{n}",
        )
    services.show_results(event, True, by=organiser)
    db.session.flush()
    return len(VOTES)
