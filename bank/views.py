import io
from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import organiser_required
from bank import services
from bank.labels import (
    FINANCING_SUGGESTIONS,
    SECTOR_LABELS,
    STATUS_LABELS,
    region_label,
    sector_label,
)
from bank.models import BankProject
from bank.needs_map import needs_map
from bank.workbook import LANGS, write_bank_workbook
from competitions.models import Event
from competitions.services import get_event
from exports import personal
from extensions import db
from i18n import current_language, event_city
from refusals import form_refusals, on_refusal, see_other
from submissions.models import SECTORS

bp = Blueprint("bank", __name__)


def event_links(event: Event) -> list[tuple[str, str]]:
    """On a published event's page: the way to promote its winners into the bank."""
    if event.results_public:
        return [(_("Promote the winners into the bank"), url_for("bank.promote_page"))]
    return []


def _context(**extra) -> dict:
    return {
        "SECTORS": SECTORS,
        "SECTOR_LABELS": SECTOR_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "region_name": lambda name: region_label(name, current_language()),
        **extra,
    }


def _browse(template: str, organiser: bool):
    """The list of projects with filters; a bad filter is explained and the list left empty."""
    error = None
    try:
        filters = services.parse_filters(request.args)
        page = services.search_projects(filters)
    except services.BankQueryError as exc:
        error = str(exc)
        filters = services.BankFilters()
        page = services.Page(items=[], total=0, page=1, per_page=filters.per_page)
    body = render_template(
        template,
        **_context(
            filters=filters,
            page=page,
            error=error,
            organiser=organiser,
            choices=services.filter_choices(),
            endpoint=request.endpoint,
        ),
    )
    return body, 400 if error else 200


@bp.get("/bank")
def browse():
    """The public bank: projects without any personal data."""
    return _browse("bank/browse.html", organiser=False)


@bp.get("/bank/<int:project_id>")
def public_detail(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    return render_template(
        "bank/detail.html", **_context(project=services.public_record(project), organiser=False)
    )


@bp.get("/bank/map")
def map_page():
    lang = current_language()
    data = needs_map(sector_label, lambda name: region_label(name, lang))
    return render_template("bank/map.html", **_context(data=data))


@bp.get("/api/bank/projects")
def api_projects():
    """The national portal's feed: paginated, filtered, without personal data."""
    filters = services.parse_filters(request.args)  # a bad filter: 400, in JSON (refusals)
    page = services.search_projects(filters)

    def link(number: int) -> str:
        return url_for("bank.api_projects", _external=True, **filters.as_args(page=number))

    return jsonify(
        {
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
            "next": link(page.page + 1) if page.has_next else None,
            "previous": link(page.page - 1) if page.has_prev else None,
            "items": [services.public_record(project) for project in page.items],
        }
    )


@bp.get("/api/bank/projects/<int:project_id>")
def api_project(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    return jsonify(services.public_record(project))


# --- Organisers --------------------------------------------------------------------------------


@bp.get("/tour/bank")
@organiser_required
def manage():
    return _browse("bank/manage.html", organiser=True)


@bp.get("/tour/bank/<int:project_id>")
@organiser_required
def project(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    return render_template(
        "bank/detail.html",
        **_context(project=services.public_record(project), full=project, organiser=True),
    )


def _form_data(form) -> dict:
    data = {name: form.get(name, "") for name in services.EDITABLE if name != "financing_sources"}
    data["financing_sources"] = list(
        zip(form.getlist("financing_source"), form.getlist("financing_amount"), strict=False)
    )
    return data


@bp.route("/tour/bank/<int:project_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    refused = form_refusals()
    if request.method == "POST":
        data = _form_data(request.form)
        with refused:
            changes = services.update_project(project, data, current_user)
            db.session.commit()
            if changes:
                flash(_("Project saved: %(n)d change(s) recorded.", n=len(changes)), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return see_other(url_for("bank.project", project_id=project.id))
        values = data  # what was typed, shown again beside each message
        values["financing_sources"] = [
            {"source": s, "amount_mad": a} for s, a in data["financing_sources"]
        ]
    else:
        values = {name: getattr(project, name) for name in services.EDITABLE}
        values["financing_sources"] = list(project.financing_sources or [])
    return render_template(
        "bank/edit.html",
        **_context(
            project=project,
            values=values,
            errors=refused.errors,
            limits=services.MAX_LENGTHS,
            suggestions=FINANCING_SUGGESTIONS,
        ),
    ), refused.status


@bp.get("/tour/bank/promote")
@organiser_required
def promote_page():
    return render_template(
        "bank/promote.html",
        **_context(events=services.promotable_events(), counts=services.bank_counts_by_event()),
    )


@bp.post("/tour/bank/promote/<slug>")
@organiser_required
@on_refusal(".promote_page")
def promote(slug: str):
    event = get_event(slug) or abort(404)
    result = services.promote_winners(
        event, current_user, include_bank_worthy=bool(request.form.get("include_bank_worthy"))
    )
    db.session.commit()
    flash(
        _(
            "%(city)s: %(created)d project(s) added to the bank, %(already)d already in the bank "
            "(left unchanged).",
            city=event_city(event),
            created=result["created"],
            already=result["already"],
        ),
        "success",
    )
    return see_other(url_for("bank.promote_page"))


@bp.get("/tour/bank/export.xlsx")
@organiser_required
def export():
    """The bank (with the current filters) as a workbook, contacts included."""
    try:
        filters = services.parse_filters(request.args)
    except services.BankQueryError as error:
        flash(str(error), "danger")
        return redirect(url_for("bank.manage"))
    lang = request.args.get("sheet_lang") or current_language()
    if lang not in LANGS:
        flash(_("Unknown language for the workbook: choose ar, fr or en."), "danger")
        return redirect(url_for("bank.manage"))
    buffer = io.BytesIO()
    write_bank_workbook(buffer, services.all_matching(filters), lang=lang, include_contact=True)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=personal.file_name(f"banque-projets-{date.today().isoformat()}-{lang}"),
    )
