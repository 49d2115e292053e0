"""Judging's vocabularies: a score sheet's states and why an idea is not ranked."""

from typing import ClassVar

from vocabulary import Vocabulary


class SheetState(Vocabulary):
    """assigned → draft (a mark given) → submitted; a declared conflict replaces the sheet.
    When its judge is taken off the jury, a sheet to score or in progress is set aside, and a
    submitted one stays submitted (kept: it counts) or is voided, as the organiser chooses;
    set-aside and void sheets are kept for the audit and never count."""

    ASSIGNED = "assigned"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SET_ASIDE = "set_aside"
    VOID = "void"
    # Never stored in a sheet: the sheet is deleted and the judge's `Conflict` stands in its
    # place on the progress grid.
    CONFLICT = "conflict"

    STORED: ClassVar[tuple["SheetState", ...]]  # the values of `score_sheets.status`
    UNSUBMITTED: ClassVar[tuple["SheetState", ...]]  # still expected from the judge
    LIVE: ClassVar[tuple["SheetState", ...]]  # a seated judge's work: not set aside, not void
    WITHDRAWN: ClassVar[tuple["SheetState", ...]]  # a removed judge's, never counted


SheetState.STORED = (
    SheetState.ASSIGNED,
    SheetState.DRAFT,
    SheetState.SUBMITTED,
    SheetState.SET_ASIDE,
    SheetState.VOID,
)
SheetState.UNSUBMITTED = (SheetState.ASSIGNED, SheetState.DRAFT)
SheetState.LIVE = (SheetState.ASSIGNED, SheetState.DRAFT, SheetState.SUBMITTED)
SheetState.WITHDRAWN = (SheetState.SET_ASIDE, SheetState.VOID)


class NotRanked(Vocabulary):
    """Why an idea has no rank."""

    CALIBRATION = "calibration"  # scored by every judge first, to calibrate; never ranked
    INELIGIBLE = "ineligible"
    DUPLICATE = "duplicate"
    TOO_FEW_JUDGES = "too_few_judges"  # fewer submitted sheets than the event's minimum
    # An event with a pitch round: eligible, scored in round 1, not chosen for the pitches.
    NOT_SHORTLISTED = "not_shortlisted"

    EXCLUDED: ClassVar[tuple["NotRanked", ...]]  # left out before any score is counted


NotRanked.EXCLUDED = (NotRanked.CALIBRATION, NotRanked.INELIGIBLE, NotRanked.DUPLICATE)


class RoundKind(Vocabulary):
    """What a round of judging scores: the written ideas (round 1, every event has it) or the
    shortlisted teams' pitches (round 2, when the organiser adds it)."""

    WRITTEN = "written"
    PITCH = "pitch"


class StagePhase(Vocabulary):
    """Where the stage is in a team's slot: waiting (no one on), the pitch, the jury's
    questions, paused (the countdown stopped), done (every team has pitched)."""

    WAITING = "waiting"
    PITCH = "pitch"
    QUESTIONS = "questions"
    PAUSED = "paused"
    DONE = "done"

    TIMED: ClassVar[tuple["StagePhase", ...]]  # a countdown runs


StagePhase.TIMED = (StagePhase.PITCH, StagePhase.QUESTIONS)


class ValidationMode(Vocabulary):
    """How the minutes were validated."""

    PRESIDENT = "president"  # by the jury's president, signed in on their own account
    ON_BEHALF = "on_behalf"  # by an organiser, typing the president's name


class CertificateKind(Vocabulary):
    """What a certificate says of its idea."""

    WINNER = "winner"
    PARTICIPANT = "participant"


class StageAction(Vocabulary):
    """The organiser's stage controls (never stored: read from the control page's buttons)."""

    START = "start"  # the next team's pitch (or the current team's, if one is on)
    QUESTIONS = "questions"
    NEXT = "next"
    PAUSE = "pause"
    RESUME = "resume"
    RESET = "reset"  # no one on


class PrizeRule(Vocabulary):
    """Which ideas a special prize is open to (see `judging.prizes.qualifies`)."""

    SECTOR = "in_sector"  # the idea's sector is the prize's
    WOMEN_LED = "women_led"  # at least half the team are women
    YOUTH_LED = "youth_led"  # at least half the team are young (under 35)


class TabletAction(Vocabulary):
    """What a jury tablet queues and sends (`judging.offline`): a mark, the comment, a submit."""

    SCORE = "score"
    COMMENT = "comment_edit"  # the sheet's comment changed
    SUBMIT = "submit"


class RefusedBecause(Vocabulary):
    """Why a tablet's queued action was refused when it reached the server (audited as a sheet's
    `refused` entry, shown to the organisers on the progress page)."""

    JUDGING_CLOSED = "judging_closed"  # the event left judging (or its results are official)
    SUBMITTED = "submitted"  # the sheet was submitted in the meantime
    REMOVED = "removed"  # the judge was taken off the jury
    OTHER = "other"
