"""What a judge may see of an idea beside its text, when its event's organisers allow it
(`IdeaFormSettings`): its attachments (the idea's file, and the files answering questions
marked for the jury) and the answers to the questions marked for the jury. Never a contact
detail: no names, phones or e-mails (a phone or address typed in an answer is redacted). The
judging package checks that the judge is assigned to the idea and serves the files."""

from dataclasses import dataclass
from pathlib import Path

from submissions import questions
from submissions.models import Idea
from submissions.privacy import redact_contacts
from submissions.states import QuestionKind

MAIN = "main"  # the idea's own attachment, beside the files answering questions


@dataclass(frozen=True)
class JuryFile:
    """A file the jury may open: `which` is MAIN or the question's id (as text)."""

    which: str
    label: str
    mime: str
    key: str
    name: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def extension(self) -> str:
        return Path(self.key).suffix


@dataclass(frozen=True)
class JuryAnswer:
    question: object  # its wording, a `Localized`
    text: str


@dataclass(frozen=True)
class JuryView:
    files: tuple[JuryFile, ...]
    answers: tuple[JuryAnswer, ...]

    def file(self, which: str) -> JuryFile | None:
        return next((f for f in self.files if f.which == which), None)


def jury_view(idea: Idea, lang: str | None = None) -> JuryView:
    """The files and answers of `idea` its event lets the jury see (nothing by default)."""
    settings = questions.settings_of(idea.event_id)
    if idea.is_anonymised or not (settings.jury_sees_attachments or settings.jury_sees_answers):
        return JuryView((), ())
    shown = [q for q in questions.questions_of(idea.event_id) if q.visible_to_jury]
    given = questions.answers_of([idea.id]).get(idea.id, {})
    files, answers = [], []
    if settings.jury_sees_attachments and idea.attachment_path:
        files.append(
            JuryFile(
                MAIN,
                "",
                idea.attachment_mime or "",
                idea.attachment_path,
                idea.attachment_name or "",
            )
        )
    for question in shown:
        answer = given.get(question.id)
        if answer is None:
            continue
        if question.kind == QuestionKind.FILE:
            if settings.jury_sees_attachments and answer.file_path:
                files.append(
                    JuryFile(
                        str(question.id),
                        str(question.wording_in(lang)),
                        answer.file_mime or "",
                        answer.file_path,
                        answer.file_name or "",
                    )
                )
        elif settings.jury_sees_answers:
            text = redact_contacts(questions.shown_answer(question, answer, lang))
            answers.append(JuryAnswer(question.wording_in(lang), text))
    return JuryView(tuple(files), tuple(answers))
