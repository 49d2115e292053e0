"""Pages of the audience prize: the public vote page (phones), the live results (JSON, a stage
panel and a stand-alone screen), the organisers' page and the printable sheet of codes."""

import io
import secrets

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from accounts.decorators import event_permission
from accounts.states import Permission
from audience import services
from audience.fields import FLAG_LABELS
from audience.states import PollControl
from competitions.models import Event
from competitions.services import get_event
from core.privacy import personal_data
from extensions import db, limiter
from jobs.outbox import external_url
from refusals import on_refusal, see_other

bp = Blueprint("audience", __name__)
DEVICE_COOKIE = "ideathon_voter"


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def event_links(event: Event) -> list[tuple[str, str]]:
    return [(_("Audience prize"), url_for("audience.manage", slug=event.slug))]


def vote_qr(event: Event, scale: int = 8) -> Markup:
    """An inline SVG QR code of the vote page (the stage screen, the sheet of codes)."""
    url = external_url("audience.vote", slug=event.slug)
    return Markup(
        segno.make(url, error="m").svg_inline(
            scale=scale, border=2, omitsize=True, title=_("Vote for the audience prize")
        )
    )


def _device() -> str:
    return request.cookies.get(DEVICE_COOKIE) or request.remote_addr or "?"


def rate_limited(view):
    """Votes are limited per address (a venue's phones share one: a generous ceiling) and per
    device (its cookie: a tight one) — settings AUDIENCE_LIMITS_PER_*."""
    per_address = limiter.shared_limit(
        lambda: current_app.config["AUDIENCE_LIMITS_PER_ADDRESS"],
        "vote-address",
        methods=["POST"],
    )
    per_device = limiter.shared_limit(
        lambda: current_app.config["AUDIENCE_LIMITS_PER_DEVICE"],
        "vote-device",
        key_func=_device,
        methods=["POST"],
    )
    return per_address(per_device(view))


def _vote_page(slug: str, refusal=None, status: int = 200):
    event = _event(slug)
    response = current_app.make_response(
        (
            render_template(
                "audience/vote.html",
                event=event,
                poll=services.poll_of(event),
                ideas=services.candidates(event),
                errors={k: str(v) for k, v in (refusal.errors if refusal else {}).items()},
                message=str(refusal) if refusal else None,
                values=request.form if refusal else {},
            ),
            status,
        )
    )
    if not request.cookies.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(16), max_age=86_400, httponly=True, samesite="Lax"
        )
    return response


@bp.route("/e/<slug>/vote", methods=["GET", "POST"])
@personal_data
@rate_limited
@on_refusal(_vote_page)
def vote(slug: str):
    """The public vote: a one-time code, or a receipt code and phone; one vote each."""
    if request.method == "GET":
        return _vote_page(slug)
    event = _event(slug)
    services.vote(event, request.form, address=request.remote_addr or "?", device=_device())
    db.session.commit()
    flash(_("Thank you: your vote is counted."), "success")
    return see_other(url_for(".vote", slug=slug))


@bp.get("/e/<slug>/vote/qr.svg")
def vote_qr_svg(slug: str):
    """The vote page's QR code as an image (a stage panel's `image_url`)."""
    event = _event(slug)
    svg = io.BytesIO()  # a whole SVG document (svg_inline lacks the xmlns an <img> needs)
    segno.make(external_url("audience.vote", slug=event.slug), error="m").save(
        svg, kind="svg", scale=10, border=2, title=_("Vote for the audience prize")
    )
    return current_app.response_class(svg.getvalue(), mimetype="image/svg+xml")


@bp.get("/e/<slug>/audience/results.json")
def results_json(slug: str):
    """The live count, for the stage screen: only while the organisers choose to show it."""
    event = _event(slug)
    poll = services.poll_of(event)
    body = {"open": poll.is_open, "closed": poll.is_closed, "shown": poll.show_results}
    if poll.show_results:
        tally = services.tally(event)
        body["total"] = tally.total
        body["ideas"] = [{"title": title, "votes": votes} for _id, title, votes, _f in tally.rows]
    return jsonify(body)


@bp.get("/e/<slug>/audience/screen")
def screen(slug: str):
    """A stand-alone full-screen page for the stage: the QR code of the vote and, when shown,
    the live results (refreshed by static/js/audience.js)."""
    event = _event(slug)
    poll = services.poll_of(event)
    return render_template(
        "audience/screen.html",
        event=event,
        poll=poll,
        tally=services.tally(event) if poll.show_results else None,
        qr=vote_qr(event, scale=10),
    )


@bp.get("/e/<slug>/audience")
@event_permission(Permission.VIEW)
def manage(slug: str):
    event = _event(slug)
    return render_template(
        "audience/manage.html",
        event=event,
        poll=services.poll_of(event),
        tally=services.tally(event),
        flagged=services.flagged_votes(event),
        flag_labels=FLAG_LABELS,
        unused=len(services.unused_codes(event)),
        vote_url=external_url("audience.vote", slug=event.slug),
        max_codes=services.MAX_CODES_AT_ONCE,
    )


@bp.post("/e/<slug>/audience/control/<action>")
@event_permission(Permission.MANAGE)
@on_refusal(".manage")
def control(slug: str, action: str):
    """Open or close the vote, show or hide the results on the stage."""
    event = _event(slug)
    control = PollControl.parse(action) or abort(404)
    if control is PollControl.START:
        services.open_vote(event, by=current_user)
    elif control is PollControl.CLOSE:
        services.close_vote(event, by=current_user)
    else:
        services.show_results(event, control is PollControl.SHOW, by=current_user)
    db.session.commit()
    flash(_("Changes saved."), "success")
    return see_other(url_for(".manage", slug=slug))


@bp.post("/e/<slug>/audience/codes")
@event_permission(Permission.MANAGE)
@on_refusal(".manage")
def generate_codes(slug: str):
    event = _event(slug)
    codes = services.generate_codes(event, request.form, by=current_user)
    db.session.commit()
    flash(_("%(n)s codes ready to print.", n=len(codes)), "success")
    return see_other(url_for(".code_sheet", slug=slug))


@bp.get("/e/<slug>/audience/codes")
@event_permission(Permission.MANAGE)
def code_sheet(slug: str):
    """The printable sheet: each unused code on a card to cut out, with the vote's address."""
    event = _event(slug)
    return render_template(
        "audience/codes.html",
        event=event,
        codes=services.unused_codes(event),
        qr=vote_qr(event, scale=3),
        vote_url=external_url("audience.vote", slug=event.slug),
    )
