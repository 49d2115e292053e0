"""Attachments live where every host sees them: the same tests hold for both stores (the
database's chunks and a folder), on SQLite and on PostgreSQL (--db=postgresql)."""

import io

import pytest
from sqlalchemy import func, select

from audit.models import AuditEntry
from extensions import db
from storage.models import FileChunk
from storage.stores import CHUNK_BYTES, DatabaseStore, DirectoryStore, store_for
from submissions.models import Idea
from tests.builders import make_event, make_user
from tests.submissions.conftest import PDF, form_data, upload

BIG = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 17)  # two chunks and a bit


@pytest.fixture(params=["database", "directory"])
def store(request, app, tmp_path):
    app.config["FILE_STORE"] = request.param
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    return store_for("attachments", tmp_path / "uploads")


def test_the_configuration_chooses_the_store(app, tmp_path):
    app.config["FILE_STORE"] = None
    default = store_for("attachments", tmp_path)
    on_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert isinstance(default, DirectoryStore if on_sqlite else DatabaseStore)
    app.config["FILE_STORE"] = "database"
    assert isinstance(store_for("attachments", tmp_path), DatabaseStore)
    app.config["FILE_STORE"] = "tape"
    with pytest.raises(ValueError):
        store_for("attachments", tmp_path)


def test_a_file_comes_back_whole_from_a_stream_or_bytes(store):
    store.put("1/a.pdf", io.BytesIO(BIG))
    store.put("1/b.pdf", PDF)
    db.session.commit()
    with store.open("1/a.pdf") as stored:
        assert stored.read() == BIG
    with store.open("1/b.pdf") as stored:
        assert stored.read() == PDF
    assert store.exists("1/a.pdf") and not store.exists("1/c.pdf")
    with pytest.raises(FileNotFoundError):
        store.open("1/c.pdf")


def test_the_database_store_cuts_a_file_in_chunks_and_reads_one_at_a_time(app):
    store = DatabaseStore("attachments")
    store.put("1/a.pdf", BIG)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(FileChunk)) == 3
    db.session.commit()  # the reader's connections need SQLite's lock
    stored = store.open("1/a.pdf")
    assert len(stored.read(10)) == 10
    assert stored.raw._next == 1  # only the first chunk has been read so far
    assert stored.read() == BIG[10:]


def test_what_a_failed_transaction_stored_is_gone(store):
    store.put("1/a.pdf", PDF)
    store.abandon("1/a.pdf")
    db.session.rollback()
    assert not store.exists("1/a.pdf")


def test_a_key_never_leaves_the_folder(app, tmp_path):
    store = DirectoryStore(tmp_path / "uploads")
    with pytest.raises(FileNotFoundError):
        store.put("../outside.pdf", PDF)
    assert not store.exists("../../etc/passwd")


def test_an_attachment_sent_with_the_form_is_downloaded_from_the_store_audited_and_not_kept(
    client, login, store
):
    event = make_event()
    data = form_data(attachment=upload(PDF, "plan.pdf"))
    response = client.post(f"/e/{event.slug}/submit", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    idea_id, key = db.session.execute(select(Idea.id, Idea.attachment_path)).one()
    db.session.commit()  # on SQLite, the test's reads end before the store's own connection
    assert store.exists(key)
    organiser = make_user("organiser")
    login(organiser)
    response = client.get(f"/tour/events/{event.slug}/ideas/{idea_id}/attachment")
    assert response.status_code == 200
    assert response.get_data() == PDF
    response.close()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "plan.pdf" in response.headers["Content-Disposition"]
    logged = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "download_attachment"))
    assert logged.entity_id == idea_id and logged.user_id == organiser.id


def test_a_missing_stored_file_is_a_404(client, login, store):
    from tests.builders import make_idea

    event = make_event()
    idea = make_idea(
        event,
        attachment_path="1/gone.pdf",
        attachment_name="x.pdf",
        attachment_mime="application/pdf",
    )
    login(make_user("organiser"))
    response = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/attachment")
    assert response.status_code == 404


def test_moving_attachments_into_the_database_is_idempotent(app, runner, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "3").mkdir(parents=True)
    (uploads / "3" / "a.pdf").write_bytes(BIG)
    (uploads / "3" / "b.png").write_bytes(PDF)
    app.config["UPLOADS_DIR"] = str(uploads)
    app.config["FILE_STORE"] = "database"
    store = DatabaseStore("attachments")
    store.put("3/b.png", PDF)  # moved by a run that stopped before deleting the file
    db.session.commit()

    result = runner.invoke(args=["move-attachments"])
    assert result.exit_code == 0, result.output
    assert "1 " in result.output
    assert not any(uploads.rglob("*.*"))
    with store.open("3/a.pdf") as stored:
        assert stored.read() == BIG
    chunks = db.session.scalar(select(func.count()).select_from(FileChunk))
    assert chunks == 4

    again = runner.invoke(args=["move-attachments"])
    assert again.exit_code == 0 and "0 " in again.output
    assert db.session.scalar(select(func.count()).select_from(FileChunk)) == chunks


def test_nothing_moves_while_the_store_is_the_folder(app, runner, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "3").mkdir(parents=True)
    (uploads / "3" / "a.pdf").write_bytes(PDF)
    app.config.update(UPLOADS_DIR=str(uploads), FILE_STORE="directory")
    assert runner.invoke(args=["move-attachments"]).exit_code == 0
    assert (uploads / "3" / "a.pdf").read_bytes() == PDF
