"""What the competitions package records in the audit log, in words (registered by `hooks.py`).
Field names are the forms' own labels, so a setting reads the same in the log as on its form."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from competitions.forms import CompetitionForm, CriterionForm, EventForm, RubricNameForm
from competitions.services import STATE_LABELS

ACTIONS = {
    "event": {
        "create": _l("Created the event"),
        "edit": _l("Changed the event's settings"),
        "state": _l("Moved the event to another step"),
    },
    "competition": {
        "create": _l("Created the competition"),
        "edit": _l("Changed the competition"),
    },
    "rubric": {
        "criterion_add": _l("Added a criterion to the rubric"),
        "criterion_edit": _l("Changed a criterion of the rubric"),
        "criterion_delete": _l("Deleted a criterion of the rubric"),
        "new_version": _l("Made a new version of the rubric"),
        "copy_to_event": _l("Gave the event its own copy of the rubric"),
        "rename": _l("Renamed the rubric"),
    },
    "jury": {
        "assign": _l("Seated a judge on the jury"),
        "remove": _l("Took a judge off the jury"),
        "role": _l("Changed a judge's role on the jury"),
        "cards": _l("Printed jury cards"),
    },
}


def _labels(*forms) -> dict:
    """{field name: its label} of the forms' fields."""
    return {
        name: field.args[0]
        for form in forms
        for name, field in vars(form).items()
        if isinstance(field, UnboundField) and field.args
    }


FIELDS = {
    **_labels(CompetitionForm, CriterionForm, EventForm, RubricNameForm),
    "state": _l("Step"),
    "slug": _l("Public address (slug)"),
    "name": _l("Name"),
    "description": _l("Description"),
    "low": _l("What the lowest score looks like"),
    "high": _l("What the highest score looks like"),
    "rubric_id": _l("Rubric"),
    "version": _l("Version"),
    "panel": _l("Panel"),
    "is_president": _l("President of the panel"),
    "replaced": _l("Replaced"),
    "cards": _l("Cards"),
    "revoked": _l("Cards revoked"),
    "cards_revoked": _l("Cards revoked"),
    "signed_out": _l("Signed out"),
    "submitted": _l("Submitted sheets"),
}
VALUES = {"state": STATE_LABELS}
