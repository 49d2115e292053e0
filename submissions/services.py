"""Ideas: receiving them exactly once, looking up a receipt, and the organisers' triage."""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from audit.services import record
from competitions.models import Event
from competitions.states import EventState
from extensions import db, utcnow
from fieldtypes import PLACE_FIELDS, FieldError, Phone, parse_places, strip_control
from paging import Page, paginate
from refusals import Conflict, Refusal, Throttled
from submissions import attachments, questions, team
from submissions.fields import (
    CORRECTABLE,
    INELIGIBLE_REASON,
    SCORED_FIELDS,
    TYPES,
    clean_idea,
    form_version,
)
from submissions.models import Idea, ReceiptLookupFailure
from submissions.posting import PostingTarget, current_event, insert_if_open, posting_target
from submissions.privacy import PRIVACY_NOTICE_VERSION
from submissions.receipts import new_receipt_code, normalise_receipt_code
from submissions.states import Eligibility, IdeaSource, IdeaStanding, TriageFilter

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
LOOKUP_MAX_FAILURES = 5  # per code + address, within LOOKUP_WINDOW
LOOKUP_WINDOW = timedelta(minutes=15)
LOOKUP_MAX_FAILURES_PER_CODE = 100  # from everywhere, within LOOKUP_CEILING_WINDOW
LOOKUP_CEILING_WINDOW = timedelta(hours=1)
_CODE_ATTEMPTS = 10
RECEIPT_EMAIL_INTERVAL = timedelta(hours=1)


class EventClosed(Conflict):
    """The event is not accepting ideas (not in its open state)."""

    default_message = _l("This event is not accepting ideas.")


class FormOutdated(Conflict):
    """The form was made for an earlier version of the site (its fields have changed since)."""

    default_message = _l(
        "This form was made for an earlier version of the site: the idea was not recorded. "
        "It is kept on this tablet; an organiser can type it again in the new form."
    )


class InvalidIdea(Refusal):
    """Some fields are wrong: {field: message}. Nothing was stored."""

    def __init__(self, errors: dict):
        super().__init__(_l("Please correct the fields marked in red."), errors=errors)


class TriageError(Refusal):
    """A user-facing reason why a triage action was refused."""


class ChangeRefused(TriageError, Conflict):
    """A change a higher package's guard refuses now (the results are official): 409."""


class LookupThrottled(Throttled):
    """Too many wrong look-ups for this receipt code: wait before trying again."""

    default_message = _l("Too many attempts for this receipt code. Wait 15 minutes and try again.")


@dataclass(frozen=True)
class Receipt:
    """What the participant is told once their idea is stored: its code, and the event that
    holds it. `created` is False when the token had been used already (a double tap, a resend):
    the same receipt again, for the idea stored the first time."""

    idea_id: int
    code: str
    event_id: int
    created: bool


def find_by_token(token: str) -> Idea | None:
    return db.session.scalar(select(Idea).where(Idea.submit_token == token))


def _earlier_receipt(token: str | None) -> Receipt | None:
    idea = find_by_token(token) if token else None
    return idea and Receipt(idea.id, idea.receipt_code, idea.event_id, created=False)


def submit_idea(
    event: Event | PostingTarget,
    data: dict,
    token: str | None,
    *,
    source: str = IdeaSource.FORM,
    by=None,
    file=None,
    version: str | None = None,
    files=None,
) -> Receipt:
    """Store an idea once per token. A repeated token (double tap, resend, concurrent posts)
    gets the receipt of the idea already stored, even once the event has closed. `data` holds
    the raw fields (the answers to the event's questions and the team's member rows too), plus
    optionally `locale`; `file` is the uploaded attachment, if any, and `files` the files
    answering questions, by field name (checked here, their messages beside the fields' ones).
    `version` is the form's (`fields.form_version`), when it says one: another version is refused
    (FormOutdated), unless its token was stored already (a replay gets its receipt). Whether the
    event is open is checked by the INSERT (EventClosed otherwise). The idea is written, not
    loaded: no ORM object is made for it (on a hall's busiest page, building one cost as much as
    the INSERT); its answers and members are stored after it."""
    if IdeaSource.parse(source) is None:
        raise ValueError(f"unknown source {source!r}")
    if token is not None and not TOKEN_PATTERN.fullmatch(token):
        raise InvalidIdea({"submit_token": _l("This form has expired: send it again.")})
    if source in IdeaSource.TYPED_IN_A_FORM and not token:
        raise InvalidIdea({"submit_token": _l("This form has expired: send it again.")})
    if version is not None and version != form_version():
        if (earlier := _earlier_receipt(token)) is not None:
            return earlier
        raise FormOutdated()
    values, errors = clean_idea(data)
    try:
        upload = attachments.check_upload(file, getattr(file, "filename", None))
    except FieldError as error:
        upload, errors = None, {**errors, "attachment": error.message}
    members, member_errors = team.check_members(data)
    if errors or member_errors:
        # The event's questions are read only here or after the INSERT: every message at once
        # on a form sent back, and the happy path's INSERT still comes first.
        _, answer_errors = questions.check_answers(questions.questions_of(event.id), data, files)
        raise InvalidIdea({**errors, **member_errors, **answer_errors})

    stored = attachments.store(upload, event.id) if upload else None
    try:
        receipt, row = _insert(
            event, values, token, source, by, data.get("locale") or "fr", upload, stored
        )
    except BaseException:
        attachments.abandon(stored)
        raise
    if not receipt.created:
        attachments.discard(stored)  # an identical post with the same token won the race
        return receipt
    _store_extras(receipt, event.id, data, files, members, stored)

    record(
        "idea",
        receipt.idea_id,
        "submit",
        by=by,
        event_id=event.id,
        source=source,
        new={"receipt_code": receipt.code, "source": source},
    )
    if row["lead_email"]:
        _queue_receipt_email(row, receipt)
    return receipt


def _store_extras(receipt, event_id, data, files, members, stored) -> None:
    """The idea's answers to its event's questions (read after the INSERT: a wrong answer rolls
    the idea back, its files abandoned) and its team members."""
    answers, answer_errors = questions.check_answers(questions.questions_of(event_id), data, files)
    if answer_errors:
        attachments.abandon(stored)
        raise InvalidIdea(answer_errors)
    kept = []
    try:
        kept = questions.store_answers(receipt.idea_id, event_id, answers)
        team.store_members(receipt.idea_id, members)
    except BaseException:
        for key in (stored, *kept):
            attachments.abandon(key)
        raise


def _insert(event, values, token, source, by, locale, upload, stored) -> tuple[Receipt, dict]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, prepared once: one statement on the happy
    path, with no look-up before it and no savepoint; the unique indexes on the token and the
    receipt code decide. On a clash: the token's idea (a resend, a double tap, concurrent
    posts), or another receipt code drawn. Returns the receipt and the row written."""
    now = utcnow()
    row = dict(
        event_id=event.id,
        submit_token=token,
        source=source,
        locale=locale,
        created_at=now,
        consent_at=now,  # the form's box, or the organiser's attestation (assisted, paper)
        consent_version=PRIVACY_NOTICE_VERSION,
        assisted_by_id=getattr(by, "id", None) if source == IdeaSource.ASSISTED else None,
        attachment_path=stored,
        attachment_name=upload.name if upload else None,
        attachment_mime=upload.mime if upload else None,
        **values,
    )
    columns = (*row, "receipt_code")  # the code is drawn below, once per attempt
    statement = insert_if_open(db.session.get_bind().dialect.name, columns)
    for _ in range(_CODE_ATTEMPTS):
        row["receipt_code"] = new_receipt_code(event.city)
        checked = {"event_slug": event.slug, "event_city": event.city}
        new_id = db.session.connection().execute(statement, {**row, **checked}).scalar()
        if new_id is not None:
            return Receipt(new_id, row["receipt_code"], event.id, created=True), row
        if (earlier := _earlier_receipt(token)) is not None:
            return earlier, row
        current = current_event(event.id)
        if current is None or current.state != EventState.OPEN:
            raise EventClosed()  # nothing was written
        if (current.slug, current.city) != (event.slug, event.city):  # changed since remembered
            event = posting_target(event.slug, fresh=True)
            if event is None or event.id != row["event_id"]:
                raise EventClosed()  # its address changed: this form no longer leads to it
        # or the receipt code was taken: draw another
    raise RuntimeError("could not draw a free receipt code")


def _queue_receipt_email(row: dict, receipt: Receipt) -> None:
    """The receipt by e-mail; the template reads the idea's fields from the row written. At most
    one an hour to an address for an event (RECEIPT_EMAIL_INTERVAL); the receipt page shows the
    code anyway."""
    from jobs.outbox import queue_email

    queue_email(
        kind="receipt",
        to=row["lead_email"],
        locale=row["locale"],
        template="receipt",
        context={"idea": row, "event": db.session.get(Event, receipt.event_id)},
        dedupe_key=f"receipt:{receipt.idea_id}",
        event_id=receipt.event_id,
        once_per=RECEIPT_EMAIL_INTERVAL,
    )


# --- Receipt look-up -----------------------------------------------------------------------


def _recent_lookup_failures(code: str, window: timedelta, address: str | None = None) -> int:
    query = select(func.count(ReceiptLookupFailure.id)).where(
        ReceiptLookupFailure.code == code, ReceiptLookupFailure.at >= utcnow() - window
    )
    if address is not None:
        query = query.where(ReceiptLookupFailure.address == address)
    return db.session.scalar(query) or 0


def lookup_receipt(code: str, phone: str, *, address: str) -> Idea | None:
    """The idea with this receipt code if the phone matches; None otherwise, whatever was wrong
    (no oracle). Failures are counted per code + address, and per code from everywhere with a far
    higher ceiling, so that strangers cannot lock a participant out of their own code:
    LookupThrottled after too many."""
    code = normalise_receipt_code(code)[:32]
    address = (address or "?")[: ReceiptLookupFailure.address.type.length]
    config = current_app.config
    window = config.get("RECEIPT_LOOKUP_WINDOW", LOOKUP_WINDOW)
    ceiling_window = config.get("RECEIPT_LOOKUP_CEILING_WINDOW", LOOKUP_CEILING_WINDOW)
    limit = config.get("RECEIPT_LOOKUP_MAX_FAILURES", LOOKUP_MAX_FAILURES)
    if _recent_lookup_failures(code, window, address) >= limit:
        raise LookupThrottled()
    ceiling = config.get("RECEIPT_LOOKUP_MAX_FAILURES_PER_CODE", LOOKUP_MAX_FAILURES_PER_CODE)
    if _recent_lookup_failures(code, ceiling_window) >= ceiling:
        raise LookupThrottled(
            _l("Too many attempts for this receipt code from many devices. Try again in an hour.")
        )
    try:
        phone = Phone(required=True).parse(phone)
    except FieldError:
        phone = None
    idea = db.session.scalar(select(Idea).where(Idea.receipt_code == code)) if code else None
    if idea is not None and phone is not None and idea.lead_phone == phone:
        return idea
    db.session.add(ReceiptLookupFailure(code=code or "?", address=address))
    return None


IDEA_STATES = {
    IdeaStanding.RECEIVED: _l("Received: your idea is waiting to be checked by the organisers."),
    IdeaStanding.ELIGIBLE: _l("Eligible: your idea will be presented to the jury."),
    IdeaStanding.INELIGIBLE: _l("Not retained for this competition."),
    IdeaStanding.UNDER_REVIEW: _l("Under review by the jury."),
    IdeaStanding.RESULTS: _l("The results are published."),
}

_outcome_providers: list = []


def add_outcome_provider(fn) -> None:
    """The judging package tells what an idea's team may know of the published results:
    `fn(idea)` returns an object with `is_winner`, `rank`, `comments` and `certificate` (each
    shown when set), or None. The receipt look-up shows the first answer."""
    if fn not in _outcome_providers:
        _outcome_providers.append(fn)


def idea_outcome(idea: Idea):
    """The published outcome of the idea, from the first provider that knows it; else None."""
    for provider in _outcome_providers:
        answer = provider(idea)
        if answer is not None:
            return answer
    return None


def idea_state(idea: Idea) -> IdeaStanding:
    """Where the idea stands, as a participant may see it: a key of IDEA_STATES."""
    if idea.is_ineligible:
        return IdeaStanding.INELIGIBLE
    if idea.event.results_public:
        return IdeaStanding.RESULTS
    if idea.eligibility == Eligibility.ELIGIBLE:
        if idea.event.judging_started:  # judging or deliberation: results are not public
            return IdeaStanding.UNDER_REVIEW
        return IdeaStanding.ELIGIBLE
    return IdeaStanding.RECEIVED


# --- Organisers' triage --------------------------------------------------------------------


def search_ideas(
    event: Event, q: str = "", sector: str = "", eligibility: str = "", *, page: int = 1
) -> Page:
    """A page of the event's ideas, newest first: free text on title, receipt code and lead's
    name (an event of 3,000 ideas is read fifty at a time; the workbook holds them all)."""
    query = select(Idea).where(Idea.event_id == event.id)
    q = strip_control(q or "").strip()
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Idea.title).like(pattern),
                func.lower(Idea.lead_name).like(pattern),
                func.lower(Idea.receipt_code).like(
                    f"%{normalise_receipt_code(q).lower() or q.lower()}%"
                ),
            )
        )
    if sector:
        query = query.where(Idea.sector == sector)
    if eligibility == TriageFilter.DUPLICATE:
        query = query.where(Idea.duplicate_of_id.is_not(None))
    elif Eligibility.parse(eligibility) is not None:
        query = query.where(Idea.eligibility == eligibility)
    return paginate(db.session, query.order_by(Idea.created_at.desc(), Idea.id.desc()), page)


def unchecked_ideas(event: Event) -> list[Idea]:
    """The event's ideas whose eligibility nobody has checked yet ("not yet checked"; the
    calibration idea and duplicates aside): the jury gets them as they are."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.event_id == event.id,
                Idea.eligibility == Eligibility.PENDING,
                Idea.duplicate_of_id.is_(None),
                Idea.is_calibration.is_(False),
            )
            .order_by(Idea.id)
        )
    )


def count_ideas(event_ids) -> dict:
    """{event_id: {"ideas": n}}: the provider for the tour dashboard's figures."""
    rows = db.session.execute(
        select(Idea.event_id, func.count(Idea.id))
        .where(Idea.event_id.in_(list(event_ids)))
        .group_by(Idea.event_id)
    )
    counts = {event_id: {"ideas": 0} for event_id in event_ids}
    for event_id, n in rows:
        counts[event_id] = {"ideas": n}
    return counts


_change_guards: list = []


def add_change_guard(fn) -> None:
    """Register `fn(idea, change)` (change: "eligibility", "duplicate" or "correct"), called
    before an idea's ranking inputs change; it raises ChangeRefused to refuse (the judging
    package refuses while the results of the idea's event are official)."""
    if fn not in _change_guards:
        _change_guards.append(fn)


def _check_change(idea: Idea, change: str) -> None:
    for guard in _change_guards:
        guard(idea, change)


def set_eligibility(idea: Idea, eligibility: str, reason: str | None, by) -> None:
    _check_change(idea, "eligibility")
    if Eligibility.parse(eligibility) is None:
        raise TriageError(_l("Unknown eligibility."))
    try:
        reason = INELIGIBLE_REASON.parse(reason)
    except FieldError as error:
        raise TriageError(error.message) from None
    if eligibility == Eligibility.INELIGIBLE and not reason:
        raise TriageError(_l("Give the reason why the idea is not eligible."))
    old = {"eligibility": idea.eligibility, "reason": idea.ineligible_reason}
    idea.eligibility = eligibility
    idea.ineligible_reason = reason if eligibility == Eligibility.INELIGIBLE else None
    record(
        "idea",
        idea.id,
        "eligibility",
        by=by,
        event_id=idea.event_id,
        old=old,
        new={"eligibility": eligibility, "reason": idea.ineligible_reason},
    )


def mark_duplicate(idea: Idea, original_code: str, by) -> Idea:
    """Flag `idea` as a duplicate of the idea with this receipt code (both are kept)."""
    _check_change(idea, "duplicate")
    code = normalise_receipt_code(original_code)
    original = db.session.scalar(
        select(Idea).where(Idea.receipt_code == code, Idea.event_id == idea.event_id)
    )
    if original is None:
        raise TriageError(_l("No idea of this event has the receipt code %(code)s.", code=code))
    seen = {idea.id}
    while original.duplicate_of_id is not None and original.id not in seen:
        seen.add(original.id)
        original = db.session.get(Idea, original.duplicate_of_id)  # point at the first one
    if original.id in seen:
        raise TriageError(_l("An idea cannot be a duplicate of itself."))
    old = {"duplicate_of_id": idea.duplicate_of_id}
    idea.duplicate_of_id = original.id
    record(
        "idea",
        idea.id,
        "duplicate",
        by=by,
        event_id=idea.event_id,
        old=old,
        new={"duplicate_of_id": original.id, "receipt_code": original.receipt_code},
    )
    return original


def _set_field(idea: Idea, field: str, value, by, action: str | None = None) -> None:
    """Change one triage field of an idea, audited old → new; nothing when it is unchanged."""
    old = getattr(idea, field)
    if old == value:
        return
    record(
        "idea", idea.id, action or field, by=by, event_id=idea.event_id,
        old={field: old}, new={field: value},
    )  # fmt: skip
    setattr(idea, field, value)


def clear_duplicate(idea: Idea, by) -> None:
    if idea.duplicate_of_id is not None:
        _check_change(idea, "duplicate")
    _set_field(idea, "duplicate_of_id", None, by, action="duplicate")


def correct_idea(idea: Idea, changes: dict, by) -> dict:
    """Fix typos in text fields. The first correction keeps the text as first received in
    `Idea.original`; every correction is audited (old → new). Returns the changed fields."""
    errors, new = {}, {}
    for field, value in changes.items():
        if field not in CORRECTABLE:
            continue
        try:
            text = TYPES[field].parse(value)
        except FieldError as error:
            errors[field] = error.message
            continue
        if text != (getattr(idea, field) or ""):
            new[field] = text
    if errors:
        raise InvalidIdea(errors)
    if not new:
        return {}
    if SCORED_FIELDS & new.keys():
        _check_change(idea, "correct")
    if idea.original is None:
        idea.original = {field: getattr(idea, field) for field in CORRECTABLE}
    old = {field: getattr(idea, field) for field in new}
    for field, text in new.items():
        if field == "cooperative_name" and not text:
            text = None
        setattr(idea, field, text)
    record("idea", idea.id, "correct", by=by, event_id=idea.event_id, old=old, new=new)
    return new


def ideas_to_place() -> list[Idea]:
    """Ideas whose typed place could not be read when places became HCP codes (migration
    h1_place_codes): `place_note` keeps what was typed until an organiser chooses the place."""
    return list(
        db.session.scalars(select(Idea).where(Idea.place_note.is_not(None)).order_by(Idea.id))
    )


def choose_idea_place(idea: Idea, data: dict, by) -> None:
    """Set an idea's region, province and (optional) commune, checked as the form checks them;
    the kept typed text goes. Audited old → new. Raises InvalidIdea with a message per field."""
    values, errors = parse_places(data)
    if errors:
        raise InvalidIdea(errors)
    old = {name: getattr(idea, name) for name in (*PLACE_FIELDS, "place_note")}
    for name, code in values.items():
        setattr(idea, name, code)
    idea.place_note = None
    new = {name: getattr(idea, name) for name in old}
    if new != old:
        record("idea", idea.id, "place", by=by, event_id=idea.event_id, old=old, new=new)


_calibration_rule = None


def use_calibration_rule(rule) -> None:
    """The judging package owns the calibration rule, `rule(event, idea or None, by)`: when it
    may change, and dealing the idea to every judge. It registers it here, so that triage
    applies the same rule (raising TriageError with the reason) instead of a copy of it."""
    global _calibration_rule
    _calibration_rule = rule


def set_calibration(idea: Idea, on: bool, by) -> None:
    """Make this idea the event's calibration idea (scored by every judge first, never
    ranked), or no longer; through the judging package's rule."""
    if _calibration_rule is None:
        raise RuntimeError("the calibration rule belongs to the judging package, not installed")
    if on:
        _calibration_rule(idea.event, idea, by)
    elif idea.is_calibration:
        _calibration_rule(idea.event, None, by)


def set_bank_worthy(idea: Idea, on: bool, by) -> None:
    _set_field(idea, "bank_worthy", on, by)


_prefill: dict = {}


def use_prefill(offered, fill) -> None:
    """Register where the idea form's pre-fill comes from (the registration package):
    `offered(event) -> bool` (the form offers to type a code) and `fill(event, code) -> dict | None`
    (the form's data for that code, or None for an unknown one)."""
    _prefill["offered"], _prefill["fill"] = offered, fill


def prefill_offered(event) -> bool:
    return bool(_prefill) and _prefill["offered"](event)


def prefill(event, code: str | None) -> dict | None:
    """The idea form's data for a registration code (typed at the kiosk, or the e-mail's link)."""
    return _prefill["fill"](event, code) if _prefill and code else None
