"""Test fixtures: a session-wide app whose database is built by the migrations (proving them),
emptied after each test; the same suite runs on SQLite and, with --db=postgresql, on the real
PostgreSQL server named by TEST_DATABASE_URL (a fresh database per run)."""

import os
import uuid
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_babel import refresh
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app, normalise_database_url
from extensions import db

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default="sqlite",
        choices=["sqlite", "postgresql"],
        help="database backend for the suite (postgresql needs TEST_DATABASE_URL)",
    )


def _admin_engine(url: str):
    return create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """A fresh, empty database for this run; dropped at the end on PostgreSQL."""
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.exit("--db=postgresql needs TEST_DATABASE_URL", returncode=2)
    name = f"ideathon_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield (
        make_url(normalise_database_url(base))
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def test_config(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_SUPPRESS_SEND": True,
        "EXPORTS_DIR": str(instance / "exports"),
        "UPLOADS_DIR": str(instance / "uploads"),
        "SERVER_NAME": None,
        # Tests post many ideas from one address; tests/submissions/test_rate_limits.py lowers them.
        "SUBMIT_LIMITS_PER_ADDRESS": "100000 per minute",
        "SUBMIT_LIMITS_PER_EVENT": "100000 per minute",
        "REGISTER_LIMITS_PER_ADDRESS": "100000 per minute",
        "REGISTER_LIMITS_PER_EVENT": "100000 per minute",
        "AUDIENCE_LIMITS_PER_ADDRESS": "100000 per minute",
        "AUDIENCE_LIMITS_PER_DEVICE": "100000 per minute",
    }


@pytest.fixture(scope="session")
def _app(test_config, tmp_path_factory):
    app = create_app(test_config, instance_path=str(tmp_path_factory.mktemp("app-instance")))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the test database is dropped


def _empty_all_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    """The app, inside an app context; every table is emptied after the test."""
    saved = dict(_app.config)
    with _app.app_context():
        yield _app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
    _app.config.clear()
    _app.config.update(saved)


class FreshUserClient(FlaskClient):
    """Each request finds its user and language anew, as in production. The `app` fixture keeps
    one app context for the whole test, so without this Flask-Login and Flask-Babel would reuse
    the user and locale they cached in `g` during the first request."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """login(user): sign the test client in as this user (the sign-in form has its own tests)."""

    def _login(user, a_client=None):
        with (a_client or client).session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def csrf_on(app):
    """Turn CSRF protection on for this test (it is off elsewhere to keep tests short)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False
