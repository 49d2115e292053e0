"""Personal data (Law 09-08): the privacy notice in force, erasing an idea's personal data (one
service, used by the retention job and by approved deletion requests), what is held about an
idea, and participants' deletion requests."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from blinker import signal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from audit.models import AuditEntry
from audit.services import record
from competitions.models import Event
from extensions import db, utcnow
from fieldtypes import FieldError, Text
from jobs.models import OutboxEmail
from jobs.states import OutboxState
from refusals import Conflict, NotFound, Refusal
from submissions import attachments, questions, team
from submissions.models import DeletionRequest, Idea
from submissions.states import AnonymiseReason, DeletionState

# The notice participants accept: templates/submissions/privacy/notice_<version>_<lang>.html.
# A new text is a new version (new templates); every consent records the version it accepted.
PRIVACY_NOTICE_VERSION = "v1"
PRIVACY_NOTICE_DATES = {"v1": date(2026, 12, 1)}
NOTICE_LANGUAGES = ("ar", "fr", "en")

# What anonymising erases: who the participant is and how to reach them. What the jury judged,
# the results and the statistics (sector, region, gender, age bracket, status) are kept.
PERSONAL_FIELDS = ("lead_name", "lead_phone", "lead_email", "other_members")
TEXT_FIELDS = ("title", "problem", "solution", "beneficiaries", "local_resources")
REDACTED = "[…]"
ERASED_NOTE = "recipient erased (personal data): not sent"
# An e-mail address or a phone number written inside the idea's own text.
CONTACT_PATTERN = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:(?:\+|00)\s*212[\s.-]*|\b0)[5-7](?:[\s.-]*\d){8}\b"
)

DELETION_LABELS = {
    DeletionState.PENDING: _l("waiting for the organisers' decision"),
    DeletionState.APPROVED: _l("approved: the data are erased"),
    DeletionState.REFUSED: _l("refused"),
}
DELETION_REASON = Text.of(DeletionRequest.reason)
REFUSAL_REASON = Text.of(DeletionRequest.refusal_reason)

# sender=idea, by=, reason= (AnonymiseReason): a higher floor erases its own copies (the bank).
idea_anonymised = signal("idea-anonymised")


class PrivacyError(Refusal):
    """A request about personal data that cannot be done as asked."""


class PrivacyConflict(PrivacyError, Conflict):
    """Not now: already erased, already decided."""


class NoSuchIdea(PrivacyError, NotFound):
    default_message = _l(
        "No idea matches this receipt code and phone number. Check both and try again."
    )


def notice_template(lang: str, version: str = PRIVACY_NOTICE_VERSION) -> str:
    lang = lang if lang in NOTICE_LANGUAGES else "fr"
    return f"submissions/privacy/notice_{version}_{lang}.html"


# --- Anonymising -------------------------------------------------------------------------------


def redact_contacts(text: str | None) -> str | None:
    """The text with every e-mail address and Moroccan phone number replaced by […]."""
    return CONTACT_PATTERN.sub(REDACTED, text) if text else text


def anonymise_idea(idea: Idea, *, reason: str, by=None, source: str | None = None) -> dict:
    """Erase the idea's personal data: the lead's name, phone and e-mail, the other members
    (and the team members' names, roles and phones), the attachment and the files answered
    (deleted), contact details written in its texts and text answers, contact details written in its texts, and the same in its
    audit entries and e-mails. Kept: the idea's text, sector, region, gender, age bracket and
    status, its receipt code, scores and results. Returns what was done (also audited)."""
    if AnonymiseReason.parse(reason) is None:
        raise ValueError(f"unknown reason {reason!r}")
    if idea.is_anonymised:
        return {}
    address = (idea.lead_email or "").strip().lower()
    texts = [f for f in TEXT_FIELDS if redact_contacts(getattr(idea, f)) != getattr(idea, f)]
    for field in texts:
        setattr(idea, field, redact_contacts(getattr(idea, field)))
    idea.lead_name, idea.lead_phone, idea.lead_email, idea.other_members = "", "", None, ""
    if idea.original:
        idea.original = {
            k: ("" if k in PERSONAL_FIELDS else redact_contacts(v) if isinstance(v, str) else v)
            for k, v in idea.original.items()
        }
    extras = {"members_erased": team.erase_members(idea.id)}
    extras.update(questions.erase_answers(idea.id, redact_contacts))
    had_file = bool(idea.attachment_path)
    attachments.discard(idea.attachment_path)
    idea.attachment_path = idea.attachment_name = idea.attachment_mime = None
    idea.submit_token = None
    idea.anonymised_at = utcnow()
    entries = _scrub_audit(idea)
    emails = _scrub_outbox(idea, address)
    db.session.flush()
    done = {
        "reason": reason,
        "fields": [*PERSONAL_FIELDS, *texts],
        "attachment_deleted": had_file,
        "audit_entries_scrubbed": entries,
        "emails_scrubbed": emails,
        **extras,
    }
    for _receiver, extra in idea_anonymised.send(idea, by=by, reason=reason):
        done.update(extra or {})
    record("idea", idea.id, "anonymise", by=by, event_id=idea.event_id, new=done, source=source)
    return done


def _scrub(values: dict | None) -> dict | None:
    if not values:
        return values
    return {
        k: (None if k in PERSONAL_FIELDS else redact_contacts(v) if isinstance(v, str) else v)
        for k, v in values.items()
    }


def _scrub_audit(idea: Idea) -> int:
    """The idea's audit entries keep what happened, not who the participant was."""
    count = 0
    entries = db.session.scalars(select(AuditEntry).filter_by(entity="idea", entity_id=idea.id))
    for entry in entries:
        old, new = _scrub(entry.old), _scrub(entry.new)
        if (old, new) != (entry.old, entry.new):
            entry.old, entry.new = old, new
            count += 1
    return count


def _scrub_outbox(idea: Idea, address: str) -> int:
    """E-mails of this event to the participant's address lose the address and their body; one
    still waiting is never sent."""
    if not address:
        return 0
    emails = list(
        db.session.scalars(
            select(OutboxEmail).where(
                OutboxEmail.event_id == idea.event_id, OutboxEmail.recipient == address
            )
        )
    )
    for email in emails:
        email.recipient, email.body_text, email.body_html = "", "", ""
        if email.status in OutboxState.DUE:
            email.status, email.last_error = OutboxState.FAILED, ERASED_NOTE
    return len(emails)


# --- Who keeps their data (the bank registers its rule) -----------------------------------------

_keep_rules: list = []


def add_keep_rule(fn) -> None:
    """Register `fn(idea_ids) -> set of ids` whose personal data must be kept past retention
    (the bank: ideas promoted to it). Registering twice changes nothing."""
    if fn not in _keep_rules:
        _keep_rules.append(fn)


def kept_ideas(idea_ids: list[int]) -> set[int]:
    kept: set[int] = set()
    for rule in _keep_rules:
        kept |= set(rule(list(idea_ids)) or ())
    return kept


_publication_dates = None


def use_publication_dates(fn) -> None:
    """The judging package owns publication: `fn(event_ids) -> {event_id: first publication}`."""
    global _publication_dates
    _publication_dates = fn


def publication_dates(event_ids: list[int]) -> dict[int, datetime]:
    if _publication_dates is None or not event_ids:
        return {}
    return _publication_dates(list(event_ids))


# --- What is held about an idea -----------------------------------------------------------------

HELD_SECTIONS = {
    "proposal": (
        "title", "problem", "solution", "sector", "region_code", "province_code", "commune_code",
        "place_note", "beneficiaries",
        "local_resources", "expected_jobs", "budget_mad", "financing_sought_mad",
    ),
    "team": (
        "team_kind", "cooperative_name", "cooperative_members", "lead_name", "lead_phone",
        "lead_email", "lead_gender", "lead_age_bracket", "lead_status", "other_members",
    ),
}  # fmt: skip


def _plain(value):
    return value.isoformat() if isinstance(value, datetime | date) else value


def held_data(idea: Idea) -> dict:
    """Everything held about the idea and its participant, as plain data (the JSON file and
    the readable page show the same)."""
    requests = db.session.scalars(
        select(DeletionRequest)
        .where(DeletionRequest.idea_id == idea.id)
        .order_by(DeletionRequest.id)
    )
    given = questions.answers_of([idea.id]).get(idea.id, {})
    return {
        "receipt_code": idea.receipt_code,
        "event": {"city": idea.event.city, "date": _plain(idea.event.date)},
        "received_at": _plain(idea.created_at),
        "source": idea.source,
        "language": idea.locale,
        **{name: {f: getattr(idea, f) for f in fields} for name, fields in HELD_SECTIONS.items()},
        "attachment": idea.attachment_name,
        "team_members": [
            {
                "name": m.name,
                "role": m.role,
                "gender": m.gender,
                "age_bracket": m.age_bracket,
                "phone": m.phone,
                "consent_at": _plain(m.consent_at),
            }
            for m in team.members_of(idea.id)
        ],
        "answers": [
            {"question": q.text, "answer": questions.shown_answer(q, given[q.id], "fr")}
            for q in _asked(idea)
            if q.id in given
        ],
        "consent": {"at": _plain(idea.consent_at), "notice_version": idea.consent_version},
        "eligibility": idea.eligibility,
        "anonymised_at": _plain(idea.anonymised_at),
        "retention_months_after_publication": idea.event.retention_months,
        "deletion_requests": [
            {
                "at": _plain(r.created_at),
                "status": r.status,
                "reason": r.reason,
                "decided_at": _plain(r.decided_at),
                "refusal_reason": r.refusal_reason,
            }
            for r in requests
        ],
        "controller": "ODCO",
        "notice_version": PRIVACY_NOTICE_VERSION,
    }


def _asked(idea: Idea) -> list:
    return questions.questions_of(idea.event_id) + questions.questions_of(
        idea.event_id, archived=True
    )


# --- Deletion requests --------------------------------------------------------------------------


def _parse(kind: Text, value, field: str):
    try:
        return kind.parse(value)
    except FieldError as error:
        raise PrivacyError(error.message, field) from None


def request_deletion(idea: Idea, reason: str | None) -> DeletionRequest:
    """A participant's request to erase their data (checked by receipt code and phone before).
    A pending request is returned again rather than doubled."""
    reason = _parse(DELETION_REASON, reason, "reason")
    if idea.is_anonymised:
        raise PrivacyConflict(_l("The personal data of this idea have already been erased."))
    pending = db.session.scalar(
        select(DeletionRequest).where(
            DeletionRequest.idea_id == idea.id, DeletionRequest.status == DeletionState.PENDING
        )
    )
    if pending is not None:
        return pending
    request = DeletionRequest(idea_id=idea.id, event_id=idea.event_id, reason=reason or None)
    db.session.add(request)
    db.session.flush()
    record(
        "deletion_request", request.id, "create", event_id=idea.event_id,
        new={"idea_id": idea.id, "reason": request.reason},
    )  # fmt: skip
    return request


def pending_requests() -> list[DeletionRequest]:
    return list(
        db.session.scalars(
            select(DeletionRequest)
            .where(DeletionRequest.status == DeletionState.PENDING)
            .order_by(DeletionRequest.created_at, DeletionRequest.id)
        )
    )


def decided_requests(limit: int = 50) -> list[DeletionRequest]:
    return list(
        db.session.scalars(
            select(DeletionRequest)
            .where(DeletionRequest.status != DeletionState.PENDING)
            .order_by(DeletionRequest.decided_at.desc(), DeletionRequest.id.desc())
            .limit(limit)
        )
    )


def decide_deletion(request: DeletionRequest, approve: bool, reason: str | None, by) -> None:
    """Approve (the idea is anonymised; results and statistics stay true) or refuse with a
    reason; audited; the participant is told by e-mail when an address is held."""
    if not request.is_pending:
        raise PrivacyConflict(_l("This request has already been decided."))
    reason = _parse(REFUSAL_REASON, reason, "reason")
    if not approve and not reason:
        raise PrivacyError(_l("Give the reason why the request is refused."), "reason")
    idea = request.idea
    address, locale = idea.lead_email, idea.locale
    request.status = DeletionState.APPROVED if approve else DeletionState.REFUSED
    request.decided_at, request.decided_by_id = utcnow(), by.id
    request.refusal_reason = None if approve else reason
    db.session.flush()
    if approve:
        anonymise_idea(idea, reason=AnonymiseReason.DELETION_REQUEST, by=by)
    record(
        "deletion_request", request.id, request.status, by=by, event_id=request.event_id,
        new={"idea_id": idea.id, "refusal_reason": request.refusal_reason},
    )  # fmt: skip
    if address:
        from jobs.outbox import queue_email

        queue_email(
            kind="privacy",
            to=address,
            locale=locale,
            template="deletion_decision",
            context={"request": request, "code": idea.receipt_code, "event": idea.event},
            dedupe_key=f"deletion:{request.id}",
            event_id=request.event_id,
        )


# --- Retention ---------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it has fewer days)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


@dataclass(frozen=True)
class RetentionDue:
    """An event whose retention period has run out, and its ideas to anonymise now."""

    event: Event
    published_at: datetime
    due_at: datetime
    idea_ids: tuple[int, ...]
    kept: int  # ideas promoted to the bank: kept


def retention_plan(now: datetime | None = None) -> list[RetentionDue]:
    """What the retention job would do at `now`: per published event whose period has run out,
    the ideas still holding personal data and not promoted to the bank. Writes nothing."""
    now = now or utcnow()
    events = list(db.session.scalars(select(Event).order_by(Event.id)))
    published = publication_dates([e.id for e in events])
    plan = []
    for event in events:
        if event.id not in published:
            continue
        due_at = add_months(published[event.id], event.retention_months)
        if due_at > now:
            continue
        ids = list(
            db.session.scalars(
                select(Idea.id)
                .where(Idea.event_id == event.id, Idea.anonymised_at.is_(None))
                .order_by(Idea.id)
            )
        )
        if not ids:
            continue
        kept = kept_ideas(ids)
        due = tuple(i for i in ids if i not in kept)
        if due:
            plan.append(RetentionDue(event, published[event.id], due_at, due, len(kept)))
    return plan


def apply_retention(now: datetime | None = None, by=None, source: str | None = None) -> dict:
    """Anonymise every idea the plan names; {event slug: ideas anonymised}."""
    done = {}
    for due in retention_plan(now):
        for idea in db.session.scalars(select(Idea).where(Idea.id.in_(due.idea_ids))):
            anonymise_idea(idea, reason=AnonymiseReason.RETENTION, by=by, source=source)
        done[due.event.slug] = len(due.idea_ids)
    return done


def retention_sweep() -> int:
    """The worker's periodic pass: apply retention now and commit; the number anonymised."""
    done = apply_retention(source="sweep")
    db.session.commit()
    return sum(done.values())
