"""Helpers for the submissions tests: a valid form post, small real PDF, PNG and JPEG files."""

import io

import pytest
from PIL import Image
from pypdf import PdfWriter

TOKEN = "tok-" + "a" * 28


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


PDF, PNG, JPEG = _pdf(), _image("PNG"), _image("JPEG")


def form_data(**overrides) -> dict:
    """Everything a participant would type for a valid idea (French, phone in 06 format)."""
    data = {
        "submit_token": TOKEN,
        "title": "Coopérative de couscous",
        "problem": "Les femmes rurales n'ont pas de revenu régulier.",
        "solution": "Rouler et vendre du couscous artisanal.",
        "sector": "agrifood",
        "region_code": "02",
        "province_code": "02.411",
        "beneficiaries": "Femmes rurales",
        "local_resources": "Blé dur local",
        "expected_jobs": "8",
        "budget_mad": "250 000",
        "financing_sought_mad": "150000",
        "team_kind": "group",
        "lead_name": "Fatima Zahra",
        "lead_phone": "06 12 34 56 78",
        "lead_email": "",
        "lead_gender": "female",
        "lead_age_bracket": "25_34",
        "lead_status": "job_seeker",
        "other_members": "",
        "consent": "y",
    }
    data.update(overrides)
    return data


def upload(content: bytes, name: str):
    return (io.BytesIO(content), name)


@pytest.fixture
def uploads_dir(app, tmp_path):
    """A fresh uploads folder for this test, attachments kept in it (FILE_STORE "directory",
    whichever the database; the app's config is restored afterwards)."""
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    app.config["FILE_STORE"] = "directory"
    return tmp_path / "uploads"
