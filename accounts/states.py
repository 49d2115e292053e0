"""The accounts' vocabularies: the role of an account, why a jury-card link was revoked."""

from vocabulary import Vocabulary


class Role(Vocabulary):
    ORGANISER = "organiser"
    JURY = "jury"


class LinkRevoked(Vocabulary):
    """Why a jury card's sign-in link no longer works."""

    REPLACED = "replaced"  # the event's cards were printed again
    REMOVED = "removed"  # its holder was taken off the event's jury
