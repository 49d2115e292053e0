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

    EXCLUDED: ClassVar[tuple["NotRanked", ...]]  # left out before any score is counted


NotRanked.EXCLUDED = (NotRanked.CALIBRATION, NotRanked.INELIGIBLE, NotRanked.DUPLICATE)


class ValidationMode(Vocabulary):
    """How the minutes were validated."""

    PRESIDENT = "president"  # by the jury's president, signed in on their own account
    ON_BEHALF = "on_behalf"  # by an organiser, typing the president's name


class CertificateKind(Vocabulary):
    """What a certificate says of its idea."""

    WINNER = "winner"
    PARTICIPANT = "participant"


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
