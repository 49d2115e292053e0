"""The official results of events: the one place every other package reads them from.

A version of an event's results is made when the minutes are validated (`judging.deliberation`)
and becomes public when published; the **version in force** is the latest published, not voided
one. An amendment makes the next version, with its reason; earlier versions stay readable.
Readers (results page, minutes, ranking API, workbooks, the bank, the receipt look-up) call
`results_in_force`, `results_version`, `event_winners` or `idea_outcome`, never a live
recomputation; `provisional_results` is the live ranking, for organisers while no version exists.

Two figures, one name each: `score_100` ("Score /100", 50 + 10 × the mean z-score, clipped to
0–100) and `mean_z` ("Mean z-score"); `raw` is the mean of the judges' scores out of 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import NamedTuple

import numpy as np
from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.models import User
from competitions.models import Event
from extensions import db, driver_rows
from judging.freeze import pending_version, version_in_force
from judging.models import ResultEntry, ResultVersion, ScoreSheet, WinnerChoice
from judging.scoring import SheetArrays, sheet_score, tiebreak_criteria
from judging.services import (
    NOT_RANKED_LABELS,
    criterion_specs,
    deciding_rounds,
    deciding_rubric,
    rankings_for_events,
)
from judging.states import NotRanked, SheetState
from submissions.models import Idea

__all__ = [
    "FIGURE_LABELS", "NOT_RANKED_LABELS", "NotRanked", "Outcome", "ResultRow", "Results", "VersionInfo",
    "criterion_specs", "deciding_rubric", "default_winners", "event_winners", "idea_outcome", "pending_version",
    "provisional_results", "published_versions", "results_in_force", "results_in_force_of", "results_of_events",
    "results_published", "results_version", "sheet_comments", "sheet_score", "sheet_table", "SheetTable", "submitting_judges", "validated_results",
    "version_in_force",
]  # fmt: skip

# Sent (sender=event, version=number) when a version of an event's results becomes the one in
# force (first publication or a published amendment): copies of results elsewhere refresh.
results_published = Namespace().signal("results-published")

# One label per figure, the same on every page, workbook and API description.
FIGURE_LABELS = {
    "score_100": _l("Score /100"),
    "mean_z": _l("Mean z-score"),
    "raw": _l("Raw score /100"),
}
FIGURE_NOTES = {
    "score_100": "50 + 10 × mean_z, clipped to 0–100 (50 is a judge's average idea)",
    "mean_z": "mean of the judges' z-scores (each judge's marks centred on their own mean)",
    "raw": "mean of the judges' weighted scores, out of 100",
}


class ResultRow(NamedTuple):
    """One idea's line of an event's results (a tuple: it never changes once made, and is
    cheap to make by tens of thousands: a frozen dataclass took three times as long)."""

    idea_id: int
    receipt_code: str
    title: str
    sector: str | None
    rank: int | None
    is_winner: bool
    override_reason: str | None
    ranked: bool
    not_ranked_reason: str | None  # calibration, ineligible, duplicate, too_few_judges
    judges: int
    score_100: float | None
    mean_z: float | None
    raw: float | None
    rank_raw: int | None = None
    rank_normalised: int | None = None


@dataclass(frozen=True)
class Results:
    """An event's results: a version (number ≥ 1) or the live, provisional ranking (number None)."""

    event_id: int
    number: int | None
    method: str
    validated_at: datetime | None
    published_at: datetime | None
    reason: str | None  # the amendment's reason (None for v1)
    provisional: bool
    rows: tuple[ResultRow, ...]

    @property
    def winners(self) -> list[ResultRow]:
        return [row for row in self.rows if row.is_winner]

    @property
    def ranked_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.ranked]

    @property
    def amended(self) -> bool:
        return bool(self.number and self.number > 1)

    def row(self, idea_id: int) -> ResultRow | None:
        return next((row for row in self.rows if row.idea_id == idea_id), None)


@dataclass(frozen=True)
class VersionInfo:
    """A published version of an event's results, for the list of versions."""

    number: int
    published_at: datetime
    reason: str | None
    in_force: bool


@dataclass(frozen=True)
class Outcome:
    """What the version in force says of one idea."""

    event_id: int
    number: int
    published_at: datetime
    row: ResultRow


# --- Versions -----------------------------------------------------------------------------------


def _in_force_query(event_ids):
    return (
        select(ResultVersion)
        .where(
            ResultVersion.event_id.in_(list(event_ids)),
            ResultVersion.published_at.is_not(None),
            ResultVersion.voided_at.is_(None),
        )
        .order_by(ResultVersion.event_id, ResultVersion.number.desc())
    )


def _entry_rows(version_ids: list[int]) -> dict[int, list[ResultRow]]:
    query = (
        select(ResultEntry, Idea.receipt_code, Idea.title, Idea.sector)
        .join(Idea, Idea.id == ResultEntry.idea_id)
        .where(ResultEntry.version_id.in_(version_ids))
        .order_by(ResultEntry.ranked.desc(), ResultEntry.rank, Idea.id)
    )
    rows: dict[int, list[ResultRow]] = defaultdict(list)
    for entry, code, title, sector in db.session.execute(query):
        rows[entry.version_id].append(
            ResultRow(
                idea_id=entry.idea_id, receipt_code=code, title=title, sector=sector,
                rank=entry.rank, is_winner=entry.is_winner, override_reason=entry.override_reason,
                ranked=entry.ranked, not_ranked_reason=entry.not_ranked_reason,
                judges=entry.judges, score_100=entry.score_100, mean_z=entry.mean_z,
                raw=entry.raw, rank_raw=entry.rank_raw, rank_normalised=entry.rank_normalised,
            )
        )  # fmt: skip
    return rows


def _results(version: ResultVersion, rows: list[ResultRow]) -> Results:
    return Results(
        event_id=version.event_id,
        number=version.number,
        method=version.method,
        validated_at=version.validated_at,
        published_at=version.published_at,
        reason=version.reason,
        provisional=False,
        rows=tuple(rows),
    )


def _read(version: ResultVersion | None) -> Results | None:
    if version is None:
        return None
    return _results(version, _entry_rows([version.id])[version.id])


def results_in_force(event: Event) -> Results | None:
    """The official results of the event (latest published, not voided version), or None."""
    return _read(version_in_force(event))


def results_version(event: Event, number: int, *, published_only: bool = True) -> Results | None:
    """Version `number` of the event's results (published ones only, unless asked)."""
    query = select(ResultVersion).where(
        ResultVersion.event_id == event.id, ResultVersion.number == number
    )
    if published_only:
        query = query.where(ResultVersion.published_at.is_not(None))
    return _read(db.session.scalar(query))


def validated_results(event: Event) -> Results | None:
    """What the validated minutes hold: the version waiting for publication, else the one in
    force (the minutes show it)."""
    return _read(pending_version(event) or version_in_force(event))


def published_versions(event: Event) -> list[VersionInfo]:
    """Every published version of the event, newest first."""
    versions = list(
        db.session.scalars(
            select(ResultVersion)
            .where(ResultVersion.event_id == event.id, ResultVersion.published_at.is_not(None))
            .order_by(ResultVersion.number.desc())
        )
    )
    in_force = next((v.id for v in versions if v.voided_at is None), None)
    return [VersionInfo(v.number, v.published_at, v.reason, v.id == in_force) for v in versions]


def first_publications(event_ids) -> dict[int, datetime]:
    """{event_id: when its results were first published}: the start of the retention period of
    participants' personal data (`submissions.privacy.use_publication_dates`)."""
    rows = db.session.execute(
        select(ResultVersion.event_id, func.min(ResultVersion.published_at))
        .where(ResultVersion.event_id.in_(list(event_ids)), ResultVersion.published_at.is_not(None))
        .group_by(ResultVersion.event_id)
    )
    return {event_id: at for event_id, at in rows}


def event_winners(event: Event) -> list[ResultRow]:
    """Who won this event: the winners of the version in force, by rank (none before it)."""
    results = results_in_force(event)
    return results.winners if results else []


def idea_outcome(idea_id: int) -> Outcome | None:
    """The idea's line in the version in force of its event's results, or None."""
    event_id = db.session.scalar(select(Idea.event_id).where(Idea.id == idea_id))
    if event_id is None:
        return None
    version = db.session.scalar(_in_force_query([event_id]).limit(1))
    if version is None:
        return None
    row = next((r for r in _entry_rows([version.id])[version.id] if r.idea_id == idea_id), None)
    if row is None:
        return None
    return Outcome(version.event_id, version.number, version.published_at, row)


def results_in_force_of(events: list[Event]) -> dict[int, Results]:
    """{event_id: its results in force} for the events that have some (two queries, whatever
    the number of events)."""
    found: dict[int, ResultVersion] = {}
    for version in db.session.scalars(_in_force_query([e.id for e in events])):
        found.setdefault(version.event_id, version)
    rows = _entry_rows([v.id for v in found.values()]) if found else {}
    return {eid: _results(v, rows.get(v.id, [])) for eid, v in found.items()}


def results_of_events(
    events: list[Event], *, keep: bool = True, sheets: dict[int, SheetTable] | None = None
) -> dict[int, Results]:
    """For each event: its results in force, else its provisional results (reports on a whole
    tour: two queries for the published ones, one ranking query for the others). `keep=False`:
    the sheets read are not kept for the next ranking (an export reads each event once);
    `sheets`: events' sheets already read (`sheet_table`), ranked as they are, not read again."""
    events = list(events)
    results = results_in_force_of(events)
    live = [e for e in events if e.id not in results]
    results.update(_provisional(live, keep=keep, sheets=sheets))
    return results


# --- Live (provisional) results --------------------------------------------------------------


def provisional_results(event: Event) -> Results:
    """The live ranking with the winners chosen so far (the top N when none is chosen): for
    organisers during deliberation, and for the snapshot taken when the minutes are validated."""
    return _provisional([event])[event.id]


def _provisional(
    events: list[Event], *, keep: bool = True, sheets: dict[int, SheetTable] | None = None
) -> dict[int, Results]:
    if not events:
        return {}
    given = {
        event_id: (table.specs, table.arrays())
        for event_id, table in (sheets or {}).items()
        if any(e.id == event_id for e in events)
    }
    rankings = rankings_for_events(events, keep=keep, sheets=given)
    choices: dict[int, dict[int, str | None]] = defaultdict(dict)
    for event_id, idea_id, reason in db.session.execute(
        select(WinnerChoice.event_id, WinnerChoice.idea_id, WinnerChoice.override_reason).where(
            WinnerChoice.event_id.in_([e.id for e in events])
        )
    ):
        choices[event_id][idea_id] = reason
    results = {}
    for event in events:
        ranking = rankings[event.id]
        chosen = choices.get(event.id)
        if chosen is None:
            chosen = dict.fromkeys(default_winners(ranking["ideas"], event.winners_count))
        results[event.id] = Results(
            event_id=event.id,
            number=None,
            method=ranking["method"],
            validated_at=None,
            published_at=None,
            reason=None,
            provisional=True,
            rows=tuple(
                ResultRow(
                    idea_id=r["idea_id"], receipt_code=r["receipt_code"], title=r["title"],
                    sector=r["sector"], rank=r["rank"], is_winner=r["idea_id"] in chosen,
                    override_reason=chosen.get(r["idea_id"]), ranked=r["ranked"],
                    not_ranked_reason=r["reason"], judges=r["judges"],
                    score_100=r["score_100"], mean_z=r["mean_z"], raw=r["raw"],
                    rank_raw=r["rank_raw"], rank_normalised=r["rank_normalised"],
                )
                for r in sorted(ranking["ideas"], key=_rank_order)
            ),
        )  # fmt: skip
    return results


def _rank_order(row: dict) -> tuple:
    """Ranked ideas by rank, then the others (the order of every reader)."""
    return (not row["ranked"], row["rank"] or 0, row["idea_id"])


def default_winners(rows, winners_count: int) -> list[int]:
    """The top N ranked ideas (ties at the N-th place all included); rows are ranking dicts or
    ResultRows."""

    def get(row, name):
        return row[name] if isinstance(row, dict) else getattr(row, name)

    return [get(r, "idea_id") for r in rows if get(r, "ranked") and get(r, "rank") <= winners_count]


# --- The jury's sheets behind the results (reports show them beside the ranking) ---------------


@dataclass(frozen=True)
class SheetTable:
    """An event's submitted sheets of its deciding round as one float table, a row per sheet,
    by idea then judge: idea, judge, S_ij, then the sheet's marks in `specs` order, as the
    sheet kept them when it was submitted (`judging.services.seal_sheet`)."""

    specs: tuple
    rows: np.ndarray

    def arrays(self) -> SheetArrays:
        """The columns the ranking reads (its tie-break marks taken from the marks)."""
        position = {spec.id: 3 + k for k, spec in enumerate(self.specs)}
        tiebreaks = [position[spec.id] for spec in tiebreak_criteria(self.specs)]
        return SheetArrays(
            idea_ids=self.rows[:, 0].astype(np.int64),
            judge_ids=self.rows[:, 1].astype(np.int64),
            scores=self.rows[:, 2].copy(),
            tiebreaks=self.rows[:, tiebreaks],
        )


def sheet_table(event_id: int, specs) -> SheetTable:
    """The event's `SheetTable` for its deciding rubric's `specs` (`criterion_specs`): one
    query, no score rows read, the driver's tuples taken a block at a time into the table (a
    whole-tour export holds one event's sheets at a time). A provisional ranking given it
    (`results_of_events(sheets=...)`) does not read the sheets again."""
    specs = tuple(specs)
    width = 3 + len(specs)
    if not specs:
        return SheetTable(specs, np.empty((0, width)))
    query = (
        select(
            ScoreSheet.idea_id,
            ScoreSheet.judge_id,
            ScoreSheet.score,
            *(ScoreSheet.marks[str(c.id)].as_float() for c in specs),
        )
        .where(
            ScoreSheet.event_id == event_id,
            ScoreSheet.status == SheetState.SUBMITTED,
            deciding_rounds([event_id]),
            ScoreSheet.score.is_not(None),
        )
        .order_by(ScoreSheet.idea_id, ScoreSheet.judge_id)
    )
    rows = np.fromiter(chain.from_iterable(driver_rows(query)), dtype=np.float64)
    return SheetTable(specs, rows.reshape(-1, width))


def sheet_comments(event_id: int) -> Iterator[tuple[int, str, str]]:
    """(idea, judge name, comment) of an event's submitted sheets, by idea then judge name (one
    query, one event's rows at a time)."""
    query = (
        select(ScoreSheet.idea_id, User.name, ScoreSheet.comment)
        .join(User, User.id == ScoreSheet.judge_id)
        .where(
            ScoreSheet.event_id == event_id,
            ScoreSheet.status == SheetState.SUBMITTED,
            deciding_rounds([event_id]),
            ScoreSheet.comment != "",
        )
        .order_by(ScoreSheet.idea_id, User.name)
    )
    yield from driver_rows(query)


def submitting_judges(event_ids: list[int]) -> list[tuple[int, int, str]]:
    """(event, judge, name) of everyone with a submitted sheet in these events, by name: the
    judges found among the sheets first, then named (a join beside each of 252,000 sheets at
    ten times the tour cost four times as much)."""
    found = (
        select(ScoreSheet.event_id, ScoreSheet.judge_id)
        .where(
            ScoreSheet.event_id.in_(event_ids),
            ScoreSheet.status == SheetState.SUBMITTED,
            deciding_rounds(event_ids),
        )
        .distinct()
        .subquery()
    )
    return db.session.execute(
        select(found.c.event_id, User.id, User.name)
        .join(User, User.id == found.c.judge_id)
        .order_by(found.c.event_id, User.name, User.id)
    ).all()
