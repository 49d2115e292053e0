"""An event's audit log for its organisers: narrowed by who, what, which idea, when and any
text, one page at a time, each entry in words (who by name, what as a sentence, before → after
with the fields named, why); the CSV keeps every entry matching, with names, streamed."""

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from audit.history import Change, action_text, changes, decoded, is_about, text_of
from audit.models import AuditEntry
from audit.services import Filters, event_authors, event_entries
from core.routing import database_id
from extensions import db
from fieldtypes import Day, FieldError
from judging.paper import csv_safe
from paging import PAGE_SIZE, Page, paginate
from submissions.models import Idea
from submissions.receipts import normalise_receipt_code

FILTER_KEYS = ("by", "action", "idea", "from", "to", "q")
_TEXT_LIMIT = 200
_CSV_CHUNK = 1000
# Keys whose values are ids of ideas or of accounts: shown as receipt codes and names.
_IDEA_KEYS = ("idea_id", "duplicate_of_id", "winners", "ideas")
_USER_KEYS = ("judge_id", "president_id")


@dataclass(frozen=True)
class Row:
    """One entry as the page shows it."""

    at: datetime
    who: str
    what: str
    subject: str  # the idea (receipt code) or the judge it is about, when there is one
    changes: list[Change]
    why: str
    source: str


def read_filters(event, args: Mapping) -> tuple[Filters, dict, dict]:
    """The filters typed in the page's form: (Filters, the values typed, {field: message})."""
    typed = {key: (args.get(key) or "").strip()[:_TEXT_LIMIT] for key in FILTER_KEYS}
    errors: dict = {}
    try:
        user_id = database_id(typed["by"]) if typed["by"] else None
    except ValueError:
        user_id = None
    entity, _sep, action = typed["action"].partition(":")
    idea_id = None
    if typed["idea"]:
        code = normalise_receipt_code(typed["idea"])
        idea_id = db.session.scalar(
            select(Idea.id).where(Idea.event_id == event.id, Idea.receipt_code == code)
        )
        if idea_id is None:
            errors["idea"] = _l("No idea of this event has the receipt code %(code)s.", code=code)
            idea_id = 0  # matches nothing: the page says why
    days = {}
    for key in ("from", "to"):
        try:
            days[key] = Day().parse(typed[key])
        except FieldError as error:
            errors[key] = error.message
            days[key] = None
    filters = Filters(
        user_id=user_id,
        entity=entity or None,
        action=action or None,
        idea_id=idea_id,
        since=days["from"],
        until=days["to"],
        text=typed["q"] or None,
    )
    return filters, typed, errors


def log_page(event, filters: Filters, number: int) -> Page:
    """Page `number` of the event's entries matching `filters`, newest first, as `Row`s."""
    page = paginate(db.session, event_entries(event.id, filters), number, PAGE_SIZE)
    return Page(_rows(page.items), page.total, page.page, page.per_page)


def authors(event) -> list[tuple[int, str]]:
    """(id, name) of everyone who wrote in the event's log, by name: the "who" filter."""
    ids = event_authors(event.id)
    if not ids:
        return []
    query = select(User.id, User.name).where(User.id.in_(ids)).order_by(User.name)
    return [tuple(row) for row in db.session.execute(query)]


def _rows(entries: list[AuditEntry]) -> list[Row]:
    names, codes = _references(entries)
    references = {
        **{key: codes for key in _IDEA_KEYS},
        **{key: names for key in _USER_KEYS},
    }
    return [
        Row(
            at=entry.at,
            who=names.get(entry.user_id, "—") if entry.user_id else "—",
            what=action_text(entry.entity, entry.action),
            subject=_subject(entry, names, codes),
            changes=changes(entry.old, entry.new, references),
            why=_why(entry),
            source=entry.source or "",
        )
        for entry in entries
    ]


def _references(entries: list[AuditEntry]) -> tuple[dict, dict]:
    """{user id: name} and {idea id: receipt code} of the ids the entries name: two queries."""
    user_ids, idea_ids = set(), set()
    for entry in entries:
        user_ids.add(entry.user_id)
        if is_about(entry, entity="jury"):
            user_ids.add(entry.entity_id)
        if is_about(entry, entity="idea"):
            idea_ids.add(entry.entity_id)
        for values in (entry.old or {}, entry.new or {}):
            if not isinstance(values, dict):
                continue
            for key in _USER_KEYS:
                user_ids.add(values.get(key))
            for key in _IDEA_KEYS:
                value = values.get(key)
                idea_ids.update(value if isinstance(value, list) else [value])
    user_ids = {i for i in user_ids if isinstance(i, int)}
    idea_ids = {i for i in idea_ids if isinstance(i, int)}
    names = (
        dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    codes = (
        dict(
            db.session.execute(
                select(Idea.id, Idea.receipt_code).where(Idea.id.in_(idea_ids))
            ).all()
        )
        if idea_ids
        else {}
    )
    return names, codes


def _subject(entry: AuditEntry, names: dict, codes: dict) -> str:
    if is_about(entry, entity="idea") and entry.entity_id in codes:
        return codes[entry.entity_id]
    if is_about(entry, entity="jury") and entry.entity_id in names:
        return names[entry.entity_id]
    idea_id = (entry.new or {}).get("idea_id") if isinstance(entry.new, dict) else None
    return codes.get(idea_id, "")


def _why(entry: AuditEntry) -> str:
    """The reason written with the change: the entry's note, else the reason among its values."""
    if entry.note:
        return decoded(entry.note)
    new = entry.new if isinstance(entry.new, dict) else {}
    reason = new.get("reason") or new.get("refusal_reason")
    return decoded(reason) if isinstance(reason, str) else ""


CSV_HEADER = (
    _l("When (UTC)"),
    _l("Who"),
    _l("Account id"),
    _l("What"),
    _l("Action code"),
    _l("About"),
    _l("Changes"),
    _l("Why"),
    _l("Source"),
    _l("Address"),
    _l("Before (data)"),
    _l("After (data)"),
)


def csv_lines(event, filters: Filters) -> Iterator[str]:
    """The CSV of every entry matching `filters`, newest first, a thousand at a time (a byte
    order mark first, for spreadsheet programs): constant memory whatever the log's size."""
    yield "\ufeff" + _csv_line([str(title) for title in CSV_HEADER])
    result = db.session.execute(
        event_entries(event.id, filters).execution_options(yield_per=_CSV_CHUNK)
    )
    for chunk in result.scalars().partitions():
        shown = _rows(chunk)
        yield "".join(
            _csv_line(
                [
                    entry.at.isoformat(),
                    row.who,
                    entry.user_id or "",
                    row.what,
                    f"{entry.entity}:{entry.action}",
                    row.subject,
                    "; ".join(_change_text(change) for change in row.changes),
                    row.why,
                    row.source,
                    entry.address or "",
                    text_of(entry.old),
                    text_of(entry.new),
                ]
            )
            for entry, row in zip(chunk, shown, strict=True)
        )


def _change_text(change: Change) -> str:
    if change.before == change.after or not change.before:
        return f"{change.field}: {change.after}"
    return f"{change.field}: {change.before} → {change.after}"


def _csv_line(values: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([csv_safe(value) for value in values])
    return out.getvalue()
