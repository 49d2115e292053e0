"""The offline hall (issue 19): what the service worker may keep on a tablet, and for whom.

A page is kept only when its view says so (`available_offline`): its GET answer then carries
the header `Ideathon-Offline: <scope>`, the signed-in visitor's opaque scope, and the service
worker stores it in that scope's cache; pages of another scope are deleted as soon as a page of
a new scope is shown (signing out, another judge on the tablet, a kiosk started). Which pages
to fetch ahead of time comes from the packages above (`add_offline_pages`), read by
`manifest()`. The cache version follows the release and every served asset, so a deploy
replaces the cached copy (`cache_version`)."""

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path

from flask import current_app, request, session, url_for
from flask_login import current_user

OFFLINE_HEADER = "Ideathon-Offline"
PUBLIC_SCOPE = "anyone"  # visitors without an account or a kiosk share their pages
_page_providers: list[Callable[[], list[str]]] = []
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# What every page loads from the vendor folders (base.html); the font's Arabic and Latin files.
VENDOR_FILES = (
    "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.rtl.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js",
    "@fontsource/noto-sans-arabic/400.css",
    "@fontsource/noto-sans-arabic/700.css",
)
FONT_FILES = "@fontsource/noto-sans-arabic/files/noto-sans-arabic-*-[47]00-normal.woff2"


def add_offline_pages(provider: Callable[[], list[str]]) -> None:
    """A package names the pages (URLs) the signed-in visitor needs offline: `provider()` is
    called during a request and reads `current_user` or the session itself."""
    if provider not in _page_providers:
        _page_providers.append(provider)


def available_offline(view):
    """Mark a view whose GET page a tablet keeps for offline use (the visitor's own pages)."""
    view.available_offline = True
    return view


def kept_here() -> bool:
    """Whether the page being shown is one a device keeps (its view is `available_offline`)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "available_offline", False)


def scope() -> str:
    """Whose pages a tablet holds: an opaque key per account or kiosk, `anyone` otherwise."""
    if current_user.is_authenticated:
        who = f"user:{current_user.id}"
    elif session.get("kiosk_event"):
        who = f"kiosk:{session['kiosk_event']}"
    else:
        return PUBLIC_SCOPE
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, who.encode(), hashlib.sha256).hexdigest()[:20]


def _asset_files() -> list[tuple[str, Path]]:
    static = Path(current_app.static_folder)
    files = [
        (url_for("static", filename=path.relative_to(static).as_posix()), path)
        for path in sorted(static.rglob("*"))
        if path.is_file() and path.suffix in {".css", ".js", ".svg", ".woff2"}
    ]
    vendor = [
        *VENDOR_FILES,
        *(p.relative_to(NODE_MODULES).as_posix() for p in sorted(NODE_MODULES.glob(FONT_FILES))),
    ]
    files += [(url_for("core.vendor", filename=name), NODE_MODULES / name) for name in vendor]
    return files


def cache_version() -> str:
    """The release (setting RELEASE) and a digest of every asset and of the service worker:
    a new deploy gives new caches, and the old ones are deleted when it takes over."""
    cached = current_app.extensions.get("core.offline_version")
    if cached and not current_app.debug:
        return cached
    digest = hashlib.sha256(str(current_app.config.get("RELEASE") or "").encode())
    for url, path in [*_asset_files(), ("sw", SERVICE_WORKER)]:
        digest.update(url.encode())
        if path.exists():
            digest.update(path.read_bytes())
    for provider in _version_parts:
        digest.update(provider().encode())
    version = current_app.extensions["core.offline_version"] = digest.hexdigest()[:16]
    return version


_version_parts: list[Callable[[], str]] = []
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"


def add_version_part(part: Callable[[], str]) -> None:
    """A package's own version (the idea form's) joins the cache version."""
    if part not in _version_parts:
        _version_parts.append(part)


def manifest() -> dict:
    """What the service worker fetches ahead of time for this visitor: the assets and the
    visitor's own pages (each package's `add_offline_pages` provider)."""
    pages = [url for provider in _page_providers for url in provider()]
    return {
        "version": cache_version(),
        "scope": scope(),
        "assets": [url for url, _path in _asset_files()],
        "pages": list(dict.fromkeys(pages)),
    }


def after_request(response):
    """A page of a view marked `available_offline`, answered 200 to a GET, says so (with its
    scope) to the service worker."""
    if request.method == "GET" and response.status_code == 200 and kept_here():
        response.headers[OFFLINE_HEADER] = scope()
    return response
