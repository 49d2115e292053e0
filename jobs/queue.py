"""The job queue: rq on Redis when REDIS_URL is set, in-process otherwise.

Jobs are named by dotted path ("jobs.mail.send_outbox_email") so that the web process and the
workers share nothing but the name. A job asked for inside an open database transaction is held
until that transaction commits (and dropped if it rolls back): a job never sees data that was not
committed. Enqueue failures (Redis down) are logged, never raised: the outbox sweep catches up.

A hung Redis (it accepts connections and never answers) must cost a request milliseconds, not
seconds: the web side's connections time out after REDIS_SOCKET_TIMEOUT (0.2 s), and after a
failure this process does not try that Redis again for REDIS_RETRY_AFTER seconds (a circuit):
jobs asked for meanwhile wait in the database (outbox rows, export rows) for the sweep.

In-process mode runs the job synchronously, right after the commit, in a fresh app context (so a
fresh database session). Synchronous rather than a thread: deterministic in tests, nothing lost
when the process exits, and no second SQLite writer racing the request. The cost, a request that
waits for its e-mail or workbook, is acceptable for the embedded single-machine setup; production
runs Redis and workers.
"""

import logging
import time

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from extensions import db

log = logging.getLogger(__name__)
_AFTER_COMMIT = "ideathon_jobs_after_commit"
_failed_until: dict[str, float] = {}  # Redis URL → monotonic time before which it is not tried


def redis_connection(timeout: float | None = None):
    """A client of REDIS_URL whose connects and reads give up after `timeout` seconds (the web
    side's REDIS_SOCKET_TIMEOUT unless a worker asks for longer)."""
    from redis import Redis

    seconds = timeout or current_app.config["REDIS_SOCKET_TIMEOUT"]
    return Redis.from_url(
        current_app.config["REDIS_URL"], socket_timeout=seconds, socket_connect_timeout=seconds
    )


def redis_resting() -> bool:
    """True while REDIS_URL failed less than REDIS_RETRY_AFTER seconds ago (not tried then)."""
    return time.monotonic() < _failed_until.get(current_app.config["REDIS_URL"], 0.0)


def _note_failure() -> None:
    retry_after = current_app.config["REDIS_RETRY_AFTER"]
    _failed_until[current_app.config["REDIS_URL"]] = time.monotonic() + retry_after


def redis_ok() -> bool:
    if redis_resting():
        return False
    try:
        return bool(redis_connection().ping())
    except Exception:  # noqa: BLE001 - unreachable, refused, timed out: all mean "not ok"
        _note_failure()
        return False


def rq_queue():
    from rq import Queue

    return Queue(current_app.config.get("RQ_QUEUE", "ideathon"), connection=redis_connection())


def enqueue(
    func_path: str, *args, job_id: str | None = None, job_timeout: int | None = None, **kwargs
):
    """Run `func_path(*args, **kwargs)` in the background, after the current transaction commits.

    Returns True when handed over (or run in-process), False when it could not be (logged)."""
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_AFTER_COMMIT, []).append(
            (func_path, args, kwargs, job_id, job_timeout)
        )
        return True
    return enqueue_now(func_path, *args, job_id=job_id, job_timeout=job_timeout, **kwargs)


def enqueue_now(func_path: str, *args, job_id=None, job_timeout=None, **kwargs) -> bool:
    """Hand the job over at once (no waiting for a commit)."""
    if not current_app.config.get("REDIS_URL"):
        return run_in_process(func_path, *args, **kwargs)
    if redis_resting():
        log.warning("Redis failed moments ago: %s%r waits for the sweep", func_path, args)
        return False
    try:
        rq_queue().enqueue(
            func_path, args=args, kwargs=kwargs, job_id=job_id, job_timeout=job_timeout
        )
        return True
    except Exception:  # noqa: BLE001 - Redis down or refusing: the work waits (outbox sweep)
        _note_failure()
        log.exception("could not enqueue %s%r on Redis", func_path, args)
        return False


def run_in_process(func_path: str, *args, **kwargs) -> bool:
    """Run a job here and now in its own app context (its own session); never raise."""
    app = current_app._get_current_object()
    try:
        func = import_string(func_path)
        with app.app_context():
            func(*args, **kwargs)
        return True
    except Exception:  # noqa: BLE001 - a failing job must not break the request that asked
        log.exception("in-process job %s%r failed", func_path, args)
        return False


@event.listens_for(Session, "after_commit")
def _enqueue_held_jobs(session):
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT was released: the real transaction has not committed yet
    held = session.info.pop(_AFTER_COMMIT, None)
    for func_path, args, kwargs, job_id, job_timeout in held or ():
        enqueue_now(func_path, *args, job_id=job_id, job_timeout=job_timeout, **kwargs)


@event.listens_for(Session, "after_transaction_end")
def _drop_held_jobs(session, transaction):
    # Runs after after_commit; anything left belongs to a transaction that did not commit.
    if transaction.parent is None and not transaction.nested:
        held = session.info.pop(_AFTER_COMMIT, None)
        if held:
            log.info("transaction rolled back: dropped jobs %s", [h[0] for h in held])
