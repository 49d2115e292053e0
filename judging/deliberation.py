"""Deliberation, minutes, published results and the national final.

Winners are the top N of the ranking by default; an idea outside the top N needs a written
reason. The jury president (or an organiser acting for them) validates the minutes, which locks
the results; publishing requires validated minutes (a transition guard) and snapshots the
ranking into ResultEntry rows (a handler of `event_state_changed`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from audit.services import record
from competitions.errors import TransitionError
from competitions.models import Event, JuryMember
from competitions.services import jury_president
from competitions.states import EventState, RankingMethod
from extensions import db, utcnow
from fieldtypes import Text
from judging.models import Deliberation, ResultEntry, WinnerChoice
from judging.outcome import announce_results
from judging.services import (
    JudgingConflict,
    JudgingError,
    JudgingForbidden,
    event_conflicts,
    event_ranking,
    parse_text,
)
from judging.states import ValidationMode
from submissions.models import Idea
from submissions.states import Eligibility, IdeaSource

OVERRIDE_REASON = Text.of(WinnerChoice.override_reason)
NOTES = Text.of(Deliberation.notes, max_length=20_000)
METHOD_REASON = Text.of(Deliberation.method_reason)

# Idea fields copied to the national final when a stop's winners are carried over.
CARRIED_FIELDS = (
    "title", "problem", "solution", "sector", "region", "province", "beneficiaries",
    "local_resources", "expected_jobs", "budget_mad", "financing_sought_mad", "team_kind",
    "cooperative_name", "cooperative_members", "lead_name", "lead_phone", "lead_email",
    "lead_gender", "lead_age_bracket", "lead_status", "other_members", "locale", "consent_at",
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
    n = ranking["winners_count"]
    return [row["idea_id"] for row in ranking["ideas"] if row["ranked"] and row["rank"] <= n]


def winner_choices(event: Event) -> list[WinnerChoice]:
    return list(db.session.scalars(select(WinnerChoice).where(WinnerChoice.event_id == event.id)))


def _check_open(event: Event) -> Deliberation:
    if not event.in_deliberation:
        raise JudgingConflict(_l("Winners are chosen during deliberation."))
    deliberation = deliberation_of(event, create=True)
    if deliberation.validated_at is not None:
        raise JudgingConflict(_l("The minutes are validated: the results are locked."))
    return deliberation


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
    """The jury president, or an organiser acting for them."""
    return user.is_organiser or _is_president(event, user)


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
    if not by.is_organiser:
        raise JudgingForbidden(
            _l("Only the jury president or an organiser can validate the minutes.")
        )
    if not _same_name(president_name, president.user.name):
        raise JudgingError(
            _l("To validate on the president's behalf, type their name as the jury list shows it."),
            field="president_name",
        )
    return ValidationMode.ON_BEHALF, president


def validate_minutes(event: Event, by, *, president_name: str | None = None) -> Deliberation:
    """The president validates the minutes (or an organiser on their behalf, typing their
    name): winners (top N if none chosen) and method are locked; who, when and how is kept."""
    deliberation = _check_open(event)
    mode, president = validation_mode(event, by, president_name)
    if not winner_choices(event):
        ranking = event_ranking(event)
        if not default_winners(ranking):
            raise JudgingConflict(_l("No idea is ranked: there is no winner to record."))
        choose_winners(event, default_winners(ranking), {}, by)
    deliberation.method = event.effective_ranking_method
    deliberation.validated_at = utcnow()
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
            "method": deliberation.method,
            "mode": mode,
            "president_id": president.user_id,
        },
    )
    return deliberation


def minutes_data(event: Event) -> dict:
    """Everything the printable minutes show."""
    ranking = event_ranking(event)
    choices = {c.idea_id: c for c in winner_choices(event)}
    jury = list(
        db.session.scalars(
            select(JuryMember)
            .where(JuryMember.event_id == event.id)
            .order_by(JuryMember.is_president.desc(), JuryMember.is_secretary.desc(), JuryMember.id)
        )
    )
    return {
        "event": event,
        "ranking": ranking,
        "choices": choices,
        "jury": jury,
        "conflicts": event_conflicts(event),
        "deliberation": deliberation_of(event),
    }


def snapshot_results(event: Event) -> int:
    """Freeze the ranking and the winners into ResultEntry rows (once)."""
    if db.session.scalar(select(ResultEntry.id).where(ResultEntry.event_id == event.id).limit(1)):
        return 0
    ranking = event_ranking(event)
    choices = {c.idea_id: c for c in winner_choices(event)}
    for row in ranking["ideas"]:
        choice = choices.get(row["idea_id"])
        db.session.add(
            ResultEntry(
                event_id=event.id,
                idea_id=row["idea_id"],
                rank=row["rank"],
                raw_score=row["raw"],
                normalised_score=row["normalised"],
                normalised_100=row["normalised_100"],
                judges=row["judges"],
                ranked=row["ranked"],
                not_ranked_reason=row["reason"],
                is_winner=choice is not None,
                override_reason=choice.override_reason if choice else None,
                method=ranking["method"],
            )
        )
    deliberation = deliberation_of(event, create=True)
    deliberation.published_at = utcnow()
    db.session.flush()
    return len(ranking["ideas"])


def published_winners(event: Event) -> list[ResultEntry]:
    query = (
        select(ResultEntry)
        .where(ResultEntry.event_id == event.id, ResultEntry.is_winner)
        .order_by(ResultEntry.rank.is_(None), ResultEntry.rank, ResultEntry.id)
    )
    return list(db.session.scalars(query))


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
    query = (
        select(ResultEntry)
        .join(Event, Event.id == ResultEntry.event_id)
        .where(
            Event.competition_id == final_event.competition_id,
            Event.id != final_event.id,
            Event.state.in_(EventState.RESULTS_PUBLIC),
            ResultEntry.is_winner,
        )
        .order_by(Event.tour_order, ResultEntry.rank)
    )
    created = []
    for entry in db.session.scalars(query):
        if entry.idea_id in already:
            continue
        source = entry.idea
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
    event cannot go back to judging."""
    validated = db.session.scalar(
        select(Deliberation.validated_at).where(Deliberation.event_id == event.id)
    )
    if new == EventState.PUBLISHED and validated is None:
        raise TransitionError(
            _l("Validate the deliberation minutes before publishing the results.")
        )
    back_to_judging = (old, new) == (EventState.DELIBERATION, EventState.JUDGING)
    if back_to_judging and validated is not None:
        raise TransitionError(_l("The minutes are validated: the results are locked."))


def on_state_changed(event: Event, old: str, new: str, **_) -> None:
    """Publishing snapshots the results and tells each participant; entering judging assigns
    the ideas to the jury."""
    from judging.services import assign_event

    if new == EventState.PUBLISHED:
        snapshot_results(event)
        announce_results(event)
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
