"""The tour's vocabularies: an event's lifecycle and the ways of ranking its ideas."""

from typing import ClassVar

from vocabulary import Vocabulary


class EventState(Vocabulary):
    """draft → open (accepting ideas) → judging → deliberation → published → archived"""

    DRAFT = "draft"
    OPEN = "open"
    JUDGING = "judging"
    DELIBERATION = "deliberation"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    # Named groups (set below the class). Judging's own rules name them; the Event's
    # predicates (`event.results_public`, ...) read them.
    BEFORE_JUDGING: ClassVar[tuple["EventState", ...]]  # the rubric and the entrants can change
    BEFORE_DELIBERATION: ClassVar[tuple["EventState", ...]]  # judging not yet closed
    OPEN_OR_JUDGING: ClassVar[tuple["EventState", ...]]  # judges have sheets they can act on
    JUDGING_OR_LATER: ClassVar[tuple["EventState", ...]]  # ideas closed, scores exist
    AFTER_JUDGING: ClassVar[tuple["EventState", ...]]  # scores final, the jury can see ranks
    RESULTS_PUBLIC: ClassVar[tuple["EventState", ...]]  # published results, frozen


EventState.BEFORE_JUDGING = (EventState.DRAFT, EventState.OPEN)
EventState.BEFORE_DELIBERATION = (EventState.DRAFT, EventState.OPEN, EventState.JUDGING)
EventState.OPEN_OR_JUDGING = (EventState.OPEN, EventState.JUDGING)
EventState.JUDGING_OR_LATER = (
    EventState.JUDGING,
    EventState.DELIBERATION,
    EventState.PUBLISHED,
    EventState.ARCHIVED,
)
EventState.AFTER_JUDGING = (EventState.DELIBERATION, EventState.PUBLISHED, EventState.ARCHIVED)
EventState.RESULTS_PUBLIC = (EventState.PUBLISHED, EventState.ARCHIVED)


class RankingMethod(Vocabulary):
    """How an event's ideas are ranked: the weighted mean of the judges' marks, or each judge's
    marks centred on their own mean first (fair when ideas are split across panels)."""

    RAW = "raw"
    NORMALISED = "normalised"


class JuryRole(Vocabulary):
    """A jury member's role in an event (stored as `JuryMember.is_president`/`is_secretary`:
    one president and one secretary per event)."""

    PRESIDENT = "president"
    SECRETARY = "secretary"
    MEMBER = "member"


class RemovalChoice(Vocabulary):
    """What becomes of a removed judge's submitted sheets: the organiser's explicit choice."""

    KEEP = "keep"  # they stay submitted and count
    VOID = "void"  # they become void and never count
