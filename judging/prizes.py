"""Special prizes: categories an organiser defines per event (best women-led project, youth, a
sector), won by the best-ranked ideas that qualify, from the same scores as the main ranking.

Who qualifies is read from the idea's team as `submissions.team.counts_of` counts it (the lead
and every member; young: under 35), the one owner of these figures. The winners are computed from a `Results` (provisional in deliberation, the frozen
version once validated or published): nothing of them is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from audit.services import record
from competitions.models import Event
from extensions import db
from fieldtypes import Choice, Text, parse_fields
from judging.models import SpecialPrize
from judging.services import JudgingError, check_unlocked
from judging.states import PrizeRule
from submissions.models import SECTORS, Idea
from submissions.team import TeamCounts, counts_of

RULE_LABELS = {
    PrizeRule.SECTOR: _l("Ideas of one sector"),
    PrizeRule.WOMEN_LED: _l("Women-led teams (at least half women)"),
    PrizeRule.YOUTH_LED: _l("Youth-led teams (at least half under 35)"),
}
PRIZE_FIELDS = {
    "name": Text.of(SpecialPrize.name, required=True),
    "name_ar": Text.of(SpecialPrize.name_ar, empty=None),
    "name_en": Text.of(SpecialPrize.name_en, empty=None),
    "rule": Choice(PrizeRule.values(), required=True),
    "sector": Choice(SECTORS),
}


def qualifies(prize: SpecialPrize, sector: str, team: TeamCounts | None) -> bool:
    """Whether an idea (its sector, its team's counts) competes for a prize."""
    if prize.rule == PrizeRule.SECTOR:
        return sector == prize.sector
    if team is None or team.members <= 0:
        return False
    count = team.women if prize.rule == PrizeRule.WOMEN_LED else team.youth
    return 2 * count >= team.members


def event_prizes(event: Event) -> list[SpecialPrize]:
    return list(
        db.session.scalars(
            select(SpecialPrize).where(SpecialPrize.event_id == event.id).order_by(SpecialPrize.id)
        )
    )


def add_prize(event: Event, raw: dict, by) -> SpecialPrize:
    """A new special prize; refused once the results are official (validated minutes)."""
    check_unlocked(event)
    values, errors = parse_fields(PRIZE_FIELDS, raw)
    if values.get("rule") == PrizeRule.SECTOR and not values.get("sector"):
        errors["sector"] = _l("Choose the prize's sector.")
    if errors:
        # The first field's message says what to fix (a flash shows one message).
        raise JudgingError(next(iter(errors.values())), errors=errors)
    if values["rule"] != PrizeRule.SECTOR:
        values["sector"] = None
    prize = SpecialPrize(event_id=event.id, **values)
    db.session.add(prize)
    db.session.flush()
    record("prize", prize.id, "add", by=by, event_id=event.id, new=values)
    return prize


def remove_prize(event: Event, prize_id: int | None, by) -> None:
    check_unlocked(event)
    prize = db.session.get(SpecialPrize, prize_id) if prize_id else None
    if prize is None or prize.event_id != event.id:
        raise JudgingError(_l("This prize does not exist."))
    record("prize", prize.id, "remove", by=by, event_id=event.id, old={"name": prize.name})
    db.session.delete(prize)
    db.session.flush()


@dataclass(frozen=True)
class PrizeOutcome:
    """A prize's winners (the best rank among the ideas that qualify; ties share it) and how
    many ranked ideas competed."""

    prize: SpecialPrize
    winners: tuple  # ResultRows
    competing: int


def prize_outcomes(event: Event, results) -> list[PrizeOutcome]:
    """Each prize of the event over these results' ranked rows (ideas read in one query)."""
    prizes = event_prizes(event)
    if not prizes or results is None:
        return []
    rows = list(results.ranked_rows)
    ids = [r.idea_id for r in rows]
    sectors = dict(db.session.execute(select(Idea.id, Idea.sector).where(Idea.id.in_(ids))).all())
    teams = counts_of(ids)
    outcomes = []
    for prize in prizes:
        competing = [
            r
            for r in rows
            if r.idea_id in sectors and qualifies(prize, sectors[r.idea_id], teams.get(r.idea_id))
        ]
        best = min((r.rank for r in competing), default=None)
        outcomes.append(
            PrizeOutcome(
                prize=prize,
                winners=tuple(r for r in competing if r.rank == best),
                competing=len(competing),
            )
        )
    return outcomes


def idea_prizes(event: Event, results, idea_id: int) -> list[SpecialPrize]:
    """The prizes an idea won in these results (its certificate names them)."""
    return [
        o.prize
        for o in prize_outcomes(event, results)
        if any(w.idea_id == idea_id for w in o.winners)
    ]
