"""Questions per event (the organisers' question builder) and their answers: what each kind of
question accepts, the one check used by the form, the kiosk, assisted entry and the paper
import, and the rules that keep answers when questions change after ideas arrive (an edit
keeps them; a question with answers is archived, never deleted; its kind never changes)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from audit.services import record
from extensions import db, utcnow
from fieldtypes import Choice, FieldError, Integer, Number, Text, parse_fields, strip_control
from refusals import Conflict, Refusal
from submissions import attachments
from submissions.models import Answer, IdeaFormSettings, Question
from submissions.states import QuestionKind

MAX_QUESTIONS = 30  # per event: a form people fill on a phone
MAX_OPTIONS = 20
DEFAULT_MAX_LENGTH = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2_000}
LONGEST = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 10_000}
NUMBER_LIMIT = 10**12
YES, NO = "yes", "no"

KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.CHOICE: _l("Choice in a list"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.FILE: _l("File (PDF or photo)"),
}
YES_NO_LABELS = {YES: _l("Yes"), NO: _l("No")}
LABELS = {
    "text": _l("Question (French)"),
    "text_ar": _l("Question (Arabic)"),
    "text_en": _l("Question (English)"),
    "kind": _l("Kind of answer"),
    "options": _l("Options, one per line: French | Arabic | English"),
    "required": _l("An answer is required"),
    "visible_to_jury": _l("Shown to the jury"),
    "max_length": _l("Longest answer (characters)"),
    "min_value": _l("Smallest number"),
    "max_value": _l("Largest number"),
}
TYPES = {
    "text": Text.of(Question.text, required=True),
    "text_ar": Text.of(Question.text_ar),
    "text_en": Text.of(Question.text_en),
    "kind": Choice(QuestionKind, required=True),
    "options": Text(4_000),
    "max_length": Integer(1, LONGEST[QuestionKind.LONG_TEXT]),
    "min_value": Number(-NUMBER_LIMIT, NUMBER_LIMIT),
    "max_value": Number(-NUMBER_LIMIT, NUMBER_LIMIT),
}
OPTION_TEXT = Text(100)


class QuestionError(Refusal):
    """A question the organiser typed cannot be saved as it is (422)."""


class QuestionConflict(QuestionError, Conflict):
    """A change that would lose answers already given (409)."""


@dataclass(frozen=True)
class Checked:
    """An answer checked: its value as stored, or a file not yet stored."""

    value: str | None = None
    upload: attachments.Upload | None = None


# --- The organisers' question builder ------------------------------------------------------


def questions_of(event_id: int, *, archived: bool = False) -> list[Question]:
    """The event's questions in the order of its form (the archived ones apart)."""
    query = select(Question).where(Question.event_id == event_id)
    query = query.where(
        Question.archived_at.is_not(None) if archived else Question.archived_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(Question.position, Question.id)))


def settings_of(event_id: int) -> IdeaFormSettings:
    """What the jury of the event sees; an unsaved blank row when the organisers chose nothing
    (GET never writes)."""
    return db.session.get(IdeaFormSettings, event_id) or IdeaFormSettings(
        event_id=event_id, jury_sees_attachments=False, jury_sees_answers=False
    )


def answer_count(question: Question) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Answer).where(Answer.question_id == question.id)
    )


def _parse_options(text: str, kept: list | None) -> tuple[list, str | None]:
    """Options typed one per line, "French | Arabic | English". An option already offered keeps
    its code (answers point to it): found by its French text, else renamed in place (the line
    at its position, whose old text is gone); a new line gets a new code."""
    typed = []
    for line in (line for line in text.splitlines() if line.strip()):
        parts = [strip_control(p).strip() for p in line.split("|")] + ["", ""]
        try:
            fr, ar, en = (OPTION_TEXT.parse(p) for p in parts[:3])
        except FieldError as error:
            return [], str(error.message)
        if not fr:
            return [], str(_l("Each option needs its French text before the first |."))
        typed.append({"fr": fr, "ar": ar, "en": en})
    kept = kept or []
    by_text = {o["fr"]: o["code"] for o in kept}
    new_texts = {o["fr"] for o in typed}
    numbers = [int(o["code"][1:]) for o in kept if o["code"][1:].isdigit()]
    next_number = max(numbers, default=0) + 1
    options, used = [], set()
    for position, option in enumerate(typed):
        code = by_text.get(option["fr"])
        if code is None and position < len(kept) and kept[position]["fr"] not in new_texts:
            code = kept[position]["code"]
        if code is None or code in used:
            code, next_number = f"o{next_number}", next_number + 1
        used.add(code)
        options.append({"code": code, **option})
    if len(options) > MAX_OPTIONS:
        return [], str(_l("At most %(n)d options.", n=MAX_OPTIONS))
    if len({o["code"] for o in options}) != len(options):
        return [], str(_l("Each option needs its own line."))
    return options, None


def options_text(question: Question | None) -> str:
    """A choice's options as the organiser types them (the builder's text area)."""
    return "\n".join(
        " | ".join(o.get(lang) or "" for lang in ("fr", "ar", "en")).rstrip(" |")
        for o in (question.options or () if question else ())
    )


def _clean_question(raw: dict, question: Question | None) -> dict:
    values, errors = parse_fields(TYPES, raw)
    kind = values.get("kind")
    if kind == QuestionKind.CHOICE:
        options, message = _parse_options(
            values.get("options") or "", question and question.options
        )
        if message:
            errors["options"] = message
        elif len(options) < 2:
            errors["options"] = str(_l("Give at least two options, one per line."))
        values["options"] = options
    else:
        values["options"] = None
    if kind in QuestionKind.TEXTS:
        longest = LONGEST[kind]
        if (values.get("max_length") or 0) > longest:
            errors["max_length"] = str(_l("At most %(max)d characters.", max=longest))
        values["max_length"] = values.get("max_length") or DEFAULT_MAX_LENGTH[kind]
    else:
        values["max_length"] = None
    if kind == QuestionKind.NUMBER:
        low, high = values.get("min_value"), values.get("max_value")
        if low is not None and high is not None and low > high:
            errors["max_value"] = str(_l("The largest number is smaller than the smallest."))
    else:
        values["min_value"] = values["max_value"] = None
    if errors:
        raise QuestionError(_l("Please correct the fields marked in red."), errors=errors)
    values["required"] = _ticked(raw.get("required"))
    values["visible_to_jury"] = _ticked(raw.get("visible_to_jury"))
    return values


def _ticked(value) -> bool:
    return str(value or "").strip().lower() in {"y", "yes", "on", "1", "true"}


def _snapshot(question: Question) -> dict:
    return {
        name: getattr(question, name)
        for name in ("text", "text_ar", "text_en", "kind", "options", "required")
        + ("visible_to_jury", "max_length", "min_value", "max_value")
    }


def add_question(event_id: int, raw: dict, *, by) -> Question:
    """A new question at the end of the event's form."""
    values = _clean_question(raw, None)
    live = questions_of(event_id)
    if len(live) >= MAX_QUESTIONS:
        raise QuestionConflict(_l("At most %(n)d questions per event.", n=MAX_QUESTIONS))
    position = max((q.position for q in live), default=0) + 1
    question = Question(event_id=event_id, position=position, **values)
    db.session.add(question)
    db.session.flush()
    record("question", question.id, "create", by=by, event_id=event_id, new=_snapshot(question))
    return question


def edit_question(question: Question, raw: dict, *, by) -> Question:
    """Change a question's wording, options and rules; the answers given stay. A question with
    answers keeps its kind, and a choice keeps the options its answers chose."""
    if question.is_archived:
        raise QuestionConflict(_l("This question is archived: it no longer changes."))
    values = _clean_question(raw, question)
    answered = answer_count(question)
    if answered and values["kind"] != question.kind:
        raise QuestionConflict(
            _l(
                "%(n)d ideas answered this question: its kind cannot change. Remove it (it is "
                "archived with its answers) and add a new question.",
                n=answered,
            )
        )
    if answered and question.kind == QuestionKind.CHOICE:
        chosen = set(
            db.session.scalars(
                select(Answer.value).where(Answer.question_id == question.id).distinct()
            )
        )
        if chosen - {o["code"] for o in values["options"]}:
            raise QuestionConflict(
                _l("An option some ideas chose cannot be removed: keep its line.")
            )
    old = _snapshot(question)
    for name, value in values.items():
        setattr(question, name, value)
    db.session.flush()
    new = _snapshot(question)
    changed = {k for k in new if new[k] != old[k]}
    if changed:
        record(
            "question",
            question.id,
            "edit",
            by=by,
            event_id=question.event_id,
            old={k: old[k] for k in changed},
            new={k: new[k] for k in changed},
        )
    return question


def move_question(question: Question, step: int, *, by) -> None:
    """Move a question one place up (-1) or down (+1) in the form."""
    live = questions_of(question.event_id)
    index = next((i for i, q in enumerate(live) if q.id == question.id), None)
    if index is None or not 0 <= index + step < len(live):
        return
    live[index], live[index + step] = live[index + step], live[index]
    for position, each in enumerate(live, start=1):
        each.position = position
    db.session.flush()
    record(
        "question",
        question.id,
        "move",
        by=by,
        event_id=question.event_id,
        new={"position": index + step + 1},
    )


def remove_question(question: Question, *, by) -> bool:
    """Take a question off the form: deleted when nobody answered it, else archived with its
    answers (still in the exports). Returns whether it was archived."""
    if question.is_archived:
        return True
    answered = answer_count(question)
    if answered:
        question.archived_at = utcnow()
    else:
        db.session.delete(question)
    db.session.flush()
    record(
        "question",
        question.id,
        "archive" if answered else "delete",
        by=by,
        event_id=question.event_id,
        old=_snapshot(question),
        new={"answers": answered},
    )
    return bool(answered)


def save_settings(event_id: int, raw: dict, *, by) -> IdeaFormSettings:
    """What the jury sees beside the idea's text: attachments, answers marked for it."""
    settings = db.session.get(IdeaFormSettings, event_id)
    if settings is None:
        settings = IdeaFormSettings(event_id=event_id)
        db.session.add(settings)
    old = {
        "jury_sees_attachments": bool(settings.jury_sees_attachments),
        "jury_sees_answers": bool(settings.jury_sees_answers),
    }
    settings.jury_sees_attachments = _ticked(raw.get("jury_sees_attachments"))
    settings.jury_sees_answers = _ticked(raw.get("jury_sees_answers"))
    new = {
        "jury_sees_attachments": settings.jury_sees_attachments,
        "jury_sees_answers": settings.jury_sees_answers,
    }
    db.session.flush()
    if old != new:
        record("idea_form", event_id, "jury_view", by=by, event_id=event_id, old=old, new=new)
    return settings


# --- Answers ---------------------------------------------------------------------------------


def answer_type(question: Question):
    """The field type that reads an answer to `question` (files aside)."""
    required = question.required
    if question.kind in QuestionKind.TEXTS:
        return Text(question.max_length or DEFAULT_MAX_LENGTH[question.kind], required=required)
    if question.kind == QuestionKind.NUMBER:
        return Number(-NUMBER_LIMIT - 1, NUMBER_LIMIT, required=required)
    if question.kind == QuestionKind.CHOICE:
        return Choice([o["code"] for o in question.options or ()], required=required)
    return Choice((YES, NO), required=required)


def _number_text(number: float) -> str:
    return str(int(number)) if number == int(number) else repr(number)


def _check_one(question: Question, raw, file) -> Checked | None:
    if question.kind == QuestionKind.FILE:
        upload = attachments.check_upload(file, getattr(file, "filename", None))
        if upload is None and question.required:
            raise FieldError(_l("This field is required."))
        return upload and Checked(upload=upload)
    if question.kind == QuestionKind.YES_NO and raw not in (None, ""):
        raw = YES if _yes_or_no(raw) is True else NO if _yes_or_no(raw) is False else raw
    if question.kind == QuestionKind.CHOICE and isinstance(raw, str):
        raw = _option_code(question, raw)
    value = answer_type(question).parse(raw)
    if value is None or value == "":
        return None
    if question.kind == QuestionKind.NUMBER:
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise FieldError(_out_of_bounds(low, high))
        value = _number_text(value)
    return Checked(value=value)


def _out_of_bounds(low: float | None, high: float | None):
    if low is None:
        return _l("Enter a number of at most %(high)s.", high=_number_text(high))
    if high is None:
        return _l("Enter a number of at least %(low)s.", low=_number_text(low))
    return _l(
        "Enter a number from %(low)s to %(high)s.", low=_number_text(low), high=_number_text(high)
    )


def _yes_or_no(raw) -> bool | None:
    text = strip_control(str(raw)).strip().lower()
    if text in {"yes", "y", "oui", "o", "نعم", "1", "true", "on", "x"}:
        return True
    if text in {"no", "n", "non", "لا", "0", "false"}:
        return False
    return None


def _option_code(question: Question, raw: str) -> str:
    """A choice typed as its code or as one of its labels (a paper import's cell)."""
    text = strip_control(raw).strip()
    for option in question.options or ():
        if text == option["code"] or text.casefold() in {
            (option.get(lang) or "").casefold() for lang in ("fr", "ar", "en") if option.get(lang)
        }:
            return option["code"]
    return text


def check_answers(questions: list[Question], raw: dict, files=None) -> tuple[dict, dict]:
    """({question id: Checked}, {field name: message}) of the answers in `raw` (and `files`),
    every question checked so that all the messages show at once."""
    values, errors = {}, {}
    for question in questions:
        try:
            checked = _check_one(
                question, raw.get(question.field_name), (files or {}).get(question.field_name)
            )
        except FieldError as error:
            errors[question.field_name] = error.message
            continue
        if checked is not None:
            values[question.id] = checked
    return values, errors


def store_answers(idea_id: int, event_id: int, values: dict) -> list[str]:
    """Write the checked answers of a new idea; returns the keys of the files stored (for the
    caller to abandon if the transaction fails)."""
    stored = []
    for question_id, checked in values.items():
        answer = Answer(idea_id=idea_id, question_id=question_id, value=checked.value)
        if checked.upload is not None:
            answer.file_path = attachments.store(checked.upload, event_id)
            answer.file_name = checked.upload.name
            answer.file_mime = checked.upload.mime
            stored.append(answer.file_path)
        db.session.add(answer)
    db.session.flush()
    return stored


def answers_of(idea_ids) -> dict[int, dict[int, Answer]]:
    """{idea id: {question id: Answer}} of the ideas: their ids, or a SELECT of them (an
    event's 3,000 ideas: no list of bound ids to send)."""
    found: dict[int, dict[int, Answer]] = {}
    if isinstance(idea_ids, Select):
        ids = idea_ids
    else:
        ids = list(idea_ids)
        if not ids:
            return found
    for answer in db.session.scalars(select(Answer).where(Answer.idea_id.in_(ids))):
        found.setdefault(answer.idea_id, {})[answer.question_id] = answer
    return found


def shown_answer(question: Question, answer: Answer | None, lang: str | None = None) -> str:
    """An answer as text in `lang`: a choice's label, Yes/No, a number, a text, a file's name."""
    if answer is None:
        return ""
    if question.kind == QuestionKind.FILE:
        return answer.file_name or ""
    if question.kind == QuestionKind.CHOICE:
        return str(question.option_label(answer.value or "", lang))
    if question.kind == QuestionKind.YES_NO:
        return str(YES_NO_LABELS.get(answer.value, answer.value or ""))
    return answer.value or ""


def erase_answers(idea_id: int, redact) -> dict:
    """An idea's personal data are erased: its files answered are deleted and the contact
    details written in its text answers are redacted (`redact`, the privacy module's)."""
    files = redacted = 0
    for answer in db.session.scalars(select(Answer).where(Answer.idea_id == idea_id)):
        if answer.file_path:
            attachments.discard(answer.file_path)
            answer.file_path = answer.file_name = answer.file_mime = None
            files += 1
        if answer.value and redact(answer.value) != answer.value:
            answer.value = redact(answer.value)
            redacted += 1
    return {"answer_files_deleted": files, "answers_redacted": redacted}
