"""What the submissions package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from submissions.fields import ELIGIBILITY_LABELS, LABELS, SOURCE_LABELS
from submissions.questions import KIND_LABELS
from submissions.questions import LABELS as QUESTION_LABELS
from submissions.states import DeletionState

ACTIONS = {
    "idea": {
        "submit": _l("Received an idea"),
        "eligibility": _l("Checked an idea's eligibility"),
        "duplicate": _l("Marked an idea as a duplicate, or not"),
        "bank_worthy": _l("Marked an idea for the project bank, or not"),
        "correct": _l("Corrected an idea's text"),
        "place": _l("Chose the place of an idea"),
        "anonymise": _l("Erased an idea's personal data"),
    },
    "question": {
        "create": _l("Added a question to an event's idea form"),
        "edit": _l("Changed a question of an event's idea form"),
        "move": _l("Moved a question of an event's idea form"),
        "archive": _l("Archived a question, its answers kept"),
        "delete": _l("Deleted a question nobody had answered"),
    },
    "idea_form": {
        "jury_view": _l("Changed what the jury sees beside an idea"),
    },
    "deletion_request": {
        "create": _l("A participant asked for their personal data to be erased"),
        DeletionState.APPROVED: _l("Approved a request to erase personal data"),
        DeletionState.REFUSED: _l("Refused a request to erase personal data"),
    },
}
FIELDS = {
    **LABELS,
    "eligibility": _l("Eligibility"),
    "duplicate_of_id": _l("Duplicate of"),
    "receipt_code": _l("Receipt code"),
    "source": _l("Source"),
    "bank_worthy": _l("For the project bank"),
    "refusal_reason": _l("Reason for the refusal"),
    "fields": _l("Fields"),
    "place_note": _l("Place as typed (to correct)"),
    "attachment_deleted": _l("Attachment deleted"),
    "audit_entries_scrubbed": _l("Audit entries scrubbed"),
    "emails_scrubbed": _l("E-mails scrubbed"),
    **{name: label for name, label in QUESTION_LABELS.items() if name != "options"},
    "text": _l("Question"),
    "options": _l("Options"),
    "position": _l("Position"),
    "answers": _l("Answers"),
    "jury_sees_attachments": _l("The jury sees the attachments"),
    "jury_sees_answers": _l("The jury sees the answers marked for it"),
    "members_erased": _l("Team members erased"),
    "answer_files_deleted": _l("Files answered deleted"),
    "answers_redacted": _l("Answers redacted"),
}
VALUES = {"eligibility": ELIGIBILITY_LABELS, "source": SOURCE_LABELS, "kind": KIND_LABELS}
