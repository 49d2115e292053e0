"""What the audience prize records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from audience.fields import FLAG_LABELS

ACTIONS = {
    "audience_poll": {
        "open": _l("Opened the audience vote"),
        "close": _l("Closed the audience vote"),
        "show_results": _l("Showed or hid the audience vote's results"),
        "codes": _l("Printed voting codes"),
    },
    "audience_vote": {"vote": _l("Someone voted for the audience prize")},
}
FIELDS = {
    "idea_id": _l("Idea"),
    "by": _l("Voted with"),
    "flag": _l("To look at"),
    "shown": _l("Results shown"),
    "total": _l("Votes"),
    "flagged": _l("Votes to look at"),
    "votes": _l("Votes per idea"),
    "count": _l("Number of codes"),
}
VALUES = {"flag": FLAG_LABELS}
