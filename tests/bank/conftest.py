"""Builders for the bank's tests: a published event with its frozen results."""

import pytest

from competitions.states import EventState
from tests.builders import add_result, make_event, make_idea

SEEDED_PHONE = "+212661234567"
SEEDED_EMAIL = "amina.secret@example.ma"
SEEDED_LEAD = "Amina Benali"


@pytest.fixture
def published(app):
    """Oujda, published: two winners (one with the seeded contact), a third idea bank-worthy."""
    event = make_event(state=EventState.PUBLISHED, city="Oujda", slug="oujda-2025")
    winner = make_idea(
        event,
        title="Coopérative de couscous Al Amal",
        lead_name=SEEDED_LEAD,
        lead_phone=SEEDED_PHONE,
        lead_email=SEEDED_EMAIL,
        other_members="Khadija Amrani\nSara Idrissi",
        cooperative_name="Al Amal",
    )
    second = make_idea(
        event,
        title="Miel de thym bio",
        problem="Les apiculteurs vendent en vrac.",
        solution="Un label de miel de thym.",
        sector="agriculture",
        budget_mad=90_000,
    )
    worthy = make_idea(
        event,
        title="Tissage de tapis",
        problem="Les tisserandes manquent de débouchés.",
        solution="Un atelier de tissage commun.",
        sector="handicrafts",
        bank_worthy=True,
    )
    add_result(event, winner, 1, True, raw=4.5, mean_z=1.2)
    add_result(event, second, 2, True, raw=4.1, mean_z=0.6)
    add_result(event, worthy, 3, False, raw=3.9, mean_z=0.1)
    return {"event": event, "winner": winner, "second": second, "worthy": worthy}
