"""Sending the outbox with Flask-Mail: one claimed row at a time, retried with back-off.

A row is claimed by a conditional UPDATE (status → "sending", next_attempt_at → now + lease) that
only one worker can win, and committed before the message goes out; a worker that dies while
sending leaves a lease that expires, so the row is picked up again by the sweep."""

import logging
import smtplib
from datetime import timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import func, select, update

from extensions import db, mail, utcnow
from jobs.models import OutboxEmail, UndeliverableAddress
from jobs.states import OutboxState, SendOutcome

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The mail server refused the recipient for good (5xx)."""


def _config(name: str, default):
    return current_app.config.get(name, default)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: base · 2^(attempts-1), capped (1 min, 2, 4 … 1 h by default)."""
    base = _config("MAIL_RETRY_BASE_SECONDS", 60)
    cap = _config("MAIL_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _claim(outbox_id: int) -> bool:
    now = utcnow()
    lease = timedelta(seconds=_config("MAIL_SEND_LEASE_SECONDS", 300))
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == outbox_id,
            OutboxEmail.status.in_(OutboxState.DUE),
            OutboxEmail.next_attempt_at <= now,
        )
        .values(status=OutboxState.SENDING, next_attempt_at=now + lease)
    )
    db.session.commit()
    return result.rowcount == 1


def _deliver(email: OutboxEmail) -> None:
    message = Message(
        subject=email.subject,
        recipients=[email.recipient],
        body=email.body_text,
        html=email.body_html,
        sender=_config("MAIL_DEFAULT_SENDER", None),
        extra_headers={"Content-Language": email.locale},
    )
    try:
        mail.send(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(_smtp_text(error.recipients)) from error
        raise


def _smtp_text(recipients: dict) -> str:
    return "; ".join(
        f"{address}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
        for address, (code, text) in recipients.items()
    )


def send_outbox_email(outbox_id: int) -> SendOutcome:
    """The send job. Returns what happened: sent, retry, failed or skipped (not due,
    already sent, or claimed by another worker: never sent twice)."""
    if not _claim(outbox_id):
        return SendOutcome.SKIPPED
    email = db.session.get(OutboxEmail, outbox_id)
    try:
        _deliver(email)
    except PermanentFailure as error:
        email.status, email.last_error = OutboxState.FAILED, str(error)[:2000]
        email.attempts += 1
        if not db.session.scalar(
            select(UndeliverableAddress.id).where(UndeliverableAddress.email == email.recipient)
        ):
            db.session.add(UndeliverableAddress(email=email.recipient, reason=str(error)[:2000]))
        db.session.commit()
        log.warning("outbox %s: %s refused permanently", outbox_id, email.recipient)
        return SendOutcome.FAILED
    except Exception as error:  # noqa: BLE001 - any other failure is worth another try
        email.attempts += 1
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= _config("MAIL_MAX_ATTEMPTS", 10):
            email.status = OutboxState.FAILED
        else:
            email.status = OutboxState.PENDING
            email.next_attempt_at = utcnow() + backoff(email.attempts)
        db.session.commit()
        log.warning("outbox %s: attempt %s failed: %s", outbox_id, email.attempts, error)
        return SendOutcome.RETRY if email.status == OutboxState.PENDING else SendOutcome.FAILED
    email.status, email.sent_at, email.last_error = OutboxState.SENT, utcnow(), None
    email.attempts += 1
    db.session.commit()
    return SendOutcome.SENT


def due_ids(limit: int = 500) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxEmail.id)
            .where(OutboxEmail.status.in_(OutboxState.DUE), OutboxEmail.next_attempt_at <= utcnow())
            .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            .limit(limit)
        )
    )


def send_pending(limit: int = 500, *, retry_now: bool = False) -> dict:
    """Send every message that is due. retry_now first makes waiting (back-off) rows due at once.
    Stops early when the mail server cannot be reached: the rest keep waiting."""
    if retry_now:
        db.session.execute(
            update(OutboxEmail)
            .where(
                OutboxEmail.status == OutboxState.PENDING, OutboxEmail.next_attempt_at > utcnow()
            )
            .values(next_attempt_at=utcnow())
        )
        db.session.commit()
    ids = due_ids(limit)
    db.session.commit()  # end the read before sending (SQLite write lock, PG snapshot)
    counts = dict.fromkeys(SendOutcome, 0)
    for outbox_id in ids:
        outcome = send_outbox_email(outbox_id)
        counts[outcome] += 1
        if outcome == SendOutcome.RETRY:
            error = db.session.get(OutboxEmail, outbox_id).last_error or ""
            if error.startswith(("ConnectionRefusedError", "SMTPConnectError", "TimeoutError")):
                break  # the server is down: no point hammering it with the rest
    return counts


def outbox_counts() -> dict:
    rows = db.session.execute(
        select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    ).all()
    counts = dict.fromkeys((OutboxState.PENDING, OutboxState.SENT, OutboxState.FAILED), 0)
    for status, count in rows:  # a message being sent is still pending
        counts[OutboxState.PENDING if status == OutboxState.SENDING else status] += count
    return counts
