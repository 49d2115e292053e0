"""Gather the rankings workbook's rows from the database and hand them to `exports.rankings`.

Queries: a handful for the whole export, whatever the number of events: the summary's (idea
counts, breakdowns, winners, results, and the live rankings through
`judging.services.rankings_for_events`, one query for every event's scores), then four for the
events' sheets (submitted marks, juries, ideas, comments). The marks are held for the whole tour
(about 150,000 for 12 events of 300 ideas, a few tens of MB); the rows are written as they are
made.

Published events show their frozen results (`ResultEntry`: what was announced); others show the
live ranking and the winners chosen so far in deliberation (`WinnerChoice`).
"""

from collections import defaultdict
from collections.abc import Iterator

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
    write_rankings_workbook,
)
from extensions import db
from i18n import event_city, localized
from judging import scoring
from judging.models import ResultEntry, Score, ScoreSheet, WinnerChoice
from judging.services import NOT_RANKED_LABELS, criterion_specs, rankings_for_events
from judging.states import SheetState
from refusals import NotFound
from submissions.fields import AGE_LABELS, GENDER_LABELS, SECTOR_LABELS, STATUS_LABELS
from submissions.models import Idea
from submissions.states import Eligibility

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
        "raw_score": _("Raw score (0–100)"),
        "normalised_score": _("Normalised score (0–100)"),
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
        summary, breakdowns, results, choices, rankings = _gather_summary(events)
        notes = _notes(events)
        total = max(len(events), 1)
        write_rankings_workbook(
            path,
            summary=summary,
            breakdowns=breakdowns,
            notes=notes,
            events=_event_blocks(events, rankings, results, choices, locale, include_personal),
            labels=words,
            language=locale,
            include_personal=include_personal,
            subject=", ".join(e.competition.name for e in events[:1]),
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


def _winners(results, choices, event_id) -> dict[int, str | None]:
    """{idea id: override reason} of the event's winners (frozen results first)."""
    if results.get(event_id):
        return {i: r.override_reason for i, r in results[event_id].items() if r.is_winner}
    return dict(choices.get(event_id, {}))


def _gather_summary(events: list[Event]):
    ids = [e.id for e in events]
    rankings = rankings_for_events(events)
    results: dict[int, dict] = defaultdict(dict)
    # Plain rows, not ORM objects: a background job commits its progress between events, which
    # would expire objects and reload them one by one.
    frozen = select(
        ResultEntry.event_id, ResultEntry.idea_id, ResultEntry.rank, ResultEntry.raw_score,
        ResultEntry.normalised_100, ResultEntry.judges, ResultEntry.ranked,
        ResultEntry.not_ranked_reason, ResultEntry.is_winner, ResultEntry.override_reason,
        ResultEntry.method,
    ).where(ResultEntry.event_id.in_(ids))  # fmt: skip
    for row in db.session.execute(frozen):
        results[row.event_id][row.idea_id] = row
    choices: dict[int, dict] = defaultdict(dict)
    for event_id, idea_id, reason in db.session.execute(
        select(WinnerChoice.event_id, WinnerChoice.idea_id, WinnerChoice.override_reason).where(
            WinnerChoice.event_id.in_(ids)
        )
    ):
        choices[event_id][idea_id] = reason
    winner_ids = {i for e in ids for i in _winners(results, choices, e)}

    received = Idea.is_calibration.is_(False)
    eligible = (Idea.eligibility == Eligibility.ELIGIBLE) & Idea.duplicate_of_id.is_(None)
    counts = {
        row.event_id: row
        for row in db.session.execute(
            select(
                Idea.event_id,
                func.count(Idea.id).label("received"),
                func.sum(case((eligible, 1), else_=0)).label("eligible"),
                func.sum(Idea.budget_mad).label("budget"),
            )
            .where(Idea.event_id.in_(ids), received)
            .group_by(Idea.event_id)
        )
    }
    summary = []
    for event in events:
        row = counts.get(event.id)
        if results.get(event.id):
            ranked = sum(1 for r in results[event.id].values() if r.ranked)
        else:
            ranked = sum(1 for i in rankings[event.id]["ideas"] if i["ranked"])
        summary.append(
            EventSummary(
                name=_event_name(event),
                date=event.date,
                state=_state_label(event.state),
                received=row.received if row else 0,
                eligible=int(row.eligible or 0) if row else 0,
                ranked=ranked,
                winners=len(_winners(results, choices, event.id)),
                budget_total=int(row.budget or 0) if row else 0,
            )
        )
    return summary, _breakdowns(ids, winner_ids), results, choices, rankings


BREAKDOWNS = (
    ("sector", Idea.sector, SECTOR_LABELS, _l("By sector")),
    ("region", Idea.region, None, _l("By region")),
    ("gender", Idea.lead_gender, GENDER_LABELS, _l("By gender of the team lead")),
    ("age", Idea.lead_age_bracket, AGE_LABELS, _l("By age of the team lead")),
    ("status", Idea.lead_status, STATUS_LABELS, _l("By status of the team lead")),
)


def _breakdowns(event_ids: list[int], winner_ids: set[int]) -> list[Breakdown]:
    """Ideas and winners by sector, region, gender, age and status: one grouped query."""
    attributes = [column for _key, column, _labels, _title in BREAKDOWNS]
    is_winner = case((Idea.id.in_(winner_ids), 1), else_=0) if winner_ids else 0
    query = (
        select(*attributes, func.count(Idea.id), func.sum(is_winner))
        .where(Idea.event_id.in_(event_ids), Idea.is_calibration.is_(False))
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
    city = event_city(event)
    return _("National final") if event.is_final and not city else city


# --- Each event's sheets ------------------------------------------------------------------------


def _event_blocks(events, rankings, results, choices, locale, include_personal) -> Iterator:
    """The events' sheets, gathered for all of them at once: four queries (marks, juries, ideas,
    comments) whatever the number of events, instead of three or four per event."""
    ids = [e.id for e in events]
    specs = {e.id: criterion_specs(e.rubric) for e in events}
    marks = _marks(ids, specs)
    judges = _judges(ids, marks)
    ideas = _ideas(ids, include_personal)
    comments = _comments(ids)
    sector = _translated(SECTOR_LABELS)
    not_ranked = _translated(NOT_RANKED_LABELS)
    for event in events:
        frozen, ranking = results.get(event.id), rankings[event.id]
        rubric = event.rubric
        criteria = list(rubric.criteria) if rubric else []
        method = (next(iter(frozen.values())).method if frozen else None) or ranking["method"]
        yield EventBlock(
            name=_event_name(event),
            method=str(METHOD_LABELS.get(method, method)),
            criteria=[localized(c.name, locale) or c.key for c in criteria],
            judges=[name for _id, name in judges[event.id]],
            ideas=_idea_rows(
                ranking, frozen, _winners(results, choices, event.id), ideas[event.id], comments,
                criteria,
                specs[event.id], marks[event.id], judges[event.id], sector, not_ranked,
                include_personal,
            ),
        )  # fmt: skip


def _translated(labels: dict):
    """`str(labels.get(value, value))` in the current language, translated once per value."""
    memo: dict = {}

    def label(value) -> str:
        if value not in memo:
            memo[value] = str(labels.get(value, value))
        return memo[value]

    return label


def _marks(event_ids: list[int], specs: dict) -> dict[int, dict[int, dict[int, dict]]]:
    """{event: {idea: {judge: {criterion: mark}}}} of the submitted sheets, complete sheets
    only (one query for every event)."""
    marks: dict[int, dict] = {event_id: defaultdict(dict) for event_id in event_ids}
    query = (
        select(
            ScoreSheet.event_id, ScoreSheet.idea_id, ScoreSheet.judge_id, Score.criterion_id,
            Score.value,
        )
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .where(ScoreSheet.event_id.in_(event_ids), ScoreSheet.status == SheetState.SUBMITTED)
    )  # fmt: skip
    # Core rows, read as they come (no ORM loading, no list of the whole tour's rows).
    rows = db.session.connection().execute(query.execution_options(stream_results=True))
    for event_id, idea_id, judge_id, criterion_id, value in rows:
        marks[event_id][idea_id].setdefault(judge_id, {})[criterion_id] = value
    for event_id, per_idea in marks.items():
        wanted = {c.id for c in specs[event_id]}
        for per_judge in per_idea.values():
            for judge_id in [j for j, values in per_judge.items() if not wanted <= values.keys()]:
                del per_judge[judge_id]
    return marks


def _judges(event_ids: list[int], marks) -> dict[int, list[tuple[int, str]]]:
    """Each event's jury (panel order), plus anyone else who submitted a sheet there."""
    juries: dict[int, list[tuple[int, str]]] = {event_id: [] for event_id in event_ids}
    for event_id, user_id, name in db.session.execute(
        select(JuryMember.event_id, User.id, User.name)
        .join(JuryMember, JuryMember.user_id == User.id)
        .where(JuryMember.event_id.in_(event_ids))
        .order_by(JuryMember.event_id, JuryMember.panel, User.name, User.id)
    ):
        juries[event_id].append((user_id, name))
    others = {
        event_id: {j for per_judge in marks[event_id].values() for j in per_judge}
        - {user_id for user_id, _name in juries[event_id]}
        for event_id in event_ids
    }
    wanted = set().union(*others.values())
    if wanted:
        names = db.session.execute(
            select(User.id, User.name).where(User.id.in_(wanted)).order_by(User.name)
        ).all()
        for event_id in event_ids:
            juries[event_id] += [(i, name) for i, name in names if i in others[event_id]]
    return juries


def _ideas(event_ids: list[int], include_personal: bool) -> dict[int, dict]:
    """{event: {idea id: row}} of the columns the sheets show (one query)."""
    columns = [
        Idea.id, Idea.event_id, Idea.receipt_code, Idea.title, Idea.sector, Idea.province,
        Idea.lead_name, Idea.budget_mad,
    ]  # fmt: skip
    if include_personal:
        columns += [Idea.lead_phone, Idea.lead_email]
    ideas: dict[int, dict] = {event_id: {} for event_id in event_ids}
    for row in db.session.execute(select(*columns).where(Idea.event_id.in_(event_ids))):
        ideas[row.event_id][row.id] = row
    return ideas


def _comments(event_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """{idea: [(judge name, comment)]} of the submitted sheets, by judge name (one query)."""
    comments: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for idea_id, name, text in db.session.execute(
        select(ScoreSheet.idea_id, User.name, ScoreSheet.comment)
        .join(User, User.id == ScoreSheet.judge_id)
        .where(
            ScoreSheet.event_id.in_(event_ids),
            ScoreSheet.status == SheetState.SUBMITTED,
            ScoreSheet.comment != "",
        )
        .order_by(ScoreSheet.idea_id, User.name)
    ):
        comments[idea_id].append((name, text))
    return comments


def _idea_rows(
    ranking, frozen, winners, ideas, comments, criteria, specs, marks, judges, sector, not_ranked,
    include_personal,
):  # fmt: skip
    for entry in ranking["ideas"]:
        idea_id = entry["idea_id"]
        idea = ideas.get(idea_id)
        if idea is None:
            continue
        per_judge = marks.get(idea_id, {})
        result = frozen.get(idea_id) if frozen else None
        if result is not None:
            rank, raw, normalised, count = (
                result.rank, result.raw_score, result.normalised_100, result.judges,
            )  # fmt: skip
            reason = result.not_ranked_reason if not result.ranked else None
        else:
            rank, raw, normalised, count = (
                entry["rank"], entry["raw"], entry["normalised_100"], entry["judges"],
            )  # fmt: skip
            reason = entry["reason"] if not entry["ranked"] else None
        yield IdeaRow(
            rank=rank,
            receipt_code=idea.receipt_code,
            title=idea.title,
            sector=sector(idea.sector),
            province=idea.province,
            lead_name=idea.lead_name,
            budget=idea.budget_mad,
            raw_score=raw,
            normalised_score=normalised,
            criterion_means=[_mean([v[c.id] for v in per_judge.values()]) for c in criteria],
            judges=count,
            winner=idea_id in winners,
            override_reason=winners.get(idea_id),
            not_ranked_reason=not_ranked(reason) if reason else None,
            judge_scores=[
                scoring.sheet_score(per_judge[j], specs) if j in per_judge else None
                for j, _name in judges
            ],
            comments=comments.get(idea_id, ()),
            lead_phone=idea.lead_phone if include_personal else None,
            lead_email=idea.lead_email if include_personal else None,
        )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


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
