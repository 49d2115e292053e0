"""Benchmark 4: jury members tapping marks at once through the sheet's JSON autosave endpoint
(POST /jury/sheets/<id>/score {"criterion": id, "value": n}, X-CSRFToken header)."""

from __future__ import annotations

import contextlib
import random
import statistics
import subprocess
import sys
import threading

from bench.http import Client, OperationError, meta_csrf, run_load
from bench.server import LiveServer, fresh_database, migrate, seed_app
from bench.workloads import sign_in
from competitions.states import EventState

SCORE_PATH = "/jury/sheets/{}/score"


def available() -> bool:
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    return any(rule.endpoint == "judging.save_score" for rule in app.url_map.iter_rules())


def judge_plan(app, judges: int) -> tuple[list[dict], str]:
    """One synthetic tour being judged, `judges` jury members in all; for each judge: e-mail,
    their sheet ids and the criteria (id, min, max)."""
    from sqlalchemy import select

    from competitions.models import Event
    from extensions import db
    from judging.models import ScoreSheet
    from tools.synthetic import generate_tour

    per_event = 10
    events = max(1, min(12, judges // per_event))
    with app.app_context():
        tour = generate_tour(
            events=events,
            ideas=12,
            judges=judges // events,
            state=EventState.JUDGING,
            with_scores=False,
            prefix="tap",
        )
        plan = []
        for event_id, emails in tour.judge_emails.items():
            event = db.session.get(Event, event_id)
            criteria = [(c.id, c.scale_min, c.scale_max) for c in event.rubric.criteria]
            for user_id, email in zip(tour.judge_ids[event_id], emails, strict=True):
                sheets = db.session.scalars(
                    select(ScoreSheet.id).where(ScoreSheet.judge_id == user_id)
                ).all()
                plan.append({"email": email, "sheets": list(sheets), "criteria": criteria})
        db.session.remove()
    return plan, tour.password


def sign_in_judges(server_url: str, plan: list[dict], password: str) -> list[dict]:
    """Every judge signs in once and opens their first sheet (its CSRF token), four at a time,
    before any round: the rounds then measure taps, not 100 password checks at once. Each
    judge's session (cookies, token, taps made so far) is reused by every round."""
    from concurrent.futures import ThreadPoolExecutor

    def one(judge: dict) -> dict:
        client = Client(server_url, timeout=120)
        try:
            sign_in(client, judge["email"], password)
            page = client.get(f"/jury/sheets/{judge['sheets'][0]}")
            if page.status != 200:
                raise OperationError(f"sheet page {page.status}")
            return {"judge": judge, "cookies": client.cookies, "csrf": meta_csrf(page.text), "n": 0}
        finally:
            client.close()

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, plan))


def tap_load(server_url: str, sessions: list[dict], duration: float, seed: int = 7):
    """Every judge, signed in beforehand (`sign_in_judges`), from a random moment in the first
    1.5 s, taps marks on their sheets in turn, pausing 0.5–1.5 s between two taps like a person
    reading the idea."""
    states: dict[int, dict] = {}
    lock = threading.Lock()
    rng = random.Random(seed)

    def setup(client: Client, index: int) -> None:
        client.cookies = sessions[index]["cookies"]  # the same jar: a renewed cookie is kept
        with lock:
            states[id(client)] = sessions[index]

    def tap(client: Client, _n: int):
        state = states[id(client)]
        judge, k = state["judge"], state["n"]
        state["n"] += 1
        sheet = judge["sheets"][(k // len(judge["criteria"])) % len(judge["sheets"])]
        criterion, low, high = judge["criteria"][k % len(judge["criteria"])]
        value = low + (k * 7 + sheet) % (high - low + 1)
        response = client.post_json(
            SCORE_PATH.format(sheet), {"criterion": criterion, "value": value}, csrf=state["csrf"]
        )
        if response.status != 200 or not response.json().get("ok"):
            raise OperationError(f"tap: {response.status} {response.text[:200]!r}")
        return sheet

    def think() -> float:
        with lock:
            return rng.uniform(0.5, 1.5)

    return run_load(
        "autosave taps",
        server_url,
        tap,
        clients=len(sessions),
        duration=duration,
        setup=setup,
        think=think,
        stagger=1.5,  # the first taps spread like the next ones, not all at the same instant
    )


@contextlib.contextmanager
def busy_core():
    """A CPU-bound process for the length of the block: the other core is taken, as on a
    laptop that also runs the hall's slides or an export."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield hog.pid
    finally:
        hog.kill()
        hog.wait()


def run(kind, workdir, judges, duration, runs, report) -> None:
    """`runs` rounds, each /healthz then the taps, with a CPU-bound process running throughout;
    `report(name, values, references, unit, target, ok)` prints the figure."""
    from bench.http import Client as _Client
    from bench.report import load_average

    p95, p95_ref, errors = [], [], 0
    with fresh_database(kind, workdir) as url:
        instance = workdir / f"autosave-{kind}"
        migrate(url, instance)
        app = seed_app(url, instance)
        plan, password = judge_plan(app, judges)
        with LiveServer(url, instance, clients=len(plan)) as server, busy_core():
            sessions = sign_in_judges(server.url, plan, password)
            for round_ in range(1, runs + 1):
                reference = run_load(
                    "healthz",
                    server.url,
                    lambda c, n: c.get("/healthz").status == 200 or 1 / 0,
                    clients=len(plan),
                    duration=duration,
                    think=lambda: 1.0,
                    stagger=1.0,
                )
                measured = tap_load(server.url, sessions, duration, seed=round_)
                p95.append(measured.ms(95))
                p95_ref.append(reference.ms(95))
                errors += measured.errors
                print(f"    round {round_}: {measured.line()} | {load_average()}", flush=True)
                print(f"             {reference.line()}", flush=True)
                for sample in measured.error_samples[:3]:
                    print(f"      error: {sample}", flush=True)
            _Client(server.url).close()
        from extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    report(
        f"[{kind}] autosave p95 ({len(plan)} judges, ~1 tap/s each, the other core busy)",
        p95,
        p95_ref,
        "ms",
        "median p95 ≤ 50 ms, 0 errors (reference: /healthz under the same load)",
        statistics.median(p95) <= 50 and errors == 0,
    )
