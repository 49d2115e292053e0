"""Registration before the day: open the form, register (a place or the waiting list), cancel
(the first on the list takes the freed place), check in at the door, count who is expected and
who came. Services validate, write, flush, audit and queue e-mails; they never commit."""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from audit.services import record
from competitions.models import Event
from competitions.states import EventState
from extensions import db, utcnow
from fieldtypes import Choice, Email, Integer, Phone, Text, parse_fields
from jobs.outbox import queue_email
from refusals import Conflict, NotFound, Refusal
from registration.codes import new_code, normalise_code
from registration.models import Registrant, RegistrationSetting
from registration.states import RegistrantState
from submissions.fields import is_yes
from submissions.models import AGE_BRACKETS, GENDERS, LEAD_STATUSES
from submissions.privacy import PRIVACY_NOTICE_VERSION, add_months, publication_dates
from submissions.states import AnonymiseReason

MAX_CAPACITY = 100_000
TYPES = {
    "name": Text.of(Registrant.name, required=True),
    "phone": Phone(required=True),
    "email": Email(Registrant.email.type.length),
    "gender": Choice(GENDERS),
    "age_bracket": Choice(AGE_BRACKETS),
    "status": Choice(LEAD_STATUSES),
}
SETTING_TYPES = {"capacity": Integer(0, MAX_CAPACITY)}
# What anonymising erases: who the registrant is and how to reach them; the figures stay.
PERSONAL_FIELDS = ("name", "phone", "email")
TICKET_EMAIL = "registration_ticket"  # the outbox's kind and templates/email/<name>.*


class RegistrationError(Refusal):
    """A registration that cannot be done as asked (422)."""


class RegistrationClosed(RegistrationError, Conflict):
    default_message = _l("Registration for this event is closed.")


class UnknownCode(RegistrationError, NotFound):
    default_message = _l("No registration of this event has this code. Check it and try again.")


class CheckInRefused(RegistrationError, Conflict):
    """Known code, but not let in now (already in, cancelled, waiting)."""


def setting_of(event: Event) -> RegistrationSetting:
    """The event's registration settings; an unsaved closed one when none was saved (GET never
    writes)."""
    found = db.session.scalar(
        select(RegistrationSetting).where(RegistrationSetting.event_id == event.id)
    )
    return found or RegistrationSetting(event_id=event.id, is_open=False, capacity=None)


def accepts_registrations(event: Event) -> bool:
    """Open by its organisers, and before the day's judging starts."""
    return setting_of(event).is_open and event.state in EventState.BEFORE_JUDGING


def uses_registration(event: Event) -> bool:
    """The event has had a registration form (its idea form then offers to type a code)."""
    return (
        db.session.scalar(
            select(RegistrationSetting.id).where(RegistrationSetting.event_id == event.id)
        )
        is not None
    )


def configure(event: Event, raw: dict, *, by) -> RegistrationSetting:
    """Open or close the form and set its capacity (empty: no limit); raising the capacity
    promotes the first waiting registrants."""
    values, errors = parse_fields(SETTING_TYPES, raw)
    if errors:
        raise RegistrationError(next(iter(errors.values())), errors=errors)
    setting = setting_of(event)
    old = {"is_open": setting.is_open, "capacity": setting.capacity}
    setting.is_open = is_yes(raw.get("is_open"))
    setting.capacity = values.get("capacity")
    setting.updated_at = utcnow()
    db.session.add(setting)
    db.session.flush()
    new = {"is_open": setting.is_open, "capacity": setting.capacity}
    if new != old:
        record("registration", event.id, "configure", by=by, event_id=event.id, old=old, new=new)
    promote_waiting(event, setting=setting, by=by)
    return setting


def clean_registration(raw: dict) -> dict:
    values, errors = parse_fields(TYPES, raw)
    if not is_yes(raw.get("consent")):
        errors["consent"] = _l("Your consent is needed to register (Law 09-08 on personal data).")
    if errors:
        raise RegistrationError(next(iter(errors.values())), errors=errors)
    return values


def _places_taken(event_id: int) -> int:
    return db.session.scalar(
        select(func.count(Registrant.id)).where(
            Registrant.event_id == event_id, Registrant.state == RegistrantState.REGISTERED
        )
    )


def _locked_setting(event: Event) -> RegistrationSetting:
    """The settings row, locked on PostgreSQL until the commit: two registrations for the last
    place are counted one after the other (SQLite's POSTs already hold its write lock)."""
    return db.session.scalar(
        select(RegistrationSetting)
        .where(RegistrationSetting.event_id == event.id)
        .with_for_update()
    )


def register(event: Event, raw: dict, *, locale: str = "fr") -> Registrant:
    """Register someone: a place while any is left, else the waiting list; the ticket (QR code)
    is e-mailed when an address is given. A phone already registered here is refused."""
    values = clean_registration(raw)
    setting = _locked_setting(event)
    if setting is None or not setting.is_open or event.state not in EventState.BEFORE_JUDGING:
        raise RegistrationClosed()
    existing = db.session.scalar(
        select(Registrant).where(
            Registrant.event_id == event.id, Registrant.phone == values["phone"]
        )
    )
    if existing is not None and not existing.is_cancelled:
        raise RegistrationError(
            _l(
                "This phone number is already registered for this event: the ticket was sent "
                "to the e-mail address given then."
            ),
            field="phone",
        )
    full = setting.capacity is not None and _places_taken(event.id) >= setting.capacity
    state = RegistrantState.WAITING if full else RegistrantState.REGISTERED
    now = utcnow()
    registrant = existing or Registrant(event_id=event.id)
    registrant.state, registrant.locale = state, locale
    registrant.created_at, registrant.cancelled_at, registrant.promoted_at = now, None, None
    registrant.consent_at, registrant.consent_version = now, PRIVACY_NOTICE_VERSION
    for name, value in values.items():
        setattr(registrant, name, value)
    if existing is None:
        _insert_with_code(registrant)
    db.session.flush()
    record("registrant", registrant.id, "register", event_id=event.id, new={"state": state})
    _send_ticket(registrant, kind="ticket")
    return registrant


def _insert_with_code(registrant: Registrant) -> None:
    for _attempt in range(5):
        registrant.code = new_code()
        try:
            with db.session.begin_nested():
                db.session.add(registrant)
        except IntegrityError:
            db.session.expunge(registrant) if registrant in db.session else None
            continue
        return
    raise RuntimeError("no free registration code after 5 draws")


def _send_ticket(registrant: Registrant, *, kind: str) -> None:
    """The registration (or promotion) e-mail: the ticket's QR code and link, the idea form's
    pre-filled link."""
    if not registrant.email:
        return
    queue_email(
        kind=TICKET_EMAIL,
        to=registrant.email,
        locale=registrant.locale,
        template=TICKET_EMAIL,
        context={
            "registrant": registrant,
            "event": registrant.event,
            "promoted": kind == "promotion",  # else "ticket"
            "position": waiting_position(registrant),
        },
        dedupe_key=f"{kind}:{registrant.id}:{registrant.created_at:%Y%m%d%H%M%S}",
        event_id=registrant.event_id,
    )


def waiting_position(registrant: Registrant) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if not registrant.is_waiting:
        return None
    ahead = db.session.scalar(
        select(func.count(Registrant.id)).where(
            Registrant.event_id == registrant.event_id,
            Registrant.state == RegistrantState.WAITING,
            (Registrant.created_at < registrant.created_at)
            | ((Registrant.created_at == registrant.created_at) & (Registrant.id < registrant.id)),
        )
    )
    return ahead + 1


def find_registrant(event: Event, code_text: str | None) -> Registrant:
    """The event's registrant holding this code (as typed or scanned); UnknownCode otherwise."""
    code = normalise_code(code_text)
    registrant = (
        db.session.scalar(
            select(Registrant).where(Registrant.event_id == event.id, Registrant.code == code)
        )
        if code
        else None
    )
    if registrant is None or registrant.anonymised_at is not None:
        raise UnknownCode(field="code")
    return registrant


def cancel(registrant: Registrant, *, by=None) -> None:
    """Give the place (or the place on the list) back; the first waiting takes a freed place."""
    if registrant.is_cancelled:
        return
    old = registrant.state
    registrant.state, registrant.cancelled_at = RegistrantState.CANCELLED, utcnow()
    db.session.flush()
    record(
        "registrant",
        registrant.id,
        "cancel",
        by=by,
        event_id=registrant.event_id,
        old={"state": old},
        new={"state": registrant.state},
    )
    promote_waiting(registrant.event, by=by)


def promote_waiting(event: Event, *, setting=None, by=None) -> list[Registrant]:
    """Give the free places to the waiting list, first come first served; each promoted
    registrant is e-mailed their ticket."""
    setting = setting or setting_of(event)
    waiting = select(Registrant).where(
        Registrant.event_id == event.id, Registrant.state == RegistrantState.WAITING
    )
    if setting.capacity is not None:
        free = setting.capacity - _places_taken(event.id)
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(db.session.scalars(waiting.order_by(Registrant.created_at, Registrant.id)))
    for registrant in promoted:
        registrant.state, registrant.promoted_at = RegistrantState.REGISTERED, utcnow()
        db.session.flush()
        record(
            "registrant",
            registrant.id,
            "promote",
            by=by,
            event_id=event.id,
            old={"state": RegistrantState.WAITING},
            new={"state": RegistrantState.REGISTERED},
        )
        _send_ticket(registrant, kind="promotion")
    return promoted


def check_in(event: Event, code_text: str | None, *, by) -> Registrant:
    """Let a registrant in at the door: the code must be this event's, hold a place, and not
    have come in already (the time it did is said)."""
    registrant = find_registrant(event, code_text)
    if registrant.is_present:
        raise CheckInRefused(
            _l("Already checked in: %(name)s came in earlier.", name=registrant.name),
            field="code",
        )
    if registrant.is_cancelled:
        raise CheckInRefused(_l("This registration was cancelled."), field="code")
    if registrant.is_waiting:
        raise CheckInRefused(
            _l(
                "%(name)s is on the waiting list: no place was freed for them.",
                name=registrant.name,
            ),
            field="code",
        )
    registrant.checked_in_at, registrant.checked_in_by_id = utcnow(), getattr(by, "id", by)
    db.session.flush()
    record("registrant", registrant.id, "check_in", by=by, event_id=event.id)
    return registrant


# --- Figures -----------------------------------------------------------------------------------

BREAKDOWNS = {"gender": GENDERS, "age_bracket": AGE_BRACKETS, "status": LEAD_STATUSES}


@dataclass(frozen=True)
class Attendance:
    """Expected (holding a place) and present (checked in), in all and by gender, age bracket and
    status (None: not given); `waiting` and `cancelled` are counts."""

    expected: int
    present: int
    waiting: int
    cancelled: int
    capacity: int | None
    by: dict = field(default_factory=dict)  # {"gender": {"female": (expected, present)...}}


def attendance(event: Event) -> Attendance:
    """The organiser's figures, counted in SQL (one grouped query)."""
    rows = db.session.execute(
        select(
            Registrant.state,
            Registrant.gender,
            Registrant.age_bracket,
            Registrant.status,
            Registrant.checked_in_at.is_not(None),
            func.count(Registrant.id),
        )
        .where(Registrant.event_id == event.id)
        .group_by(
            Registrant.state,
            Registrant.gender,
            Registrant.age_bracket,
            Registrant.status,
            Registrant.checked_in_at.is_not(None),
        )
    ).all()
    states: Counter = Counter()
    present = 0
    by = {name: {code: [0, 0] for code in (*codes, None)} for name, codes in BREAKDOWNS.items()}
    for state, gender, age, status, came, count in rows:
        states[state] += count
        if state != RegistrantState.REGISTERED:
            continue
        present += count if came else 0
        for name, value in (("gender", gender), ("age_bracket", age), ("status", status)):
            cell = by[name].setdefault(value, [0, 0])
            cell[0] += count
            cell[1] += count if came else 0
    return Attendance(
        expected=states[RegistrantState.REGISTERED],
        present=present,
        waiting=states[RegistrantState.WAITING],
        cancelled=states[RegistrantState.CANCELLED],
        capacity=setting_of(event).capacity,
        by={name: {k: tuple(v) for k, v in cells.items()} for name, cells in by.items()},
    )


# --- The idea form, pre-filled -----------------------------------------------------------------

# registration field → idea form field: the one place that maps the two (the idea form's place
# and team fields may change; only this table follows them).
PREFILL = {
    "name": "lead_name",
    "phone": "lead_phone",
    "email": "lead_email",
    "gender": "lead_gender",
    "age_bracket": "lead_age_bracket",
    "status": "lead_status",
}


def prefill_data(registrant: Registrant) -> dict:
    """The idea form's data from a registration (what the registrant typed, nothing else)."""
    return {
        form_field: getattr(registrant, name)
        for name, form_field in PREFILL.items()
        if getattr(registrant, name)
    }


def prefill_for(event: Event, code_text: str | None) -> dict | None:
    """The pre-fill provider of the idea form: the data of the event's registrant holding this
    code, or None (an unknown code pre-fills nothing)."""
    try:
        registrant = find_registrant(event, code_text)
    except UnknownCode:
        return None
    return None if registrant.is_cancelled else prefill_data(registrant)


# --- Personal data -----------------------------------------------------------------------------


def anonymise_registrant(registrant: Registrant, *, reason: str, by=None) -> None:
    """Erase who the registrant is (name, phone, e-mail); keep the figures (gender, age bracket,
    status, state, check-in)."""
    if registrant.anonymised_at is not None:
        return
    registrant.name, registrant.phone, registrant.email = "", None, None
    registrant.anonymised_at = utcnow()
    db.session.flush()
    record(
        "registrant",
        registrant.id,
        "anonymise",
        by=by,
        event_id=registrant.event_id,
        new={"reason": reason, "fields": list(PERSONAL_FIELDS)},
    )


def apply_retention(now=None) -> int:
    """Registrants of events whose retention period (counted from the first publication of the
    results, as for ideas) has run out: anonymised. Returns how many."""
    now = now or utcnow()
    events = list(db.session.scalars(select(Event)))
    published = publication_dates([e.id for e in events])
    done = 0
    for event in events:
        if (
            event.id not in published
            or add_months(published[event.id], event.retention_months) > now
        ):
            continue
        for registrant in db.session.scalars(
            select(Registrant).where(
                Registrant.event_id == event.id, Registrant.anonymised_at.is_(None)
            )
        ):
            anonymise_registrant(registrant, reason=AnonymiseReason.RETENTION)
            done += 1
    return done


def retention_sweep() -> int:
    """The worker's periodic pass over registrants; commits."""
    done = apply_retention()
    db.session.commit()
    return done
