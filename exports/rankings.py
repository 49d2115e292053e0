"""The rankings workbook, from plain data: what organisers hand to the directorate.

Sheets, in order: the summary (each event's figures, the tour's totals, breakdowns, notes); for
each event its ranking and its jury matrix (S_ij, ideas × judges); then every judge's comment.
Callers pass translated `labels` (see DEFAULT_LABELS for the keys) and the events' blocks, each
streaming its ideas (a generator: each idea is written to three sheets in one pass, then dropped).
Phones and e-mails appear only when `include_personal` is true (exports made by organisers).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from exports import personal
from exports.workbook import Column, WorkbookWriter

DEFAULT_LABELS = {
    "workbook_title": "Rankings",
    "summary": "Summary",
    "jury_suffix": " - Jury",
    "comments": "Comments",
    "event": "Event",
    "date": "Date",
    "state": "State",
    "received": "Ideas received",
    "eligible": "Eligible",
    "ranked": "Ranked",
    "winners": "Winners",
    "budget_total": "Total budget (MAD)",
    "total": "Tour total",
    "share": "Share",
    "rank": "Rank",
    "receipt_code": "Receipt code",
    "title": "Title",
    "sector": "Sector",
    "province": "Province",
    "team_lead": "Team lead",
    "phone": "Phone",
    "email": "E-mail",
    "budget": "Budget (MAD)",
    "raw": "Raw score /100",
    "score_100": "Score /100",
    "mean_z": "Mean z-score",
    "method": "Method",
    "judges_count": "Judges",
    "winner": "Winner",
    "override_reason": "Reason (chosen outside the top)",
    "not_ranked_reason": "Not ranked because",
    "judge": "Judge",
    "comment": "Comment",
    "mean": "Mean",
    "yes": "Yes",
    "no": "No",
    "members": "Team members",
    "women": "Women",
    "youth": "Under 35",
}


@dataclass
class EventSummary:
    """One line of the summary sheet."""

    name: str
    date: date | None
    state: str  # translated
    received: int
    eligible: int
    ranked: int
    winners: int
    budget_total: int | None = None  # MAD


@dataclass
class Breakdown:
    """A count of ideas by one attribute (sector, region, gender…): (label, ideas, winners)."""

    title: str
    rows: Sequence[tuple[str, int, int]]


@dataclass
class IdeaRow:
    """One idea of an event's ranking (scores 0–100; None where there is no figure)."""

    rank: int | None
    receipt_code: str
    title: str
    sector: str
    province: str
    lead_name: str
    budget: int | None = None
    raw: float | None = None  # mean of the judges' scores out of 100
    score_100: float | None = None  # 50 + 10 × mean_z, clipped to 0–100
    mean_z: float | None = None  # mean of the judges' z-scores
    criterion_means: Sequence[float | None] = ()
    judges: int = 0
    winner: bool = False
    override_reason: str | None = None
    not_ranked_reason: str | None = None
    judge_scores: Sequence[float | None] = ()  # S_ij, aligned with EventBlock.judges
    comments: Sequence[tuple[str, str]] = ()  # (judge name, comment)
    lead_phone: str | None = None
    lead_email: str | None = None
    members: int | None = None  # the team, its lead included
    women: int | None = None
    youth: int | None = None
    answers: Sequence[str] = ()  # aligned with EventBlock.questions


@dataclass
class EventBlock:
    """An event's sheets: its ranking (method translated), criteria and judges in column order.

    `ideas` is read once, when the writer reaches the event; a generator may set `method` and
    `comments` ((receipt code, title, judge, comment), read after the ideas) before its first
    idea. Without `comments`, each idea's own `IdeaRow.comments` are written."""

    name: str
    method: str
    criteria: Sequence[str] = ()
    judges: Sequence[str] = ()
    ideas: Iterable[IdeaRow] = field(default_factory=list)
    comments: Iterable[tuple[str, str, str, str]] | None = None
    questions: Sequence[str] = ()  # the event's own questions, a column each


@dataclass
class SummaryPart:
    """The summary sheet's contents, when they are known only once every event is written."""

    lines: Sequence[EventSummary]
    breakdowns: Sequence[Breakdown] = ()
    notes: Sequence[str] = ()
    totals: Sequence[int] | None = None


def write_rankings_workbook(
    path,
    *,
    summary: Sequence[EventSummary] | Callable[[], SummaryPart],
    breakdowns: Sequence[Breakdown] = (),
    notes: Sequence[str] = (),
    events: Sequence[EventBlock],
    labels: dict | None = None,
    language: str = "fr",
    include_personal: bool = False,
    subject: str = "",
    progress=None,
    totals: Sequence[int] | None = None,
) -> None:
    """Write the workbook to `path`. `progress(done_events)` is called after each event.
    `totals` (received, eligible, ranked, winners, budget) replace the sums of the summary's
    lines when an idea appears in two of them (a stop's winner carried to the final).

    Every sheet is opened first, in the order they are read, then filled as each event's ideas
    stream in (`EventBlock.ideas` is read once, event after event). `summary` may be a function
    giving the summary's contents (`SummaryPart`): it is called once every event is written, and
    the summary sheet, first in the workbook, is filled last."""
    label = {**DEFAULT_LABELS, **(labels or {})}
    with WorkbookWriter(
        path, title=label["workbook_title"], language=language, subject=subject
    ) as book:
        notice = str(personal.NOTICE) if include_personal else ""
        summary_sheet = _open_summary(book, label, notice)
        sheets = [_open_event(book, label, event, include_personal) for event in events]
        for done, (event, (ranking, matrix, comments)) in enumerate(
            zip(events, sheets, strict=True), 1
        ):
            _write_event(label, event, ranking, matrix, comments, include_personal)
            if progress:
                progress(done)
        if callable(summary):
            part = summary()
            summary, breakdowns, notes, totals = (
                part.lines,
                part.breakdowns,
                part.notes,
                part.totals,
            )
        _write_summary(summary_sheet, label, summary, breakdowns, notes, totals)


def _open_summary(book, label, notice):
    return book.open_sheet(
        label["summary"],
        [
            Column(label["event"], width=28),
            Column(label["date"], "date", width=14),
            Column(label["state"], width=16),
            Column(label["received"], "count", width=14),
            Column(label["eligible"], "count"),
            Column(label["ranked"], "count"),
            Column(label["winners"], "count"),
            Column(label["budget_total"], "mad", width=20),
        ],
        notice=notice,
        footer=f"{label['workbook_title']} – {label['summary']}",
    )


def _write_summary(sheet, label, summary, breakdowns, notes, given_totals=None) -> None:
    totals = [0, 0, 0, 0, 0]
    for line in summary:
        figures = [line.received, line.eligible, line.ranked, line.winners, line.budget_total or 0]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        sheet.append(
            [
                line.name,
                line.date,
                line.state,
                line.received,
                line.eligible,
                line.ranked,
                line.winners,
                line.budget_total,
            ]
        )
    sheet.end_table()
    if len(summary) > 1:
        sheet.bold_row([label["total"], None, None, *(given_totals or totals)])
    for note in notes:
        sheet.blank()
        sheet.append([note])
    kinds = ["text", "count", "percent", "count"]
    for breakdown in breakdowns:
        sheet.blank()
        sheet.bold_row([breakdown.title, label["received"], label["share"], label["winners"]])
        total = sum(ideas for _, ideas, _ in breakdown.rows)
        for name, ideas, winners in breakdown.rows:
            sheet.append([name, ideas, ideas / total if total else None, winners], kinds)


def _open_event(book, label, event: EventBlock, include_personal: bool):
    """The event's ranking, jury matrix and comments sheets, headers written."""
    columns = [
        Column(label["rank"], "int", width=8),
        Column(label["receipt_code"], width=14),
        Column(label["title"], width=40, wrap=True),
        Column(label["sector"], width=16),
        Column(label["province"], width=18),
        Column(label["team_lead"], width=22),
    ]
    if include_personal:
        columns += [Column(label["phone"], width=16), Column(label["email"], width=26)]
    columns += [
        Column(label["budget"], "mad"),
        Column(label["raw"], "score", width=14),
        Column(label["score_100"], "score", width=12),
        Column(label["mean_z"], "score", width=12),
        Column(label["method"], width=14),
        *[Column(name, "score", width=14) for name in event.criteria],
        Column(label["judges_count"], "int", width=8),
        Column(label["winner"], width=10),
        Column(label["override_reason"], width=40, wrap=True),
        Column(label["not_ranked_reason"], width=24, wrap=True),
        Column(label["members"], "int", width=10),
        Column(label["women"], "int", width=10),
        Column(label["youth"], "int", width=10),
        *[Column(question, width=30, wrap=True) for question in event.questions],
    ]
    footer = f"{label['workbook_title']} – {event.name}"
    ranking = book.open_sheet(event.name, columns, footer=footer)
    matrix = book.open_sheet(
        event.name,
        [
            Column(label["rank"], "int", width=8),
            Column(label["receipt_code"], width=14),
            Column(label["title"], width=36, wrap=True),
            *[Column(name, "score", width=14) for name in event.judges],
            Column(label["mean"], "score"),
        ],
        suffix=label["jury_suffix"],
        footer=footer + label["jury_suffix"],
    )
    # Each event's comments on a sheet of its own: a sheet is held whole while the workbook is
    # saved, so one sheet of the tour's comments would make the export's memory grow with it.
    comments_suffix = f" - {label['comments']}"
    comments = book.open_sheet(
        event.name,
        [
            Column(label["receipt_code"], width=14),
            Column(label["title"], width=36, wrap=True),
            Column(label["judge"], width=22),
            Column(label["comment"], width=80, wrap=True),
        ],
        suffix=comments_suffix,
        footer=footer + comments_suffix,
    )
    return ranking, matrix, comments


def _fitted(values: Sequence, size: int) -> Sequence:
    """`values` as `size` cells: cut, or completed with empty cells."""
    if len(values) == size:
        return values
    return (list(values) + [None] * size)[:size]


def _write_event(label, event: EventBlock, ranking, matrix, comments, include_personal) -> None:
    yes, no = label["yes"], label["no"]
    criteria, judges, questions = len(event.criteria), len(event.judges), len(event.questions)
    for idea in event.ideas:
        row = [
            idea.rank,
            idea.receipt_code,
            idea.title,
            idea.sector,
            idea.province,
            idea.lead_name,
        ]
        if include_personal:
            row += [idea.lead_phone, idea.lead_email]
        row += [
            idea.budget,
            idea.raw,
            idea.score_100,
            idea.mean_z,
            event.method,
            *_fitted(idea.criterion_means, criteria),
            idea.judges,
            yes if idea.winner else no,
            idea.override_reason,
            idea.not_ranked_reason,
            idea.members,
            idea.women,
            idea.youth,
        ]
        row += _fitted(idea.answers, questions)
        ranking.append(row)
        scores = _fitted(idea.judge_scores, judges)
        matrix.append([idea.rank, idea.receipt_code, idea.title, *scores, idea.raw])
        if event.comments is None:
            for judge, text in idea.comments:
                if text and text.strip():
                    comments.append([idea.receipt_code, idea.title, judge, text])
    for receipt_code, title, judge, text in event.comments or ():
        if text and text.strip():
            comments.append([receipt_code, title, judge, text])
