"""Labels of the registration form's fields and of a registration's states (the choices'
labels are the idea form's: one word per concept)."""

from flask_babel import lazy_gettext as _l

from registration.states import RegistrantState
from submissions.fields import AGE_LABELS, GENDER_LABELS, STATUS_LABELS

__all__ = ["AGE_LABELS", "GENDER_LABELS", "LABELS", "STATE_LABELS", "STATUS_LABELS"]

LABELS = {
    "name": _l("Full name"),
    "phone": _l("Phone"),
    "email": _l("E-mail (to receive your ticket)"),
    "gender": _l("Gender"),
    "age_bracket": _l("Age"),
    "status": _l("Status"),
    "consent": _l("Consent"),
    "capacity": _l("Places (empty: no limit)"),
    "is_open": _l("Registration open"),
    "code": _l("Registration code"),
}
STATE_LABELS = {
    RegistrantState.REGISTERED: _l("Registered"),
    RegistrantState.WAITING: _l("On the waiting list"),
    RegistrantState.CANCELLED: _l("Cancelled"),
}
