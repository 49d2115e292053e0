from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, send_from_directory
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from core import offline, privacy
from extensions import csrf, db

bp = Blueprint("core", __name__)
bp.after_app_request(privacy.after_request)
bp.after_app_request(offline.after_request)
bp.add_app_template_global(offline.scope, "offline_scope")
bp.add_app_template_global(offline.kept_here, "offline_kept_here")

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


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the site's root so that its scope covers every page; its cache
    version is written into it, so a deploy that changes an asset installs a new worker."""
    script = offline.SERVICE_WORKER.read_text(encoding="utf-8")
    script = script.replace("__CACHE_VERSION__", offline.cache_version())
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline/manifest.json")
def offline_manifest():
    """What this tablet fetches ahead of time for its visitor (`core.offline.manifest`), and a
    fresh CSRF token for the queued posts it sends when the connection is back."""
    response = jsonify({**offline.manifest(), "csrf": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response
