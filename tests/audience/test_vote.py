"""The audience prize: one vote per code or receipt, refused once closed, throttled, audited,
anomalies flagged, the results shown on stage only when the organisers choose."""

import pytest
from sqlalchemy import func, select

from audience import services
from audience.models import AudienceVote
from audience.states import VoteFlag
from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db
from tests.builders import make_event, make_idea, make_user

PHONE = "0612345678"


@pytest.fixture
def hall(app):
    """An event with three ideas, its vote open and 5 codes printed."""
    event = make_event(state=EventState.OPEN)
    ideas = [
        make_idea(event, title=t, lead_phone="+212612345678") for t in ("Alpha", "Beta", "Gamma")
    ]
    organiser = make_user()
    services.open_vote(event, by=organiser)
    codes = services.generate_codes(event, {"count": "5"}, by=organiser)
    db.session.commit()
    return event, ideas, [c.code for c in codes], organiser


def _vote(event, idea, device="phone-1", address="10.0.0.1", **credentials):
    ballot = services.vote(
        event, {"idea_id": str(idea.id), **credentials}, address=address, device=device
    )
    db.session.commit()
    return ballot


def test_one_vote_per_code(app, hall):
    event, ideas, codes, _ = hall
    _vote(event, ideas[0], code=codes[0])
    with pytest.raises(services.AlreadyVoted):
        _vote(event, ideas[1], device="phone-2", code=codes[0].lower())
    assert services.tally(event).total == 1


def test_codes_are_unguessable_and_event_bound(app, hall):
    event, ideas, codes, organiser = hall
    assert len(set(codes)) == 5 and all(len(c) == 11 for c in codes)
    with pytest.raises(services.BadCredentials):
        _vote(event, ideas[0], code="ZZZZZ-ZZZZZ")
    other = make_event(state=EventState.OPEN)
    make_idea(other)
    services.open_vote(other, by=organiser)
    with pytest.raises(services.BadCredentials):
        _vote(other, services.candidates(other)[0], code=codes[1])


def test_one_vote_per_receipt_and_phone_never_for_ones_own_idea(app, hall):
    event, ideas, _, _ = hall
    own = ideas[0]
    with pytest.raises(services.VoteError, match="propre idée"):
        _vote(event, own, receipt=own.receipt_code, phone=PHONE)
    _vote(event, ideas[1], receipt=own.receipt_code, phone=PHONE)
    with pytest.raises(services.AlreadyVoted):
        _vote(event, ideas[2], device="phone-9", receipt=own.receipt_code, phone=PHONE)
    with pytest.raises(services.BadCredentials):
        _vote(event, ideas[2], receipt=own.receipt_code, phone="0699999999")


def test_votes_after_close_are_refused(app, hall):
    event, ideas, codes, organiser = hall
    _vote(event, ideas[0], code=codes[0])
    services.close_vote(event, by=organiser)
    db.session.commit()
    with pytest.raises(services.VoteClosed):
        _vote(event, ideas[0], code=codes[1])
    with pytest.raises(services.VoteClosed):  # closed for good
        services.open_vote(event, by=organiser)


def test_only_candidates_can_be_chosen(app, hall):
    event, ideas, codes, _ = hall
    elsewhere = make_idea(make_event())
    with pytest.raises(services.VoteError):
        _vote(event, elsewhere, code=codes[0])
    ideas[2].eligibility = "ineligible"
    db.session.commit()
    assert ideas[2] not in services.candidates(event)


def test_a_phone_voting_twice_and_bursts_are_flagged(app, hall):
    event, ideas, codes, _ = hall
    first = _vote(event, ideas[0], code=codes[0], device="phone-1")
    second = _vote(event, ideas[0], code=codes[1], device="phone-1")
    assert first.flag is None and second.flag == VoteFlag.SHARED_DEVICE
    app.config["AUDIENCE_BURST_VOTES"] = 3
    try:
        third = _vote(event, ideas[0], code=codes[2], device="phone-3")
    finally:
        app.config.pop("AUDIENCE_BURST_VOTES")
    assert third.flag == VoteFlag.BURST
    tally = services.tally(event)
    assert (tally.total, tally.flagged) == (3, 2)
    assert [v.id for v in services.flagged_votes(event)] == [third.id, second.id]


def test_votes_are_audited_without_the_phone(app, hall):
    event, ideas, codes, _ = hall
    _vote(event, ideas[1], receipt=ideas[0].receipt_code, phone=PHONE)
    entry = db.session.scalar(select(AuditEntry).filter_by(entity="audience_vote"))
    assert entry.new["idea_id"] == ideas[1].id and entry.new["by"] == "receipt"
    assert PHONE not in str(entry.new) and "612345678" not in str(entry.new)


def test_results_reach_the_stage_only_when_shown(app, client, hall):
    event, ideas, codes, organiser = hall
    _vote(event, ideas[1], code=codes[0])
    hidden = client.get(f"/e/{event.slug}/audience/results.json").json
    assert hidden["shown"] is False and "ideas" not in hidden
    services.show_results(event, True, by=organiser)
    db.session.commit()
    shown = client.get(f"/e/{event.slug}/audience/results.json").json
    assert shown["ideas"][0] == {"title": "Beta", "votes": 1}
    screen = client.get(f"/e/{event.slug}/audience/screen")
    assert screen.status_code == 200 and "<svg" in screen.get_data(as_text=True)


def test_the_qr_image_is_a_whole_svg_document_an_img_can_draw(app, client, hall):
    event = hall[0]
    response = client.get(f"/e/{event.slug}/vote/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert 'xmlns="http://www.w3.org/2000/svg"' in response.get_data(as_text=True)


def test_the_vote_page_throttles_each_phone(app, client, hall):
    event, ideas, codes, _ = hall
    app.config["AUDIENCE_LIMITS_PER_DEVICE"] = "2 per minute"
    try:
        client.get(f"/e/{event.slug}/vote")  # the phone's cookie
        answers = [
            client.post(f"/e/{event.slug}/vote", data={"idea_id": ideas[0].id, "code": "nope"})
            for _ in range(3)
        ]
    finally:
        app.config["AUDIENCE_LIMITS_PER_DEVICE"] = "100000 per minute"
    assert [a.status_code for a in answers] == [422, 422, 429]
    assert db.session.scalar(select(func.count(AudienceVote.id))) == 0


def test_the_vote_page_counts_a_vote_and_says_why_it_refuses(app, client, hall):
    event, ideas, codes, _ = hall
    done = client.post(f"/e/{event.slug}/vote", data={"idea_id": ideas[0].id, "code": codes[0]})
    assert done.status_code == 303
    again = client.post(f"/e/{event.slug}/vote", data={"idea_id": ideas[0].id, "code": codes[0]})
    assert again.status_code == 409 and "déjà voté" in again.get_data(as_text=True)
    assert client.post(f"/e/{event.slug}/vote", data={}).status_code == 422


def test_code_counts_are_bounded(app, hall):
    event, _, _, organiser = hall
    for bad in ("0", "501", "abc", ""):
        with pytest.raises(services.VoteError):
            services.generate_codes(event, {"count": bad}, by=organiser)


def test_the_organiser_runs_the_vote_from_their_page(app, client, login):
    event = make_event(state=EventState.OPEN)
    make_idea(event, title="Alpha")
    login(make_user())
    base = f"/e/{event.slug}/audience"
    assert client.post(f"{base}/control/start").status_code == 303
    assert services.poll_of(event).is_open
    assert client.post(f"{base}/codes", data={"count": "3"}).status_code == 303
    sheet = client.get(f"{base}/codes")
    assert sheet.status_code == 200 and len(services.unused_codes(event)) == 3
    assert services.unused_codes(event)[0].code in sheet.get_data(as_text=True)
    assert client.post(f"{base}/control/show").status_code == 303
    assert client.post(f"{base}/control/close").status_code == 303
    assert services.poll_of(event).is_closed and services.poll_of(event).show_results
    assert client.post(f"{base}/control/nothing").status_code == 404
    page = client.get(base)
    assert page.status_code == 200 and "Alpha" in page.get_data(as_text=True)
    assert client.post(f"{base}/control/start").status_code == 303  # refused, flashed
    assert services.poll_of(event).is_closed


def test_the_stage_panel_shows_how_to_vote_then_the_counts_when_chosen(app, hall):
    from audience.panel import stage_panel

    event, ideas, codes, organiser = hall
    _vote(event, ideas[2], code=codes[0])
    with app.test_request_context():  # the screen's request
        panel = stage_panel(event, None, "ar")
        assert panel["title"] == "جائزة الجمهور"
        assert f"/e/{event.slug}/vote" in panel["lines"][0] and len(panel["lines"]) == 1
        # the QR code, from the screen's own server, with its text alternative in the language
        assert panel["image_url"] == f"/e/{event.slug}/vote/qr.svg"
        assert (
            panel["image_alt"].startswith("رمز QR")
            and f"/e/{event.slug}/vote" in panel["image_alt"]
        )
        services.show_results(event, True, by=organiser)
        assert (
            stage_panel(event, None, "fr")["lines"][1] == "\u2068Gamma\u2069 : 1 vote"
        )  # the title isolated
        assert stage_panel(event, None, "ar")["lines"][1] == "\u2068Gamma\u2069: صوت واحد"
        services.close_vote(event, by=organiser)
        closed = stage_panel(event, None, "fr")
        assert closed["image_url"] is None and closed["image_alt"] is None  # no QR once closed
        fresh = make_event()
        assert stage_panel(fresh, None, "fr") is None


def test_once_the_pitch_round_starts_only_the_shortlisted_teams_are_candidates(app):
    from judging import rounds
    from tests.judging.conftest import build_judging, fill
    from tests.judging.test_rounds import SETTINGS, _sheet

    event, ideas, judges = build_judging(n_ideas=4, n_judges=2)
    rounds.save_pitch_round(event, SETTINGS, judges[0])
    for idea, mark in zip(ideas, (5, 4, 3, 2), strict=True):
        for judge in judges:
            fill(_sheet(idea, judge), mark)
    services.open_vote(event, by=judges[0])
    db.session.commit()
    # a pitch round set up but not started: every eligible idea
    assert {i.id for i in services.candidates(event)} == {i.id for i in ideas}
    rounds.start_pitch_round(event, None, None, judges[0])
    db.session.commit()
    assert {i.id for i in services.candidates(event)} == {ideas[0].id, ideas[1].id}
    codes = services.generate_codes(event, {"count": "1"}, by=judges[0])
    with pytest.raises(services.VoteError):  # not shortlisted: not on the ballot
        _vote(event, ideas[3], code=codes[0].code)
