"""Jury tablets, the organisers' judging pages, deliberation, public results and the ranking API."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import event_permission, jury_required, permission_required, require
from accounts.permissions import can
from accounts.states import Permission
from audit.history import described_actions
from competitions.models import Event
from competitions.services import get_event, jury_president
from core.offline import available_offline
from core.privacy import shows_personal_data
from core.routing import database_id
from extensions import db
from i18n import current_language, template_language, translated
from judging import (
    audit_log,
    calibration,
    certificates,
    offline,
    outcome,
    paper,
    prizes,
    rounds,
    services,
    steps,
    tap,
)
from judging import deliberation as delib
from judging import gallery as winners_gallery
from judging import results as official
from judging.models import ScoreSheet
from judging.services import JudgingError, JudgingNotFound
from judging.states import SheetState, TabletAction
from paging import of_list, page_number
from places.reference import place_name
from refusals import Forbidden, form_refusals, on_refusal, see_other
from submissions import attachments
from submissions.fields import SECTOR_LABELS
from submissions.jury_view import jury_view
from submissions.models import Idea
from submissions.views import send_stored, unchecked_warning

bp = Blueprint("judging", __name__)


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def _sector_labels() -> dict:
    from submissions.fields import SECTOR_LABELS

    return SECTOR_LABELS


# --- Jury tablets ---------------------------------------------------------------------------------


def offline_pages() -> list[str]:
    """A judge's tablet keeps their list and each sheet of an event in judging for offline use
    (core.offline's page provider): opened without the network, a sheet still takes taps."""
    if not current_user.is_authenticated:
        return []
    sheets = [url_for("judging.sheet", sheet_id=i) for i in offline.offline_sheet_ids(current_user)]
    return [url_for("judging.my_events"), *sheets] if sheets else []


@bp.get("/jury")
@available_offline
@jury_required
def my_events():
    """The judge's events and sheets: to score / in progress / submitted / conflict, fifty
    sheets a page (`?page=` pages every event's list)."""
    number = page_number(request.args.get("page"))
    events = []
    for event in services.judge_events(current_user):
        done, total = services.judge_progress(event, current_user)
        events.append(
            {
                "event": event,
                "page": services.judge_sheets(event, current_user, number),
                "conflicts": services.judge_conflicts(event, current_user),
                "done": done,
                "total": total,
                "pitching": event.is_judging and services.active_round(event) > 1,
            }
        )
    return render_template(
        "judging/my_events.html", events=events, labels=translated(services.SHEET_STATE_LABELS)
    )


def _own_sheet(sheet_id: int, for_writing: bool = False) -> ScoreSheet:
    """The judge's own sheet; 404 for anyone else's. A removed judge's refusal (403) goes to
    the app's handler: JSON for a tap, the reason on a page otherwise."""
    try:
        return services.sheet_for(sheet_id, current_user, for_writing=for_writing)
    except JudgingNotFound:
        abort(404)


def _back_from_sheet(sheet_id: int, refusal):
    """Where a refused submit or conflict goes: the sheet, or the judge's list when the judge
    has left the jury (the sheet is closed to them)."""
    flash(str(refusal), "danger")
    if isinstance(refusal, Forbidden):
        return see_other(url_for(".my_events"))
    return see_other(url_for(".sheet", sheet_id=sheet_id))


@bp.get("/jury/sheets/<int:sheet_id>")
@available_offline
@jury_required
def sheet(sheet_id: int):
    sheet = _own_sheet(sheet_id)
    return render_template(
        "judging/sheet.html",
        sheet=sheet,
        next_sheet=services.next_sheet(sheet) if sheet.is_submitted else None,
        event=sheet.event,
        idea=sheet.idea,
        criteria=services.sheet_rubric(sheet).criteria,
        levels={c.id: services.levels(c) for c in services.sheet_rubric(sheet).criteria},
        values={k: services.format_mark(v) for k, v in services.sheet_values(sheet).items()},
        sector_labels=_sector_labels(),
        editable=sheet.event.is_judging and not sheet.is_submitted,
        shown=jury_view(sheet.idea),
    )


@bp.get("/jury/sheets/<int:sheet_id>/files/<which>")
@jury_required
def idea_file(sheet_id: int, which: str):
    """A file of the idea the judge scores, when the organisers let the jury see it: shown in
    the page (a photo inline, a PDF in the tablet's viewer), never to another judge."""
    sheet = _own_sheet(sheet_id)
    shown = jury_view(sheet.idea).file(which)
    if shown is None:
        abort(404)
    response = send_stored(
        shown.key,
        shown.mime,
        attachments.download_name(shown.name, shown.extension),
        inline=True,
    )
    # Shown inside the score sheet's frame, of this site only.
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.get("/jury/<slug>/now-pitching.json")
@jury_required
def now_pitching(slug: str):
    """The judge's own sheet for the team on stage (the tablet follows it when asked)."""
    event = _event(slug)
    if not services.is_event_judge(event, current_user) and not can(
        current_user, Permission.MANAGE, event
    ):
        abort(403)
    idea, sheet_id = rounds.on_stage_for(event, current_user)
    return jsonify(
        idea_id=idea.id if idea else None,
        title=idea.title if idea else None,
        sheet_url=url_for(".sheet", sheet_id=sheet_id) if sheet_id else None,
    )


def _tablet_json() -> tuple[dict, str]:
    """A tablet's JSON (anything but an object is an empty one: fuzzing found a 500) and the
    tablet's id, the source of its audit entries."""
    data = request.get_json(silent=True)
    return (data if isinstance(data, dict) else {}), (request.headers.get("X-Tablet-Id") or "web")[
        :40
    ]


@bp.post("/jury/sheets/<int:sheet_id>/score")
@jury_required
def save_score(sheet_id: int):
    """One tap: {"criterion": id, "value": 3.5} or {"comment": text}, and from a tablet's queue
    its "action" id, "tapped_at", "sent_at" and "version" (`judging.offline`). A mark takes
    `tap.record_tap` (three round trips); a comment, a replay, a late tap or a mark it leaves,
    the ORM path, which words any refusal."""
    data, source = _tablet_json()
    action = offline.read_action(data)
    if "comment" not in data and tap.record_tap(
        sheet_id, current_user, data.get("criterion"), data.get("value"), source,
        client_action=action.id, tapped_at=action.tapped_at,
    ):  # fmt: skip
        answer = jsonify(ok=True, status=SheetState.DRAFT, message=_("Saved"))
        db.session.commit()
        return answer
    kind = TabletAction.COMMENT if "comment" in data else TabletAction.SCORE
    applied = offline.apply(sheet_id, current_user, kind, data, action, source)
    answer = jsonify(ok=True, status=applied.status, message=_("Saved"), **applied.flags())
    db.session.commit()
    return answer


@bp.post("/jury/sheets/<int:sheet_id>/submit")
@jury_required
@on_refusal(_back_from_sheet)
def submit(sheet_id: int):
    """The sheet's form, or a tablet's queued submit (JSON, answered in JSON)."""
    if request.is_json:
        data, source = _tablet_json()
        action = offline.read_action(data)
        applied = offline.apply(sheet_id, current_user, TabletAction.SUBMIT, data, action, source)
        answer = jsonify(ok=True, status=applied.status, **applied.flags())
        db.session.commit()
        return answer
    services.submit_sheet(_own_sheet(sheet_id), current_user)
    db.session.commit()
    flash(_("Score sheet submitted. Thank you."), "success")
    return see_other(url_for("judging.sheet", sheet_id=sheet_id))


@bp.post("/jury/tablet")
@jury_required
def tablet_report():
    """A jury tablet reports the actions it still holds: {"device", "pending", "oldest",
    "last_sync", "sent_at"} (shown on the progress page)."""
    data, _source = _tablet_json()
    offline.report_device(current_user, data)
    db.session.commit()
    return jsonify(ok=True)


@bp.post("/jury/sheets/<int:sheet_id>/conflict")
@jury_required
@on_refusal(_back_from_sheet)
def conflict(sheet_id: int):
    services.declare_conflict(_own_sheet(sheet_id), request.form.get("reason", ""), current_user)
    db.session.commit()
    flash(_("Conflict of interest recorded: this idea has left your list."), "info")
    return see_other(url_for("judging.my_events"))


# --- Organisers: progress -------------------------------------------------------------------------


@bp.get("/judging/<slug>/progress")
@event_permission(Permission.VIEW)
def progress(slug: str):
    event = _event(slug)
    matrix = services.progress_matrix(event, page_number(request.args.get("page")))
    # The consistency flags only, never shown to the jury.
    ranking = services.event_ranking(event, consistency=True)
    names = {j.id: j.name for j in matrix["judges"]}
    names.update({r["user"].id: r["user"].name for r in matrix["removed"]})
    flags = [dict(j, name=names.get(j["judge_id"], "?")) for j in ranking["judges"]]
    return render_template(
        "judging/progress.html",
        event=event,
        matrix=matrix,
        flags=flags,
        conflicts=services.event_conflicts(event),
        tablets=offline.unsynced_tablets(event),
        refused=offline.refused_actions(event),
        labels=translated(services.SHEET_STATE_LABELS),
        removal_labels=translated(services.REMOVAL_LABELS),
        unchecked=None if event.judging_closed else unchecked_warning(event),
    )


@bp.post("/judging/<slug>/assign")
@event_permission(Permission.MANAGE)
def assign(slug: str):
    event = _event(slug)
    created = services.assign_event(event, current_user)
    db.session.commit()
    flash(_("%(n)s score sheets created.", n=created), "success")
    return see_other(url_for("judging.progress", slug=slug))


@bp.post("/judging/<slug>/remind")
@event_permission(Permission.MANAGE)
def remind(slug: str):
    event = _event(slug)
    behind = services.remind_judges(event)
    if not behind:
        flash(_("Every judge is up to date."), "info")
        return see_other(url_for("judging.progress", slug=slug))
    db.session.commit()
    names = ", ".join(f"{j.name} <{j.email}>" for j in behind)
    flash(_("Reminder e-mailed to: %(names)s", names=names), "success")
    return see_other(url_for("judging.progress", slug=slug))


@bp.get("/judging/<slug>/calibration")
@event_permission(Permission.MANAGE)
def calibration_page(slug: str):
    """Each judge's marks on the calibration idea side by side, and each judge's mean and
    spread: a harsh or lenient judge stands out."""
    event = _event(slug)
    return render_template(
        "judging/calibration.html",
        event=event,
        figures=calibration.calibration_figures(event),
        labels=translated(services.SHEET_STATE_LABELS),
    )


def _render_calibration_confirm(event: Event, idea: Idea, status: int = 200):
    refusal = services.calibration_refusal(event, idea)
    return render_template(
        "judging/confirm_calibration.html", event=event, idea=idea, refusal=refusal
    ), status


@bp.get("/judging/<slug>/calibration/<int:idea_id>")
@bp.get("/judging/<slug>/calibration/choose", defaults={"idea_id": None})
@event_permission(Permission.MANAGE)
def calibration_confirm(slug: str, idea_id: int | None):
    """What using an idea to practise scoring does, before it is done (the idea is in the path,
    or chosen in the progress page's list: `?idea_id=`)."""
    event = _event(slug)
    if idea_id is None:
        idea_id = request.args.get("idea_id", type=database_id)
    idea = db.session.get(Idea, idea_id) if idea_id is not None else None
    if idea is None or idea.event_id != event.id:
        abort(404)
    return _render_calibration_confirm(event, idea)


@bp.post("/judging/<slug>/calibration")
@event_permission(Permission.MANAGE)
@on_refusal(".progress")
def calibration_set(slug: str):
    event = _event(slug)
    idea_id = request.form.get("idea_id", type=database_id)
    idea = db.session.get(Idea, idea_id) if idea_id else None
    if idea is not None and idea.event_id == event.id and request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that you have read what this step does."), "danger")
        return _render_calibration_confirm(event, idea, status=422)
    services.set_calibration(event, idea, current_user)
    db.session.commit()
    flash(_("Calibration idea saved."), "success")
    return see_other(url_for("judging.calibration_page", slug=slug))


def _progress_conflicts(slug: str):
    return see_other(url_for("judging.progress", slug=slug, _anchor="conflicts"))


@bp.post("/judging/<slug>/conflicts")
@event_permission(Permission.MANAGE)
@on_refusal(_progress_conflicts)
def record_conflict(slug: str):
    """An organiser records a judge's conflict of interest on an idea, before judging."""
    event = _event(slug)
    form = request.form
    services.record_conflict(
        event, form.get("judge_id"), form.get("idea_id"), form.get("reason", ""), current_user
    )
    db.session.commit()
    flash(_("Conflict of interest recorded: the judge will not score this idea."), "success")
    return _progress_conflicts(slug)


def _sheet_or_404(sheet_id: int) -> ScoreSheet:
    return db.session.get(ScoreSheet, sheet_id) or abort(404)


def _sheet_progress(sheet_id: int):
    return see_other(url_for("judging.progress", slug=_sheet_or_404(sheet_id).event.slug))


@bp.post("/judging/sheets/<int:sheet_id>/reopen")
@permission_required(Permission.MANAGE)
@on_refusal(_sheet_progress)
def reopen(sheet_id: int):
    sheet = _sheet_or_404(sheet_id)
    require(Permission.MANAGE, sheet.event)
    services.reopen_sheet(sheet, current_user)
    db.session.commit()
    flash(_("Sheet reopened: the judge can change it again."), "success")
    return _sheet_progress(sheet_id)


# --- Deliberation ---------------------------------------------------------------------------------


def _may_see_ranking(event: Event) -> bool:
    """Those who manage the event always; the event's jury from deliberation on (no anchoring
    before)."""
    if not current_user.is_authenticated:
        return False
    if can(current_user, Permission.MANAGE, event):
        return True
    return event.judging_closed and services.is_event_judge(event, current_user)


def _render_deliberation(event: Event, errors: dict, status: int = 200, typed=None):
    """The ranking being deliberated (live while winners may change), else the validated
    version or the one in force; reopening and amending are offered here. `typed`: the winners
    and reasons of a refused choice, shown again as the organiser left them."""
    editable = delib.can_choose(event)
    shown = official.provisional_results(event) if editable else None
    shown = shown or official.validated_results(event) or official.provisional_results(event)
    chosen, reasons = typed or ({row.idea_id for row in shown.winners}, None)
    return render_template(
        "judging/deliberation.html",
        event=event,
        results=shown,
        page=of_list(list(shown.ranked_rows), page_number(request.args.get("page"))),
        chosen=chosen,
        typed_reasons=reasons,
        top=set(official.default_winners(shown.rows, event.winners_count)),
        record=delib.deliberation_of(event),
        locked=not editable,
        pending=delib.pending_version(event),
        in_force=delib.version_in_force(event),
        can_validate=editable and delib.can_validate(event, current_user),
        reasons=services.NOT_RANKED_LABELS,
        round_one=rounds.round_one(event),
        prize_outcomes=prizes.prize_outcomes(event, shown),
        notes_max=delib.NOTES.max_length,
        form=request.form if status != 200 else {},
        errors=errors,
    ), status


@bp.get("/judging/<slug>/deliberation")
@jury_required
def deliberation(slug: str):
    event = _event(slug)
    if not _may_see_ranking(event):
        abort(403)
    return _render_deliberation(event, {})


@bp.post("/judging/<slug>/winners")
@event_permission(Permission.MANAGE)
def winners(slug: str):
    """The winners ticked, with a reason for each one outside the top places; refused, the page
    comes back (422) with the ticks and reasons as they were typed."""
    event = _event(slug)
    ids = request.form.getlist("winner", type=database_id)
    reasons = {
        int(k[7:]): v
        for k, v in request.form.items()
        if k.startswith("reason_") and k[7:].isdigit()
    }
    refused = form_refusals()
    with refused:
        delib.choose_winners(event, ids, reasons, current_user)
        db.session.commit()
        flash(_("Winners recorded."), "success")
        return see_other(url_for("judging.deliberation", slug=slug))
    return _render_deliberation(event, refused.errors, refused.status, typed=(set(ids), reasons))


@bp.post("/judging/<slug>/notes")
@event_permission(Permission.MANAGE)
def notes(slug: str):
    """The notes of the discussion (kept in the minutes), during deliberation."""
    event = _event(slug)
    refused = form_refusals()
    with refused:
        delib.save_notes(event, request.form.get("notes", ""), current_user)
        db.session.commit()
        flash(_("Notes saved."), "success")
        return see_other(url_for("judging.deliberation", slug=slug, _anchor="notes"))
    return _render_deliberation(event, refused.errors, refused.status)


@bp.post("/judging/<slug>/method")
@event_permission(Permission.MANAGE)
def method(slug: str):
    """Rank by the raw or the normalised score, with the reason (kept in the minutes)."""
    event = _event(slug)
    form = request.form
    refused = form_refusals()
    with refused:
        delib.choose_method(
            event, form.get("method", ""), form.get("method_reason", ""), current_user
        )
        db.session.commit()
        flash(_("Ranking method saved."), "success")
        return see_other(url_for("judging.deliberation", slug=slug))
    return _render_deliberation(event, refused.errors, refused.status)


def _render_validate(event: Event, status: int = 200, error: JudgingError | None = None):
    president = jury_president(event)
    return render_template(
        "judging/confirm_validate.html",
        event=event,
        president=president,
        on_behalf=president is not None and president.user_id != current_user.id,
        locks=steps.VALIDATION_LOCKS,
        winners=len(delib.winner_choices(event)),
        error=error,
    ), status


@bp.get("/judging/<slug>/validate")
@jury_required
def validate_confirm(slug: str):
    """What validating the minutes locks, and who validates (the president, or an organiser
    typing the president's name)."""
    event = _event(slug)
    if not _may_see_ranking(event) or not delib.can_validate(event, current_user):
        abort(403)
    return _render_validate(event)


@bp.post("/judging/<slug>/validate")
@jury_required
def validate(slug: str):
    event = _event(slug)
    if not _may_see_ranking(event):
        abort(403)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that you have read what this step does."), "danger")
        return _render_validate(event, status=422)
    refused = form_refusals()
    with refused:
        delib.validate_minutes(
            event, current_user, president_name=request.form.get("president_name")
        )
        db.session.commit()
        flash(_("Minutes validated: the results are locked and can be published."), "success")
        return see_other(url_for("judging.minutes", slug=slug))
    return _render_validate(event, status=refused.status, error=refused.refusal)


@bp.post("/judging/<slug>/reopen")
@event_permission(Permission.MANAGE)
@on_refusal(".deliberation")
def reopen_deliberation(slug: str):
    """Before publication: void the validation, with a written reason."""
    delib.reopen_deliberation(_event(slug), request.form.get("reason", ""), current_user)
    db.session.commit()
    flash(_("Deliberation reopened: the validation is void and the results can change."), "success")
    return see_other(url_for("judging.deliberation", slug=slug))


@bp.post("/judging/<slug>/amend")
@event_permission(Permission.MANAGE)
@on_refusal(".deliberation")
def start_amendment(slug: str):
    """After publication: open an amendment, with a written reason."""
    delib.start_amendment(_event(slug), request.form.get("reason", ""), current_user)
    db.session.commit()
    flash(
        _("Amendment started: the published results stay in force until it is published."),
        "success",
    )
    return see_other(url_for("judging.deliberation", slug=slug))


def _render_publish_amendment(event: Event, status: int = 200):
    preview = delib.amendment_preview(event)
    if preview is None:
        flash(_("Validate the minutes of the amendment before publishing it."), "danger")
        return see_other(url_for("judging.deliberation", slug=event.slug))
    return render_template("judging/confirm_amendment.html", event=event, **preview), status


@bp.get("/judging/<slug>/publish-amendment")
@event_permission(Permission.MANAGE)
def publish_amendment_confirm(slug: str):
    """What publishing the amendment changes, and how many participants are told."""
    return _render_publish_amendment(_event(slug))


@bp.post("/judging/<slug>/publish-amendment")
@event_permission(Permission.MANAGE)
@on_refusal(".deliberation")
def publish_amendment(slug: str):
    event = _event(slug)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that you have read what this step does."), "danger")
        return _render_publish_amendment(event, status=422)
    sent = delib.publish_amendment(event, current_user)
    db.session.commit()
    flash(_("Amended results published; %(n)d participants informed.", n=sent), "success")
    return see_other(url_for("judging.results", slug=slug))


@bp.get("/judging/<slug>/minutes")
@jury_required
def minutes(slug: str):
    event = _event(slug)
    if not _may_see_ranking(event):
        abort(403)
    return render_template(
        "judging/minutes.html", reasons=services.NOT_RANKED_LABELS, **delib.minutes_data(event)
    )


@bp.get("/judging/<slug>/audit")
@event_permission(Permission.MANAGE)
def audit(slug: str):
    """The event's audit log, narrowed and paged; `?format=csv` streams every matching entry."""
    event = _event(slug)
    filters, typed, errors = audit_log.read_filters(event, request.args)
    if request.args.get("format") == "csv":
        return Response(
            stream_with_context(audit_log.csv_lines(event, filters)),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=audit-{event.slug}.csv"},
        )
    return render_template(
        "judging/audit.html",
        event=event,
        page=audit_log.log_page(event, filters, page_number(request.args.get("page"))),
        typed=typed,
        filter_args={key: value for key, value in typed.items() if value},
        errors=errors,
        filtered=filters.any,
        authors=audit_log.authors(event),
        actions=described_actions(),
    ), 422 if errors else 200


# --- Paper fallback -------------------------------------------------------------------------------


@bp.get("/judging/<slug>/score-sheet.xlsx")
@event_permission(Permission.MANAGE)
def score_sheet(slug: str):
    event = _event(slug)
    language = template_language()
    path = Path(current_app.config["EXPORTS_DIR"]) / f"score-sheet-{event.slug}-{language}.xlsx"
    paper.write_score_sheet(event, path, language)
    return send_file(path, as_attachment=True, download_name=path.name)


def _after_import_refusal(slug: str, refusal):
    """A refused paper sheet: the reason, then each problem of the file on its own line."""
    flash(str(refusal.message), "danger")
    for problem in getattr(refusal, "problems", ()):
        flash(str(problem), "danger")
    return see_other(url_for(".progress", slug=slug))


@bp.post("/judging/<slug>/import-scores")
@event_permission(Permission.MANAGE)
@on_refusal(_after_import_refusal)
def import_scores(slug: str):
    event = _event(slug)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise JudgingError(_l("Choose the filled score sheet (.xlsx)."))
    done = paper.import_score_sheet(event, upload.stream, current_user, source="upload")
    db.session.commit()
    flash(paper.import_summary(done), "success")
    return see_other(url_for("judging.progress", slug=slug))


# --- National final -------------------------------------------------------------------------------


@bp.get("/judging/<slug>/finalists")
@event_permission(Permission.MANAGE)
def final_entrants(slug: str):
    event = _event(slug)
    if not event.is_final:
        abort(404)
    return render_template(
        "judging/finalists.html",
        event=event,
        ideas=delib.final_entrants(event),
        sector_labels=_sector_labels(),
    )


@bp.post("/judging/<slug>/finalists")
@event_permission(Permission.MANAGE)
@on_refusal(".final_entrants")
def carry_winners(slug: str):
    """Carry each published stop's winners into the national final (not resubmitted)."""
    created = delib.carry_winners_to_final(_event(slug), current_user)
    db.session.commit()
    flash(_("%(n)d winners carried into the final.", n=len(created)), "success")
    return see_other(url_for("judging.final_entrants", slug=slug))


# --- Public results and API -----------------------------------------------------------------------


def _version_asked() -> int | None:
    text = request.args.get("version", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10_000:
        abort(404)
    return int(text)


@bp.get("/e/<slug>/results")
def results(slug: str):
    event = _event(slug)
    number = _version_asked()
    organiser = can(current_user, Permission.PERSONAL_DATA, event)  # certificates bear names
    in_force = official.results_in_force(event)
    shown = official.results_version(event, number) if number else in_force
    if shown is None:
        status = 404
        return render_template("judging/results.html", event=event, results=None), status
    return render_template(
        "judging/results.html",
        event=event,
        results=shown,
        in_force=in_force,
        versions=official.published_versions(event),
        certificates=outcome.event_certificates(event) if organiser else None,
        certificate_urls=outcome.certificate_urls,
        prize_outcomes=prizes.prize_outcomes(event, shown),
    )


@bp.get("/certificate/<code>")
def certificate(code: str):
    """Anyone holding a certificate can check that it was issued: event, idea, kind, date."""
    found = outcome.find_certificate(code)
    page = render_template(
        "judging/certificate_check.html",
        certificate=found,
        in_force=found is not None and outcome.certificate_in_force(found),
        code=code[:40],
    )
    return page, 200 if found else 404


@bp.get("/certificate/<code>/<lang>.pdf")
def certificate_pdf(code: str, lang: str):
    """The certificate as a PDF: its code is given only to whoever proved the receipt code and
    phone (or received the results e-mail), and to organisers. The code is 16 characters drawn
    from 25 (about 2^74 codes): guessing one is hopeless, so nothing is counted here. A
    certificate that amended results no longer bear is not printed again."""
    found = outcome.find_certificate(code)
    if found is None or lang not in outcome.CERTIFICATE_LANGUAGES:
        abort(404)
    if not outcome.certificate_in_force(found):
        abort(404)
    name = f"certificate-{found.code}-{lang}.pdf"
    return Response(
        certificates.certificate_pdf(found, lang),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _row_json(row: official.ResultRow, reasons, *, every_code: bool) -> dict:
    """One idea of the ranking; the public sees the receipt codes of winners only (a code is
    half of what opens /receipt, and a participant's business)."""
    return {
        "receipt_code": row.receipt_code if every_code or row.is_winner else None,
        "title": row.title,
        "rank": row.rank,
        "is_winner": row.is_winner,
        "chosen_outside_top": row.override_reason is not None,
        "override_reason": row.override_reason,
        "score_100": row.score_100,
        "mean_z": row.mean_z,
        "raw": row.raw,
        "judges": row.judges,
        "rank_raw": row.rank_raw,
        "rank_normalised": row.rank_normalised,
        "ranked": row.ranked,
        "not_ranked_reason": row.not_ranked_reason,
        "not_ranked_label": (
            str(reasons[row.not_ranked_reason]) if row.not_ranked_reason else None
        ),
    }


API_PAGE_SIZE = 200  # ideas a page of the ranking API: about 70 KB


@bp.get("/api/events/<slug>/ranking")
def api_ranking(slug: str):
    """The version in force (or ?version=N); organisers also see the provisional ranking
    before publication. Ideas come in rank order, `API_PAGE_SIZE` a page (`?page=`; `page`,
    `pages`, `total` and the `next` page's address say where the list goes on)."""
    event = _event(slug)
    number = _version_asked()
    shown = official.results_version(event, number) if number else official.results_in_force(event)
    organiser = can(current_user, Permission.PERSONAL_DATA, event)  # every receipt code
    if shown is None and not number and can(current_user, Permission.VIEW, event):
        shown = official.provisional_results(event)
    if shown is None:
        if number:
            return jsonify(error=_("This version of the results does not exist.")), 404
        return jsonify(error=_("The ranking is not public before the results are published.")), 403
    in_force = official.results_in_force(event)
    page = of_list(list(shown.rows), page_number(request.args.get("page")), API_PAGE_SIZE)
    return jsonify(
        event=event.slug,
        method=shown.method,
        published=not shown.provisional,
        provisional=shown.provisional,
        version=shown.number,
        in_force=bool(in_force and in_force.number == shown.number),
        published_at=shown.published_at.isoformat() if shown.published_at else None,
        amendment_reason=shown.reason,
        figures={name: {"label": str(label), "meaning": official.FIGURE_NOTES[name]}
                 for name, label in official.FIGURE_LABELS.items()},
        page=page.page, pages=page.pages, total=page.total,
        next=url_for(".api_ranking", slug=slug, version=number, page=page.page + 1)
        if page.has_next else None,
        ideas=[_row_json(row, services.NOT_RANKED_LABELS, every_code=organiser)
               for row in page.items],
    )  # fmt: skip


# --- The winners' gallery (public) --------------------------------------------------------------

GALLERY_MAX_AGE = 300  # seconds a browser or a proxy may keep the public gallery


def _gallery_page(stops, event=None):
    lang = current_language()
    response = make_response(
        render_template(
            "judging/gallery.html",
            stops=stops,
            event=event,
            sector_label=lambda code: SECTOR_LABELS.get(code, code),
            region_name=lambda code: place_name(code, lang) if code else "",
        )
    )
    if not shows_personal_data():  # an anonymous visitor: the same page for everyone
        response.cache_control.public = True
        response.cache_control.max_age = GALLERY_MAX_AGE
        response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/winners")
def gallery():
    """The winners of every stop whose results are public, with no personal data."""
    return _gallery_page(winners_gallery.gallery(winners_gallery.public_events()))


@bp.get("/e/<slug>/winners")
def event_gallery(slug: str):
    """One stop's winners (404 before its results are public)."""
    events = winners_gallery.public_events(slug)
    stops = winners_gallery.gallery(events)
    if not stops:
        abort(404)
    return _gallery_page(stops, event=stops[0].event)
