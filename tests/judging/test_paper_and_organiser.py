"""Paper score sheets (CLI and upload), the progress matrix, reminders and the audit log."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from judging import paper
from judging.models import Score, ScoreSheet
from tests.builders import make_user

from .conftest import build_judging, fill, sheet_of


def filled_workbook(tmp_path, event, marks=3, tweak=None):
    """Write the event's paper sheet, fill every mark, optionally change one cell, save it."""
    path = paper.write_score_sheet(event, tmp_path / "sheet.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    n = len(event.rubric.criteria)
    for row in range(2, ws.max_row + 1):
        for col in range(4, 4 + n):
            ws.cell(row=row, column=col, value=marks)
    if tweak:
        tweak(ws)
    wb.save(path)
    return path


def test_score_sheet_has_a_row_per_assigned_judge_and_titled_columns(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    out = tmp_path / "paper.xlsx"
    result = runner.invoke(args=["score-sheet", "--event", event.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Code de reçu", "Idée", "E-mail du membre du jury"]
    assert header[3] == "Impact social (1–5, ×3)"
    assert ws.max_row == 1 + 4
    codes = {(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value) for r in range(2, 6)}
    assert codes == {(i.receipt_code, j.email) for i in ideas for j in judges}


def test_formula_like_titles_are_written_as_text(app, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    ideas[0].title = '=HYPERLINK("http://x")'
    db.session.commit()
    ws = load_workbook(paper.write_score_sheet(event, tmp_path / "s.xlsx")).active
    assert ws.cell(row=2, column=2).data_type == "s"


def test_import_creates_submitted_sheets(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    path = filled_workbook(tmp_path, event, marks=4)
    result = runner.invoke(args=["import-scores", "--event", event.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.query(ScoreSheet).filter_by(status="submitted").count() == 4
    assert set(db.session.scalars(select(Score.value))) == {4}
    assert event.rubric.locked_at is not None


def test_a_bad_cell_is_named_and_nothing_is_imported(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    path = filled_workbook(tmp_path, event, tweak=lambda ws: ws.cell(row=4, column=4, value=9))
    result = runner.invoke(args=["import-scores", "--event", event.slug, str(path)])
    assert result.exit_code != 0
    assert (
        "Ligne 4, colonne « Impact social (1–5, ×3) » (D4) : "
        "Le score doit être compris entre 1 et 5." in result.output
    )
    assert "Traceback" not in result.output
    assert db.session.query(Score).count() == 0
    assert db.session.query(ScoreSheet).filter_by(status="submitted").count() == 0


def _blank(ws):
    ws.cell(row=2, column=5).value = None


@pytest.mark.parametrize(
    ("tweak", "message"),
    [
        (_blank, "Ligne 2, colonne « Impact économique (emplois, revenus) (1–5, ×3) » (E2) : vide"),
        (
            lambda ws: ws.cell(row=2, column=6, value="beaucoup"),
            "Ligne 2, colonne « Innovation (1–5, ×2) » (F2) : Le score doit être un nombre.",
        ),
        (
            lambda ws: ws.cell(row=2, column=4, value=2.5),
            "(D2) : Le score doit être un nombre entier.",
        ),
        (
            lambda ws: ws.cell(row=2, column=1, value="XXX-0000"),
            "Ligne 2 : aucune grille de cet événement pour le code de reçu XXX-0000",
        ),
        (
            lambda ws: ws.cell(row=1, column=4, value="Autre"),
            "La colonne « Impact social (1–5, ×3) » manque dans la première ligne.",
        ),
    ],
)
def test_bad_cells_are_named_and_nothing_is_imported(app, tmp_path, tweak, message):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    path = filled_workbook(tmp_path, event, tweak=tweak)
    with app.test_request_context(), path.open("rb") as stream:
        with pytest.raises(paper.JudgingError) as error:
            paper.import_score_sheet(event, stream, None)
        assert message in str(error.value)
        assert str(error.value).startswith("Le fichier n'a pas été importé : 1 problème")
    assert db.session.query(Score).count() == 0


def test_upload_of_a_non_workbook_is_refused(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(make_user("organiser"))
    response = client.post(
        f"/judging/{event.slug}/import-scores",
        data={"file": (io.BytesIO(b"not a workbook"), "scores.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Ce fichier n&#39;est pas un classeur Excel (.xlsx)." in response.get_data(as_text=True)
    assert db.session.query(Score).count() == 0


def test_upload_imports_the_filled_sheet(app, client, login, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    path = filled_workbook(tmp_path, event, marks=5)
    login(make_user("organiser"))
    with open(path, "rb") as stream:
        response = client.post(
            f"/judging/{event.slug}/import-scores",
            data={"file": (stream, "scores.xlsx")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
    assert "2 grilles papier importées." in response.get_data(as_text=True)
    assert db.session.query(ScoreSheet).filter_by(status="submitted").count() == 2


def test_progress_matrix_shows_each_cell_and_flags(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 3)
    fill(sheet_of(ideas[1], judges[0]), 3, submit=False)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert page.count('data-state="submitted"') == 1
    assert page.count('data-state="draft"') == 1
    assert page.count('data-state="assigned"') == 2
    assert "Cohérence des membres du jury" in page


def test_reminder_lists_the_judges_behind(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 3)
    login(make_user("organiser"))
    page = client.post(f"/judging/{event.slug}/remind", follow_redirects=True).get_data(
        as_text=True
    )
    assert judges[1].email in page and judges[0].email not in page


def test_audit_log_page_and_csv_export(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 3)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/audit?lang=en").get_data(as_text=True)
    assert "Gave a mark" in page and "Submitted a score sheet" in page and judges[0].name in page
    response = client.get(f"/judging/{event.slug}/audit?format=csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("When (UTC),Who,Account id,What,Action code")
    assert sum(",score:score," in line for line in lines) == len(event.rubric.criteria)


def test_organiser_pages_are_closed_to_the_jury(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(judges[0])
    for url in ("progress", "audit", "score-sheet.xlsx"):
        assert client.get(f"/judging/{event.slug}/{url}").status_code == 403
    assert client.post(f"/judging/{event.slug}/assign").status_code == 403


def test_one_calibration_idea_per_event_scored_by_everyone_never_ranked(app, client, login):
    event, ideas, judges = build_judging(
        n_ideas=3, n_judges=3, split_panels=True, judges_per_idea=1
    )
    login(make_user("organiser"))
    client.post(
        f"/judging/{event.slug}/calibration", data={"idea_id": ideas[0].id, "confirm": "yes"}
    )
    client.post(
        f"/judging/{event.slug}/calibration", data={"idea_id": ideas[1].id, "confirm": "yes"}
    )
    db.session.expire_all()
    assert [i.is_calibration for i in ideas] == [False, True, False]
    assert db.session.query(ScoreSheet).filter_by(idea_id=ideas[1].id).count() == 3
    for judge in judges:
        fill(sheet_of(ideas[1], judge), 5)
    from judging.services import event_ranking

    row = next(r for r in event_ranking(event)["ideas"] if r["idea_id"] == ideas[1].id)
    assert not row["ranked"] and row["reason"] == "calibration"


def test_progress_cells_name_their_state_in_words(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 3)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/progress?lang=ar").get_data(as_text=True)
    assert '<span class="cell cell-submitted" title="مرسلة">' in page


def test_a_blind_events_paper_sheet_hides_titles_in_the_readers_language(app, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, blind=True)
    ws = load_workbook(paper.write_score_sheet(event, tmp_path / "s.xlsx")).active
    assert ws.title == "Notes"
    assert ws.cell(row=2, column=2).value == "[anonyme]"
    assert ideas[0].title not in [c.value for c in ws[2]]


@pytest.mark.parametrize(
    "language, first, rtl",
    [("ar", "رمز الوصل", True), ("en", "Receipt code", False), ("fr", "Code de reçu", False)],
)
def test_score_sheet_in_each_language_prints_one_page_wide(
    app, client, login, language, first, rtl
):
    event, _ideas, _judges = build_judging(n_ideas=2, n_judges=2)
    login(make_user("organiser"))
    response = client.get(f"/judging/{event.slug}/score-sheet.xlsx?language={language}")
    data = response.data
    response.close()
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == first and bool(ws.sheet_view.rightToLeft) == rtl
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
    assert ws.row_dimensions[1].height >= 15 and ws.oddFooter.left.text


def test_progress_offers_the_score_sheet_in_each_language(app, client, login):
    event, _ideas, _judges = build_judging(n_ideas=1, n_judges=1)
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    for code in ("ar", "fr", "en"):
        assert f"/judging/{event.slug}/score-sheet.xlsx?language={code}" in page
