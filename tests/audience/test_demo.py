"""The demo: Rabat's audience vote is open, with codes, votes and results on the stage."""

from competitions.services import get_event


def test_demo_opens_the_audience_vote_in_rabat(runner):
    from audience import services as audience

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    event = get_event("rabat-2025")
    poll = audience.poll_of(event)
    assert poll.is_open and poll.show_results
    assert audience.tally(event).total == 7
