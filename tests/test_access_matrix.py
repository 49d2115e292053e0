"""Every route × every kind of visitor → the expected answer.

The routes come from `app.url_map`: a new route without an entry in ACCESS fails this test, so
that whoever adds a page decides (and writes down) who may use it.

Visitors: an anonymous visitor, a participant holding a receipt (anonymous, the receipt in their
session), a judge of the event in the URL, a judge of another event, an organiser.
What each access rule means for each visitor is in EXPECTED; "in" means the visitor got past the
door: any answer but a refusal (403), a sign-in redirect, a 404 on a GET, or a server error (a
POST with an empty body may be refused as invalid: 400, 409, 422).
"""

import pytest
from flask import g, url_for

from bank.models import BankProject
from competitions.defaults import build_default_rubric
from competitions.models import Rubric
from extensions import db
from jobs.models import ExportJob
from judging.models import Certificate, ScoreSheet
from tests.builders import (
    add_jury,
    add_result,
    make_competition,
    make_event,
    make_idea,
    make_user,
)

ROLES = ("anonymous", "participant", "judge_here", "judge_other", "organiser")
LOGIN = "login"  # a redirect to the sign-in page, to come back here afterwards
SIGNED_OUT = "signed_out"  # a redirect to the sign-in page, the visit being over
IN = "in"

EXPECTED = {
    # anyone, with or without an account
    "public": dict.fromkeys(ROLES, IN),
    # organisers only
    "organiser": {
        "anonymous": LOGIN,
        "participant": LOGIN,
        "judge_here": 403,
        "judge_other": 403,
        "organiser": IN,
    },
    # any signed-in jury member or organiser
    "jury": {
        "anonymous": LOGIN,
        "participant": LOGIN,
        "judge_here": IN,
        "judge_other": IN,
        "organiser": IN,
    },
    # a judge's own score sheet: someone else's sheet does not exist for them
    "own_sheet": {
        "anonymous": LOGIN,
        "participant": LOGIN,
        "judge_here": IN,
        "judge_other": 404,
        "organiser": 404,
    },
    # the event's ranking, minutes and deliberation: its jury (from deliberation on) and organisers
    "event_jury": {
        "anonymous": LOGIN,
        "participant": LOGIN,
        "judge_here": IN,
        "judge_other": 403,
        "organiser": IN,
    },
    # the receipt page shows the idea only to the browser that sent it; others go to the look-up
    "receipt_holder": {
        "anonymous": "lookup",
        "participant": 200,
        "judge_here": "lookup",
        "judge_other": "lookup",
        "organiser": "lookup",
    },
    # a kiosk tablet's form: only once an organiser turned the tablet into a kiosk
    "kiosk": {
        "anonymous": 403,
        "participant": 403,
        "judge_here": 403,
        "judge_other": 403,
        "organiser": 200,
    },
    # the ranking API of an event not yet published: organisers only
    "unpublished_ranking": {
        "anonymous": 403,
        "participant": 403,
        "judge_here": 403,
        "judge_other": 403,
        "organiser": 200,
    },
    # a one-time sign-in link that is not valid: the same refusal for everyone
    "bad_link": dict.fromkeys(ROLES, 410),
    # leaving a kiosk: back to the sign-in page, whoever asks
    "to_sign_in": dict.fromkeys(ROLES, SIGNED_OUT),
    # signing out: the signed-in are sent to the sign-in page, the others asked to sign in
    "sign_out": {
        "anonymous": LOGIN,
        "participant": LOGIN,
        "judge_here": SIGNED_OUT,
        "judge_other": SIGNED_OUT,
        "organiser": SIGNED_OUT,
    },
}

# endpoint → access rule (for every method of the route), or {method: rule}.
ACCESS = {
    "static": "public",
    "core.vendor": "public",
    "core.healthz": "public",
    "accounts.login": "public",
    "accounts.login_link": "bad_link",
    "accounts.logout": "sign_out",
    "accounts.set_language": "public",
    "competitions.home": "public",
    "competitions.dashboard": "organiser",
    "competitions.competition_new": "organiser",
    "competitions.competition_edit": "organiser",
    "competitions.event_new": "organiser",
    "competitions.event_edit": "organiser",
    "competitions.event_page": "organiser",
    "competitions.event_state": "organiser",
    "competitions.jury_add": "organiser",
    "competitions.jury_remove": "organiser",
    "competitions.jury_role": "organiser",
    "competitions.event_state_confirm": "organiser",
    "competitions.jury_cards_page": "organiser",
    "competitions.rubric": "organiser",
    "competitions.criterion_new": "organiser",
    "competitions.criterion_edit": "organiser",
    "competitions.criterion_delete": "organiser",
    "competitions.rubric_new_version": "organiser",
    "competitions.rubric_copy_to_event": "organiser",
    "submissions.submit": "public",
    "submissions.kiosk": "kiosk",
    "submissions.kiosk_start": "organiser",
    "submissions.kiosk_stop": "to_sign_in",
    "submissions.assist": "organiser",
    "submissions.receipt": "receipt_holder",
    "submissions.receipt_lookup": "public",
    "submissions.qr_svg": "public",
    "submissions.poster": "public",
    "submissions.triage": "organiser",
    "submissions.import_sheet": "organiser",
    "submissions.ideas_template": "organiser",
    "submissions.idea_detail": "organiser",
    "submissions.idea_action": "organiser",
    "submissions.attachment": "organiser",
    "submissions.privacy.notice": "public",
    "submissions.privacy.my_data": "public",
    "submissions.privacy.delete_request": "public",
    "submissions.privacy.requests": "organiser",
    "submissions.privacy.decide": "organiser",
    "judging.my_events": "jury",
    "judging.sheet": "own_sheet",
    "judging.save_score": "own_sheet",
    "judging.submit": "own_sheet",
    "judging.conflict": "own_sheet",
    "judging.progress": "organiser",
    "judging.assign": "organiser",
    "judging.calibration_page": "organiser",
    "judging.calibration_confirm": "organiser",
    "judging.calibration_set": "organiser",
    "judging.record_conflict": "organiser",
    "judging.final_entrants": "organiser",
    "judging.carry_winners": "organiser",
    "judging.remind": "organiser",
    "judging.reopen": "organiser",
    "judging.deliberation": "event_jury",
    "judging.winners": "organiser",
    "judging.notes": "organiser",
    "judging.method": "organiser",
    "judging.validate_confirm": "event_jury",
    "judging.validate": "event_jury",
    "judging.minutes": "event_jury",
    "judging.reopen_deliberation": "organiser",
    "judging.start_amendment": "organiser",
    "judging.publish_amendment": "organiser",
    "judging.publish_amendment_confirm": "organiser",
    "judging.audit": "organiser",
    "judging.score_sheet": "organiser",
    "judging.import_scores": "organiser",
    "judging.results": "public",
    "judging.certificate": "public",
    "judging.certificate_pdf": "public",
    "judging.api_ranking": "unpublished_ranking",
    "jobs.outbox": "organiser",
    "jobs.outbox_send": "organiser",
    "accounts.locked_accounts": "organiser",
    "accounts.unlock_account": "organiser",
    "jobs.export_status": "organiser",
    "jobs.export_status_json": "organiser",
    "jobs.export_retry": "organiser",
    "jobs.export_download": "organiser",
    "reporting.index": "organiser",
    "reporting.event_workbook": "organiser",
    "reporting.tour_workbook": "organiser",
    "bank.browse": "public",
    "bank.public_detail": "public",
    "bank.map_page": "public",
    "bank.api_projects": "public",
    "bank.api_project": "public",
    "bank.manage": "organiser",
    "bank.project": "organiser",
    "bank.edit": "organiser",
    "bank.export": "organiser",
    "bank.promote_page": "organiser",
    "bank.promote": "organiser",
}
# Routes about a published event (results, promotion) use the published one.
ON_PUBLISHED_EVENT = {"judging.results", "bank.promote"}
# Routes of the national final use the final.
ON_FINAL_EVENT = {"judging.final_entrants", "judging.carry_winners"}
# Routes of the participants' forms use the open event.
OPEN_EVENT_ROUTES = {
    "submissions.receipt",
    "submissions.submit",
    "submissions.kiosk",
    "submissions.assist",
}
# Routes where an organiser's GET may find nothing to serve yet (no file): still past the door.
NOTHING_TO_SERVE = {"jobs.export_download", "submissions.attachment"}


@pytest.fixture
def world(app):
    """Two events with their own judge: A in deliberation (sheets, ideas), P published; an open
    event O where the participant's idea was sent; spare rows for the routes that delete."""
    organiser = make_user("organiser")
    judge_a, judge_p, spare_judge = make_user("jury"), make_user("jury"), make_user("jury")
    competition = make_competition()
    event_a = make_event(competition, state="deliberation")
    event_p = make_event(competition, state="published")
    event_o = make_event(competition, state="open")
    event_f = make_event(competition, state="draft", is_final=True, city="Rabat")
    add_jury(event_a, judge_a, is_president=True)
    add_jury(event_a, spare_judge)
    add_jury(event_p, judge_p)
    add_result(event_p, make_idea(event_p), 1, True)  # its results in force
    idea_a = make_idea(event_a)
    idea_o = make_idea(event_o)
    sheet = ScoreSheet(event_id=event_a.id, idea_id=idea_a.id, judge_id=judge_a.id)
    spare_rubric = Rubric(name="Spare", criteria=build_default_rubric().criteria)
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region="L'Oriental", province="Oujda-Angad"
    )
    export = ExportJob(kind="rankings", requested_by_id=organiser.id, status="failed")
    winner = make_idea(event_p)  # the published results name it a winner, with its certificate
    add_result(event_p, winner, 1, True)
    certificate = Certificate(
        code="AAAA-BBBB-CCCC-DDDD", event_id=event_p.id, idea_id=winner.id, kind="winner"
    )
    db.session.add_all([sheet, spare_rubric, project, export, certificate])
    db.session.commit()
    return {
        "users": {
            "judge_here": judge_a,
            "judge_other": judge_p,
            "organiser": organiser,
        },
        "judge_here_of_published": judge_p,
        "judge_other_of_published": judge_a,
        "event_a": event_a,
        "event_p": event_p,
        "event_o": event_o,
        "event_f": event_f,
        "competition": competition,
        "criterion_to_delete": spare_rubric.criteria[-2].id,
        "receipt": idea_o.receipt_code,
        "args": {
            "slug": event_a.slug,
            "idea_id": idea_a.id,
            "sheet_id": sheet.id,
            "user_id": spare_judge.id,
            "rubric_id": spare_rubric.id,
            "criterion_id": spare_rubric.criteria[-1].id,
            "project_id": project.id,
            "export_id": export.id,
            "token": "not-a-valid-link",
            "action": "eligibility",
            "code": idea_o.receipt_code,
            "lang": "fr",
            "new_state": "published",
            "request_id": 1,
            "decision": "refuse",
        },
    }


def _path_args(rule, endpoint, world):
    args = dict(world["args"])
    if endpoint in ON_PUBLISHED_EVENT:
        args["slug"] = world["event_p"].slug
    if endpoint in OPEN_EVENT_ROUTES:
        args["slug"] = world["event_o"].slug
    if endpoint in ON_FINAL_EVENT:
        args["slug"] = world["event_f"].slug
    if endpoint in ("competitions.competition_edit", "competitions.event_new"):
        args["slug"] = world["competition"].slug
    if endpoint in ("judging.certificate", "judging.certificate_pdf"):
        args["code"] = "AAAA-BBBB-CCCC-DDDD"
    if endpoint == "competitions.criterion_delete":
        args["criterion_id"] = world["criterion_to_delete"]
    if endpoint == "static":
        args["filename"] = "css/app.css"
    if endpoint == "core.vendor":
        args["filename"] = "bootstrap/dist/css/bootstrap.min.css"
    missing = rule.arguments - set(args)
    assert not missing, f"{rule.rule}: give test values for {sorted(missing)} in world()['args']"
    return {name: args[name] for name in rule.arguments}


def _client(app, role, endpoint, world):
    client = app.test_client()
    users = dict(world["users"])
    if endpoint in ON_PUBLISHED_EVENT:
        users["judge_here"] = world["judge_here_of_published"]
        users["judge_other"] = world["judge_other_of_published"]
    with client.session_transaction() as session:
        if role in users:
            session["_user_id"] = users[role].get_id()
            session["_fresh"] = True
        if role == "participant":
            session["receipts"] = [world["receipt"]]
    return client


def _verdict(expected, response, method, endpoint):
    status = response.status_code
    location = response.headers.get("Location", "")
    if status >= 500:
        return False
    if expected == LOGIN:
        return status in (302, 303) and "/login?next=" in location
    if expected == SIGNED_OUT:
        return status in (302, 303) and location.endswith("/login")
    if expected == "lookup":
        return status in (302, 303) and "/receipt" in location
    if expected == IN:
        if status in (401, 403) or (status in (301, 302, 303) and "/login" in location):
            return False
        if status == 404:
            return method == "POST" or endpoint in NOTHING_TO_SERVE
        if status == 409 and endpoint in NOTHING_TO_SERVE:
            return True
        return status < 400 or (method == "POST" and status in (400, 409, 410, 422))
    return status == expected


def _rules(app):
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        yield rule, methods


def test_every_route_is_classified(app):
    unclassified = sorted({rule.endpoint for rule, _m in _rules(app)} - set(ACCESS))
    assert not unclassified, (
        f"routes without an access rule in tests/test_access_matrix.py: {unclassified}"
    )


def test_every_route_answers_each_visitor_as_its_access_rule_says(app, world):
    failures = []
    for rule, methods in sorted(_rules(app), key=lambda item: item[0].rule):
        if rule.endpoint not in ACCESS:
            continue  # reported by test_every_route_is_classified
        access = ACCESS[rule.endpoint]
        path_args = _path_args(rule, rule.endpoint, world)
        with app.test_request_context():
            path = url_for(rule.endpoint, **path_args)
        for method in methods:
            rule_name = access[method] if isinstance(access, dict) else access
            for role in ROLES:
                expected = EXPECTED[rule_name][role]
                client = _client(app, role, rule.endpoint, world)
                g.pop("_login_user", None)  # the test's app context (and g) outlives a request
                response = client.open(path, method=method, data={})
                if not _verdict(expected, response, method, rule.endpoint):
                    failures.append(
                        f"{method:4} {path:55} {role:12} expected {expected!s:7} got "
                        f"{response.status_code} {response.headers.get('Location', '')}"
                    )
                response.close()
                db.session.rollback()
    assert not failures, "\n" + "\n".join(failures)
