"""Every route × every kind of visitor → the expected answer.

The routes come from `app.url_map`: a new route without an entry in ACCESS fails this test, so
that whoever adds a page decides (and writes down) who may use it.

Visitors: an anonymous visitor, a participant holding a receipt (anonymous, the receipt in their
session), a judge of the event in the URL, a judge of another event, an organiser, a coordinator
of the event's region and one of another region, a facilitator given the event and one given
another event only, a viewer.
What each access rule means for each visitor is in EXPECTED; "in" means the visitor got past the
door: any answer but a refusal (403), a sign-in redirect, a 404 on a GET, or a server error (a
POST with an empty body may be refused as invalid: 400, 409, 422).
"""

from datetime import date

import pytest
from flask import g, url_for

from bank.models import (
    BankProject,
    FinancingApplication,
    FinancingProgramme,
    Milestone,
    MilestoneDocument,
    Partner,
)
from competitions.defaults import build_default_rubric
from competitions.models import Rubric
from competitions.states import EventState
from extensions import db
from jobs.models import ExportJob
from judging.models import Certificate, ScoreSheet
from registration.models import RegistrationSetting
from submissions.models import Question
from tests.builders import (
    add_jury,
    add_result,
    make_competition,
    make_event,
    make_idea,
    make_user,
)

ROLES = (
    "anonymous",
    "participant",
    "judge_here",
    "judge_other",
    "organiser",
    "coordinator_here",  # a coordinator of the region of the event in the URL
    "coordinator_other",  # a coordinator of another region
    "facilitator_here",  # a facilitator given the event in the URL
    "facilitator_other",  # a facilitator given another event only
    "viewer",
)
STAFF = ("coordinator_here", "coordinator_other", "facilitator_here", "facilitator_other", "viewer")
LOGIN = "login"  # a redirect to the sign-in page, to come back here afterwards
SIGNED_OUT = "signed_out"  # a redirect to the sign-in page, the visit being over
IN = "in"
SIGNED_IN_OUT = {"anonymous": LOGIN, "participant": LOGIN}


def _rule(**answers):
    """A row of EXPECTED: the visitors without an account are asked to sign in; every other
    visitor not named is refused (403)."""
    return {**dict.fromkeys(ROLES, 403), **SIGNED_IN_OUT, **answers}


EXPECTED = {
    # anyone, with or without an account
    "public": dict.fromkeys(ROLES, IN),
    # the tour itself (competitions, rubrics, bank, outbox, accounts): organisers only
    "organiser": _rule(organiser=IN),
    # an event's organiser pages and actions: organisers, the coordinator of its region
    "manage": _rule(organiser=IN, coordinator_here=IN),
    # pages of no event that coordinators use too (the import template, the exports page)
    "coordinators": _rule(organiser=IN, coordinator_here=IN, coordinator_other=IN),
    # an event's pages read only: those who manage it, and viewers
    "view": _rule(organiser=IN, coordinator_here=IN, viewer=IN),
    # an event's assisted entry and kiosk: those who manage it, and its facilitators
    "assist": _rule(organiser=IN, coordinator_here=IN, facilitator_here=IN),
    # the tour dashboard: every account of the organising side (it lists what each may reach)
    "staff": _rule(**dict.fromkeys(("organiser", *STAFF), IN)),
    # any signed-in jury member, organiser or coordinator
    "jury": _rule(
        judge_here=IN, judge_other=IN, organiser=IN, coordinator_here=IN, coordinator_other=IN
    ),  # fmt: skip
    # a judge's own score sheet: someone else's sheet does not exist for them
    "own_sheet": _rule(
        judge_here=IN, judge_other=404, organiser=404, coordinator_here=404, coordinator_other=404
    ),  # fmt: skip
    # the event's ranking, minutes and deliberation: its jury (from deliberation on) and those
    # who manage the event
    "event_jury": _rule(judge_here=IN, organiser=IN, coordinator_here=IN),
    # the receipt page shows the idea only to the browser that sent it; others go to the look-up
    "receipt_holder": {**dict.fromkeys(ROLES, "lookup"), "participant": 200},
    # a kiosk tablet's form: only once someone who may run the kiosk turned the tablet into one
    "kiosk": {
        **dict.fromkeys(ROLES, 403),
        **dict.fromkeys(("organiser", "coordinator_here", "facilitator_here"), 200),
    },  # fmt: skip
    # the ranking API of an event not yet published: those who may read the event
    "unpublished_ranking": {
        **dict.fromkeys(ROLES, 403),
        **dict.fromkeys(("organiser", "coordinator_here", "viewer"), 200),
    },  # fmt: skip
    # a bank project's milestone documents: organisers and the project's adviser (here the
    # facilitator of the event in the URL)
    "adviser": _rule(organiser=IN, facilitator_here=IN),
    # a one-time sign-in link that is not valid: the same refusal for everyone
    "bad_link": dict.fromkeys(ROLES, 410),
    # an address holding a secret code that matches nothing (a ticket): not found for everyone
    "unknown_secret": dict.fromkeys(ROLES, 404),
    # signing out: the signed-in are sent to the sign-in page, the others asked to sign in
    "sign_out": {**dict.fromkeys(ROLES, SIGNED_OUT), **SIGNED_IN_OUT},
}

# endpoint → access rule (for every method of the route), or {method: rule}.
ACCESS = {
    "static": "public",
    "core.vendor": "public",
    "core.healthz": "public",
    "core.favicon": "public",
    "core.service_worker": "public",
    "core.offline_manifest": "public",
    "accounts.login": "public",
    "accounts.login_link": "bad_link",
    "accounts.logout": "sign_out",
    "accounts.set_language": "public",
    "accounts.users": "organiser",
    "accounts.invite": "organiser",
    "accounts.user_access": "organiser",
    "accounts.user_active": "organiser",
    "accounts.invite_again": "organiser",
    "accounts.invitation": "bad_link",
    "competitions.home": "public",
    "competitions.dashboard": "staff",
    "competitions.competition_new": "organiser",
    "competitions.competition_edit": "organiser",
    "competitions.event_new": "organiser",
    "competitions.event_edit": "manage",
    "competitions.event_page": "view",
    "competitions.event_state": "manage",
    "competitions.jury_add": "manage",
    "competitions.jury_remove": "manage",
    "competitions.jury_role": "manage",
    "competitions.event_state_confirm": "manage",
    "competitions.jury_cards_page": "manage",
    "competitions.rubric": "organiser",
    "competitions.rubric_name": "organiser",
    "competitions.criterion_new": "organiser",
    "competitions.criterion_edit": "organiser",
    "competitions.criterion_delete": "organiser",
    "competitions.rubric_new_version": "organiser",
    "competitions.rubric_copy_to_event": "manage",
    "submissions.submit": "public",
    "submissions.kiosk": "kiosk",
    "submissions.kiosk_start": "assist",
    "submissions.kiosk_stop": "public",  # leaving a kiosk: an organiser's own sign-in
    "submissions.assist": "assist",
    "submissions.receipt": "receipt_holder",
    "submissions.receipt_lookup": "public",
    "submissions.qr_svg": "public",
    "submissions.poster": "public",
    "submissions.triage": "manage",
    "submissions.import_sheet": "manage",
    "submissions.ideas_template": "coordinators",
    "submissions.idea_detail": "manage",
    "submissions.idea_action": "manage",
    "submissions.attachment": "manage",
    "submissions.answer_file": "manage",
    "submissions.privacy.notice": "public",
    "submissions.privacy.my_data": "public",
    "submissions.privacy.delete_request": "public",
    "submissions.privacy.requests": "organiser",
    "submissions.privacy.decide": "organiser",
    "judging.my_events": "jury",
    "judging.sheet": "own_sheet",
    "judging.idea_file": "own_sheet",
    "submissions.questions.builder": "manage",
    "submissions.questions.edit": "manage",
    "submissions.questions.move": "manage",
    "submissions.questions.remove": "manage",
    "submissions.questions.jury_view": "manage",
    "judging.save_score": "own_sheet",
    "judging.submit": "own_sheet",
    "judging.tablet_report": "jury",
    "judging.conflict": "own_sheet",
    "judging.progress": "view",
    "judging.assign": "manage",
    "judging.calibration_page": "manage",
    "judging.calibration_confirm": "manage",
    "judging.calibration_set": "manage",
    "judging.record_conflict": "manage",
    "judging.final_entrants": "manage",
    "judging.carry_winners": "manage",
    "judging.remind": "manage",
    "judging.reopen": "manage",
    "judging.deliberation": "event_jury",
    "judging.winners": "manage",
    "judging.notes": "manage",
    "judging.method": "manage",
    "judging.validate_confirm": "event_jury",
    "judging.validate": "event_jury",
    "judging.minutes": "event_jury",
    "judging.reopen_deliberation": "manage",
    "judging.start_amendment": "manage",
    "judging.publish_amendment": "manage",
    "judging.publish_amendment_confirm": "manage",
    "judging.audit": "manage",
    "judging.score_sheet": "manage",
    "judging.import_scores": "manage",
    "judging.results": "public",
    "judging.gallery": "public",
    "judging.event_gallery": "public",
    "judging.certificate": "public",
    "judging.certificate_pdf": "public",
    "judging.api_ranking": "unpublished_ranking",
    "judging.now_pitching": "event_jury",
    "stage.rounds_page": "manage",
    "stage.save_round": "manage",
    "stage.remove_round": "manage",
    "stage.start_confirm": "manage",
    "stage.start": "manage",
    "stage.running_order": "manage",
    "stage.draw_lots": "manage",
    "stage.control": "manage",
    "stage.act": "manage",
    "stage.screen": "public",
    "stage.prizes_page": "manage",
    "stage.add_prize": "manage",
    "stage.remove_prize": "manage",
    "stage.screen_state": "public",
    "stage.triage": "manage",
    "stage.triage_sheet": "manage",
    "stage.save_triage": "manage",
    "jobs.outbox": "organiser",
    "jobs.outbox_send": "organiser",
    "accounts.locked_accounts": "organiser",
    "accounts.unlock_account": "organiser",
    "jobs.export_status": "organiser",
    "jobs.export_status_json": "organiser",
    "jobs.export_retry": "organiser",
    "jobs.export_download": "organiser",
    "reporting.index": "coordinators",
    "reporting.event_workbook": "manage",
    "reporting.tour_workbook": "organiser",
    "bank.browse": "public",
    "bank.public_detail": "public",
    "bank.map_page": "public",
    "bank.region_page": "public",
    "bank.api_projects": "public",
    "bank.api_project": "public",
    "bank.manage": "organiser",
    "bank.project": "organiser",
    "bank.edit": "organiser",
    "bank.export": "organiser",
    "bank.promote_page": "organiser",
    "bank.promote": "organiser",
    "bank.programmes_page": "public",
    "bank.programme_page": "public",
    "bank.financing_page": "organiser",
    "bank.programme_new": "organiser",
    "bank.programme_edit": "organiser",
    "bank.partner_new": "organiser",
    "bank.partner_edit": "organiser",
    "bank.file_application": "organiser",
    "bank.decide_application": "organiser",
    "bank.set_adviser": "organiser",
    "bank.plan_path": "organiser",
    "bank.update_milestone": "adviser",
    "bank.advising": "adviser",
    "bank.advised_project": "adviser",
    "bank.accompaniment_page": "organiser",
    "bank.milestone_documents": "adviser",
    "bank.add_document": "adviser",
    "bank.download_document": "adviser",
    "bank.delete_document": "adviser",
    "bank.plan": "organiser",
    "bank.openapi_document": "public",
    "registration.register": "public",
    "registration.ticket": "unknown_secret",
    "registration.cancel": "public",
    "registration.manage": {"GET": "view"},
    "registration.configure": "manage",
    "registration.cancel_registrant": "manage",
    "registration.check_in": "assist",
    "emailtemplates.index": "manage",
    "emailtemplates.edit": "manage",
    "audience.vote": "public",
    "audience.results_json": "public",
    "audience.vote_qr_svg": "public",
    "audience.screen": "public",
    "audience.manage": {"GET": "view"},
    "audience.control": "manage",
    "audience.generate_codes": "manage",
    "audience.code_sheet": "manage",
    "bank.places_page": "organiser",
    "bank.place_idea": "organiser",
    "bank.place_project": "organiser",
    "submissions.communes": "public",
}
# Routes about a published event (results, promotion) use the published one.
ON_PUBLISHED_EVENT = {"judging.results", "judging.event_gallery", "bank.promote"}
# Routes of the national final use the final.
ON_FINAL_EVENT = {"judging.final_entrants", "judging.carry_winners"}
# Routes of the participants' forms use the open event.
OPEN_EVENT_ROUTES = {
    "submissions.receipt",
    "submissions.submit",
    "submissions.kiosk",
    "submissions.assist",
    "registration.register",
}
# Routes where an organiser's GET may find nothing to serve yet (no file): still past the door.
NOTHING_TO_SERVE = {
    "jobs.export_download",
    "submissions.attachment",
    "submissions.answer_file",
    "judging.idea_file",
    "bank.download_document",
}


@pytest.fixture
def world(app):
    """Two events with their own judge: A in deliberation (sheets, ideas), P published; an open
    event O where the participant's idea was sent; spare rows for the routes that delete."""
    organiser = make_user("organiser")
    judge_a, judge_p, spare_judge = make_user("jury"), make_user("jury"), make_user("jury")
    competition = make_competition()
    event_a = make_event(competition, state=EventState.DELIBERATION)
    event_p = make_event(competition, state=EventState.PUBLISHED)
    event_o = make_event(competition, state=EventState.OPEN)
    event_f = make_event(competition, state=EventState.DRAFT, is_final=True, city="Rabat")
    add_jury(event_a, judge_a, is_president=True)
    add_jury(event_a, spare_judge)
    add_jury(event_p, judge_p)
    add_result(event_p, make_idea(event_p), 1, True)  # its results in force
    elsewhere = make_event(competition, state=EventState.OPEN, city="Agadir", region_code="09")
    staff = {
        "coordinator_here": make_user("coordinator", region_code="02"),
        "coordinator_other": make_user("coordinator", region_code="09"),
        "facilitator_here": make_user("facilitator", events=(event_a, event_p, event_o, event_f)),
        "facilitator_other": make_user("facilitator", events=(elsewhere,)),
        "viewer": make_user("viewer"),
    }
    idea_a = make_idea(event_a)
    idea_o = make_idea(event_o)
    sheet = ScoreSheet(event_id=event_a.id, idea_id=idea_a.id, judge_id=judge_a.id)
    spare_rubric = Rubric(name="Spare", criteria=build_default_rubric().criteria)
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411"
    )
    export = ExportJob(kind="rankings", requested_by_id=organiser.id, status="failed")
    programme = FinancingProgramme(name="INDH", kind="public")
    partner = Partner(name="ANAPEC", kind="public_agency")
    application = FinancingApplication(
        project=project, programme=programme, amount_asked_mad=100_000, filed_on=date(2026, 3, 1)
    )
    winner = make_idea(event_p)  # the published results name it a winner, with its certificate
    add_result(event_p, winner, 1, True)
    certificate = Certificate(
        code="AAAA-BBBB-CCCC-DDDD", event_id=event_p.id, idea_id=winner.id, kind="winner"
    )
    # Another project, whose adviser no route of the walk changes (`bank.set_adviser` clears the
    # first one's).
    advised = BankProject(
        title="Gîte rural",
        sector="tourism",
        region_code="02",  # L'Oriental
        province_code="02.275",  # Jerada
        adviser=staff["facilitator_here"],
    )
    milestone = Milestone(project=advised, kind="training", position=0, note="")
    document = MilestoneDocument(
        milestone=milestone, name="statuts.pdf", key="1/absent.pdf", mime="application/pdf", size=9
    )
    question = Question(event_id=event_a.id, kind="short_text", text="Partenaires ?")
    db.session.add(RegistrationSetting(event_id=event_o.id, is_open=True))
    db.session.add_all(
        [sheet, spare_rubric, project, export, certificate, partner, application, milestone]
        + [question]
    )
    db.session.add(document)
    db.session.commit()
    return {
        "users": {
            "judge_here": judge_a,
            "judge_other": judge_p,
            "organiser": organiser,
            **staff,
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
            "programme_id": programme.id,
            "partner_id": partner.id,
            "application_id": application.id,
            "milestone_id": milestone.id,
            "document_id": document.id,
            "advised_project_id": advised.id,
            "token": "not-a-valid-link",
            "action": "eligibility",
            "code": idea_o.receipt_code,
            "lang": "fr",
            "new_state": "published",
            "request_id": 1,
            "region_code": "02",
            "province_code": "02.113",
            "decision": "refuse",
            "question_id": question.id,
            "which": "main",
            "registrant_id": 1,
            "kind": "receipt",
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
    if endpoint == "bank.advised_project":  # the project the facilitator advises
        args["project_id"] = args["advised_project_id"]
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
