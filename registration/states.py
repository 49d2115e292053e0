"""The registrants' vocabulary: where a registration stands."""

from typing import ClassVar

from vocabulary import Vocabulary


class RegistrantState(Vocabulary):
    """registered (a place) · waiting (the list, promoted in order when a place frees) ·
    cancelled (by the registrant or an organiser)."""

    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    ACTIVE: ClassVar[tuple["RegistrantState", ...]]  # holds a place or waits for one


RegistrantState.ACTIVE = (RegistrantState.REGISTERED, RegistrantState.WAITING)
