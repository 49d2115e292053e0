"""What the e-mail templates record in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "email_template": {
        "save": _l("Changed an e-mail template of an event"),
        "reset": _l("Put an e-mail template back to its default text"),
    }
}
FIELDS = {
    "subject": _l("Subject"),
    "body": _l("Text"),
    "kind": _l("Message"),
    "locale": _l("Language"),
}
