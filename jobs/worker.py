"""The rq worker of this app: every job runs inside an app context, and between jobs the worker
sweeps the outbox (sends what waits, e.g. e-mails queued while Redis was down) and marks lost
exports failed.

SimpleWorker (no fork per job): a forked child would inherit the parent's database connections,
and a killed worker would leave an orphan child still writing the file; here one process is one
worker, so run several processes (or hosts) for parallelism. The sweep uses rq's own maintenance
hook (every `interval` seconds, also while idle) rather than a thread or a second scheduler
process: nothing extra to supervise, and with N workers each sweep claims rows one by one, so
no e-mail is sent twice.
"""

import logging

log = logging.getLogger(__name__)


_periodic_tasks: dict = {}


def add_periodic_task(name: str, fn) -> None:
    """Register `fn()` (returns a count), run by every sweep after the outbox and the exports,
    in its own transaction (it commits): e.g. the retention of personal data."""
    _periodic_tasks[name] = fn


def sweep() -> dict:
    """One pass of the periodic work: send the due outbox, reap lost exports, then each
    registered periodic task (a failing task is logged and the others still run)."""
    from jobs.exports import reap_lost_exports
    from jobs.mail import send_pending

    counts = send_pending()
    counts["lost_exports"] = reap_lost_exports()
    for name, task in _periodic_tasks.items():
        try:
            counts[name] = task()
        except Exception:  # noqa: BLE001 - retried at the next sweep
            from extensions import db

            db.session.rollback()
            log.exception("periodic task %s failed", name)
    return counts


def _app_worker(app):
    """A SimpleWorker class that runs each job, and the periodic sweep, inside `app`. rq is
    imported here, by the worker process only: the web processes never load it (7 MB each)."""
    from rq import SimpleWorker

    class AppWorker(SimpleWorker):
        def execute_job(self, job, queue):
            with app.app_context():
                return super().execute_job(job, queue)

        def run_maintenance_tasks(self):
            super().run_maintenance_tasks()
            try:
                with app.app_context():
                    counts = sweep()
                if any(counts.values()):
                    log.info("sweep: %s", counts)
            except Exception:  # noqa: BLE001 - a failed sweep is retried at the next interval
                log.exception("periodic sweep failed")

    return AppWorker


def run_worker(app, *, burst: bool = False, interval: int = 60, name: str | None = None) -> bool:
    """Start a worker on the app's queue (blocks; burst: stop when the queue is empty)."""
    from rq import Queue

    with app.app_context():
        from jobs.queue import redis_connection

        connection = redis_connection(timeout=app.config["REDIS_WORKER_SOCKET_TIMEOUT"])
        queue = Queue(app.config.get("RQ_QUEUE", "ideathon"), connection=connection)
    worker = _app_worker(app)(
        [queue],
        connection=connection,
        name=name,
        maintenance_interval=interval,
        worker_ttl=max(20, interval + 15),  # the idle wait is ttl - 15: the sweep runs on time
    )
    return worker.work(burst=burst, logging_level="INFO")
