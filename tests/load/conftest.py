"""A real server process (gunicorn, 2 workers) on a free loopback port, against a fresh database
migrated with `flask db upgrade`: SQLite by default, PostgreSQL with --db=postgresql (a new
database on the TEST_DATABASE_URL server, dropped afterwards)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.http import Client
from bench.server import LiveServer, fresh_database, migrate, seed_app
from bench.workloads import open_event

_slugs = itertools.count(1)


@dataclass
class Live:
    url: str  # the database's
    instance: Path
    app: object  # bound to the same database, to seed and to check from the test

    def run(self, fn):
        """fn() inside the seeding app's context; the session is closed afterwards so that the
        test never holds a transaction (or SQLite's write lock) while the server works."""
        from extensions import db

        with self.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    def open_event(self, **fields) -> str:
        slug = f"charge-{next(_slugs)}"
        open_event(self.app, slug=slug, **fields)
        return slug

    def ideas(self, slug: str) -> list:
        """(receipt_code, submit_token) of every idea stored for the event."""
        from competitions.models import Event
        from extensions import db
        from submissions.models import Idea

        def read():
            event_id = db.session.scalar(select(Event.id).where(Event.slug == slug))
            return db.session.execute(
                select(Idea.receipt_code, Idea.submit_token).where(Idea.event_id == event_id)
            ).all()

        return self.run(read)

    def count(self, model, *where) -> int:
        from extensions import db

        return self.run(
            lambda: db.session.scalar(select(func.count()).select_from(model).where(*where))
        )


@pytest.fixture(scope="module")
def live_db(request, tmp_path_factory):
    kind = request.config.getoption("--db")
    workdir = tmp_path_factory.mktemp(f"live-{kind}")
    with fresh_database(kind, workdir) as url:
        instance = workdir / "instance"
        migrate(url, instance)
        live = Live(url, instance, seed_app(url, instance))
        yield live
        from extensions import db

        with live.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_db):
    server = LiveServer(live_db.url, live_db.instance)
    server.start()
    yield server
    server.stop()


def require_endpoint(live: Live, endpoint: str, what: str) -> None:
    """Skip (with the reason) while the view under test has not landed."""
    if endpoint not in {rule.endpoint for rule in live.app.url_map.iter_rules()}:
        pytest.skip(f"{what} ({endpoint}) is not there yet")


def require_route(server: LiveServer, path: str, what: str) -> None:
    """Skip (with the reason) while the feature under test has not landed."""
    client = Client(server.url)
    try:
        if client.get(path).status == 404:
            pytest.skip(f"{what} ({path}) is not there yet")
    finally:
        client.close()
