"""The organiser's and the jury's pages on the synthetic tour (issue 21: at ten times the tour,
every such page answers with a p95 under 200 ms and weighs under 300 KB), timed beside
`/healthz` on the same server (gunicorn.conf.py, 2 workers) in the same run.

The pages are those `tests/test_page_budgets.py` holds to a statement budget, on the tour's
first event (3,000 ideas and 21,000 submitted sheets at ten times the tour). An organiser and
one of the event's judges sign in through the login form. Each page is asked a few times first
(each worker keeps the event's sheets after its first ranking, as in the hall), then `requests`
times in turns with `/healthz`, one request at a time on a keep-alive connection, in each run."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.http import Client
from bench.report import load_average
from bench.server import LiveServer
from bench.workloads import sign_in

# (name, path with {slug}, who asks for it): also the pages `tests/test_page_budgets.py` holds
# to a statement budget and a size.
PAGES = (
    ("audit log", "/judging/{slug}/audit", "organiser"),
    ("progress", "/judging/{slug}/progress", "organiser"),
    ("deliberation", "/judging/{slug}/deliberation", "organiser"),
    ("triage", "/tour/events/{slug}/ideas", "organiser"),
    ("ranking API", "/api/events/{slug}/ranking", "organiser"),
    ("judge's sheets", "/jury", "judge"),
    ("bank (organisers)", "/tour/bank", "organiser"),
    ("bank (public)", "/bank", "organiser"),
)
WARM = 4
LIMIT_MS, LIMIT_BYTES = 200, 300_000


def _people(app) -> tuple[str, str, str, str]:
    """(the first event's slug, the organiser's e-mail, one of its judges' e-mails, password)."""
    from sqlalchemy import select

    from accounts.models import User
    from competitions.models import Event, JuryMember
    from extensions import db
    from tools.synthetic import PASSWORD

    with app.app_context():
        event = db.session.scalars(select(Event).order_by(Event.id)).first()
        judge = db.session.scalar(
            select(User.email)
            .join(JuryMember, JuryMember.user_id == User.id)
            .where(JuryMember.event_id == event.id)
            .order_by(User.id)
        )
        organiser = db.session.scalar(
            select(User.email).where(User.email.like("%-organiser@example.ma")).order_by(User.id)
        )
        return event.slug, organiser, judge, PASSWORD


def _times(client: Client, path: str, requests: int) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        size = len(response.body)
    return times, size


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(kind: str, url: str, workdir: Path, runs: int, requests: int, figure) -> None:
    from bench.server import seed_app

    instance = workdir / f"pages-{kind}"
    slug, organiser, judge, password = _people(seed_app(url, instance))
    with LiveServer(url, instance) as server:
        clients = {"organiser": Client(server.url), "judge": Client(server.url)}
        sign_in(clients["organiser"], organiser, password)
        sign_in(clients["judge"], judge, password)
        for name, path, who in PAGES:
            path = path.format(slug=slug)
            client = clients[who]
            _times(client, path, WARM)
            values, references, size = [], [], 0
            for _ in range(runs):
                times, size = _times(client, path, requests)
                healthz, _ = _times(client, "/healthz", requests)
                values.append(p95(times))
                references.append(p95(healthz))
            print(
                f"  [{kind}] {name} {path}: p95 min {min(values):.0f} / median "
                f"{statistics.median(values):.0f} / max {max(values):.0f} ms, "
                f"{size / 1024:.0f} KB | {load_average()}",
                flush=True,
            )
            worst = max(values)
            figure(
                f"[{kind}] {name}, p95 (worst of {runs} runs of {requests})",
                worst,
                max(references),
                "ms",
                f"< {LIMIT_MS} ms, < {LIMIT_BYTES // 1000} KB",
                worst < LIMIT_MS and size < LIMIT_BYTES,
            )
        for client in clients.values():
            client.close()
