"""The write-only workbook helper: formats, frozen header, filters, names, RTL, safe text."""

from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook

from exports.cells import safe_text, set_safe_value
from exports.workbook import Column, WorkbookWriter, sheet_title

RISKY = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _write(tmp_path, rows, language="fr", columns=None, **kwargs):
    path = tmp_path / "book.xlsx"
    columns = columns or [
        Column("Titre", width=40),
        Column("Score", "score"),
        Column("Budget", "mad"),
        Column("Juges", "int"),
    ]
    with WorkbookWriter(path, title="Classement", language=language, **kwargs) as book:
        book.add_sheet("Oujda", columns, rows)
    return load_workbook(path)


def test_header_is_bold_frozen_and_filtered_over_the_data(tmp_path):
    wb = _write(tmp_path, [["A", 1.5, 1000, 3], ["B", 2.25, 2000, 4]])
    ws = wb["Oujda"]
    assert [c.value for c in ws[1]] == ["Titre", "Score", "Budget", "Juges"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws.column_dimensions["A"].width < 10  # as wide as its content, not its widest (40)
    assert 15 <= ws.column_dimensions["C"].width < 17  # what a MAD amount needs


def _width(ws, letter):
    return round(ws.column_dimensions[letter].width)  # the writer adds its cell padding


def test_text_columns_grow_with_their_content_up_to_their_width(tmp_path):
    columns = [Column("Titre", width=40, wrap=True), Column("Ville", width=20), Column("Note")]
    rows = [["x" * 100, "Casablanca", "ok"], ["court", "Fès", "ligne\nbeaucoup plus longue"]]
    ws = _write(tmp_path, rows, columns=columns)["Oujda"]
    assert _width(ws, "A") == 41  # capped at its width (40); the text wraps there
    assert ws["A2"].alignment.wrap_text and not ws["B2"].alignment.wrap_text
    assert _width(ws, "B") == 13  # "Casablanca" and a margin
    assert _width(ws, "C") == 23  # the longest line of a multi-line text


def test_header_row_is_as_tall_as_its_wrapped_labels_and_repeats_on_every_page(tmp_path):
    columns = [Column("Raison (choisie hors du haut du classement)", width=40), Column("Rang")]
    path = tmp_path / "book.xlsx"
    with WorkbookWriter(path, title="t") as book:
        sheet = book.open_sheet("Oujda", columns, notice="Données personnelles")
        sheet.append(["x", 1])
    ws = load_workbook(path)["Oujda"]
    assert ws.row_dimensions[2].height >= 2 * 15  # the long label takes two lines or more
    assert ws.print_title_rows == "$2:$2" and ws.freeze_panes == "A3"


def test_every_sheet_prints_landscape_one_page_wide_with_a_footer(tmp_path):
    path = tmp_path / "book.xlsx"
    with WorkbookWriter(path, title="t", created=datetime(2025, 4, 3, tzinfo=UTC)) as book:
        book.open_sheet("R&D", [Column("x")], footer="Oujda & Fès")
    ws = load_workbook(path)["R&D"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.left.text == "Oujda && Fès" and ws.oddFooter.center.text == "2025-04-03"


def test_numbers_get_their_column_format(tmp_path):
    ws = _write(tmp_path, [["A", 1.234, 2_230_000, 3]])["Oujda"]
    assert ws["B2"].value == pytest.approx(1.234)
    assert ws["B2"].number_format == "0.00"
    assert ws["C2"].value == 2_230_000
    assert ws["C2"].number_format == "#,##0"
    assert ws["D2"].number_format == "0"


def test_formula_like_text_is_stored_as_text(tmp_path):
    ws = _write(tmp_path, [[text, None, None, None] for text in RISKY])["Oujda"]
    for row, text in enumerate(RISKY, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s", text
        assert cell.value == text.replace("\r", "\n")  # XML reads a lone CR as a line feed
        assert cell.quotePrefix


def test_control_characters_are_dropped_not_fatal(tmp_path):
    ws = _write(tmp_path, [["Coop\x00érative\x07 \x1bdu\x0b sud", 1, 1, 1], ["\x01=1+1", 1, 1, 1]])[
        "Oujda"
    ]
    assert ws["A2"].value == "Coopérative du sud"
    assert ws["A3"].value == "=1+1"
    assert ws["A3"].data_type == "s"


def test_arabic_workbook_is_right_to_left_and_french_is_not(tmp_path):
    assert _write(tmp_path, [["أ", 1, 1, 1]], language="ar")["Oujda"].sheet_view.rightToLeft
    assert not _write(tmp_path, [["A", 1, 1, 1]], language="fr")["Oujda"].sheet_view.rightToLeft


def test_document_properties(tmp_path):
    created = datetime(2025, 4, 3, 10, 30, tzinfo=UTC)
    wb = _write(tmp_path, [], language="ar", subject="Tournée 2025", created=created)
    props = wb.properties
    assert props.title == "Classement"
    assert props.creator == "Idéathon"
    assert props.subject == "Tournée 2025"
    assert props.created is not None
    # The language is the sheets' direction (the writer has no custom properties).
    assert all(ws.sheet_view.rightToLeft for ws in wb)


def test_aware_datetimes_are_written_in_utc(tmp_path):
    columns = [Column("Quand", "datetime"), Column("Jour", "date")]
    moment = datetime(2025, 4, 3, 12, 0, tzinfo=UTC)
    ws = _write(tmp_path, [[moment, date(2025, 4, 3)]], columns=columns)["Oujda"]
    assert ws["A2"].value == datetime(2025, 4, 3, 12, 0)
    assert ws["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["B2"].number_format == "yyyy-mm-dd"


def test_empty_table_still_has_header_and_filter(tmp_path):
    ws = _write(tmp_path, [])["Oujda"]
    assert ws.max_row == 1
    assert ws.auto_filter.ref == "A1:D1"


def test_rows_can_be_a_generator(tmp_path):
    ws = _write(tmp_path, ([f"Idée {i}", i / 3, i * 1000, i] for i in range(500)))["Oujda"]
    assert ws.max_row == 501
    assert ws.auto_filter.ref == "A1:D501"


def test_totals_and_notes_below_a_table_stay_out_of_the_filter(tmp_path):
    path = tmp_path / "book.xlsx"
    with WorkbookWriter(path, title="t") as book:
        sheet = book.open_sheet("Résumé", [Column("Ville"), Column("Idées", "count")])
        sheet.extend([["Oujda", 1200], ["Fès", 800]])
        sheet.end_table()
        sheet.bold_row(["Total", 2000])
        sheet.blank()
        sheet.append(["=note"])
    ws = load_workbook(path)["Résumé"]
    assert ws.auto_filter.ref == "A1:B3"
    assert ws["A4"].font.b and ws["B4"].value == 2000 and ws["B4"].number_format == "#,##0"
    assert ws["A6"].data_type == "s"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Oujda", "Oujda"),
        ("a[b]c:d*e?f/g\\h", "a b c d e f g h"),
        ("'quoted'", "quoted"),
        ("", "Sheet"),
        ("x" * 40, "x" * 31),
        ("History", "History (2)"),
    ],
)
def test_sheet_titles_are_excel_safe(name, expected):
    assert sheet_title(name, set()) == expected


def test_sheet_titles_are_unique_case_insensitively_and_keep_their_suffix():
    taken: set[str] = set()
    assert sheet_title("Oujda", taken) == "Oujda"
    assert sheet_title("OUJDA", taken) == "OUJDA (2)"
    long = "Dakhla-Oued Ed-Dahab régional final"
    first = sheet_title(long, taken, suffix=" - Jury")
    second = sheet_title(long, taken, suffix=" - Jury")
    assert len(first) <= 31 and first.endswith(" - Jury")
    assert len(second) <= 31 and second.endswith(" - Jury (2)")


def test_many_sheets_with_the_same_long_name_open_in_openpyxl(tmp_path):
    path = tmp_path / "book.xlsx"
    with WorkbookWriter(path, title="t") as book:
        for _ in range(3):
            book.add_sheet("Casablanca-Settat: finale [nationale]", [Column("x")], [["a"]])
    names = load_workbook(path).sheetnames
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


def test_set_safe_value_on_an_ordinary_sheet():
    from openpyxl import Workbook

    ws = Workbook().active
    set_safe_value(ws["A1"], "=1+1")
    set_safe_value(ws["A2"], "bonjour\x00")
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=1+1"
    assert ws["A2"].value == "bonjour"


def test_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "money")


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
        c.font.b and c.fill.fgColor.rgb.endswith("E8EEF4") and c.alignment.wrap_text for c in header
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


def test_a_row_with_wrapped_text_is_as_tall_as_its_lines(tmp_path):
    columns = [Column("Titre", width=20, wrap=True), Column("Rang", "int")]
    ws = _write(tmp_path, [["تعاونية " * 12, 1], ["court", 2]], columns=columns)["Oujda"]
    assert ws.row_dimensions[2].height >= 3 * 15 and ws.row_dimensions[3].height is None


def test_only_the_first_rows_of_a_long_sheet_are_made_taller(tmp_path, monkeypatch):
    """The writer keeps every sized row's height in memory: a long sheet stops sizing rows."""
    import exports.workbook

    monkeypatch.setattr(exports.workbook, "FITTED_ROWS", 3)
    columns = [Column("Titre", width=20, wrap=True)]
    ws = _write(tmp_path, [["mot " * 20]] * 5, columns=columns)["Oujda"]
    heights = [ws.row_dimensions[row].height for row in range(2, 7)]
    assert all(h and h >= 45 for h in heights[:3]) and heights[3:] == [None, None]


def test_text_longer_than_a_cell_holds_is_cut_at_excels_limit(tmp_path):
    """Excel's cells hold 32,767 characters: a longer text (a pasted document) is cut there,
    the rest of the row and the workbook written as usual."""
    from exports.workbook import CELL_TEXT_MAX

    ws = _write(tmp_path, [["é" * (CELL_TEXT_MAX + 10), 1.5, 1000, 3]])["Oujda"]
    assert len(ws["A2"].value) == CELL_TEXT_MAX == 32767
    assert ws["B2"].value == 1.5


@pytest.mark.parametrize(
    ("given", "kept", "risky"),
    [
        ("تعاونية نسائية لتثمين الأركان", "تعاونية نسائية لتثمين الأركان", False),
        ("Coop\u00a0Atlas\u200f", "Coop\u00a0Atlas\u200f", False),  # no control character
        ("ligne 1\r\nligne 2\rligne 3", "ligne 1\nligne 2\nligne 3", False),
        ("\x02\r=HYPERLINK()", "\n=HYPERLINK()", True),
        ("-5 % de pertes", "-5 % de pertes", True),
        ("", "", False),
    ],
)
def test_safe_text_keeps_printable_text_and_cleans_the_rest(given, kept, risky):
    assert safe_text(given) == (kept, risky)
