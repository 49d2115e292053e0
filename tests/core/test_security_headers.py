"""Every route answers with the security headers (finding 11 of issue 15): a CSP without inline
script, no framing, no type sniffing, the referrer kept on this site."""

import pytest
from werkzeug.routing import IntegerConverter

from tests.builders import make_event, make_idea, make_user

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _url(rule, slug: str, number: int) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = number if isinstance(converter, IntegerConverter) else slug
    if rule.endpoint == "static":
        values["filename"] = "js/app.js"
    if rule.endpoint == "core.vendor":
        values["filename"] = "bootstrap/dist/css/bootstrap.min.css"
    return rule.build(values, append_unknown=False)[1]


def _assert_headers(response, where):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name)
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives.get("script-src") == "'self'", where
    assert directives.get("frame-ancestors") == "'none'", where
    assert "unsafe-inline" not in directives.get("default-src", ""), where


@pytest.mark.parametrize("visitor", ["anonymous", "organiser"])
def test_every_route_answers_with_the_security_headers(app, client, login, visitor):
    event = make_event()
    idea = make_idea(event)
    if visitor == "organiser":
        login(make_user("organiser"))
    seen = 0
    for rule in app.url_map.iter_rules():
        url = _url(rule, event.slug, idea.id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            _assert_headers(response, (method, rule.rule, response.status_code))
            response.close()
            seen += 1
    assert seen > 50


def test_error_pages_carry_the_headers_too(client):
    _assert_headers(client.get("/no/such/page"), "404")


def test_no_template_holds_inline_script_or_handlers():
    """What the policy would block in the browser: inline <script> bodies and on*= handlers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "email" not in path.parts
        and (inline_script.search(path.read_text()) or handler.search(path.read_text()))
    ]
    assert offenders == []
