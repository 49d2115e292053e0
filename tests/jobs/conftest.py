"""Real services for the jobs tests: an SMTP server on loopback (aiosmtpd) that can refuse a
recipient, and the machine's Redis on a database number of our own (TEST_REDIS_URL)."""

import email
import os
import socket
import time
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller

from extensions import mail
from jobs.exports import _BUILDERS, register_export_builder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what arrives; addresses in `refuse` get a 550."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email_policy)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def use_mail_server(app, port: int) -> None:
    """Flask-Mail reads its settings when bound: rebind it to this port, really sending."""
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=5
    )
    app.extensions["mail"] = mail.init_mail(app.config, app.debug, False)


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app sends to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = app.extensions["mail"]
    use_mail_server(app, port)
    inbox.port = port
    yield inbox
    controller.stop()
    app.extensions["mail"] = saved


@pytest.fixture
def closed_port():
    return free_port()  # nothing listens there once the probe socket is closed


@pytest.fixture
def redis_url(app):
    """The real Redis, on a database number of this run (from the pid), flushed before and after."""
    base = os.environ.get("TEST_REDIS_URL")
    if not base:
        pytest.skip(
            "TEST_REDIS_URL is not set: the rq tests need the real Redis (the in-process path is tested)"
        )
    from redis import Redis

    host = base.split("://", 1)[1].split("/", 1)[0]
    url = f"redis://{host}/{8 + os.getpid() % 8}"
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis at {host} is unreachable: {error}")
    connection.flushdb()
    app.config["REDIS_URL"] = url
    app.config["RQ_QUEUE"] = f"ideathon-test-{os.getpid()}"
    yield url
    connection.flushdb()
    connection.close()


@pytest.fixture
def builders():
    """Register test export builders; removed afterwards."""
    added = []

    def add(kind, fn):
        register_export_builder(kind, fn)
        added.append(kind)

    yield add
    for kind in added:
        _BUILDERS.pop(kind, None)


def write_workbook(path, params, locale, progress):
    """A tiny but real workbook, with progress reported on the way."""
    from openpyxl import Workbook

    progress(10)
    book = Workbook()
    book.active["A1"] = params.get("title", "Classement")
    book.active["A2"] = locale
    progress(80)
    book.save(path)


@pytest.fixture(autouse=True)
def exports_dir(app, tmp_path):
    """Each test has its own exports folder, so "no file left" is checked on this test alone."""
    app.config["EXPORTS_DIR"] = str(tmp_path / "exports")
    return tmp_path / "exports"
