"""Codes handed to people at the door (a registrant's ticket, an audience voting code): random,
unguessable (50 bits), easy to type and read aloud (no I, L, O, U), shown as `K7D3M-9QX2A`."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH = 10
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
PATTERN = re.compile(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")


def new_code() -> str:
    """A fresh code; uniqueness is the database's (callers retry on a collision)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str | None) -> str | None:
    """A code as typed or scanned ('k7d3m 9qx2a', a ticket's whole address): the code, or None
    when the text holds none."""
    letters = "".join(ch for ch in (text or "")[-200:].upper() if ch.isascii() and ch.isalnum())
    letters = letters.translate(_TYPOS)
    if len(letters) < LENGTH:
        return None
    candidate = f"{letters[-LENGTH:-5]}-{letters[-5:]}"
    return candidate if PATTERN.fullmatch(candidate) else None
