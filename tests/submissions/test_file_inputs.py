"""File inputs speak the page's language: the browser's own button and "no file chosen" are in
the browser's language (French on an Arabic page of a French tablet), so every file input is
the `file_input` macro (templates/_macros.html): the real input, transparent, over a button and
a name written in the page's language. The browser journey is tests/e2e/test_participant_journey.py."""

import re
from pathlib import Path

import pytest

from tests.builders import make_event
from tests.submissions.conftest import PDF, form_data, upload

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_writes_a_file_input_of_its_own():
    raw = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.name != "_macros.html" and re.search(r'type=["\']?file', path.read_text())
    ]
    assert raw == []


@pytest.mark.parametrize(
    "lang, button, empty",
    [("ar", "اختيار ملف", "لم يُختر أي ملف"), ("fr", "Choisir un fichier", "Aucun fichier choisi"),
     ("en", "Choose a file", "No file chosen")],
)  # fmt: skip
def test_the_idea_forms_attachment_picker_is_in_the_pages_language(client, lang, button, empty):
    event = make_event()
    page = client.get(f"/e/{event.slug}/submit?lang={lang}").get_data(as_text=True)
    picker = re.search(r'<span class="file-picker[^"]*">.*?</span>\s*</span>\s*</span>', page, re.S)
    assert picker, "no file picker on the idea form"
    picker = picker.group(0)
    assert re.search(r'<input type="file" class="file-picker-input" [^>]*id="attachment"', picker)
    assert (
        'name="attachment"' in picker and 'accept="application/pdf,image/png,image/jpeg"' in picker
    )
    assert f'<span class="btn btn-outline-secondary btn-touch">{button}</span>' in picker
    assert f'data-empty="{empty}">{empty}</span>' in picker
    assert 'aria-hidden="true"' in picker  # the input alone speaks, with its own label
    assert '<label class="form-label fw-semibold" for="attachment">' in page


def test_a_refused_attachment_marks_the_picker_and_names_its_message(app, client, uploads_dir):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit?lang=ar",
        data=form_data(attachment=upload(PDF + b"0" * 1000, "gros.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = re.search(r'<input type="file" class="file-picker-input is-invalid"[^>]*>', page)
    assert field, "the refused attachment's picker is not marked invalid"
    assert 'aria-invalid="true"' in field.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field.group(0)).group(1).split()
    assert "attachment-error" in described
    assert 'id="attachment-error"' in page
