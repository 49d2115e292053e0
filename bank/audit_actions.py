"""What the bank package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from bank.labels import STATUS_LABELS

ACTIONS = {
    "bank_project": {
        "promoted": _l("Promoted an idea to the project bank"),
        "status_changed": _l("Changed a bank project's status"),
        "updated": _l("Changed a bank project"),
    },
}
FIELDS = {
    "title": _l("Title"),
    "origin_rank": _l("Rank at its event"),
    "is_winner": _l("Winner"),
}
VALUES = {"status": STATUS_LABELS}
