"""Streamed workbooks: rows in (lists or generators), a formatted, printable .xlsx file out.

    from exports.workbook import Column, WorkbookWriter

    with WorkbookWriter(path, title="Banque de projets", language="fr") as book:
        book.add_sheet("Projets", [Column("Titre", width=40, wrap=True), Column("Budget", "mad")],
                       rows)

Every sheet gets a bold header row, as tall as its wrapped labels, that stays frozen and repeats
on every printed page; an auto-filter over its table; number formats by column kind; text
columns as wide as their content (up to the column's `width`; `wrap` columns wrap beyond it
instead of running into the next column); landscape pages fitted to one page width with a
footer naming the sheet and the date. Arabic workbooks are right-to-left.

Rows go to disk as they come (constant-memory worksheets: one row per sheet in memory), so
memory stays flat however long the tour is. The writer is rvgsrust-xlsxwriter, a Python binding
of rust_xlsxwriter (the Rust port of XlsxWriter by XlsxWriter's author): chosen on measurements
of the same cells (docs/performance.md, 2026-12-01): 3.6 × faster than XlsxWriter cell by cell,
with every feature these workbooks use (right-to-left sheets, print setup, row heights, formats
per cell) through its public API. It has no custom document properties: the workbook's language
shows in its sheets (right-to-left in Arabic) and its labels, not as a property.
Every text value goes through `exports.cells` (formulas stay text, control characters go).
Nothing here imports Flask or the models: callers pass plain values and translated labels.
"""

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import rvgsrust_xlsxwriter as rx

from exports.cells import FORMULA_TRIGGERS, clean_text, safe_text

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
# The widest a column of each kind is made (characters); a text column shrinks to its content.
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
# What a number of each kind needs once formatted (so a number column is not sized per value).
_NUMBER_WIDTHS = {"int": 6, "count": 9, "score": 8, "mad": 13, "percent": 8, "date": 11}
_DATE_FORMATS = {datetime: "yyyy-mm-dd h:mm:ss", date: "yyyy-mm-dd", time: "h:mm:ss"}
RTL_LANGUAGES = {"ar"}
CREATOR = "Idéathon"
SHEET_NAME_MAX = 31
HEADER_LINE_POINTS = 15  # one line of the 11-point default font
# Rows of wrapped text made as tall as their lines, per sheet: the writer keeps the height of
# every sized row in memory, so beyond these a sheet's rows keep the default height and memory
# stays flat; a sheet that long is read on screen, not printed.
FITTED_ROWS = 300
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_HEADER_FILL = "#E8EEF4"
# The longest text a cell holds (Excel's limit); longer text is cut there.
CELL_TEXT_MAX = 32767


@dataclass(frozen=True)
class Column:
    """One column of a table: its header (already translated), kind, widest width in
    characters, and whether longer text wraps in it (titles, comments) rather than overflows."""

    header: str
    kind: str = "text"  # a key of FORMATS
    width: float | None = None
    wrap: bool = False

    def __post_init__(self):
        if self.kind not in FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def widest(self) -> float:
        return self.width or DEFAULT_WIDTHS[self.kind]

    @property
    def narrowest(self) -> float:
        """The header's longest word, or about half the header when that is wider: the header
        wraps on two or three lines, never one letter per line."""
        words = max((len(word) for word in str(self.header).split()), default=0)
        return min(max(words + 2, len(str(self.header)) / 2 + 2, 6), max(self.widest, words + 2))


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


def header_lines(label: str, width: float) -> int:
    """How many lines a wrapped header takes in a column `width` characters wide (bold text
    is about a tenth wider than the width unit)."""
    room = max(int(width / 1.1) - 1, 1)
    return max(1, sum(len(textwrap.wrap(part, room)) or 1 for part in str(label).split("\n")))


def _naive(value):
    # Excel has no time zones: aware datetimes are written in UTC.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _footer_text(text: str) -> str:
    return clean_text(str(text)).replace("&", "&&")


class Sheet:
    """A worksheet being filled, row after row. Use `WorkbookWriter.open_sheet` to get one."""

    def __init__(
        self, book: "WorkbookWriter", title: str, columns: Sequence[Column], *, footer: str = ""
    ):
        self.book = book
        self.title = title
        self.columns = list(columns)
        # Text is written as text: never turned into a formula, a number or a link.
        self.ws = book.wb.add_worksheet(title, constant_memory=True)
        if book.rtl:
            self.ws.set_right_to_left(True)
        self.rows = 0  # rows written so far, header included
        self._header_row = 1
        self._table_end: int | None = None
        self._formats = [FORMATS[column.kind] for column in self.columns]
        self._wraps = [column.wrap for column in self.columns]
        self._wrapping = [index for index, column in enumerate(self.columns) if column.wrap]
        self._fitted = 0  # rows made taller so far (at most FITTED_ROWS)
        # Text columns grow with their content up to their width; others have a fixed width.
        self._content = [0 if column.kind == "text" else None for column in self.columns]
        # Each column's format (number format, wrap) is the column's own: a plain row is then
        # written in one call (`_write_plain`), its cells taking their column's format.
        for index, column in enumerate(self.columns):
            made = book.style(FORMATS[column.kind], "plain", False, column.wrap)
            if made is not None:
                self.ws.set_column_format(index, made)
        self._print_setup(footer or title)

    def _print_setup(self, footer: str) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper_size(9)  # A4
        ws.set_print_fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.25)
        ws.set_footer(f"&L{_footer_text(footer)}&C{_footer_text(self.book.printed)}&R&P / &N")

    def header(
        self, labels: Sequence[str] | None = None, *, freeze: bool = True, notice: str = ""
    ) -> None:
        """The bold header row (the columns' headers unless `labels` are given), frozen, as tall
        as its longest wrapped label and repeated on every printed page; a `notice` (personal
        data) goes in bold in a row of its own above it."""
        if notice:
            self._write([notice], (), "bold", format_text=False)
        self._header_row = self.rows + 1
        labels = labels if labels is not None else [c.header for c in self.columns]
        pairs = zip(labels, self.columns, strict=False)
        lines = max((header_lines(label, column.narrowest) for label, column in pairs), default=1)
        self._set_height(HEADER_LINE_POINTS * lines + 3)
        if freeze:
            self.ws.freeze_panes(self._header_row, 0)
        self.ws.set_repeat_rows(self._header_row - 1, self._header_row - 1)
        self._write(labels, (), "header", format_text=False, measure=False)

    def append(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """One row of values in column order; numbers get their column's (or `kinds`') format."""
        if kinds is None:
            self._write_plain(values)
        else:
            self._write(values, [FORMATS[kind] for kind in kinds], "plain", format_text=False)

    def extend(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.append(values)

    def bold_row(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """A row in bold (a total or a section title); numbers keep their format."""
        formats = self._formats if kinds is None else [FORMATS[kind] for kind in kinds]
        self._write(values, formats, "bold", format_text=True)

    def blank(self) -> None:
        self.rows += 1

    def _write_plain(self, values: Sequence) -> None:
        """A row in its columns' formats: the hot path of every export (1.7 million cells at
        ten times the tour), written in one call; only a cell that needs a format of its own
        (text that looks like a formula, a date, a flag) is written apart."""
        content = self._content
        columns = len(content)
        if self._wrapping and self._fitted < FITTED_ROWS:
            self._fit_row_height(values)
        cells = list(values)
        apart = []  # (column, value) of the cells written on their own
        for index, value in enumerate(cells):
            kind = type(value)
            if kind is str and value.isprintable() and not value.startswith(FORMULA_TRIGGERS):
                # Most cells: one line of plain text, kept as it is (`safe_text`'s own rule).
                length = len(value)
                if length > CELL_TEXT_MAX:
                    cells[index] = value[:CELL_TEXT_MAX]
                    length = CELL_TEXT_MAX
                if index < columns and content[index] is not None and length > content[index]:
                    content[index] = length
            elif kind is str:
                text, risky = safe_text(value)
                if len(text) > CELL_TEXT_MAX:
                    text = text[:CELL_TEXT_MAX]
                if index < columns and content[index] is not None:
                    longest = max(map(len, text.split("\n"))) if "\n" in text else len(text)
                    if longest > content[index]:
                        content[index] = longest
                if risky:
                    cells[index] = None
                    apart.append((index, text))
                else:
                    cells[index] = text
            elif kind is float:
                if value - value:  # NaN and ±inf (x - x is 0.0 for every finite x): no figure
                    cells[index] = None
            elif value is not None and kind is not int:
                cells[index] = None
                apart.append((index, value))
        self.ws.write_row(self.rows, 0, cells)
        for index, value in apart:
            fmt = self._formats[index] if index < columns else None
            if isinstance(value, str):  # kept text by a quote prefix (exports.cells)
                wrap = index < columns and self._wraps[index]
                self.ws.write(self.rows, index, value, self.book.style(None, "plain", True, wrap))
            else:
                self._write_other(self.rows, index, value, fmt, "plain")
        self.rows += 1

    def _write(
        self, values: Sequence, formats: Sequence, look: str, *, format_text: bool, measure=True
    ) -> None:
        # Rows with formats of their own (headers, totals, rows given their kinds): one call per
        # cell, formats looked up in a dict.
        style = self.book.style
        write = self.ws.write
        row = self.rows
        content = self._content
        wraps = self._wraps
        columns = len(content)
        if self._wrapping and look != "header" and self._fitted < FITTED_ROWS:
            self._fit_row_height(values)
        for index, value in enumerate(values):
            if value is None:
                continue
            fmt = formats[index] if index < len(formats) else None
            kind = type(value)
            if kind is float or kind is int:
                if value != value or value in _INFINITIES:
                    continue  # NaN and ±inf: no figure
                write(row, index, value, style(fmt, look))
            elif kind is str or isinstance(value, str):
                text, risky = safe_text(str(value))
                if len(text) > CELL_TEXT_MAX:
                    text = text[:CELL_TEXT_MAX]
                wrap = index < columns and wraps[index]
                write(row, index, text, style(fmt if format_text else None, look, risky, wrap))
                if measure and index < columns and content[index] is not None:
                    longest = max(map(len, text.split("\n"))) if "\n" in text else len(text)
                    if longest > content[index]:
                        content[index] = longest
            else:
                self._write_other(row, index, value, fmt, look)
        self.rows += 1

    def _fit_row_height(self, values: Sequence) -> None:
        """A row whose wrapped text takes several lines is made as tall (a spreadsheet program
        does not always do it on opening: LibreOffice keeps one line and cuts the rest), for
        the first FITTED_ROWS such rows of the sheet."""
        lines = 1
        for index in self._wrapping:
            if index < len(values) and isinstance(values[index], str):
                text = values[index]
                room = self.columns[index].widest - 2
                if len(text) > room or "\n" in text:
                    # Words do not break: a wrapped line holds about four characters fewer
                    # than the column (cheaper than wrapping each title: this runs per row).
                    per_line = max(room - 4, 1)
                    needed = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
                    lines = max(lines, needed)
        if lines > 1:
            self._set_height(HEADER_LINE_POINTS * lines)
            self._fitted += 1

    def _set_height(self, points: float) -> None:
        """The next row's height. In pixels (4/3 of a point), as the writer stores it: its
        height in points made a constant-memory sheet be held whole while the workbook was
        saved (measured: 86 MB more for 120,000 rows of comments)."""
        self.ws.set_row_height_pixels(self.rows, round(points * 4 / 3))

    def _write_other(self, row: int, index: int, value, fmt: str | None, look: str) -> None:
        style = self.book.style
        if isinstance(value, bool):
            self.ws.write(row, index, value, style(fmt, look))
        elif isinstance(value, date | datetime | time):
            value = _naive(value)
            if not (fmt and ("yy" in fmt or "hh" in fmt)):
                fmt = _DATE_FORMATS[type(value)]  # a date where no date format was set
            if isinstance(value, time):  # a time of day is the fraction of a day it has run
                value = (value.hour * 3600 + value.minute * 60 + value.second) / 86400 + (
                    value.microsecond / 86400e6
                )
            self.ws.write(row, index, value, style(fmt, look))
        elif isinstance(value, int | float) or hasattr(value, "__float__"):
            number = float(value)
            if number == number and number not in _INFINITIES:
                self.ws.write(row, index, number, style(fmt, look))
        else:
            raise TypeError(f"a workbook cell cannot hold {value!r}")

    def end_table(self) -> None:
        """The auto-filter covers the header and the rows so far (not totals or notes below)."""
        self._table_end = self.rows

    def close(self) -> None:
        """Column widths from what was written, and the filter over the table."""
        for index, column in enumerate(self.columns):
            longest = self._content[index]
            if longest is None:  # a number column: as wide as its kind's figures need
                needed = _NUMBER_WIDTHS.get(column.kind, column.widest) + 2
            else:
                needed = longest + 2
            width = min(max(needed, column.narrowest), max(column.widest, column.narrowest))
            self.ws.set_column_width(index, width)
        last = self._table_end if self._table_end is not None else self.rows
        if last >= 1 and self.columns:
            first = self._header_row
            self.ws.autofilter(first - 1, 0, max(last, first) - 1, len(self.columns) - 1)


_INFINITIES = (float("inf"), float("-inf"))


class WorkbookWriter:
    """A streamed workbook saved to `path` (a path or a binary file), its properties set.

    `language` ("ar", "fr", "en") is stored as the workbook's Language property and makes the
    sheets right-to-left for Arabic. `printed` is the date in every page footer (the creation
    date by default). Use as a context manager (saved on a clean exit) or call `save()`.
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
        printed: str = "",
    ):
        self.path = path
        self.language = language
        self.rtl = language in RTL_LANGUAGES
        self._stream = path if hasattr(path, "write") else None
        self.wb = rx.Workbook(None if self._stream else str(path))
        created = _naive(created or datetime.now(UTC))
        self.printed = printed or created.date().isoformat()
        self.wb.set_properties(
            title=clean_text(title),
            author=creator,
            subject=clean_text(subject),
            keywords=clean_text(keywords),
            comments=clean_text(description),
        )
        self._taken: set[str] = set()
        self._styles: dict[tuple, object] = {}
        self._open: list[Sheet] = []

    def style(self, number_format: str | None = None, look="plain", quote=False, wrap=False):
        """The workbook's format for a cell (None: the default), made on first use.

        `look`: "plain", "bold" (totals, section titles) or "header" (bold, shaded, wrapped);
        `quote`: text that looks like a formula, kept text by a quote prefix (exports.cells);
        `wrap`: long text wraps within its column.
        """
        key = (number_format, look, quote, wrap)
        try:
            return self._styles[key]
        except KeyError:
            pass
        if not (number_format or look != "plain" or wrap or quote):
            self._styles[key] = None
            return None
        made = self.wb.add_format()
        if number_format:
            made.set_num_format(number_format)
        if look != "plain":
            made.set_bold()
        if look == "header":
            made.set_background_color(_HEADER_FILL)
        if look == "header" or wrap:
            made.set_text_wrap().set_vertical_align("top")
        if quote:
            made.set_quote_prefix()
        self._styles[key] = made
        return made

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
        footer: str = "",
    ) -> Sheet:
        """A new sheet at the end (name made Excel-safe and unique), header row written unless
        told not, under a `notice` row when given (a workbook holding personal data). `footer`
        names the sheet on printed pages (its name by default)."""
        sheet = Sheet(self, self.sheet_name(name, suffix), columns, footer=footer)
        self._open.append(sheet)
        if header:
            sheet.header(notice=notice)
        return sheet

    def add_sheet(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> Sheet:
        """A whole table in one call: header, the rows (streamed), filter over all of them."""
        sheet = self.open_sheet(name, columns)
        sheet.extend(rows)
        return sheet

    def save(self) -> None:
        for sheet in self._open:
            sheet.close()
        if not self._open:
            self.open_sheet("Sheet", [])
        if self._stream is not None:
            self._stream.write(self.wb.save_to_buffer())
        else:
            self.wb.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.save()
        return False  # on an error nothing is written (the sheets' temporary files go with them)
