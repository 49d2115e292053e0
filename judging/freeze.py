"""Official means frozen: from the validation of the minutes on, nothing that feeds an event's
ranking may change (ideas' eligibility, duplicates, calibration, scored fields; score sheets;
the jury), until an organiser reopens the deliberation with a reason (before publication) or
starts an amendment with a reason (after it). Read by every service that changes those inputs.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competitions.models import Event
from extensions import db
from judging.models import Deliberation, ResultVersion

LOCKED_VALIDATED = _l(
    "The minutes are validated: the results are locked. To change them, reopen the "
    "deliberation with a reason."
)
LOCKED_PUBLISHED = _l(
    "The results are published: to change them, start an amendment with a reason."
)


def version_in_force(event: Event) -> ResultVersion | None:
    """The latest published, not voided version of the event's results."""
    return db.session.scalar(
        select(ResultVersion)
        .where(
            ResultVersion.event_id == event.id,
            ResultVersion.published_at.is_not(None),
            ResultVersion.voided_at.is_(None),
        )
        .order_by(ResultVersion.number.desc())
        .limit(1)
    )


def pending_version(event: Event) -> ResultVersion | None:
    """The version validated but not yet published (nor voided), if any."""
    return db.session.scalar(
        select(ResultVersion).where(
            ResultVersion.event_id == event.id,
            ResultVersion.published_at.is_(None),
            ResultVersion.voided_at.is_(None),
        )
    )


def amendment_open(event: Event) -> bool:
    return bool(
        db.session.scalar(
            select(Deliberation.amendment_reason).where(Deliberation.event_id == event.id)
        )
    )


def lock_message(event: Event):
    """Why nothing that feeds the event's ranking may change now, naming the way to change it;
    None when it may."""
    if pending_version(event) is not None:
        return LOCKED_VALIDATED
    if version_in_force(event) is not None and not amendment_open(event):
        return LOCKED_PUBLISHED
    return None
