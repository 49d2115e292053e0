"""A serving process, once it has loaded the app, moves its startup objects out of the garbage
collector's sight (`extensions.settle_process`): gunicorn's workers and the job worker."""

import gc
import runpy
from pathlib import Path

from extensions import settle_process

ROOT = Path(__file__).resolve().parents[2]


def test_settle_process_freezes_what_startup_made():
    try:
        settle_process()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process goes on collecting its tests' objects


def test_gunicorn_workers_settle_once_the_app_is_loaded(monkeypatch):
    calls = []
    monkeypatch.setattr("extensions.settle_process", lambda: calls.append(True))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config["post_worker_init"](worker=None)
    assert calls == [True]


def test_the_job_worker_settles_before_its_first_job(app, monkeypatch):
    from jobs import cli

    calls = []
    monkeypatch.setattr(cli, "settle_process", lambda: calls.append("settled"))
    monkeypatch.setattr(cli, "run_worker", lambda app, **kwargs: calls.append("work"))
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    result = app.test_cli_runner().invoke(cli.worker_command, ["--burst"])
    assert result.exit_code == 0, result.output
    assert calls == ["settled", "work"]
