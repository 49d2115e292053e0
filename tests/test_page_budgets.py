"""Ten times the tour (issue 21): at 3,000 ideas in one event, every organiser and jury page that
lists ideas, sheets or entries is paged or summarised. Each one runs the same number of
statements as for a handful of ideas (no query per row, and no page that grows with the event)
and weighs less than 300 KB; the full data stay in the exports.

The event is built with bulk INSERTs (a few seconds), not with the services."""

import random

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select

from audit.models import AuditEntry
from bank.models import BankProject
from bench.pages import PAGES
from competitions.states import EventState
from extensions import db, utcnow
from judging.models import Round, Score, ScoreSheet
from judging.scoring import sheet_score
from judging.services import criterion_specs
from judging.states import SheetState
from submissions.models import Idea
from tests.builders import add_jury, make_event, make_idea, make_user

BIG = 3000
SMALL = 6
SIZE_BUDGET = 300_000  # bytes of one page

# Every page measured: (name, path with {slug}, who looks at it), the pages the benchmark times.
# The statements each page may run, whatever the number of ideas.
STATEMENT_BUDGET = {  # measured (SQLite, issue 21): 9, 16, 13, 6, 10, 6, 6, 6
    "audit log": 10,
    # 16 + the tablets working offline and the actions refused on arrival (issue 19), the pitch
    # round in force (issue 20), the fingerprint of the sheets that keeps the marks (issue 21)
    "progress": 20,
    # 13 + the pitch round in force, its shortlist, the special prizes, the sheets' fingerprint
    "deliberation": 17,
    "triage": 8,
    "ranking API": 12,
    "judge's sheets": 8,
    "bank (organisers)": 8,
    "bank (public)": 8,
}


def build_event(n_ideas: int):
    """An event in deliberation with `n_ideas` ideas, three judges who scored every one of them
    (the first judge holds n sheets), one audit entry per mark, one bank project per idea."""
    event = make_event(state=EventState.DELIBERATION)
    judges = [make_user("jury") for _ in range(3)]
    for i, judge in enumerate(judges):
        add_jury(event, judge, is_president=(i == 0))
    first = make_idea(event)
    template = {
        column.key: getattr(first, column.key)
        for column in Idea.__mapper__.column_attrs
        if column.key not in ("id", "receipt_code")
    }
    rng = random.Random(n_ideas)
    ideas = [
        {**template, "receipt_code": f"B{event.id:03d}-{n:05d}", "title": f"Idée {n}"}
        for n in range(n_ideas - 1)
    ]
    db.session.execute(insert(Idea), ideas)
    idea_ids = list(db.session.scalars(select(Idea.id).where(Idea.event_id == event.id)))
    now = utcnow()
    specs = criterion_specs(event.rubric)
    marks = {
        (idea_id, judge.id): {c.id: float(rng.randint(1, 5)) for c in specs}
        for idea_id in idea_ids
        for judge in judges
    }
    sheets = [
        {
            "event_id": event.id,
            "idea_id": idea_id,
            "judge_id": judge_id,
            "status": SheetState.SUBMITTED,
            "comment": "Bonne idée, budget à préciser.",
            "submitted_at": now,
            "score": sheet_score(given, specs),  # as `seal_sheet` keeps them
            "marks": {str(c): value for c, value in given.items()},
        }
        for (idea_id, judge_id), given in marks.items()
    ]
    db.session.execute(insert(ScoreSheet), sheets)
    sheet_rows = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.idea_id, ScoreSheet.judge_id).where(
            ScoreSheet.event_id == event.id
        )
    ).all()
    db.session.execute(
        insert(Score),
        [
            {"sheet_id": sheet_id, "criterion_id": criterion, "value": value}
            for sheet_id, idea_id, judge_id in sheet_rows
            for criterion, value in marks[(idea_id, judge_id)].items()
        ],
    )
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "at": now,
                "user_id": judge_id,
                "event_id": event.id,
                "entity": "score",
                "entity_id": sheet_id,
                "action": "score",
                "old": {"criterion": "impact", "value": None},
                "new": {"criterion": "impact", "value": 4, "idea_id": idea_id},
                "source": "web",
            }
            for sheet_id, idea_id, judge_id in sheet_rows
            for _criterion in specs
        ],
    )
    db.session.execute(
        insert(BankProject),
        [
            {
                "title": f"Projet {n}",
                "summary": "Une coopérative de couscous.",
                "sector": "agrifood",
                "region_code": event.region_code,
                "province_code": "02.411",
                "budget_mad": 250_000,
                "origin_event_id": event.id,
                "idea_id": idea_id,
            }
            for n, idea_id in enumerate(idea_ids)
        ],
    )
    db.session.commit()
    return event, judges


def measure(client, path: str) -> tuple[int, int]:
    """(statements run, bytes answered) of one GET, starting with nothing cached: not even the
    sheets an earlier test's event of the same id left in the app's sheet cache (the ranking
    would ask for their fingerprint: one statement more)."""
    client.application.extensions.pop("judging.sheet_cache", None)
    db.session.close()
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = client.get(path)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements), len(response.get_data())


@pytest.mark.parametrize("name,path,viewer", PAGES, ids=[p[0] for p in PAGES])
def test_a_page_costs_the_same_statements_at_3000_ideas_and_stays_small(
    app, client, login, name, path, viewer
):
    organiser = make_user("organiser")
    counts = {}
    for n in (SMALL, BIG):
        event, judges = build_event(n)
        login(judges[0] if viewer == "judge" else organiser)
        counts[n] = measure(client, path.format(slug=event.slug))
        db.session.execute(db.delete(BankProject))  # the next event's bank stands alone
        db.session.commit()
    (small, _), (big, size) = counts[SMALL], counts[BIG]
    print(f"{name}: {small} statements at {SMALL} ideas, {big} at {BIG}; {size:,} bytes")
    assert big == small, f"{name}: {small} statements at {SMALL} ideas, {big} at {BIG}"
    assert big <= STATEMENT_BUDGET[name], f"{name}: {big} statements"
    assert size < SIZE_BUDGET, f"{name}: {size:,} bytes at {BIG} ideas"


def test_the_organisers_triage_page_costs_the_same_statements_at_3000_ideas(app, client, login):
    """Round 1 by the organisers' triage (`/events/<slug>/triage`): paged like the others."""
    login(make_user("organiser"))
    counts = {}
    for n in (SMALL, BIG):
        event, _judges = build_event(n)
        event.state = EventState.JUDGING
        db.session.add(Round(event_id=event.id, number=2, triage_rubric_id=event.rubric.id))
        db.session.commit()
        counts[n] = measure(client, f"/events/{event.slug}/triage")
        db.session.execute(db.delete(BankProject))
        db.session.commit()
    (small, _), (big, size) = counts[SMALL], counts[BIG]
    assert big == small, f"triage: {small} statements at {SMALL} ideas, {big} at {BIG}"
    assert big <= 8, f"triage: {big} statements"
    assert size < SIZE_BUDGET


def _advise(adviser_id: int, n_projects: int, event_id: int) -> None:
    """`n_projects` bank projects advised by `adviser`, each with its path of seven milestones,
    the first one late."""
    from datetime import date, timedelta

    from bank.models import Milestone
    from bank.states import MilestoneKind

    db.session.execute(
        insert(BankProject),
        [
            {
                "title": f"Projet suivi {n}",
                "sector": "agrifood",
                "region_code": "02",
                "province_code": "02.411",
                "adviser_id": adviser_id,
                "origin_event_id": event_id,
            }
            for n in range(n_projects)
        ],
    )
    ids = db.session.scalars(select(BankProject.id).where(BankProject.adviser_id == adviser_id))
    start = date.today() - timedelta(days=40)
    db.session.execute(
        insert(Milestone),
        [
            {
                "project_id": project_id,
                "kind": kind,
                "position": position,
                "due_on": start + timedelta(days=30 * (position + 1)),
                "note": "",
            }
            for project_id in ids
            for position, kind in enumerate(MilestoneKind)
        ],
    )
    db.session.commit()


def test_my_projects_costs_the_same_statements_however_many_projects_are_advised(
    app, client, login
):
    """An adviser's "My projects" (and the menu that leads there): one query for the projects,
    one for their milestones, one for their stops, whatever their number."""
    adviser_id = login(make_user("facilitator")).id
    event_id = make_event(state=EventState.PUBLISHED).id
    client.get("/tour/bank/advising")  # what the app loads once per process is not counted
    counts = {}
    for n in (2, 60):
        db.session.execute(db.delete(BankProject))
        db.session.commit()
        _advise(adviser_id, n, event_id)
        counts[n] = measure(client, "/tour/bank/advising")
    (small, _), (big, size) = counts[2], counts[60]
    assert big == small, f"My projects: {small} statements at 2 projects, {big} at 60"
    assert big <= 10, f"My projects: {big} statements"
    assert size < SIZE_BUDGET


VOTE_BUDGET = 6  # measured (SQLite): 4 — the event, the poll, the pitch round, the shortlist


def test_the_audience_vote_lists_the_shortlist_only_at_3000_ideas(app, client):
    """Once the pitch round has started the vote page offers its shortlisted teams only: the
    same statements and a small page whatever the number of ideas."""
    from audience import services as audience
    from judging.models import Round, ShortlistEntry

    counts = {}
    for n in (SMALL, BIG):
        event, judges = build_event(n)
        ids = db.session.scalars(
            select(Idea.id).where(Idea.event_id == event.id).order_by(Idea.id).limit(5)
        ).all()
        found = Round(event_id=event.id, shortlist_size=5, started_at=utcnow())
        found.entries = [ShortlistEntry(idea_id=i, position=k) for k, i in enumerate(ids)]
        db.session.add(found)
        audience.open_vote(event, by=judges[0])
        db.session.execute(db.delete(BankProject))
        db.session.commit()
        counts[n] = measure(client, f"/e/{event.slug}/vote")
    (small, _), (big, size) = counts[SMALL], counts[BIG]
    print(f"audience vote: {small} statements at {SMALL} ideas, {big} at {BIG}; {size:,} bytes")
    assert big == small and big <= VOTE_BUDGET, (small, big)
    assert size < 50_000, f"{size:,} bytes"
