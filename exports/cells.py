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


def safe_cell(worksheet, value, number_format: str | None = None, font=None) -> WriteOnlyCell:
    """A write-only cell whose user text is always stored as text, never as a formula."""
    value = clean_text(value)
    cell = WriteOnlyCell(worksheet, value=value)
    if is_risky(value):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def set_safe_value(cell, value) -> None:
    """The same rule for a cell of an ordinary (not write-only) worksheet."""
    value = clean_text(value)
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
