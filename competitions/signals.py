"""Signals of the tour, for higher floors to react to without the tour importing them."""

from blinker import Namespace

_signals = Namespace()

# Sent after an event changed state, inside the same transaction (receivers may write too).
# sender=event, old="open", new="judging", by=<User or None>, source="web"|"cli"|...
event_state_changed = _signals.signal("event-state-changed")
