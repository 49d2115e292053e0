"""The whole-tour export streams: its memory does not grow with the tour, and the sheets and
comments are read one event at a time, never as a list of the tour."""

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import event as sa_event

from extensions import db
from reporting.services import write_workbook

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys, tracemalloc
from pathlib import Path
from bench.server import migrate, seed_app
from competitions.states import EventState
url, instance, out, ideas, events = sys.argv[1], Path(sys.argv[2]), sys.argv[3], *map(int, sys.argv[4:6])
migrate(url, instance)
app = seed_app(url, instance)
from tools.synthetic import generate_tour
from reporting.services import write_tour_workbook
with app.app_context():
    generate_tour(state=EventState.DELIBERATION, events=events, ideas=ideas, judges=4, criteria=6)
with app.app_context(), app.test_request_context("/?lang=fr"):
    write_tour_workbook(out + ".warm.xlsx", "fr")  # imports and caches, outside the measure
    tracemalloc.start()
    write_tour_workbook(out, "fr")
    print(json.dumps({"peak": tracemalloc.get_traced_memory()[1]}))
"""


def _peak(tmp_path: Path, ideas: int, events: int = 2) -> int:
    folder = tmp_path / f"tour-{ideas}-{events}"
    folder.mkdir()
    url = f"sqlite:///{folder / 'tour.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(folder / "instance"), str(folder / "t.xlsx"),
         str(ideas), str(events)],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])["peak"]


def test_export_memory_does_not_grow_with_the_number_of_events(tmp_path):
    """Four times the stops: one event is held at a time, so the peak of the Python heap grows
    by what each stop leaves behind (its summary line, SQLAlchemy's statement caches: measured
    37 KB a stop), never by its ideas (holding them would be about 200 KB a stop of 100 ideas)."""
    two, eight = _peak(tmp_path, 100, events=2), _peak(tmp_path, 100, events=8)
    assert (eight - two) / 6 < 64_000, (two, eight)


def test_export_memory_grows_only_with_one_events_ideas(tmp_path):
    """Ten times the ideas per event (and marks and rows): the heap grows by what one event's
    ideas take while it is written (measured 2.1 KB an idea: its row, figures and answers), not
    by the tour's marks (a row per mark would be 24 a idea, several KB each)."""
    small, large = _peak(tmp_path, 30), _peak(tmp_path, 300)
    assert (large - small) / (300 - 30) < 3000, (small, large)


def _export_statements(event, path) -> list[str]:
    """The SQL statements an export of `event` runs, each on one line."""
    seen = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", remember)
    try:
        write_workbook(path, [event])
    finally:
        sa_event.remove(engine, "before_cursor_execute", remember)
    return seen


def test_marks_and_comments_are_read_one_event_at_a_time(app, tmp_path, scored):
    """The long reads (each sheet's figures, the comments) name one event each: what a process
    holds is one event's rows, never the tour's (the heap tests above measure it)."""
    seen = [
        s for s in _export_statements(scored.event, tmp_path / "e.xlsx")
        if "ORDER BY score_sheets.idea_id" in s  # marks, comments: idea after idea
    ]  # fmt: skip
    assert len(seen) == 2  # the sheets' figures, then the comments
    for statement in seen:
        assert "score_sheets.event_id = " in statement and " IN (" not in statement


def test_an_events_sheets_are_read_once_for_its_figures_and_its_ranking(app, tmp_path, scored):
    """A provisional event's ranking is made from the sheets the export reads for its figures
    (`judging.results.sheet_table`): one read of the sheets' S_ij and marks per event, not two,
    and the ranks are those of the ranking page."""
    from judging.services import event_ranking

    app.extensions.pop("judging.sheet_cache", None)  # nothing kept from an earlier ranking
    seen = [
        s for s in _export_statements(scored.event, tmp_path / "e.xlsx")
        if "score_sheets.score," in s  # a read of S_ij: the figures or the ranking
    ]  # fmt: skip
    assert len(seen) == 1, seen

    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "e.xlsx", read_only=True)  # keeps the file open until closed
    try:
        rows = list(book.worksheets[1].iter_rows(values_only=True))
    finally:
        book.close()
    header = next(k for k, row in enumerate(rows) if row and row[0] == "Rang")
    exported = {row[1]: row[0] for row in rows[header + 1 :] if row and row[1]}
    ranking = event_ranking(scored.event)
    assert exported == {r["receipt_code"]: r["rank"] for r in ranking["ideas"]}


def test_the_long_reads_name_their_rows_without_a_subquery_beside_each_row(app, tmp_path, scored):
    """At ten times the tour a subquery beside each of 252,000 sheets (the event's round) or
    ideas matched to `IN (SELECT the event's ideas)` (a scan of every idea of the tour on
    PostgreSQL) cost a second of the export: the round is named per event from one read of the
    rounds (`judging.services.deciding_rounds`), an event's ideas by their event."""
    seen = _export_statements(scored.event, tmp_path / "e.xlsx")
    sheets = [s for s in seen if "FROM score_sheets" in s and "rounds" in s.split("FROM", 1)[1]]
    assert not sheets, sheets
    assert not [s for s in seen if "ideas.id IN (SELECT ideas.id" in s]
