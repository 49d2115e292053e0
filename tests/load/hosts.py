"""Application hosts for the tests beyond one machine: each gunicorn in a network namespace of
its own (`ip netns`, a veth pair to this machine; PostgreSQL and Redis reached through the
host's end of the pair), or, where namespaces cannot be made (not root, no CAP_NET_ADMIN), on
a loopback address of its own (127.0.0.2, 127.0.0.3). Debian's nginx on loopback alternates
requests between them (round robin, nginx's default), from deploy/nginx.conf."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.server import VENV_BIN, LiveServer, free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SOCAT = shutil.which("socat")
APP_PORT = 8000


def _ip(*args: str, namespace: str | None = None) -> None:
    prefix = ["ip", "netns", "exec", namespace] if namespace else []
    subprocess.run([*prefix, "ip", *args], check=True, capture_output=True)


def namespaces_work() -> bool:
    """Whether this process may make a network namespace (root with CAP_NET_ADMIN) and has socat
    to carry PostgreSQL and Redis into it."""
    if os.geteuid() != 0 or not shutil.which("ip") or not SOCAT:
        return False
    name = f"ideathon-probe-{os.getpid()}"
    try:
        _ip("netns", "add", name)
    except (subprocess.CalledProcessError, OSError):
        return False
    _ip("netns", "del", name)
    return True


@dataclass
class Host:
    """Where one application host lives and how it reaches the shared services."""

    index: int
    namespace: str | None
    address: str  # the app's, as nginx and this test reach it
    services: str  # the address PostgreSQL and Redis are reached at from inside the host
    processes: list = field(default_factory=list)

    def prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.namespace] if self.namespace else []


class Network:
    """Two hosts' network: namespaces with a veth pair each, and socat carrying PostgreSQL's and
    Redis's ports from the host's end of each pair to this machine's loopback; or two loopback
    addresses."""

    def __init__(self, count: int = 2, *, namespaces: bool | None = None):
        self.count = count
        if namespaces is None:  # IDEATHON_NO_NETNS=1: the loopback addresses, to try them here
            namespaces = not os.environ.get("IDEATHON_NO_NETNS") and namespaces_work()
        self.use_namespaces = namespaces
        self.hosts: list[Host] = []
        self._forwarders: list[subprocess.Popen] = []
        self.tag = f"{os.getpid() % 100000}"

    def __enter__(self) -> Network:
        try:
            for index in range(1, self.count + 1):
                self.hosts.append(self._add(index))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _add(self, index: int) -> Host:
        if not self.use_namespaces:
            return Host(index, None, f"127.0.0.{index + 1}", "127.0.0.1")
        namespace = f"ideathon-{self.tag}-{index}"
        outside, inside = f"ih{index}x{self.tag}"[:15], f"ih{index}y{self.tag}"[:15]
        subnet = f"10.213.{index}"
        _ip("netns", "add", namespace)
        host = Host(index, namespace, f"{subnet}.2", f"{subnet}.1")
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        _ip("link", "set", inside, "netns", namespace)
        _ip("addr", "add", f"{subnet}.1/24", "dev", outside)
        _ip("link", "set", outside, "up")
        _ip("addr", "add", f"{subnet}.2/24", "dev", inside, namespace=namespace)
        _ip("link", "set", inside, "up", namespace=namespace)
        _ip("link", "set", "lo", "up", namespace=namespace)
        return host

    def forward(self, port: int) -> None:
        """Make 127.0.0.1:port of this machine reachable from each namespace at its host's end."""
        if not self.use_namespaces:
            return
        for host in self.hosts:
            self._forwarders.append(
                subprocess.Popen(
                    [
                        SOCAT,
                        f"TCP-LISTEN:{port},bind={host.services},fork,reuseaddr",
                        f"TCP:127.0.0.1:{port}",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        for process in self._forwarders:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        for host in self.hosts:
            if host.namespace:
                with contextlib.suppress(subprocess.CalledProcessError):
                    _ip("netns", "del", host.namespace)  # the veth pair goes with it


def postgresql_or_skip() -> None:
    """Skip (with the reason) when no PostgreSQL answers at TEST_DATABASE_URL."""
    import pytest
    from sqlalchemy.exc import OperationalError

    from bench.server import DEFAULT_PG, _pg_admin

    engine = _pg_admin(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        pytest.skip(f"these hosts share a PostgreSQL server; none answers: {error}")
    finally:
        engine.dispose()


def seen_from(url: str, host: Host) -> str:
    """A database or Redis URL of this machine's loopback, as the host reaches it."""
    parsed = make_url(url)
    return parsed.set(host=host.services).render_as_string(hide_password=False)


class AppHost(LiveServer):
    """gunicorn (gunicorn.conf.py, as deployed) on one host's address."""

    def __init__(self, host: Host, database_url: str, instance_dir: Path, *, env: dict, log: str):
        super().__init__(database_url, instance_dir, workers=1, env=env)
        self.host = host
        self.port = APP_PORT
        self.log_path = Path(instance_dir) / log

    @property
    def url(self) -> str:
        return f"http://{self.host.address}:{self.port}"

    def command(self) -> list[str]:
        command = super().command()
        command[command.index("--bind") + 1] = f"{self.host.address}:{self.port}"
        return [*self.host.prefix(), *command]


def worker_process(database_url: str, instance_dir: Path, env: dict) -> subprocess.Popen:
    """An rq worker (`flask worker`) on the shared Redis, on this machine."""
    from bench.server import server_environment

    log = open(Path(instance_dir) / "worker.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(VENV_BIN / "flask"), "--app", "app", "worker", "--interval", "5"],
        cwd=ROOT,
        env=server_environment(database_url, instance_dir, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process


def balancer_config(directory: Path, upstreams: list[str], port: int) -> Path:
    """deploy/nginx.conf as shipped, its upstream being the hosts (round robin), each answer
    naming the host that served it (X-Upstream), listening on loopback; the main config."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"    server {address};\n" for address in upstreams)
    for shipped, here in (
        ("    server 127.0.0.1:8000;", servers.rstrip("\n")),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/srv/ideathon/static/", f"{ROOT}/static/"),
        (
            "proxy_pass http://ideathon_app;",
            "proxy_pass http://ideathon_app;\n        add_header X-Upstream $upstream_addr always;",
        ),
    ):
        assert shipped in text, shipped
        text = text.replace(shipped, here)
    site = directory / "ideathon.conf"
    site.write_text(text)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = directory / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log off;\n{temp}\n    include {site};\n}}\n"
    )
    return main


@contextlib.contextmanager
def balancer(directory: Path, upstreams: list[str]):
    """Debian's nginx alternating requests between the upstreams; yields its URL."""
    port = free_port()
    config = balancer_config(directory, upstreams, port)
    with (directory / "nginx.out").open("wb") as output:
        nginx = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(directory)], stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if nginx.poll() is not None:
                raise RuntimeError((directory / "nginx.out").read_text())
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
