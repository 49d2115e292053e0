"""gunicorn's settings for ideathon. `gunicorn` started in this folder reads them (elsewhere:
`gunicorn -c path/to/gunicorn.conf.py`); the benchmarks, the load tests and the browser tests
serve the app through them too, so what is measured is what is deployed. Flags given on the
command line win (`-w 8` on a machine with more cores, `-b 0.0.0.0:8000`).

Two threads a worker (gthread). On 2 cores, 4 and 8 threads served fewer ideas a second on
both databases, at more CPU per request: the threads of one process queue for Python's GIL
and, on SQLite, for the single write lock (docs/performance.md, 2026-11-28). More workers, one
or two per core, are what scale. Idle keep-alive connections hold no thread; in production
nginx sits in front and hands over whole requests, so a slow phone does not hold one either.
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 2
backlog = 512
timeout = 60
graceful_timeout = 5


def post_worker_init(worker):
    """Each worker, once it has loaded the app: its startup objects leave the collector's
    sight (`extensions.settle_process`)."""
    from extensions import settle_process

    settle_process()
