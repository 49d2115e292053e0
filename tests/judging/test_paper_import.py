"""Paper score sheets: duplicates, every bad cell at once, missing columns, the round trip of a
sheet printed mid-judging, and no 500 on any file (real .xlsx files written with openpyxl)."""

import html
import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from extensions import db
from judging import paper
from judging.models import Score, ScoreSheet
from tests.builders import make_user

from .conftest import build_judging, fill, sheet_of


def _workbook(tmp_path, event, edit=None, name="sheet.xlsx"):
    """The event's paper sheet as printed now, changed by `edit(ws)`, saved again."""
    path = paper.write_score_sheet(event, tmp_path / name)
    wb = load_workbook(path)
    if edit:
        edit(wb.active)
    wb.save(path)
    return path


def _fill_rows(ws, value=3, rows=None):
    """Marks in every criterion column of the rows (all data rows by default)."""
    criteria = [
        c for c in range(4, ws.max_column + 1) if "×" in str(ws.cell(row=1, column=c).value)
    ]
    for row in rows or range(2, ws.max_row + 1):
        for column in criteria:
            ws.cell(row=row, column=column, value=value)


def _snapshot():
    sheets = db.session.execute(select(ScoreSheet.id, ScoreSheet.status)).all()
    scores = db.session.execute(select(Score.sheet_id, Score.criterion_id, Score.value)).all()
    return sorted(sheets), sorted(scores)


def _cli(runner, event, path):
    return runner.invoke(args=["import-scores", "--event", event.slug, str(path)])


def _upload(client, event, data: bytes, lang="fr"):
    response = client.post(
        f"/judging/{event.slug}/import-scores?lang={lang}",
        data={"file": (io.BytesIO(data), "scores.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


# --- Duplicates -----------------------------------------------------------------------------------


def test_a_row_twice_is_refused_naming_both_rows_on_sheets_with_no_marks_yet(
    app, runner, client, login, tmp_path
):
    """Before: an IntegrityError traceback on the CLI and a 500 from the upload page."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)

    def twice(ws):
        _fill_rows(ws, 4)
        ws.append([ws.cell(row=3, column=c).value for c in range(1, ws.max_column + 1)])

    path = _workbook(tmp_path, event, twice)
    before = _snapshot()
    result = _cli(runner, event, path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    code, email = (load_workbook(path).active.cell(row=3, column=c).value for c in (1, 3))
    expected = (
        f"Lignes 3 et 6 : deux fois la même idée ({code}) et le même membre du jury ({email})."
    )
    assert expected in result.output
    assert _snapshot() == before
    login(make_user("organiser"))
    page = _upload(client, event, path.read_bytes())
    assert expected in page and "1 problème à corriger" in page
    assert _snapshot() == before


def test_a_row_twice_with_different_marks_is_refused_not_last_one_wins(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 2, submit=False)  # a sheet with marks already

    def twice(ws):
        _fill_rows(ws, 4)
        ws.append([ws.cell(row=2, column=c).value for c in range(1, ws.max_column + 1)])
        _fill_rows(ws, 5, rows=[3])

    result = _cli(runner, event, _workbook(tmp_path, event, twice))
    assert result.exit_code == 1 and "Lignes 2 et 3 : deux fois la même idée" in result.output
    assert set(db.session.scalars(select(Score.value))) == {2}


# --- Every bad cell at once -----------------------------------------------------------------------


def test_every_bad_cell_is_listed_at_once_with_its_column_title(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)

    def spoil(ws):
        _fill_rows(ws, 3)
        ws.cell(row=3, column=3).value = None  # judge e-mail
        ws.cell(row=4, column=4, value="trois")
        ws.cell(row=5, column=5, value=7)
        ws.cell(row=5, column=6).value = None

    result = _cli(runner, event, _workbook(tmp_path, event, spoil))
    assert result.exit_code == 1
    out = result.output
    assert "4 problèmes à corriger" in out
    assert "Ligne 3, colonne « E-mail du membre du jury » (C3) : vide" in out
    assert (
        "Ligne 4, colonne « Impact social (1–5, ×3) » (D4) : Le score doit être un nombre." in out
    )
    assert "(E5) : Le score doit être compris entre 1 et 5." in out
    assert "Ligne 5, colonne « Innovation (1–5, ×2) » (F5) : vide" in out
    assert db.session.query(Score).count() == 0


def test_missing_columns_are_named_each(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    def drop(ws):
        _fill_rows(ws, 3)
        ws.delete_cols(5)  # a criterion
        ws.delete_cols(3)  # the judge's e-mail

    result = _cli(runner, event, _workbook(tmp_path, event, drop))
    assert result.exit_code == 1
    assert "La colonne « E-mail du membre du jury » manque dans la première ligne." in result.output
    assert "La colonne « Impact économique (emplois, revenus) (1–5, ×3) » manque" in result.output
    assert "2 problèmes" in result.output


def test_columns_may_be_moved_and_the_comment_column_left_out(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    def move(ws):
        _fill_rows(ws, 4)
        ws.delete_cols(ws.max_column)  # no comment column
        ws.move_range("A1:A2", cols=ws.max_column)  # the receipt code last

    result = _cli(runner, event, _workbook(tmp_path, event, move))
    assert result.exit_code == 0, result.output
    assert "1 grille papier importée." in result.output


def test_a_comment_too_long_is_named(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    def long_comment(ws):
        _fill_rows(ws, 4)
        ws.cell(row=2, column=ws.max_column, value="x" * 5001)

    result = _cli(runner, event, _workbook(tmp_path, event, long_comment))
    assert result.exit_code == 1
    assert (
        "Ligne 2, colonne « Commentaire » (J2) : 5\u202f000 caractères au maximum" in result.output
    )


def test_a_flood_of_bad_rows_lists_the_first_hundred_problems(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    def flood(ws):
        for n in range(300):
            ws.append([f"XXX-{n:04d}", "?", "nobody@example.ma"])

    result = _cli(runner, event, _workbook(tmp_path, event, flood))
    assert result.exit_code == 1
    assert "Seuls les 100 premiers problèmes sont listés." in result.output
    assert result.output.count("aucune grille de cet événement") == 100


# --- The round trip of a sheet printed mid-judging ------------------------------------------------


def test_a_sheet_printed_mid_judging_imports_back_unchanged(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 4)
    fill(sheet_of(ideas[1], judges[0]), [5 - k % 5 for k in range(len(event.rubric.criteria))])
    sheet_of(ideas[1], judges[0]).comment = "Très clair"
    db.session.commit()
    fill(sheet_of(ideas[2], judges[0]), 2, submit=False)  # a draft: its row is printed blank
    path = _workbook(tmp_path, event)
    before = _snapshot()
    result = _cli(runner, event, path)
    assert result.exit_code == 0, result.output
    assert (
        "0 grille papier importée. 2 déjà validées et identiques (ignorées). "
        "4 lignes laissées vides." in result.output
    )
    assert _snapshot() == before


def test_a_sheet_printed_mid_judging_then_filled_imports_the_new_rows_only(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 4)
    submitted_at = sheet_of(ideas[0], judges[0]).submitted_at
    path = paper.write_score_sheet(event, tmp_path / "mid.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    blank = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=4).value is None]
    _fill_rows(ws, 2, rows=blank)
    wb.save(path)
    result = _cli(runner, event, path)
    assert result.exit_code == 0, result.output
    assert "3 grilles papier importées. 1 déjà validée et identique (ignorée)." in result.output
    db.session.expire_all()
    assert db.session.query(ScoreSheet).filter_by(status="submitted").count() == 4
    assert sheet_of(ideas[0], judges[0]).submitted_at == submitted_at  # untouched


def test_a_submitted_sheet_changed_on_paper_is_refused_naming_the_cell(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 4)
    path = _workbook(tmp_path, event, lambda ws: ws.cell(row=2, column=5, value=2))
    before = _snapshot()
    result = _cli(runner, event, path)
    assert result.exit_code == 1
    assert (
        "Ligne 2, colonne « Impact économique (emplois, revenus) (1–5, ×3) » (E2) : "
        "cette grille est déjà validée avec 4 ; le fichier indique 2." in result.output
    )
    assert _snapshot() == before


def test_a_removed_judges_rows_are_left_out_and_refused(app, runner, client, login, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    path = _workbook(tmp_path, event, lambda ws: _fill_rows(ws, 3))
    organiser = app.test_client()
    login(make_user("organiser"), organiser)
    organiser.post(
        f"/tour/events/{event.slug}/jury/{judges[1].id}/remove", data={"submitted": "keep"}
    )
    result = _cli(runner, event, path)
    assert result.exit_code == 1
    assert f"{judges[1].email} ne fait plus partie du jury de cet événement" in result.output
    printed = load_workbook(paper.write_score_sheet(event, tmp_path / "again.xlsx")).active
    assert [printed.cell(row=r, column=3).value for r in range(2, printed.max_row + 1)] == [
        judges[0].email
    ]


def test_a_sheet_printed_in_french_imports_from_a_page_in_arabic(app, client, login, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    path = _workbook(tmp_path, event, lambda ws: _fill_rows(ws, 5))
    login(make_user("organiser"))
    page = _upload(client, event, path.read_bytes(), lang="ar")
    assert "تم استيراد ورقتي تقييم ورقيتين." in page
    assert db.session.query(ScoreSheet).filter_by(status="submitted").count() == 2


# --- No 500 on any file ---------------------------------------------------------------------------


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _printed(event, tmp_path, edit) -> bytes:
    return _workbook(tmp_path, event, edit).read_bytes()


def _other_sheet_only(wb):
    wb.active.append(["Nom", "Prénom", "Ville"])
    wb.active.append(["Alaoui", "Sara", "Fès"])


def _chart_only(wb):
    wb.create_chartsheet("Graphique")
    wb.remove(wb.active)


BAD_FILES = {
    "garbage bytes": (
        lambda event, tmp: b"\x00\xffPK\x03\x04 not a zip" * 50,
        "n'est pas un classeur",
    ),
    "empty file": (lambda event, tmp: b"", "n'est pas un classeur"),
    "a zip that is not a workbook": (
        lambda event, tmp: bytes.fromhex("504b0506") + b"\x00" * 18,
        "n'est pas un classeur",
    ),
    "empty workbook": (lambda event, tmp: _xlsx(lambda wb: None), "ne contient aucun score"),
    "a workbook of other sheets": (
        lambda event, tmp: _xlsx(_other_sheet_only),
        "La colonne « Code de reçu » manque",
    ),
    "a workbook with only a chart": (
        lambda event, tmp: _xlsx(_chart_only),
        "n'est pas un classeur Excel",
    ),
    "huge values": (
        lambda event, tmp: _printed(
            event, tmp, lambda ws: (_fill_rows(ws, 10**30), ws.cell(row=2, column=5, value=1e308))
        ),
        "Le score doit être compris entre 1 et 5.",
    ),
    "a huge receipt code": (
        lambda event, tmp: _printed(
            event, tmp, lambda ws: (_fill_rows(ws, 3), ws.cell(row=2, column=1, value="X" * 30000))
        ),
        "aucune grille de cet événement",
    ),
    "formulas": (
        lambda event, tmp: _printed(
            event, tmp, lambda ws: (_fill_rows(ws, 3), ws.cell(row=2, column=4, value="=1+3"))
        ),
        "(D2) : une formule : saisissez la valeur elle-même",
    ),
    "text, dates and booleans in number cells": (
        lambda event, tmp: _printed(
            event,
            tmp,
            lambda ws: (
                _fill_rows(ws, "quatre"),
                ws.cell(row=2, column=5, value=datetime(2025, 4, 3)),
                ws.cell(row=2, column=6, value=True),
            ),
        ),
        "Le score doit être un nombre.",
    ),
    "a number where the e-mail goes": (
        lambda event, tmp: _printed(
            event, tmp, lambda ws: (_fill_rows(ws, 3), ws.cell(row=2, column=3, value=12.5))
        ),
        "aucune grille de cet événement pour le code de reçu",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_no_file_gives_a_500_and_nothing_is_saved(app, client, login, tmp_path, kind):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    make, message = BAD_FILES[kind]
    data = make(event, tmp_path)
    login(make_user("organiser"))
    before = _snapshot()
    page = _upload(client, event, data)
    assert message in page, kind
    assert _snapshot() == before


def test_the_score_sheet_is_found_when_it_is_not_the_first_sheet(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    path = _workbook(tmp_path, event, lambda ws: _fill_rows(ws, 3))
    wb = load_workbook(path)
    notes = wb.create_sheet("Notes", 0)
    notes.append(["Fiches saisies par Karim"])
    wb.save(path)
    result = _cli(runner, event, path)
    assert result.exit_code == 0 and "1 grille papier importée." in result.output
