"""A real server process on loopback against a fresh, migrated database.

Shared by the benchmarks, the load and fault tests and the browser journeys: the app is served
the way it is deployed (gunicorn with gunicorn.conf.py, 2 workers), never in-process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = "load-and-bench-secret-key-0123456789abcdef"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_admin(base_url: str):
    from app import normalise_database_url

    return create_engine(normalise_database_url(base_url), isolation_level="AUTOCOMMIT")


@contextlib.contextmanager
def fresh_database(kind: str, directory: Path, base_url: str | None = None):
    """Yield the URL of a new empty database: a SQLite file in `directory`, or a PostgreSQL
    database created on the server of `base_url` (TEST_DATABASE_URL) and dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{Path(directory) / f'live-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    base = base_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    name = f"ideathon_live_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _pg_admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        from app import normalise_database_url

        yield (
            make_url(normalise_database_url(base))
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_environment(database_url: str, instance_dir: Path, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "FLASK_APP", "APP_ENV"}
    }
    env.update(
        DATABASE_URL=database_url,
        IDEATHON_INSTANCE=str(instance_dir),
        SECRET_KEY=SECRET_KEY,
        MAIL_SUPPRESS_SEND="true",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        # The load runs, benchmarks and browser tests post many ideas from 127.0.0.1.
        SUBMIT_LIMITS_PER_ADDRESS="100000 per minute",
        SUBMIT_LIMITS_PER_EVENT="100000 per minute",
    )
    env.update(extra)
    return env


def migrate(database_url: str, instance_dir: Path) -> None:
    """`flask db upgrade`, as a deploy runs it."""
    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=server_environment(database_url, instance_dir),
        check=True,
        capture_output=True,
    )


def seed_app(database_url: str, instance_dir: Path):
    """An app object bound to the live database, to seed it (with builders or the synthetic
    tour) from this process while the server serves it."""
    from app import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SUPPRESS_SEND": True,
            "WTF_CSRF_ENABLED": True,
            "EXPORTS_DIR": str(Path(instance_dir) / "exports"),
            "UPLOADS_DIR": str(Path(instance_dir) / "uploads"),
        },
        instance_path=str(instance_dir),
    )


class LiveServer:
    """gunicorn serving the app on a free loopback port."""

    def __init__(
        self,
        database_url: str,
        instance_dir: Path,
        *,
        workers: int = 2,
        clients: int | None = None,
        env: dict | None = None,
        wsgi_app: str | None = None,
    ):
        self.wsgi_app = wsgi_app  # another app than gunicorn.conf.py's (the bare WSGI floor)
        self.database_url = database_url
        self.instance_dir = Path(instance_dir)
        self.workers = workers
        # Clients that keep one connection each (the load runs): each worker takes at most its
        # share, or chance decides which worker serves how many (seen: 32 and 0, 29 and 3).
        self.worker_connections = -(-clients // workers) if clients else None
        self.extra_env = env or {}
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.instance_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """gunicorn with the deployed settings (gunicorn.conf.py), on this port."""
        return [
            str(VENV_BIN / "gunicorn"),
            "--config", str(ROOT / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            *(
                ["--worker-connections", str(self.worker_connections)]
                if self.worker_connections
                else []
            ),
            *([self.wsgi_app] if self.wsgi_app else []),
        ]  # fmt: skip

    def start(self, timeout: float = 30) -> LiveServer:
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=server_environment(self.database_url, self.instance_dir, **self.extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )
        log.close()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _signal_group(self, sig: int) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (a pulled plug, for the process)."""
        self._signal_group(signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=10)
        # Orphaned workers, if any, die with the group; make sure the port is free again.
        time.sleep(0.2)

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
