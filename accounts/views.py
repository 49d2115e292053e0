from flask import (
    Blueprint,
    current_app,
    flash,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from accounts import management, permissions, services
from accounts.decorators import organiser_required
from accounts.forms import EmptyForm, LoginForm
from accounts.models import User
from accounts.states import Role
from audit.services import record_access
from extensions import db
from i18n import LANGUAGE_NAMES
from refusals import on_refusal, same_site_path, see_other

bp = Blueprint("accounts", __name__)


@bp.app_context_processor
def _permissions():
    """Templates ask `can(current_user, Permission.MANAGE, event)`, as the views do."""
    return {"can": permissions.can}


def home_for(user) -> str:
    return url_for("judging.my_events") if user.is_jury else url_for("competitions.dashboard")


def sign_in(user) -> None:
    """Open `user`'s session (a password, a jury card, or an organiser leaving a kiosk)."""
    session.permanent = True
    if user.locale:
        session["lang"] = user.locale
    login_user(user)


def _remember_device(response, token: str) -> None:
    config = current_app.config
    response.set_cookie(
        config["KNOWN_DEVICE_COOKIE"],
        token,
        max_age=int(config["KNOWN_DEVICE_MAX_AGE"].total_seconds()),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def _audit_sign_in(action: str, user_id: int | None = None, *, source: str = "password") -> None:
    """A sign-in, or a refused one (with the e-mail typed), once the request's own transaction
    is over (take the user's id before the commit): it is kept whatever the request's outcome."""
    typed = request.form.get("email", "")[:254] if user_id is None else None
    record_access(
        "user",
        user_id,
        action,
        by=user_id,
        address=request.remote_addr,
        note=typed,
        source=source,
    )


def _login_refused(refusal):
    """A refused sign-in (too many failures): audited, then the form again with the reason."""
    _audit_sign_in("sign_in_refused")
    flash(str(refusal), "danger")
    return render_template("accounts/login.html", form=LoginForm())


@bp.route("/login", methods=["GET", "POST"])
@on_refusal(_login_refused)
def login():
    if current_user.is_authenticated:
        return see_other(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        device = request.cookies.get(current_app.config["KNOWN_DEVICE_COOKIE"])
        user = services.authenticate(
            form.email.data, form.password.data, request.remote_addr, device_token=device
        )
        user_id = user.id if user else None
        db.session.commit()
        if user:
            _audit_sign_in("sign_in", user_id)
            sign_in(user)
            response = see_other(same_site_path(request.args.get("next")) or home_for(user))
            _remember_device(response, services.known_device_token(user, device))
            return response
        _audit_sign_in("sign_in_failed")
        flash(_("Wrong e-mail or password."), "danger")
        status = 401
    return render_template("accounts/login.html", form=form), status


def _link_refused(refusal):
    """A jury card that no longer signs in: a use of it (POST) is audited, then the reason."""
    if request.method == "POST":
        record_access(
            "user",
            None,
            "sign_in_refused",
            address=request.remote_addr,
            note=str(refusal),
            source="jury_link",
        )
    return render_template("accounts/link.html", error=str(refusal))


@bp.route("/login/link/<token>", methods=["GET", "POST"])
@on_refusal(_link_refused)
def login_link(token: str):
    """A jury card's QR code. GET only shows a button (link previews must not use the link)."""
    form = EmptyForm()
    user = services.check_login_link(token)
    if form.validate_on_submit():
        user = services.use_login_link(token)
        user_id = user.id
        db.session.commit()
        _audit_sign_in("sign_in", user_id, source="jury_link")
        logout_user()
        sign_in(user)
        return see_other(home_for(user))
    return render_template("accounts/link.html", user=user, form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user)  # a copied cookie stops working too
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return see_other(url_for("accounts.login"))


@bp.get("/accounts/locked")
@organiser_required
def locked_accounts():
    """Accounts with recent failed sign-ins, each with a button to unlock it."""
    return render_template(
        "accounts/locked.html",
        accounts=services.locked_accounts(),
        ceiling=current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        form=EmptyForm(),
    )


@bp.post("/accounts/<int:user_id>/unlock")
@organiser_required
def unlock_account(user_id: int):
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        services.unlock_account(user, by=current_user)
        db.session.commit()
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    return see_other(url_for(".locked_accounts"))


@bp.post("/language")
def set_language():
    """The header's language switch: remembered in the session and on the user's account."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            services.set_locale(current_user, lang)
            db.session.commit()
    return see_other(same_site_path(request.form.get("next")) or url_for("competitions.home"))


# --- Accounts of the organising side (organisers) -----------------------------------------------


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _choices() -> dict:
    return {
        "roles": Role.STAFF,
        "role_labels": management.ROLE_LABELS,
        "regions": permissions.region_choices(),
        "events": permissions.event_choices(),
        "languages": LANGUAGE_NAMES,
    }


def _users_page(refusal=None):
    """Every staff account and the invitation form (typed values kept after a refusal)."""
    return render_template(
        "accounts/users.html",
        accounts=management.staff_accounts(),
        typed=request.form if refusal else {},
        errors=refusal.errors if refusal else {},
        error=str(refusal) if refusal and not refusal.errors else None,
        form=EmptyForm(),
        **_choices(),
    )


@bp.get("/tour/accounts")
@organiser_required
def users():
    return _users_page()


@bp.post("/tour/accounts/invite")
@organiser_required
@on_refusal(_users_page)
def invite():
    form = request.form
    user = management.invite_user(
        form.get("email", ""),
        form.get("name", ""),
        form.get("role"),
        region=form.get("region"),
        event_ids=form.getlist("events"),
        locale=form.get("locale") if form.get("locale") in LANGUAGE_NAMES else None,
        by=current_user,
    )
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return see_other(url_for(".users"))


def _user_page(user_id: int, refusal=None):
    user = _user_or_404(user_id)
    return render_template(
        "accounts/user.html",
        account=user,
        assigned=set(management.assigned_events(user)),
        typed=request.form if refusal else {},
        errors=refusal.errors if refusal else {},
        error=str(refusal) if refusal and not refusal.errors else None,
        form=EmptyForm(),
        **_choices(),
    )


@bp.route("/tour/accounts/<int:user_id>", methods=["GET", "POST"])
@organiser_required
@on_refusal(_user_page)
def user_access(user_id: int):
    """An account's role, region and events."""
    if request.method == "GET":
        return _user_page(user_id)
    form = request.form
    management.set_access(
        _user_or_404(user_id),
        form.get("role"),
        form.get("region"),
        form.getlist("events"),
        by=current_user,
    )
    db.session.commit()
    flash(_("Access saved."), "success")
    return see_other(url_for(".user_access", user_id=user_id))


@bp.post("/tour/accounts/<int:user_id>/active")
@organiser_required
@on_refusal(".user_access")
def user_active(user_id: int):
    """Disable (its sessions end at once) or enable an account."""
    active = request.form.get("active") == "1"
    management.set_active(_user_or_404(user_id), active, by=current_user)
    db.session.commit()
    flash(_("Account enabled.") if active else _("Account disabled."), "success")
    return see_other(url_for(".user_access", user_id=user_id))


@bp.post("/tour/accounts/<int:user_id>/invite")
@organiser_required
@on_refusal(".user_access")
def invite_again(user_id: int):
    user = _user_or_404(user_id)
    management.resend_invitation(user, by=current_user)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return see_other(url_for(".user_access", user_id=user_id))


def _invitation_page(token: str, refusal=None):
    if isinstance(refusal, services.LinkRefused):
        return render_template("accounts/invitation.html", link_error=str(refusal))
    user = management.invited_user(token)
    return render_template(
        "accounts/invitation.html",
        user=user,
        form=EmptyForm(),
        errors=refusal.errors if refusal else {},
        error=str(refusal) if refusal and not refusal.errors else None,
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@on_refusal(_invitation_page)
def invitation(token: str):
    """An invitation's one-time link: the invited person chooses their password."""
    if request.method == "GET":
        return _invitation_page(token)
    user = management.accept_invitation(
        token, request.form.get("password", ""), request.form.get("confirmation", "")
    )
    user_id = user.id
    db.session.commit()
    _audit_sign_in("sign_in", user_id, source="invitation")
    logout_user()
    sign_in(user)
    flash(_("Your password is set. Welcome."), "success")
    return see_other(home_for(user))
