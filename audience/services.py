"""The audience prize: open and close the vote, print one-time codes, vote (once per code, or
once per receipt code + phone), count, flag anomalies. Services never commit."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from audience.models import AudienceCode, AudiencePoll, AudienceVote
from audience.states import VoteFlag
from audit.services import record
from competitions.models import Event
from extensions import db, utcnow
from fieldtypes import Integer, parse_fields
from judging.models import ShortlistEntry
from judging.services import pitch_round
from refusals import Conflict, Refusal
from registration.codes import new_code, normalise_code
from submissions.models import Idea
from submissions.services import lookup_receipt
from submissions.states import Eligibility

MAX_CODES_AT_ONCE = 500
MAX_CODES = 5_000
BURST_WINDOW = timedelta(seconds=60)
BURST_VOTES = 15  # for one idea from one address within the window: flagged


class VoteError(Refusal):
    """A vote that cannot be counted as sent (422)."""


class VoteClosed(VoteError, Conflict):
    default_message = _l("The audience vote is not open.")


class AlreadyVoted(VoteError, Conflict):
    default_message = _l("This code (or receipt) has already voted: one vote each.")


class BadCredentials(VoteError):
    default_message = _l(
        "This voting code is not valid here. Check it, or vote with your receipt code and phone."
    )


def poll_of(event: Event) -> AudiencePoll:
    """The event's poll; an unsaved one (not opened) when none was saved (GET never writes)."""
    found = db.session.scalar(select(AudiencePoll).where(AudiencePoll.event_id == event.id))
    return found or AudiencePoll(event_id=event.id, show_results=False)


def _saved_poll(event: Event) -> AudiencePoll:
    poll = poll_of(event)
    db.session.add(poll)
    db.session.flush()
    return poll


def open_vote(event: Event, *, by) -> AudiencePoll:
    poll = _saved_poll(event)
    if poll.is_closed:
        raise VoteClosed(_l("The audience vote is closed for good: its results stand."))
    if poll.opened_at is None:
        poll.opened_at = utcnow()
        record("audience_poll", poll.id, "open", by=by, event_id=event.id)
    return poll


def close_vote(event: Event, *, by) -> AudiencePoll:
    """Close the vote for good: every later vote is refused."""
    poll = _saved_poll(event)
    if not poll.is_open:
        raise VoteClosed()
    poll.closed_at = utcnow()
    record("audience_poll", poll.id, "close", by=by, event_id=event.id, new=tally(event).as_dict())
    return poll


def show_results(event: Event, shown: bool, *, by) -> AudiencePoll:
    """Whether the stage screen (and the public results) show the counts."""
    poll = _saved_poll(event)
    if poll.show_results != shown:
        poll.show_results = shown
        record(
            "audience_poll", poll.id, "show_results", by=by, event_id=event.id, new={"shown": shown}
        )
    return poll


def generate_codes(event: Event, raw, *, by) -> list[AudienceCode]:
    """`count` new one-time codes for the door (a printable sheet)."""
    values, errors = parse_fields({"count": Integer(1, MAX_CODES_AT_ONCE, required=True)}, raw)
    if errors:
        raise VoteError(errors["count"], field="count")
    existing = db.session.scalar(
        select(func.count(AudienceCode.id)).where(AudienceCode.event_id == event.id)
    )
    if existing + values["count"] > MAX_CODES:
        raise VoteError(_l("An event holds at most %(n)s codes.", n=MAX_CODES), field="count")
    codes = []
    while len(codes) < values["count"]:
        code = AudienceCode(event_id=event.id, code=new_code())
        try:
            with db.session.begin_nested():
                db.session.add(code)
        except IntegrityError:
            continue
        codes.append(code)
    db.session.flush()
    record("audience_poll", None, "codes", by=by, event_id=event.id, new={"count": len(codes)})
    return codes


def candidates(event: Event) -> list[Idea]:
    """The ideas one may vote for: the event's, not ineligible, not duplicates, not the
    calibration idea; once the event's pitch round has started, only its shortlisted teams
    (those the room saw on stage)."""
    query = select(Idea).where(
        Idea.event_id == event.id,
        Idea.eligibility != Eligibility.INELIGIBLE,
        Idea.duplicate_of_id.is_(None),
        Idea.is_calibration.is_(False),
    )
    found = pitch_round(event)
    if found is not None and found.is_started:
        query = query.join(ShortlistEntry, ShortlistEntry.idea_id == Idea.id).where(
            ShortlistEntry.round_id == found.id
        )
    return list(db.session.scalars(query.order_by(Idea.title, Idea.id)))


def _voter(event: Event, raw, address: str) -> tuple[str, int | None, int | None]:
    """(voter key, code id to use up, own idea id) from a one-time code or a receipt + phone."""
    code = normalise_code(raw.get("code"))
    if code:
        found = db.session.scalar(
            select(AudienceCode).where(AudienceCode.event_id == event.id, AudienceCode.code == code)
        )
        if found is None:
            raise BadCredentials(field="code")
        if found.used_at is not None:
            raise AlreadyVoted(field="code")
        return f"code:{found.id}", found.id, None
    if raw.get("receipt") and raw.get("phone"):
        idea = lookup_receipt(raw["receipt"], raw["phone"], address=address)
        if idea is None or idea.event_id != event.id:
            raise BadCredentials(
                _l("No idea of this event matches this receipt code and phone."), field="receipt"
            )
        return f"receipt:{idea.id}", None, idea.id
    raise BadCredentials(_l("Give your voting code, or your receipt code and phone."), field="code")


def vote(event: Event, raw, *, address: str, device: str) -> AudienceVote:
    """Count one vote: the poll open, a candidate chosen, the voter new (a code is used up in
    the same transaction, by a conditional UPDATE: two phones racing with one code count once).
    Audited without the phone; flagged when the device already voted or a burst comes from one
    address."""
    poll = poll_of(event)
    if not poll.is_open:
        raise VoteClosed()
    idea_id = raw.get("idea_id")
    chosen = next((i for i in candidates(event) if str(i.id) == str(idea_id)), None)
    if chosen is None:
        raise VoteError(_l("Choose one of the ideas."), field="idea_id")
    voter, code_id, own_idea = _voter(event, raw, address)
    if own_idea == chosen.id:
        raise VoteError(_l("A team cannot vote for its own idea."), field="idea_id")
    if code_id is not None:
        used = db.session.execute(
            update(AudienceCode)
            .where(AudienceCode.id == code_id, AudienceCode.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if used.rowcount != 1:
            raise AlreadyVoted(field="code")
    ballot = AudienceVote(
        event_id=event.id,
        idea_id=chosen.id,
        voter=voter,
        address=(address or "?")[:64],
        device=(device or "?")[:64],
        flag=_flag(event, chosen.id, address, device),
    )
    try:
        with db.session.begin_nested():
            db.session.add(ballot)
    except IntegrityError:
        raise AlreadyVoted() from None
    record(
        "audience_vote",
        ballot.id,
        "vote",
        event_id=event.id,
        new={"idea_id": chosen.id, "by": voter.split(":")[0], "flag": ballot.flag},
    )
    return ballot


def _flag(event: Event, idea_id: int, address: str, device: str) -> str | None:
    same_device = db.session.scalar(
        select(AudienceVote.id)
        .where(AudienceVote.event_id == event.id, AudienceVote.device == device)
        .limit(1)
    )
    if same_device is not None:
        return VoteFlag.SHARED_DEVICE
    window = current_app.config.get("AUDIENCE_BURST_VOTES", BURST_VOTES)
    recent = db.session.scalar(
        select(func.count(AudienceVote.id)).where(
            AudienceVote.event_id == event.id,
            AudienceVote.idea_id == idea_id,
            AudienceVote.address == address,
            AudienceVote.created_at > utcnow() - BURST_WINDOW,
        )
    )
    return VoteFlag.BURST if recent + 1 >= window else None


@dataclass(frozen=True)
class Tally:
    """The count per idea (most votes first), flagged votes apart; `total` counts them all."""

    rows: tuple  # (idea_id, title, votes, flagged)
    total: int
    flagged: int

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "flagged": self.flagged,
            "votes": {r[0]: r[2] for r in self.rows},
        }


def tally(event: Event) -> Tally:
    counts = {
        idea_id: (votes, flagged or 0)
        for idea_id, votes, flagged in db.session.execute(
            select(
                AudienceVote.idea_id,
                func.count(AudienceVote.id),
                func.count(AudienceVote.flag),
            )
            .where(AudienceVote.event_id == event.id)
            .group_by(AudienceVote.idea_id)
        )
    }
    rows = sorted(
        ((i.id, i.title, *counts.get(i.id, (0, 0))) for i in candidates(event)),
        key=lambda row: (-row[2], row[1]),
    )
    return Tally(tuple(rows), sum(r[2] for r in rows), sum(r[3] for r in rows))


def flagged_votes(event: Event, limit: int = 50) -> list[AudienceVote]:
    return list(
        db.session.scalars(
            select(AudienceVote)
            .where(AudienceVote.event_id == event.id, AudienceVote.flag.is_not(None))
            .order_by(AudienceVote.created_at.desc())
            .limit(limit)
        )
    )


def unused_codes(event: Event) -> list[AudienceCode]:
    """The codes not yet used, oldest first, at most one printed sheet's worth."""
    return list(
        db.session.scalars(
            select(AudienceCode)
            .where(AudienceCode.event_id == event.id, AudienceCode.used_at.is_(None))
            .order_by(AudienceCode.id)
            .limit(MAX_CODES_AT_ONCE)
        )
    )
