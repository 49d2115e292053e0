"""Export jobs and the organiser pages, on the in-process path."""

from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db, utcnow
from jobs import exports
from jobs.models import ExportJob, OutboxEmail
from tests.builders import make_event, make_idea, make_user
from tests.jobs.conftest import write_workbook


def files_in(app):
    directory = Path(app.config["EXPORTS_DIR"])
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_export_is_built_moved_into_place_and_announced_by_email(
    app, smtp, builders, client, login
):
    calls = []

    def build(path, params, locale, progress):
        calls.append(path)
        assert Path(path).parent == Path(app.config["EXPORTS_DIR"]) and path.endswith(".part")
        write_workbook(path, params, locale, progress)

    builders("test-book", build)
    organiser = make_user("organiser", email="amina@example.ma", locale="ar")
    export = exports.start_export("test-book", {"title": "Oujda"}, organiser, "fr")
    assert export.status == "queued"
    db.session.commit()  # in-process: built right after the commit
    db.session.refresh(export)
    assert export.status == "done" and export.progress == 100 and export.attempts == 1
    assert files_in(app) == [export.file_name]  # no temporary file left behind
    assert load_workbook(exports.file_path(export)).active["A1"].value == "Oujda"
    [message] = smtp.wait_for(1)
    assert message["To"] == "amina@example.ma" and message["Content-Language"] == "ar"
    assert f"/tour/exports/{export.id}/download" in message.get_body(("plain",)).get_content()

    login(organiser)
    page = client.get(f"/tour/exports/{export.id}?lang=fr")
    assert "Le classeur est prêt." in page.get_data(as_text=True)
    state = client.get(f"/tour/exports/{export.id}.json").get_json()
    assert state["status"] == "done" and state["progress"] == 100 and state["download_url"]
    download = client.get(f"/tour/exports/{export.id}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith(
        "attachment"
    )
    assert download.data[:2] == b"PK"  # an xlsx (zip) file
    download.close()

    # Run again (a duplicate job): nothing is built, no second e-mail.
    assert exports.run_export(export.id) == "skipped"
    assert len(calls) == 1 and len(smtp.wait_for(2, timeout=0.5)) == 1
    assert db.session.scalar(select(OutboxEmail.dedupe_key)) == f"export_ready:{export.id}"


def test_failing_builder_leaves_no_file_and_retry_builds_it(app, builders, client, login):
    attempts = []

    def flaky(path, params, locale, progress):
        attempts.append(1)
        Path(path).write_bytes(b"half a workbook")
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        write_workbook(path, params, locale, progress)

    builders("flaky", flaky)
    organiser = login(make_user("organiser"))
    export = exports.start_export("flaky", {}, organiser, "fr")
    db.session.commit()
    db.session.refresh(export)
    assert export.status == "failed" and "database went away" in export.error
    assert files_in(app) == []
    page = client.get(f"/tour/exports/{export.id}")
    text = page.get_data(as_text=True)
    assert "L’export a échoué." in text and "Relancer" in text
    assert client.get(f"/tour/exports/{export.id}/download").status_code == 409

    response = client.post(f"/tour/exports/{export.id}/retry")
    assert response.status_code == 303
    db.session.refresh(export)
    assert export.status == "done" and export.attempts == 2 and files_in(app) == [export.file_name]


def test_retry_of_an_export_that_did_not_fail_is_refused(app, builders, client, login):
    builders("test-book", write_workbook)
    organiser = login(make_user("organiser"))
    export = exports.start_export("test-book", {}, organiser, "fr")
    db.session.commit()
    response = client.post(f"/tour/exports/{export.id}/retry")
    assert response.status_code == 409
    assert "Seul un export en échec peut être relancé." in response.get_data(as_text=True)
    db.session.refresh(export)
    assert export.status == "done" and export.attempts == 1


def test_unknown_export_kind_is_refused_and_nothing_is_stored(app):
    with pytest.raises(exports.ExportError, match="n’existe pas|does not exist"):
        exports.start_export("nope", {}, None, "fr")
    assert db.session.scalar(select(ExportJob)) is None


def test_export_whose_worker_went_silent_shows_failed_then_is_reaped_and_retried(
    app, builders, client, login
):
    builders("test-book", write_workbook)
    organiser = login(make_user("organiser"))
    app.config["EXPORT_STALE_SECONDS"] = 30
    # A run that started, wrote half a file and stopped giving signs of life (worker killed).
    export = ExportJob(
        kind="test-book",
        params={},
        requested_by_id=organiser.id,
        locale="fr",
        status="running",
        attempts=1,
        progress=40,
        started_at=utcnow() - timedelta(minutes=2),
        heartbeat_at=utcnow() - timedelta(seconds=31),
    )
    db.session.add(export)
    db.session.commit()
    directory = Path(app.config["EXPORTS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f".export-{export.id}-abc.part").write_bytes(b"half")

    state = client.get(f"/tour/exports/{export.id}.json").get_json()
    assert state["status"] == "failed" and "Aucun fichier" in state["message"]
    assert state["download_url"] is None
    assert exports.reap_lost_exports() == 1
    db.session.refresh(export)
    assert export.status == "failed" and export.error == exports.WORKER_LOST
    assert files_in(app) == []
    assert client.post(f"/tour/exports/{export.id}/retry").status_code == 303
    db.session.refresh(export)
    assert export.status == "done" and export.attempts == 2


def test_a_living_export_is_not_declared_lost(app):
    app.config["EXPORT_STALE_SECONDS"] = 30
    export = ExportJob(
        kind="test-book",
        params={},
        locale="fr",
        status="running",
        attempts=1,
        started_at=utcnow() - timedelta(minutes=10),
        heartbeat_at=utcnow() - timedelta(seconds=5),
    )
    db.session.add(export)
    db.session.commit()
    assert exports.lost_reason(export) is None
    assert exports.reap_lost_exports() == 0


def test_export_pages_send_the_anonymous_to_sign_in(app, builders, client):
    builders("test-book", write_workbook)
    export = exports.start_export("test-book", {}, make_user("organiser"), "fr")
    db.session.commit()
    for url in (
        f"/tour/exports/{export.id}",
        f"/tour/exports/{export.id}.json",
        f"/tour/exports/{export.id}/download",
        "/tour/outbox",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_export_pages_are_for_organisers_only(app, builders, client, login):
    builders("test-book", write_workbook)
    organiser = make_user("organiser")
    export = exports.start_export("test-book", {}, organiser, "fr")
    db.session.commit()
    login(make_user("jury"))
    for url in (
        f"/tour/exports/{export.id}",
        f"/tour/exports/{export.id}/download",
        "/tour/outbox",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/tour/exports/{export.id}/retry").status_code == 403
    assert client.post("/tour/outbox/send").status_code == 403
    from flask import g

    g.pop("_login_user", None)  # the test's app context outlives requests: forget the cached user
    login(organiser)
    assert client.get("/tour/exports/9999").status_code == 404
    assert client.get("/tour/exports/9999.json").status_code == 404


def test_download_of_a_file_gone_from_disk_says_so(app, builders, client, login):
    builders("test-book", write_workbook)
    organiser = login(make_user("organiser"))
    export = exports.start_export("test-book", {}, organiser, "fr")
    db.session.commit()
    exports.file_path(export).unlink()
    response = client.get(f"/tour/exports/{export.id}/download")
    assert response.status_code == 410
    assert "n’est plus sur le serveur" in response.get_data(as_text=True)


def test_outbox_page_shows_states_errors_and_sends_pending_on_request(
    app, smtp, client, login, closed_port
):
    from jobs.outbox import queue_email
    from tests.jobs.conftest import use_mail_server

    smtp.refuse.add("refuse@example.ma")
    event = make_event()
    idea = make_idea(event)
    for n, to in enumerate(("ok@example.ma", "refuse@example.ma")):
        queue_email(
            kind="receipt",
            to=to,
            locale="fr",
            template="receipt",
            context={"idea": idea, "event": event},
            dedupe_key=f"r{n}",
        )
    db.session.commit()
    use_mail_server(app, closed_port)  # the server goes away: the next one waits
    queue_email(
        kind="receipt",
        to="later@example.ma",
        locale="fr",
        template="receipt",
        context={"idea": idea, "event": event},
        dedupe_key="r-later",
    )
    db.session.commit()

    login(make_user("organiser"))
    page = client.get("/tour/outbox").get_data(as_text=True)
    assert (
        'data-count="pending">1<' in page
        and 'data-count="sent">1<' in page
        and 'data-count="failed">1<' in page
    )
    assert "550" in page and "ConnectionRefusedError" in page
    assert "Boîte d’envoi" in page  # nav item and title
    failed_only = client.get("/tour/outbox?status=failed").get_data(as_text=True)
    assert "refuse@example.ma" in failed_only and "ok@example.ma" not in failed_only

    use_mail_server(app, smtp.port)  # back: "send pending now" sends it although its retry is later
    response = client.post("/tour/outbox/send", follow_redirects=True)
    assert "Envoyés : 1." in response.get_data(as_text=True)
    assert sorted(m["To"] for m in smtp.wait_for(2)) == ["later@example.ma", "ok@example.ma"]


def test_outbox_send_needs_the_csrf_token(app, client, login, csrf_on):
    login(make_user("organiser"))
    assert client.post("/tour/outbox/send").status_code == 400
