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

from accounts import services
from accounts.decorators import organiser_required
from accounts.forms import EmptyForm, LoginForm
from accounts.models import User
from audit.services import record_access
from extensions import db
from refusals import on_refusal, same_site_path, see_other

bp = Blueprint("accounts", __name__)


def home_for(user) -> str:
    return url_for("judging.my_events") if user.is_jury else url_for("competitions.dashboard")


def _sign_in(user) -> None:
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
            _sign_in(user)
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
        _sign_in(user)
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
