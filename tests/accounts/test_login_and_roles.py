import re

from accounts.models import LoginFailure
from extensions import db
from tests.builders import PASSWORD, make_user, sqlite_write_lock_state


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_organiser_signs_in_with_password_and_lands_on_the_tour(client):
    user = make_user("organiser")
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tour")


def test_wrong_password_is_refused_with_a_message(client):
    user = make_user("organiser")
    response = _login(client, user.email, "not-the-password")
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)


def test_password_hash_is_werkzeug_current_default(app):
    user = make_user("organiser")
    assert user.password_hash.startswith("scrypt:")


def test_throttled_after_repeated_failures_for_the_account_from_one_address(client):
    user = make_user("jury")
    for _ in range(5):
        assert _login(client, user.email, "wrong-password-1").status_code == 401
    # Even the right password is refused while throttled.
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_throttling_never_locks_out_other_accounts_of_the_same_hall(client):
    """Every tablet of a venue shares one public IP: one account's failures block nobody else."""
    victim, colleague = make_user("jury"), make_user("jury")
    for _ in range(6):
        _login(client, victim.email, "wrong-password-1", address="41.250.1.1")
    response = _login(client, colleague.email, PASSWORD, address="41.250.1.1")
    assert response.status_code == 303


def test_successful_sign_in_clears_past_failures(client):
    user = make_user("organiser")
    for _ in range(3):
        _login(client, user.email, "wrong-password-1")
    assert _login(client, user.email, PASSWORD).status_code == 303
    assert db.session.query(LoginFailure).filter_by(email=user.email).count() == 0


def test_jury_member_gets_403_on_organiser_pages(client, login):
    login(make_user("jury"))
    assert client.get("/tour").status_code == 403


def test_anonymous_is_sent_to_sign_in_with_next(client):
    response = client.get("/tour")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_next_parameter_cannot_redirect_off_site(client):
    user = make_user("organiser")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/tour")


def test_forms_without_csrf_token_are_rejected(client, csrf_on):
    user = make_user("organiser")
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 400
    assert "expiré" in response.get_data(as_text=True)


def test_forms_with_csrf_token_are_accepted(client, csrf_on):
    user = make_user("organiser")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_signing_in_between_two_requests_of_one_test_takes_effect(client, login):
    assert client.get("/tour").status_code == 302  # anonymous first
    login(make_user("organiser"))
    assert client.get("/tour").status_code == 200


def test_password_hashing_does_not_hold_the_sqlite_write_lock(app, client, monkeypatch):
    """A hall of judges signs in at once: the slow hash check must run outside the write
    transaction, or every sign-in waits for all the others' hashing."""
    import pytest

    import accounts.services as services

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    user = make_user("jury")
    path = db.engine.url.database
    seen = []
    real_check = services.check_password_hash

    def check_while_another_tablet_writes(stored, password):
        seen.append(sqlite_write_lock_state(path))  # "free" unless the sign-in holds the lock
        return real_check(stored, password)

    monkeypatch.setattr(services, "check_password_hash", check_while_another_tablet_writes)
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 303
    assert seen == ["free"]


def test_the_throttle_message_gives_the_wait_left(app, client, monkeypatch):
    from datetime import timedelta

    monkeypatch.setitem(app.config, "LOGIN_FIRST_DELAY", timedelta(minutes=2))
    user = make_user("jury")
    for _ in range(5):
        _login(client, user.email, "wrong-password-1")
    page = _login(client, user.email, PASSWORD).get_data(as_text=True)
    assert "Patientez 2 minutes" in page
