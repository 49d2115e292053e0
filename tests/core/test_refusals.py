"""One way to refuse (refusals.py): the status comes from the refusal's class, the message is
translated when shown, and the app's one handler answers JSON to JSON requests, or flashes and
sends a form back with 303. No view rolls back by itself, and no POST answers 302."""

from pathlib import Path

import pytest
from flask import url_for
from flask_babel import force_locale

import refusals
from accounts.services import LinkRefused, LoginThrottled
from bank.services import BankQueryError, BankValidationError, PromotionError
from competitions.errors import EventError, JuryConflict, RubricLocked, TransitionError
from competitions.states import EventState
from jobs.exports import ExportNotRetryable
from judging.services import JudgingConflict, JudgingError, JudgingForbidden, JudgingNotFound
from reporting.services import ReportError
from submissions.services import EventClosed, InvalidIdea, LookupThrottled
from tests.builders import make_competition, make_event, make_user
from tests.test_access_matrix import _path_args, world  # noqa: F401 - the routes' test values

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (EventError("x"), 422),
        (TransitionError("x"), 409),
        (RubricLocked("x"), 409),
        (JuryConflict("x"), 409),
        (JudgingError("x"), 422),
        (JudgingConflict("x"), 409),
        (JudgingForbidden("x"), 403),
        (JudgingNotFound("x"), 404),
        (BankQueryError("x"), 400),
        (PromotionError("x"), 409),
        (BankValidationError({"title": "x"}), 422),
        (EventClosed(), 409),
        (InvalidIdea({"title": "x"}), 422),
        (LookupThrottled(), 429),
        (LoginThrottled("x"), 429),
        (LinkRefused("x"), 410),
        (ExportNotRetryable("x"), 409),
        (ReportError("x"), 404),
    ],
)
def test_each_package_refusal_is_a_refusal_whose_class_says_its_status(refusal, status):
    assert isinstance(refusal, refusals.Refusal)
    assert refusal.status == status


def test_a_refusal_message_is_rendered_in_the_language_of_the_page_that_shows_it(app):
    refusal = refusals.Refusal()  # built once, shown in two languages
    with app.test_request_context():
        with force_locale("fr"):
            assert str(refusal) == "Cette demande a été refusée."
        with force_locale("ar"):
            assert str(refusal) == "تم رفض هذا الطلب."


def test_a_field_refusal_lists_its_field_in_errors():
    refusal = JudgingError("too long", field="reason")
    assert refusal.errors == {"reason": "too long"}
    assert refusal.field == "reason"


def test_json_requests_get_ok_false_the_message_the_field_and_the_status(client):
    response = client.get("/api/bank/projects?page=0")
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False
    assert body["field"] == "page"
    assert body["error"] == "Le paramètre page doit être un nombre entier de 1 à 1000000."


def test_json_refusal_speaks_arabic_when_asked(client):
    body = client.get("/api/bank/projects?page=0&lang=ar").get_json()
    assert body["error"] == "يجب أن يكون المعامل page عددا صحيحا من 1 إلى 1000000."


def test_a_refused_form_is_sent_back_with_303_and_the_message_flashed(client, login):
    login(make_user("organiser"))
    make_competition()
    response = client.post("/tour/rankings.xlsx", data={"competition": "nulle-part"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tour/rankings")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aucune tournée à l&#39;adresse « nulle-part »." in page


def test_the_flashed_refusal_is_in_the_user_language(client, login):
    login(make_user("organiser", locale="ar"))
    make_competition()
    response = client.post("/tour/rankings.xlsx", data={"competition": "nulle-part"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "لا توجد جولة بالعنوان «nulle-part»." in page


def test_a_refusal_shown_on_its_page_keeps_the_refusal_status(client, login):
    login(make_user("organiser"))
    event = make_event(state=EventState.DRAFT)
    response = client.post(f"/tour/events/{event.slug}/state", data={"state": "published"})
    assert response.status_code == 409
    assert 'role="alert"' in response.get_data(as_text=True)


def test_without_a_named_target_a_form_goes_back_to_its_page_on_this_site_only(app):
    conflict = refusals.Conflict("x")
    with app.test_request_context(
        "/somewhere", method="POST", headers={"Referer": "http://localhost/tour/bank?q=miel"}
    ):
        response = refusals.answer(conflict)
        assert response.status_code == 303
        assert response.headers["Location"] == "/tour/bank?q=miel"
    with app.test_request_context(
        "/somewhere", method="POST", headers={"Referer": "https://evil.example/tour"}
    ):
        body, status = refusals.answer(conflict)
        assert status == 409  # the error page, never a redirect to another site


def test_no_view_module_rolls_back_or_writes_its_own_redirect_status():
    """The handler and form_refusals roll back; every redirect after a POST is see_other."""
    offenders = []
    for path in sorted(ROOT.glob("*/views.py")):
        text = path.read_text()
        for needle in ("db.session.rollback()", ", 303)", ", 302)"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders


OWN_SHEET = ("judging.save_score", "judging.submit", "judging.conflict")


def _poster(app, world, endpoint):  # noqa: F811 - the fixture's value
    """The organiser, or the judge for the routes of a judge's own sheet."""
    client = app.test_client()
    user = world["users"]["judge_here" if endpoint in OWN_SHEET else "organiser"]
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.mark.parametrize("body", [{}, {"state": "nowhere", "email": "x", "competition": "none"}])
def test_no_post_route_answers_302(app, client, world, body):  # noqa: F811 - the fixture's value
    """Every POST route, sent an empty or refused form: a 303, a page or a 4xx, never a 302."""
    answers = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **_path_args(rule, rule.endpoint, world))
        response = _poster(app, world, rule.endpoint).post(path, data=body)
        answers.append((rule.endpoint, response.status_code))
    wrong = [(e, s) for e, s in answers if s == 302 or s >= 500 or (300 <= s < 400 and s != 303)]
    assert not wrong
    assert any(s == 303 for _e, s in answers) and any(400 <= s < 500 for _e, s in answers)
