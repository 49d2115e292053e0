"""Sign-in throttling that strangers cannot turn into a lock-out, one hash check whatever the
e-mail, and sessions that end server-side (issue 15, findings 4, 8 and 10)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts import services
from accounts.models import LoginFailure
from audit.models import AuditEntry
from extensions import db
from tests.builders import PASSWORD, make_user

NEW_PASSWORD = "another-secret-42"


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _age_failures(seconds: int) -> None:
    for failure in db.session.scalars(select(LoginFailure)):
        failure.at -= timedelta(seconds=seconds)
    db.session.commit()


def _fail_from_everywhere(user, n: int) -> None:
    db.session.add_all(
        LoginFailure(email=user.email, address=f"10.1.{i // 250}.{i % 250}") for i in range(n)
    )
    db.session.commit()


# --- Finding 4: throttling is no weapon -----------------------------------------------------------


def test_failures_from_four_addresses_never_lock_the_owner_out(client):
    """5 wrong passwords from each of 4 addresses used to lock the right one out everywhere."""
    owner = make_user("organiser")
    for n in range(4):
        for _ in range(5):
            assert _login(client, owner.email, "wrong-password-1", f"41.0.0.{n}").status_code == 401
    assert _login(client, owner.email, PASSWORD, "196.200.1.1").status_code == 303


def test_each_failure_beyond_the_first_five_from_an_address_doubles_the_wait(app):
    waits = [services.login_delay(n).total_seconds() for n in range(4, 12)]
    assert waits == [0, 30, 60, 120, 240, 480, 900, 900]  # capped at 15 minutes


def test_an_address_may_try_again_once_its_wait_has_passed(client):
    user = make_user("jury")
    for _ in range(5):
        _login(client, user.email, "wrong-password-1")
    assert _login(client, user.email, PASSWORD).status_code == 429
    _age_failures(29)
    assert _login(client, user.email, PASSWORD).status_code == 429
    _age_failures(2)
    assert _login(client, user.email, PASSWORD).status_code == 303


def test_a_sign_in_forgets_only_its_own_addresses_failures(client):
    user = make_user("organiser")
    _login(client, user.email, "wrong-password-1", "41.0.0.1")
    _login(client, user.email, "wrong-password-1", "41.0.0.2")
    assert _login(client, user.email, PASSWORD, "41.0.0.1").status_code == 303
    left = db.session.scalars(select(LoginFailure.address)).all()
    assert left == ["41.0.0.2"]


def test_the_account_ceiling_locks_every_address_until_an_organiser_unlocks(app, client, login):
    victim, organiser = make_user("jury"), make_user("organiser")
    _fail_from_everywhere(victim, 100)
    refused = _login(client, victim.email, PASSWORD, "196.200.1.1")
    assert refused.status_code == 429
    assert "demandez à un organisateur de le déverrouiller" in refused.get_data(as_text=True)

    staff = app.test_client()
    login(organiser, staff)
    page = staff.get("/accounts/locked").get_data(as_text=True)
    assert f'data-user="{victim.id}"' in page and "Bloqué" in page
    response = staff.post(f"/accounts/{victim.id}/unlock")
    assert response.status_code == 303 and response.headers["Location"] == "/accounts/locked"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unlocked"))
    assert (entry.entity_id, entry.user_id, entry.old) == (
        victim.id,
        organiser.id,
        {"failures": 100},
    )
    assert "no-failures" in staff.get("/accounts/locked").get_data(as_text=True)
    assert _login(client, victim.email, PASSWORD, "196.200.1.1").status_code == 303


def test_the_owners_own_browser_is_spared_the_account_ceiling(app, client):
    """Where the account signed in before, strangers' failures elsewhere cannot lock it out."""
    owner, colleague = make_user("organiser"), make_user("jury")
    assert _login(client, owner.email, PASSWORD, "196.200.1.1").status_code == 303
    assert client.get_cookie("known_device").http_only
    client.post("/logout")
    _fail_from_everywhere(owner, 100)
    assert _login(client, owner.email, PASSWORD, "196.200.1.1").status_code == 303
    client.post("/logout")

    stranger = app.test_client()  # no cookie, or a cookie that vouches for someone else
    assert _login(stranger, owner.email, PASSWORD, "196.200.1.2").status_code == 429
    assert _login(stranger, colleague.email, PASSWORD, "196.200.1.2").status_code == 303
    stranger.post("/logout")
    assert _login(stranger, owner.email, PASSWORD, "196.200.1.2").status_code == 429
    forged = app.test_client()
    forged.set_cookie("known_device", client.get_cookie("known_device").value[:-2] + "xx")
    assert _login(forged, owner.email, PASSWORD, "196.200.1.3").status_code == 429


def test_a_known_browser_still_waits_after_its_own_failures(client):
    owner = make_user("organiser")
    assert _login(client, owner.email, PASSWORD).status_code == 303
    client.post("/logout")
    for _ in range(5):
        assert _login(client, owner.email, "wrong-password-1").status_code == 401
    assert _login(client, owner.email, PASSWORD).status_code == 429


def test_only_organisers_see_and_unlock_locked_accounts(app, client, login):
    victim = make_user("jury")
    _fail_from_everywhere(victim, 3)
    login(make_user("jury"))
    assert client.get("/accounts/locked").status_code == 403
    assert client.post(f"/accounts/{victim.id}/unlock").status_code == 403
    assert db.session.query(LoginFailure).count() == 3


def test_unlocking_an_unknown_account_is_a_404(client, login):
    login(make_user("organiser"))
    assert client.post("/accounts/999999/unlock").status_code == 404


def test_the_cli_unlocks_an_account_and_audits_it(app, runner, client):
    victim = make_user("organiser")
    _fail_from_everywhere(victim, 100)
    result = runner.invoke(args=["unlock-account", "--email", victim.email.upper()])
    assert result.exit_code == 0, result.output
    assert "100" in result.output
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unlocked"))
    assert entry.source == "cli" and entry.user_id is None
    assert _login(client, victim.email, PASSWORD).status_code == 303


def test_the_cli_refuses_an_unknown_email(runner):
    result = runner.invoke(args=["unlock-account", "--email", "nobody@example.ma"])
    assert result.exit_code != 0 and "nobody@example.ma" in result.output


# --- Finding 10: the same work for every e-mail --------------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    calls = []
    real = services.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize("case", ["right", "wrong", "unknown", "disabled", "no-password"])
def test_every_sign_in_checks_exactly_one_password_hash(client, hash_checks, case):
    """Unknown e-mails used to skip the slow hash (24 ms against 400 ms): an e-mail oracle."""
    user = make_user("jury", password=None if case == "no-password" else PASSWORD)
    if case == "disabled":
        user.active = False
        db.session.commit()
    email = "nobody@example.ma" if case == "unknown" else user.email
    password = PASSWORD if case in ("right", "disabled", "no-password") else "wrong-password-1"
    response = _login(client, email, password)
    assert response.status_code == (303 if case == "right" else 401)
    assert len(hash_checks) == 1
    assert hash_checks[0].startswith("scrypt:")  # the dummy hash costs what a real one costs


# --- Finding 8: a session ends on the server ------------------------------------------------------


def _copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_signing_out_ends_a_copied_session_cookie(app, client):
    user = make_user("organiser")
    assert _login(client, user.email, PASSWORD).status_code == 303
    thief = app.test_client()
    _copy_session(client, thief)
    assert thief.get("/tour").status_code == 200
    assert client.post("/logout").status_code == 303
    response = thief.get("/tour")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Signing in again works, with a new session.
    assert _login(client, user.email, PASSWORD).status_code == 303
    assert client.get("/tour").status_code == 200
    assert thief.get("/tour").status_code == 302


def test_a_new_password_ends_every_session_of_the_account(app, client, runner):
    user = make_user("organiser")
    assert _login(client, user.email, PASSWORD).status_code == 303
    copy = app.test_client()
    _copy_session(client, copy)
    result = runner.invoke(
        args=["set-password", "--email", user.email], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    for session in (client, copy):
        assert session.get("/tour").status_code == 302
    assert _login(client, user.email, PASSWORD).status_code == 401
    assert _login(client, user.email, NEW_PASSWORD, "10.0.0.2").status_code == 303
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password_changed"))
    assert entry.entity_id == user.id and entry.source == "cli"
    assert PASSWORD not in str(entry.new) and NEW_PASSWORD not in str(entry.new)


def test_a_weak_new_password_is_refused_and_changes_nothing(client, runner):
    user = make_user("organiser")
    result = runner.invoke(args=["set-password", "--email", user.email], input="short\nshort\n")
    assert result.exit_code != 0 and "10" in result.output
    db.session.expire_all()
    assert user.session_version == 0
    assert _login(client, user.email, PASSWORD).status_code == 303


def test_failures_older_than_the_window_no_longer_count(client):
    user = make_user("jury")
    _fail_from_everywhere(user, 100)
    _age_failures(3601)
    assert _login(client, user.email, PASSWORD).status_code == 303
