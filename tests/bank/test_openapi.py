"""The public feed against its OpenAPI description: the document itself, then schemathesis run
on a live server (gunicorn on loopback) with every check it has."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bank.models import BankProject
from bench.server import LiveServer, fresh_database, migrate, seed_app
from extensions import db
from tests.bank.conftest import SEEDED_EMAIL, SEEDED_PHONE


def test_the_document_describes_the_feed_and_its_vocabularies(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/bank/projects", "/api/bank/projects/{project_id}"}
    project = doc["components"]["schemas"]["Project"]["properties"]
    assert (
        "contact_phone" not in project and "contact_email" not in project and "team" not in project
    )
    assert doc["servers"][0]["url"] == "http://localhost"


def test_the_feed_carries_no_personal_data(client, bank_with_contact):
    body = client.get("/api/bank/projects?per_page=100").get_data(as_text=True)
    assert SEEDED_PHONE not in body and SEEDED_EMAIL not in body and "Amina" not in body


@pytest.fixture
def bank_with_contact(app):
    db.session.add(
        BankProject(
            title="Miel", sector="agriculture", region_code="02", province_code="02.113",
            contact_name="Amina", contact_phone=SEEDED_PHONE, contact_email=SEEDED_EMAIL,
            team="Amina et Khadija",
        )
    )  # fmt: skip
    db.session.commit()


SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.load
@pytest.mark.skipif(not SCHEMATHESIS.exists(), reason="schemathesis is not installed")
def test_schemathesis_finds_nothing_wrong_with_the_live_feed(tmp_path):
    with fresh_database("sqlite", tmp_path) as url:
        instance = tmp_path / "instance"
        migrate(url, instance)
        app = seed_app(url, instance)
        with app.app_context():
            for n, sector in enumerate(("agriculture", "tourism", "handicrafts")):
                db.session.add(
                    BankProject(
                        title=f"Projet {n} — مشروع", sector=sector, region_code="02",
                        province_code="02.411", budget_mad=100_000 * (n + 1), contact_phone=SEEDED_PHONE,
                        financial_plan={"investment": [{"label": "Local", "amount_mad": 1000}],
                                        "years": [{"revenue_mad": 900, "costs_mad": 100, "jobs": 2}]},
                    )
                )  # fmt: skip
            db.session.commit()
            db.engine.dispose()
        with LiveServer(url, instance) as server:
            run = subprocess.run(
                [
                    str(SCHEMATHESIS), "run", f"{server.url}/api/openapi.json",
                    "--checks", "all", "--max-examples", "30", "--workers", "1",
                    "--suppress-health-check", "too_slow", "--seed", "20261130",
                ],
                capture_output=True, text=True, timeout=600,
                env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""},
            )  # fmt: skip
    report = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "passed" in report.lower() or "no issues" in report.lower(), report
