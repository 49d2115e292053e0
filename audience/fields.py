"""Labels of the audience prize's words."""

from flask_babel import lazy_gettext as _l

from audience.states import VoteFlag

FLAG_LABELS = {
    VoteFlag.SHARED_DEVICE: _l("This phone had already voted, with another code or receipt"),
    VoteFlag.BURST: _l("Many votes for this idea from one address within a minute"),
}
