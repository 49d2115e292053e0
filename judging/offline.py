"""A jury tablet's offline queue, on the server's side (issue 19, `docs/offline.md`).

A tablet queues every action (a mark, the comment, a submit) in IndexedDB with an id of its own
(a uuid), the time of the tap and the sheet's version, and replays the queue in order when the
network comes back (`static/js/judging.js`). Here:
- a replay never counts twice: the action's id goes on its audit entry, which the database keeps
  once per judge (`audit_entries.client_action`); a replayed action finds it and changes nothing;
- last write wins per criterion by the time of the tap: a tap older than the mark in force is
  audited as late and changes nothing (`services.record_score`). The tablet sends its taps'
  times on the server's clock (its offset learnt from the `Date` of the server's answers, kept
  steady: an offset measured afresh on each request would jitter with the network's delay and
  could put two quick taps in the wrong order); a time ahead of the server's is taken as now;
- the server's rules still hold: an action refused because judging closed, the sheet was
  submitted or the judge removed in the meantime is refused (409/403) and reported to the
  organisers: a `refused` entry of the sheet, kept though the request is rolled back, listed on
  the progress page with the tablets that still hold unsent actions (`report_device`).
A mark takes the fast path first (`judging.tap.record_tap`, three round trips); `apply` is the
ORM path for the rest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from audit.models import AuditEntry
from audit.services import entries_for_event, record_kept
from competitions.models import Criterion, Event, JuryMember
from competitions.states import EventState
from extensions import db, utcnow
from judging import services
from judging.models import JuryDevice, ScoreSheet
from judging.services import JudgingConflict, JudgingError, JudgingForbidden
from judging.states import RefusedBecause, SheetState, TabletAction
from submissions.models import Idea

REFUSED = "refused_on_arrival"  # the audit action of a refused queued action
_ID = re.compile(r"[0-9A-Za-z-]{8,40}")
_MAX_PENDING = 100_000
REFUSAL_LABELS = {
    RefusedBecause.JUDGING_CLOSED: _l("Judging closed before this action reached the server."),
    RefusedBecause.SUBMITTED: _l("The sheet was submitted before this action reached the server."),
    RefusedBecause.REMOVED: _l("The judge was taken off the jury before this action arrived."),
    RefusedBecause.OTHER: _l("This action was refused when it reached the server."),
}
ACTION_LABELS = {
    TabletAction.SCORE: _l("Mark"),
    TabletAction.COMMENT: _l("Comment"),
    TabletAction.SUBMIT: _l("Submit"),
}


@dataclass(frozen=True)
class ClientAction:
    """What a tablet says of a queued action: its id, when it was tapped, the sheet's version."""

    id: str | None = None
    tapped_at: datetime | None = None  # on the server's clock
    version: str | None = None


@dataclass(frozen=True)
class Applied:
    """What became of an action: the sheet's status; a replay (applied before) or a late tap
    (older than the mark in force) changed nothing."""

    status: str
    replayed: bool = False
    late: bool = False

    def flags(self) -> dict:
        """What the tablet is told beyond "saved": `replayed` and `late`, when true."""
        return {name: True for name in ("replayed", "late") if getattr(self, name)}


def _instant(raw, field: str) -> datetime | None:
    """A time sent as milliseconds since 1970 (JavaScript's Date.now()), or None if absent."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise JudgingError(_l("The time of this action is not valid."), field)
    if not 0 < raw < 10**14:  # before 5138
        raise JudgingError(_l("The time of this action is not valid."), field)
    return datetime.fromtimestamp(raw / 1000, UTC)


def _offset(data: dict) -> timedelta:
    """How far the tablet's clock is behind the server's, from the time it sent the request."""
    sent = _instant(data.get("sent_at"), "sent_at")
    return utcnow() - sent if sent else timedelta(0)


def read_action(data: dict) -> ClientAction:
    """The action's id, tap time (on the server's clock, never in the future) and the sheet's
    version, from a tablet's JSON; a request without an id is an action sent at once."""
    raw = data.get("action")
    if raw is None:
        return ClientAction()
    if not isinstance(raw, str) or not _ID.fullmatch(raw):
        raise JudgingError(_l("This action's id is not valid."), "action")
    tapped = _instant(data.get("tapped_at"), "tapped_at")
    now = utcnow()
    tapped_at = min(tapped, now) if tapped else now
    version = data.get("version")
    return ClientAction(raw, tapped_at, str(version)[:40] if version is not None else None)


def _entry_of(user, action_id: str) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.user_id == user.id, AuditEntry.client_action == action_id
        )
    )


def apply(
    sheet_id: int, user, kind: TabletAction, data: dict, action: ClientAction, source: str
) -> Applied:
    """Apply a tablet's action the ORM way: a replay changes nothing, a refusal of the state
    (closed, submitted, removed) is reported to the organisers and raised again."""
    if action.id is not None and (entry := _entry_of(user, action.id)) is not None:
        if entry.action == REFUSED:
            reason = RefusedBecause.parse((entry.new or {}).get("refused_because"))
            refusal = JudgingForbidden if reason == RefusedBecause.REMOVED else JudgingConflict
            raise refusal(REFUSAL_LABELS[reason or RefusedBecause.OTHER])
        status = db.session.scalar(select(ScoreSheet.status).where(ScoreSheet.id == sheet_id))
        return Applied(status or SheetState.DRAFT, replayed=True)
    try:
        sheet = services.sheet_for(sheet_id, user, for_writing=True)
        if kind == TabletAction.COMMENT:
            services.save_comment(
                sheet, str(data.get("comment") or ""), user, source=source,
                client_action=action.id,
            )  # fmt: skip
        elif kind == TabletAction.SUBMIT:
            services.submit_sheet(sheet, user, source=source, client_action=action.id)
        else:
            score = services.record_score(
                sheet, data.get("criterion"), data.get("value"), user, source=source,
                tapped_at=action.tapped_at, client_action=action.id,
            )  # fmt: skip
            if action.tapped_at and (score.tapped_at or score.updated_at) > action.tapped_at:
                return Applied(sheet.status, late=True)
        return Applied(sheet.status)
    except (JudgingConflict, JudgingForbidden) as refusal:
        if action.id is not None:
            _report(sheet_id, user, kind, data, action, refusal, source)
        raise


def _report(sheet_id, user, kind, data, action, refusal, source) -> None:
    """A refused queued action, audited on its own (the request is rolled back)."""
    row = db.session.execute(
        select(ScoreSheet.event_id, ScoreSheet.idea_id, ScoreSheet.status, Event.state)
        .join(Event, Event.id == ScoreSheet.event_id)
        .where(ScoreSheet.id == sheet_id, ScoreSheet.judge_id == user.id)
    ).first()
    if row is None:
        return
    if isinstance(refusal, JudgingForbidden) or row.status in SheetState.WITHDRAWN:
        reason = RefusedBecause.REMOVED
    elif row.state != EventState.JUDGING:
        reason = RefusedBecause.JUDGING_CLOSED
    elif row.status == SheetState.SUBMITTED:
        reason = RefusedBecause.SUBMITTED
    else:
        reason = RefusedBecause.OTHER
    new = {"attempted": kind, "idea_id": row.idea_id, "refused_because": reason}
    if kind == TabletAction.SCORE:
        criterion_id = str(data.get("criterion"))
        if criterion_id.isascii() and criterion_id.isdigit() and len(criterion_id) < 10:
            key = db.session.scalar(select(Criterion.key).where(Criterion.id == int(criterion_id)))
            new.update(criterion=key, value=data.get("value"))
    elif kind == TabletAction.COMMENT:
        new["comment"] = str(data.get("comment") or "")[:5000]
    if action.tapped_at:
        new["tapped_at"] = action.tapped_at.isoformat()
    if action.version:
        new["version"] = action.version
    record_kept(
        "sheet", sheet_id, REFUSED, by=user.id, event_id=row.event_id, new=new, source=source,
        client_action=action.id,
    )  # fmt: skip


def offline_sheet_ids(user, limit: int = 500) -> list[int]:
    """The judge's sheets a tablet keeps for offline use: those of seated judges, in events
    being judged, not set aside (submitted ones too: the next idea's link leads on)."""
    return list(
        db.session.scalars(
            select(ScoreSheet.id)
            .join(Event, Event.id == ScoreSheet.event_id)
            .join(
                JuryMember,
                (JuryMember.event_id == ScoreSheet.event_id)
                & (JuryMember.user_id == ScoreSheet.judge_id),
            )
            .where(
                ScoreSheet.judge_id == user.id,
                ScoreSheet.status.in_(SheetState.LIVE),
                Event.state == EventState.JUDGING,
            )
            .order_by(ScoreSheet.id)
            .limit(limit)
        )
    )


# --- What tablets report ----------------------------------------------------------------------


def report_device(user, data: dict) -> None:
    """A tablet's report: its id (kept in its localStorage), how many actions it still holds,
    the oldest one's time and its last sync (milliseconds of its own clock, set right)."""
    device = data.get("device")
    if not isinstance(device, str) or not _ID.fullmatch(device):
        raise JudgingError(_l("This tablet's id is not valid."), "device")
    pending = data.get("pending")
    if (
        isinstance(pending, bool)
        or not isinstance(pending, int)
        or not 0 <= pending <= _MAX_PENDING
    ):
        raise JudgingError(_l("The number of actions waiting is not valid."), "pending")
    offset, now = _offset(data), utcnow()
    oldest = _instant(data.get("oldest"), "oldest")
    last_sync = _instant(data.get("last_sync"), "last_sync")
    row = db.session.scalar(
        select(JuryDevice).where(JuryDevice.judge_id == user.id, JuryDevice.device == device)
    )
    if row is None:
        row = JuryDevice(judge_id=user.id, device=device)
        db.session.add(row)
    row.pending = pending
    row.oldest_pending_at = min(oldest + offset, now) if oldest and pending else None
    row.last_sync_at = min(last_sync + offset, now) if last_sync else row.last_sync_at
    row.reported_at = now
    db.session.flush()


def unsynced_tablets(event: Event) -> list[dict]:
    """The tablets of the event's seated judges that last reported unsent actions, the oldest
    waiting first."""
    rows = db.session.execute(
        select(JuryDevice, User.name)
        .join(User, User.id == JuryDevice.judge_id)
        .join(
            JuryMember,
            (JuryMember.user_id == JuryDevice.judge_id) & (JuryMember.event_id == event.id),
        )
        .where(JuryDevice.pending > 0)
        .order_by(JuryDevice.oldest_pending_at, JuryDevice.id)
    ).all()
    return [{"device": device, "judge": name} for device, name in rows]


def _when(text) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def refused_actions(event: Event, limit: int = 50) -> list[dict]:
    """The event's queued actions refused on arrival, newest first: who, which idea, what, why."""
    entries = entries_for_event(event.id, limit, entity="sheet", actions=(REFUSED,))
    if not entries:
        return []
    users = {e.user_id for e in entries}
    ideas = {(e.new or {}).get("idea_id") for e in entries}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(users))).all())
    titles = dict(db.session.execute(select(Idea.id, Idea.title).where(Idea.id.in_(ideas))).all())
    rows = []
    for entry in entries:
        new = entry.new or {}
        reason = RefusedBecause.parse(new.get("refused_because")) or RefusedBecause.OTHER
        attempted = TabletAction.parse(new.get("attempted"))
        rows.append(
            {
                "entry": entry,
                "judge": names.get(entry.user_id, "?"),
                "idea": titles.get(new.get("idea_id"), "?"),
                "attempted": ACTION_LABELS.get(attempted, "?"),
                "criterion": new.get("criterion"),
                "value": new.get("value"),
                "reason": REFUSAL_LABELS[reason],
                "tapped_at": _when(new.get("tapped_at")),
            }
        )
    return rows
