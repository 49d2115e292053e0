"""The ideas' vocabularies: where an idea came from, its eligibility, and where it stands as a
participant sees it."""

from typing import ClassVar

from vocabulary import Vocabulary


class IdeaSource(Vocabulary):
    """How the idea reached us."""

    FORM = "form"  # the public form, on the participant's phone
    KIOSK = "kiosk"  # a tablet at the venue
    ASSISTED = "assisted"  # typed by an organiser for the participant
    IMPORT = "import"  # a paper form, imported from a spreadsheet
    FINAL = "final"  # a stop's winner, carried over to the national final

    TYPED_IN_A_FORM: ClassVar[tuple["IdeaSource", ...]]  # each send carries a one-time token


IdeaSource.TYPED_IN_A_FORM = (IdeaSource.FORM, IdeaSource.KIOSK, IdeaSource.ASSISTED)


class Eligibility(Vocabulary):
    """The organisers' triage of an idea (a duplicate is marked apart, by `duplicate_of_id`)."""

    PENDING = "pending"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"


class IdeaStanding(Vocabulary):
    """Where an idea stands, as its participant may see it (the receipt look-up)."""

    RECEIVED = "received"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDER_REVIEW = "under_review"
    RESULTS = "results"


class TriageFilter(Vocabulary):
    """What the organisers' list of ideas can show: one eligibility, or the duplicates."""

    PENDING = Eligibility.PENDING.value
    ELIGIBLE = Eligibility.ELIGIBLE.value
    INELIGIBLE = Eligibility.INELIGIBLE.value
    DUPLICATE = "duplicate"


class TeamKind(Vocabulary):
    """Who carries the idea."""

    COOPERATIVE = "cooperative"  # an existing cooperative
    GROUP = "group"  # a group that wants to found one


class DeletionState(Vocabulary):
    """A participant's request to erase their personal data: pending → approved or refused."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class AnonymiseReason(Vocabulary):
    """Why an idea's personal data were erased (kept in its audit entry)."""

    RETENTION = "retention"  # its event's retention period ran out
    DELETION_REQUEST = "deletion_request"  # the participant asked, an organiser approved


class QuestionKind(Vocabulary):
    """The kinds of question an organiser may add to an event's idea form."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    YES_NO = "yes_no"
    FILE = "file"

    TEXTS: ClassVar[tuple["QuestionKind", ...]]  # a maximum length applies


QuestionKind.TEXTS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
