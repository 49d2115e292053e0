"""Gather the rankings workbook's rows from the database and hand them to `exports.rankings`.

The export streams: its memory does not grow with the tour. Events are gathered one after the
other, each with a few queries (its results through `judging.results.results_of_events`, its
ideas, its submitted marks and its comments, the last two read as they come from a server-side
cursor); an event's marks are reduced to each idea's figures as they arrive, and its rows are
written, then dropped, before the next event is read. The summary sheet comes first in the
workbook but is filled last, from the counts kept along the way, plus one grouped query for the
breakdowns.

Published events show their results in force (what was announced); others show the live,
provisional ranking and the winners chosen so far in deliberation. Judging is read only through
`judging.results`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from accounts.models import User
from competitions.models import Competition, Event, JuryMember
from competitions.services import get_event
from competitions.states import RankingMethod
from exports.rankings import (
    Breakdown,
    EventBlock,
    EventSummary,
    IdeaRow,
    SummaryPart,
    write_rankings_workbook,
)
from extensions import db
from i18n import current_language, event_city
from judging.results import (
    FIGURE_LABELS,
    NOT_RANKED_LABELS,
    NotRanked,
    Results,
    SheetTable,
    criterion_specs,
    deciding_rubric,
    results_of_events,
    sheet_comments,
    sheet_table,
    submitting_judges,
)
from places.reference import place_name
from refusals import NotFound
from submissions.fields import AGE_LABELS, GENDER_LABELS, SECTOR_LABELS, STATUS_LABELS
from submissions.models import Idea
from submissions.privacy import redact_contacts
from submissions.questions import answers_of, questions_of, shown_answer
from submissions.team import counts_of

METHOD_LABELS = {
    RankingMethod.RAW: _l("Raw scores"),
    RankingMethod.NORMALISED: _l("Normalised scores"),
}


class ReportError(NotFound):
    """A user-facing reason why an export cannot be made (unknown event, empty tour…)."""


def labels() -> dict:
    """The workbook's words in the current language (keys of exports.rankings.DEFAULT_LABELS)."""
    return {
        "workbook_title": _("Idea competition rankings"),
        "summary": _("Summary"),
        "jury_suffix": " - " + _("Jury"),
        "comments": _("Comments"),
        "event": _("Event"),
        "date": _("Date"),
        "state": _("State"),
        "received": _("Ideas received"),
        "eligible": _("Eligible"),
        "ranked": _("Ranked"),
        "winners": _("Winners"),
        "budget_total": _("Total budget (MAD)"),
        "total": _("Tour total"),
        "share": _("Share"),
        "rank": _("Rank"),
        "receipt_code": _("Receipt code"),
        "title": _("Title"),
        "sector": _("Sector"),
        "province": _("Province"),
        "team_lead": _("Team lead"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "budget": _("Budget (MAD)"),
        "raw": str(FIGURE_LABELS["raw"]),
        "score_100": str(FIGURE_LABELS["score_100"]),
        "mean_z": str(FIGURE_LABELS["mean_z"]),
        "method": _("Method"),
        "judges_count": _("Judges"),
        "winner": _("Winner"),
        "override_reason": _("Reason (chosen outside the top)"),
        "not_ranked_reason": _("Not ranked because"),
        "judge": _("Judge"),
        "comment": _("Comment"),
        "mean": _("Mean"),
        "yes": _("Yes"),
        "no": _("No"),
        "members": _("Team members"),
        "women": _("Women"),
        "youth": _("Under 35"),
    }


# --- Which events ---------------------------------------------------------------------------------


def event_by_slug(slug: str) -> Event:
    event = get_event(slug)
    if event is None:
        raise ReportError(_l("No event with the address “%(slug)s”.", slug=slug))
    return event


def tour_events(competition_slug: str | None = None) -> list[Event]:
    """The events of a tour in tour order (the latest competition when none is named)."""
    query = select(Competition)
    if competition_slug:
        query = query.where(Competition.slug == competition_slug)
    else:
        query = query.order_by(Competition.year.desc(), Competition.id.desc()).limit(1)
    competition = db.session.scalar(query)
    if competition is None:
        if competition_slug:
            raise ReportError(_l("No tour with the address “%(slug)s”.", slug=competition_slug))
        raise ReportError(_l("There is no tour to export yet."))
    if not competition.events:
        raise ReportError(_l("There is no tour to export yet."))
    return list(competition.events)


# --- The workbook ---------------------------------------------------------------------------------


def write_workbook(
    path, events: list[Event], locale: str = "fr", *, include_personal: bool = False, progress=None
) -> None:
    """Write the rankings workbook of these events to `path`, in `locale`.

    `include_personal` adds the team lead's phone and e-mail (organisers' exports only).
    `progress(percent)` is called as the events are written.
    """
    events = list(events)
    with force_locale(locale):
        words = labels()
        tally = _Tally()
        total = max(len(events), 1)
        write_rankings_workbook(
            path,
            summary=lambda: _summary(events, tally),
            events=_event_blocks(events, tally, locale, include_personal),
            labels=words,
            language=locale,
            include_personal=include_personal,
            subject=", ".join(str(e.competition.name_in(locale)) for e in events[:1]),
            progress=(lambda done: progress(int(100 * done / total))) if progress else None,
        )


def write_event_workbook(path, event: Event, locale: str = "fr", **kwargs) -> None:
    """One event's workbook (the event page's download)."""
    write_workbook(path, [event], locale, **kwargs)


def write_tour_workbook(path, locale: str = "fr", *, include_personal: bool = False) -> None:
    """The whole tour's workbook (the latest competition): the benchmark's entry point."""
    write_workbook(path, tour_events(), locale, include_personal=include_personal)


def _notes(events: list[Event]) -> list[str]:
    if len(events) < 2 and not any(e.is_final for e in events):
        return []
    return [
        _(
            "The national ranking comes from the national final only. Each city has its own "
            "jury, so scores are comparable within an event, never across cities."
        )
    ]


@dataclass
class _Tally:
    """What the summary needs, kept as each event is written: its line, the tour's totals (an
    idea carried to the national final counted once, as the stop's idea it came from) and the
    winners (stops' ideas)."""

    lines: dict = field(default_factory=dict)
    totals: list = field(default_factory=lambda: [0, 0, 0, 0, 0])
    winners: set = field(default_factory=set)

    def add(self, event: Event, official: Results, ideas: dict) -> None:
        """The event's line and its share of the totals, in one pass over its results (its
        calibration idea left out: it is the jury's warm-up, not an idea of the tour)."""
        received = eligible = ranked = winners = 0
        new = [0, 0, 0]  # received, eligible, ranked: the stops' own ideas (none carried)
        for row in official.rows:
            if row.not_ranked_reason == NotRanked.CALIBRATION:
                continue
            counted = row.not_ranked_reason not in NotRanked.EXCLUDED
            received += 1
            eligible += counted
            ranked += row.ranked
            if row.is_winner:
                winners += 1
                self.winners.add(_origin(ideas, row.idea_id))
            idea = ideas.get(row.idea_id)
            if idea is not None and not idea.is_calibration and idea.carried_from_id is None:
                new[0] += 1
                new[1] += counted
                new[2] += row.ranked
        budget = own_budget = 0
        for idea in ideas.values():
            if not idea.is_calibration:
                budget += idea.budget_mad or 0
                if idea.carried_from_id is None:
                    own_budget += idea.budget_mad or 0
        self.lines[event.id] = EventSummary(
            name=_event_name(event),
            date=event.date,
            state=_state_label(event.state),
            received=received,
            eligible=eligible,
            ranked=ranked,
            winners=winners,
            budget_total=budget,
        )
        for k in range(3):
            self.totals[k] += new[k]
        self.totals[4] += own_budget


def _summary(events: list[Event], tally: _Tally) -> SummaryPart:
    """The summary sheet's contents, once every event is written."""
    totals = [*tally.totals[:3], len(tally.winners), tally.totals[4]]
    return SummaryPart(
        lines=[tally.lines[e.id] for e in events if e.id in tally.lines],
        breakdowns=_breakdowns([e.id for e in events], tally.winners),
        notes=_notes(events),
        totals=totals,
    )


def _origin(ideas: dict, idea_id: int) -> int:
    """The stop's idea a finalist was carried from (itself otherwise)."""
    row = ideas.get(idea_id)
    return row.carried_from_id if row is not None and row.carried_from_id else idea_id


class _PlaceNames:
    """Places named in a language (Arabic names in an Arabic workbook), each looked up once:
    the breakdowns read their labels with `.get(value, value)` in the current language, the
    sheets with `named(code, language)`."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}

    def named(self, code: str | None, language: str) -> str:
        if not code:
            return ""
        name = self._names.get((code, language))
        if name is None:
            name = self._names[(code, language)] = place_name(code, language)
        return name

    def get(self, code: str, default=None) -> str:
        return self.named(code, current_language()) if code else default


PLACE_NAMES = _PlaceNames()

BREAKDOWNS = (
    ("sector", Idea.sector, SECTOR_LABELS, _l("By sector")),
    ("region", Idea.region_code, PLACE_NAMES, _l("By region")),
    ("gender", Idea.lead_gender, GENDER_LABELS, _l("By gender of the team lead")),
    ("age", Idea.lead_age_bracket, AGE_LABELS, _l("By age of the team lead")),
    ("status", Idea.lead_status, STATUS_LABELS, _l("By status of the team lead")),
)


def _breakdowns(event_ids: list[int], winner_ids: set[int]) -> list[Breakdown]:
    """Ideas and winners by sector, region, gender, age and status: one grouped query. An idea
    carried to the national final is counted once, as the stop's idea (`winner_ids` name those)."""
    attributes = [column for _key, column, _labels, _title in BREAKDOWNS]
    is_winner = case((Idea.id.in_(winner_ids), 1), else_=0) if winner_ids else 0
    query = (
        select(*attributes, func.count(Idea.id), func.sum(is_winner))
        .where(
            Idea.event_id.in_(event_ids),
            Idea.is_calibration.is_(False),
            Idea.carried_from_id.is_(None),
        )
        .group_by(*attributes)
    )
    totals = [defaultdict(lambda: [0, 0]) for _ in BREAKDOWNS]
    for row in db.session.execute(query):
        ideas, winners = row[-2], int(row[-1] or 0)
        for k, value in enumerate(row[: len(BREAKDOWNS)]):
            totals[k][value][0] += ideas
            totals[k][value][1] += winners
    unknown = _("Not given")
    result = []
    for (_key, _column, names, title), counted in zip(BREAKDOWNS, totals, strict=True):
        rows = [
            (
                str(names.get(value, value)) if names and value else (value or unknown),
                ideas,
                winners,
            )
            for value, (ideas, winners) in counted.items()
        ]
        rows.sort(key=lambda r: (-r[1], r[0]))
        result.append(Breakdown(str(title), rows))
    return result


def _state_label(state: str) -> str:
    """The event state in the tour's words (its labels live in competitions.services)."""
    from competitions.services import STATE_LABELS

    return str(STATE_LABELS.get(state, state))


def _event_name(event: Event) -> str:
    """A stop by its city; the national final as such (never a second row of its host city)."""
    return _("National final") if event.is_final else str(event_city(event))


# --- Each event's sheets ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """Labels translated once per value, in the workbook's language."""

    sector: Callable[[str], str]
    not_ranked: Callable[[str], str]
    place: Callable[[str | None], str]


def _event_blocks(events, tally: _Tally, locale, include_personal) -> list[EventBlock]:
    """Each event's sheets: names, criteria and judges now (the sheets are opened first), the
    rows when the writer reaches the event (`_idea_rows`: that event's queries, then its rows)."""
    judges = _judges([e.id for e in events])
    language = current_language()
    words = _Words(
        sector=_translated(SECTOR_LABELS),
        not_ranked=_translated(NOT_RANKED_LABELS),
        place=lambda code: PLACE_NAMES.named(code, language),
    )
    blocks = []
    for event in events:
        rubric = deciding_rubric(event)  # the pitch round's, once it has started
        criteria = list(rubric.criteria) if rubric else []
        block = EventBlock(
            name=_event_name(event),
            method="",
            criteria=[str(c.name_in(locale)) or c.key for c in criteria],
            judges=[name for _id, name in judges[event.id]],
            questions=[str(q.wording_in(locale)) for q in _questions(event.id)],
        )
        jury = _Jury(criteria, criterion_specs(rubric), judges[event.id])
        block.ideas = _idea_rows(block, event, jury, tally, words, include_personal)
        blocks.append(block)
    return blocks


@dataclass(frozen=True)
class _Jury:
    """An event's jury behind its ranking: the rubric's criteria (and their specs) and the
    judges in column order."""

    criteria: list
    specs: list
    judges: list[tuple[int, str]]


def _translated(labels: dict):
    """`str(labels.get(value, value))` in the current language, translated once per value."""
    memo: dict = {}

    def label(value) -> str:
        if value not in memo:
            memo[value] = str(labels.get(value, value))
        return memo[value]

    return label


def _judges(event_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each event's jury (panel order), plus anyone else who submitted a sheet there (a judge
    taken off the jury whose submitted sheets were kept): two queries."""
    juries: dict[int, list[tuple[int, str]]] = {event_id: [] for event_id in event_ids}
    for event_id, user_id, name in db.session.execute(
        select(JuryMember.event_id, User.id, User.name)
        .join(JuryMember, JuryMember.user_id == User.id)
        .where(JuryMember.event_id.in_(event_ids))
        .order_by(JuryMember.event_id, JuryMember.panel, User.name, User.id)
    ):
        juries[event_id].append((user_id, name))
    seated = {(event_id, user_id) for event_id, members in juries.items() for user_id, _ in members}
    for event_id, user_id, name in submitting_judges(event_ids):
        if (event_id, user_id) not in seated:
            juries[event_id].append((user_id, name))
    return juries


def _ideas(event_id: int, include_personal: bool) -> dict:
    """{idea id: row} of the columns the sheets and the summary need, for one event."""
    columns = [
        Idea.id, Idea.receipt_code, Idea.title, Idea.sector, Idea.province_code, Idea.lead_name,
        Idea.budget_mad, Idea.carried_from_id, Idea.is_calibration,
    ]  # fmt: skip
    if include_personal:
        columns += [Idea.lead_phone, Idea.lead_email]
    return {
        row.id: row for row in db.session.execute(select(*columns).where(Idea.event_id == event_id))
    }


def _questions(event_id: int) -> list:
    """The event's questions, those on its form in order, then the archived ones (answers kept)."""
    return questions_of(event_id) + questions_of(event_id, archived=True)


def _answers(event_id: int, locale: str, include_personal: bool) -> dict:
    """{idea id: [answer text per question]} of the event's ideas; contact details typed in an
    answer are redacted from a workbook without personal data."""
    asked = _questions(event_id)
    given = answers_of(select(Idea.id).where(Idea.event_id == event_id))
    clean = (lambda text: text) if include_personal else redact_contacts
    return {
        idea_id: [clean(shown_answer(q, given.get(idea_id, {}).get(q.id), locale)) for q in asked]
        for idea_id in given
    }


def _figures(sheets: SheetTable, jury: _Jury) -> dict[int, tuple]:
    """{idea: (criterion means, judges' scores in jury order, None where none)}: the event's
    sheets (one row each, S_ij and its marks, by idea) reduced as columns."""
    table = sheets.rows
    if not len(table):
        return {}
    ideas = table[:, 0].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, ideas[1:] != ideas[:-1]])  # each idea's first sheet
    counts = np.diff(np.r_[starts, len(ideas)])
    means = np.add.reduceat(table[:, 3:], starts, axis=0) / counts[:, None]
    scores = np.full((len(starts), len(jury.judges)), np.nan)
    if jury.judges:
        panel = np.array([judge_id for judge_id, _name in jury.judges], dtype=np.int64)
        order = np.argsort(panel)
        judges = table[:, 1].astype(np.int64)
        at = np.minimum(np.searchsorted(panel[order], judges), len(panel) - 1)
        seated = panel[order][at] == judges
        row_of = np.repeat(np.arange(len(starts)), counts)
        scores[row_of[seated], order[at[seated]]] = table[seated, 2]
    return {
        idea_id: (tuple(mean), tuple(None if v != v else v for v in score))
        for idea_id, mean, score in zip(
            ideas[starts].tolist(), means.tolist(), scores.tolist(), strict=True
        )
    }


def _idea_rows(
    block: EventBlock, event: Event, jury: _Jury, tally: _Tally, words: _Words,
    include_personal: bool,
) -> Iterator[IdeaRow]:  # fmt: skip
    """The event's ideas in rank order (then the ideas not ranked), as the results hold them;
    its queries run when the writer reaches the event, and its comments follow its ideas."""
    sheets = sheet_table(event.id, jury.specs)  # read once: the figures and the ranking
    official = results_of_events([event], keep=False, sheets={event.id: sheets})[event.id]
    block.method = str(METHOD_LABELS.get(official.method, official.method))
    ideas = _ideas(event.id, include_personal)
    tally.add(event, official, ideas)
    figures = _figures(sheets, jury)
    del sheets
    teams = counts_of(select(Idea.id).where(Idea.event_id == event.id))
    answers = _answers(event.id, current_language(), include_personal)
    block.comments = (
        (ideas[idea_id].receipt_code, ideas[idea_id].title, judge, text)
        for idea_id, judge, text in sheet_comments(event.id)
        if idea_id in ideas
    )
    no_figures = ((), ())
    for result in official.rows:
        idea = ideas.get(result.idea_id)
        if idea is None:
            continue
        means, scores = figures.get(result.idea_id, no_figures)
        team = teams.get(idea.id)
        reason = result.not_ranked_reason if not result.ranked else None
        yield IdeaRow(
            rank=result.rank,
            receipt_code=idea.receipt_code,
            title=idea.title,
            sector=words.sector(idea.sector),
            province=words.place(idea.province_code),
            lead_name=idea.lead_name,
            budget=idea.budget_mad,
            raw=result.raw,
            score_100=result.score_100,
            mean_z=result.mean_z,
            criterion_means=means or [None] * len(jury.criteria),
            judges=result.judges,
            winner=result.is_winner,
            override_reason=result.override_reason if result.is_winner else None,
            not_ranked_reason=words.not_ranked(reason) if reason else None,
            judge_scores=scores or [None] * len(jury.judges),
            lead_phone=idea.lead_phone if include_personal else None,
            lead_email=idea.lead_email if include_personal else None,
            members=team.members if team else None,
            women=team.women if team else None,
            youth=team.youth if team else None,
            answers=answers.get(idea.id, ()),
        )


# --- Background export (the jobs package's registry) ----------------------------------------------


def export_builder(path, params: dict, locale: str, progress) -> None:
    """Build a rankings workbook for the jobs package: params {"event": slug} or {"all": True},
    optional "competition" slug and "personal" (organisers' exports)."""
    if params.get("event"):
        events = [event_by_slug(params["event"])]
    else:
        events = tour_events(params.get("competition"))
    write_workbook(
        path, events, locale, include_personal=bool(params.get("personal")), progress=progress
    )
