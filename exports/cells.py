"""The one cell sanitiser used by every workbook the app writes."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Text starting with one of these could become a formula in a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value):
    """Remove the control characters that a workbook cannot hold (they come from pasted text)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _mark_as_text(cell) -> None:
    # data_type "s": stored as a string, never a formula. quotePrefix: the spreadsheet program
    # keeps it text even when someone edits the cell later (Excel shows a leading apostrophe).
    cell.data_type = "s"
    cell.quotePrefix = True


def safe_cell(worksheet, value, number_format: str | None = None, font=None) -> WriteOnlyCell:
    """A write-only cell whose user text is always stored as text, never as a formula."""
    value = clean_text(value)
    cell = WriteOnlyCell(worksheet, value=value)
    if is_risky(value):
        _mark_as_text(cell)
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def safe_value(worksheet, value):
    """What to append to a write-only row for this value: the value itself when harmless (fast
    path, no cell object), else a `safe_cell`. Same rule as `safe_cell`, for streaming writers."""
    if isinstance(value, str) and (value.startswith(FORMULA_TRIGGERS) or _has_illegal(value)):
        return safe_cell(worksheet, value)
    return value


def _has_illegal(text: str) -> bool:
    return ILLEGAL_CHARACTERS_RE.search(text) is not None


def set_safe_value(cell, value) -> None:
    """The same rule for a cell of an ordinary (not write-only) worksheet."""
    value = clean_text(value)
    cell.value = value
    if is_risky(value):
        _mark_as_text(cell)
