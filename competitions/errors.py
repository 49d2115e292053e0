"""Refusals of the tour's services (see refusals.py): a translated message and, for forms, the
field at fault. The class says the status: 422 for bad settings, 409 when the state forbids it."""

from refusals import Conflict, Refusal


class CompetitionError(Refusal):
    """A user-facing reason why an operation on the tour was refused."""


class TransitionError(CompetitionError, Conflict):
    """This event may not move to that state (now, or ever)."""


class EventError(CompetitionError):
    """Bad event or competition settings."""


class RubricError(CompetitionError):
    """Bad criterion data."""


class RubricConflict(RubricError, Conflict):
    """A change the rubric's state (or the event's) forbids."""


class RubricLocked(RubricConflict):
    """Scores exist for this rubric: changes need an explicit new version."""


class JuryError(CompetitionError):
    """A jury assignment that cannot be made."""


class JuryConflict(JuryError, Conflict):
    """The jury's state forbids it: it can no longer change, or the judge is not on it."""
