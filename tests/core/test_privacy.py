"""Pages with personal data are never stored by the browser, and every file handed out is
audited: both asked of every GET route of `app.url_map`, as every kind of visitor, on the tour
of `tests/test_get_never_writes.py` (one event in each state)."""

from flask import g, url_for
from sqlalchemy import select

from audit.models import AuditEntry
from core.privacy import DOWNLOADED_FILES
from extensions import db
from tests.test_get_never_writes import (  # noqa: F401 - `tour` is a fixture
    QUERIES,
    VISITORS,
    _argument_sets,
    _client,
    _get_rules,
    tour,
)

SHARED = ("static", "core.vendor")
PUBLIC_PERSONAL = {
    "submissions.submit",
    "submissions.kiosk",
    "submissions.receipt",
    "submissions.receipt_lookup",
}
ADDRESS = "203.0.113.7"


def _walk(app, tour):  # noqa: F811 - the fixture's value
    """(endpoint, path, visitor, response) for one set of real arguments per event and route,
    with the query strings that make a page do more (`?format=csv`)."""
    paths = {}
    for rule in _get_rules(app):
        for args in _argument_sets(rule, tour):
            with app.test_request_context():
                path = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
            for query in QUERIES.get(rule.endpoint, ("",)):
                paths.setdefault(path + query, (rule.endpoint, args.get("slug")))
    for path, (endpoint, slug) in paths.items():
        for visitor in VISITORS:
            client = _client(app, visitor, tour, slug)
            # Read outside a request (the visitor's id), the test's session took SQLite's write
            # lock: a request's session never holds it on a GET.
            db.session.rollback()
            g.pop("_login_user", None)  # the test's app context outlives a request
            response = client.get(path, environ_base={"REMOTE_ADDR": ADDRESS})
            response.close()
            db.session.rollback()
            yield endpoint, path, visitor, response


def test_no_page_with_personal_data_is_stored_by_the_browser(app, tour):  # noqa: F811
    """Signed in, at a kiosk, holding receipts: every page says `no-store`; anonymous: the
    forms, receipts and look-up do; the site's own files stay cacheable."""
    stored, shared_uncached, checked = [], [], 0
    for endpoint, path, visitor, response in _walk(app, tour):
        cache = response.headers.get("Cache-Control", "")
        if endpoint in SHARED:
            if "no-store" in cache:
                shared_uncached.append(path)
            continue
        if visitor != "anonymous" or endpoint in PUBLIC_PERSONAL:
            checked += 1
            if "no-store" not in cache:
                stored.append(f"{visitor} {path} {response.status_code}")
    assert checked > 200
    assert not stored, stored
    assert not shared_uncached


def test_every_file_handed_out_is_audited_with_who_and_where(app, tour):  # noqa: F811
    """Every GET that answers an attachment (exports, paper sheets, the audit CSV) leaves an
    entry naming the visitor, the address and the file."""
    downloads, missing = set(), []
    for endpoint, path, visitor, response in _walk(app, tour):
        disposition = response.headers.get("Content-Disposition", "")
        if response.status_code != 200 or not disposition.startswith("attachment"):
            continue
        downloads.add(endpoint)
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        who = tour[visitor].id if visitor in ("organiser", "judge") else None
        if not (
            entry
            and entry.action == DOWNLOADED_FILES.get(endpoint, (None, None, "export"))[2]
            and entry.user_id == who
            and entry.address == ADDRESS
            and path.partition("?")[0] in entry.note
            and entry.source == endpoint
        ):
            missing.append(f"{visitor} {path}")
    assert {"bank.export", "reporting.event_workbook", "judging.audit"} <= downloads
    assert not missing, missing
