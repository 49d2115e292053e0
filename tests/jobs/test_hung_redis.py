"""A hung Redis (it accepts connections and never answers) costs a submission milliseconds
(finding 7 of issue 15): short socket timeouts, one try, then Redis is left alone for a few
seconds; the e-mail waits in the outbox for the sweep."""

import socket
import threading

import pytest
from sqlalchemy import select

from competitions.states import EventState
from extensions import db
from jobs.models import OutboxEmail
from jobs.queue import redis_connection
from tests.builders import make_event
from tests.submissions.conftest import form_data


class HungRedis:
    """A TCP server on loopback that accepts every connection and never says a word."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.accepted = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)  # kept open, never answered

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        for connection in self.accepted:
            connection.close()
        self.server.close()


@pytest.fixture
def hung_redis(app):
    hung = HungRedis()
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{hung.port}/0"
    yield hung
    hung.close()


def send(client, event, n):
    data = form_data(submit_token=f"tok-hung-redis-{n:016d}", lead_email=f"p{n}@example.ma")
    return client.post(f"/e/{event.slug}/submit", data=data)


def test_submissions_succeed_and_wait_in_the_outbox_with_one_try_at_the_hung_redis(
    client, hung_redis
):
    event = make_event()
    assert send(client, event, 1).status_code == 303
    assert len(hung_redis.accepted) == 1  # one connection, given up after the short timeout
    assert send(client, event, 2).status_code == 303
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["redis"] == "unreachable"
    assert len(hung_redis.accepted) == 1  # Redis left alone since it failed
    statuses = db.session.scalars(select(OutboxEmail.status)).all()
    assert statuses == ["pending", "pending"]  # the sweep sends them once Redis answers


def test_the_hung_redis_is_tried_again_after_the_rest(app, client, hung_redis):
    app.config["REDIS_RETRY_AFTER"] = 0
    event = make_event()
    send(client, event, 1)
    send(client, event, 2)
    assert len(hung_redis.accepted) == 2


def test_the_web_side_redis_client_gives_up_within_a_fraction_of_a_second(app, hung_redis):
    options = redis_connection().connection_pool.connection_kwargs
    assert options["socket_timeout"] <= 0.5 and options["socket_connect_timeout"] <= 0.5


def test_a_live_server_with_a_hung_redis_still_takes_ideas_and_counts_limits(tmp_path, app):
    """gunicorn with REDIS_URL on the hung server: the rate limiter's Redis storage and the
    queue both give up quickly; the limits are counted in memory meanwhile."""
    from bench.server import LiveServer, migrate, seed_app
    from tests.jobs.test_rate_limits_on_redis import send_idea

    database = f"sqlite:///{tmp_path / 'hung.sqlite3'}"
    instance = tmp_path / "instance"
    migrate(database, instance)
    seeder = seed_app(database, instance)
    with seeder.app_context():
        slug = make_event(state=EventState.OPEN).slug
        db.session.remove()
        db.engine.dispose()
    hung = HungRedis()
    env = {
        "REDIS_URL": f"redis://127.0.0.1:{hung.port}/0",
        "SUBMIT_LIMITS_PER_ADDRESS": "3 per minute",
    }
    try:
        with LiveServer(database, instance, workers=1, env=env) as server:
            statuses = [send_idea(f"{server.url}/e/{slug}/submit") for _ in range(4)]
    finally:
        hung.close()
    assert statuses == [200, 200, 200, 429]
