"""Write-only worksheets whose rows arrive as SpreadsheetML text: openpyxl's sheet, lean cells.

openpyxl builds a cell object and an XML element for every value it writes; for the hundred
thousand styled cells of a tour's workbook that was most of the export's time. Here a row is
formatted straight into its `<row>` text (`row_xml`, with the cells of `text_cell`,
`number_cell`…), and `RowSheet` streams it between the elements openpyxl writes itself (sheet
properties, views and frozen pane, columns, auto-filter, margins). Styles, shared parts and the
package are openpyxl's: a cell only names the style index openpyxl gave (`Cell.style_id`).

Callers (exports.workbook) pass text already cleaned by exports.cells; escaping is done here.
"""

from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_INFINITIES = (float("inf"), float("-inf"))


def _style(style: int) -> str:
    return f' s="{style}"' if style else ""


def text_cell(ref: str, text: str, style: int = 0) -> str:
    """An inline string (what openpyxl writes in write-only mode); edge spaces are kept."""
    if not text:
        return empty_cell(ref, style)
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f'<c r="{ref}"{_style(style)} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def number_cell(ref: str, number, style: int = 0) -> str:
    """A number, with openpyxl's precision (16 significant digits); NaN and ±inf are empty."""
    if number != number or number in _INFINITIES:
        return empty_cell(ref, style)
    return f'<c r="{ref}"{_style(style)} t="n"><v>{number:.16g}</v></c>'


def bool_cell(ref: str, value: bool, style: int = 0) -> str:
    return f'<c r="{ref}"{_style(style)} t="b"><v>{int(value)}</v></c>'


def empty_cell(ref: str, style: int = 0) -> str:
    """A cell with a style and no value (nothing at all when it has no style either)."""
    return f'<c r="{ref}"{_style(style)}/>' if style else ""


def row_xml(number: int, cells: list[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Writer(WorksheetWriter):
    """openpyxl's worksheet writer, writing its elements as text so that rows given as text can
    go in between (openpyxl's own stream only takes elements)."""

    def get_stream(self):
        with open(self.out, "w", encoding="utf-8") as out:
            out.write(f'<worksheet xmlns="{SHEET_MAIN_NS}">')
            try:
                while True:
                    part = yield
                    if isinstance(part, str):
                        out.write(part)
                    elif part is not None:
                        out.write(tostring(part, encoding="unicode"))
            except GeneratorExit:
                out.write("</worksheet>")

    def write_rows(self):  # a sheet closed without any row
        self.xf.send("<sheetData/>")


class RowSheet(WriteOnlyWorksheet):
    """A write-only worksheet taking `row_xml` text instead of values. Set its views, columns
    and filter as for any write-only sheet: before the first row (columns, frozen pane)."""

    def _get_writer(self):
        if self._writer is None:
            self._writer = _Writer(self)
            self._writer.write_top()

    def append(self, row: str) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(row)

    def _write_rows(self):
        send = self._writer.xf.send
        send("<sheetData>")
        try:
            while True:
                send((yield))
        except GeneratorExit:
            pass
        send("</sheetData>")


def add_row_sheet(workbook, title: str) -> RowSheet:
    """A new `RowSheet` at the end of a write-only workbook (as `Workbook.create_sheet`)."""
    sheet = RowSheet(parent=workbook, title=title)
    workbook._sheets.append(sheet)
    return sheet
