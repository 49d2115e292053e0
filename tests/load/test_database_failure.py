"""The database dies under load and comes back (issue 21, "Database failure"): a PostgreSQL of
the test's own (initdb in a temporary folder, its own port) is killed with SIGKILL, every one of
its processes, in the middle of a burst of 500 submissions from 30 clients, then started
again. Clients do what a phone does with an answer it did not get: send the same form (the same
one-time token) again. Every receipt a client received is stored, none twice; during the outage
the app answers a clean, translated 503 (never a 500 page); and the same gunicorn processes
serve again once the database is back, without being restarted."""

from __future__ import annotations

import contextlib
import glob
import http.client
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.http import Client, OperationError, hidden_inputs
from bench.server import LiveServer, free_port, migrate, seed_app
from bench.workloads import idea_form, new_submit_token, receipt_of, submit_path
from tests.load.conftest import Live

SUBMISSIONS = 500
CLIENTS = 30
KILL_AFTER = 150  # receipts handed out before the database is killed
DOWN_SECONDS = 3
UNAVAILABLE = "momentanément indisponible"  # the 503's message, in French (the default)

pytestmark = pytest.mark.load


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class OwnPostgres:
    """A PostgreSQL server of this test's own: its data folder, its port, its process group
    (killed whole with SIGKILL: the postmaster and every backend, as a power cut would)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="ideathon-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        # As root, PostgreSQL must run as its own user (it refuses root).
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--no-instructions"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self, timeout: float = 30) -> None:
        log = open(self.folder / "postgres.log", "ab")  # noqa: SIM115 - closed below
        self.process = subprocess.Popen(
            [*self.prefix, str(self.bindir / "postgres"), "-D", str(self.data),
             "-p", str(self.port), "-k", str(self.folder),
             "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        engine = create_engine(self.url)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    with engine.connect() as connection:
                        connection.execute(text("SELECT 1"))
                    return
                except OperationalError:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        raise RuntimeError(self.log_tail()) from None
                    time.sleep(0.1)
        finally:
            engine.dispose()

    def kill(self) -> None:
        """SIGKILL to every process of the server at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        time.sleep(0.2)  # the port and the shared memory are free again

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self) -> str:
        return (self.folder / "postgres.log").read_text(errors="replace")[-3000:]


def _children(pid: int) -> set[int]:
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children |= {int(c) for c in (task / "children").read_text().split()}
    return children


@pytest.fixture
def own_postgres(tmp_path):
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root, and no postgres user to run PostgreSQL as")
    server = OwnPostgres(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()


class Burst:
    """30 clients sending 500 ideas between them; each idea is sent again, with the same
    one-time token, until a receipt comes back."""

    def __init__(self, url: str, slug: str):
        self.url, self.slug = url, slug
        self.lock = threading.Lock()
        self.next = 0
        self.receipts: dict[str, str] = {}  # submit token → receipt code received
        self.statuses: dict[int, int] = {}
        self.unavailable_pages: list[str] = []
        self.connection_errors = 0
        self.unexpected: list[str] = []

    def _count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def _take(self) -> int | None:
        with self.lock:
            if self.next >= SUBMISSIONS:
                return None
            self.next += 1
            return self.next

    def _until_answered(self, client: Client, send, deadline: float):
        """send(client) until it answers something other than 503 or a dropped connection."""
        while time.monotonic() < deadline:
            try:
                answer = send(client)
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.connection_errors += 1
                client.close()
                time.sleep(0.2)
                continue
            self._count(answer.status)
            if answer.status != 503:
                return answer
            if len(self.unavailable_pages) < 3:
                self.unavailable_pages.append(answer.text)
            time.sleep(0.2)
        raise TimeoutError("no answer but 503 until the deadline")

    def client_run(self, deadline: float) -> None:
        client = Client(self.url, timeout=10)
        try:
            page = self._until_answered(client, lambda c: c.get(submit_path(self.slug)), deadline)
            hidden = hidden_inputs(page.text)
            while (n := self._take()) is not None:
                token = new_submit_token()
                fields = {**hidden, **idea_form(n), "submit_token": token}
                while True:
                    answer = self._until_answered(
                        client, lambda c, f=fields: c.post_form(submit_path(self.slug), f), deadline
                    )
                    if answer.status not in (200, 303):
                        self.unexpected.append(f"{answer.status}: {answer.text[:300]}")
                        break
                    try:
                        code = receipt_of(client, answer)
                    except (OperationError, OSError, http.client.HTTPException):
                        continue  # the receipt page did not come: send the same form again
                    with self.lock:
                        assert self.receipts.setdefault(token, code) == code
                    break
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.unexpected.append(repr(error))
        finally:
            client.close()


def test_postgresql_killed_mid_burst_loses_no_receipt_and_stores_none_twice(own_postgres, tmp_path):
    instance = tmp_path / "instance"
    migrate(own_postgres.url, instance)
    live = Live(own_postgres.url, instance, seed_app(own_postgres.url, instance))
    slug = live.open_event()
    from extensions import db

    with live.app.app_context():
        db.engine.dispose()  # the seeding app holds no connection through the kill

    with LiveServer(own_postgres.url, instance, clients=CLIENTS) as server:
        master, workers = server.process.pid, _children(server.process.pid)
        burst = Burst(server.url, slug)
        deadline = time.monotonic() + 240
        threads = [
            threading.Thread(target=burst.client_run, args=(deadline,)) for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        while len(burst.receipts) < KILL_AFTER and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        received_before_kill = len(burst.receipts)
        own_postgres.kill()
        time.sleep(DOWN_SECONDS)
        own_postgres.start()
        for thread in threads:
            thread.join(timeout=max(1, deadline - time.monotonic()))

        assert not burst.unexpected, burst.unexpected[:5]
        assert len(burst.receipts) == SUBMISSIONS
        assert received_before_kill < SUBMISSIONS, "the kill came in the middle of the burst"
        assert burst.statuses.get(503, 0) > 0, burst.statuses  # the outage was seen, cleanly
        assert 500 not in burst.statuses, burst.statuses
        assert all(UNAVAILABLE in page for page in burst.unavailable_pages)
        # Recovered by itself: the same master and the same workers serve again.
        assert server.process.poll() is None
        assert _children(master) == workers, "gunicorn restarted a worker"
        print(
            f"\nreceipts before the kill {received_before_kill}, statuses {burst.statuses}, "
            f"dropped connections {burst.connection_errors}"
        )

    stored = live.ideas(slug)
    codes = [code for code, _token in stored]
    assert len(stored) == SUBMISSIONS, "one idea per receipt, none twice"
    assert len(set(codes)) == len(codes)
    assert set(codes) == set(burst.receipts.values())
    assert {token for _code, token in stored} == set(burst.receipts)
    with live.app.app_context():
        db.session.remove()
        db.engine.dispose()
