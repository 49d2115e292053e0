"""The job queue: rq on Redis when REDIS_URL is set, in-process otherwise."""

from flask import current_app


def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)


def redis_ok() -> bool:
    try:
        return bool(redis_connection().ping())
    except Exception:  # noqa: BLE001 - unreachable, refused, timed out: all mean "not ok"
        return False
