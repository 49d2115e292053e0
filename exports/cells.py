"""The one cell sanitiser used by every workbook the app writes."""

import re

# The control characters an XML 1.0 document (a workbook's sheet) cannot hold: the same class
# as openpyxl's ILLEGAL_CHARACTERS_RE, kept here so that a streamed export does not load
# openpyxl (5 MB a process) for one expression.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# Text starting with one of these could become a formula in a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value):
    """Remove the control characters that a workbook cannot hold (they come from pasted text)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_text(text: str) -> tuple[str, bool]:
    """(the text a cell may hold, whether the cell must be marked as text): for the streaming
    writer (exports.workbook), which stores it as a string and, when marked, with a quote
    prefix, so that the spreadsheet program keeps it text even when someone edits it later."""
    printable = text.isprintable()  # most cells: no control character, no line break
    if not printable:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    risky = text.startswith(FORMULA_TRIGGERS)
    if not printable and "\r" in text:  # a line break is a line feed in a cell (a CR would be
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # kept as _x000D_)
    return text, risky


def set_safe_value(cell, value) -> None:
    """The same rule for a cell of an ordinary (not write-only) worksheet."""
    value = clean_text(value)
    cell.value = value
    if is_risky(value):
        # data_type "s": stored as a string, never a formula. quotePrefix: the spreadsheet
        # program keeps it text even when someone edits the cell later (Excel shows a leading
        # apostrophe).
        cell.data_type = "s"
        cell.quotePrefix = True
