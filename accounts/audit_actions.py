"""What the accounts package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from accounts.management import ROLE_LABELS

ACTIONS = {
    "user": {
        "sign_in": _l("Signed in"),
        "sign_in_failed": _l("Sign-in refused: wrong e-mail or password"),
        "sign_in_refused": _l("Sign-in refused"),
        "unlocked": _l("Unlocked an account after failed sign-ins"),
        "password_changed": _l("Gave an account a new password"),
        "password_set": _l("Set their password from an invitation"),
        "invite": _l("Invited an account"),
        "invite_again": _l("Sent an invitation again"),
        "access": _l("Changed an account's role or access"),
        "enable": _l("Enabled an account"),
        "disable": _l("Disabled an account"),
    },
}
FIELDS = {
    "failures": _l("Failed sign-ins"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "region": _l("Region"),
    "events": _l("Events"),
}
VALUES = {"role": ROLE_LABELS}
