"""SQLite writers of one process take turns in Python (woken at once) rather than in SQLite's
sleeping busy handler; a turn is always given back, and never makes a write hang."""

import threading

import pytest
from sqlalchemy import text

from accounts.models import LoginFailure
from extensions import db, sqlite_write_turns
from tests.builders import make_event
from tests.submissions.conftest import form_data


@pytest.fixture
def database(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    return db.engine.url.database


@pytest.fixture
def short_wait(monkeypatch):
    """A turn not given back would show as a fallback after half a second, not 15 s."""
    monkeypatch.setattr(sqlite_write_turns, "timeout", 0.5)
    monkeypatch.setattr(sqlite_write_turns, "fallbacks", 0)


def test_a_turn_is_given_back_on_commit_and_on_rollback(app, database, short_wait):
    db.session.add(LoginFailure(email="a@x.ma", address="1"))
    db.session.flush()
    assert not sqlite_write_turns.is_free(database)  # BEGIN IMMEDIATE took it
    db.session.commit()
    assert sqlite_write_turns.is_free(database)
    db.session.add(LoginFailure(email="b@x.ma", address="2"))
    db.session.flush()
    db.session.rollback()
    assert sqlite_write_turns.is_free(database)


def test_a_failed_statement_gives_the_turn_back(app, database, short_wait):
    with pytest.raises(Exception, match="no such table"):
        db.session.execute(text("INSERT INTO nowhere VALUES (1)"))
    db.session.rollback()
    assert sqlite_write_turns.is_free(database)


def test_reads_of_a_page_take_no_turn(app, client, database, short_wait):
    event = make_event()
    slug = event.slug
    db.session.commit()
    db.session.add(LoginFailure(email="c@x.ma", address="3"))
    db.session.flush()  # this thread holds the turn (and SQLite's write lock) meanwhile
    done = []

    def visitor():
        with app.app_context(), app.test_client() as other:
            done.append(other.get(f"/e/{slug}/submit").status_code)

    thread = threading.Thread(target=visitor)
    thread.start()
    thread.join(10)
    db.session.rollback()
    assert done == [200] and sqlite_write_turns.fallbacks == 0


def test_an_in_process_job_after_the_commit_does_not_wait_for_its_own_request(
    app, client, database, short_wait
):
    """The receipt e-mail runs in-process right after the submission commits, in the same
    thread (no Redis here): the request's turn must be free by then."""
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(lead_email="fatima@example.ma"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert sqlite_write_turns.fallbacks == 0
    assert sqlite_write_turns.is_free(database)


def test_many_writers_take_turns_without_error_or_fallback(app, database, short_wait):
    errors = []

    def writer(n):
        with app.app_context():
            try:
                for i in range(25):
                    db.session.add(LoginFailure(email=f"t{n}@x.ma", address=str(i)))
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sqlite_write_turns.fallbacks == 0
    assert sqlite_write_turns.is_free(database)
    assert db.session.execute(text("SELECT count(*) FROM login_failures")).scalar() == 200
