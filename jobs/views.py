from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.decorators import organiser_required
from exports import personal
from extensions import db
from jobs import exports
from jobs.mail import outbox_counts, send_pending
from jobs.models import ExportJob, OutboxEmail
from jobs.outbox import UNDELIVERABLE_NOTE
from jobs.states import ExportState, OutboxState, SendOutcome
from refusals import on_refusal, see_other

bp = Blueprint("jobs", __name__)

OUTBOX_FILTERS = {
    OutboxState.PENDING: OutboxState.DUE,
    OutboxState.SENT: (OutboxState.SENT,),
    OutboxState.FAILED: (OutboxState.FAILED,),
}
OUTBOX_PAGE = 200


@bp.get("/tour/outbox")
@organiser_required
def outbox():
    shown = request.args.get("status")
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(OUTBOX_PAGE)
    if shown in OUTBOX_FILTERS:
        query = query.where(OutboxEmail.status.in_(OUTBOX_FILTERS[shown]))
    else:
        shown = None
    emails = db.session.scalars(query).all()
    return render_template(
        "jobs/outbox.html",
        emails=emails,
        counts=outbox_counts(),
        shown=shown,
        undeliverable_note=UNDELIVERABLE_NOTE,
    )


@bp.post("/tour/outbox/send")
@organiser_required
def outbox_send():
    counts = send_pending(retry_now=True)
    flash(
        _(
            "Sent: %(sent)d. Will be retried: %(retry)d. Failed: %(failed)d.",
            sent=counts[SendOutcome.SENT],
            retry=counts[SendOutcome.RETRY],
            failed=counts[SendOutcome.FAILED],
        ),
        "success" if not (counts[SendOutcome.RETRY] or counts[SendOutcome.FAILED]) else "warning",
    )
    return see_other(url_for("jobs.outbox"))


def _export_or_404(export_id: int) -> ExportJob:
    export = db.session.get(ExportJob, export_id)
    if export is None:
        abort(404)
    return export


def export_message(export: ExportJob, status: str, lost: str | None) -> str:
    if status == ExportState.QUEUED:
        return _("Waiting for a worker… You will get an e-mail when the workbook is ready.")
    if status == ExportState.RUNNING:
        return _("Building the workbook: %(percent)d %%", percent=export.progress)
    if status == ExportState.DONE:
        return _("The workbook is ready.")
    reason = lost or export.error
    if reason == exports.WORKER_LOST:
        return _("The worker stopped during the export. No file was kept.")
    if reason == exports.NOT_STARTED:
        return _("The export could not be started.")
    return _("The export failed.")


def _state(export: ExportJob) -> dict:
    """What the page and its polling show. Whether the job was lost is asked once (it may ask
    Redis): this is polled every few seconds while the export runs."""
    lost = exports.lost_reason(export)
    status = ExportState.FAILED if lost else export.status
    return {
        "id": export.id,
        "status": status,
        "progress": 100 if status == ExportState.DONE else export.progress,
        "message": export_message(export, status, lost),
        "download_url": url_for("jobs.export_download", export_id=export.id)
        if status == ExportState.DONE
        else None,
    }


def _export_page(export: ExportJob, status: int = 200):
    return render_template(
        "jobs/export.html",
        export=export,
        state=_state(export),
        label=exports.kind_label(export.kind),
    ), status


@bp.get("/tour/exports/<int:export_id>")
@organiser_required
def export_status(export_id: int):
    return _export_page(_export_or_404(export_id))


@bp.get("/tour/exports/<int:export_id>.json")
@organiser_required
def export_status_json(export_id: int):
    return jsonify(_state(_export_or_404(export_id)))


@bp.post("/tour/exports/<int:export_id>/retry")
@organiser_required
@on_refusal(export_status)
def export_retry(export_id: int):
    exports.retry_export(_export_or_404(export_id))
    db.session.commit()
    flash(_("The export was started again."), "success")
    return see_other(url_for("jobs.export_status", export_id=export_id))


@bp.get("/tour/exports/<int:export_id>/download")
@organiser_required
def export_download(export_id: int):
    export = _export_or_404(export_id)
    path = exports.file_path(export)
    if export.status != ExportState.DONE or path is None:
        flash(_("This export is not ready."), "warning")
        return _export_page(export, 409)
    if not path.exists():
        flash(
            _("The file of this export is no longer on the server. Start the export again."),
            "danger",
        )
        return _export_page(export, 410)
    stamp = (export.finished_at or export.created_at).strftime("%Y-%m-%d")
    stem = f"ideathon-{export.kind}-{stamp}-{export.id}"
    name = personal.file_name(stem) if exports.holds_personal_data(export) else f"{stem}.xlsx"
    return send_file(path, as_attachment=True, download_name=name)
