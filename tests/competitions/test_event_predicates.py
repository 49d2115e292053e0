"""What an event's state alone says, as code and templates ask it."""

import pytest

from competitions.models import Event
from competitions.states import EventState, RankingMethod

# state: (accepts_ideas, before_judging, is_judging, judging_started, judging_closed,
#         in_deliberation, is_published, results_public)
EXPECTED = {
    "draft": (False, True, False, False, False, False, False, False),
    "open": (True, True, False, False, False, False, False, False),
    "judging": (False, False, True, True, False, False, False, False),
    "deliberation": (False, False, False, True, True, True, False, False),
    "published": (False, False, False, True, True, False, True, True),
    "archived": (False, False, False, True, True, False, False, True),
}
PREDICATES = (
    "accepts_ideas",
    "before_judging",
    "is_judging",
    "judging_started",
    "judging_closed",
    "in_deliberation",
    "is_published",
    "results_public",
)


def test_every_state_is_specified():
    assert tuple(EXPECTED) == EventState.values()


@pytest.mark.parametrize("state", list(EXPECTED))
def test_event_predicates_follow_the_stored_state(state):
    event = Event(state=state)  # as loaded from the database: a plain string
    assert tuple(getattr(event, name) for name in PREDICATES) == EXPECTED[state]
    assert event.is_draft is (state == "draft")


@pytest.mark.parametrize(
    "chosen, split, expected",
    [
        (None, False, "raw"),
        (None, True, "normalised"),
        ("raw", True, "raw"),
        ("bogus", True, "normalised"),
    ],
)
def test_the_ranking_method_is_the_chosen_one_or_follows_the_panels(chosen, split, expected):
    method = Event(ranking_method=chosen, split_panels=split).effective_ranking_method
    assert method == expected and isinstance(method, RankingMethod)
