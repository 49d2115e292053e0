"""Paper fallback: the Excel template, an all-or-nothing import naming each bad cell, in the
UI and on the command line."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from competitions.states import EventState
from extensions import db
from submissions.models import Idea
from submissions.paper import COLUMNS, letter
from tests.builders import make_event, make_user

GOOD_ROW = {
    "title": "Coopérative de miel",
    "problem": "Pas de débouchés",
    "solution": "Vente groupée",
    "sector": "Agriculture",
    "region_code": "L'Oriental",  # names as typed, in French or Arabic, or HCP codes
    "province_code": "Berkane",
    "expected_jobs": 5,
    "budget_mad": "120 000",
    "financing_sought_mad": 80000,
    "team_kind": "Un groupe qui veut fonder une coopérative",
    "lead_name": "Ahmed",
    "lead_phone": 661234567,
    "lead_gender": "Homme",
    "consent": "oui",
}


def template(runner, tmp_path):
    path = tmp_path / "ideas.xlsx"
    result = runner.invoke(args=["ideas-template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def filled(runner, tmp_path, rows):
    path = template(runner, tmp_path)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    for offset, row in enumerate(rows):
        for field, value in row.items():
            sheet[f"{letter(field)}{2 + offset}"] = value
    workbook.save(path)
    return path


def ideas_count():
    return db.session.scalar(select(func.count(Idea.id)))


def test_template_has_headers_lists_and_instructions(runner, tmp_path):
    workbook = load_workbook(template(runner, tmp_path))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(COLUMNS)
    assert headers[0] == "Titre de l'idée *" and "Budget estimé (MAD)" in headers
    ranges = {str(v.sqref).split(":")[0][:1] for v in sheet.data_validations.dataValidation}
    for field in (
        "sector",
        "region_code",
        "province_code",
        "team_kind",
        "lead_gender",
        "lead_age_bracket",
        "consent",
    ):
        assert letter(field) in ranges
    assert workbook["Lists"].sheet_state == "hidden"
    assert "Agroalimentaire" in [c.value for c in workbook["Lists"]["A"]]
    assert "Oriental" in [c.value for c in workbook["Lists"]["B"]]  # the HCP's names
    assert "Berkane" in [c.value for c in workbook["Lists"]["C"]]
    assert any(ws.title == "Instructions" for ws in workbook.worksheets)


def test_good_sheet_is_imported_in_full(runner, tmp_path):
    event = make_event()
    arabic = dict(
        GOOD_ROW,
        title="تعاونية العسل",
        region_code="الشرق",
        province_code="بركان",
        commune_code="أحفير",
        sector="الفلاحة",
        lead_phone="+212 7 00 11 22 33",
        consent="نعم",
    )
    path = filled(runner, tmp_path, [GOOD_ROW, arabic])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "2 idées importées" in result.output
    ideas = db.session.scalars(select(Idea).order_by(Idea.id)).all()
    assert [i.source for i in ideas] == ["import", "import"]
    assert ideas[0].lead_phone == "+212661234567" and ideas[0].budget_mad == 120_000
    assert ideas[0].sector == "agriculture" and ideas[0].team_kind == "group"
    assert (ideas[0].region_code, ideas[0].province_code, ideas[0].commune_code) == (
        "02",
        "02.113",
        None,
    )
    assert ideas[1].title == "تعاونية العسل"
    assert (ideas[1].region_code, ideas[1].province_code, ideas[1].commune_code) == (
        "02",
        "02.113",
        "02.113.01.01",  # Ahfir
    )
    assert ideas[1].lead_phone == "+212700112233"
    # Importing the same file again adds nothing.
    again = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert "0 idées importées" in again.output and ideas_count() == 2


def test_one_bad_row_imports_nothing_and_names_each_bad_cell(runner, tmp_path):
    event = make_event()
    bad = dict(GOOD_ROW, budget_mad="beaucoup", lead_phone="123", sector="Mines", consent="")
    path = filled(runner, tmp_path, [GOOD_ROW, GOOD_ROW, bad, dict(GOOD_ROW, title=None)])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code != 0
    output = result.output
    assert "Rien n'a été importé" in output
    assert (
        f"{letter('budget_mad')}4 (Budget estimé (MAD)) : "
        "Saisissez un montant en dirhams, par ex. 250 000." in output
    )
    assert f"{letter('lead_phone')}4" in output and f"{letter('sector')}4" in output
    assert f"{letter('consent')}4" in output and "A5 (Titre de l'idée)" in output
    assert ideas_count() == 0


def test_places_are_read_by_name_or_code_and_each_unknown_one_is_named(runner, tmp_path):
    event = make_event()
    rows = [
        dict(GOOD_ROW, region_code="02", province_code="02.113", commune_code="Ahfir"),
        dict(GOOD_ROW, title="2", region_code="Île-de-France"),
        dict(GOOD_ROW, title="3", province_code="Tiznit"),  # Souss-Massa's, not the Oriental's
        dict(GOOD_ROW, title="4", commune_code="Agadir"),  # not a commune of Berkane
        dict(GOOD_ROW, title="5", province_code="x" * 5000),
        dict(GOOD_ROW, title="6", region_code=None, province_code=None),
    ]
    result = runner.invoke(
        args=["import-ideas", "--event", event.slug, str(filled(runner, tmp_path, rows))]
    )
    assert result.exit_code != 0 and ideas_count() == 0
    output = result.output
    region, province, commune = (
        letter("region_code"),
        letter("province_code"),
        letter("commune_code"),
    )
    assert f"{region}3 (Région où elle serait réalisée) : Choisissez une des 12 régions" in output
    assert (
        f"{province}4 (Province ou préfecture) : Cette province n'est pas dans la région" in output
    )
    assert f"{commune}5 (Commune (facultatif)) : Cette commune n'est pas dans la province" in output
    assert f"{province}6 (Province ou préfecture) : Choisissez une des provinces" in output
    assert f"{region}7 (Région où elle serait réalisée) : Choisissez la région." in output
    assert f"{province}7 (Province ou préfecture) : Choisissez la province." in output
    assert f"{region}2" not in output and f"{commune}2" not in output


def test_upload_in_the_ui_all_or_nothing(client, login, runner, tmp_path):
    event = make_event()
    login(make_user("organiser"))
    bad = filled(runner, tmp_path, [dict(GOOD_ROW, expected_jobs=-2)])
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (BytesIO(bad.read_bytes()), "ideas.xlsx")},
    )
    assert response.status_code == 422
    assert (
        f"{letter('expected_jobs')}2 (Emplois prévus) : Saisissez un nombre entier de 0 à 100\u202f000."
        in response.get_data(as_text=True)
    )
    assert ideas_count() == 0
    good = filled(runner, tmp_path, [GOOD_ROW])
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (BytesIO(good.read_bytes()), "ideas.xlsx")},
    )
    assert response.status_code == 303 and ideas_count() == 1


def test_not_a_workbook_and_empty_sheet_are_refused_clearly(client, login, runner, tmp_path):
    event = make_event()
    login(make_user("organiser"))
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import", data={"file": (BytesIO(b"hello"), "ideas.xlsx")}
    )
    assert response.status_code == 422
    assert "n&#39;est pas un classeur Excel" in response.get_data(as_text=True)
    empty = template(runner, tmp_path)
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (BytesIO(empty.read_bytes()), "ideas.xlsx")},
    )
    assert response.status_code == 422 and "aucune idée" in response.get_data(as_text=True)
    assert ideas_count() == 0


def test_import_into_a_closed_event_is_refused(runner, tmp_path):
    event = make_event(state=EventState.JUDGING)
    path = filled(runner, tmp_path, [GOOD_ROW])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code != 0 and "n'accepte pas d'idées" in result.output
    assert ideas_count() == 0


def test_template_download_in_the_ui(client, login):
    login(make_user("organiser"))
    response = client.get("/tour/ideas-template.xlsx")
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.data)).worksheets[0]["A1"].value == "Titre de l'idée *"


@pytest.mark.parametrize("language, rtl", [("ar", True), ("en", False), ("fr", False)])
def test_template_in_each_language_prints_one_page_wide(client, login, language, rtl):
    from flask_babel import force_locale

    from submissions.fields import LABELS

    login(make_user("organiser"))
    response = client.get(f"/tour/ideas-template.xlsx?language={language}")
    assert response.headers["Content-Disposition"].endswith(f"-{language}.xlsx")
    ws = load_workbook(BytesIO(response.data)).worksheets[0]
    with force_locale(language):
        assert ws["A1"].value == str(LABELS["title"]) + " *"
    assert bool(ws.sheet_view.rightToLeft) == rtl
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.row_dimensions[1].height >= 2 * 15


def test_an_idea_typed_twice_is_refused_naming_both_rows(runner, tmp_path):
    event = make_event()
    other = dict(GOOD_ROW, title="Séchoir solaire", lead_phone="0700112233")
    retyped = dict(GOOD_ROW, title="  coopérative DE miel ")  # same idea, typed again
    path = filled(runner, tmp_path, [GOOD_ROW, other, retyped])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code != 0
    assert "Lignes 2 et 4 : deux fois la même idée (même titre et même téléphone)." in result.output
    assert ideas_count() == 0
    same_title_other_team = dict(GOOD_ROW, lead_phone="0700112233")
    path = filled(runner, tmp_path, [GOOD_ROW, same_title_other_team])
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code == 0 and ideas_count() == 2


def test_missing_columns_are_named_and_moved_columns_are_found(runner, tmp_path):
    event = make_event()
    path = filled(runner, tmp_path, [GOOD_ROW])
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.delete_cols(COLUMNS.index("budget_mad") + 1)
    sheet.delete_cols(COLUMNS.index("problem") + 1)
    workbook.save(path)
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code != 0
    assert "La colonne « Le problème » manque dans la première ligne." in result.output
    assert "La colonne « Budget estimé (MAD) » manque" in result.output
    assert ideas_count() == 0

    path = filled(runner, tmp_path, [GOOD_ROW])
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.insert_cols(1)  # a column of the typist's own, first
    sheet["A1"] = "Saisi par"
    sheet["A2"] = "Karim"
    workbook.save(path)
    result = runner.invoke(args=["import-ideas", "--event", event.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Idea.budget_mad)) == 120_000


def _xlsx(build) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _chart_only(workbook):
    workbook.create_chartsheet("Graphique")
    workbook.remove(workbook.active)


def test_no_file_gives_a_500(client, login):
    event = make_event()
    login(make_user("organiser"))
    files = {
        b"\x00\xffPK\x03\x04" * 100: "n&#39;est pas un classeur Excel",
        _xlsx(lambda wb: None): "aucune idée",
        _xlsx(lambda wb: wb.active.append(["Nom", "Ville"])): "La colonne « Titre de l&#39;idée »",
        _xlsx(_chart_only): "n&#39;est pas un classeur Excel",
    }
    for data, message in files.items():
        response = client.post(
            f"/tour/events/{event.slug}/ideas/import",
            data={"file": (BytesIO(data), "ideas.xlsx")},
        )
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert ideas_count() == 0


def test_triage_offers_the_template_in_each_language(client, login):
    event = make_event()
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/ideas").get_data(as_text=True)
    for code in ("ar", "fr", "en"):
        assert f"/tour/ideas-template.xlsx?language={code}" in page
