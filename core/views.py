from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, send_from_directory
from sqlalchemy import text

from core import privacy
from extensions import csrf, db

bp = Blueprint("core", __name__)
bp.after_app_request(privacy.after_request)

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# Only these package folders are served (installed by `make` from npm; nothing from a CDN).
VENDOR_DIRS = ("bootstrap/dist/", "@fontsource/noto-sans-arabic/")


@bp.get("/vendor/<path:filename>")
def vendor(filename: str):
    if not filename.startswith(VENDOR_DIRS):
        abort(404)
    return send_from_directory(NODE_MODULES, filename, max_age=7 * 24 * 3600)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask /favicon.ico whatever the page links: the site's SVG icon, not a 404."""
    static = Path(current_app.static_folder) / "img"
    return send_from_directory(
        static, "favicon.svg", mimetype="image/svg+xml", max_age=7 * 24 * 3600
    )


@bp.get("/healthz")
@csrf.exempt
def healthz():
    report, healthy = {"status": "ok"}, True
    try:
        db.session.execute(text("SELECT 1"))
        report["db"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is unreachable
        report["db"] = "unreachable"  # the failed session is discarded at the request's end
        healthy = False
    if current_app.config.get("REDIS_URL"):
        from jobs.queue import redis_ok

        report["redis"] = "ok" if redis_ok() else "unreachable"
        # The site keeps working without Redis (e-mails wait in the outbox): not a 503.
    if not healthy:
        report["status"] = "error"
    return jsonify(report), 200 if healthy else 503
