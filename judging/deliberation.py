"""Deliberation, minutes, versions of the official results, amendments and the national final.

Winners are the top N of the ranking by default; an idea outside the top N needs a written
reason. The jury president (or an organiser acting for them) validates the minutes, which
freezes the ranking and the winners into a new `ResultVersion`; publishing requires validated
minutes (a transition guard) and publishes that version (a handler of `event_state_changed`).
From validation on, nothing that feeds the ranking may change (`lock_message`): before
publication an organiser reopens the deliberation with a reason; after it, an amendment (with
its reason) makes the next version. Readers use `judging.results`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.permissions import can
from accounts.states import Permission
from audit.services import record
from competitions.errors import TransitionError
from competitions.models import Event, JuryMember
from competitions.services import jury_president
from competitions.states import EventState, RankingMethod
from extensions import db, utcnow
from fieldtypes import Text
from judging import results
from judging.freeze import (
    LOCKED_PUBLISHED,
    LOCKED_VALIDATED,
    amendment_open,
    lock_message,
    pending_version,
    version_in_force,
)
from judging.models import Deliberation, ResultEntry, ResultVersion, WinnerChoice
from judging.prizes import prize_outcomes
from judging.rounds import round_one
from judging.services import (
    JudgingConflict,
    JudgingError,
    JudgingForbidden,
    check_unlocked,
    event_conflicts,
    event_ranking,
    parse_text,
)
from judging.states import ValidationMode
from submissions.models import Idea
from submissions.services import ChangeRefused
from submissions.states import Eligibility, IdeaSource
from submissions.team import copy_members

OVERRIDE_REASON = Text.of(WinnerChoice.override_reason)
NOTES = Text.of(Deliberation.notes, max_length=20_000)
METHOD_REASON = Text.of(Deliberation.method_reason)
AMENDMENT_REASON = Text.of(ResultVersion.reason)  # reopening a deliberation or amending

# Idea fields copied to the national final when a stop's winners are carried over.
CARRIED_FIELDS = (
    "title", "problem", "solution", "sector", "region_code", "province_code", "commune_code",
        "place_note", "beneficiaries",
    "local_resources", "expected_jobs", "budget_mad", "financing_sought_mad", "team_kind",
    "cooperative_name", "cooperative_members", "lead_name", "lead_phone", "lead_email",
    "lead_gender", "lead_age_bracket", "lead_status", "other_members", "locale", "consent_at",
    "consent_version",
)  # fmt: skip


def deliberation_of(event: Event, *, create: bool = False) -> Deliberation:
    """The event's deliberation record. Before the first write there is none: pages get a blank
    one that is not saved (GET never writes); writers pass `create=True` to store it."""
    deliberation = db.session.scalar(select(Deliberation).where(Deliberation.event_id == event.id))
    if deliberation is None:
        deliberation = Deliberation(event_id=event.id)
        if create:
            db.session.add(deliberation)
            db.session.flush()
    return deliberation


def default_winners(ranking: dict) -> list[int]:
    """The top N ranked ideas (ties at the N-th place all included)."""
    return results.default_winners(ranking["ideas"], ranking["winners_count"])


def winner_choices(event: Event) -> list[WinnerChoice]:
    return list(db.session.scalars(select(WinnerChoice).where(WinnerChoice.event_id == event.id)))


def refuse_locked_idea_change(idea: Idea, change: str) -> None:
    """The ideas' change guard: no eligibility, duplicate or scored-field change while the
    results of the idea's event are frozen."""
    message = lock_message(idea.event)
    if message is not None:
        raise ChangeRefused(message)


def can_choose(event: Event) -> bool:
    """Winners may be chosen and the minutes validated: in deliberation, or while an amendment
    is open; never once validated."""
    if lock_message(event) is not None:
        return False
    return event.in_deliberation or (event.results_public and amendment_open(event))


def _check_open(event: Event) -> Deliberation:
    check_unlocked(event)
    if not can_choose(event):
        raise JudgingConflict(_l("Winners are chosen during deliberation."))
    return deliberation_of(event, create=True)


def _clean_reason(reason) -> str:
    """A written reason for reopening or amending: a few words at least, no longer than the
    column (2,000 characters)."""
    text = parse_text(AMENDMENT_REASON, reason, "reason")
    if len(text) < 3:
        raise JudgingError(_l("Write the reason (a few words at least)."), field="reason")
    return text


def choose_winners(
    event: Event, idea_ids: list[int], reasons: dict[int, str], by
) -> list[WinnerChoice]:
    """Replace the chosen winners; any idea outside the default top N needs a written reason."""
    _check_open(event)
    ranking = event_ranking(event)
    rows = {row["idea_id"]: row for row in ranking["ideas"]}
    top = set(default_winners(ranking))
    chosen = []
    for idea_id in dict.fromkeys(int(i) for i in idea_ids):
        if idea_id not in rows:
            raise JudgingError(_l("This idea is not part of the event."))
        reason = parse_text(OVERRIDE_REASON, reasons.get(idea_id), f"reason_{idea_id}") or None
        if idea_id not in top and not reason:
            raise JudgingError(
                _l(
                    "%(code)s is not in the top %(n)s: write the reason for choosing it.",
                    code=rows[idea_id]["receipt_code"],
                    n=ranking["winners_count"],
                ),
                field=f"reason_{idea_id}",
            )
        chosen.append((idea_id, reason if idea_id not in top else None))
    if not chosen:
        raise JudgingError(_l("Choose at least one winner."))
    previous = winner_choices(event)
    old = sorted(c.idea_id for c in previous)
    for choice in previous:
        db.session.delete(choice)
    db.session.flush()
    choices = []
    for idea_id, reason in chosen:
        choice = WinnerChoice(
            event_id=event.id, idea_id=idea_id, override_reason=reason, chosen_by_id=by.id
        )
        db.session.add(choice)
        choices.append(choice)
    db.session.flush()
    record(
        "event", event.id, "winners", by=by, event_id=event.id, old={"winners": old},
        new={"winners": [c.idea_id for c in choices],
             "overrides": {str(c.idea_id): c.override_reason for c in choices if c.override_reason}},
    )  # fmt: skip
    return choices


def save_notes(event: Event, text: str, by) -> Deliberation:
    """The notes of the discussion, kept in the minutes; editable until they are validated."""
    deliberation = _check_open(event)
    text = parse_text(NOTES, text, "notes")
    if text != (deliberation.notes or ""):
        record(
            "event", event.id, "notes", by=by, event_id=event.id,
            old={"notes": deliberation.notes or ""}, new={"notes": text},
        )  # fmt: skip
        deliberation.notes = text
        db.session.flush()
    return deliberation


def choose_method(event: Event, method: str, reason: str, by) -> Deliberation:
    """Rank by the raw or the normalised score, with the reason written in the minutes."""
    deliberation = _check_open(event)
    if RankingMethod.parse(method) is None:
        raise JudgingError(_l("Unknown ranking method."), field="method")
    reason = parse_text(METHOD_REASON, reason, "method_reason")
    if len(reason) < 3:
        raise JudgingError(_l("Write why the jury ranks by this method."), field="method_reason")
    old = {"method": event.effective_ranking_method, "reason": deliberation.method_reason}
    event.ranking_method = method
    deliberation.method_reason = reason
    db.session.flush()
    record(
        "event", event.id, "method", by=by, event_id=event.id, old=old,
        new={"method": method, "reason": reason},
    )  # fmt: skip
    return deliberation


def can_validate(event: Event, user) -> bool:
    """The jury president, or an organiser of the event acting for them."""
    return can(user, Permission.MANAGE, event) or _is_president(event, user)


def _is_president(event: Event, user) -> bool:
    return bool(
        db.session.scalar(
            select(JuryMember.id).where(
                JuryMember.event_id == event.id,
                JuryMember.user_id == user.id,
                JuryMember.is_president,
            )
        )
    )


def _same_name(typed: str | None, name: str) -> bool:
    return " ".join((typed or "").split()).casefold() == " ".join(name.split()).casefold()


def validation_mode(
    event: Event, by, president_name: str | None = None
) -> tuple[ValidationMode, JuryMember]:
    """How `by` validates: (PRESIDENT, member) signed in on their own account, or
    (ON_BEHALF, member) for an organiser who typed the president's name; else JudgingError."""
    president = jury_president(event)
    if president is None:
        raise JudgingConflict(
            _l("The jury has no president: name one on the event's page (Jury) first."),
        )
    if by.id == president.user_id:
        return ValidationMode.PRESIDENT, president
    if not can(by, Permission.MANAGE, event):
        raise JudgingForbidden(
            _l("Only the jury president or an organiser can validate the minutes.")
        )
    if not _same_name(president_name, president.user.name):
        raise JudgingError(
            _l("To validate on the president's behalf, type their name as the jury list shows it."),
            field="president_name",
        )
    return ValidationMode.ON_BEHALF, president


def validate_minutes(event: Event, by, *, president_name: str | None = None) -> ResultVersion:
    """The president validates the minutes (or an organiser on their behalf, typing their
    name): the ranking and the winners (top N if none chosen) are frozen into a new version of
    the results, published by the next publication; who, when and how is kept."""
    deliberation = _check_open(event)
    mode, president = validation_mode(event, by, president_name)
    if not winner_choices(event):
        ranking = event_ranking(event)
        if not default_winners(ranking):
            raise JudgingConflict(_l("No idea is ranked: there is no winner to record."))
        choose_winners(event, default_winners(ranking), {}, by)
    version = _snapshot(event, by, reason=deliberation.amendment_reason)
    version.validation_mode = mode
    version.validated_for_id = president.user_id
    deliberation.method = version.method
    deliberation.validated_at = version.validated_at
    deliberation.validated_by_id = by.id
    deliberation.validation_mode = mode
    deliberation.validated_for_id = president.user_id
    db.session.flush()
    record(
        "event",
        event.id,
        "minutes",
        by=by,
        event_id=event.id,
        new={
            "validated": True,
            "method": version.method,
            "mode": mode,
            "president_id": president.user_id,
            "version": version.number,
        },
    )
    return version


def _snapshot(event: Event, by, reason: str | None) -> ResultVersion:
    """Freeze the live ranking and the winner choices into the next version of the results."""
    live = results.provisional_results(event)
    last = db.session.scalar(
        select(func.max(ResultVersion.number)).where(ResultVersion.event_id == event.id)
    )
    version = ResultVersion(
        event_id=event.id,
        number=(last or 0) + 1,
        method=live.method,
        reason=reason,
        validated_at=utcnow(),
        validated_by_id=getattr(by, "id", None),
    )
    db.session.add(version)
    db.session.flush()
    for row in live.rows:
        db.session.add(
            ResultEntry(
                version_id=version.id, idea_id=row.idea_id, rank=row.rank, raw=row.raw,
                mean_z=row.mean_z, score_100=row.score_100, judges=row.judges,
                ranked=row.ranked, not_ranked_reason=row.not_ranked_reason,
                is_winner=row.is_winner, override_reason=row.override_reason,
                rank_raw=row.rank_raw, rank_normalised=row.rank_normalised,
            )
        )  # fmt: skip
    db.session.flush()
    return version


def reopen_deliberation(event: Event, reason: str, by) -> ResultVersion:
    """Before publication, an organiser reopens the deliberation with a written reason: the
    validated version is voided and the minutes are no longer validated."""
    pending = pending_version(event)
    if pending is None:
        if version_in_force(event) is not None:
            raise JudgingConflict(LOCKED_PUBLISHED)
        raise JudgingConflict(_l("The minutes are not validated: there is nothing to reopen."))
    reason = _clean_reason(reason)
    pending.voided_at = utcnow()
    pending.voided_reason = reason
    _clear_validation(deliberation_of(event, create=True))
    db.session.flush()
    record(
        "event", event.id, "reopen_deliberation", by=by, event_id=event.id,
        old={"validated": True, "version": pending.number}, new={"validated": False},
        note=reason,
    )  # fmt: skip
    return pending


def _clear_validation(deliberation: Deliberation) -> None:
    deliberation.validated_at = None
    deliberation.validated_by_id = None
    deliberation.validation_mode = None
    deliberation.validated_for_id = None


def start_amendment(event: Event, reason: str, by) -> Deliberation:
    """After publication, an organiser starts an amendment with a written reason: the ranking's
    inputs may change again while the published version stays in force and public."""
    if version_in_force(event) is None:
        raise JudgingConflict(
            _l("Only published results can be amended: reopen the deliberation instead.")
        )
    if amendment_open(event):
        raise JudgingConflict(_l("An amendment of these results is already open."))
    reason = _clean_reason(reason)
    deliberation = deliberation_of(event, create=True)
    deliberation.amendment_reason = reason
    deliberation.amendment_started_at = utcnow()
    _clear_validation(deliberation)
    db.session.flush()
    record(
        "event", event.id, "amendment", by=by, event_id=event.id,
        new={"in_force": version_in_force(event).number}, note=reason,
    )  # fmt: skip
    return deliberation


def publish_amendment(event: Event, by) -> int:
    """Publish the validated amendment: it becomes the version in force; each participant whose
    idea's outcome changed is told by e-mail (once per idea and version). Returns how many."""
    pending = pending_version(event)
    if not amendment_open(event) or pending is None:
        raise JudgingConflict(_l("Validate the minutes of the amendment before publishing it."))
    before = results.results_in_force(event)
    pending.published_at = utcnow()
    deliberation = deliberation_of(event, create=True)
    deliberation.amendment_reason = None
    deliberation.amendment_started_at = None
    db.session.flush()
    after = results.results_in_force(event)
    queued = _announce_changes(event, before, after)
    record(
        "event", event.id, "publish_amendment", by=by, event_id=event.id,
        old={"version": before.number if before else None},
        new={"version": after.number, "emails": queued}, note=after.reason,
    )  # fmt: skip
    results.results_published.send(event, version=after.number)
    return queued


def amendment_preview(event: Event) -> dict | None:
    """What publishing the validated amendment does (its confirmation page; reads only): the
    version that replaces the one in force, the winners before and after, the e-mails."""
    pending = pending_version(event)
    if not amendment_open(event) or pending is None:
        return None
    before = results.results_in_force(event)
    after = results.results_version(event, pending.number, published_only=False)
    changed = changed_outcomes(before, after)
    emails = db.session.scalar(
        select(func.count(Idea.id)).where(
            Idea.id.in_(changed), Idea.lead_email.is_not(None), Idea.lead_email != ""
        )
    )
    return {"before": before, "after": after, "changed": len(changed), "emails": emails}


def _outcome(row) -> tuple | None:
    return (row.is_winner, row.ranked, row.rank) if row else None


def changed_outcomes(before, after) -> list[int]:
    """The ideas whose outcome (winner or not, ranked or not, rank) differs between versions."""
    old = {row.idea_id: row for row in before.rows} if before else {}
    return [row.idea_id for row in after.rows if _outcome(row) != _outcome(old.get(row.idea_id))]


def _announce_changes(event: Event, before, after) -> int:
    from jobs.outbox import queue_email

    ids = changed_outcomes(before, after)
    if not ids:
        return 0
    ideas = db.session.scalars(select(Idea).where(Idea.id.in_(ids))).all()
    queued = 0
    for idea in ideas:
        row = after.row(idea.id)
        email = queue_email(
            kind="results_amended",
            to=idea.lead_email,
            locale=idea.locale or "fr",
            template="results_amended",
            context={
                "idea": idea, "event": event, "is_winner": row.is_winner,
                "rank": row.rank if row.ranked else None, "reason": after.reason,
            },
            dedupe_key=f"results-amended:{idea.id}:v{after.number}",
            event_id=event.id,
        )  # fmt: skip
        queued += email is not None
    return queued


def minutes_data(event: Event) -> dict:
    """Everything the printable minutes show: the validated version (or the one in force),
    else the provisional ranking."""
    shown = results.validated_results(event) or results.provisional_results(event)
    jury = list(
        db.session.scalars(
            select(JuryMember)
            .where(JuryMember.event_id == event.id)
            .order_by(JuryMember.is_president.desc(), JuryMember.is_secretary.desc(), JuryMember.id)
        )
    )
    return {
        "event": event,
        "results": shown,
        "version": pending_version(event) or version_in_force(event),
        "jury": jury,
        "conflicts": event_conflicts(event),
        "deliberation": deliberation_of(event),
        "round_one": round_one(event),
        "prize_outcomes": prize_outcomes(event, shown),
    }


def publish_pending(event: Event) -> ResultVersion | None:
    """The first publication publishes the validated version (once)."""
    pending = pending_version(event)
    if pending is None:
        return None
    pending.published_at = utcnow()
    deliberation_of(event, create=True).published_at = pending.published_at
    db.session.flush()
    return pending


def carry_winners_to_final(final_event: Event, by=None) -> list[Idea]:
    """Copy each published stop's winners as new ideas of the final (source="final"); idempotent."""
    from submissions.receipts import new_receipt_code

    if not final_event.is_final:
        raise JudgingConflict(_l("This event is not the national final."))
    if not final_event.before_judging:
        raise JudgingConflict(
            _l("Entrants can be carried over only before the final's judging starts.")
        )
    already = set(
        db.session.scalars(
            select(Idea.carried_from_id).where(
                Idea.event_id == final_event.id, Idea.carried_from_id.is_not(None)
            )
        )
    )
    stops = db.session.scalars(
        select(Event)
        .where(
            Event.competition_id == final_event.competition_id,
            Event.id != final_event.id,
            Event.state.in_(EventState.RESULTS_PUBLIC),
        )
        .order_by(Event.tour_order, Event.id)
    )
    winners = [row.idea_id for stop in stops for row in results.event_winners(stop)]
    created = []
    for idea_id in winners:
        if idea_id in already:
            continue
        source = db.session.get(Idea, idea_id)
        idea = Idea(
            event_id=final_event.id,
            receipt_code=_free_code(new_receipt_code, final_event.city),
            source=IdeaSource.FINAL,
            carried_from_id=source.id,
            eligibility=Eligibility.ELIGIBLE,
            **{name: getattr(source, name) for name in CARRIED_FIELDS},
        )
        db.session.add(idea)
        created.append(idea)
        already.add(source.id)
    db.session.flush()
    for idea in created:
        copy_members(idea.carried_from_id, idea.id)
    if created:
        record(
            "event", final_event.id, "carry_winners", by=by, event_id=final_event.id,
            new={"ideas": [i.carried_from_id for i in created]},
        )  # fmt: skip
    return created


def _free_code(new_receipt_code, city: str) -> str:
    while True:  # the database enforces uniqueness; checking first avoids a failed flush
        code = new_receipt_code(city)
        if not db.session.scalar(select(Idea.id).where(Idea.receipt_code == code)):
            return code


# --- Lifecycle hooks ---------------------------------------------------------------------------


def require_validated_minutes(event: Event, old: str, new: str) -> None:
    """Guard: results are published only once the minutes are validated; after validation the
    event cannot go back to judging (reopening the deliberation with a reason comes first)."""
    pending = pending_version(event)
    if new == EventState.PUBLISHED and pending is None:
        raise TransitionError(
            _l("Validate the deliberation minutes before publishing the results.")
        )
    if (old, new) == (EventState.DELIBERATION, EventState.JUDGING) and pending is not None:
        raise TransitionError(LOCKED_VALIDATED)


def on_state_changed(event: Event, old: str, new: str, **_) -> None:
    """Publishing snapshots the results; entering judging assigns the ideas to the jury."""
    from judging.services import assign_event

    if new == EventState.PUBLISHED and publish_pending(event) is not None:
        results.results_published.send(event, version=version_in_force(event).number)
    elif new == EventState.JUDGING:
        assign_event(event, _.get("by"), source=_.get("source") or "web")


def final_entrants(final_event: Event) -> list[Idea]:
    """The ideas of the national final, each carried over from a stop's winners."""
    query = select(Idea).where(Idea.event_id == final_event.id).order_by(Idea.created_at, Idea.id)
    return list(db.session.scalars(query))


def event_links(event: Event) -> list[tuple[str, str]]:
    """Links on the organiser's event page."""
    from flask import url_for

    links = [
        (str(_l("Judging progress")), url_for("judging.progress", slug=event.slug)),
        (str(_l("Deliberation")), url_for("judging.deliberation", slug=event.slug)),
        (str(_l("Audit log")), url_for("judging.audit", slug=event.slug)),
    ]
    if event.results_public:
        links.append((str(_l("Results")), url_for("judging.results", slug=event.slug)))
    if event.is_final:
        links.insert(0, (str(_l("Finalists")), url_for("judging.final_entrants", slug=event.slug)))
    return links


def judging_stats(event_ids: list[int]) -> dict[int, dict]:
    from judging.services import judging_progress

    return judging_progress(event_ids)
