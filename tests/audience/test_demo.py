"""The demo: the national final's audience vote is open on its shortlisted teams, with codes,
votes, and the QR code and results on the stage screen of its pitch round."""

from competitions.services import get_event
from judging import rounds


def test_demo_opens_the_audience_vote_on_the_finals_shortlist(app, runner):
    from audience import services as audience

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    event = get_event("finale-nationale-2025")
    poll = audience.poll_of(event)
    assert poll.is_open and poll.show_results
    assert audience.tally(event).total == 7
    shortlisted = {entry.idea_id for entry in rounds.shortlist(event)}
    assert len(shortlisted) == 2
    assert {idea.id for idea in audience.candidates(event)} == shortlisted
    assert {row[0] for row in audience.tally(event).rows} <= shortlisted
    with app.test_request_context():  # the stage screen shows the QR code and the counts
        state = rounds.stage_state(event)
    (panel,) = state["panels"]
    assert panel["image_url"] == "/e/finale-nationale-2025/vote/qr.svg"
    assert len(panel["lines"]) == 3
    assert audience.poll_of(get_event("rabat-2025")).opened_at is None
