"""Pages of registration: the public form and ticket, the organisers' page, check-in at the
door (camera or typed code)."""

import segno
from flask import Blueprint, abort, current_app, flash, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from accounts.decorators import event_permission
from accounts.states import Permission
from competitions.models import Event
from competitions.services import get_event
from core.privacy import personal_data
from extensions import db, limiter
from i18n import current_language
from jobs.outbox import external_url
from paging import page_number, paginate
from refusals import form_refusals, on_refusal, see_other, wants_json
from registration import services
from registration.fields import AGE_LABELS, GENDER_LABELS, LABELS, STATE_LABELS, STATUS_LABELS
from registration.models import Registrant

bp = Blueprint("registration", __name__)

BREAKDOWN_LABELS = {"gender": GENDER_LABELS, "age_bracket": AGE_LABELS, "status": STATUS_LABELS}


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def ticket_url(registrant: Registrant) -> str:
    """The ticket's absolute address: what its QR code holds (scanned at the door)."""
    return external_url("registration.ticket", slug=registrant.event.slug, code=registrant.code)


def ticket_qr_svg(registrant: Registrant) -> Markup:
    svg = segno.make(ticket_url(registrant), error="m").svg_inline(
        scale=6, border=2, omitsize=True, title=_("Your ticket")
    )
    return Markup(svg)


@bp.app_template_global("ticket_qr_png")
def ticket_qr_png(registrant: Registrant) -> str:
    """A data: URL of the ticket's QR code, for the e-mail (no image to fetch)."""
    return segno.make(ticket_url(registrant), error="m").png_data_uri(scale=6, border=2)


def event_links(event: Event) -> list[tuple[str, str]]:
    """The organiser's event page links to registration and check-in."""
    return [
        (_("Registration"), url_for("registration.manage", slug=event.slug)),
        (_("Check-in at the door"), url_for("registration.check_in", slug=event.slug)),
    ]


def rate_limited(view):
    """The public form's POST, limited per address and per event (REGISTER_LIMITS_PER_*)."""
    per_address = limiter.shared_limit(
        lambda: current_app.config["REGISTER_LIMITS_PER_ADDRESS"],
        "register-address",
        methods=["POST"],
    )
    per_event = limiter.shared_limit(
        lambda: current_app.config["REGISTER_LIMITS_PER_EVENT"],
        "register-event",
        key_func=lambda: (request.view_args or {}).get("slug", ""),
        methods=["POST"],
    )
    return per_address(per_event(view))


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@personal_data
@rate_limited
def register(slug: str):
    """The public registration form: no account, from any phone, in the visitor's language."""
    event = _event(slug)
    if not services.accepts_registrations(event):
        return render_template("registration/closed.html", event=event), 409
    refused = form_refusals()
    if request.method == "POST":
        with refused:
            registrant = services.register(event, request.form, locale=current_language())
            db.session.commit()
            return see_other(url_for(".ticket", slug=slug, code=registrant.code))
    return render_template(
        "registration/register.html",
        event=event,
        values=request.form,
        errors=refused.errors,
        attendance=services.attendance(event),
        LABELS=LABELS,
        GENDER_LABELS=GENDER_LABELS,
        AGE_LABELS=AGE_LABELS,
        STATUS_LABELS=STATUS_LABELS,
    ), refused.status


@bp.get("/e/<slug>/ticket/<code>")
@personal_data
def ticket(slug: str, code: str):
    """A registrant's ticket: their place (or rank on the waiting list), the QR code shown at
    the door, the idea form pre-filled, cancelling."""
    event = _event(slug)
    try:
        registrant = services.find_registrant(event, code)
    except services.UnknownCode:
        abort(404)
    return render_template(
        "registration/ticket.html",
        event=event,
        registrant=registrant,
        qr=ticket_qr_svg(registrant),
        position=services.waiting_position(registrant),
        state_labels=STATE_LABELS,
        idea_url=url_for("submissions.submit", slug=event.slug, registration=registrant.code),
    )


@bp.post("/e/<slug>/ticket/<code>/cancel")
@personal_data
@on_refusal(".ticket")
def cancel(slug: str, code: str):
    event = _event(slug)
    registrant = services.find_registrant(event, code)
    services.cancel(registrant)
    db.session.commit()
    flash(_("Your registration is cancelled. Thank you for freeing the place."), "success")
    return see_other(url_for(".ticket", slug=slug, code=registrant.code))


@bp.get("/e/<slug>/registration")
@event_permission(Permission.VIEW)
def manage(slug: str):
    """The organisers' page: the form's settings, expected vs present, the registrants."""
    event = _event(slug)
    query = (
        select(Registrant)
        .where(Registrant.event_id == event.id)
        .order_by(Registrant.created_at, Registrant.id)
    )
    return render_template(
        "registration/manage.html",
        event=event,
        setting=services.setting_of(event),
        attendance=services.attendance(event),
        breakdown_labels=BREAKDOWN_LABELS,
        state_labels=STATE_LABELS,
        page=paginate(db.session, query, page_number(request.args.get("page"))),
        register_url=external_url("registration.register", slug=event.slug),
    )


@bp.post("/e/<slug>/registration/settings")
@event_permission(Permission.MANAGE)
@on_refusal(".manage")
def configure(slug: str):
    event = _event(slug)
    services.configure(event, request.form, by=current_user)
    db.session.commit()
    flash(_("Changes saved."), "success")
    return see_other(url_for(".manage", slug=slug))


@bp.post("/e/<slug>/registration/<int:registrant_id>/cancel")
@event_permission(Permission.MANAGE)
@on_refusal(".manage")
def cancel_registrant(slug: str, registrant_id: int):
    event = _event(slug)
    registrant = db.session.get(Registrant, registrant_id)
    if registrant is None or registrant.event_id != event.id:
        abort(404)
    services.cancel(registrant, by=current_user)
    db.session.commit()
    flash(_("The registration is cancelled."), "success")
    return see_other(url_for(".manage", slug=slug))


@bp.route("/e/<slug>/check-in", methods=["GET", "POST"])
@event_permission(Permission.ASSIST)
@on_refusal(".check_in")
def check_in(slug: str):
    """At the door: a tablet's camera reads the ticket's QR code (BarcodeDetector), or the code
    is typed. A JSON post (the camera page) is answered in JSON."""
    event = _event(slug)
    if request.method == "GET":
        return render_template(
            "registration/check_in.html", event=event, attendance=services.attendance(event)
        )
    payload = request.get_json(silent=True) if request.is_json else request.form
    registrant = services.check_in(event, (payload or {}).get("code"), by=current_user)
    db.session.commit()
    message = _("Welcome, %(name)s: checked in.", name=registrant.name)
    if wants_json():
        return jsonify(ok=True, message=message, name=registrant.name)
    flash(message, "success")
    return see_other(url_for(".check_in", slug=slug))
