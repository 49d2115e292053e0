"""Questions per event: each kind checked with every kind of bad input and its length limit,
answers stored with the idea, kept when questions change after ideas arrive, the builder's
pages audited."""

import pytest
from sqlalchemy import func, select

from audit.models import AuditEntry
from extensions import db
from submissions import questions
from submissions.models import Answer, Idea, Question
from submissions.questions import QuestionConflict, QuestionError
from tests.builders import make_event, make_user
from tests.submissions.conftest import PDF, PNG, form_data, upload


def add(event, kind="short_text", **raw):
    organiser = make_user()
    values = {"text": "Votre question ?", "kind": kind, **raw}
    question = questions.add_question(event.id, values, by=organiser)
    db.session.commit()
    return question


def check(question, raw=None, file=None):
    data = {question.field_name: raw} if raw is not None else {}
    files = {question.field_name: file} if file is not None else {}
    return questions.check_answers([question], data, files)


def message(question, raw=None, file=None) -> str:
    values, errors = check(question, raw, file)
    assert not values
    return str(errors[question.field_name])


def test_short_text_is_stripped_and_limited_to_its_length(app):
    question = add(make_event(), max_length="10", required="y")
    values, errors = check(question, "  bonjour \x00 ")
    assert not errors and values[question.id].value == "bonjour"
    assert "10" in message(question, "x" * 11)
    assert message(question, "") == "Ce champ est obligatoire."
    assert message(question, "   ") == "Ce champ est obligatoire."


def test_long_text_default_limit_and_ceiling(app):
    question = add(make_event(), kind="long_text")
    assert question.max_length == questions.DEFAULT_MAX_LENGTH["long_text"]
    assert check(question, "y" * question.max_length)[0]
    assert "2" in message(question, "y" * (question.max_length + 1))
    with pytest.raises(QuestionError) as refused:
        add(make_event(), kind="long_text", max_length="10001")
    assert "max_length" in refused.value.errors


def test_number_bounds_and_bad_numbers(app):
    question = add(make_event(), kind="number", min_value="0", max_value="50")
    assert check(question, "12")[0][question.id].value == "12"
    assert check(question, "2,5")[0][question.id].value == "2.5"
    assert check(question, "٤")[0][question.id].value == "4"  # Arabic-Indic digits
    for bad in ("douze", "1e3", "12abc"):
        assert message(question, bad)
    assert "0" in message(question, "-1") and "50" in message(question, "51")
    assert not check(question, "")[1]  # not required


def test_number_bounds_in_the_wrong_order_are_refused(app):
    with pytest.raises(QuestionError) as refused:
        add(make_event(), kind="number", min_value="10", max_value="5")
    assert "max_value" in refused.value.errors


def test_choice_needs_two_options_and_accepts_only_them(app):
    event = make_event()
    with pytest.raises(QuestionError):
        add(event, kind="choice", options="Seule")
    with pytest.raises(QuestionError):
        add(event, kind="choice", options="| sans français\nAutre")
    question = add(event, kind="choice", options="Femmes | نساء | Women\nJeunes | شباب | Youth")
    assert [o["code"] for o in question.options] == ["o1", "o2"]
    assert check(question, "o2")[0][question.id].value == "o2"
    assert check(question, "شباب")[0][question.id].value == "o2"  # a paper cell's label
    assert message(question, "o3") == "Choisissez une des options de la liste."
    assert str(question.option_label("o1", "ar")) == "نساء"


def test_yes_no_reads_every_language_and_refuses_the_rest(app):
    question = add(make_event(), kind="yes_no", required="y")
    for raw, expected in (("yes", "yes"), ("Oui", "yes"), ("نعم", "yes"), ("non", "no")):
        assert check(question, raw)[0][question.id].value == expected
    assert message(question, "peut-être")
    assert message(question, "")


def test_file_answer_is_checked_like_an_attachment(app, uploads_dir):
    question = add(make_event(), kind="file", required="y")

    class Sent:
        def __init__(self, data, filename):
            import io

            self.stream, self.filename = io.BytesIO(data), filename

        def read(self, n=-1):
            return self.stream.read(n)

    assert check(question, file=Sent(PNG, "plan.png"))[0][question.id].upload.mime == "image/png"
    assert "PDF" in message(question, file=Sent(b"MZ\x90\x00 not a file", "virus.pdf"))
    assert message(question) == "Ce champ est obligatoire."
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    assert "Mo" in message(question, file=Sent(PDF, "big.pdf")) or "MB" in message(
        question, file=Sent(PDF, "big.pdf")
    )


def test_question_text_length_limits(app):
    event = make_event()
    for field in ("text", "text_ar", "text_en"):
        with pytest.raises(QuestionError) as refused:
            add(event, **{field: "q" * 501})
        assert field in refused.value.errors
    with pytest.raises(QuestionError) as refused:
        add(event, text="")
    assert "text" in refused.value.errors
    with pytest.raises(QuestionError) as refused:
        add(event, kind="everything")
    assert "kind" in refused.value.errors


def test_answers_are_stored_with_the_idea_from_the_form(client, uploads_dir):
    event = make_event()
    text = add(event, required="y")
    number = add(event, kind="number")
    file = add(event, kind="file")
    data = form_data(**{text.field_name: "Réponse", number.field_name: "7"})
    data[file.field_name] = upload(PDF, "dossier.pdf")
    response = client.post(f"/e/{event.slug}/submit", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    answers = questions.answers_of([idea.id])[idea.id]
    assert answers[text.id].value == "Réponse" and answers[number.id].value == "7"
    assert answers[file.id].file_mime == "application/pdf"


def test_a_missing_required_answer_shows_every_message_and_stores_nothing(client):
    event = make_event()
    question = add(event, required="y")
    response = client.post(
        f"/e/{event.slug}/submit", data=form_data(title=""), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{question.field_name}-error"' in page and 'id="title-error"' in page
    response = client.post(
        f"/e/{event.slug}/submit", data=form_data(), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_editing_a_question_keeps_its_answers_and_its_kind(client, app):
    event = make_event()
    organiser = make_user()
    question = add(event, kind="choice", options="A\nB")
    client.post(
        f"/e/{event.slug}/submit",
        data=form_data(**{question.field_name: "o2"}),
        content_type="multipart/form-data",
    )
    questions.edit_question(
        question, {"text": "Nouveau texte", "kind": "choice", "options": "A2\nB2\nC"}, by=organiser
    )
    db.session.commit()
    assert db.session.scalar(select(Answer.value)) == "o2"
    assert str(question.option_label("o2")) == "B2"
    with pytest.raises(QuestionConflict):
        questions.edit_question(question, {"text": "x", "kind": "number"}, by=organiser)
    db.session.rollback()
    with pytest.raises(QuestionConflict):  # the option chosen cannot go
        questions.edit_question(
            question, {"text": "x", "kind": "choice", "options": "A2\nC"}, by=organiser
        )
    db.session.rollback()
    questions.edit_question(  # reordered: each option keeps its code
        question, {"text": "x", "kind": "choice", "options": "C\nB2\nA2"}, by=organiser
    )
    assert [o["code"] for o in question.options] == ["o3", "o2", "o1"]


def test_removing_a_question_with_answers_archives_it(client):
    event = make_event()
    organiser = make_user()
    answered = add(event)
    unanswered = add(event)
    client.post(
        f"/e/{event.slug}/submit",
        data=form_data(**{answered.field_name: "oui"}),
        content_type="multipart/form-data",
    )
    assert questions.remove_question(answered, by=organiser) is True  # archived
    assert questions.remove_question(unanswered, by=organiser) is False  # deleted
    db.session.commit()
    assert [q.id for q in questions.questions_of(event.id, archived=True)] == [answered.id]
    assert questions.questions_of(event.id) == []
    assert db.session.scalar(select(func.count(Answer.id))) == 1
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "question"))
    )
    assert {"create", "archive", "delete"} <= actions


def test_builder_pages_add_move_and_remove(client, login):
    event = make_event()
    login(make_user())
    url = f"/tour/events/{event.slug}/questions"
    assert client.get(url).status_code == 200
    for text in ("Première", "Seconde"):
        response = client.post(url, data={"text": text, "kind": "short_text"})
        assert response.status_code == 303
    bad = client.post(url, data={"text": "", "kind": "nope"})
    assert bad.status_code == 422 and 'id="q-text-error"' in bad.get_data(as_text=True)
    second = db.session.scalar(select(Question).where(Question.text == "Seconde"))
    client.post(f"{url}/{second.id}/move", data={"step": "up"})
    assert [q.text for q in questions.questions_of(event.id)] == ["Seconde", "Première"]
    assert client.post(f"{url}/{second.id}/remove").status_code == 303
    assert [q.text for q in questions.questions_of(event.id)] == ["Première"]
    assert client.post(f"{url}/jury", data={"jury_sees_answers": "y"}).status_code == 303
    assert questions.settings_of(event.id).jury_sees_answers
    other = make_event()
    assert client.get(f"/tour/events/{other.slug}/questions/{second.id}").status_code == 404


def test_a_participant_cannot_reach_the_builder(client):
    event = make_event()
    assert client.get(f"/tour/events/{event.slug}/questions").status_code in (302, 303, 401, 403)
