"""Export jobs: workbooks built in the background into a temporary file, moved into place only
when complete. Higher floors register a builder per kind ("rankings", "bank"):

    register_export_builder("rankings", build, label=_l("the Excel rankings"))
    def build(path, params, locale, progress): ...  # write the workbook at path; progress(42)

Each run of an export is numbered (ExportJob.attempts); only the run that still owns the row may
record progress or mark it done, so a run declared dead (worker killed, timed out) can never
overwrite a retry."""

import logging
import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from accounts.models import User
from extensions import db, utcnow
from jobs.models import ExportJob
from jobs.outbox import external_url, queue_email
from jobs.queue import enqueue
from jobs.states import BuildOutcome, ExportState, WorkerState
from refusals import Conflict, Refusal

log = logging.getLogger(__name__)

Builder = Callable[[str, dict, str, Callable[[int], None]], None]
_BUILDERS: dict[str, Builder] = {}
_PERSONAL: dict[str, Callable[[dict], bool]] = {}
_LABELS = {"rankings": _l("the Excel rankings"), "bank": _l("the project bank")}

# Stored in ExportJob.error for failures the organiser should read in their language.
WORKER_LOST = "worker-lost"
NOT_STARTED = "not-started"


class ExportError(Refusal):
    """An export that cannot be started; the message is for the organiser."""


class ExportNotRetryable(ExportError, Conflict):
    """Only a failed export can be started again (409)."""


class ExportAbandoned(Exception):
    """This run no longer owns its export (declared dead, retried): stop building."""


def register_export_builder(kind: str, fn: Builder, label=None, *, personal=None) -> None:
    """`personal(params)` says whether the workbook holds personal data (its file name then
    says so); without it, the kind's workbooks always do."""
    _BUILDERS[kind] = fn
    _PERSONAL[kind] = personal or (lambda _params: True)
    if label is not None:
        _LABELS[kind] = label


def holds_personal_data(export: ExportJob) -> bool:
    return _PERSONAL.get(export.kind, lambda _params: True)(export.params or {})


def kind_label(kind: str) -> str:
    return str(_LABELS.get(kind, kind))


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def exports_dir() -> Path:
    path = Path(current_app.config["EXPORTS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(export: ExportJob) -> Path | None:
    return exports_dir() / export.file_name if export.file_name else None


def rq_job_id(export_id: int, run: int) -> str:
    return f"export-{export_id}-{run}"


def _enqueue_run(export: ExportJob) -> None:
    enqueue(
        "jobs.exports.run_export",
        export.id,
        job_id=rq_job_id(export.id, export.attempts + 1),
        job_timeout=_setting("EXPORT_TIMEOUT_SECONDS", 1800),
    )


def start_export(kind: str, params: dict | None, by: User | None, locale: str) -> ExportJob:
    """Create a queued export (current transaction) and have it built after the commit."""
    if kind not in _BUILDERS:
        raise ExportError(_l("This kind of export does not exist."))
    export = ExportJob(
        kind=kind,
        params=dict(params or {}),
        requested_by_id=by.id if by is not None else None,
        locale=locale if locale in current_app.config["LANGUAGES"] else "fr",
        status=ExportState.QUEUED,
        progress=0,
        attempts=0,
    )
    db.session.add(export)
    db.session.flush()
    _enqueue_run(export)
    return export


def _remove_partials(export_id: int) -> None:
    for leftover in exports_dir().glob(f".export-{export_id}-*.part"):
        leftover.unlink(missing_ok=True)


def _owned(export_id: int, run: int):
    return update(ExportJob).where(
        ExportJob.id == export_id,
        ExportJob.status == ExportState.RUNNING,
        ExportJob.attempts == run,
    )


def run_export(export_id: int) -> BuildOutcome:
    """The job: build the workbook once. Returns done, failed or skipped (not queued:
    already done, running elsewhere or unknown; a done export is never rebuilt)."""
    now = utcnow()
    claimed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == export_id, ExportJob.status == ExportState.QUEUED)
        .values(
            status=ExportState.RUNNING,
            attempts=ExportJob.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error=None,
            finished_at=None,
        )
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return BuildOutcome.SKIPPED
    export = db.session.get(ExportJob, export_id)
    run, kind, params, locale = (
        export.attempts,
        export.kind,
        dict(export.params or {}),
        export.locale,
    )
    directory = exports_dir()
    handle, partial = tempfile.mkstemp(
        dir=directory, prefix=f".export-{export_id}-", suffix=".part"
    )
    os.close(handle)
    last = {"percent": -1, "at": 0.0}

    def progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent == last["percent"] and time.monotonic() - last["at"] < 1:
            return
        last.update(percent=percent, at=time.monotonic())
        moved = db.session.execute(
            _owned(export_id, run).values(progress=percent, heartbeat_at=utcnow())
        )
        db.session.commit()
        if moved.rowcount != 1:
            raise ExportAbandoned(export_id)

    final_name = f"export-{export_id}-{kind}.xlsx"
    try:
        builder = _BUILDERS.get(kind)
        if builder is None:
            raise LookupError(f"no export builder registered for {kind!r}")
        builder(partial, params, locale, progress)
        done = db.session.execute(
            _owned(export_id, run).values(
                status=ExportState.DONE, progress=100, file_name=final_name, finished_at=utcnow()
            )
        )
        if done.rowcount != 1:
            raise ExportAbandoned(export_id)
        os.replace(partial, directory / final_name)
        _queue_ready_email(db.session.get(ExportJob, export_id))
        db.session.commit()
        return BuildOutcome.DONE
    except ExportAbandoned:
        db.session.rollback()
        Path(partial).unlink(missing_ok=True)
        log.warning("export %s run %s abandoned", export_id, run)
        return BuildOutcome.SKIPPED
    except Exception as error:  # noqa: BLE001 - a failing builder marks the export failed
        db.session.rollback()
        Path(partial).unlink(missing_ok=True)
        log.exception("export %s run %s failed", export_id, run)
        db.session.execute(
            _owned(export_id, run).values(
                status=ExportState.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=utcnow(),
            )
        )
        db.session.commit()
        return BuildOutcome.FAILED


def _queue_ready_email(export: ExportJob) -> None:
    user = db.session.get(User, export.requested_by_id) if export.requested_by_id else None
    if user is None or not user.email:
        return
    queue_email(
        kind="export_ready",
        to=user.email,
        locale=user.locale or export.locale,
        template="export_ready",
        context={
            "export": export,
            "download_url": external_url("jobs.export_download", export_id=export.id),
        },
        dedupe_key=f"export_ready:{export.id}",
    )


def lost_reason(export: ExportJob) -> str | None:
    """Why a queued/running export will never finish (its worker is gone), or None. Reads only."""
    if export.status not in ExportState.UNFINISHED:
        return None
    now = utcnow()
    stale = timedelta(seconds=_setting("EXPORT_STALE_SECONDS", 120))
    timeout = timedelta(seconds=_setting("EXPORT_TIMEOUT_SECONDS", 1800))
    if export.status == ExportState.RUNNING:
        last_sign = export.heartbeat_at or export.started_at or export.created_at
        if now - last_sign > stale or now - (export.started_at or now) > timeout + stale:
            return WORKER_LOST
        state = _rq_state(rq_job_id(export.id, export.attempts))
        return WORKER_LOST if state in WorkerState.GONE else None
    if now - export.created_at > stale:
        state = _rq_state(rq_job_id(export.id, export.attempts + 1))
        if state in WorkerState.GONE or (
            state == WorkerState.IN_PROCESS and now - export.created_at > timeout
        ):
            return NOT_STARTED
    return None


def _rq_state(job_id: str) -> str:
    """The rq job's status (a WorkerState's word), or what we say when rq cannot tell."""
    if not current_app.config.get("REDIS_URL"):
        return WorkerState.IN_PROCESS
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from jobs.queue import redis_connection, redis_resting

    if redis_resting():
        return WorkerState.UNKNOWN
    try:
        status = Job.fetch(job_id, connection=redis_connection()).get_status(refresh=False)
    except NoSuchJobError:
        return WorkerState.MISSING
    except Exception:  # noqa: BLE001 - Redis unreachable
        return WorkerState.UNKNOWN
    return str(getattr(status, "value", status))


def mark_lost(export: ExportJob) -> bool:
    """Record a lost export as failed (and remove its half-written file). True if it was lost."""
    reason = lost_reason(export)
    if reason is None:
        return False
    condition = [
        ExportJob.id == export.id,
        ExportJob.status == export.status,
        ExportJob.attempts == export.attempts,
    ]
    marked = db.session.execute(
        update(ExportJob)
        .where(*condition)
        .values(status=ExportState.FAILED, error=reason, finished_at=utcnow())
    )
    if marked.rowcount == 1:
        _remove_partials(export.id)
    db.session.flush()
    db.session.refresh(export)
    return marked.rowcount == 1


def reap_lost_exports() -> int:
    """Mark every lost export failed (run by the worker's periodic sweep). Returns how many."""
    pending = db.session.scalars(
        select(ExportJob).where(ExportJob.status.in_(ExportState.UNFINISHED))
    )
    count = sum(1 for export in list(pending) if mark_lost(export))
    db.session.commit()
    return count


def retry_export(export: ExportJob, by: User | None = None) -> ExportJob:
    """Queue a new run of a failed (or lost) export, in the current transaction."""
    mark_lost(export)
    if export.status != ExportState.FAILED:
        raise ExportNotRetryable(_l("Only a failed export can be started again."))
    _remove_partials(export.id)
    export.status, export.progress, export.error = ExportState.QUEUED, 0, None
    export.file_name, export.started_at, export.heartbeat_at, export.finished_at = (
        None,
        None,
        None,
        None,
    )
    db.session.flush()
    _enqueue_run(export)
    return export
