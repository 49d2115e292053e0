"""Receipt codes: short, human-friendly, no ambiguous characters (e.g. OUJ-7K3D)."""

import secrets
import unicodedata

# No 0/O, 1/I/L, 5/S, 8/B, U/V: codes are read aloud and copied by hand.
ALPHABET = "234679ACDEFGHJKMNPQRTWXYZ"
CODE_LENGTH = 4


def city_prefix(city: str) -> str:
    """Three ASCII letters from the city's name: Oujda → OUJ, Fès → FES, Laâyoune → LAA."""
    folded = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode()
    letters = "".join(ch for ch in folded.upper() if ch.isalpha())
    return (letters + "XXX")[:3]


def new_receipt_code(city: str) -> str:
    """A random code; uniqueness is enforced by the database (callers retry on collision). One
    draw from the system's generator for the whole code (a draw per character was a system
    call each, a visible share of a hall's busiest page)."""
    number = secrets.randbelow(len(ALPHABET) ** CODE_LENGTH)
    characters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[index])
    return city_prefix(city) + "-" + "".join(characters)


def normalise_receipt_code(text: str) -> str:
    """As typed by hand: 'ouj 7k3d', 'OUJ7K3D' and 'OUJ-7K3D' are the same code."""
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum() or ch == "-").strip("-")
    if len(code) == 3 + CODE_LENGTH and code.isalnum():
        code = code[:3] + "-" + code[3:]
    return code
