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

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.cells import clean_text, safe_cell, safe_value

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
        self.ws = book.wb.create_sheet(title)
        self.ws.sheet_view.rightToLeft = rtl
        for index, column in enumerate(self.columns, 1):
            width = column.width or DEFAULT_WIDTHS[column.kind]
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.rows = 0  # rows written so far, header included
        self._table_end: int | None = None
        self._styles = [book.style_for(column.kind) for column in self.columns]

    def header(self, labels: Sequence[str] | None = None, *, freeze: bool = True) -> None:
        """The bold header row (the columns' headers unless `labels` are given), frozen."""
        if freeze and self.rows == 0:
            self.ws.freeze_panes = "A2"  # must be set before the first row is written
        labels = labels if labels is not None else [c.header for c in self.columns]
        self.ws.append([self.book.header_cell(self.ws, label) for label in labels])
        self.rows += 1

    def append(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """One row of values in column order; numbers get their column's (or `kinds`') format."""
        styles = self._styles if kinds is None else [self.book.style_for(k) for k in kinds]
        ws = self.ws
        row = []
        for index, value in enumerate(values):
            if value is None:
                row.append(None)
            elif isinstance(value, str):
                row.append(safe_value(ws, value))
            else:
                style = styles[index] if index < len(styles) else None
                value = _naive(value)
                if style is None:
                    row.append(value)
                else:
                    row.append(Cell(ws, 1, 1, value, style))
        ws.append(row)
        self.rows += 1

    def extend(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.append(values)

    def bold_row(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """A row in bold (a total or a section title); numbers keep their format."""
        kinds = list(kinds or [c.kind for c in self.columns])
        cells = []
        for index, value in enumerate(values):
            if value is None:
                cells.append(None)
                continue
            kind = kinds[index] if index < len(kinds) else "text"
            cell = safe_cell(self.ws, _naive(value), FORMATS.get(kind), font=self.book.bold)
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1

    def blank(self) -> None:
        self.ws.append([])
        self.rows += 1

    def end_table(self) -> None:
        """The auto-filter covers the header and the rows so far (not totals or notes below)."""
        self._table_end = self.rows

    def close(self) -> None:
        last = self._table_end if self._table_end is not None else self.rows
        if last >= 1 and self.columns:
            self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{max(last, 1)}"


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
        self._style_cache: dict[str, object] = {}
        self._header_style = None
        self._open: list[Sheet] = []

    def style_for(self, kind: str):
        """The shared style of a number cell of this kind (one per kind, reused by every cell)."""
        if kind not in self._style_cache:
            fmt = FORMATS[kind]
            if fmt is None:
                self._style_cache[kind] = None
            else:
                probe = Cell(_StyleHost(self.wb))
                probe.number_format = fmt
                self._style_cache[kind] = probe._style
        return self._style_cache[kind]

    def header_cell(self, ws, label):
        cell = safe_cell(ws, label, font=self.bold)
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        return cell

    def sheet_name(self, name: str, suffix: str = "") -> str:
        return sheet_title(name, self._taken, suffix)

    def open_sheet(
        self, name: str, columns: Sequence[Column], *, suffix: str = "", header: bool = True
    ) -> Sheet:
        """A new sheet (name made Excel-safe and unique), header row written unless told not."""
        sheet = Sheet(self, self.sheet_name(name, suffix), columns, rtl=self.rtl)
        self._open.append(sheet)
        if header:
            sheet.header()
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
    # A cell computes its style through cell.parent.parent (the workbook); this stands in for a
    # worksheet so styles can be prepared before any sheet exists.
    def __init__(self, wb):
        self.parent = wb


_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
