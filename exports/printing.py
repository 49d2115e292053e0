"""Print setup and header sizing for the small workbooks built cell by cell with openpyxl (the
paper templates): the same pages as the streamed exports (`exports.workbook`): landscape A4,
one page wide, the header row repeated on every page and as tall as its wrapped labels, a footer
naming the sheet and the date, right-to-left for Arabic."""

from datetime import date

from exports.cells import clean_text
from exports.workbook import HEADER_LINE_POINTS, RTL_LANGUAGES, header_lines


def set_up_pages(ws, *, footer: str, language: str, header_row: int = 1) -> None:
    """Pages, header height (from the labels of `header_row` and the columns' widths) and
    direction of an openpyxl worksheet whose cells and widths are already written."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_view.rightToLeft = language in RTL_LANGUAGES
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    text = clean_text(footer).replace("&", "&&")
    ws.oddFooter.left.text = text
    ws.oddFooter.center.text = date.today().isoformat()
    ws.oddFooter.right.text = "&P / &N"
    lines = 1
    for cell in ws[header_row]:
        if cell.value is None:
            continue
        width = ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
        lines = max(lines, header_lines(str(cell.value), width))
    ws.row_dimensions[header_row].height = HEADER_LINE_POINTS * lines + 3
