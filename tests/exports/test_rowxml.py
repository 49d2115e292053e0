"""Rows written as text (exports.rowxml) read back in openpyxl exactly as openpyxl's own cells."""

import math
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from exports.rowxml import add_row_sheet, bool_cell, number_cell, row_xml, text_cell
from exports.workbook import Column, WorkbookWriter

TEXTS = [
    "Coopérative du sud",
    "تعاونية الأمل",
    "a & b < c > d \"e\" 'f'",
    "  espaces autour  ",
    "ligne 1\nligne 2",
    "\tindenté",
    "   ",
    "]]> <![CDATA[",
]
NUMBERS = [0, 7, -3, 2_230_000, 1.5, 71.25, 1 / 3, 1e-9, 12345678901234567890, 2**53 + 1]


def _cells(path, read_only=False):
    wb = load_workbook(path, read_only=read_only)
    ws = wb.worksheets[0]
    rows = [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]
    wb.close()
    return rows


def test_text_and_numbers_read_back_as_openpyxl_writes_them(tmp_path):
    values = [*TEXTS, *NUMBERS, True, False, Decimal("12.50")]
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"

    wb = Workbook(write_only=True)
    sheet = add_row_sheet(wb, "s")
    for number, value in enumerate(values, 1):
        if isinstance(value, bool):
            cell = bool_cell(f"A{number}", value)
        elif isinstance(value, str):
            cell = text_cell(f"A{number}", value)
        else:
            cell = number_cell(f"A{number}", value)
        sheet.append(row_xml(number, [cell]))
    wb.save(ours)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for value in values:
        ws.append([float(value) if isinstance(value, Decimal) else value])
    wb.save(theirs)

    for read_only in (False, True):
        assert _cells(ours, read_only) == _cells(theirs, read_only)
    assert _cells(ours)[2][0][0] == "a & b < c > d \"e\" 'f'"
    assert _cells(ours)[3][0][0] == "  espaces autour  "


def test_styled_cells_name_openpyxls_style_index(tmp_path):
    path = tmp_path / "b.xlsx"
    wb = Workbook(write_only=True)
    probe = WriteOnlyCell(wb.create_sheet("probe"), 1)
    probe.number_format = "0.00"
    probe.font = Font(bold=True)
    sheet = add_row_sheet(wb, "s")
    sheet.append(row_xml(1, [number_cell("B1", 3.14159, probe.style_id), text_cell("C1", "x")]))
    wb.save(path)
    ws = load_workbook(path)["s"]
    assert ws["A1"].value is None
    assert ws["B1"].value == pytest.approx(3.14159)
    assert ws["B1"].number_format == "0.00" and ws["B1"].font.b
    assert ws["C1"].number_format == "General" and not ws["C1"].font.b


def test_not_a_number_and_empty_text_leave_the_cell_empty(tmp_path):
    path = tmp_path / "e.xlsx"
    wb = Workbook(write_only=True)
    sheet = add_row_sheet(wb, "s")
    sheet.append(
        row_xml(1, [number_cell("A1", math.nan), number_cell("B1", math.inf), text_cell("C1", "")])
    )
    wb.save(path)
    assert [c.value for c in load_workbook(path)["s"][1]] == [None]  # nothing written at all


def test_a_sheet_without_rows_and_the_sheet_xml_are_well_formed(tmp_path):
    path = tmp_path / "w.xlsx"
    wb = Workbook(write_only=True)
    add_row_sheet(wb, "vide")
    sheet = add_row_sheet(wb, "pleine")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = "A1:A2"
    sheet.append(row_xml(1, [text_cell("A1", "&<>")]))
    sheet.append(row_xml(2, []))
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                ElementTree.fromstring(archive.read(name))  # raises if not well-formed
    loaded = load_workbook(path)
    assert loaded.sheetnames == ["vide", "pleine"]
    assert loaded["vide"].max_row == 1 and loaded["vide"]["A1"].value is None
    assert loaded["pleine"]["A1"].value == "&<>"
    assert loaded["pleine"].freeze_panes == "A2" and loaded["pleine"].auto_filter.ref == "A1:A2"


def test_workbook_writer_keeps_every_style_and_value_kind(tmp_path):
    """Header, body, bold rows and dates through the writer, read back cell by cell."""
    path = tmp_path / "k.xlsx"
    columns = [
        Column("Titre"),
        Column("Score", "score"),
        Column("Jour", "date"),
        Column("Part", "percent"),
        Column("=Formule"),
    ]
    with WorkbookWriter(path, title="t", language="ar") as book:
        sheet = book.open_sheet("Feuille", columns)
        sheet.append(["=1+1", 71.25, date(2025, 4, 3), 0.125, "  ok  "])
        sheet.append([date(2025, 4, 3), True, datetime(2025, 4, 3, 10, 30), None, time(9, 15)])
        sheet.end_table()
        sheet.bold_row(["Total", 142.5, None, 1])
        sheet.append(["Part", 2, 0.5], ["text", "count", "percent"])
    ws = load_workbook(path)["Feuille"]
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E3"
    header = ws[1]
    assert [c.value for c in header] == ["Titre", "Score", "Jour", "Part", "=Formule"]
    assert all(
        c.font.b and c.fill.fgColor.rgb == "00E8EEF4" and c.alignment.wrap_text for c in header
    )
    assert header[4].data_type == "s" and header[4].quotePrefix
    a2, b2, c2, d2, e2 = ws[2]
    assert (a2.value, a2.data_type, a2.quotePrefix, a2.number_format) == (
        "=1+1",
        "s",
        True,
        "General",
    )
    assert (b2.value, b2.number_format) == (71.25, "0.00")
    assert (c2.value, c2.number_format) == (datetime(2025, 4, 3), "yyyy-mm-dd")
    assert (d2.value, d2.number_format) == (0.125, "0.0%")
    assert e2.value == "  ok  " and not e2.quotePrefix
    a3, b3, c3, _d3, e3 = ws[3]
    assert (a3.value, a3.number_format) == (datetime(2025, 4, 3), "yyyy-mm-dd")  # text column
    assert (b3.value, b3.data_type) == (True, "b")
    assert (c3.value, c3.number_format) == (datetime(2025, 4, 3, 10, 30), "yyyy-mm-dd")
    assert (e3.value, e3.number_format) == (time(9, 15), "h:mm:ss")
    a4, b4, _c4, d4 = ws[4][:4]
    assert a4.font.b and a4.value == "Total"
    assert b4.font.b and (b4.value, b4.number_format) == (142.5, "0.00")
    assert d4.font.b and d4.number_format == "0.0%"
    assert [(c.value, c.number_format) for c in ws[5][:3]] == [
        ("Part", "General"),
        (2, "#,##0"),
        (0.5, "0.0%"),
    ]


def test_a_value_no_workbook_can_hold_is_refused(tmp_path):
    with WorkbookWriter(tmp_path / "x.xlsx", title="t") as book:
        sheet = book.open_sheet("s", [Column("x")])
        with pytest.raises(TypeError):
            sheet.append([object()])
