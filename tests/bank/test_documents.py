"""Documents of a project's milestones: kept in the file store, typed by content, size-capped,
read and deleted by organisers and the project's adviser only, every step audited."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from audit.models import AuditEntry
from bank import documents
from bank.models import BankProject, Milestone, MilestoneDocument
from extensions import db
from tests.builders import make_user
from tests.submissions.conftest import JPEG, PDF, PNG


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _zip(**parts) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def path(app):
    adviser = make_user("facilitator", name="Salma Conseillère")
    project = BankProject(
        title="Séchoir solaire",
        sector="agrifood",
        region_code="02",  # L'Oriental
        province_code="02.411",  # Oujda-Angad
        adviser=adviser,
    )
    milestone = Milestone(project=project, kind="statutes", position=2, note="")
    db.session.add_all([project, milestone])
    db.session.commit()
    return {"milestone": milestone, "adviser": adviser, "organiser": make_user("organiser")}


def _send(client, milestone, data, name="statuts.pdf"):
    return client.post(
        f"/tour/bank/milestones/{milestone.id}/documents",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (PDF, "statuts.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (JPEG, "recu.jpg", "image/jpeg"),
        (
            _xlsx(),
            "budget.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (_odt(), "pv.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_the_adviser_sends_lists_downloads_and_deletes_a_document(
    client, login, path, data, name, mime
):
    milestone = path["milestone"]
    login(path["adviser"])
    assert _send(client, milestone, data, name).status_code == 303
    document = db.session.query(MilestoneDocument).one()
    assert (document.name, document.mime, document.size) == (name, mime, len(data))
    page = client.get(f"/tour/bank/milestones/{milestone.id}/documents").get_data(as_text=True)
    assert name in page
    download = client.get(f"/tour/bank/documents/{document.id}/download")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"].startswith(mime)
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    assert client.post(f"/tour/bank/documents/{document.id}/delete").status_code == 303
    assert db.session.query(MilestoneDocument).count() == 0
    with pytest.raises(FileNotFoundError):
        documents.file_store().open(document.key)
    actions = {(e.entity, e.action) for e in db.session.query(AuditEntry)}
    assert {
        ("milestone", "document_added"),
        ("milestone", "document_deleted"),
        ("milestone_document", "download_document"),
    } <= actions


def test_a_download_is_saved_under_the_type_of_its_content(client, login, path):
    login(path["organiser"])
    _send(client, path["milestone"], PDF, "statuts.exe")
    document = db.session.query(MilestoneDocument).one()
    download = client.get(f"/tour/bank/documents/{document.id}/download")
    download.close()
    disposition = download.headers["Content-Disposition"]
    assert "statuts.pdf" in disposition and ".exe" not in disposition


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "vide.pdf", "Le fichier est vide"),
        (b"MZ\x90\x00 a program", "statuts.pdf", "Envoyez un PDF"),
        (b"%PDF-1.4 <script>alert(1)</script>", "statuts.pdf", "Envoyez un PDF"),
        (b"%PDF-1.4 not really", "statuts.pdf", "Envoyez un PDF"),
        (_zip(**{"a.txt": "a zip, not a document"}), "statuts.docx", "Envoyez un PDF"),
        (
            _zip(**{"[Content_Types].xml": "<x/>", "word/document.xml": b"\0" * (65 * 2**20)}),
            "b.docx",
            "Envoyez",
        ),
        (PDF, "n" * 197 + ".pdf", "Le nom du fichier est trop long"),
    ],
    ids=["empty", "program", "markup", "broken-pdf", "plain-zip", "zip-bomb", "long-name"],
)
def test_a_bad_file_is_refused_in_words_and_nothing_is_kept(
    client, login, path, data, name, message
):
    login(path["organiser"])
    response = _send(client, path["milestone"], data, name)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'id="f-document-error"' in body
    assert db.session.query(MilestoneDocument).count() == 0


def test_a_name_of_the_longest_length_is_kept(client, login, path):
    login(path["organiser"])
    name = "n" * (documents.NAME_MAX - 4) + ".pdf"
    assert _send(client, path["milestone"], PDF, name).status_code == 303
    assert db.session.query(MilestoneDocument).one().name == name


def test_a_file_too_large_is_refused(app, client, login, path, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_DOCUMENT_MAX_BYTES", len(PDF) - 1)
    login(path["organiser"])
    response = _send(client, path["milestone"], PDF)
    assert response.status_code == 422
    assert "Le fichier est trop volumineux" in response.get_data(as_text=True)
    assert db.session.query(MilestoneDocument).count() == 0


def test_a_post_without_a_file_asks_for_one(client, login, path):
    login(path["organiser"])
    response = client.post(f"/tour/bank/milestones/{path['milestone'].id}/documents", data={})
    assert response.status_code == 422
    assert "Choisissez un fichier" in response.get_data(as_text=True)


def test_a_milestone_keeps_a_bounded_number_of_documents(client, login, path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENTS", 1)
    login(path["organiser"])
    assert _send(client, path["milestone"], PDF).status_code == 303
    assert _send(client, path["milestone"], PNG, "b.png").status_code == 409
    assert db.session.query(MilestoneDocument).count() == 1


@pytest.mark.parametrize("role", ["facilitator", "coordinator", "viewer", "jury"])
def test_staff_other_than_the_adviser_neither_read_nor_send(client, login, path, role):
    login(path["organiser"], client)
    _send(client, path["milestone"], PDF)
    document = db.session.query(MilestoneDocument).one()
    login(make_user(role))
    milestone_id = path["milestone"].id
    assert client.get(f"/tour/bank/milestones/{milestone_id}/documents").status_code == 403
    assert client.get(f"/tour/bank/documents/{document.id}/download").status_code == 403
    assert _send(client, path["milestone"], PNG, "b.png").status_code == 403
    assert client.post(f"/tour/bank/documents/{document.id}/delete").status_code == 403
    assert db.session.query(MilestoneDocument).count() == 1


def test_documents_are_never_public(client, login, path):
    login(path["organiser"])
    _send(client, path["milestone"], PDF)
    document = db.session.query(MilestoneDocument).one()
    client.get("/logout")
    anonymous = client.application.test_client()
    answer = anonymous.get(f"/tour/bank/documents/{document.id}/download")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    project_id = path["milestone"].project_id
    assert "statuts" not in anonymous.get(f"/bank/{project_id}").get_data(as_text=True)
    assert "statuts" not in anonymous.get(f"/api/bank/projects/{project_id}").get_data(as_text=True)


def test_the_project_page_links_each_milestone_to_its_documents(client, login, path):
    login(path["organiser"])
    _send(client, path["milestone"], PDF)
    project_id = path["milestone"].project_id
    page = client.get(f"/tour/bank/{project_id}").get_data(as_text=True)
    assert f"/tour/bank/milestones/{path['milestone'].id}/documents" in page
    assert "1 document" in page


def test_an_adviser_who_is_not_an_organiser_is_reminded_with_the_projects_path(path):
    from datetime import date, timedelta

    from bank import accompaniment
    from jobs.models import OutboxEmail

    milestone = path["milestone"]
    milestone.due_on = date(2026, 1, 1)
    db.session.commit()
    assert accompaniment.remind_overdue(date(2026, 1, 1) + timedelta(days=3)) == 1
    email = db.session.query(OutboxEmail).one()
    project_id = milestone.project_id
    assert f"/tour/bank/advising/{project_id}#milestone-{milestone.id}" in email.body_text
    assert "/tour/bank/advising\n" in email.body_text  # and to all the projects they advise
