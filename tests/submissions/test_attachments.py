"""Attachments are what they claim to be: a file must parse as the type its header names, is
stored and downloaded under that type's extension, never the name it was sent with."""

from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from extensions import db
from submissions import attachments
from submissions.models import Idea
from tests.builders import make_event, make_idea, make_user
from tests.submissions.conftest import JPEG, PDF, PNG, form_data, upload

REFUSED = "comme un PDF ou une photo : il est abîmé"
HTA = b'<html><head><HTA:APPLICATION ID="x"><script>new ActiveXObject("WScript.Shell")</script>'
POLYGLOTS = {
    "pdf header on an HTA": (b"%PDF-1.4\n" + HTA, "facture.hta"),
    "pdf header on an HTML page": (b"%PDF-1.7\n<script>alert(document.cookie)</script>", "x.html"),
    "real pdf with a script in its first bytes": (
        PDF[:9] + b"<script>alert(1)</script>\n" + PDF[9:],
        "plan.pdf",
    ),
    "jpeg header on a program": (b"\xff\xd8\xff\xe0" + b"MZ\x90\x00" + b"\x00" * 200, "photo.exe"),
    "png header on a program": (b"\x89PNG\r\n\x1a\n" + b"MZ\x90\x00" * 50, "photo.png"),
    "truncated pdf": (PDF[: len(PDF) // 2], "plan.pdf"),
    "truncated png": (PNG[: len(PNG) // 2], "photo.png"),
    "truncated jpeg": (JPEG[: len(JPEG) // 2], "photo.jpg"),
    "png inside a jpeg header": (b"\xff\xd8\xff" + PNG, "photo.jpg"),
}


def post(client, event, **overrides):
    return client.post(
        f"/e/{event.slug}/submit", data=form_data(**overrides), content_type="multipart/form-data"
    )


@pytest.mark.parametrize("case", POLYGLOTS)
def test_a_file_that_does_not_parse_as_its_claimed_type_is_refused(client, uploads_dir, case):
    content, name = POLYGLOTS[case]
    event = make_event()
    response = post(client, event, attachment=upload(content, name))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert REFUSED in page
    assert db.session.scalar(select(func.count(Idea.id))) == 0
    assert not uploads_dir.exists() or not any(uploads_dir.rglob("*.*"))


def test_a_refused_file_keeps_everything_else_the_participant_typed(client, uploads_dir):
    event = make_event()
    response = post(
        client,
        event,
        title="Coopérative d'argan",
        lead_name="Khadija",
        attachment=upload(POLYGLOTS["pdf header on an HTA"][0], "x.hta"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Coopérative d&#39;argan"' in page and 'value="Khadija"' in page
    assert "Choisissez de nouveau la pièce jointe" in page


def test_refusal_is_translated_into_arabic(client, uploads_dir):
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit?lang=ar",
        data=form_data(attachment=upload(b"%PDF-1.4\n" + HTA, "x.hta")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "لا يمكن فتح هذا الملف" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "name", "extension"),
    [(PDF, "projet.hta", ".pdf"), (JPEG, "photo.exe", ".jpg"), (PNG, "photo.html", ".png")],
)
def test_a_real_file_is_stored_under_its_type_extension_never_the_sent_one(
    client, uploads_dir, content, name, extension
):
    event = make_event()
    assert post(client, event, attachment=upload(content, name)).status_code == 303
    idea = db.session.scalar(select(Idea))
    assert idea.attachment_path.endswith(extension)
    assert (uploads_dir / idea.attachment_path).read_bytes() == content


def stored_idea(event, content, name, mime, extension):
    path = attachments.store(attachments.Upload(content, name, mime, extension), event.id)
    return make_idea(event, attachment_path=path, attachment_name=name, attachment_mime=mime)


def download(client, login, event, idea):
    login(make_user("organiser"))
    response = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/attachment")
    response.close()
    return response


def test_download_is_an_attachment_under_the_type_extension_with_nosniff(
    client, login, uploads_dir
):
    event = make_event()
    idea = stored_idea(event, PDF, "facture.hta", "application/pdf", ".pdf")
    response = download(client, login, event, idea)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "facture.pdf" in disposition
    assert ".hta" not in disposition


def test_a_non_ascii_name_is_sent_the_rfc_5987_way(client, login, uploads_dir):
    event = make_event()
    idea = stored_idea(event, JPEG, 'مشروع "التعاونية";\r\n.exe', "image/jpeg", ".jpg")
    response = download(client, login, event, idea)
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("مشروع _التعاونية.jpg") in disposition
    assert "\r" not in disposition and "\n" not in disposition and ".exe" not in disposition


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.pdf", "plan.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\a\\plan.exe", "plan.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("...", "attachment.pdf"),
        ("", "attachment.pdf"),
        (None, "attachment.pdf"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_download_name_keeps_a_safe_stem_and_the_type_extension(name, expected):
    assert attachments.download_name(name, ".pdf") == expected
