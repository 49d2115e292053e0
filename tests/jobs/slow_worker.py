"""A real rq worker process for the kill test: `python -m tests.jobs.slow_worker '<config json>'`.
It knows a slow export builder ("slow-test") that writes its file bit by bit."""

import json
import sys
import time

from app import create_app
from jobs.exports import register_export_builder
from jobs.worker import run_worker


def slow(path, params, locale, progress):
    steps = int(params.get("steps", 600))
    with open(path, "wb") as handle:
        for step in range(steps):
            handle.write(b"x" * 100)
            handle.flush()
            progress(step * 100 // steps)
            time.sleep(0.05)


if __name__ == "__main__":
    register_export_builder("slow-test", slow)
    config = json.loads(sys.argv[1])
    instance = config.pop("INSTANCE")
    run_worker(create_app(config, instance_path=instance), burst=True)
