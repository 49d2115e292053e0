"""No value a visitor can send makes a 500 (finding 9 of issue 15), on SQLite and PostgreSQL.

Every route of `app.url_map`, every method, is asked with ids beyond PostgreSQL's integer range
(2^31, 2^63), a NUL byte in each path text, NUL bytes and huge numbers in every query filter and
in every field of every form the pages render, and a lone surrogate in the jury's JSON comment.
"""

import re

import pytest
from flask import g
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from bank.models import BankProject
from competitions.services import transition
from competitions.states import EventState
from extensions import db
from jobs.models import ExportJob
from judging.models import ScoreSheet
from tests.builders import add_jury, make_event, make_idea, make_user

HUGE = (2**31, 2**63, 10**30)
NUL = "a\x00b"
FILTERS = (
    "q", "sector", "region", "province", "status", "eligibility", "code", "format", "version",
    "page", "sheet_lang", "language", "lang", "next", "sort",
)  # fmt: skip
FIELD = re.compile(r'name="([A-Za-z_][\w-]*)"')


@pytest.fixture
def site(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a failure is a 500 answer, and the walk goes on
    organiser, judge = make_user("organiser"), make_user("jury")
    event = make_event(state=EventState.DRAFT, min_judges=1)
    add_jury(event, judge, is_president=True)
    transition(event, EventState.OPEN, organiser)
    idea = make_idea(event)
    db.session.commit()
    transition(event, EventState.JUDGING, organiser)
    db.session.commit()
    sheet = db.session.scalars(select(ScoreSheet).where(ScoreSheet.event_id == event.id)).first()
    project = BankProject(
        title="Séchoir", sector="agrifood", region_code="02", province_code="02.411"
    )
    export = ExportJob(kind="rankings", requested_by_id=organiser.id, status="failed")
    db.session.add_all([project, export])
    db.session.commit()
    ids = {
        "idea_id": idea.id,
        "sheet_id": sheet.id,
        "rubric_id": event.rubric.id,
        "criterion_id": event.rubric.criteria[0].id,
        "project_id": project.id,
        "export_id": export.id,
        "user_id": judge.id,
    }
    texts = {
        "slug": event.slug,
        "code": idea.receipt_code,
        "new_state": "deliberation",
        "action": "x",
        "token": "x",
        "filename": "x",
        "lang": "fr",
    }
    return {"organiser": organiser, "judge": judge, "ids": ids, "texts": texts}


def _client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def _ask(app, user, method, url, **kwargs):
    g.pop("_login_user", None)  # the test's app context outlives a request
    response = _client(app, user).open(url, method=method, **kwargs)
    status = response.status_code
    response.close()
    db.session.rollback()
    return status


def _url(rule, ids, texts, *, number=None, text=None):
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = ids.get(name, 1) if number is None else number
        else:
            values[name] = texts.get(name, "x") if text is None else text
    return rule.build(values, append_unknown=False)[1]


def _methods(rule):
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_ids_beyond_the_integer_range_and_nul_in_paths_are_no_server_error(app, site):
    failures = []
    for rule in _rules(app):
        variants = [dict(number=n) for n in HUGE if rule.arguments & site["ids"].keys()]
        if rule.arguments & site["texts"].keys():
            variants.append(dict(text=NUL))
        for variant in variants:
            url = _url(rule, site["ids"], site["texts"], **variant)
            for method in _methods(rule):
                for user in (site["organiser"], site["judge"]):
                    if _ask(app, user, method, url) >= 500:
                        failures.append(f"{method} {url}")
    assert not failures, "\n".join(failures)


def test_nul_bytes_and_huge_numbers_in_filters_and_forms_are_no_server_error(app, site):
    pages, names = [], set()
    for rule in _rules(app):
        url = _url(rule, site["ids"], site["texts"])
        pages.append((rule, url))
        if "GET" in rule.methods:
            for user in (site["organiser"], site["judge"]):
                g.pop("_login_user", None)
                response = _client(app, user).get(url)
                if response.mimetype == "text/html":
                    names.update(FIELD.findall(response.get_data(as_text=True)))
                response.close()
                db.session.rollback()
    names -= {"csrf_token"}
    assert {"title", "q", "email"} <= names  # the forms were read
    failures = []
    for value in (NUL, str(2**63)):
        query = {name: value for name in FILTERS}
        form = {name: value for name in names}
        for rule, url in pages:
            for method in _methods(rule):
                for user in (site["organiser"], site["judge"]):
                    options = {"query_string": query} if method == "GET" else {"data": form}
                    if _ask(app, user, method, url, **options) >= 500:
                        failures.append(f"{method} {url} {value!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "body",
    [
        '{"comment": "\\ud800 lone surrogate"}',
        '{"comment": "a\\u0000b"}',
        '{"criterion": 9223372036854775808, "value": 3}',
        '{"criterion": 1, "value": 1e400}',
    ],
)
def test_the_jury_json_refuses_what_it_cannot_store(app, site, body):
    url = f"/jury/sheets/{site['ids']['sheet_id']}/score"
    status = _ask(app, site["judge"], "POST", url, data=body, content_type="application/json")
    assert 400 <= status < 500 or status == 200
