"""The audience prize's vocabulary: why a vote is flagged for the organisers."""

from vocabulary import Vocabulary


class VoteFlag(Vocabulary):
    """A vote worth a look: counted, but listed apart for the organisers to judge."""

    SHARED_DEVICE = "shared_device"  # this phone already voted with another code or receipt
    BURST = "burst"  # many votes for one idea from one address within a minute


class PollControl(Vocabulary):
    """What the organiser does to the vote (the control route's last segment)."""

    START = "start"
    CLOSE = "close"
    SHOW = "show"
    HIDE = "hide"
