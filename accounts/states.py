"""The accounts' vocabulary: the role of an account."""

from vocabulary import Vocabulary


class Role(Vocabulary):
    ORGANISER = "organiser"
    JURY = "jury"
