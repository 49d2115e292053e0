"""Pages of the submissions package: the public form (phone, kiosk, assisted), receipts,
QR code and poster, the organisers' triage and the paper import."""

import secrets
from io import BytesIO
from pathlib import Path

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from markupsafe import Markup
from sqlalchemy import select

from accounts.decorators import event_permission, permission_required, require
from accounts.permissions import can
from accounts.services import authenticate
from accounts.states import Permission
from accounts.views import sign_in
from audit.services import record_access
from competitions.models import Event
from competitions.services import get_event
from competitions.states import EventState
from core.offline import available_offline
from core.privacy import personal_data
from extensions import db, limiter
from fieldtypes import strip_control
from i18n import current_language, template_language
from jobs.outbox import site_base_url
from paging import page_number
from places import reference as places
from refusals import form_refusals, on_refusal, see_other, wants_json
from sqlite_locking import read_first
from submissions import attachments, paper, posting, questions, services, team
from submissions.fields import (
    AGE_LABELS,
    CORRECTABLE,
    ELIGIBILITY_LABELS,
    GENDER_LABELS,
    SECTOR_LABELS,
    SOURCE_LABELS,
    form_version,
)
from submissions.forms import (
    CorrectionForm,
    DuplicateForm,
    EligibilityForm,
    IdeaForm,
    ImportForm,
    LookupForm,
)
from submissions.models import Idea
from submissions.privacy_views import bp as privacy_bp
from submissions.question_views import bp as questions_bp
from submissions.states import IdeaSource, QuestionKind, TriageFilter

bp = Blueprint("submissions", __name__)
bp.register_blueprint(privacy_bp)  # /privacy: the notice, participants' rights
bp.register_blueprint(questions_bp)  # an event's questions, what its jury sees
_RECEIPTS_KEPT = 10


def event_links(event: Event) -> list[tuple[str, str]]:
    """Links for the organiser's event page: triage, assisted entry, kiosk, QR poster."""
    links = [
        (_("Ideas"), url_for("submissions.triage", slug=event.slug)),
        (_("QR poster"), url_for("submissions.poster", slug=event.slug)),
        (_("Questions and jury view"), url_for("submissions.questions.builder", slug=event.slug)),
    ]
    if event.accepts_ideas:
        links[1:1] = [
            (_("Assisted entry"), url_for("submissions.assist", slug=event.slug)),
            (_("Kiosk mode"), url_for("submissions.kiosk", slug=event.slug)),
        ]
    return links


UNCHECKED_LISTED = 10  # ideas named in the warning; the ideas page lists the rest


def unchecked_warning(event: Event) -> dict | None:
    """A warning when ideas not yet checked would go to the jury: {"text", "items", "link",
    "url"}, or None. The event page shows it beside "start judging" (a notice provider), the
    judging progress page beside "assign ideas to judges"."""
    ideas = services.unchecked_ideas(event)
    if not ideas:
        return None
    items = [f"{idea.receipt_code} {idea.title}" for idea in ideas[:UNCHECKED_LISTED]]
    if len(ideas) > UNCHECKED_LISTED:
        items.append(_("…and %(n)s more", n=len(ideas) - UNCHECKED_LISTED))
    return {
        "text": ngettext(
            "%(num)s idea is still “Not yet checked”: it will go to the jury as it is. "
            "Check its eligibility first.",
            "%(num)s ideas are still “Not yet checked”: they will go to the jury as they are. "
            "Check their eligibility first.",
            len(ideas),
        ),
        "items": items,
        "link": _("Check the ideas not yet checked"),
        "url": url_for(
            "submissions.triage", slug=event.slug, eligibility=TriageFilter.PENDING.value
        ),
    }


def unchecked_notices(event: Event, new_state: str) -> list[dict]:
    """The notice provider: opening judging with ideas not yet checked."""
    if (event.state, new_state) != (EventState.OPEN, EventState.JUDGING):
        return []
    warning = unchecked_warning(event)
    return [warning] if warning else []


def _event(slug: str) -> Event:
    return get_event(slug) or abort(404)


def _idea(event: Event, idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.event_id != event.id:
        abort(404)
    return idea


def public_submit_url(event: Event) -> str:
    """The address printed in QR codes: the public site, not the host this page was asked on."""
    return site_base_url() + url_for("submissions.submit", slug=event.slug)


@bp.app_template_global("submission_qr")
def submission_qr(event: Event, scale: int = 6) -> Markup:
    """An inline SVG QR code of the event's public form (for any package's event page)."""
    svg = segno.make(public_submit_url(event), error="m").svg_inline(
        scale=scale, title=_("Submit an idea"), border=2, omitsize=True
    )
    return Markup(svg)


def _is_kiosk(slug: str) -> bool:
    return session.get("kiosk_event") == slug


def _remember_receipt(code: str, kiosk: bool) -> None:
    """The receipt page shows an idea's title only to the browser that sent it; a kiosk tablet
    remembers the last one only."""
    codes = [] if kiosk else [c for c in session.get("receipts", []) if c != code]
    session["receipts"] = [*codes, code][-_RECEIPTS_KEPT:]


def _closed(event: Event):
    return render_template("submissions/closed.html", event=event), 409


def blank_fields(assisted: bool) -> Markup:
    """The blank form's visible fields are the same for every participant in one language, so
    they are rendered once per (language, assisted) and kept for the app's lifetime; the tokens
    (CSRF, one-time submit token) are outside this fragment."""
    cache = current_app.extensions.setdefault("submissions.blank_fields", {})
    key = (current_language(), assisted)
    if key not in cache or current_app.debug:
        form = IdeaForm(assisted=assisted)
        cache[key] = Markup(render_template("submissions/_idea_fields.html", form=form))
    return cache[key]


def _form_extras(event: Event, typed: dict | None = None, errors: dict | None = None) -> dict:
    """What the idea form shows beside its fixed fields: the event's questions and the team's
    member rows, with what was typed and each one's message when the form comes back."""
    typed = typed or {}
    begun = max(
        (row + 1 for row in range(team.MAX_MEMBERS) if _member_row_typed(typed, row)), default=0
    )
    wanted = request.form.get("add_member") is not None if request.method == "POST" else False
    rows = min(team.MAX_MEMBERS, max(team.FORM_ROWS, begun + (1 if wanted else 0)))
    return {
        "questions": questions.questions_of(event.id),
        "typed": typed,
        "errors": errors or {},
        "member_rows": rows,
        "max_members": team.MAX_MEMBERS,
        "member_labels": team.LABELS,
        "gender_labels": GENDER_LABELS,
        "age_labels": AGE_LABELS,
        "yes_no": questions.YES_NO_LABELS,
        "kinds": QuestionKind,
    }


def _member_row_typed(typed: dict, row: int) -> bool:
    return any(str(typed.get(team.field_name(row, field)) or "").strip() for field in team.TYPES)


def _idea_form_page(slug: str, *, source: str, action: str, template_vars: dict):
    """GET shows a blank form with a fresh one-time token; POST stores the idea once. The
    WTForms form is built only to show a form that came back with errors: a blank form is a
    cached fragment, and a valid POST is checked by `clean_idea`. A POST reads nothing before
    its INSERT (its event is a `posting_target`, remembered); the event is loaded only for a
    page that shows it (the form with its errors, the closed page)."""
    if request.method == "GET":
        event = _event(slug)
        if not event.accepts_ideas:
            return _closed(event)
        code = request.args.get("registration")
        data = services.prefill(event, strip_control(code)) if code else None
        if code and data is None:
            flash(_("No registration of this event has this code: the form is blank."), "warning")
        return render_template(
            "submissions/submit.html",
            event=event,
            form=IdeaForm(data=data, assisted=source == IdeaSource.ASSISTED) if data else None,
            extras=_form_extras(event, data),
            blank_fields=None if data else blank_fields(assisted=source == IdeaSource.ASSISTED),
            prefill_offered=services.prefill_offered(event),
            submit_token=secrets.token_urlsafe(24),
            form_version=form_version(),
            source=source,
            action=action,
            **template_vars,
        )
    if "add_member" in request.form:  # "Add a member" without script: the form again, longer
        return _form_again(slug, source=source, action=action, template_vars=template_vars)
    with read_first():  # a target not yet remembered is looked up
        target = posting.posting_target(slug) or abort(404)
    data = request.form.to_dict()
    data["locale"] = current_language()
    if wants_json():  # a tablet sending its queue (static/js/submissions.js): refusals as JSON
        url, receipt = _store_idea(target, data, source)
        return jsonify(ok=True, code=receipt.code, receipt_url=url, created=receipt.created)
    refused = form_refusals()
    with refused:
        url, _receipt = _store_idea(target, data, source)
        return see_other(url)
    event = _event(slug)
    if not event.accepts_ideas:  # closed before the INSERT, or while the form was being corrected
        return _closed(event)
    form = IdeaForm(assisted=source == IdeaSource.ASSISTED)
    refused.show_on(form)
    token = data.get("submit_token") or ""  # kept, so that the corrected form is one idea
    if "submit_token" in refused.errors or not services.TOKEN_PATTERN.fullmatch(token):
        token = secrets.token_urlsafe(24)
    return render_template(
        "submissions/submit.html",
        event=event,
        form=form,
        extras=_form_extras(event, data, refused.errors),
        submit_token=token,
        form_version=form_version(),
        source=source,
        action=action,
        **template_vars,
    ), refused.status


def _store_idea(target: posting.PostingTarget, data: dict, source: str):
    """Store the posted idea once per token (a replay gets the first receipt) and commit:
    its receipt page's address and the receipt."""
    by = current_user if current_user.is_authenticated else None
    receipt = services.submit_idea(
        target,
        data,
        data.get("submit_token"),
        source=source,
        by=by,
        file=request.files.get("attachment"),
        files=request.files,
        version=data.get("form_version"),
    )
    # A token reused on another event's form leads to the receipt of the event that holds it.
    slug = target.slug
    if receipt.event_id != target.id:
        slug = db.session.get(Event, receipt.event_id).slug
    db.session.commit()
    _remember_receipt(receipt.code, kiosk=source == IdeaSource.KIOSK)
    return url_for("submissions.receipt", slug=slug, code=receipt.code), receipt


def offline_pages() -> list[str]:
    """A kiosk tablet keeps its blank form for offline use (core.offline's page provider); a
    phone keeps the form it opened, as it opened it."""
    slug = session.get("kiosk_event")
    return [url_for("submissions.kiosk", slug=slug)] if slug else []


def _form_again(slug: str, *, source: str, action: str, template_vars: dict):
    """The form as typed, with one more member row; nothing stored (a file is chosen again)."""
    event = _event(slug)
    if not event.accepts_ideas:
        return _closed(event)
    data = request.form.to_dict()
    token = data.get("submit_token") or ""
    if not services.TOKEN_PATTERN.fullmatch(token):
        token = secrets.token_urlsafe(24)
    return render_template(
        "submissions/submit.html",
        event=event,
        form=IdeaForm(assisted=source == IdeaSource.ASSISTED),
        extras=_form_extras(event, data),
        submit_token=token,
        form_version=form_version(),
        source=source,
        action=action,
        **template_vars,
    )


def _event_key() -> str:
    return (request.view_args or {}).get("slug", "")


def rate_limited(view):
    """The public form's and the kiosk's POSTs, limited per sending address and per event
    (settings SUBMIT_LIMITS_PER_*): the form cannot be used to send e-mail in bulk. Over the
    limit: 429 with a message asking to wait (the typing is kept as a draft)."""
    per_address = limiter.shared_limit(
        lambda: current_app.config["SUBMIT_LIMITS_PER_ADDRESS"], "submit-address", methods=["POST"]
    )
    per_event = limiter.shared_limit(
        lambda: current_app.config["SUBMIT_LIMITS_PER_EVENT"],
        "submit-event",
        key_func=_event_key,
        methods=["POST"],
    )
    return per_address(per_event(view))


@bp.route("/e/<slug>/submit", methods=["GET", "POST"])
@personal_data
@available_offline
@rate_limited
def submit(slug: str):
    """The public form: no account, in the participant's language, from any phone."""
    return _idea_form_page(
        slug,
        source=IdeaSource.FORM,
        action=url_for("submissions.submit", slug=slug),
        template_vars={"kiosk": False},
    )


@bp.post("/e/<slug>/kiosk/start")
@event_permission(Permission.ASSIST)
def kiosk_start(slug: str):
    """Turn this tablet into a kiosk for the event: the organiser is signed out, so that
    participants at the tablet reach nothing but the form."""
    event = _event(slug)
    logout_user()
    session["kiosk_event"] = event.slug
    session["receipts"] = []
    return see_other(url_for("submissions.kiosk", slug=event.slug))


def _kiosk_exit_page(slug: str, refusal=None, status: int = 200):
    """The organiser's way out of kiosk mode: their own e-mail and password, on the tablet."""
    if refusal is not None:
        flash(str(refusal), "danger")
    return render_template("submissions/kiosk_exit.html", event=_event(slug)), status


@bp.route("/e/<slug>/kiosk/stop", methods=["GET", "POST"])
@on_refusal(_kiosk_exit_page)
def kiosk_stop(slug: str):
    """Leave kiosk mode: only an account that may run this event's kiosk (its organisers and
    facilitators) signs in here, and the tablet then shows the organiser's pages again; a
    participant at the tablet cannot leave it. Failures count towards the account's sign-in
    throttle and are audited like any refused sign-in."""
    if request.method == "GET":
        return _kiosk_exit_page(slug)
    event = _event(slug)
    # Control characters (a NUL byte) never reach the database: PostgreSQL refuses them.
    email = strip_control(request.form.get("email", "")).strip()
    password = request.form.get("password", "")
    if not email or not password:
        flash(_("Give your e-mail and your password."), "danger")
        return _kiosk_exit_page(slug, status=422)
    device = request.cookies.get(current_app.config["KNOWN_DEVICE_COOKIE"])
    user = authenticate(
        email,
        password,
        request.remote_addr,
        device_token=device,
    )
    allowed = user is not None and can(user, Permission.ASSIST, event)
    user_id = user.id if allowed else None
    db.session.commit()  # the failure counts (or is forgotten) whatever comes next
    record_access(
        "user",
        user_id,
        "sign_in" if allowed else "sign_in_failed",
        by=user_id,
        address=request.remote_addr,
        note=None if allowed else email[:254],
        source="kiosk_exit",
    )
    if not allowed:
        flash(_("Only an organiser or a facilitator of this event can leave kiosk mode."), "danger")
        return _kiosk_exit_page(slug, status=401)
    session.pop("kiosk_event", None)
    session["receipts"] = []
    sign_in(user)
    flash(_("Kiosk mode is over on this tablet."), "success")
    return see_other(url_for("submissions.kiosk", slug=slug))


@bp.route("/e/<slug>/kiosk", methods=["GET", "POST"])
@personal_data
@available_offline
@rate_limited
def kiosk(slug: str):
    if not _is_kiosk(slug):
        event = _event(slug)
        if can(current_user, Permission.ASSIST, event):
            return render_template("submissions/kiosk_start.html", event=event)
        abort(403)
    if request.method == "GET":
        session["receipts"] = []  # the previous participant's receipt is gone
    return _idea_form_page(
        slug,
        source=IdeaSource.KIOSK,
        action=url_for("submissions.kiosk", slug=slug),
        template_vars={
            "kiosk": True,
            "idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"],
            "idle_warning_seconds": current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
        },
    )


@bp.route("/e/<slug>/assist", methods=["GET", "POST"])
@event_permission(Permission.ASSIST)
def assist(slug: str):
    """A facilitator types the idea for a participant who cannot fill the form in."""
    return _idea_form_page(
        slug,
        source=IdeaSource.ASSISTED,
        action=url_for("submissions.assist", slug=slug),
        template_vars={"kiosk": False},
    )


@bp.get("/e/<slug>/receipt/<code>")
@personal_data
def receipt(slug: str, code: str):
    event = _event(slug)
    if code not in session.get("receipts", []):
        flash(
            _("To follow an idea, enter its receipt code and the phone number given with it."),
            "info",
        )
        return redirect(url_for("submissions.receipt_lookup", code=code))
    idea = db.session.scalar(
        select(Idea).where(Idea.receipt_code == code, Idea.event_id == event.id)
    )
    if idea is None:
        abort(404)
    kiosk = _is_kiosk(event.slug)
    return render_template(
        "submissions/receipt.html",
        event=event,
        idea=idea,
        kiosk=kiosk,
        return_seconds=current_app.config["KIOSK_RECEIPT_SECONDS"],
    )


@bp.route("/receipt", methods=["GET", "POST"])
@personal_data
@on_refusal(
    lambda refusal: render_template(
        "submissions/receipt_lookup.html", form=LookupForm(), throttled=refusal
    )
)
def receipt_lookup():
    """Code + phone → where the idea stands; the same answer for any wrong code or phone."""
    form = LookupForm(
        data={"code": request.args.get("code", "")} if request.method == "GET" else None
    )
    if request.method == "GET":
        return render_template("submissions/receipt_lookup.html", form=form)
    idea = services.lookup_receipt(
        form.code.data or "", form.phone.data or "", address=request.remote_addr
    )
    db.session.commit()
    if idea is None:
        return render_template("submissions/receipt_lookup.html", form=form, not_found=True), 404
    state = services.idea_state(idea)
    return render_template(
        "submissions/receipt_lookup.html",
        form=LookupForm(formdata=None),
        state=state,
        state_text=services.IDEA_STATES[state],
        code=idea.receipt_code,
        outcome=services.idea_outcome(idea),
    )


@bp.get("/places/<province_code>/communes.json")
def communes(province_code: str):
    """The communes of a province, [code, name] in the reader's language, for the forms' commune
    list (`static/js/app.js`); reference data, the same for everyone."""
    if not places.is_code(province_code, "province"):
        abort(404)
    lang = current_language()
    rows = [[c.code, c.name(lang)] for c in places.communes(province_code)]
    response = jsonify(rows)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.vary.add("Cookie")
    return response


@bp.get("/e/<slug>/qr.svg")
def qr_svg(slug: str):
    event = _event(slug)
    svg = segno.make(public_submit_url(event), error="m").svg_inline(scale=8, border=2)
    return current_app.response_class(svg, mimetype="image/svg+xml")


@bp.get("/e/<slug>/poster")
def poster(slug: str):
    """A printable A4 poster with the QR code of the event's form."""
    event = _event(slug)
    other_lang = "fr" if current_language() == "ar" else "ar"
    with force_locale(other_lang):  # the poster speaks both languages of the hall
        other_title = _("Share your cooperative idea!")
    return render_template(
        "submissions/poster.html",
        event=event,
        url=public_submit_url(event),
        other_lang=other_lang,
        other_title=other_title,
    )


# --- Organisers' triage ------------------------------------------------------------------


def _triage_page(event: Event, args: dict, import_errors: list | None = None) -> str:
    """The list of an event's ideas (with the paper import's messages, if any)."""
    return render_template(
        "submissions/triage_list.html",
        event=event,
        page=services.search_ideas(event, **args, page=page_number(request.args.get("page"))),
        args=args,
        sectors=SECTOR_LABELS,
        sources=SOURCE_LABELS,
        eligibilities=ELIGIBILITY_LABELS,
        import_form=ImportForm(),
        import_errors=import_errors,
        url=public_submit_url(event),
    )


@bp.get("/tour/events/<slug>/ideas")
@event_permission(Permission.MANAGE)
def triage(slug: str):
    args = {
        key: strip_control(request.args.get(key, "")).strip()
        for key in ("q", "sector", "eligibility")
    }
    return _triage_page(_event(slug), args)


def _import_refused(slug: str, refusal):
    """The list again, with every bad cell named (or why the event takes no ideas)."""
    messages = getattr(refusal, "messages", None) or [refusal.message]
    # Rendered here: a lazy string would reach the template unescaped (it passes as markup).
    return _triage_page(_event(slug), {}, import_errors=[str(m) for m in messages])


@bp.post("/tour/events/<slug>/ideas/import")
@event_permission(Permission.MANAGE)
@on_refusal(_import_refused)
def import_sheet(slug: str):
    event = _event(slug)
    file = request.files.get("file")
    data = file.read() if file else b""
    if not data:
        raise paper.ImportRejected([_l("Choose the Excel file to import.")])
    created, repeated = paper.import_ideas(event, data, by=current_user)
    db.session.commit()
    flash(_("%(n)s ideas imported.", n=len(created)), "success")
    if repeated:
        flash(
            _("%(n)s rows were already imported from this file and were skipped.", n=repeated),
            "info",
        )
    return see_other(url_for("submissions.triage", slug=slug))


@bp.get("/tour/ideas-template.xlsx")
@permission_required(Permission.MANAGE)
def ideas_template():
    """The paper template; `?event=<slug>` adds that event's questions (a column each)."""
    buffer = BytesIO()
    language = template_language()
    asked = []
    if slug := request.args.get("event"):
        event = _event(strip_control(slug))
        require(Permission.MANAGE, event)
        asked = paper.paper_questions(event.id)
    paper.build_template(language, asked).save(buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        as_attachment=True,
        download_name=f"ideathon-ideas-template-{language}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _idea_page(event: Event, idea: Idea, status: int = 200, **forms):
    correction = forms.pop("correction", None) or CorrectionForm(
        data={field: getattr(idea, field) or "" for field in CORRECTABLE}
    )
    original = db.session.get(Idea, idea.duplicate_of_id) if idea.duplicate_of_id else None
    duplicates = list(db.session.scalars(select(Idea).where(Idea.duplicate_of_id == idea.id)))
    return render_template(
        "submissions/triage_idea.html",
        event=event,
        idea=idea,
        original=original,
        duplicates=duplicates,
        correction=correction,
        sectors=SECTOR_LABELS,
        sources=SOURCE_LABELS,
        eligibility_form=forms.pop("eligibility_form", None)
        or EligibilityForm(
            data={"eligibility": idea.eligibility, "reason": idea.ineligible_reason or ""}
        ),
        duplicate_form=forms.pop("duplicate_form", None) or DuplicateForm(),
        members=team.members_of(idea.id),
        member_genders=GENDER_LABELS,
        member_ages=AGE_LABELS,
        counts=team.team_counts(idea),
        asked=questions.questions_of(event.id) + questions.questions_of(event.id, archived=True),
        answers=questions.answers_of([idea.id]).get(idea.id, {}),
        shown_answer=questions.shown_answer,
        kinds=QuestionKind,
    ), status


@bp.get("/tour/events/<slug>/ideas/<int:idea_id>")
@event_permission(Permission.MANAGE)
def idea_detail(slug: str, idea_id: int):
    event = _event(slug)
    return _idea_page(event, _idea(event, idea_id))


@bp.post("/tour/events/<slug>/ideas/<int:idea_id>/<action>")
@event_permission(Permission.MANAGE)
def idea_action(slug: str, idea_id: int, action: str):
    """One triage action on one idea: eligibility, duplicate, correct, calibration, bank."""
    event = _event(slug)
    idea = _idea(event, idea_id)
    form = request.form
    refused = form_refusals()
    with refused:
        if action == "eligibility":
            services.set_eligibility(
                idea, form.get("eligibility", ""), form.get("reason"), current_user
            )
            message = _("Eligibility saved.")
        elif action == "duplicate":
            original = services.mark_duplicate(idea, form.get("original_code", ""), current_user)
            message = _("Marked as a duplicate of %(code)s.", code=original.receipt_code)
        elif action == "unduplicate":
            services.clear_duplicate(idea, current_user)
            message = _("No longer marked as a duplicate.")
        elif action == "correct":
            changed = services.correct_idea(
                idea,
                {field: form.get(field, "") for field in CORRECTABLE if field in form},
                current_user,
            )
            message = _("Correction saved.") if changed else _("Nothing was changed.")
        elif action == "calibration":
            if form.get("on") == "1" and form.get("confirm") != "yes":  # never ranked: ask first
                raise services.TriageError(
                    _(
                        "Tick the box to confirm that this idea will be scored by every judge and never ranked."
                    )
                )
            services.set_calibration(idea, form.get("on") == "1", current_user)
            message = _("Calibration idea saved.")
        elif action == "bank":
            services.set_bank_worthy(idea, form.get("on") == "1", current_user)
            message = _("Saved.")
        else:
            abort(404)
        db.session.commit()
        flash(message, "success")
        return see_other(url_for("submissions.idea_detail", slug=slug, idea_id=idea.id))
    correction = CorrectionForm() if action == "correct" else None
    if correction is not None:
        refused.show_on(correction)
    return _idea_page(
        event,
        idea,
        refused.status,
        correction=correction,
        eligibility_form=EligibilityForm() if action == "eligibility" else None,
        duplicate_form=DuplicateForm() if action == "duplicate" else None,
    )


@bp.get("/tour/events/<slug>/ideas/<int:idea_id>/attachment")
@event_permission(Permission.PERSONAL_DATA)
def attachment(slug: str, idea_id: int):
    event = _event(slug)
    idea = _idea(event, idea_id)
    if not idea.attachment_path:
        abort(404)
    return send_stored(
        idea.attachment_path,
        idea.attachment_mime,
        attachments.download_name(idea.attachment_name, Path(idea.attachment_path).suffix),
    )


@bp.get("/tour/events/<slug>/ideas/<int:idea_id>/answers/<int:question_id>/file")
@event_permission(Permission.PERSONAL_DATA)
def answer_file(slug: str, idea_id: int, question_id: int):
    """The file an idea sent in answer to one of its event's questions (a download, audited)."""
    idea = _idea(_event(slug), idea_id)
    answer = questions.answers_of([idea.id]).get(idea.id, {}).get(question_id)
    if answer is None or not answer.file_path:
        abort(404)
    return send_stored(
        answer.file_path,
        answer.file_mime,
        attachments.download_name(answer.file_name, Path(answer.file_path).suffix),
    )


def send_stored(key: str, mime: str | None, name: str, *, inline: bool = False):
    """A file of the file store as a response (404 when it is gone): a download, or shown in
    the page when `inline`; its type as checked on upload, never sniffed by the browser."""
    try:
        stored = attachments.open_stored(key)
    except FileNotFoundError:
        abort(404)
    # RFC 5987 `filename*` for a name beyond ASCII
    response = send_file(stored, mimetype=mime, as_attachment=not inline, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
