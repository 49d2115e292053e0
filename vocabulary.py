"""The base of every closed set of words the application stores or compares (states, reasons,
methods): a `StrEnum` per set, defined once in its package's `states.py`.

A member is a `str`, so it is stored, compared, serialised to JSON and rendered as its value;
code and templates name the member (`EventState.OPEN`) or a predicate built on it
(`event.accepts_ideas`), never the bare word. `tests/test_vocabulary.py` greps for bare words.
"""

from enum import StrEnum


class Vocabulary(StrEnum):
    """A closed set of stored words. Groups of members are tuples set after the class."""

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every stored word, in the order of definition (a lifecycle's order)."""
        return tuple(member.value for member in cls)

    @classmethod
    def parse(cls, value) -> "Vocabulary | None":
        """The member spelt `value`, or None for anything else (input from a form or a file)."""
        try:
            return cls(value)
        except ValueError:
            return None

    @property
    def step(self) -> int:
        """Position along the vocabulary's order (0 for the first member)."""
        return list(type(self)).index(self)

    @classmethod
    def check(cls, column: str, members=None) -> str:
        """The SQL of a CheckConstraint holding `column` to these words (or to `members`, the
        ones it stores); NULL passes, as in SQL."""
        words = cls.values() if members is None else tuple(member.value for member in members)
        return f"{column} IN ({','.join(repr(word) for word in words)})"
