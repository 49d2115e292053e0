"""The background work's vocabularies: an e-mail in the outbox, an export, and what one run of
their jobs did."""

from typing import ClassVar

from vocabulary import Vocabulary


class OutboxState(Vocabulary):
    """pending → sending (claimed by a worker, under a lease) → sent, or back to pending to
    retry, or failed."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    DUE: ClassVar[tuple["OutboxState", ...]]  # to send ("sending" once its lease has expired)


OutboxState.DUE = (OutboxState.PENDING, OutboxState.SENDING)


class ExportState(Vocabulary):
    """queued → running → done, or failed (an organiser may retry it)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    UNFINISHED: ClassVar[tuple["ExportState", ...]]


ExportState.UNFINISHED = (ExportState.QUEUED, ExportState.RUNNING)


class SendOutcome(Vocabulary):
    """What one run of the send job did with one e-mail."""

    SENT = "sent"
    RETRY = "retry"  # a temporary failure: back to pending, tried again later
    FAILED = "failed"
    SKIPPED = "skipped"  # not due, or claimed by another worker


class BuildOutcome(Vocabulary):
    """What one run of the export job did."""

    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # not queued, or another run holds it


class WorkerState(Vocabulary):
    """What rq says of an export's job (its own words), plus what we say when rq cannot."""

    MISSING = "missing"  # Redis has no such job
    UNKNOWN = "unknown"  # Redis unreachable: never declare a job dead on a hiccup
    IN_PROCESS = "in-process"  # no Redis: the job runs in the web process
    FAILED = "failed"
    STOPPED = "stopped"
    CANCELED = "canceled"
    FINISHED = "finished"

    GONE: ClassVar[tuple["WorkerState", ...]]  # no worker will run or finish this job


WorkerState.GONE = (
    WorkerState.MISSING,
    WorkerState.FAILED,
    WorkerState.STOPPED,
    WorkerState.CANCELED,
    WorkerState.FINISHED,
)
