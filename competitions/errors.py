"""Refusals of the tour's services: a translated message and, for forms, the field at fault."""


class CompetitionError(ValueError):
    """A user-facing reason why an operation on the tour was refused."""

    def __init__(self, message, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # Every problem found, field → message (forms show them all at once).
        self.errors = errors or ({field: message} if field else {})

    def __str__(self) -> str:
        return str(self.message)


class TransitionError(CompetitionError):
    """This event may not move to that state (now, or ever)."""


class EventError(CompetitionError):
    """Bad event or competition settings."""


class RubricError(CompetitionError):
    """Bad criterion data, or a change the rubric's state forbids."""


class RubricLocked(RubricError):
    """Scores exist for this rubric: changes need an explicit new version."""


class JuryError(CompetitionError):
    """A jury assignment that cannot be made."""
