"""Two application hosts behind one load balancer, sharing PostgreSQL and Redis (issue 21,
"Beyond one machine"): each gunicorn in its own network namespace (or on its own loopback
address), Debian's nginx alternating requests between them. Whatever one host handed out, the
other honours: a form's CSRF token and session, an attachment, a rate limit, a sign-in
throttle, an export built by the rq worker."""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.request
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from bench.http import Client, hidden_inputs, meta_csrf
from bench.server import fresh_database, migrate
from bench.workloads import (
    fetch_form,
    idea_form,
    new_submit_token,
    receipt_of,
    sign_in,
    submit_path,
)
from jobs.states import ExportState
from tests.load import hosts
from tests.load.conftest import Live
from tests.submissions.conftest import PDF

SUBMISSIONS_PER_EVENT = 6  # a minute, from anywhere: the rate limit the hosts must share

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        not os.access(hosts.NGINX, os.X_OK), reason="Debian's nginx is not installed"
    ),
]


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/8"


class Cluster:
    def __init__(self, url: str, live: Live, network: hosts.Network, app_hosts, worker):
        self.url, self.live, self.network = url, live, network
        self.app_hosts, self.worker = app_hosts, worker
        self.upstreams = [f"{h.host.address}:{h.port}" for h in app_hosts]
        self.clients: list[Client] = []

    def client(self) -> Client:
        self.clients.append(Client(self.url))
        return self.clients[-1]

    def close_clients(self) -> None:
        while self.clients:
            self.clients.pop().close()

    def other(self, upstream: str) -> str:
        return next(u for u in self.upstreams if u != upstream)

    def next_goes_to(self, client: Client, upstream: str) -> None:
        """Ask /healthz until the other host answers: nginx's round robin then sends the next
        request to `upstream`."""
        for _ in range(4):
            if client.get("/healthz").headers["x-upstream"] != upstream:
                return
        raise AssertionError("nginx does not alternate between the hosts")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        redis.Redis.from_url(_redis_url(), socket_timeout=1).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {_redis_url()}: {error}")
    hosts.postgresql_or_skip()
    workdir = tmp_path_factory.mktemp("two-hosts")
    with fresh_database("postgresql", workdir) as database:
        shared = workdir / "shared"  # the instance folder both hosts and the worker see
        migrate(database, shared)
        from bench.server import seed_app

        live = Live(database, shared, seed_app(database, shared))
        with hosts.Network(2) as network:
            network.forward(5432)
            network.forward(6379)
            env = {
                "PROXY_HOPS": "1",
                "SUBMIT_LIMITS_PER_EVENT": f"{SUBMISSIONS_PER_EVENT} per minute",
            }
            app_hosts = []
            try:
                for host in network.hosts:
                    app_hosts.append(
                        hosts.AppHost(
                            host,
                            hosts.seen_from(database, host),
                            shared,
                            env={**env, "REDIS_URL": hosts.seen_from(_redis_url(), host)},
                            log=f"host{host.index}.log",
                        ).start()
                    )
                worker = hosts.worker_process(database, shared, {"REDIS_URL": _redis_url()})
                try:
                    upstreams = [f"{h.host.address}:{h.port}" for h in app_hosts]
                    with hosts.balancer(workdir, upstreams) as url:
                        yield Cluster(url, live, network, app_hosts, worker)
                finally:
                    os.killpg(worker.pid, 15)
                    worker.wait(timeout=10)
            finally:
                for app_host in app_hosts:
                    app_host.stop()
        from extensions import db

        with live.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _closed_clients(cluster):
    yield
    cluster.close_clients()


def _organiser(live: Live) -> str:
    from extensions import db
    from tests.builders import make_user

    email = f"organiser-{secrets.token_hex(3)}@example.ma"

    def create():
        make_user("organiser", email=email)
        db.session.commit()

    live.run(create)
    return email


def _idea_id(live: Live, code: str) -> int:
    from extensions import db
    from submissions.models import Idea

    return live.run(lambda: db.session.scalar(select(Idea.id).where(Idea.receipt_code == code)))


def _multipart(fields: dict, name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_nginx_alternates_between_two_hosts_in_their_own_network(cluster):
    client = cluster.client()
    served = [client.get("/healthz").headers["x-upstream"] for _ in range(4)]
    assert set(served) == set(cluster.upstreams)
    assert served[0] != served[1] and served[0] == served[2]
    if cluster.network.use_namespaces:
        assert all(address.startswith("10.213.") for address in served)


def test_a_form_served_by_one_host_is_accepted_by_the_other(cluster):
    slug = cluster.live.open_event()
    client = cluster.client()
    cluster.next_goes_to(client, cluster.upstreams[0])
    page = client.get(submit_path(slug))
    assert page.headers["x-upstream"] == cluster.upstreams[0]
    hidden = hidden_inputs(page.text)
    answer = client.post_form(submit_path(slug), {**hidden, **idea_form(1)})
    assert answer.headers["x-upstream"] == cluster.upstreams[1]
    code = receipt_of(client, answer)
    assert [stored for stored, _token in cluster.live.ideas(slug)] == [code]


def test_an_attachment_stored_through_one_host_is_downloaded_through_the_other(cluster):
    slug = cluster.live.open_event()
    client = cluster.client()
    hidden = fetch_form(client, slug)
    body, boundary = _multipart({**hidden, **idea_form(2)}, "attachment", "plan.pdf", PDF)
    answer = client.request(
        "POST",
        submit_path(slug),
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status == 303, answer.text[:300]
    stored_by = answer.headers["x-upstream"]
    code = receipt_of(client, answer)
    idea_id = _idea_id(cluster.live, code)

    organiser = cluster.client()
    sign_in(organiser, _organiser(cluster.live), "Tablette-2025!")
    cluster.next_goes_to(organiser, cluster.other(stored_by))
    download = organiser.get(f"/tour/events/{slug}/ideas/{idea_id}/attachment")
    assert download.status == 200
    assert download.headers["x-upstream"] != stored_by
    assert download.body == PDF
    assert download.headers["cache-control"] == "no-store"
    assert not any(Path(cluster.live.instance, "uploads").rglob("*.pdf")), "kept in PostgreSQL"


def test_the_submission_limit_of_an_event_holds_across_both_hosts(cluster):
    slug = cluster.live.open_event()
    client = cluster.client()
    hidden = fetch_form(client, slug)
    statuses, served = [], []
    for n in range(SUBMISSIONS_PER_EVENT + 2):
        answer = client.post_form(
            submit_path(slug), {**hidden, **idea_form(n), "submit_token": new_submit_token()}
        )
        statuses.append(answer.status)
        served.append(answer.headers["x-upstream"])
    # Each host saw only half the posts: only a limit counted in the shared Redis refuses any.
    assert set(served) == set(cluster.upstreams)
    assert statuses == [303] * SUBMISSIONS_PER_EVENT + [429] * 2
    assert len(cluster.live.ideas(slug)) == SUBMISSIONS_PER_EVENT


def test_the_sign_in_throttle_holds_across_both_hosts(cluster):
    email = _organiser(cluster.live)
    client = cluster.client()
    statuses, served = [], []
    hidden = hidden_inputs(client.get("/login").text)
    for _ in range(5):  # LOGIN_FREE_FAILURES, alternating between the hosts
        answer = client.post_form("/login", {**hidden, "email": email, "password": "wrong"})
        statuses.append(answer.status)
        served.append(answer.headers["x-upstream"])
    assert statuses == [401] * 5 and set(served) == set(cluster.upstreams)
    answer = client.post_form("/login", {**hidden, "email": email, "password": "Tablette-2025!"})
    assert answer.status == 429, "the right password must wait, whichever host answers"
    assert "session" not in client.cookies or client.get("/tour").status != 200


def test_an_export_started_on_one_host_is_downloaded_from_the_other(cluster):
    cluster.live.open_event()
    client = cluster.client()
    sign_in(client, _organiser(cluster.live), "Tablette-2025!")
    csrf = meta_csrf(client.get("/tour/rankings").text)
    answer = client.post_form("/tour/rankings.xlsx", {"csrf_token": csrf})
    assert answer.status == 303, answer.text[:300]
    started_on = answer.headers["x-upstream"]
    export_id = int(answer.location.rstrip("/").rsplit("/", 1)[-1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(f"/tour/exports/{export_id}.json").json()
        if state["status"] in {ExportState.DONE, ExportState.FAILED}:
            break
        time.sleep(0.5)
    assert state["status"] == ExportState.DONE, state
    cluster.next_goes_to(client, cluster.other(started_on))
    download = client.get(state["download_url"])
    assert download.status == 200
    assert download.headers["x-upstream"] != started_on
    assert download.body[:2] == b"PK"


def test_each_host_answers_health_checks_on_its_own_address(cluster):
    for app_host in cluster.app_hosts:
        with urllib.request.urlopen(app_host.url + "/healthz", timeout=5) as response:
            assert json.loads(response.read())
