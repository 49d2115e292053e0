"""The organisers' pages for an event's e-mail templates: the list, and the editor (save,
preview with sample data, test send to oneself, back to the default)."""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import event_permission
from accounts.states import Permission
from competitions.models import Event
from competitions.services import get_event
from emailtemplates import services
from emailtemplates.variables import KINDS
from extensions import db
from fieldtypes import max_lengths
from refusals import form_refusals, see_other

bp = Blueprint("emailtemplates", __name__)
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
ACTIONS = ("save", "preview", "test", "reset")


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def event_links(event: Event) -> list[tuple[str, str]]:
    return [(_("E-mail templates"), url_for("emailtemplates.index", slug=event.slug))]


@bp.get("/e/<slug>/emails")
@event_permission(Permission.MANAGE)
def index(slug: str):
    event = _event(slug)
    return render_template(
        "emailtemplates/index.html",
        event=event,
        kinds=KINDS,
        languages=LANGUAGE_NAMES,
        customised=services.customised(event),
    )


@bp.route("/e/<slug>/emails/<kind>/<lang>", methods=["GET", "POST"])
@event_permission(Permission.MANAGE)
def edit(slug: str, kind: str, lang: str):
    """GET: the event's own text, else today's default. POST `action`: save, preview, test
    (to the organiser's own address, through the outbox) or reset (back to the default)."""
    event = _event(slug)
    if kind not in KINDS or lang not in LANGUAGE_NAMES:
        abort(404)
    saved = services.template_of(event, kind, lang)
    default_subject, default_body = services.default_text(kind, lang)
    values = {
        "subject": saved.subject if saved else default_subject,
        "body": saved.body if saved else default_body,
    }
    refused, message = form_refusals(), None
    action = request.form.get("action") if request.method == "POST" else None
    if request.method == "POST":
        values = {"subject": request.form.get("subject", ""), "body": request.form.get("body", "")}
        with refused:
            if action == "save":
                services.save(event, kind, lang, request.form, by=current_user)
                db.session.commit()
                flash(_("Changes saved."), "success")
                return see_other(url_for(".edit", slug=slug, kind=kind, lang=lang))
            if action == "reset":
                services.reset(event, kind, lang, by=current_user)
                db.session.commit()
                flash(_("The default text is back."), "success")
                return see_other(url_for(".edit", slug=slug, kind=kind, lang=lang))
            if action == "test":
                services.send_test(event, kind, lang, request.form, by=current_user)
                db.session.commit()
                flash(
                    _("A test message is on its way to %(email)s.", email=current_user.email),
                    "success",
                )
            message = services.preview(event, kind, lang, request.form)
    return render_template(
        "emailtemplates/edit.html",
        event=event,
        kind=kind,
        lang=lang,
        label=KINDS[kind].label,
        variables=KINDS[kind].variables,
        language=LANGUAGE_NAMES[lang],
        values=values,
        errors=refused.errors,
        preview=message,
        is_saved=saved is not None,
        limits=max_lengths(services.TYPES),
    ), (refused.status if refused.refusal else 200)
