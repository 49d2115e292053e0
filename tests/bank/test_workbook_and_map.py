import io

import pytest
from openpyxl import load_workbook

from bank.models import BankProject
from bank.services import promote_winners
from bank.workbook import export_builder
from competitions.states import EventState
from extensions import db
from tests.bank.conftest import SEEDED_EMAIL, SEEDED_PHONE
from tests.builders import make_user


@pytest.fixture
def bank(app, published):
    promote_winners(published["event"], None)
    db.session.add(
        BankProject(
            title='=HYPERLINK("http://x","y")',
            summary="+1+1",
            sector="tourism",
            region_code="09",
            province_code="09.001",
            budget_mad=1_500_000,
            financing_sources=[{"source": "INDH", "amount_mad": 300_000}],
            partners="@partenaire",
        )
    )
    db.session.commit()
    return published


def _sheet(path_or_bytes):
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    workbook = load_workbook(source)
    assert len(workbook.worksheets) == 1
    return workbook, workbook.worksheets[0]


def _rows(sheet):
    """The table, under the personal-data notice that opens the organisers' workbook."""
    rows = list(sheet.iter_rows(values_only=True))
    notice, *table = rows
    assert notice[0] and all(value is None for value in notice[1:]), notice
    return table


def test_cli_exports_the_bank_in_french(runner, bank, tmp_path):
    target = tmp_path / "banque.xlsx"
    result = runner.invoke(args=["export-bank", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "3 projet(s) écrit(s)" in result.output
    workbook, sheet = _sheet(target)
    assert sheet.title == "Banque de projets"
    assert workbook.properties.title == "Banque de projets"
    header = _rows(sheet)[0]
    assert header[:4] == ("ID", "Titre", "Résumé", "Secteur")
    assert "Budget (MAD)" in header and "Téléphone du contact" in header
    assert sheet.freeze_panes == "A3"  # the header, under the personal-data notice
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(header)).column_letter}5"
    assert sheet.sheet_view.rightToLeft is not True
    budget = header.index("Budget (MAD)") + 1
    available = header.index("Financement disponible (MAD)") + 1
    for row in range(3, 6):  # under the notice and the header
        assert sheet.cell(row, budget).number_format == "#,##0"
        budget_value = sheet.cell(row, budget).value  # a number (whole dirhams), not text
        assert isinstance(budget_value, int | float) and budget_value == int(budget_value)
    rows = _rows(sheet)
    assert SEEDED_PHONE in rows[1] and SEEDED_EMAIL in rows[1]  # organisers' export
    hostile = next(r for r in rows[1:] if r[1] and "HYPERLINK" in r[1])
    row_index = rows.index(hostile) + 2  # the notice row comes first
    assert sheet.cell(row_index, available).value == 300_000


def test_formulas_in_user_text_come_out_as_text(runner, bank, tmp_path):
    target = tmp_path / "banque.xlsx"
    runner.invoke(args=["export-bank", "-o", str(target)])
    _workbook, sheet = _sheet(target)
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    title = next(c for c in cells if c.value == '=HYPERLINK("http://x","y")')
    assert title.data_type == "s"
    for text in ("+1+1", "@partenaire"):
        cell = next(c for c in cells if c.value == text)
        assert cell.data_type == "s"
    assert not any(c.data_type == "f" for c in cells)


def test_arabic_export_is_right_to_left(runner, bank, tmp_path):
    target = tmp_path / "bank-ar.xlsx"
    result = runner.invoke(args=["export-bank", "-o", str(target), "--lang", "ar"])
    assert result.exit_code == 0, result.output
    _workbook, sheet = _sheet(target)
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.title == "بنك المشاريع"
    assert _rows(sheet)[0][1] == "العنوان"


def test_organiser_downloads_the_filtered_bank(client, login, bank):
    login(make_user())
    response = client.get("/tour/bank/export.xlsx?sector=tourism&sheet_lang=en")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    _workbook, sheet = _sheet(response.data)
    rows = _rows(sheet)
    assert rows[0][1] == "Title" and "Contact phone" in rows[0]
    assert len(rows) == 2 and rows[1][1] == '=HYPERLINK("http://x","y")'


def test_download_with_a_bad_filter_is_explained(client, login, bank):
    login(make_user())
    response = client.get("/tour/bank/export.xlsx?min_budget=-3", follow_redirects=True)
    assert "min_budget" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def test_background_export_builder_writes_the_workbook(app, bank, tmp_path):
    target = tmp_path / "job.xlsx"
    done = []
    export_builder(str(target), {"region": "09"}, "fr", done.append)
    _workbook, sheet = _sheet(target)
    assert len(_rows(sheet)) == 2 and done == [100]
    from jobs.exports import _BUILDERS

    assert _BUILDERS["bank"] is export_builder


def test_the_arabic_bank_workbook_names_the_origin_city_in_arabic(app, tmp_path):
    from bank.models import BankProject
    from bank.workbook import write_bank_workbook
    from extensions import db
    from tests.builders import make_event

    event = make_event(state=EventState.PUBLISHED, city="Oujda", city_ar="وجدة")
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411",
        origin_event_id=event.id, origin_rank=1,
    )  # fmt: skip
    db.session.add(project)
    db.session.commit()
    for lang, city in (("ar", "وجدة"), ("fr", "Oujda")):
        target = tmp_path / f"bank-{lang}.xlsx"
        write_bank_workbook(target, [project], lang=lang)
        assert city in _rows(_sheet(target)[1])[1]
