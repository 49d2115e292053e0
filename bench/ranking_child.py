"""Times the ranking of every event, or its own SQL alone, in a process of its own: the first
call of a fresh process is the cold figure, the next ones the warm figures.

    python -m bench.ranking_child capture DATABASE_URL STATEMENTS.json
    python -m bench.ranking_child ranking DATABASE_URL RUNS
    python -m bench.ranking_child queries DATABASE_URL RUNS STATEMENTS.json

`capture` records the statements the ranking issues (the events, their rubrics, the per-sheet
sums, the ideas), with their parameters. `queries` executes and fetches exactly those through
the bare DB-API cursor: the floor under the ranking, whatever it does with the rows. The ranking
is timed with the judges' consistency figures the progress page shows (`consistency=True`).
Prints one JSON line: {"seconds": [cold, warm, ...], "cpu": [the same in CPU time], "cached":
[calls that found every event's sheets kept, see `judging.services._SheetCache`]}. On SQLite,
where the database works in this process, the CPU times compare the two sides even on a busy
machine; on PostgreSQL the server's work is elsewhere and only the wall times compare.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def _app(database_url: str):
    """The app, in a process settled as a served one is (`extensions.settle_process`)."""
    from bench.server import seed_app
    from extensions import settle_process

    app = seed_app(database_url, Path(tempfile.gettempdir()) / "ideathon-ranking-instance")
    settle_process()
    return app


def rank_everything() -> int:
    """What a tour's ranking costs from nothing: read the events, rank them all (both methods,
    consistency figures included)."""
    from sqlalchemy import select

    from competitions.models import Event
    from extensions import db
    from judging.services import rankings_for_events

    db.session.remove()  # a request starts with an empty session
    events = db.session.scalars(select(Event).order_by(Event.tour_order)).all()
    rankings = rankings_for_events(events, consistency=True)
    assert len(rankings) == len(events)
    return sum(len(r["ideas"]) for r in rankings.values())


def capture(database_url: str, out: str) -> dict:
    from sqlalchemy import event as sa_event

    from extensions import db

    app = _app(database_url)
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(
            [statement, list(parameters) if isinstance(parameters, tuple) else parameters]
        )

    with app.app_context():
        sa_event.listen(db.engine, "before_cursor_execute", seen)
        try:
            rank_everything()
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", seen)
    Path(out).write_text(json.dumps(statements))
    return {"statements": len(statements)}


def ranking(database_url: str, runs: int) -> dict:
    """Each call reads every event's sheets (the process's sheet cache is emptied first, so the
    figures compare with the statements captured from a fresh process); then `runs` calls that
    find the sheets kept (`cached`: what a page pays while no sheet changed), for information."""
    app = _app(database_url)
    times, cpu, cached = [], [], []
    with app.app_context():
        for _ in range(runs):
            app.extensions.pop("judging.sheet_cache", None)
            started, started_cpu = time.perf_counter(), time.process_time()
            rank_everything()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        for _ in range(runs):
            started = time.perf_counter()
            rank_everything()
            cached.append(time.perf_counter() - started)
    return {"seconds": times, "cpu": cpu, "cached": cached}


def queries(database_url: str, runs: int, statements_file: str) -> dict:
    """The ranking's statements alone, through the DB-API cursor of a pooled connection (the
    connection is opened before the clock starts, as the ranking's is by the app's pool)."""
    from extensions import db

    statements = json.loads(Path(statements_file).read_text())
    app = _app(database_url)
    times, cpu, rows = [], [], 0
    with app.app_context():
        for _ in range(runs):
            connection = db.engine.raw_connection()
            try:
                started, started_cpu = time.perf_counter(), time.process_time()
                cursor = connection.cursor()
                for statement, parameters in statements:
                    if isinstance(parameters, list):
                        parameters = tuple(parameters)
                    cursor.execute(statement, parameters)
                    rows += len(cursor.fetchall())
                cursor.close()
                connection.rollback()
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            finally:
                connection.close()
    return {"seconds": times, "cpu": cpu, "rows": rows // max(1, runs)}


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "capture":
        result = capture(argv[1], argv[2])
    elif mode == "ranking":
        result = ranking(argv[1], int(argv[2]))
    else:
        result = queries(argv[1], int(argv[2]), argv[3])
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
