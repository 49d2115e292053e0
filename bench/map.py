"""The territorial map's page on a 12-region tour (issue: the map of a tour with 3,600 ideas
answers in under 100 ms on SQLite, its SVG under 300 KB), timed beside `/healthz` on the same
server in the same run.

Each run warms the server (the boundaries and the census are read once per process), then asks
the map and `/healthz` in turns, one request at a time on a keep-alive connection."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.http import Client
from bench.report import load_average
from bench.server import LiveServer

PAGES = ("/bank/map", "/bank/map?layer=per_100k&lang=ar", "/bank/map/02?layer=unemployment")


def _median_ms(client: Client, path: str, requests: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status)
        size = len(response.body)
    return statistics.median(times), size


def run(kind: str, url: str, workdir: Path, runs: int, requests: int, figure) -> None:
    instance = workdir / f"instance-{kind}"
    with LiveServer(url, instance) as server:
        client = Client(server.url)
        for path in (*PAGES, "/healthz"):
            client.get(path)  # warm: outlines, census, templates
        for path in PAGES:
            ratios, values, refs, size = [], [], [], 0
            for _ in range(runs):
                value, size = _median_ms(client, path, requests)
                reference, _ = _median_ms(client, "/healthz", requests)
                values.append(value)
                refs.append(reference)
                ratios.append(value / reference)
            spread = f"min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f} ms"
            ratio_spread = f"ratio min {min(ratios):.1f} / max {max(ratios):.1f}"
            print(
                f"  [{kind}] {path}: {spread}, {ratio_spread}, {size / 1024:.0f} KB"
                f" | {load_average()}",
                flush=True,
            )
            median = statistics.median(values)
            figure(
                f"[{kind}] map page {path}",
                median,
                statistics.median(refs),
                "ms",
                "< 100 ms, < 300 KB",
                median < 100 and size < 300_000,
            )
        client.close()
