"""The organisers' question builder of an event's idea form, and what its jury sees beside an
idea. A blueprint nested in the submissions one (`submissions.questions.*`)."""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import event_permission
from accounts.states import Permission
from competitions.services import get_event
from extensions import db
from fieldtypes import max_lengths
from refusals import form_refusals, on_refusal, see_other
from submissions import questions
from submissions.models import Question
from submissions.states import QuestionKind

bp = Blueprint("questions", __name__)


def _question(event_id: int, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event_id:
        abort(404)
    return question


def _page(slug: str, *, typed=None, errors=None, editing=None, status: int = 200):
    event = get_event(slug)
    live = questions.questions_of(event.id)
    return render_template(
        "submissions/questions.html",
        event=event,
        live=live,
        archived=questions.questions_of(event.id, archived=True),
        answered={q.id: questions.answer_count(q) for q in live},
        settings=questions.settings_of(event.id),
        editing=editing,
        typed=typed or _typed_of(editing),
        errors=errors or {},
        labels=questions.LABELS,
        kinds=questions.KIND_LABELS,
        maxlength=max_lengths(questions.TYPES),
        QuestionKind=QuestionKind,
    ), status


def _typed_of(question: Question | None) -> dict:
    if question is None:
        return {"kind": QuestionKind.SHORT_TEXT}
    return {
        "text": question.text,
        "text_ar": question.text_ar or "",
        "text_en": question.text_en or "",
        "kind": question.kind,
        "options": questions.options_text(question),
        "required": question.required,
        "visible_to_jury": question.visible_to_jury,
        "max_length": question.max_length or "",
        "min_value": "" if question.min_value is None else f"{question.min_value:g}",
        "max_value": "" if question.max_value is None else f"{question.max_value:g}",
    }


@bp.route("/tour/events/<slug>/questions", methods=["GET", "POST"])
@event_permission(Permission.MANAGE)
def builder(slug: str):
    """The event's questions, in order, and a form to add one."""
    if request.method == "GET":
        return _page(slug)
    event = get_event(slug)
    refused = form_refusals()
    with refused:
        questions.add_question(event.id, request.form.to_dict(), by=current_user)
        db.session.commit()
        flash(_("Question added."), "success")
        return see_other(url_for(".builder", slug=slug))
    return _page(slug, typed=request.form.to_dict(), errors=refused.errors, status=refused.status)


@bp.route("/tour/events/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@event_permission(Permission.MANAGE)
def edit(slug: str, question_id: int):
    """Change a question; its answers stay."""
    event = get_event(slug)
    question = _question(event.id, question_id)
    if request.method == "GET":
        return _page(slug, editing=question)
    refused = form_refusals()
    with refused:
        questions.edit_question(question, request.form.to_dict(), by=current_user)
        db.session.commit()
        flash(_("Question saved."), "success")
        return see_other(url_for(".builder", slug=slug))
    question = _question(event.id, question_id)
    return _page(
        slug,
        typed=request.form.to_dict(),
        errors=refused.errors,
        editing=question,
        status=refused.status,
    )


@bp.post("/tour/events/<slug>/questions/<int:question_id>/move")
@event_permission(Permission.MANAGE)
@on_refusal(".builder")
def move(slug: str, question_id: int):
    event = get_event(slug)
    step = -1 if request.form.get("step") == "up" else 1
    questions.move_question(_question(event.id, question_id), step, by=current_user)
    db.session.commit()
    return see_other(url_for(".builder", slug=slug))


@bp.post("/tour/events/<slug>/questions/<int:question_id>/remove")
@event_permission(Permission.MANAGE)
@on_refusal(".builder")
def remove(slug: str, question_id: int):
    event = get_event(slug)
    archived = questions.remove_question(_question(event.id, question_id), by=current_user)
    db.session.commit()
    if archived:
        flash(_("The question is archived: its answers are kept in the exports."), "success")
    else:
        flash(_("Question deleted."), "success")
    return see_other(url_for(".builder", slug=slug))


@bp.post("/tour/events/<slug>/questions/jury")
@event_permission(Permission.MANAGE)
@on_refusal(".builder")
def jury_view(slug: str):
    event = get_event(slug)
    questions.save_settings(event.id, request.form.to_dict(), by=current_user)
    db.session.commit()
    flash(_("Changes saved."), "success")
    return see_other(url_for(".builder", slug=slug))
