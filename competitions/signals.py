"""Signals of the tour, for higher floors to react to without the tour importing them."""

from blinker import Namespace

_signals = Namespace()

# Sent after an event changed state, inside the same transaction (receivers may write too).
# sender=event, old="open", new="judging", by=<User or None>, source="web"|"cli"|...
event_state_changed = _signals.signal("event-state-changed")

# Sent when a judge is taken off an event's jury, inside the same transaction, after the seat is
# gone. sender=event, user=<User>, submitted="keep"|"void" (the organiser's choice for the judge's
# submitted sheets), by=<User or None>, source="web"|"cli". A receiver returns a dict of what it
# did (merged into the audit entry of the removal), or None.
jury_member_removed = _signals.signal("jury-member-removed")

# Sent when a judge takes (or takes back) a seat on an event's jury, same transaction.
# sender=event, user=<User>, by=<User or None>.
jury_member_seated = _signals.signal("jury-member-seated")
