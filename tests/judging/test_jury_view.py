"""What the jury sees beside an idea: nothing more unless the organisers allow it; then the
answers marked for the jury (contacts redacted) and the attachments, shown in the page (a photo
inline, a PDF in a frame of this site), only to the judges of that idea, each opening audited."""

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.states import EventState
from extensions import db
from submissions import attachments, questions, team
from submissions.models import Answer
from tests.builders import add_jury, make_event, make_user
from tests.submissions.conftest import PDF, PNG

from .conftest import build_judging, sheet_of


@pytest.fixture
def uploads_dir(app, tmp_path):
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    app.config["FILE_STORE"] = "directory"
    return tmp_path / "uploads"


def _question(event, kind="short_text", jury=True, text="Partenaires ?"):
    raw = {"text": text, "kind": kind, "visible_to_jury": "y" if jury else ""}
    return questions.add_question(event.id, raw, by=make_user())


def _shown_event(uploads_dir, *, attachments_too=True, answers_too=True):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    idea = ideas[0]
    shown, hidden, plan = _question(event), _question(event, jury=False, text="Secret ?"), None
    plan = _question(event, kind="file", text="Plan")
    db.session.add_all(
        [
            Answer(idea_id=idea.id, question_id=shown.id, value="La commune, tél 0611223344"),
            Answer(idea_id=idea.id, question_id=hidden.id, value="réponse cachée"),
            Answer(
                idea_id=idea.id,
                question_id=plan.id,
                file_path=attachments.store(
                    attachments.Upload(PDF, "p.pdf", "application/pdf", ".pdf"), event.id
                ),
                file_name="plan.pdf",
                file_mime="application/pdf",
            ),
        ]
    )
    idea.attachment_path = attachments.store(
        attachments.Upload(PNG, "photo.png", "image/png", ".png"), event.id
    )
    idea.attachment_name, idea.attachment_mime = "photo.png", "image/png"
    team.store_members(
        idea.id,
        [
            {
                "name": "Omar Bennani",
                "role": "",
                "gender": "male",
                "age_bracket": "25_34",
                "phone": "+212622334455",
                "position": 1,
            }
        ],
    )
    questions.save_settings(
        event.id,
        {
            "jury_sees_attachments": "y" if attachments_too else "",
            "jury_sees_answers": "y" if answers_too else "",
        },
        by=make_user(),
    )
    db.session.commit()
    return event, idea, judges[0], plan


def test_nothing_more_is_shown_unless_the_organisers_allow_it(client, login, uploads_dir):
    event, idea, judge, plan = _shown_event(uploads_dir, attachments_too=False, answers_too=False)
    sheet = sheet_of(idea, judge)
    login(judge)
    page = client.get(f"/jury/sheets/{sheet.id}").get_data(as_text=True)
    assert "La commune" not in page and "shown-to-jury" not in page
    assert client.get(f"/jury/sheets/{sheet.id}/files/main").status_code == 404
    assert client.get(f"/jury/sheets/{sheet.id}/files/{plan.id}").status_code == 404


def test_answers_marked_for_the_jury_are_shown_without_contact_details(client, login, uploads_dir):
    event, idea, judge, plan = _shown_event(uploads_dir, attachments_too=False)
    login(judge)
    page = client.get(f"/jury/sheets/{sheet_of(idea, judge).id}").get_data(as_text=True)
    assert "La commune" in page and "0611223344" not in page
    assert "réponse cachée" not in page
    assert "Omar Bennani" not in page and "622334455" not in page
    assert f"/files/{plan.id}" not in page  # attachments not allowed


def test_files_open_in_the_page_for_the_judge_of_the_idea(client, login, uploads_dir):
    event, idea, judge, plan = _shown_event(uploads_dir)
    sheet = sheet_of(idea, judge)
    login(judge)
    page = client.get(f"/jury/sheets/{sheet.id}").get_data(as_text=True)
    assert f'<img src="/jury/sheets/{sheet.id}/files/main"' in page
    assert f'<iframe src="/jury/sheets/{sheet.id}/files/{plan.id}"' in page
    photo = client.get(f"/jury/sheets/{sheet.id}/files/main")
    assert photo.status_code == 200 and photo.data == PNG
    assert photo.mimetype == "image/png"
    assert photo.headers["Content-Disposition"].startswith("inline")
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert photo.headers["Cache-Control"] == "no-store"
    pdf = client.get(f"/jury/sheets/{sheet.id}/files/{plan.id}")
    assert pdf.mimetype == "application/pdf" and pdf.data == PDF
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf.headers["Content-Security-Policy"]
    photo.close()
    pdf.close()
    opened = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "view_idea_file")
    ).all()
    assert [e.entity_id for e in opened] == [sheet.id, sheet.id]
    assert client.get(f"/jury/sheets/{sheet.id}/files/999").status_code == 404


def test_a_judge_not_assigned_to_the_idea_cannot_open_its_files(client, login, uploads_dir):
    event, idea, judge, plan = _shown_event(uploads_dir)
    sheet = sheet_of(idea, judge)
    other = make_user("jury")
    add_jury(make_event(state=EventState.JUDGING), other)
    login(other)
    assert client.get(f"/jury/sheets/{sheet.id}/files/main").status_code == 404
    assert client.get(f"/jury/sheets/{sheet.id}/files/{plan.id}").status_code == 404
    assert client.get(f"/jury/sheets/{sheet.id}").status_code == 404
