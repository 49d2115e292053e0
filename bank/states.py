"""The project bank's vocabulary: how far a project has come since the ideathon."""

from vocabulary import Vocabulary


class BankStatus(Vocabulary):
    """idea → support → cooperative founded → funded → active"""

    IDEA = "idea"
    SUPPORT = "support"
    FOUNDED = "founded"
    FUNDED = "funded"
    ACTIVE = "active"
