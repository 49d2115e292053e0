"""A small HTTP client (standard library only) and a concurrent load runner.

Each simulated client has its own keep-alive connection and cookie jar, like a phone or a
tablet; forms are fetched first for their CSRF token and idempotency token, as a browser does.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'(\w[\w-]*)\s*=\s*"([^"]*)"')
_META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
RECEIPT = re.compile(r"\b[A-Z]{3}-[2-9A-Z]{4}\b")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


def hidden_inputs(html: str) -> dict[str, str]:
    """name → value of every hidden input of the page (csrf_token, submit_token, ...)."""
    fields = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type", "").lower() == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def meta_csrf(html: str) -> str | None:
    match = _META_CSRF.search(html)
    return match.group(1) if match else None


class _Connection(http.client.HTTPConnection):
    """http.client sends a request's headers and its body in two writes, so a small POST went
    out as two packets, and the server read it in two (Python 3.11). A browser sends a small
    form in one: so does this connection."""

    def _send_output(self, message_body=None, encode_chunked=False):
        if not isinstance(message_body, bytes) or len(message_body) > 64 * 1024:
            return super()._send_output(message_body, encode_chunked)
        self._buffer.extend((b"", b""))  # what the parent does, then the body in the same write
        request = b"\r\n".join(self._buffer) + message_body
        del self._buffer[:]
        self.send(request)
        return None


class Client:
    """One browser-like client: keep-alive connection, cookies, no redirect following."""

    def __init__(self, base_url: str, timeout: float = 30, language: str | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.language = language
        self.conn: http.client.HTTPConnection | None = None
        self.state: dict = {}  # what a workload keeps between operations (the form's tokens)

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = _Connection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.language:
            headers.setdefault("Accept-Language", self.language)
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while idle: reconnect once. Only
                # safe because every write we send carries an idempotency token or is a retry-
                # safe autosave; a second failure is reported.
                self.close()
                if attempt == 2:
                    raise
        for value in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if raw.will_close:
            self.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict | str, headers: dict | None = None) -> Response:
        """POST form fields, or a body already encoded (sent with the headers, `_Connection`)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        body = data if isinstance(data, str) else urlencode(data, doseq=True)
        return self.request("POST", path, body=body.encode(), headers=headers)

    def post_json(self, path: str, payload, csrf: str | None = None, method="POST") -> Response:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if csrf:
            headers["X-CSRFToken"] = csrf
        return self.request(method, path, body=json.dumps(payload), headers=headers)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a list of numbers; 0 for an empty list."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    name: str
    clients: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful operations
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    results: list = field(default_factory=list)  # what each successful operation returned

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    def line(self) -> str:
        return (
            f"{self.name}: {self.per_second:.1f}/s, p50 {self.ms(50):.0f} ms, "
            f"p95 {self.ms(95):.0f} ms, p99 {self.ms(99):.0f} ms, {self.ok} ok, "
            f"{self.errors} errors ({self.clients} clients, {self.elapsed:.1f} s)"
        )


def combined(runs: list[LoadResult]) -> LoadResult:
    """Rounds of one load taken in turns with another, as one result: their operations, time
    and errors added up."""
    total = LoadResult(runs[0].name, runs[0].clients)
    for run in runs:
        total.elapsed += run.elapsed
        total.latencies += run.latencies
        total.errors += run.errors
        total.error_samples += run.error_samples
        total.results += run.results
    return total


class OperationError(Exception):
    """An operation got an answer it should not have (a 4xx/5xx, a missing receipt)."""


def run_load(
    name: str,
    base_url: str,
    operation: Callable[[Client, int], object],
    *,
    clients: int,
    duration: float | None = None,
    total: int | None = None,
    setup: Callable[[Client, int], None] | None = None,
    timeout: float = 30,
    think: Callable[[], float] | None = None,
    stagger: float = 0.0,
) -> LoadResult:
    """`clients` threads each run `operation(client, n)` in a loop, for `duration` seconds or
    until `total` operations were started. An operation returns what it produced (a receipt) or
    raises; its latency is the time it took. Optional `setup(client, index)` runs first (sign
    in) and is not timed; optional `think()` gives seconds to pause after each operation (a
    person between two taps), not timed either. With `stagger`, each client waits a random
    0–`stagger` s before its first operation (people do not all tap in the same millisecond);
    without it, every client starts at once."""
    if duration is None and total is None:
        raise ValueError("give a duration or a total")
    result = LoadResult(name, clients)
    lock = threading.Lock()
    counter = iter(range(10**12))
    stop_at = [0.0]
    clock_started = [0.0]

    def start_clock() -> None:
        # Run by the barrier before it lets anyone go: no client can see the clock unset (a
        # client that did would stop at once, and the run would count fewer clients).
        clock_started[0] = time.perf_counter()
        stop_at[0] = time.monotonic() + (duration or 0)

    barrier = threading.Barrier(clients + 1, action=start_clock)

    def next_number() -> int | None:
        with lock:
            n = next(counter)
        if total is not None and n >= total:
            return None
        if duration is not None and time.monotonic() >= stop_at[0]:
            return None
        return n

    def worker(index: int) -> None:
        client = Client(base_url, timeout=timeout)
        try:
            if setup:
                setup(client, index)
        except Exception as error:  # noqa: BLE001 - reported as an error of the run
            with lock:
                result.errors += 1
                result.error_samples.append(f"setup: {error!r}"[:300])
            barrier.wait()
            return
        barrier.wait()
        if stagger:
            time.sleep(random.Random(index).uniform(0, stagger))
        while (n := next_number()) is not None:
            started = time.perf_counter()
            try:
                produced = operation(client, n)
            except Exception as error:  # noqa: BLE001 - counted, sampled, and the run goes on
                client.close()
                with lock:
                    result.errors += 1
                    if len(result.error_samples) < 10:
                        result.error_samples.append(repr(error)[:300])
                continue
            latency = time.perf_counter() - started
            with lock:
                result.latencies.append(latency)
                result.results.append(produced)
            if think:
                time.sleep(think())
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join((duration or 0) + 120)
    result.elapsed = time.perf_counter() - clock_started[0]
    return result
