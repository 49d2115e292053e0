"""deploy/nginx.conf in front of a live gunicorn (finding 6 of issue 15): with slow clients
sending their bodies a byte at a time, /healthz still answers through nginx, because nginx
reads each body whole before gunicorn sees the request. Debian's nginx on loopback."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench.server import LiveServer, free_port, fresh_database, migrate

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW_CLIENTS = 16

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK),
        reason="Debian's nginx is not installed (apt-get install nginx-light)",
    ),
]


def site_config(app_port: int, port: int) -> str:
    """deploy/nginx.conf as shipped, pointed at this gunicorn, port and checkout."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for shipped, here in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/srv/ideathon/static/", f"{ROOT}/static/"),
    ):
        assert shipped in text, shipped
        text = text.replace(shipped, here)
    return text


def main_config(directory: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log off;\n{temp}\n    include {site};\n}}\n"
    )


@pytest.fixture
def proxied(tmp_path):
    """A live gunicorn (2 workers of 2 threads, as deployed) behind nginx; nginx's URL."""
    with fresh_database("sqlite", tmp_path) as url:
        instance = tmp_path / "instance"
        migrate(url, instance)
        with LiveServer(url, instance, env={"PROXY_HOPS": "1"}) as server:
            port = free_port()
            site = tmp_path / "ideathon.conf"
            site.write_text(site_config(server.port, port))
            config = tmp_path / "nginx.conf"
            config.write_text(main_config(tmp_path, site))
            with (tmp_path / "nginx.out").open("wb") as output:
                nginx = subprocess.Popen(
                    [NGINX, "-c", str(config), "-p", str(tmp_path)],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            try:
                yield _wait_ready(f"http://127.0.0.1:{port}", nginx, tmp_path)
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)


def _wait_ready(url: str, nginx, directory: Path) -> str:
    for _ in range(100):
        if nginx.poll() is not None:
            pytest.fail(f"nginx exited: {(directory / 'nginx.out').read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return url
        except OSError:
            time.sleep(0.1)
    pytest.fail("nginx did not answer")


def slow_client(url: str) -> socket.socket:
    """A POST announcing a 1,000-byte body and sending only its first bytes."""
    host, port = url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=5)
    connection.sendall(
        b"POST /e/anything/submit HTTP/1.1\r\nHost: ideathon\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nt"
    )
    return connection


def test_slow_bodies_do_not_hold_the_app_behind_nginx(proxied):
    clients = [slow_client(proxied) for _ in range(SLOW_CLIENTS)]
    try:
        for step in range(3):  # a byte a client at a time, bodies never complete
            for connection in clients:
                connection.sendall(b"x")
            with urllib.request.urlopen(proxied + "/healthz", timeout=5) as response:
                assert response.status == 200, step
                assert response.headers["X-Frame-Options"] == "DENY"
    finally:
        for connection in clients:
            connection.close()


def test_static_files_are_served_by_nginx_with_nosniff(proxied):
    with urllib.request.urlopen(proxied + "/static/js/app.js", timeout=5) as response:
        assert response.status == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert b"ideathon" in response.read()
