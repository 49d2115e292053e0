"""Download the rankings workbook: one event at once, the whole tour as a background job."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import event_permission, organiser_required, permission_required
from accounts.permissions import can
from accounts.states import Permission
from competitions.models import Event
from competitions.services import get_event
from exports import personal
from extensions import db
from i18n import current_language
from jobs.exports import start_export
from refusals import on_refusal, see_other
from reporting import services

bp = Blueprint("reporting", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def event_links(event: Event) -> list[tuple[str, str]]:
    """On the organiser's event page, once scores exist: the event's Excel ranking."""
    if event.judging_started:
        return [(_("Excel ranking"), url_for("reporting.event_workbook", slug=event.slug))]
    return []


def _workbook_language() -> str:
    """The workbook's language: ?language= (or the form's), else the page's language."""
    asked = request.values.get("language")
    return asked if asked in current_app.config["LANGUAGES"] else current_language()


def _send(write, name: str, language: str):
    """A workbook holding personal data: its name says so (`exports.personal`)."""
    buffer = BytesIO()
    write(buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype=XLSX,
        as_attachment=True,
        download_name=personal.file_name(f"{name}-{language}"),
    )


@bp.get("/tour/rankings")
@permission_required(Permission.PERSONAL_DATA)
def index():
    """The exports page: each event's workbook (of a coordinator's region only), and the
    whole tour's."""
    try:
        events = services.tour_events()
    except services.ReportError:
        events = []
    events = [event for event in events if can(current_user, Permission.PERSONAL_DATA, event)]
    return render_template("reporting/index.html", events=events, language=current_language())


@bp.get("/tour/events/<slug>/rankings.xlsx")
@event_permission(Permission.PERSONAL_DATA)
def event_workbook(slug: str):
    """One event's workbook, built at once (a few hundred ideas at most)."""
    event = get_event(slug) or abort(404)
    language = _workbook_language()
    return _send(
        lambda out: services.write_event_workbook(out, event, language, include_personal=True),
        f"classement-{event.slug}",
        language,
    )


@bp.post("/tour/rankings.xlsx")
@organiser_required
@on_refusal(".index")
def tour_workbook():
    """The whole tour: a background job when the jobs package offers one, else at once."""
    language = _workbook_language()
    events = services.tour_events(request.form.get("competition") or None)
    params = {"all": True, "competition": events[0].competition.slug, "personal": True}
    export = start_export("rankings", params, current_user, language)
    db.session.commit()
    # No banner here: the export's page says its real state (it may be done already).
    return see_other(url_for("jobs.export_status", export_id=export.id))
