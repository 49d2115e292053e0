"""The whole-tour export streams: its memory does not grow with the tour, and the marks and
comments are read from a server-side cursor (`stream_results`), never as a list of the tour."""

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
url, instance, out, ideas = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
migrate(url, instance)
app = seed_app(url, instance)
from tools.synthetic import generate_tour
from reporting.services import write_tour_workbook
with app.app_context():
    generate_tour(state=EventState.DELIBERATION, events=2, ideas=ideas, judges=4, criteria=6)
with app.app_context(), app.test_request_context("/?lang=fr"):
    write_tour_workbook(out + ".warm.xlsx", "fr")  # imports and caches, outside the measure
    tracemalloc.start()
    write_tour_workbook(out, "fr")
    print(json.dumps({"peak": tracemalloc.get_traced_memory()[1]}))
"""


def _peak(tmp_path: Path, ideas: int) -> int:
    folder = tmp_path / f"tour-{ideas}"
    folder.mkdir()
    url = f"sqlite:///{folder / 'tour.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(folder / "instance"), str(folder / "t.xlsx"),
         str(ideas)],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])["peak"]


def test_export_memory_does_not_grow_with_the_tour(tmp_path):
    """Ten times the ideas (and marks and rows): the peak of the Python heap while writing stays
    within 2.5 × the small tour's (measured 1.7 ×: one event's ideas and figures are held while
    it is written; a list of the tour's marks, as before, grows about 10 ×)."""
    small, large = _peak(tmp_path, 30), _peak(tmp_path, 300)
    assert large < 2.5 * small, (small, large)


def test_marks_and_comments_are_read_from_a_streamed_cursor(app, tmp_path, scored):
    streamed = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY score_sheets.idea_id" in statement:  # marks, comments: idea after idea
            streamed.append(bool(context.execution_options.get("stream_results")))

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", remember)
    try:
        write_workbook(tmp_path / "e.xlsx", [scored.event])
    finally:
        sa_event.remove(engine, "before_cursor_execute", remember)
    assert streamed == [True, True]  # the marks, then the comments
