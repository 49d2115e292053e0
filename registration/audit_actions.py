"""What the registration package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from registration.fields import LABELS, STATE_LABELS

ACTIONS = {
    "registration": {"configure": _l("Changed an event's registration form")},
    "registrant": {
        "register": _l("Someone registered for an event"),
        "cancel": _l("Cancelled a registration"),
        "promote": _l("Gave a freed place to the first on the waiting list"),
        "check_in": _l("Checked a registrant in at the door"),
        "anonymise": _l("Erased a registrant's personal data"),
    },
}
FIELDS = {
    **LABELS,
    "reason": _l("Reason"),
    "fields": _l("Fields"),
}
VALUES = {"state": STATE_LABELS}
