from datetime import timedelta

from accounts.models import User
from accounts.services import make_login_link_token
from extensions import db
from tests.builders import make_user


def test_one_time_link_signs_a_jury_member_in_once(app, client):
    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    page = client.get(f"/login/link/{token}")
    assert page.status_code == 200 and judge.name in page.get_data(as_text=True)
    # GET alone does not use the link (link previews, QR scanners)
    response = client.post(f"/login/link/{token}")
    assert response.status_code == 303 and response.headers["Location"].endswith("/jury")
    assert client.get("/jury").status_code == 200
    # Reused: refused, with the reason
    other = app.test_client()
    reused = other.post(f"/login/link/{token}")
    assert reused.status_code == 410
    assert "déjà été utilisé" in reused.get_data(as_text=True)


def test_expired_link_is_refused(app, client):
    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    app.config["JURY_LINK_MAX_AGE"] = timedelta(seconds=-1)
    response = client.post(f"/login/link/{token}")
    assert response.status_code == 410
    assert "expiré" in response.get_data(as_text=True)


def test_tampered_link_is_refused(client):
    judge = make_user("jury", password=None)
    token = make_login_link_token(judge)
    db.session.commit()
    response = client.post(f"/login/link/{token[:-3]}xyz")
    assert response.status_code == 410
    assert client.get("/jury").status_code == 302  # not signed in


def test_create_user_cli_creates_an_organiser(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Amina@Example.MA",
            "--name",
            "Amina",
            "--role",
            "organiser",
            "--password",
            "Solide-2025!",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).one()
    assert user.email == "amina@example.ma" and user.role == "organiser"


def test_create_user_cli_refuses_bad_input_and_writes_nothing(runner):
    make_user("jury", email="taken@example.ma")
    cases = [
        (["--email", "a@example.ma", "--name", "A", "--role", "admin"], "Rôle inconnu"),
        (["--email", "taken@example.ma", "--name", "A", "--role", "jury"], "existe déjà"),
        (
            ["--email", "b@example.ma", "--name", "B", "--role", "jury", "--password", "short"],
            "au moins 10",
        ),
        (
            [
                "--email",
                "c@example.ma",
                "--name",
                "C",
                "--role",
                "jury",
                "--password",
                "abcdefghijk",
            ],
            "mêler des lettres",
        ),
        (["--email", "not-an-email", "--name", "D", "--role", "jury"], "adresse e-mail valide"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["create-user", *args])
        assert result.exit_code != 0
        assert message in result.output
    assert db.session.query(User).count() == 1
