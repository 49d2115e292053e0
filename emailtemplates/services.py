"""An event's e-mail templates: the default text (today's message, in the template language),
checking, saving, previewing with sample data, a test send to oneself through the outbox, and
the outbox's override that sends an event's own text. Services never commit."""

import re
import secrets
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from audit.services import record
from competitions.models import Event
from emailtemplates import sandbox
from emailtemplates.models import EmailTemplate
from emailtemplates.variables import KINDS, sample_values, values_of
from extensions import db, utcnow
from fieldtypes import Text, parse_fields
from jobs.outbox import queue_email
from refusals import NotFound, Refusal

LANGUAGES = ("ar", "fr", "en")
TYPES = {
    "subject": Text.of(EmailTemplate.subject, required=True),
    "body": Text.of(EmailTemplate.body, max_length=10_000, required=True),
}
_NUMBERS = {"done": 900_001, "total": 900_002}  # variables the default's sentences format as %d
_URL = re.compile(r"https?://[^\s<>\"']+")


class EmailTemplateError(Refusal):
    """A template that cannot be saved, previewed or sent as typed (422)."""


class UnknownMessage(EmailTemplateError, NotFound):
    default_message = _l("There is no such message or language.")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def known(kind: str, locale: str) -> None:
    if kind not in KINDS or locale not in LANGUAGES:
        raise UnknownMessage()


def default_text(kind: str, locale: str) -> tuple[str, str]:
    """(subject, body) of today's message in `locale`, written in the template language."""
    names = [*KINDS[kind].variables, "comment"]
    v = {name: _NUMBERS.get(name, "{{ " + name + " }}") for name in names}
    with force_locale(locale):
        subject, body = (
            render_template(
                f"emailtemplates/defaults/{kind}.{part}", v=v, t=lambda tag: "{% " + tag + " %}"
            )
            for part in ("subject.txt", "txt")
        )
    for name, number in _NUMBERS.items():
        subject, body = (x.replace(str(number), "{{ " + name + " }}") for x in (subject, body))
    return " ".join(subject.split()), body.strip() + "\n"


def template_of(event: Event, kind: str, locale: str) -> EmailTemplate | None:
    return db.session.scalar(
        select(EmailTemplate).where(
            EmailTemplate.event_id == event.id,
            EmailTemplate.kind == kind,
            EmailTemplate.locale == locale,
        )
    )


def customised(event: Event) -> set[tuple[str, str]]:
    """{(kind, locale)} of the event's own texts."""
    rows = db.session.execute(
        select(EmailTemplate.kind, EmailTemplate.locale).where(EmailTemplate.event_id == event.id)
    )
    return {(kind, locale) for kind, locale in rows}


def _problem_message(problem: sandbox.TemplateProblem, kind: str):
    allowed = ", ".join(KINDS[kind].variables)
    if problem.kind == "unknown_variable":
        return _l(
            "Unknown variable: %(names)s. The variables of this message are: %(allowed)s.",
            names=", ".join(problem.names) or problem.detail,
            allowed=allowed,
        )
    if problem.kind == "forbidden":
        return _l(
            "Only the listed variables may be used, written {{ name }}; “if” and “for” blocks "
            "are allowed, but no attribute, index, call or other template."
        )
    if problem.kind == "too_long":
        return _l("The message would be too long once written out.")
    if problem.line:
        return _l(
            "The template cannot be read (line %(line)s): %(detail)s",
            line=problem.line,
            detail=problem.detail,
        )
    return _l("The template cannot be read: %(detail)s", detail=problem.detail)


def clean(kind: str, raw) -> dict:
    """Subject and body as typed, checked: lengths, syntax, variables, the sandbox's rules (a
    trial rendering with sample values). EmailTemplateError with a message per field."""
    values, errors = parse_fields(TYPES, raw)
    for field in ("subject", "body"):
        if field in errors:
            continue
        try:
            sandbox.check(values[field], KINDS[kind].variables)
        except sandbox.TemplateProblem as problem:
            errors[field] = _problem_message(problem, kind)
    if errors:
        raise EmailTemplateError(next(iter(errors.values())), errors=errors)
    return values


def _write(subject: str, body: str, values: dict, locale: str, registrant=None) -> Message:
    """Subject, text and HTML of a template written out (HTML: the text escaped, in paragraphs,
    its addresses as links, in the e-mails' layout; a ticket's QR code below)."""
    subject_text = " ".join(sandbox.render(subject, values).split())[:300]
    text = sandbox.render(body, values).strip() + "\n"
    paragraphs = [escape(p).replace("\n", "\u2028") for p in re.split(r"\n\s*\n", text.strip())]
    paragraphs = [
        _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', str(p)).replace(
            "\u2028", "<br>"
        )
        for p in paragraphs
    ]
    html = render_template(
        "emailtemplates/email.html",
        subject=subject_text,
        paragraphs=[Markup(p) for p in paragraphs],
        lang=locale,
        **({"registrant": registrant} if registrant is not None else {}),
    )
    return Message(subject_text, text, html)


def preview(event: Event, kind: str, locale: str, raw) -> Message:
    """The message as typed, written out with sample values, in `locale` (writes nothing)."""
    known(kind, locale)
    values = clean(kind, raw)
    with force_locale(locale):
        try:
            return _write(values["subject"], values["body"], sample_values(kind, event), locale)
        except sandbox.TemplateProblem as problem:
            raise EmailTemplateError(_problem_message(problem, kind), field="body") from None


def save(event: Event, kind: str, locale: str, raw, *, by) -> EmailTemplate:
    """Keep the event's own text for this message and language (checked first)."""
    preview(event, kind, locale, raw)  # a template that cannot be written out is not kept
    values = clean(kind, raw)
    template = template_of(event, kind, locale) or EmailTemplate(
        event_id=event.id, kind=kind, locale=locale
    )
    old = {"subject": template.subject, "body": template.body} if template.id else None
    template.subject, template.body = values["subject"], values["body"]
    template.updated_at, template.updated_by_id = utcnow(), getattr(by, "id", by)
    db.session.add(template)
    db.session.flush()
    record(
        "email_template",
        template.id,
        "save",
        by=by,
        event_id=event.id,
        old=old,
        new={"kind": kind, "locale": locale, **values},
    )
    return template


def reset(event: Event, kind: str, locale: str, *, by) -> None:
    """Back to the default text: the event's own is deleted."""
    known(kind, locale)
    template = template_of(event, kind, locale)
    if template is None:
        return
    record(
        "email_template",
        template.id,
        "reset",
        by=by,
        event_id=event.id,
        old={"kind": kind, "locale": locale, "subject": template.subject, "body": template.body},
    )
    db.session.delete(template)
    db.session.flush()


def send_test(event: Event, kind: str, locale: str, raw, *, by):
    """The message as typed, with sample values, to the organiser's own address, through the
    outbox (sent after the commit)."""
    message = preview(event, kind, locale, raw)
    if not getattr(by, "email", None):
        raise EmailTemplateError(_l("Your account has no e-mail address."))
    return queue_email(
        kind="template_test",
        to=by.email,
        locale=locale,
        template=kind,
        context={},
        dedupe_key=f"template-test:{event.id}:{kind}:{locale}:{secrets.token_hex(8)}",
        event_id=event.id,
        rendered=(message.subject, message.text, message.html),
    )


def override(template: str, locale: str, context: dict, event_id: int):
    """The outbox's hook: the event's own text for this message, written out with the message's
    values; None (the default is sent) when there is none, or when it cannot be written out."""
    if template not in KINDS:
        return None
    found = db.session.scalar(
        select(EmailTemplate).where(
            EmailTemplate.event_id == event_id,
            EmailTemplate.kind == template,
            EmailTemplate.locale == locale,
        )
    )
    if found is None:
        return None
    try:
        message = _write(
            found.subject,
            found.body,
            values_of(template, context),
            locale,
            context.get("registrant"),
        )
    except sandbox.TemplateProblem:
        return None
    return message.subject, message.text, message.html
