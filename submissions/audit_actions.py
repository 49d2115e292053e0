"""What the submissions package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from submissions.fields import ELIGIBILITY_LABELS, LABELS, SOURCE_LABELS
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
}
VALUES = {"eligibility": ELIGIBILITY_LABELS, "source": SOURCE_LABELS}
