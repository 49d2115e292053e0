"""What the bank package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from bank.labels import DECISION_LABELS, STATUS_LABELS

ACTIONS = {
    "bank_project": {
        "promoted": _l("Promoted an idea to the project bank"),
        "status_changed": _l("Changed a bank project's status"),
        "updated": _l("Changed a bank project"),
        "adviser": _l("Gave a bank project its adviser"),
        "path_planned": _l("Planned a bank project's path of milestones"),
        "plan": _l("Changed a bank project's financial plan"),
    },
    "milestone": {
        "updated": _l("Changed a milestone of a bank project"),
        "document_added": _l("Added a document to a milestone of a bank project"),
        "document_deleted": _l("Deleted a document of a milestone of a bank project"),
    },
    "financing_programme": {
        "created": _l("Added a financing programme to the catalogue"),
        "updated": _l("Changed a financing programme"),
    },
    "partner": {
        "created": _l("Added a partner to the catalogue"),
        "updated": _l("Changed a partner"),
    },
    "financing_application": {
        "filed": _l("Recorded a financing application"),
        "decided": _l("Recorded a financing decision"),
    },
}
FIELDS = {
    "title": _l("Title"),
    "origin_rank": _l("Rank at its event"),
    "is_winner": _l("Winner"),
    "adviser_id": _l("Adviser"),
    "financial_plan": _l("Financial plan"),
    "due_on": _l("Planned for"),
    "done_on": _l("Done on"),
    "decision": _l("Decision"),
    "decided_on": _l("Decided on"),
    "amount_asked_mad": _l("Amount asked (MAD)"),
    "amount_granted_mad": _l("Amount granted (MAD)"),
    "filed_on": _l("Filed on"),
    "document": _l("Document"),
    "size": _l("Size (bytes)"),
}
VALUES = {"status": STATUS_LABELS, "decision": DECISION_LABELS}
