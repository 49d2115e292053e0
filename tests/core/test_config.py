import pytest
from sqlalchemy import text

from app import create_app
from extensions import db


def _clean_env(monkeypatch):
    for key in (
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "MAIL_SERVER",
        "MAIL_PORT",
        "APP_ENV",
        "MAIL_USE_TLS",
        "IDEATHON_INSTANCE",
    ):
        monkeypatch.delenv(key, raising=False)


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'ideathon.sqlite3'}"
    assert app.config["REDIS_URL"] is None
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"


def test_instance_config_overrides_defaults_and_environment_overrides_both(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    (tmp_path / "config.py").write_text(
        "SECRET_KEY = 'from-instance'\nMAIL_SERVER = 'smtp.instance'\nMAIL_PORT = 2525\n"
    )
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["MAIL_SERVER"] == "smtp.instance"

    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/ideathon")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MAIL_SERVER"] == "smtp.instance"  # not overridden by the environment
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/ideathon"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/3"


def test_production_refuses_the_default_secret_key(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="default SECRET_KEY"):
        create_app(instance_path=str(tmp_path))


def test_production_with_a_real_secret_sets_secure_cookies(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-0123456789")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("value", ["Production", "PRODUCTION", "prod", "production ", "staging"])
def test_an_unknown_app_env_refuses_to_start_and_lists_the_allowed_values(
    tmp_path, monkeypatch, value
):
    """A misspelt APP_ENV used to run quietly without the production guard."""
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", value)
    monkeypatch.setenv("SECRET_KEY", "x")
    with pytest.raises(RuntimeError, match="unknown APP_ENV") as refused:
        create_app(instance_path=str(tmp_path))
    assert "development, test, production" in str(refused.value)


@pytest.mark.parametrize("value", ["development", "test"])
def test_known_app_envs_other_than_production_start_with_any_key(tmp_path, monkeypatch, value):
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", value)
    monkeypatch.setenv("SECRET_KEY", "x")
    assert create_app(instance_path=str(tmp_path)).config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("key", ["x", "k" * 31, "é" * 15])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(tmp_path, monkeypatch, key):
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="shorter than 32 bytes"):
        create_app(instance_path=str(tmp_path))


def test_production_accepts_a_secret_key_of_exactly_32_bytes(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert create_app(instance_path=str(tmp_path)).config["SESSION_COOKIE_SECURE"] is True


def test_csrf_token_outlives_a_judging_day(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 12 * 3600


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-only pragmas")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_concurrent_writers_on_sqlite_never_see_database_is_locked(app):
    """Read-then-write transactions from several threads: BEGIN IMMEDIATE + busy timeout."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    import threading

    from accounts.models import LoginFailure

    errors = []

    def writer(n):
        with app.app_context():
            try:
                for i in range(20):
                    db.session.execute(text("SELECT count(*) FROM login_failures")).scalar()
                    db.session.add(LoginFailure(email=f"w{n}@x.ma", address=str(i)))
                    db.session.commit()
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.execute(text("SELECT count(*) FROM login_failures")).scalar() == 120


def _hold_write_lock(path: str):
    """Another process's writer, as far as SQLite can tell: its own connection, BEGIN IMMEDIATE."""
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_writer_waits_for_the_lock_in_short_naps_and_gets_it(app):
    """A writer behind another gets the lock once it is free (no "database is locked"), and its
    connection keeps the long busy timeout for everything else."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    import threading

    from accounts.models import LoginFailure
    from settings import SQLITE_BUSY_TIMEOUT_MS

    holder = _hold_write_lock(db.engine.url.database)
    release = threading.Timer(0.3, holder.commit)
    release.start()
    try:
        db.session.add(LoginFailure(email="nap@x.ma", address="1"))
        db.session.commit()  # BEGIN IMMEDIATE waited for the holder
    finally:
        release.join()
        holder.close()
    assert db.session.scalar(text("SELECT count(*) FROM login_failures")) == 1
    assert db.session.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS


def test_a_writer_that_never_gets_the_lock_gets_database_is_locked(app, monkeypatch):
    """The naps end with the usual error after the busy timeout, never a hang; nothing saved."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    from sqlalchemy.exc import OperationalError

    from accounts.models import LoginFailure

    monkeypatch.setitem(app.config, "SQLITE_BUSY_TIMEOUT_MS", 300)
    holder = _hold_write_lock(db.engine.url.database)
    try:
        db.session.add(LoginFailure(email="never@x.ma", address="1"))
        with pytest.raises(OperationalError, match="database is locked"):
            db.session.commit()
        db.session.rollback()
    finally:
        holder.rollback()
        holder.close()
    assert db.session.scalar(text("SELECT count(*) FROM login_failures")) == 0
    assert db.session.scalar(text("PRAGMA busy_timeout")) == 300
