"""The organiser's rounds page (the pitch round, the shortlist, the running order), the
organisers' triage of round 1 (its list and its sheets), the stage controls, the public stage
screen with the JSON it polls, and the judge's "now pitching"."""

from flask import Blueprint, abort, flash, jsonify, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounts.decorators import event_permission
from accounts.states import Permission
from competitions.models import Event, Rubric
from competitions.services import get_event
from core.routing import database_id
from extensions import db
from fieldtypes import max_lengths
from judging import prizes, rounds, services
from judging import results as official
from judging import triage as triage_service
from judging.states import StageAction
from paging import page_number
from refusals import on_refusal, see_other
from submissions.fields import SECTOR_LABELS

bp = Blueprint("stage", __name__)


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def _ids(values) -> list[int]:
    return [n for n in (database_id(v) for v in values) if n is not None]


# --- The rounds page ------------------------------------------------------------------------------


@bp.get("/events/<slug>/rounds")
@event_permission(Permission.MANAGE)
def rounds_page(slug: str):
    event = _event(slug)
    found = services.pitch_round(event)
    started = found is not None and found.is_started
    written = rounds.written_ranking(event) if found is not None else None
    return render_template(
        "stage/rounds.html",
        event=event,
        found=found,
        started=started,
        written=written,
        proposed=set(rounds.proposed_shortlist(event, found.shortlist_size)) if found else set(),
        entries=rounds.shortlist(event) if started else [],
        rubrics=list(db.session.scalars(select(Rubric).order_by(Rubric.name, Rubric.version))),
        labels=services.NOT_RANKED_LABELS,
    )


@bp.post("/events/<slug>/rounds")
@event_permission(Permission.MANAGE)
@on_refusal(".rounds_page")
def save_round(slug: str):
    rounds.save_pitch_round(_event(slug), request.form.to_dict(), current_user)
    db.session.commit()
    flash(_("Pitch round saved."), "success")
    return see_other(url_for(".rounds_page", slug=slug))


@bp.post("/events/<slug>/rounds/remove")
@event_permission(Permission.MANAGE)
@on_refusal(".rounds_page")
def remove_round(slug: str):
    rounds.remove_pitch_round(_event(slug), current_user)
    db.session.commit()
    flash(_("Pitch round removed: the event is judged on the written ideas alone."), "success")
    return see_other(url_for(".rounds_page", slug=slug))


def _render_start(event: Event, status: int = 200, error: str | None = None):
    found = services.pitch_round(event)
    if found is None:
        return render_template(
            "stage/confirm_start.html", event=event, found=None, picked=[], outside=[],
            error=str(rounds.NO_PITCH_ROUND),
        ), status  # fmt: skip
    chosen = _ids(request.values.getlist("idea_id"))
    proposed = rounds.proposed_shortlist(event, found.shortlist_size)
    rows = {r["idea_id"]: r for r in rounds.written_ranking(event)["ideas"]}
    picked = [rows[i] for i in (chosen or proposed) if i in rows]
    return render_template(
        "stage/confirm_start.html",
        event=event,
        found=found,
        picked=picked,
        outside=[r for r in picked if r["idea_id"] not in proposed],
        error=error,
    ), status


@bp.get("/events/<slug>/rounds/start")
@event_permission(Permission.MANAGE)
def start_confirm(slug: str):
    """What starting the pitch round does, with the shortlist it will start on."""
    return _render_start(_event(slug))


def _start_again(slug: str, refusal):
    return _render_start(_event(slug), error=str(refusal))[0]


@bp.post("/events/<slug>/rounds/start")
@event_permission(Permission.MANAGE)
@on_refusal(_start_again)
def start(slug: str):
    event = _event(slug)
    if request.form.get("confirm") != "yes":
        return _render_start(
            event, 422, _("Tick the box to confirm that you have read what this step does.")
        )
    rounds.start_pitch_round(
        event,
        _ids(request.form.getlist("idea_id")),
        request.form.get("reason"),
        current_user,
    )
    db.session.commit()
    flash(
        _("The pitch round has started: the judges' tablets show the shortlisted teams."), "success"
    )
    return see_other(url_for(".rounds_page", slug=slug))


@bp.post("/events/<slug>/rounds/order")
@event_permission(Permission.MANAGE)
@on_refusal(".rounds_page")
def running_order(slug: str):
    """Up and down buttons (`idea_id`, `step`), or the whole order from a drag and drop
    (`order`: ids, JSON answer)."""
    event = _event(slug)
    if request.is_json:
        body = request.get_json(silent=True) or {}
        order = body.get("order") if isinstance(body, dict) else None
        rounds.set_running_order(
            event, _ids(order if isinstance(order, list) else []), current_user
        )
        db.session.commit()
        return jsonify(ok=True)
    step = -1 if request.form.get("step") == "up" else 1
    rounds.move_team(event, request.form.get("idea_id", type=database_id), step, current_user)
    db.session.commit()
    return see_other(url_for(".rounds_page", slug=slug) + "#running-order")


@bp.post("/events/<slug>/rounds/lots")
@event_permission(Permission.MANAGE)
@on_refusal(".rounds_page")
def draw_lots(slug: str):
    rounds.draw_lots(_event(slug), current_user)
    db.session.commit()
    flash(_("Running order drawn by lot."), "success")
    return see_other(url_for(".rounds_page", slug=slug) + "#running-order")


# --- The organisers' triage (round 1 on a rubric of its own) --------------------------------------


@bp.get("/events/<slug>/triage")
@event_permission(Permission.MANAGE)
def triage(slug: str):
    """The ideas of the triage with this organiser's sheet of each (or why there is none)."""
    event = _event(slug)
    found = triage_service.triage_round(event)
    ideas, sheets = (
        triage_service.triage_list(event, current_user, page_number(request.args.get("page")))
        if found is not None
        else (None, {})
    )
    return render_template(
        "stage/triage.html", event=event, found=found, ideas=ideas, sheets=sheets,
        states=services.SHEET_STATE_LABELS,
    )  # fmt: skip


def _render_triage_sheet(slug: str, idea_id: int, status: int = 200):
    event = _event(slug)
    found = triage_service.triage_round(event)
    if found is None:
        return see_other(url_for(".triage", slug=slug))
    idea = triage_service.triage_idea(event, idea_id)
    sheet = triage_service.own_sheet(event, idea, current_user)
    return render_template(
        "stage/triage_sheet.html", event=event, found=found, idea=idea, sheet=sheet,
        values=services.sheet_values(sheet) if sheet else {},
        form=request.form if status != 200 else {}, comment_max=services.COMMENT.max_length,
        sector_labels=SECTOR_LABELS,
    ), status  # fmt: skip


@bp.get("/events/<slug>/triage/<int:idea_id>")
@event_permission(Permission.MANAGE)
def triage_sheet(slug: str, idea_id: int):
    return _render_triage_sheet(slug, idea_id)


def _triage_again(slug: str, idea_id: int):
    try:
        answer = _render_triage_sheet(slug, idea_id, 422)
    except services.JudgingError:  # not an idea of the triage: back to the list
        return see_other(url_for(".triage", slug=slug))
    return answer[0] if isinstance(answer, tuple) else answer


@bp.post("/events/<slug>/triage/<int:idea_id>")
@event_permission(Permission.MANAGE)
@on_refusal(_triage_again)
def save_triage(slug: str, idea_id: int):
    event = _event(slug)
    idea = triage_service.triage_idea(event, idea_id)
    marks = {
        key.removeprefix("criterion-"): value
        for key, value in request.form.items()
        if key.startswith("criterion-")
    }
    submit = request.form.get("submit") == "yes"
    triage_service.save_triage_sheet(
        event, idea, marks, request.form.get("comment"), submit, current_user
    )
    db.session.commit()
    flash(_("Triage sheet submitted.") if submit else _("Triage marks saved."), "success")
    if submit:
        return see_other(url_for(".triage", slug=slug))
    return see_other(url_for(".triage_sheet", slug=slug, idea_id=idea_id))


# --- The stage ------------------------------------------------------------------------------------


@bp.get("/events/<slug>/stage")
@event_permission(Permission.MANAGE)
def control(slug: str):
    """The organiser's stage controls (start, questions, next, pause) beside what the screen
    shows."""
    event = _event(slug)
    found = services.pitch_round(event)
    state = rounds.stage_state(event) if found is not None and found.is_started else None
    return render_template(
        "stage/control.html",
        event=event,
        state=state,
        actions=StageAction,
        phase_labels=rounds.PHASE_LABELS,
    )


@bp.post("/events/<slug>/stage")
@event_permission(Permission.MANAGE)
@on_refusal(".control")
def act(slug: str):
    rounds.stage_action(
        _event(slug),
        request.form.get("action"),
        current_user,
        language=request.form.get("language") or None,
    )
    db.session.commit()
    return see_other(url_for(".control", slug=slug))


def _screen_state(event: Event) -> dict | None:
    found = services.pitch_round(event)
    return rounds.stage_state(event) if found is not None and found.is_started else None


@bp.get("/stage/<slug>")
def screen(slug: str):
    """The public full-screen stage page, in the language the organiser chose for the room
    (an address with `?lang=` shows it in that language instead: a preview)."""
    event = _event(slug)
    state = _screen_state(event)
    room = state["language"] if state else "fr"
    if request.args.get("lang") in rounds.SCREEN_LANGUAGES:
        return render_template("stage/screen.html", event=event, state=state, room=room)
    with force_locale(room):
        return render_template("stage/screen.html", event=event, state=state, room=room)


@bp.get("/stage/<slug>/state.json")
def screen_state(slug: str):
    """What the stage screen polls (no personal data: the idea's title and receipt code)."""
    return jsonify(_screen_state(_event(slug)) or {"phase": None})


# --- Special prizes -------------------------------------------------------------------------------


@bp.get("/events/<slug>/prizes")
@event_permission(Permission.MANAGE)
def prizes_page(slug: str):
    """The event's special prizes, with who wins each on the ranking so far."""
    event = _event(slug)
    shown = official.provisional_results(event) if event.judging_started else None
    return render_template(
        "stage/prizes.html",
        event=event,
        outcomes=prizes.prize_outcomes(event, shown) if shown else [],
        prizes=prizes.event_prizes(event),
        rules=prizes.RULE_LABELS,
        sectors=SECTOR_LABELS,
        limits=max_lengths(prizes.PRIZE_FIELDS),
    )


@bp.post("/events/<slug>/prizes")
@event_permission(Permission.MANAGE)
@on_refusal(".prizes_page")
def add_prize(slug: str):
    prizes.add_prize(_event(slug), request.form.to_dict(), current_user)
    db.session.commit()
    flash(_("Special prize added."), "success")
    return see_other(url_for(".prizes_page", slug=slug))


@bp.post("/events/<slug>/prizes/remove")
@event_permission(Permission.MANAGE)
@on_refusal(".prizes_page")
def remove_prize(slug: str):
    prizes.remove_prize(_event(slug), request.form.get("prize_id", type=database_id), current_user)
    db.session.commit()
    flash(_("Special prize removed."), "success")
    return see_other(url_for(".prizes_page", slug=slug))
