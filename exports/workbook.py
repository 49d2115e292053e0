"""Write-only workbooks: rows in (lists or generators), a formatted .xlsx file out.

    from exports.workbook import Column, WorkbookWriter

    with WorkbookWriter(path, title="Banque de projets", language="fr") as book:
        book.add_sheet("Projets", [Column("Titre", width=40), Column("Budget", "mad")], rows)

Every sheet gets a bold header row that stays frozen, an auto-filter over its table, column
widths and number formats by column kind; Arabic workbooks are right-to-left. Rows are streamed
to disk as they come (openpyxl write-only mode), so memory stays flat however long the tour is.
Every text value goes through `exports.cells` (formulas stay text, control characters go).
Nothing here imports Flask or the models: callers pass plain values and translated labels.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from numbers import Number

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import TIME_FORMATS, TIME_TYPES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from exports.cells import clean_text, safe_text
from exports.rowxml import add_row_sheet, bool_cell, number_cell, row_xml, text_cell

# Number formats by column kind.
FORMATS = {
    "text": None,
    "int": "0",
    "count": "#,##0",
    "score": "0.00",
    "mad": "#,##0",  # whole dirhams with thousands separators
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
DEFAULT_WIDTHS = {
    "text": 24,
    "int": 10,
    "count": 12,
    "score": 12,
    "mad": 16,
    "percent": 10,
    "date": 12,
    "datetime": 17,
}
RTL_LANGUAGES = {"ar"}
CREATOR = "Idéathon"
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


@dataclass(frozen=True)
class Column:
    """One column of a table: its header (already translated), kind and width in characters."""

    header: str
    kind: str = "text"  # a key of FORMATS
    width: float | None = None

    def __post_init__(self):
        if self.kind not in FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def sheet_title(name: str, taken: set[str], suffix: str = "") -> str:
    """An Excel-safe, unique sheet name: ≤ 31 characters, none of []:*?/\\, no edge apostrophe.

    `taken` holds the case-folded names already used (Excel compares names case-insensitively)
    and is updated. A `suffix` (" - Jury") is kept whole; the name is shortened instead.
    """
    suffix = _BAD_SHEET_CHARS.sub(" ", clean_text(suffix or ""))
    base = _BAD_SHEET_CHARS.sub(" ", clean_text(str(name or "")))
    base = " ".join(base.split()).strip("'").strip()
    base = base or "Sheet"
    number = 1
    while True:
        counter = f" ({number})" if number > 1 else ""
        room = SHEET_NAME_MAX - len(suffix) - len(counter)
        candidate = (base[:room].rstrip().rstrip("'") + suffix + counter).strip()
        key = candidate.casefold()
        if key not in taken and key != "history":  # "History" is reserved by Excel
            taken.add(key)
            return candidate
        number += 1


def _naive(value):
    # Excel has no time zones: aware datetimes are written in UTC.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


class Sheet:
    """A write-only worksheet being filled. Use `WorkbookWriter.open_sheet` to get one."""

    def __init__(self, book: "WorkbookWriter", title: str, columns: Sequence[Column], *, rtl: bool):
        self.book = book
        self.title = title
        self.columns = list(columns)
        self.ws = add_row_sheet(book.wb, title)
        self.ws.sheet_view.rightToLeft = rtl
        for index, column in enumerate(self.columns, 1):
            width = column.width or DEFAULT_WIDTHS[column.kind]
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.rows = 0  # rows written so far, header included
        self._header_row = 1
        self._table_end: int | None = None
        self._formats = [FORMATS[column.kind] for column in self.columns]
        self._letters = [get_column_letter(index) for index in range(1, len(self.columns) + 1)]

    def header(
        self, labels: Sequence[str] | None = None, *, freeze: bool = True, notice: str = ""
    ) -> None:
        """The bold header row (the columns' headers unless `labels` are given), frozen; a
        `notice` (personal data) goes in bold in a row of its own above it."""
        if freeze and self.rows == 0:
            # must be set before the first row is written
            self.ws.freeze_panes = "A3" if notice else "A2"
        if notice:
            self._write([notice], (), "bold", format_text=False)
        self._header_row = self.rows + 1
        labels = labels if labels is not None else [c.header for c in self.columns]
        self._write(labels, (), "header", format_text=False)

    def append(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """One row of values in column order; numbers get their column's (or `kinds`') format."""
        formats = self._formats if kinds is None else [FORMATS[kind] for kind in kinds]
        self._write(values, formats, "plain", format_text=False)

    def extend(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.append(values)

    def bold_row(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """A row in bold (a total or a section title); numbers keep their format."""
        formats = self._formats if kinds is None else [FORMATS[kind] for kind in kinds]
        self._write(values, formats, "bold", format_text=True)

    def blank(self) -> None:
        self._write((), (), "plain", format_text=False)

    def _write(self, values: Sequence, formats: Sequence, look: str, *, format_text: bool) -> None:
        # The hot path of every export: one string per cell, no cell objects (exports.rowxml).
        style = self.book.style_id
        number = self.rows + 1
        cells = []
        for index, value in enumerate(values):
            if value is None:
                continue
            ref = f"{self._letter(index)}{number}"
            fmt = formats[index] if index < len(formats) else None
            kind = type(value)
            if kind is float or kind is int:
                cells.append(number_cell(ref, value, style(fmt, look)))
            elif isinstance(value, str):
                text, risky = safe_text(str(value))
                cells.append(text_cell(ref, text, style(fmt if format_text else None, look, risky)))
            else:
                cells.append(self._other_cell(ref, value, fmt, look))
        self.ws.append(row_xml(number, cells))
        self.rows += 1

    def _other_cell(self, ref: str, value, fmt: str | None, look: str) -> str:
        style = self.book.style_id
        if isinstance(value, bool):
            return bool_cell(ref, value, style(fmt, look))
        if isinstance(value, TIME_TYPES):
            value = _naive(value)
            if not (fmt and is_date_format(fmt)):
                fmt = TIME_FORMATS[type(value)]  # as openpyxl does for a date without a format
            return number_cell(ref, to_excel(value, self.book.wb.epoch), style(fmt, look))
        if isinstance(value, Number):
            return number_cell(ref, value, style(fmt, look))
        raise TypeError(f"a workbook cell cannot hold {value!r}")

    def _letter(self, index: int) -> str:
        if index < len(self._letters):
            return self._letters[index]
        return get_column_letter(index + 1)

    def end_table(self) -> None:
        """The auto-filter covers the header and the rows so far (not totals or notes below)."""
        self._table_end = self.rows

    def close(self) -> None:
        last = self._table_end if self._table_end is not None else self.rows
        if last >= 1 and self.columns:
            first = self._header_row
            self.ws.auto_filter.ref = (
                f"A{first}:{get_column_letter(len(self.columns))}{max(last, first)}"
            )


class WorkbookWriter:
    """A write-only workbook saved to `path`, with its document properties set.

    `language` ("ar", "fr", "en") sets the document language and right-to-left sheets for
    Arabic. Use as a context manager (saved on a clean exit) or call `save()`.
    """

    def __init__(
        self,
        path,
        *,
        title: str,
        language: str = "fr",
        subject: str = "",
        description: str = "",
        keywords: str = "",
        creator: str = CREATOR,
        created: datetime | None = None,
    ):
        self.path = path
        self.language = language
        self.rtl = language in RTL_LANGUAGES
        self.wb = Workbook(write_only=True)
        props = self.wb.properties
        props.title = clean_text(title)
        props.subject = clean_text(subject)
        props.description = clean_text(description) or None
        props.keywords = clean_text(keywords) or None
        props.creator = creator
        props.lastModifiedBy = creator
        props.language = language
        props.created = props.modified = _naive(created or datetime.now(UTC))
        self.bold = Font(bold=True)
        self._taken: set[str] = set()
        self._style_ids: dict[tuple, int] = {}
        self._open: list[Sheet] = []

    def style_id(self, number_format: str | None = None, look: str = "plain", quote=False) -> int:
        """The workbook's index of a cell style (0: the default), registered on first use.

        `look`: "plain", "bold" (totals, section titles) or "header" (bold, shaded, wrapped);
        `quote`: text that looks like a formula, kept text by a quote prefix (exports.cells).
        """
        key = (number_format, look, quote)
        index = self._style_ids.get(key)
        if index is None:
            probe = Cell(_StyleHost(self.wb))
            if number_format:
                probe.number_format = number_format
            if look != "plain":
                probe.font = self.bold
            if look == "header":
                probe.fill = _HEADER_FILL
                probe.alignment = _HEADER_ALIGNMENT
            if quote:
                probe.quotePrefix = True
            index = self._style_ids[key] = probe.style_id
        return index

    def sheet_name(self, name: str, suffix: str = "") -> str:
        return sheet_title(name, self._taken, suffix)

    def open_sheet(
        self,
        name: str,
        columns: Sequence[Column],
        *,
        suffix: str = "",
        header: bool = True,
        notice: str = "",
    ) -> Sheet:
        """A new sheet (name made Excel-safe and unique), header row written unless told not,
        under a `notice` row when given (a workbook holding personal data)."""
        sheet = Sheet(self, self.sheet_name(name, suffix), columns, rtl=self.rtl)
        self._open.append(sheet)
        if header:
            sheet.header(notice=notice)
        return sheet

    def add_sheet(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> Sheet:
        """A whole table in one call: header, the rows (streamed), filter over all of them."""
        sheet = self.open_sheet(name, columns)
        sheet.extend(rows)
        return sheet

    def move_to_end(self, sheet: Sheet) -> None:
        """Put this sheet last (write-only sheets are ordered by creation otherwise)."""
        self.wb._sheets.remove(sheet.ws)
        self.wb._sheets.append(sheet.ws)

    def save(self) -> None:
        for sheet in self._open:
            sheet.close()
        if not self.wb._sheets:
            self.open_sheet("Sheet", [])
        self.wb.save(self.path)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.save()
        return False


class _StyleHost:
    # A cell registers its style through cell.parent.parent (the workbook); this stands in for
    # a worksheet so styles can be prepared before any sheet exists.
    def __init__(self, wb):
        self.parent = wb


_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
