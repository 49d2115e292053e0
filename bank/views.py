import io
from datetime import date
from functools import wraps

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import organiser_required, staff_required
from bank import accompaniment, documents, financing, needs_map, openapi, services
from bank import plan as financial_plan
from bank.labels import (
    DECISION_LABELS,
    FINANCING_SUGGESTIONS,
    LEGAL_FORM_LABELS,
    MILESTONE_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAMME_KIND_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
)
from bank.models import (
    BankProject,
    FinancingApplication,
    FinancingProgramme,
    Milestone,
    MilestoneDocument,
    Partner,
)
from bank.workbook import LANGS, write_bank_workbook
from competitions.models import Event
from competitions.services import get_event
from exports import personal
from extensions import db
from fieldtypes import PLACE_FIELDS
from i18n import current_language, event_city
from places import census as places_census
from places import reference as places_reference
from refusals import form_refusals, on_refusal, see_other
from submissions import services as submission_services
from submissions.attachments import download_name
from submissions.models import SECTORS, Idea

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
        "LEGAL_FORM_LABELS": LEGAL_FORM_LABELS,
        "MILESTONE_LABELS": MILESTONE_LABELS,
        "TARGET_GROUP_LABELS": TARGET_GROUP_LABELS,
        "PROGRAMME_KIND_LABELS": PROGRAMME_KIND_LABELS,
        "PARTNER_KIND_LABELS": PARTNER_KIND_LABELS,
        "DECISION_LABELS": DECISION_LABELS,
        "REGION_OPTIONS": [
            (region.code, region.name(current_language())) for region in places_reference.regions()
        ],
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
            choices=services.filter_choices(filters.region),
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
        "bank/detail.html",
        **_context(
            project=services.public_record(project),
            organiser=False,
            matches=financing.matches_for(project, today=date.today(), lang=current_language()),
        ),
    )


@bp.get("/bank/map")
def map_page():
    """The territorial map of needs and potential: the 12 regions, one layer at a time."""
    view = needs_map.regions_map(request.args.get("layer"))
    return render_template("bank/map.html", **_context(view=view, layers=needs_map.LAYERS))


@bp.get("/bank/map/<region_code>")
def region_page(region_code: str):
    """One region: its provinces on the map, its needs, sectors and projects."""
    view = needs_map.provinces_map(region_code, request.args.get("layer"))
    if view is None:
        abort(404)
    country = needs_map.regions_map(view.layer.key)
    region = next(area for area in country.areas if area.code == region_code)
    return render_template(
        "bank/region.html",
        **_context(
            view=view,
            region=region,
            layers=needs_map.LAYERS,
            needs=places_census.needs(region_code),
            census_source=places_census.SOURCE,
            sectors=needs_map.sector_rows(region.figures),
            projects=needs_map.region_projects(region_code),
            programmes=financing.open_in_region(region_code, today=date.today()),
            partners=financing.partners_in_region(region_code),
        ),
    )


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


@bp.get("/api/openapi.json")
def openapi_document():
    """The OpenAPI description of the public feed."""
    return jsonify(openapi.document(request.host_url))


@bp.get("/api/bank/projects/<int:project_id>")
def api_project(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    return jsonify(services.public_record(project))


# --- Organisers --------------------------------------------------------------------------------


@bp.get("/tour/bank")
@organiser_required
def manage():
    return _browse("bank/manage.html", organiser=True)


def _project_page(project_id: int, refusal=None, **typed):
    """An organiser's page of a project: its record, its financing matches and applications,
    with the messages of a refused application or decision beside their fields."""
    project = db.get_or_404(BankProject, project_id)
    return render_template(
        "bank/detail.html",
        **_context(
            project=services.public_record(project),
            full=project,
            organiser=True,
            matches=financing.matches_for(project, today=date.today(), lang=current_language()),
            programmes=financing.programmes(),
            errors={k: str(v) for k, v in (refusal.errors if refusal else {}).items()},
            refused_id=typed.get("application_id"),
            typed=request.form if refusal else {},
            limits=financing.MAX_LENGTHS,
            today=date.today(),
            advisers=accompaniment.advisers(),
            refused_milestone=typed.get("milestone_id"),
        ),
    )


@bp.get("/tour/bank/<int:project_id>")
@organiser_required
def project(project_id: int):
    return _project_page(project_id)


@bp.post("/tour/bank/<int:project_id>/applications")
@organiser_required
@on_refusal(_project_page)
def file_application(project_id: int):
    """Record that the project applied to a programme."""
    project = db.get_or_404(BankProject, project_id)
    financing.file_application(project, request.form, current_user, today=date.today())
    db.session.commit()
    flash(_("Application recorded."), "success")
    return see_other(url_for("bank.project", project_id=project.id) + "#applications")


def _record_page(refusal=None, application_id: int | None = None, milestone_id: int | None = None):
    """The project page of a refused application or milestone (the view's URL names one), the
    messages beside that record's form."""
    model, record_id = (
        (FinancingApplication, application_id)
        if application_id is not None
        else (Milestone, milestone_id)
    )
    record_ = db.get_or_404(model, record_id)
    return _project_page(
        record_.project_id, refusal, application_id=application_id, milestone_id=milestone_id
    )


@bp.post("/tour/bank/applications/<int:application_id>")
@organiser_required
@on_refusal(_record_page)
def decide_application(application_id: int):
    """Record a programme's decision on an application."""
    application = db.get_or_404(FinancingApplication, application_id)
    changes = financing.decide_application(
        application, request.form, current_user, today=date.today()
    )
    db.session.commit()
    flash(_("Decision recorded.") if changes else _("Nothing was changed."), "success")
    return see_other(url_for("bank.project", project_id=application.project_id) + "#applications")


@bp.route("/tour/bank/<int:project_id>/plan", methods=["GET", "POST"])
@organiser_required
def plan(project_id: int):
    """The project's financial plan: investment lines (a sector template pre-fills an empty
    plan) and up to five years of revenue, running costs and jobs."""
    project = db.get_or_404(BankProject, project_id)
    refused = form_refusals()
    if request.method == "POST":
        with refused:
            changed = services.update_plan(project, request.form, current_user)
            db.session.commit()
            flash(_("Financial plan saved.") if changed else _("Nothing was changed."), "success")
            return see_other(url_for("bank.project", project_id=project.id) + "#plan")
        lines = [
            {"label": label, "amount_mad": amount}
            for label, amount in zip(
                request.form.getlist("investment_label"),
                request.form.getlist("investment_amount"),
                strict=False,
            )
        ]
        years = [
            {"revenue_mad": r, "costs_mad": c, "jobs": j}
            for r, c, j in zip(
                request.form.getlist("revenue"),
                request.form.getlist("costs"),
                request.form.getlist("jobs"),
                strict=False,
            )
        ]
    else:
        stored = project.financial_plan or {}
        lines = list(stored.get("investment") or financial_plan.template_lines(project.sector))
        years = list(stored.get("years") or [])
    lines += [{"label": "", "amount_mad": None}] * max(0, 6 - len(lines))
    years += [{"revenue_mad": None, "costs_mad": None, "jobs": None}] * (
        financial_plan.YEARS - len(years)
    )
    return render_template(
        "bank/plan.html",
        **_context(
            project=project,
            lines=lines[: financial_plan.MAX_LINES],
            years=years[: financial_plan.YEARS],
            figures=financial_plan.figures(project.financial_plan),
            errors=refused.errors,
        ),
    ), refused.status


# --- Accompaniment -----------------------------------------------------------------------------


@bp.post("/tour/bank/<int:project_id>/adviser")
@organiser_required
@on_refusal(_project_page)
def set_adviser(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    accompaniment.assign_adviser(project, request.form.get("adviser_id"), current_user)
    db.session.commit()
    flash(_("Adviser saved."), "success")
    return see_other(url_for("bank.project", project_id=project.id) + "#path")


@bp.post("/tour/bank/<int:project_id>/path")
@organiser_required
@on_refusal(".project")
def plan_path(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    added = accompaniment.plan_path(project, current_user, start=date.today())
    db.session.commit()
    flash(_("%(n)d milestone(s) planned.", n=len(added)), "success")
    return see_other(url_for("bank.project", project_id=project.id) + "#path")


# --- A milestone's documents: organisers and the project's adviser --------------------------


def adviser_required(view):
    """Organisers and the accounts that advise a project (each milestone checks its own)."""

    @wraps(view)
    @staff_required
    def wrapped(*args, **kwargs):
        if not documents.advises_or_organises(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _milestone_for_handler(milestone_id: int) -> Milestone:
    """The milestone, if the account may keep and read its documents (else 403)."""
    milestone = db.get_or_404(Milestone, milestone_id)
    if not documents.may_handle(current_user, milestone):
        abort(403)
    return milestone


def _documents_page(milestone_id: int, refusal=None):
    milestone = _milestone_for_handler(milestone_id)
    return render_template(
        "bank/documents.html",
        **_context(
            milestone=milestone,
            project=milestone.project,
            organiser=documents.can_manage_tour(current_user),
            error=str(refusal) if refusal else None,
            max_mb=round(documents.max_bytes() / 1024 / 1024, 1),
            accept=documents.ACCEPT_ATTRIBUTE,
        ),
    )


@bp.get("/tour/bank/milestones/<int:milestone_id>/documents")
@adviser_required
def milestone_documents(milestone_id: int):
    """A milestone's documents: the list, and the form to send another."""
    return _documents_page(milestone_id)


@bp.post("/tour/bank/milestones/<int:milestone_id>/documents")
@adviser_required
@on_refusal(_documents_page)
def add_document(milestone_id: int):
    milestone = _milestone_for_handler(milestone_id)
    sent = request.files.get("document")
    documents.add_document(
        milestone, sent.stream if sent else None, sent.filename if sent else None, current_user
    )
    db.session.commit()
    flash(_("Document saved."), "success")
    return see_other(url_for("bank.milestone_documents", milestone_id=milestone.id))


@bp.get("/tour/bank/documents/<int:document_id>/download")
@adviser_required
def download_document(document_id: int):
    """A document, as an attachment under its type's own extension (audited by core.privacy)."""
    document = db.get_or_404(MilestoneDocument, document_id)
    _milestone_for_handler(document.milestone_id)
    try:
        stored = documents.open_document(document)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        stored,
        mimetype=document.mime,
        as_attachment=True,
        download_name=download_name(document.name, documents.extension_of(document)),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/tour/bank/documents/<int:document_id>/delete")
@adviser_required
def delete_document(document_id: int):
    document = db.get_or_404(MilestoneDocument, document_id)
    milestone = _milestone_for_handler(document.milestone_id)
    leftover = documents.delete_document(document, current_user)
    db.session.commit()
    documents.remove_file(leftover)
    flash(_("Document deleted."), "success")
    return see_other(url_for("bank.milestone_documents", milestone_id=milestone.id))


# --- The adviser's projects: their path, kept by their adviser (and organisers) --------------


@bp.app_context_processor
def _advising():
    """The menu asks `advises_projects()`: does the signed-in account advise a project (one
    query, only for the accounts that ask: not organisers, who reach every project)?"""

    def advises_projects() -> bool:
        if "advises_projects" not in g:
            g.advises_projects = documents.advises_or_organises(current_user)
        return g.advises_projects

    return {"advises_projects": advises_projects}


@bp.get("/tour/bank/advising")
@adviser_required
def advising():
    """My projects: those the signed-in account advises, what is next on each path, the late
    ones first in their colour."""
    today = date.today()
    return render_template(
        "bank/advising.html",
        **_context(rows=accompaniment.advised_by(current_user, today), today=today),
    )


def _advised_page(project_id: int, refusal=None, milestone_id: int | None = None):
    """A project's path, as its adviser keeps it: the milestones' dates and notes, and the way
    to their documents (nothing else of the bank's record)."""
    project = db.get_or_404(BankProject, project_id)
    if not documents.may_follow(current_user, project):
        abort(403)
    return render_template(
        "bank/advised.html",
        **_context(
            full=project,
            errors={k: str(v) for k, v in (refusal.errors if refusal else {}).items()},
            typed=request.form if refusal else {},
            limits=financing.MAX_LENGTHS,
            today=date.today(),
            refused_milestone=milestone_id,
        ),
    )


@bp.get("/tour/bank/advising/<int:project_id>")
@adviser_required
def advised_project(project_id: int):
    return _advised_page(project_id)


def _milestone_page(refusal=None, milestone_id: int | None = None):
    """Where a refused milestone shows its messages: the organisers' project page, or the
    adviser's page of the project."""
    milestone = _milestone_for_handler(milestone_id)
    if documents.can_manage_tour(current_user):
        return _record_page(refusal, milestone_id=milestone_id)
    return _advised_page(milestone.project_id, refusal, milestone_id=milestone_id)


@bp.post("/tour/bank/milestones/<int:milestone_id>")
@adviser_required
@on_refusal(_milestone_page)
def update_milestone(milestone_id: int):
    """Organisers and the project's adviser move a milestone's date, mark it done, note it."""
    milestone = _milestone_for_handler(milestone_id)
    changes = accompaniment.update_milestone(
        milestone, request.form, current_user, today=date.today()
    )
    db.session.commit()
    flash(_("Milestone saved.") if changes else _("Nothing was changed."), "success")
    if documents.can_manage_tour(current_user):
        return see_other(url_for("bank.project", project_id=milestone.project_id) + "#path")
    return see_other(
        url_for("bank.advised_project", project_id=milestone.project_id)
        + f"#milestone-{milestone.id}"
    )


@bp.get("/tour/bank/accompaniment")
@organiser_required
def accompaniment_page():
    """Where every project of the tour stands on its path, by region and stop."""
    standing = accompaniment.standing(date.today())
    lang = current_language()
    region_rows = [
        (places_reference.place_name(code, lang) if code else _("Region to correct"), counts)
        for code, counts in sorted(standing.by_region.items(), key=lambda item: item[0] or "99")
    ]
    stop_rows = [(city or "—", counts) for city, counts in sorted(standing.by_stop.items())]
    return render_template(
        "bank/accompaniment.html",
        **_context(
            standing=standing, region_rows=region_rows, stop_rows=stop_rows, today=date.today()
        ),
    )


# --- The financing catalogue ------------------------------------------------------------------


@bp.get("/bank/programmes")
def programmes_page():
    """The public catalogue of financing programmes and partners."""
    return render_template(
        "bank/programmes.html",
        **_context(
            programmes=financing.programmes(),
            partners=financing.partners(),
            today=date.today(),
            organiser=False,
        ),
    )


@bp.get("/bank/programmes/<int:programme_id>")
def programme_page(programme_id: int):
    """A programme: its rules, its contacts and the bank's projects eligible for it."""
    programme = db.get_or_404(FinancingProgramme, programme_id)
    return render_template(
        "bank/programme.html",
        **_context(
            programme=programme,
            today=date.today(),
            eligible=financing.eligible_projects(
                programme, today=date.today(), lang=current_language()
            ),
        ),
    )


@bp.get("/tour/bank/financing")
@organiser_required
def financing_page():
    """Organisers: the catalogue to edit, and financing asked and granted."""
    programmes = financing.programmes()
    totals = financing.financing_totals()
    lang = current_language()
    rows = {
        "programme": [
            (p.name, totals.by_programme[p.id]) for p in programmes if p.id in totals.by_programme
        ],
        "region": [
            (places_reference.place_name(code, lang) if code else _("Region to correct"), total)
            for code, total in sorted(totals.by_region.items(), key=lambda item: item[0] or "99")
        ],
        "sector": [
            (SECTOR_LABELS.get(code, code), total) for code, total in totals.by_sector.items()
        ],
    }
    return render_template(
        "bank/financing.html",
        **_context(
            programmes=programmes,
            partners=financing.partners(),
            totals=totals,
            rows=rows,
            organiser=True,
            today=date.today(),
        ),
    )


def _catalogue_form(kind: str, record_id: int | None):
    model = FinancingProgramme if kind == "programme" else Partner
    record_ = db.get_or_404(model, record_id) if record_id is not None else None
    refused = form_refusals()
    if request.method == "POST":
        data = {name: request.form.get(name, "") for name in request.form}
        for name in financing.LIST_FIELDS:
            data[name] = request.form.getlist(name)
        with refused:
            save = financing.save_programme if kind == "programme" else financing.save_partner
            saved = save(record_, data, current_user)
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("bank.financing_page") + f"#{kind}-{saved.id}")
        values = data
    elif record_ is not None:
        values = {c.key: getattr(record_, c.key) for c in model.__table__.columns}
    else:
        values = {"is_open": True}
    return render_template(
        f"bank/{kind}_form.html",
        **_context(
            record=record_,
            values=values,
            errors=refused.errors,
            limits=financing.MAX_LENGTHS,
        ),
    ), refused.status


@bp.route("/tour/bank/programmes/new", methods=["GET", "POST"])
@organiser_required
def programme_new():
    return _catalogue_form("programme", None)


@bp.route("/tour/bank/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@organiser_required
def programme_edit(programme_id: int):
    return _catalogue_form("programme", programme_id)


@bp.route("/tour/bank/partners/new", methods=["GET", "POST"])
@organiser_required
def partner_new():
    return _catalogue_form("partner", None)


@bp.route("/tour/bank/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@organiser_required
def partner_edit(partner_id: int):
    return _catalogue_form("partner", partner_id)


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


# ---------------------------------------------------------------------------------------------
# Places to correct: records whose typed place no HCP place matched (migration h1_place_codes)


def _places_page(errors: dict | None = None, typed: dict | None = None, status: int = 200):
    """Each idea and project to place, with its form; `errors` and `typed` are keyed by
    ("idea" | "project", id) for the one that came back refused."""
    return render_template(
        "bank/places.html",
        **_context(
            ideas=submission_services.ideas_to_place(),
            projects=services.projects_to_place(),
            errors=errors or {},
            typed=typed or {},
        ),
    ), status


@bp.get("/tour/bank/places")
@organiser_required
def places_page():
    return _places_page()


def _place_data() -> dict:
    return {name: request.form.get(name, "") for name in PLACE_FIELDS}


@bp.post("/tour/bank/places/ideas/<int:idea_id>")
@organiser_required
def place_idea(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    data = _place_data()
    refused = form_refusals()
    with refused:
        submission_services.choose_idea_place(idea, data, current_user)
        db.session.commit()
        flash(_("Place saved for the idea %(code)s.", code=idea.receipt_code), "success")
        return see_other(url_for("bank.places_page"))
    key = ("idea", idea_id)
    return _places_page({key: refused.errors}, {key: data}, refused.status)


@bp.post("/tour/bank/places/projects/<int:project_id>")
@organiser_required
def place_project(project_id: int):
    project = db.get_or_404(BankProject, project_id)
    data = _place_data()
    refused = form_refusals()
    with refused:
        services.update_project(project, data, current_user)
        db.session.commit()
        flash(_("Place saved for the project %(title)s.", title=project.title), "success")
        return see_other(url_for("bank.places_page"))
    key = ("project", project_id)
    return _places_page({key: refused.errors}, {key: data}, refused.status)
