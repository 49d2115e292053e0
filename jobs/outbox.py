"""The e-mail outbox: a message is rendered and stored in the transaction that caused it, and sent
by a job once that transaction has committed (so nothing is sent for data that was rolled back,
and nothing is lost when Redis or the mail server is down)."""

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from extensions import db, utcnow
from jobs.models import OutboxEmail, UndeliverableAddress
from jobs.queue import enqueue
from jobs.states import OutboxState

UNDELIVERABLE_NOTE = "address marked undeliverable: not sent"


def normalise_address(address: str | None) -> str:
    return (address or "").strip().lower()


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # `flask run`'s address: jobs and CLI, no config


def site_base_url() -> str:
    """The address links and QR codes lead to. While serving a request in development, or with
    no EXTERNAL_BASE_URL configured: the address this request came to (the port the app really
    runs on). Otherwise (production, jobs, the CLI): EXTERNAL_BASE_URL, else 127.0.0.1:5000."""
    config = current_app.config
    configured = config.get("EXTERNAL_BASE_URL")
    in_development = (config.get("APP_ENV") or "development") == "development"
    if has_request_context() and (in_development or not configured):
        return request.host_url.rstrip("/")
    return (configured or DEVELOPMENT_BASE_URL).rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message or a printed code: `site_base_url()` + the route."""
    base = site_base_url()
    with current_app.test_request_context(base_url=base):
        try:
            return url_for(endpoint, _external=True, **values)
        except BuildError:
            return base + "/"


_overrides: list = []


def use_template_override(fn) -> None:
    """Register `fn(template, locale, context, event_id) -> (subject, text, html) | None`: an
    event's own text for a message (the organisers' e-mail templates); None keeps the default."""
    if fn not in _overrides:
        _overrides.append(fn)


def render_email(
    template: str, locale: str, context: dict, event_id: int | None = None
) -> tuple[str, str, str]:
    """(subject, text, html) of templates/email/<template>.* in the recipient's language, or
    the event's own text for it when its organisers wrote one."""
    with force_locale(locale):
        for override in _overrides:
            if event_id is not None and (found := override(template, locale, context, event_id)):
                return found
        values = dict(context, lang=locale, external_url=external_url)
        if "export" in values and "export_name" not in values:
            from jobs.exports import kind_label

            values["export_name"] = kind_label(values["export"].kind)
        subject = render_template(f"email/{template}.subject.txt", **values)
        text = render_template(f"email/{template}.txt", **values)
        html = render_template(f"email/{template}.html", **values)
    return " ".join(subject.split()), text.strip() + "\n", html


def queue_email(
    *,
    kind,
    to,
    locale,
    template,
    context,
    dedupe_key,
    event_id=None,
    once_per=None,
    rendered=None,
):
    """Store an e-mail in the outbox, in the current transaction (no commit), and have it sent
    after the commit. Idempotent on dedupe_key (returns the existing row). An address marked
    undeliverable gets a row that is already "failed", so organisers see why. No address: None.
    `once_per` (a timedelta): None, storing nothing, when an e-mail of this kind went to this
    address for this event within that time (a public form must not mail one address in bulk).
    `rendered` (subject, text, html): a message already written (an organiser's test send)."""
    recipient = normalise_address(to)
    if not recipient:
        return None
    if once_per is not None and _sent_lately(kind, recipient, event_id, once_per):
        return None
    existing = db.session.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    languages = current_app.config.get("LANGUAGES", ("fr", "ar", "en"))
    locale = locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, text, html = rendered or render_email(template, locale, context, event_id)
    email = OutboxEmail(
        dedupe_key=dedupe_key,
        kind=kind,
        recipient=recipient,
        locale=locale,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        event_id=event_id,
        status=OutboxState.PENDING,
        attempts=0,
    )
    undeliverable = db.session.scalar(
        select(UndeliverableAddress.id).where(UndeliverableAddress.email == recipient)
    )
    if undeliverable is not None:
        email.status, email.last_error = OutboxState.FAILED, UNDELIVERABLE_NOTE
    try:
        with db.session.begin_nested():  # a concurrent twin with the same key: keep theirs
            db.session.add(email)
    except IntegrityError:
        return db.session.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == dedupe_key))
    if email.status == OutboxState.PENDING:
        enqueue("jobs.mail.send_outbox_email", email.id, job_id=f"outbox-{email.id}")
    return email


def _sent_lately(kind: str, recipient: str, event_id, within) -> bool:
    return (
        db.session.scalar(
            select(OutboxEmail.id)
            .where(
                OutboxEmail.recipient == recipient,
                OutboxEmail.kind == kind,
                OutboxEmail.event_id == event_id,
                OutboxEmail.created_at > utcnow() - within,
            )
            .limit(1)
        )
        is not None
    )
