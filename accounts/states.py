"""The accounts' vocabularies: the role of an account, what a role may do, why a jury-card link
was revoked."""

from vocabulary import Vocabulary


class Role(Vocabulary):
    ORGANISER = "organiser"
    JURY = "jury"
    FACILITATOR = "facilitator"  # assisted entry and kiosk, for the events given to them
    COORDINATOR = "coordinator"  # an organiser of the events of their region only
    VIEWER = "viewer"  # reads events, progress and rankings; no personal data, no change


# The accounts of the organising side (they sign in with a password, set from an invitation).
Role.STAFF = (Role.ORGANISER, Role.COORDINATOR, Role.FACILITATOR, Role.VIEWER)


class Permission(Vocabulary):
    """What an account may do (`accounts.permissions.can`)."""

    MANAGE_TOUR = "manage_tour"  # the tour itself: competitions, rubrics, bank, outbox, accounts
    MANAGE = "manage"  # an event's organiser pages and actions
    VIEW = "view"  # an event's pages, read only (GET)
    ASSIST = "assist"  # an event's assisted entry and kiosk
    PERSONAL_DATA = "personal_data"  # names, phones, e-mails, attachments; exports holding them


class LinkRevoked(Vocabulary):
    """Why a jury card's sign-in link no longer works."""

    REPLACED = "replaced"  # the event's cards were printed again
    REMOVED = "removed"  # its holder was taken off the event's jury
