"""Downloads (organisers only) and the export-rankings command."""

from html import unescape
from io import BytesIO

from openpyxl import load_workbook

from extensions import db
from jobs.models import ExportJob
from tests.builders import make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Pages ----------------------------------------------------------------------------------------


def test_event_download_is_a_workbook_with_contacts_for_organisers(client, login, scored):
    login(make_user("organiser"))
    response = client.get("/tour/events/oujda-2025/rankings.xlsx?language=fr")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "classement-oujda-2025-fr-personal-data.xlsx" in response.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(response.data))
    assert wb.sheetnames == ["Résumé", "Oujda", "Oujda - Jury", "Oujda - Commentaires"]
    values = [c for row in wb["Oujda"].iter_rows(values_only=True) for c in row]
    assert "+212612345678" in values


def test_event_download_in_arabic_is_right_to_left(client, login, scored):
    login(make_user("organiser"))
    response = client.get("/tour/events/oujda-2025/rankings.xlsx?language=ar")
    wb = load_workbook(BytesIO(response.data))
    assert all(ws.sheet_view.rightToLeft for ws in wb)
    assert wb.sheetnames[0] != "Résumé"


def test_unknown_language_falls_back_to_the_page_language(client, login, scored):
    login(make_user("organiser"))
    response = client.get("/tour/events/oujda-2025/rankings.xlsx?language=xx")
    assert load_workbook(BytesIO(response.data)).sheetnames[0] == "Résumé"


def test_unknown_event_is_404(client, login, app):
    login(make_user("organiser"))
    assert client.get("/tour/events/nowhere/rankings.xlsx").status_code == 404


def test_visitors_are_sent_to_sign_in(client, scored):
    assert client.get("/tour/events/oujda-2025/rankings.xlsx").status_code == 302
    assert client.post("/tour/rankings.xlsx").status_code == 302
    assert db.session.query(ExportJob).count() == 0


def test_jury_members_cannot_download(client, login, scored):
    login(scored.amina)
    assert client.get("/tour/events/oujda-2025/rankings.xlsx").status_code == 403
    assert client.get("/tour/rankings").status_code == 403
    assert client.post("/tour/rankings.xlsx").status_code == 403
    assert db.session.query(ExportJob).count() == 0


def test_exports_page_lists_each_event_download(client, login, scored):
    login(make_user("organiser"))
    page = client.get("/tour/rankings").get_data(as_text=True)
    assert "Classements Excel" in page
    assert "/tour/events/oujda-2025/rankings.xlsx?language=ar" in page
    assert 'action="/tour/rankings.xlsx"' in page


def test_exports_page_without_a_tour(client, login, app):
    login(make_user("organiser"))
    page = client.get("/tour/rankings").get_data(as_text=True)
    assert "Aucun événement pour l'instant." in page


def test_tour_workbook_runs_as_a_background_export(client, login, scored, app):
    organiser = login(make_user("organiser"))
    response = client.post("/tour/rankings.xlsx", data={"language": "ar"})
    assert response.status_code == 303
    export = db.session.query(ExportJob).one()
    assert response.headers["Location"].endswith(f"/tour/exports/{export.id}")
    assert export.kind == "rankings" and export.locale == "ar"
    assert export.requested_by_id == organiser.id
    assert export.params["personal"] is True
    db.session.refresh(export)
    assert export.status == "done", export.error  # in-process queue: built after the commit
    download = client.get(f"/tour/exports/{export.id}/download")
    data = download.data
    download.close()
    wb = load_workbook(BytesIO(data))
    assert wb["وجدة"].sheet_view.rightToLeft


def test_the_export_page_tells_the_exports_real_state_without_a_contrary_banner(
    client, login, scored, app
):
    """Issue 17: a banner said "being prepared" above a page saying "ready"."""
    login(make_user("organiser"))
    page = client.post("/tour/rankings.xlsx", follow_redirects=True).get_data(as_text=True)
    assert "Le classeur est prêt." in page  # in-process queue: built after the commit
    assert "prépar" not in page and "En attente" not in page


def test_tour_export_without_a_tour_says_so(client, login, app):
    login(make_user("organiser"))
    response = client.post("/tour/rankings.xlsx", follow_redirects=True)
    assert "Il n'y a pas encore de tournée à exporter." in unescape(response.get_data(as_text=True))
    assert db.session.query(ExportJob).count() == 0


def test_tour_export_of_a_tour_without_events_says_so(client, login, app):
    from tests.builders import make_competition

    make_competition(slug="vide-2026")
    db.session.commit()
    login(make_user("organiser"))
    response = client.post(
        "/tour/rankings.xlsx", data={"competition": "vide-2026"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Il n'y a pas encore de tournée à exporter." in unescape(response.get_data(as_text=True))
    assert db.session.query(ExportJob).count() == 0


def test_tour_workbook_is_not_started_by_a_get(client, login, scored):
    login(make_user("organiser"))
    assert client.get("/tour/rankings.xlsx").status_code == 405
    assert db.session.query(ExportJob).count() == 0


# --- Command line ---------------------------------------------------------------------------------


def test_cli_writes_one_event(runner, scored, tmp_path):
    out = tmp_path / "oujda.xlsx"
    result = runner.invoke(args=["export-rankings", "--event", "oujda-2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Résumé", "Oujda", "Oujda - Jury", "Oujda - Commentaires"]
    values = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    assert "+212612345678" not in values  # no contacts unless asked
    assert list(tmp_path.iterdir()) == [out]  # no partial file left behind


def test_cli_whole_tour_in_arabic_with_contacts(runner, scored, tmp_path):
    out = tmp_path / "tour.xlsx"
    args = ["export-rankings", "--all", "-o", str(out), "--lang", "ar", "--with-contacts"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.worksheets[0].sheet_view.rightToLeft
    values = [c for row in wb["وجدة"].iter_rows(values_only=True) for c in row]
    assert "+212612345678" in values


def test_cli_unknown_event_fails_without_a_file(runner, app, tmp_path):
    out = tmp_path / "x.xlsx"
    result = runner.invoke(args=["export-rankings", "--event", "nowhere", "-o", str(out)])
    assert result.exit_code != 0
    assert "Aucun événement à l'adresse « nowhere »." in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_needs_exactly_one_of_event_or_all(runner, scored, tmp_path):
    out = tmp_path / "x.xlsx"
    for args in (["-o", str(out)], ["--all", "--event", "oujda-2025", "-o", str(out)]):
        result = runner.invoke(args=["export-rankings", *args])
        assert result.exit_code == 2
        assert "Indiquez soit --event SLUG, soit --all." in result.output
    assert not out.exists()


def test_cli_refuses_other_extensions_and_missing_folders(runner, scored, tmp_path):
    result = runner.invoke(args=["export-rankings", "--all", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    missing = tmp_path / "nope" / "x.xlsx"
    result = runner.invoke(args=["export-rankings", "--all", "-o", str(missing)])
    assert result.exit_code == 1 and "n'existe pas" in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_empty_database_says_there_is_no_tour(runner, app, tmp_path):
    result = runner.invoke(args=["export-rankings", "--all", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "Il n'y a pas encore de tournée à exporter." in result.output


def test_event_page_and_tour_dashboard_lead_to_the_excel_rankings(app, client, login, scored):
    from tests.builders import make_user

    login(make_user("organiser"))
    page = client.get(f"/tour/events/{scored.event.slug}").get_data(as_text=True)
    assert f"/tour/events/{scored.event.slug}/rankings.xlsx" in page and "Classement Excel" in page
    assert "/tour/rankings" in client.get("/tour").get_data(as_text=True)
