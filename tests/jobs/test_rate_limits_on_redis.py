"""The submission limits counted in the real Redis (REDIS_URL set): shared by every gunicorn
worker, so that a second worker does not hand out a second allowance."""

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from redis import Redis

from bench.server import LiveServer, migrate, seed_app
from competitions.states import EventState
from extensions import db
from tests.submissions.conftest import form_data

pytestmark = pytest.mark.redis


def send_idea(url: str) -> int:
    """One participant: the form page (its CSRF token and cookie), then the idea."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(url, timeout=10).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = form_data(submit_token=secrets.token_urlsafe(24), csrf_token=csrf)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
    request.add_header("Referer", url)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_share_one_allowance_kept_in_redis(redis_url, tmp_path):
    database = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    instance = tmp_path / "instance"
    migrate(database, instance)
    seeder = seed_app(database, instance)
    with seeder.app_context():
        from tests.builders import make_event

        slug = make_event(state=EventState.OPEN).slug
        db.session.remove()
        db.engine.dispose()
    env = {"REDIS_URL": redis_url, "SUBMIT_LIMITS_PER_ADDRESS": "3 per minute"}
    with LiveServer(database, instance, workers=2, env=env) as server:
        statuses = [send_idea(f"{server.url}/e/{slug}/submit") for _ in range(8)]
    assert statuses == [200] * 3 + [429] * 5, statuses  # 200: the receipt, after the redirect
    assert Redis.from_url(redis_url).keys("*ideathon-limits*"), "the counts are not in Redis"
