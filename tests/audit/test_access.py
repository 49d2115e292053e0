"""Who signed in, who failed to, which jury card was used, who downloaded an attachment: each
with the time and the address, and a refused sign-in kept though its request is rolled back."""

from sqlalchemy import func, select

from accounts.models import LoginFailure
from accounts.services import make_login_link_token
from audit.models import AuditEntry
from extensions import db
from submissions import attachments
from tests.builders import PASSWORD, make_event, make_idea, make_user
from tests.submissions.conftest import PDF, uploads_dir  # noqa: F401 - a fixture

ADDRESS = "198.51.100.23"


def _post(client, path, **data):
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": ADDRESS})


def entries(action=None):
    db.session.rollback()  # see what other connections committed
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def test_a_sign_in_is_audited_with_who_when_and_from_where(client):
    user = make_user("organiser")
    assert _post(client, "/login", email=user.email, password=PASSWORD).status_code == 303
    [entry] = entries("sign_in")
    assert (entry.entity, entry.entity_id, entry.user_id) == ("user", user.id, user.id)
    assert entry.address == ADDRESS and entry.source == "password" and entry.at is not None


def test_a_wrong_password_is_audited_with_the_email_typed(client):
    user = make_user("organiser")
    assert _post(client, "/login", email=user.email, password="wrong-one-9").status_code == 401
    [entry] = entries("sign_in_failed")
    assert entry.note == user.email and entry.address == ADDRESS and entry.user_id is None
    assert not entries("sign_in")


def test_a_throttled_sign_in_is_kept_though_its_request_is_rolled_back(app, client):
    app.config["LOGIN_FREE_FAILURES"] = 1  # the next try from this address waits
    user = make_user("organiser")
    _post(client, "/login", email=user.email, password="wrong-one-9")
    failures = db.session.scalar(select(func.count(LoginFailure.id)))
    response = _post(client, "/login", email=user.email, password=PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    [refused] = entries("sign_in_refused")
    assert refused.note == user.email and refused.address == ADDRESS
    # The request itself wrote nothing that stayed: only its audit entry did.
    assert db.session.scalar(select(func.count(LoginFailure.id))) == failures
    assert not entries("sign_in")


def test_a_jury_card_used_is_audited_and_so_is_a_refused_use(app, client):
    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    assert _post(client, f"/login/link/{token}").status_code == 303
    [used] = entries("sign_in")
    assert (used.user_id, used.source, used.address) == (judge.id, "jury_link", ADDRESS)
    reused = _post(app.test_client(), f"/login/link/{token}")
    assert reused.status_code == 410
    [refused] = entries("sign_in_refused")
    assert refused.source == "jury_link" and "déjà été utilisé" in refused.note


def test_looking_at_a_jury_card_is_not_a_use(client):
    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    assert client.get(f"/login/link/{token}").status_code == 200
    assert client.get("/login/link/not-a-token").status_code == 410
    assert not entries()


def test_every_download_of_an_attachment_is_audited(client, login, uploads_dir):  # noqa: F811
    event = make_event()
    path = attachments.store(
        attachments.Upload(PDF, "plan.pdf", "application/pdf", ".pdf"), event.id
    )
    idea = make_idea(event, attachment_path=path, attachment_mime="application/pdf")
    organiser = make_user("organiser")
    login(organiser)
    url = f"/tour/events/{event.slug}/ideas/{idea.id}/attachment"
    for _ in range(2):
        response = client.get(url, environ_base={"REMOTE_ADDR": ADDRESS})
        assert response.status_code == 200
        response.close()
    downloads = entries("download_attachment")
    assert [(e.entity, e.entity_id, e.user_id, e.address) for e in downloads] == [
        ("idea", idea.id, organiser.id, ADDRESS)
    ] * 2


def test_a_download_refused_to_a_judge_is_not_a_download(client, login, uploads_dir):  # noqa: F811
    event = make_event()
    idea = make_idea(event, attachment_path="1/x.pdf", attachment_mime="application/pdf")
    login(make_user("jury"))
    assert client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/attachment").status_code == 403
    assert not entries("download_attachment")
