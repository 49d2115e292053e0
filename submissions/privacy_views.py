"""Pages about personal data (Law 09-08): the privacy notice, a participant's own data (page and
JSON file) and deletion request, the organisers' decisions. A blueprint nested in the
submissions one (`submissions.privacy.*`)."""

import json

from flask import Blueprint, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import organiser_required
from extensions import db
from i18n import current_language
from refusals import on_refusal, see_other
from submissions import privacy, services
from submissions.fields import (
    AGE_LABELS,
    GENDER_LABELS,
    SECTOR_LABELS,
    SHOWN_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    TEAM_LABELS,
)
from submissions.forms import LookupForm
from submissions.models import DeletionRequest

bp = Blueprint("privacy", __name__)
CHOICE_LABELS = {
    "sector": SECTOR_LABELS,
    "team_kind": TEAM_LABELS,
    "lead_gender": GENDER_LABELS,
    "lead_age_bracket": AGE_LABELS,
    "lead_status": STATUS_LABELS,
}


def _private(response):
    """Pages that show a participant's data are never kept by a browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/privacy")
def notice():
    lang = current_language()
    return render_template(
        "submissions/privacy/notice.html",
        notice=privacy.notice_template(lang),
        version=privacy.PRIVACY_NOTICE_VERSION,
        published=privacy.PRIVACY_NOTICE_DATES[privacy.PRIVACY_NOTICE_VERSION],
    )


def _lookup_page(refusal=None, status: int = 200, **values):
    form = LookupForm(formdata=request.form if request.method == "POST" else None)
    page = render_template(
        "submissions/privacy/my_data.html",
        form=form,
        refusal=str(refusal) if refusal is not None else None,
        reason=request.form.get("reason", ""),
        deletion_labels=privacy.DELETION_LABELS,
        **values,
    )
    return _private(make_response(page, status))


def _checked_idea():
    """The idea of this receipt code and phone (the look-up's check and throttle), or a
    refusal saying nothing about which was wrong."""
    idea = services.lookup_receipt(
        request.form.get("code", ""), request.form.get("phone", ""), address=request.remote_addr
    )
    if idea is None:
        db.session.commit()  # the failed attempt counts towards the throttle
        raise privacy.NoSuchIdea()
    return idea


@bp.route("/privacy/my-data", methods=["GET", "POST"])
@on_refusal(_lookup_page)
def my_data():
    """Receipt code + phone → everything held about the idea: a page, or a JSON file."""
    if request.method == "GET":
        return _lookup_page()
    idea = _checked_idea()
    held = privacy.held_data(idea)
    db.session.commit()
    if request.form.get("format") == "json":
        response = make_response(json.dumps(held, ensure_ascii=False, indent=2), 200)
        response.mimetype = "application/json"
        response.headers["Content-Disposition"] = (
            f'attachment; filename="ideathon-{idea.receipt_code}.json"'
        )
        return _private(response)
    return _lookup_page(
        held=held,
        idea=idea,
        labels=SHOWN_LABELS,
        choices=CHOICE_LABELS,
        sources=SOURCE_LABELS,
        code=request.form.get("code", ""),
        phone=request.form.get("phone", ""),
    )


@bp.post("/privacy/my-data/delete")
@on_refusal(_lookup_page)
def delete_request():
    idea = _checked_idea()
    privacy.request_deletion(idea, request.form.get("reason"))
    db.session.commit()
    flash(
        _(
            "Your request to erase your personal data has been recorded. The organisers will "
            "answer it; you will be told by e-mail if you gave an address."
        ),
        "success",
    )
    return see_other(url_for(".my_data"))


@bp.get("/tour/privacy")
@organiser_required
def requests():
    return render_template(
        "submissions/privacy/requests.html",
        pending=privacy.pending_requests(),
        decided=privacy.decided_requests(),
        deletion_labels=privacy.DELETION_LABELS,
        plan=privacy.retention_plan(),
    )


@bp.post("/tour/privacy/requests/<int:request_id>/<decision>")
@organiser_required
@on_refusal(".requests")
def decide(request_id: int, decision: str):
    deletion = db.session.get(DeletionRequest, request_id)
    if deletion is None or decision not in ("approve", "refuse"):
        abort(404)
    privacy.decide_deletion(
        deletion, decision == "approve", request.form.get("reason"), current_user
    )
    db.session.commit()
    if decision == "approve":
        flash(_("Request approved: the idea's personal data are erased."), "success")
    else:
        flash(_("Request refused; the participant is told why."), "success")
    return see_other(url_for(".requests"))
