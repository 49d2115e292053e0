"""Error pages in the user's language; JSON for API and autosave requests. Services' refusals
are answered by `refusals.answer`."""

from flask import jsonify, make_response, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

import refusals
from extensions import db


def _error(status: int, message: str):
    """The error page, or for API and JSON requests the same JSON as a service's refusal
    (`{"ok": false, "error": ...}`, see `refusals.answer`)."""
    if refusals.wants_json():
        return jsonify({"ok": False, "error": message}), status
    return render_template("core/error.html", status=status, message=message), status


def register_error_handlers(app) -> None:
    app.register_error_handler(refusals.Refusal, refusals.answer)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error(
            400,
            _(
                "This form has expired or was not sent from this site. "
                "Go back, reload the page and send it again: your typing is kept."
            ),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _error(403, _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _error(404, _("This page does not exist."))

    @app.errorhandler(405)
    def not_allowed(error):
        """A method the route does not take: the answer says which it takes (RFC 9110)."""
        response = make_response(_error(405, _("This action is not allowed here.")))
        if getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(413)
    def too_large(error):
        return _error(413, _("The file sent is too large."))

    @app.errorhandler(429)
    def too_many(error):
        return _error(
            429,
            _(
                "Too many ideas were sent from here in a short time. Wait a few minutes, "
                "then send yours again: your typing is kept on this device."
            ),
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        """The database cannot be reached (restarting, failed over) or is too busy: a clean
        503 asking to send again, never a 500 page. The session's connection is dropped; the
        pool's pre-ping gives the next request a live one once the database is back."""
        _drop_session()
        response = make_response(
            _error(
                503,
                _(
                    "The service is briefly unavailable. Wait a few seconds and send again: "
                    "nothing you saved before was lost, and nothing is stored twice."
                ),
            )
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _error(
            500, _("Something went wrong on our side. Nothing you saved before was lost.")
        )


def _drop_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: rolling back cannot reach the database either
        pass
    db.session.remove()
