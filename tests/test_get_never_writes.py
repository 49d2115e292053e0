"""GET never writes to the database, anywhere.

Every GET route of `app.url_map` is asked by each kind of visitor (anonymous, a participant
holding receipts, a judge of every event, an organiser, a kiosk tablet), with real ids from a
small tour brought through its lifecycle by the services: one event in each state (draft, open,
judging, deliberation, published) and a national final. A listener on the engine records every
statement: none may be an INSERT, UPDATE or DELETE, but the audit entry of a file handed out
(`audit.services.record_access`, marked by its `ACCESS_LOG` execution option).
"""

import itertools
import re
from datetime import date

import pytest
from flask import g, url_for
from sqlalchemy import event as sa_event
from sqlalchemy import select

from accounts.services import make_login_link_token
from audit.services import ACCESS_LOG
from bank import documents as bank_documents
from bank.models import (
    BankProject,
    FinancingApplication,
    FinancingProgramme,
    Milestone,
    MilestoneDocument,
    Partner,
)
from competitions.services import allowed_transitions, transition
from competitions.states import EventState
from extensions import db
from jobs.models import ExportJob
from judging import deliberation as delib
from judging import rounds, triage
from judging import services as judging
from judging.models import Certificate, ScoreSheet
from registration import services as registration
from submissions.models import Idea, IdeaFormSettings, Question
from tests.builders import add_jury, make_competition, make_event, make_idea, make_user

VISITORS = ("anonymous", "participant", "judge", "organiser", "kiosk")
STATES = tuple(state for state in EventState if state is not EventState.ARCHIVED)
WRITE = re.compile(r"^\s*(WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|REPLACE|UPSERT)\b", re.I | re.S)
# Query strings that make a page do more than its bare form (filters, searches, a look-up).
QUERIES = {
    "submissions.triage": ("", "?q=couscous&sector=agrifood&eligibility=eligible"),
    "submissions.receipt_lookup": ("", "?code=TST-0001"),
    "bank.browse": ("", "?q=couscous&sector=agrifood&region=02&province=02.411"),
    "bank.places_page": ("",),
    "bank.api_projects": ("", "?sector=agrifood", "?sector=unknown"),
    "bank.manage": ("", "?status=draft"),
    "bank.export": ("", "?sheet_lang=ar"),
    "judging.audit": ("", "?format=csv"),
    "jobs.outbox": ("", "?status=failed"),
    "reporting.event_workbook": ("", "?language=ar"),
}


def _through(event, state, organiser, judge):
    """Bring a draft event to `state` the way organisers and judges do, with two scored ideas."""
    transition(event, EventState.OPEN, organiser)
    ideas = [make_idea(event, expected_jobs=8 - n) for n in range(2)]
    db.session.commit()
    if state == EventState.OPEN:
        return ideas
    transition(event, EventState.JUDGING, organiser)
    db.session.commit()
    sheets = db.session.scalars(select(ScoreSheet).where(ScoreSheet.event_id == event.id))
    for sheet, mark in zip(sheets, (5, 3), strict=True):
        for criterion in event.rubric.criteria:
            judging.record_score(sheet, criterion.id, mark, judge)
        judging.submit_sheet(sheet, judge)
    db.session.commit()
    if state == EventState.JUDGING:
        return ideas
    transition(event, EventState.DELIBERATION, organiser)
    db.session.commit()
    if state == EventState.DELIBERATION:
        return ideas
    delib.validate_minutes(event, judge)
    transition(event, EventState.PUBLISHED, organiser)
    db.session.commit()
    return ideas


@pytest.fixture
def tour(app):
    organiser, judge = make_user("organiser"), make_user("jury")
    competition = make_competition()
    events, ideas = {}, []
    for state in STATES:
        event = make_event(competition, state=EventState.DRAFT, winners_count=1, min_judges=1)
        add_jury(event, judge, is_president=True)
        if state != EventState.DRAFT:
            ideas += _through(event, state, organiser, judge)
        events[state] = event
    # Published, then amended: the amendment validated and waiting for publication.
    amended = make_event(competition, state=EventState.DRAFT, winners_count=1, min_judges=1)
    add_jury(amended, judge, is_president=True)
    ideas += _through(amended, EventState.PUBLISHED, organiser, judge)
    delib.start_amendment(amended, "Erreur de saisie", organiser)
    delib.validate_minutes(amended, judge)
    db.session.commit()
    events["amended"] = amended
    final = make_event(competition, state=EventState.DRAFT, is_final=True, city="Rabat")
    events["final"] = final
    # Round 1 by the organisers' triage: the jury holds no sheet of it, an organiser scored one.
    triaged = make_event(competition, state=EventState.DRAFT, winners_count=1, min_judges=1)
    add_jury(triaged, judge, is_president=True)
    transition(triaged, EventState.OPEN, organiser)
    triaged_ideas = [make_idea(triaged) for _ in range(2)]
    rounds.save_pitch_round(
        triaged,
        {"shortlist_size": "1", "pitch_minutes": "5", "questions_minutes": "3",
         "triage_rubric_id": str(triaged.rubric.id)},
        organiser,
    )  # fmt: skip
    transition(triaged, EventState.JUDGING, organiser)
    marks = {c.id: "4" for c in triaged.rubric.criteria}
    triage.save_triage_sheet(triaged, triaged_ideas[0], marks, "", True, organiser)
    db.session.commit()
    ideas += triaged_ideas
    events["triaged"] = triaged
    with app.test_request_context():
        delib.carry_winners_to_final(final, organiser)
        token = make_login_link_token(judge)
        invitation = make_login_link_token(make_user("viewer", password=None))
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411"
    )
    export = ExportJob(kind="rankings", requested_by_id=organiser.id, status="failed")
    programme = FinancingProgramme(name="INDH", kind="public", regions=["02"])
    partner = Partner(name="ANAPEC", kind="public_agency")
    application = FinancingApplication(
        project=project, programme=programme, amount_asked_mad=100_000, filed_on=date(2026, 3, 1)
    )
    milestone = Milestone(project=project, kind="training", position=0, note="")
    document = MilestoneDocument(
        milestone=milestone, name="statuts.pdf", key="1/statuts.pdf", mime="application/pdf", size=9
    )
    db.session.add_all([project, export, programme, partner, application, milestone, document])
    bank_documents.file_store().put(document.key, b"%PDF-1.4\n")
    judged = events[EventState.JUDGING]
    question = Question(
        event_id=judged.id, kind="short_text", text="Partenaires ?", visible_to_jury=True
    )
    shown = IdeaFormSettings(event_id=judged.id, jury_sees_attachments=True, jury_sees_answers=True)
    db.session.add_all([question, shown])
    draft = events[EventState.DRAFT]
    registration.configure(draft, {"is_open": "y", "capacity": "1"}, by=organiser)
    tickets = [
        registration.register(draft, {"name": "Amina", "phone": phone, "consent": "y"})
        for phone in ("0611111111", "0622222222")  # a place, then the waiting list
    ]
    db.session.commit()
    return {
        "organiser": organiser,
        "judge": judge,
        "competition": competition,
        "events": events,
        "receipts": [idea.receipt_code for idea in ideas],
        "invitation": invitation,
        "tickets": [(draft.slug, ticket.code) for ticket in tickets],
        "args": {
            "project_id": project.id,
            "export_id": export.id,
            "token": token,
            "user_id": judge.id,
            "region_code": "02",
            "province_code": "02.113",
            "programme_id": programme.id,
            "partner_id": partner.id,
            "application_id": application.id,
            "milestone_id": milestone.id,
            "document_id": document.id,
            "question_id": question.id,
            "which": "main",
            "kind": "receipt",
            "lang": "fr",
        },
    }


def _argument_sets(rule, tour):
    """Every set of real path arguments for this rule: one per event, idea and move of the event
    it may be about."""
    fixed = {
        "filename": "css/app.css"
        if rule.endpoint == "static"
        else "bootstrap/dist/css/bootstrap.min.css",
        **tour["args"],
    }
    if rule.endpoint == "registration.ticket":
        for slug, code in tour["tickets"]:
            yield {**fixed, "slug": slug, "code": code}
        return
    if rule.endpoint == "accounts.invitation":  # a staff account's invitation, not a jury card
        fixed["token"] = tour["invitation"]
    if "sheet_id" in rule.arguments and "slug" not in rule.arguments:
        for sheet_id in db.session.scalars(select(ScoreSheet.id)):
            yield {"sheet_id": sheet_id, **fixed}
        return
    if "code" in rule.arguments and "slug" not in rule.arguments:  # a certificate's check and PDFs
        codes = [*db.session.scalars(select(Certificate.code)), "UNKNOWN-CODE"]
        assert len(codes) > 1, "the published event issues certificates"
        for code, lang in itertools.product(codes, ("ar", "fr", "xx")):
            yield {**fixed, "code": code, "lang": lang}
        return
    if "slug" not in rule.arguments:
        rubric = tour["events"][EventState.OPEN].rubric
        yield {"rubric_id": rubric.id, "criterion_id": rubric.criteria[0].id, **fixed}
        return
    if rule.endpoint in ("competitions.competition_edit", "competitions.event_new"):
        yield {"slug": tour["competition"].slug, **fixed}
        return
    for event in tour["events"].values():
        ideas = db.session.scalars(select(Idea).where(Idea.event_id == event.id)).all()
        moves = allowed_transitions(event.state) if "new_state" in rule.arguments else [None]
        for idea, new_state in itertools.product(ideas or [None], moves):
            yield {
                "slug": event.slug,
                "idea_id": idea.id if idea else 0,
                "code": idea.receipt_code if idea else "TST-0000",
                "new_state": new_state,
                **fixed,
            }


def _client(app, visitor, tour, slug):
    client = app.test_client()
    with client.session_transaction() as session:
        if visitor in ("judge", "organiser"):
            session["_user_id"] = str(tour[visitor].id)
            session["_fresh"] = True
        if visitor == "participant":
            session["receipts"] = tour["receipts"]
        if visitor == "kiosk":
            session["kiosk_event"] = slug
    return client


def _get_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


def test_no_get_request_writes_to_the_database(app, tour):
    statements = []

    def seen(_conn, _cursor, statement, _parameters, context, _many):
        if not context.execution_options.get(ACCESS_LOG):  # a file handed out is audited
            statements.append(statement)

    writes, served, asked, paths = [], set(), 0, set()
    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for rule in _get_rules(app):
            for args in _argument_sets(rule, tour):
                with app.test_request_context():
                    path = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
                if path in paths:
                    continue
                paths.add(path)
                for query in QUERIES.get(rule.endpoint, ("",)):
                    for visitor in VISITORS:
                        client = _client(app, visitor, tour, args.get("slug"))
                        g.pop("_login_user", None)  # the test's app context outlives a request
                        statements.clear()
                        response = client.get(path + query)
                        asked += 1
                        assert response.status_code < 500, f"GET {path}{query} as {visitor}"
                        if response.status_code == 200:
                            served.add(rule.endpoint)
                        response.close()
                        db.session.rollback()
                        writes += [
                            f"GET {path}{query} as {visitor}: {s.split(chr(10))[0][:90]}"
                            for s in statements
                            if WRITE.match(s)
                        ]
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    assert not writes, "\n" + "\n".join(writes)
    # The walk reached the pages themselves, not only their doors.
    never_served = {rule.endpoint for rule in _get_rules(app)} - served
    assert never_served <= NEVER_200, sorted(never_served - NEVER_200)
    assert asked > 500


# GET routes that answer something other than 200 to everyone, whatever the ids.
NEVER_200 = {
    "jobs.export_download",  # the export failed: there is no file to download
    "submissions.attachment",  # no idea of the tour was sent with a file
    "submissions.answer_file",  # nor a file in answer to a question
    "judging.idea_file",  # so no file for the jury to open either
}
