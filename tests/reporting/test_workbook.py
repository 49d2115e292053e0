"""The rankings workbook gathered from the database: sheets, values, formats, language."""

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from competitions.states import EventState
from extensions import db
from judging.services import NOT_RANKED_LABELS
from reporting import services
from submissions.fields import GENDER_LABELS, SECTOR_LABELS
from tests.builders import add_jury, add_result, make_event, make_idea, make_user


def french(label) -> str:
    """Another package's label as the French workbook shows it (their catalog, their words)."""
    with force_locale("fr"):
        return str(label)


def _write(tmp_path, events, lang="fr", **kwargs):
    path = tmp_path / f"rankings-{lang}.xlsx"
    services.write_workbook(path, events, lang, **kwargs)
    return load_workbook(path)


def _rows(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _by_header(ws):
    """{header: column letter} of the sheet's first row."""
    return {cell.value: cell.column_letter for cell in ws[1]}


def test_sheets_are_summary_event_jury_then_comments(app, tmp_path, scored):
    wb = _write(tmp_path, [scored.event])
    assert wb.sheetnames == ["Résumé", "Oujda", "Oujda - Jury", "Oujda - Commentaires"]


def test_event_sheet_ranks_ideas_with_scores_and_winners(app, tmp_path, scored):
    ws = _write(tmp_path, [scored.event])["Oujda"]
    col = _by_header(ws)
    assert list(col)[:6] == ["Rang", "Code de reçu", "Titre", "Secteur", "Province", "Porteur"]
    assert "Impact social" in col and "Faisabilité" in col
    assert ws[f"{col['Rang']}2"].value == 1
    assert ws[f"{col['Code de reçu']}2"].value == "OUJ-AAAA"
    assert ws[f"{col['Secteur']}2"].value == french(SECTOR_LABELS["tourism"])
    assert ws[f"{col['Score brut /100']}2"].value == pytest.approx(87.5)
    assert ws[f"{col['Score brut /100']}2"].number_format == "0.00"
    assert ws[f"{col['Budget (MAD)']}2"].value == 2_230_000
    assert ws[f"{col['Budget (MAD)']}2"].number_format == "#,##0"
    assert ws[f"{col['Impact social']}2"].value == pytest.approx(4.5)
    assert ws[f"{col['Membres du jury']}2"].value == 2
    assert ws[f"{col['Lauréat']}2"].value == "Oui"
    assert ws[f"{col['Méthode']}2"].value == "Scores bruts"
    # Second: a winner chosen outside the top, with its written reason.
    assert ws[f"{col['Code de reçu']}3"].value == "OUJ-BBBB"
    assert ws[f"{col['Rang']}3"].value == 2
    assert ws[f"{col['Score brut /100']}3"].value == pytest.approx(62.5)
    assert ws[f"{col['Motif (choisi hors du haut du classement)']}3"].value == (
        "Coup de cœur du jury"
    )
    # Not ranked, with the reason, and no winner.
    reasons = {ws[f"{col['Code de reçu']}{r}"].value: ws[f"{col['Non classé car']}{r}"].value
               for r in (4, 5)}  # fmt: skip
    assert reasons == {
        "OUJ-CCCC": french(NOT_RANKED_LABELS["ineligible"]),
        "OUJ-DDDD": french(NOT_RANKED_LABELS["too_few_judges"]),
    }
    assert ws[f"{col['Lauréat']}4"].value == "Non"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.endswith("5")


def test_formula_like_titles_and_comments_stay_text(app, tmp_path, scored):
    wb = _write(tmp_path, [scored.event])
    titles = {ws_name: [] for ws_name in wb.sheetnames}
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    titles[ws.title].append(cell.value)
    expected = {'=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"}
    assert expected <= set(titles["Oujda"])
    assert {"+1+1 excellent", "=cmd|' /C calc'!A0"} <= set(titles["Oujda - Commentaires"])


def test_jury_sheet_is_the_matrix_of_sheet_scores(app, tmp_path, scored):
    ws = _write(tmp_path, [scored.event])["Oujda - Jury"]
    rows = _rows(ws)
    assert rows[0] == ["Rang", "Code de reçu", "Titre", "Amina Juge", "Brahim Juge", "Moyenne"]
    assert rows[1][1] == "OUJ-AAAA" and rows[1][3:] == [100, 75, 87.5]
    assert rows[2][3:] == [50, 75, 62.5]
    draft_only = next(r for r in rows if r[1] == "OUJ-DDDD")
    assert draft_only[3] is None and draft_only[4] == 100  # Amina's draft is not a score
    assert ws["D2"].number_format == "0.00"


def test_comments_sheet_lists_submitted_comments_only(app, tmp_path, scored):
    rows = _rows(_write(tmp_path, [scored.event])["Oujda - Commentaires"])
    assert rows[0] == ["Code de reçu", "Titre", "Membre du jury", "Commentaire"]
    assert sorted(r[3] for r in rows[1:]) == ["+1+1 excellent", "=cmd|' /C calc'!A0"]
    assert "brouillon" not in {r[3] for r in rows[1:]}


def test_summary_counts_and_breakdowns(app, tmp_path, scored):
    ws = _write(tmp_path, [scored.event])["Résumé"]
    rows = _rows(ws)
    assert rows[0][:8] == [
        "Événement", "Date", "État", "Idées reçues", "Éligibles", "Classées", "Lauréats",
        "Budget total (MAD)",
    ]  # fmt: skip
    assert rows[1][0] == "Oujda"
    assert rows[1][3:8] == [4, 3, 2, 2, 2_230_000 + 3 * 250_000]
    assert ws["H2"].number_format == "#,##0"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:H2"
    titles = [r[0] for r in rows if r[1] == "Idées reçues"]
    assert titles == [
        "Par secteur", "Par région", "Par genre du porteur", "Par âge du porteur",
        "Par statut du porteur",
    ]  # fmt: skip
    start = rows.index(next(r for r in rows if r[0] == "Par genre du porteur"))
    assert rows[start + 1][:4] == [french(GENDER_LABELS["female"]), 3, pytest.approx(0.75), 1]
    assert rows[start + 2][:4] == [french(GENDER_LABELS["male"]), 1, pytest.approx(0.25), 1]


def test_tour_summary_has_totals_and_the_national_final_note(app, tmp_path, scored):
    other = make_event(scored.event.competition, slug="fes-2025", city="Fès", state=EventState.OPEN)
    make_idea(other, title="Fès idée")
    wb = _write(tmp_path, services.tour_events())
    assert wb.sheetnames[:6] == [
        "Résumé", "Oujda", "Oujda - Jury", "Oujda - Commentaires", "Fès", "Fès - Jury"
    ]  # fmt: skip
    rows = _rows(wb["Résumé"])
    total = next(r for r in rows if r[0] == "Total de la tournée")
    assert total[3:7] == [5, 4, 2, 2]
    assert any(r[0] and "finale nationale" in r[0] for r in rows)
    assert wb["Résumé"].auto_filter.ref == "A1:H3"  # the totals stay out of the filter


def test_arabic_workbook_is_right_to_left_with_arabic_words(app, tmp_path, scored):
    wb = _write(tmp_path, [scored.event], lang="ar")
    assert all(ws.sheet_view.rightToLeft for ws in wb)
    assert "وجدة" in wb.sheetnames
    header = [c.value for c in wb["وجدة"][1]]
    assert "الأثر الاجتماعي" in header
    assert wb.properties.title and wb.properties.title != "Classements des concours d'idées"


def test_document_properties(app, tmp_path, scored):
    wb = _write(tmp_path, [scored.event])
    props = wb.properties
    assert props.creator == "Idéathon"
    assert props.title == "Classements des concours d'idées"
    assert wb.sheetnames[0] == "Résumé"
    assert props.created is not None
    assert props.subject == scored.event.competition.name


def test_contacts_only_when_asked(app, tmp_path, scored):
    plain = _write(tmp_path, [scored.event])
    everything = [c for ws in plain for row in ws.iter_rows(values_only=True) for c in row]
    assert "+212612345678" not in everything and "fatima@example.ma" not in everything
    assert "Téléphone" not in _by_header(plain["Oujda"])

    ws = _write(tmp_path, [scored.event], include_personal=True)["Oujda"]
    col = _by_header(ws)
    assert ws[f"{col['Téléphone']}2"].value == "+212612345678"
    assert ws[f"{col['Téléphone']}2"].data_type == "s"
    assert ws[f"{col['E-mail']}2"].value == "fatima@example.ma"
    for sheet in ("Oujda - Jury", "Oujda - Commentaires", "Résumé"):
        values = [c for row in ws.parent[sheet].iter_rows(values_only=True) for c in row]
        assert "+212612345678" not in values


def test_published_event_shows_the_frozen_results(app, tmp_path, scored):
    event = scored.event
    event.state = "published"
    add_result(event, scored.second, 1, True, raw=90.0, mean_z=1.0, method="normalised")
    add_result(event, scored.first, 2, False, raw=80.0, mean_z=0.5, method="normalised")
    ws = _write(tmp_path, [event])["Oujda"]
    col = _by_header(ws)
    by_code = {ws[f"{col['Code de reçu']}{r}"].value: r for r in range(2, ws.max_row + 1)}
    assert by_code == {"OUJ-BBBB": 2, "OUJ-AAAA": 3}  # the announced results, in rank order
    assert ws[f"{col['Score /100']}2"].value == 60.0 and ws[f"{col['Score z moyen']}2"].value == 1.0
    assert ws[f"{col['Rang']}{by_code['OUJ-BBBB']}"].value == 1
    assert ws[f"{col['Lauréat']}{by_code['OUJ-BBBB']}"].value == "Oui"
    assert ws[f"{col['Lauréat']}{by_code['OUJ-AAAA']}"].value == "Non"
    assert ws[f"{col['Méthode']}2"].value == "Scores normalisés"
    summary = _rows(_write(tmp_path, [event])["Résumé"])
    assert summary[1][6] == 1  # one winner announced


def test_event_without_ideas_still_writes_a_workbook(app, tmp_path):
    event = make_event(slug="vide-2025", city="Tanger")
    wb = _write(tmp_path, [event])
    assert wb.sheetnames == ["Résumé", "Tanger", "Tanger - Jury", "Tanger - Commentaires"]
    assert _rows(wb["Résumé"])[1][3:7] == [0, 0, 0, 0]
    assert wb["Tanger"].max_row == 1


def test_control_characters_in_user_text_do_not_break_the_workbook(app, tmp_path, scored):
    scored.first.title = "Coop\x0férative\x1b du\x07 sud"  # PostgreSQL refuses NUL itself
    db.session.commit()
    ws = _write(tmp_path, [scored.event])["Oujda"]
    assert ws["C2"].value == "Coopérative du sud"


def test_tour_workbook_entry_point(app, tmp_path, scored):
    path = tmp_path / "tour.xlsx"
    services.write_tour_workbook(path, "en")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Summary"
    assert not any(ws.sheet_view.rightToLeft for ws in wb)


def test_unknown_event_and_empty_tour_are_report_errors(app):
    with pytest.raises(services.ReportError, match="nope"):
        services.event_by_slug("nope")
    with pytest.raises(services.ReportError):
        services.tour_events()


def _cells(ws):
    """Every cell's value, type, format and boldness, row by row."""
    return [
        [(c.value, c.data_type, c.number_format, c.font.b, c.quotePrefix) for c in row]
        for row in ws.iter_rows()
    ]


def test_events_gathered_together_get_the_rows_each_gets_alone(app, tmp_path, scored):
    """The sheets' rows are read for all events at once: nothing may leak from one event to
    another (a judge on both juries, one who scored outside the jury, ties, unranked ideas)."""
    from judging.services import event_ranking
    from tests.reporting.conftest import score

    fes = make_event(
        scored.event.competition, state=EventState.DELIBERATION, slug="fes-2025", city="Fès",
        city_ar="فاس",
    )  # fmt: skip
    chaima = make_user("jury", name="Chaïma Juge")
    outsider = make_user("jury", name="Driss Hors-jury")
    add_jury(fes, scored.amina)
    add_jury(fes, chaima)
    arabic = make_idea(fes, title="تعاونية الأمل للكسكس", receipt_code="FES-AAAA")
    formula = make_idea(fes, title="=SUM(1;2)", receipt_code="FES-BBBB")
    alone = make_idea(fes, title="Un seul avis", receipt_code="FES-CCCC")
    for idea in (arabic, formula):  # a tie: 75 from both judges
        score(idea, scored.amina, 4, comment="-à revoir" if idea is formula else "")
        score(idea, chaima, 4)
    score(alone, outsider, 5, comment="هذا جيد")  # one sheet: too few judges, not ranked
    tour = services.tour_events()
    assert [e.slug for e in tour] == ["oujda-2025", "fes-2025"]

    (tmp_path / "together").mkdir()
    (tmp_path / "alone").mkdir()
    together = _write(tmp_path / "together", tour, include_personal=True)
    oujda = _write(tmp_path / "alone", [scored.event], include_personal=True)
    for name in ("Oujda", "Oujda - Jury"):
        assert _cells(together[name]) == _cells(oujda[name]), name

    matrix = _rows(together["Fès - Jury"])
    assert matrix[0] == [
        "Rang", "Code de reçu", "Titre", "Amina Juge", "Chaïma Juge", "Driss Hors-jury",
        "Moyenne",
    ]  # fmt: skip
    by_code = {row[1]: row for row in matrix[1:]}
    ranks = {i["idea_id"]: i["rank"] for i in event_ranking(fes)["ideas"]}
    assert by_code["FES-AAAA"] == [ranks[arabic.id], "FES-AAAA", arabic.title, 75, 75, None, 75]
    assert by_code["FES-BBBB"] == [ranks[formula.id], "FES-BBBB", "=SUM(1;2)", 75, 75, None, 75]
    assert by_code["FES-CCCC"][3:6] == [None, None, 100]
    assert {ranks[arabic.id], ranks[formula.id]} <= {1, 2}
    fes_sheet = together["Fès"]
    col = _by_header(fes_sheet)
    reasons = {
        fes_sheet[f"{col['Code de reçu']}{r}"].value: fes_sheet[f"{col['Non classé car']}{r}"].value
        for r in range(2, fes_sheet.max_row + 1)
    }
    assert reasons["FES-CCCC"] == french(NOT_RANKED_LABELS["too_few_judges"])
    assert reasons["FES-AAAA"] is None and reasons["FES-BBBB"] is None
    row = next(r for r in range(2, 5) if fes_sheet[f"{col['Code de reçu']}{r}"].value == "FES-BBBB")
    formula_title = fes_sheet[f"{col['Titre']}{row}"]
    assert formula_title.value == "=SUM(1;2)" and formula_title.data_type == "s"
    assert formula_title.quotePrefix

    assert _rows(together["Fès - Commentaires"])[1:] == [
        ["FES-BBBB", "=SUM(1;2)", "Amina Juge", "-à revoir"],
        ["FES-CCCC", "Un seul avis", "Driss Hors-jury", "هذا جيد"],
    ]
    assert sorted(r[3] for r in _rows(together["Oujda - Commentaires"])[1:]) == [
        "+1+1 excellent",
        "=cmd|' /C calc'!A0",
    ]


def test_the_national_final_is_named_as_such_and_counted_once_in_the_totals(app, tmp_path, scored):
    """A stop's winner carried to the final is one idea: one row per event, the final named
    "National final" (not its host city), totals and breakdowns counting the idea once."""
    event = scored.event
    event.state = "published"
    add_result(event, scored.first, 1, True)
    add_result(event, scored.second, 2, False)
    final = make_event(event.competition, slug="finale-2025", city="Oujda", is_final=True)
    final.state = "published"
    copy = make_idea(
        final, title=scored.first.title, receipt_code="FIN-AAAA", budget_mad=2_230_000,
        sector="tourism", lead_email="fatima@example.ma", carried_from_id=scored.first.id,
    )  # fmt: skip
    add_result(final, copy, 1, True)
    wb = _write(tmp_path, [event, final])
    assert wb.sheetnames[:6] == ["Résumé", "Oujda", "Oujda - Jury", "Oujda - Commentaires",
                                 "Finale nationale", "Finale nationale - Jury"]  # fmt: skip
    rows = _rows(wb["Résumé"])
    assert [r[0] for r in rows[1:3]] == ["Oujda", "Finale nationale"]
    assert rows[1][3:8] == [2, 2, 2, 1, 2_230_000 + 3 * 250_000]  # the results in force
    assert rows[2][3:8] == [1, 1, 1, 1, 2_230_000]
    total = next(r for r in rows if r[0] == "Total de la tournée")
    assert total[3:8] == [2, 2, 2, 1, 2_230_000 + 3 * 250_000]  # the carried idea once
    start = rows.index(next(r for r in rows if r[0] == "Par secteur"))
    tourism = next(r for r in rows[start:] if r[0] == french(SECTOR_LABELS["tourism"]))
    assert tourism[1] == 1 and tourism[3] == 1
