"""One way to refuse. A service raises a `Refusal` (its package's subclass, in the domain's words);
its class says the HTTP status, its message is translated when shown. Views do not catch it: the
app's one handler (`answer`, registered in core/errors.py) rolls back, then answers JSON to JSON
and API requests, or flashes the message and sends the browser back (303) to the page the view
named with `@on_refusal`. A view that shows its form again with the typed values and each field's
message wraps the service call in `with refused:` (`refused = form_refusals(form)`) and answers
`refused.status`.

Every redirect after a POST is `see_other(url)` (303: the browser follows it with a GET)."""

from collections.abc import Callable
from inspect import signature
from urllib.parse import unquote, urlsplit

from flask import (
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l

from extensions import db


class Refusal(Exception):
    """A reason, for the user, why a request was refused. The class's `status` says how to answer
    (422: the input is wrong; subclasses below for the other meanings). `message` is a lazy
    string (`_l`), rendered in the language of the page that shows it; `field` names the form
    field at fault and `errors` maps every field at fault to its message."""

    status = 422
    default_message = _l("This request was refused.")

    def __init__(self, message=None, field: str | None = None, errors: dict | None = None):
        self.message = self.default_message if message is None else message
        super().__init__(self.message)
        self.field = field
        self.errors = dict(errors) if errors else ({field: self.message} if field else {})

    def __str__(self) -> str:
        return str(self.message)


class BadRequest(Refusal):
    """The request itself is malformed (a bad filter, page or parameter)."""

    status = 400


class Forbidden(Refusal):
    """This user may not do this."""

    status = 403


class NotFound(Refusal):
    """What the request names does not exist (or not here)."""

    status = 404


class Conflict(Refusal):
    """The current state forbids it (now, or ever): the input itself is fine."""

    status = 409


class Gone(Refusal):
    """It existed and can no longer be used (a used or expired link)."""

    status = 410


class Throttled(Refusal):
    """Too many attempts: wait before trying again."""

    status = 429


# --- The view idiom ---------------------------------------------------------------------------


def see_other(url: str):
    """The one redirect after a POST: 303, so the browser comes back with a GET."""
    return redirect(url, 303)


_MAX_NEXT_LENGTH = 2000


def same_site_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, for every `next` and return address (never an open
    redirect); None otherwise. Browsers drop tabs and newlines from a Location, strip control
    characters and spaces at its ends and read `\\` as `/` (`next=/%09/evil.example` is
    `//evil.example` to them): a target holding any of these, a scheme or a host, as given or once
    URL-decoded, is refused."""
    if not target or len(target) > _MAX_NEXT_LENGTH:
        return None
    for text in (target, unquote(target)):
        if not text.startswith("/") or text.startswith("//"):
            return None
        if any(char < " " or char in "\\\x7f" for char in text):
            return None
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return None
    return target


def on_refusal(target: str | Callable):
    """Name where a refused request goes. An endpoint ("judging.progress" or ".progress") is
    built with those of the view's URL arguments that it takes, and the browser is sent there
    (303) with the message flashed. A callable is given the view's URL arguments it takes and
    returns the page to show, answered with the refusal's status; the message is flashed on it,
    or given to the callable when it takes a `refusal` argument. A callable may also answer
    `see_other(url)`, for a page whose address the view's arguments do not give at once."""

    def decorate(view):
        # Kept on the function (the access decorators' `wraps` carry it outwards), so nothing
        # is stored per request.
        view.refusal_target = target
        return view

    return decorate


def wants_json() -> bool:
    """API, autosave and other JSON requests get JSON answers, pages get pages."""
    return (
        request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
        or request.is_json
    )


def _view_args(names) -> dict:
    """The refused view's URL arguments that a target takes."""
    return {k: v for k, v in (request.view_args or {}).items() if k in names}


def _endpoint_url(endpoint: str) -> str:
    if endpoint.startswith("."):
        endpoint = f"{request.blueprint}{endpoint}"
    rule = next(current_app.url_map.iter_rules(endpoint))
    return url_for(endpoint, **_view_args(rule.arguments))


def _same_site_referrer() -> str | None:
    """The page the form was sent from, if it is on this site (never an open redirect)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc == request.host and referrer.scheme in ("http", "https"):
        return same_site_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    return None


def answer(refusal: Refusal):
    """The app's handler for every refusal a view lets through."""
    db.session.rollback()
    message = str(refusal)
    if wants_json():
        return jsonify(
            ok=False,
            error=message,
            field=refusal.field,
            errors={name: str(text) for name, text in refusal.errors.items()},
        ), refusal.status
    view = current_app.view_functions.get(request.endpoint)
    target = getattr(view, "refusal_target", None)
    if callable(target):
        takes = signature(target).parameters
        if "refusal" in takes:
            page = target(refusal=refusal, **_view_args(takes))
        else:
            flash(message, "danger")
            page = target(**_view_args(takes))
        response = make_response(page)
        if response.status_code // 100 != 3:  # a page, not a `see_other` elsewhere
            response.status_code = refusal.status
        return response
    back = _endpoint_url(target) if target else None
    if request.method != "GET" and (back or _same_site_referrer()):
        flash(message, "danger")
        return see_other(back or _same_site_referrer())
    return render_template(
        "core/error.html", status=refusal.status, message=message
    ), refusal.status


class form_refusals:  # noqa: N801 - used as a statement, like a function: `with form_refusals(form)`
    """For a view that shows its form again when the service refuses: the refusal is caught,
    the session rolled back, each message put on its field (or flashed when no field shows it),
    and `status` is what the page answers (200 shown, 422 bad input, else the refusal's)."""

    def __init__(self, form=None):
        self.form = form
        self.refusal: Refusal | None = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if not isinstance(error, Refusal):
            return False
        db.session.rollback()
        self.refusal = error
        if not (self.form is not None and self.show_on(self.form)):
            flash(str(error), "danger")
        return True

    def show_on(self, form) -> bool:
        """Put each message next to its field of `form` (also a form built after the refusal);
        whether any was shown."""
        shown = False
        for name, message in self.errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
                shown = True
        return shown

    @property
    def errors(self) -> dict[str, str]:
        """Each field at fault and its message, rendered (for forms that are not WTForms)."""
        errors = self.refusal.errors if self.refusal else {}
        return {name: str(message) for name, message in errors.items()}

    @property
    def status(self) -> int:
        if self.refusal is not None:
            return self.refusal.status
        return 422 if request.method == "POST" else 200
