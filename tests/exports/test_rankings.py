"""The rankings builder on plain data (no database): sheets, contacts, ragged rows."""

from datetime import date

from openpyxl import load_workbook

from exports.rankings import (
    Breakdown,
    EventBlock,
    EventSummary,
    IdeaRow,
    write_rankings_workbook,
)


def _idea(**fields):
    values = dict(
        rank=1, receipt_code="OUJ-1", title="Four solaire", sector="Agri", province="Oujda",
        lead_name="Fatima", lead_phone="+212612345678", lead_email="f@example.ma",
        raw=71.25, judge_scores=[70.0, 72.5], comments=[("J1", "Bien"), ("J2", "  ")],
    )  # fmt: skip
    values.update(fields)
    return IdeaRow(**values)


def _build(tmp_path, ideas, **kwargs):
    path = tmp_path / "r.xlsx"
    write_rankings_workbook(
        path,
        summary=[EventSummary("Oujda", date(2025, 4, 3), "Publié", 1, 1, 1, 1, 250_000)],
        breakdowns=[Breakdown("Secteur", [("Agri", 1, 1)])],
        events=[EventBlock("Oujda", "Brute", ["Impact", "Faisabilité"], ["J1", "J2"], ideas)],
        **kwargs,
    )
    return load_workbook(path)


def test_default_labels_are_english_and_sheets_ordered(tmp_path):
    wb = _build(tmp_path, [_idea()])
    assert wb.sheetnames == ["Summary", "Oujda", "Oujda - Jury", "Oujda - Comments"]
    assert [c.value for c in wb["Oujda - Jury"][1]] == [
        "Rank",
        "Receipt code",
        "Title",
        "J1",
        "J2",
        "Mean",
    ]


def test_contacts_are_left_out_unless_the_caller_allows_them(tmp_path):
    values = [
        c for ws in _build(tmp_path, [_idea()]) for r in ws.iter_rows(values_only=True) for c in r
    ]
    assert "+212612345678" not in values and "f@example.ma" not in values
    wb = _build(tmp_path, [_idea()], include_personal=True)
    header = [c.value for c in wb["Oujda"][1]]
    assert header[6:8] == ["Phone", "E-mail"]
    assert [c.value for c in wb["Oujda"][2]][6:8] == ["+212612345678", "f@example.ma"]


def test_blank_comments_are_skipped(tmp_path):
    rows = list(_build(tmp_path, [_idea()])["Oujda - Comments"].iter_rows(values_only=True))
    assert rows[1:] == [("OUJ-1", "Four solaire", "J1", "Bien")]


def test_short_score_lists_are_padded_and_long_ones_cut(tmp_path):
    wb = _build(tmp_path, [_idea(judge_scores=[80.0], criterion_means=[4.0, 3.0, 9.9])])
    assert [c.value for c in wb["Oujda - Jury"][2]][3:] == [80, None, 71.25]
    header = [c.value for c in wb["Oujda"][1]]
    row = [c.value for c in wb["Oujda"][2]]
    assert row[header.index("Impact")] == 4 and row[header.index("Faisabilité")] == 3
    assert 9.9 not in row


def test_progress_is_reported_per_event(tmp_path):
    seen = []
    _build(tmp_path, iter([_idea()]), progress=seen.append)
    assert seen == [1]


def test_every_sheet_prints_one_page_wide_with_the_event_in_its_footer(tmp_path):
    wb = _build(tmp_path, [_idea(title="تعاونية " * 20)], language="ar")
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1" and ws.row_dimensions[1].height >= 15
    assert wb["Oujda"].oddFooter.left.text == "Rankings – Oujda"
    assert wb["Summary"].oddFooter.left.text == "Rankings – Summary"
    ranking = wb["Oujda"]
    assert ranking["C2"].alignment.wrap_text and ranking.row_dimensions[2].height >= 2 * 15
    assert ranking.column_dimensions["C"].width <= 41  # the title wraps, never runs on
