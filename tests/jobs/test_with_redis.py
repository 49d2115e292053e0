"""rq on the real Redis: a real worker executes the jobs; Redis down during a submission; a
worker process killed in the middle of an export."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue
from sqlalchemy import select

from extensions import db
from jobs import exports
from jobs.models import ExportJob, OutboxEmail
from jobs.outbox import queue_email
from jobs.queue import enqueue_now, redis_connection
from jobs.worker import run_worker
from submissions.models import Idea
from tests.builders import make_event, make_idea, make_user
from tests.jobs.conftest import write_workbook

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]


def work(app):
    """Run a real rq worker (in this process, burst mode) on the test queue. Our session ends its
    transaction first: on SQLite a worker-side read holds the write lock until it ends."""
    db.session.rollback()
    run_worker(app, burst=True)
    db.session.expire_all()


def rq_queue(app):
    return Queue(app.config["RQ_QUEUE"], connection=redis_connection())


def receipt(idea, event, key="receipt:1"):
    return queue_email(
        kind="receipt",
        to="fatima@example.ma",
        locale="fr",
        template="receipt",
        context={"idea": idea, "event": event},
        dedupe_key=key,
        event_id=event.id,
    )


def test_email_is_queued_on_redis_after_commit_and_a_worker_sends_it_once(app, redis_url, smtp):
    event = make_event()
    idea = make_idea(event)
    email = receipt(idea, event)
    assert rq_queue(app).count == 0  # not before the commit
    db.session.commit()
    assert rq_queue(app).job_ids == [f"outbox-{email.id}"]
    assert smtp.messages == []  # the web process sends nothing itself
    enqueue_now("jobs.mail.send_outbox_email", email.id)  # a duplicate job, e.g. a retried enqueue
    work(app)
    [message] = smtp.wait_for(1)
    assert message["Subject"].endswith(idea.receipt_code)
    assert len(smtp.wait_for(2, timeout=0.5)) == 1  # the duplicate sent nothing
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email.id).status == "sent"


def test_redis_down_during_a_submission_then_the_email_goes_out_once(
    app, redis_url, smtp, closed_port, runner
):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/0"  # Redis is down
    event = make_event()
    started = time.monotonic()
    idea = Idea(
        event=event,
        receipt_code="OUJ-7K3D",
        title="Huile d'argan",
        problem="p",
        solution="s",
        sector="agrifood",
        region_code=event.region_code,
        province_code="02.411",
        lead_name="Fatima",
        lead_phone="+212612345678",
        lead_email="fatima@example.ma",
    )
    db.session.add(idea)
    db.session.flush()
    email = receipt(idea, event, key=f"receipt:idea:{idea.id}")
    db.session.commit()  # the submission succeeds, at once
    assert time.monotonic() - started < 5
    db.session.expire_all()
    assert db.session.scalar(select(Idea.receipt_code)) == "OUJ-7K3D"
    assert db.session.get(OutboxEmail, email.id).status == "pending"
    assert smtp.messages == []

    app.config["REDIS_URL"] = redis_url  # Redis is back
    db.session.rollback()
    result = runner.invoke(args=["worker", "--burst"])  # the worker sweeps what waited
    assert result.exit_code == 0, result.output
    assert len(smtp.wait_for(1)) == 1
    result = runner.invoke(args=["send-pending", "--retry-now"])
    assert "Envoyés : 0" in result.output
    work(app)
    assert len(smtp.wait_for(2, timeout=0.5)) == 1  # exactly once
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email.id).status == "sent"


def test_export_through_rq_builds_one_file_even_when_the_job_runs_twice(
    app, redis_url, builders, exports_dir
):
    calls = []

    def build(path, params, locale, progress):
        calls.append(path)
        write_workbook(path, params, locale, progress)

    builders("test-book", build)
    export = exports.start_export("test-book", {}, make_user("organiser", email=None), "fr")
    db.session.commit()
    assert rq_queue(app).job_ids == [f"export-{export.id}-1"]
    enqueue_now("jobs.exports.run_export", export.id)  # the same job twice
    work(app)
    export = db.session.get(ExportJob, export.id)
    assert export.status == "done" and len(calls) == 1
    assert sorted(p.name for p in exports_dir.iterdir()) == [export.file_name]


def test_worker_killed_mid_export_leaves_no_file_shows_failed_and_retry_works(
    app, redis_url, builders, exports_dir, client, login, tmp_path
):
    app.config["EXPORT_STALE_SECONDS"] = 2
    builders("slow-test", write_workbook)  # here, a fast one; the worker process has a slow one
    organiser = login(make_user("organiser"))
    export = exports.start_export("slow-test", {"steps": 600}, organiser, "fr")
    db.session.commit()
    export_id = export.id
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "MAIL_SUPPRESS_SEND": True,
        "INSTANCE": str(tmp_path),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "RQ_QUEUE": app.config["RQ_QUEUE"],
        "EXPORTS_DIR": str(exports_dir),
        "EXPORT_STALE_SECONDS": 2,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.slow_worker", json.dumps(config)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            status, progress = db.session.execute(
                select(ExportJob.status, ExportJob.progress).where(ExportJob.id == export_id)
            ).one()
            db.session.rollback()  # never sit on a transaction while the worker writes
            if status == "running" and progress >= 5:
                break
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never got going"
            time.sleep(0.1)
        assert [p.suffix for p in exports_dir.iterdir()] == [".part"]  # half written, not in place
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()
    db.session.rollback()

    time.sleep(2.5)  # no sign of life for longer than EXPORT_STALE_SECONDS
    state = client.get(f"/tour/exports/{export_id}.json").get_json()
    assert state["status"] == "failed" and state["download_url"] is None
    assert client.get(f"/tour/exports/{export_id}/download").status_code == 409
    assert not any(p.suffix == ".xlsx" for p in exports_dir.iterdir())
    db.session.rollback()
    assert exports.reap_lost_exports() == 1  # the worker's periodic sweep does this
    assert list(exports_dir.iterdir()) == []  # the half file is gone too

    db.session.rollback()
    assert client.post(f"/tour/exports/{export_id}/retry").status_code == 303
    work(app)
    export = db.session.get(ExportJob, export_id)
    assert export.status == "done" and export.attempts == 2
    assert [p.name for p in exports_dir.iterdir()] == [export.file_name]


def test_healthz_reports_redis(app, redis_url, client, closed_port):
    assert client.get("/healthz").get_json()["redis"] == "ok"
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["redis"] == "unreachable"
