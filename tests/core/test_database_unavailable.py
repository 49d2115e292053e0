"""A database that cannot be reached (restarting, failed over) gets a clean 503 in the page's
language, asking to send again, never the 500 page (tests/load/test_database_failure.py kills a
real PostgreSQL under load)."""

import pytest
from sqlalchemy.exc import InterfaceError, OperationalError

from tests.builders import make_event


def _gone(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def _closed(*_args, **_kwargs):
    raise InterfaceError("SELECT 1", {}, Exception("the connection is closed"))


@pytest.mark.parametrize("failure", [_gone, _closed])
def test_a_page_whose_database_is_gone_answers_503_in_the_visitors_language(
    client, monkeypatch, failure
):
    slug = make_event().slug
    monkeypatch.setattr("submissions.views._event", failure)
    response = client.get(f"/e/{slug}/submit")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "momentanément indisponible" in response.get_data(as_text=True)
    arabic = client.get(f"/e/{slug}/submit?lang=ar")
    assert arabic.status_code == 503
    assert "الخدمة غير متاحة مؤقتًا" in arabic.get_data(as_text=True)


def test_a_json_request_gets_the_503_as_json(client, monkeypatch):
    slug = make_event().slug
    monkeypatch.setattr("submissions.views._event", _gone)
    response = client.get(f"/e/{slug}/submit", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "indisponible" in response.get_json()["error"]
