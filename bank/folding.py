"""Folding text for search in French and Arabic: the same rule for stored text and queries.

Lowercase; French accents stripped; Arabic harakat (short vowels, shadda, sukun…) and tatweel
removed; alef variants أ إ آ ٱ → ا; ta marbuta ة → ه; alef maqsura ى → ي; punctuation → spaces.
Pure Python, no Flask, so that SQLite and PostgreSQL search the same way (plain LIKE).
"""

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ٱ": "ا",  # alef wasla (NFKD does not decompose it)
        "ة": "ه",
        "ى": "ي",
        "ـ": None,  # tatweel
        "œ": "oe",
        "æ": "ae",
        "’": "'",
    }
)
_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str | None) -> str:
    """The searchable form of a text: 'Coopérative d’Oujda' → 'cooperative d oujda'."""
    if not text:
        return ""
    # NFKD splits é into e + accent and أ into ا + hamza; the combining marks (category Mn,
    # which includes every haraka, the shadda and the dagger alef) are then dropped.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.translate(_LETTERS)
    return " ".join(word for word in _NOT_WORD.split(stripped) if word)


def query_words(query: str | None) -> list[str]:
    """The folded words of a search box, each to be found (AND) in a project's folded text."""
    return [word for word in fold(query).split(" ") if word]
