"""The public form: round trip in any script, messages per field, idempotency, closed events,
attachments, e-mail receipts, kiosk and assisted entry."""

import html
import re
import secrets
import threading
import traceback
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from audit.models import AuditEntry
from competitions.models import Event
from competitions.states import EventState
from extensions import db
from submissions.models import Idea
from tests.builders import make_event, make_idea, make_user, sqlite_write_lock_state
from tests.submissions.conftest import JPEG, PDF, PNG, TOKEN, form_data, upload

ARABIC = {
    "title": "تعاونية الكسكس التقليدي ⵜⴰⵎⴰⵣⵉⵖⵜ",
    "problem": "النساء في العالم القروي لا يتوفرن على دخل قار.\r\nسطر ثان «مقتبس»",
    "solution": "تعاونية لإنتاج وبيع الكسكس — été, ça marche !",
    "beneficiaries": "نساء قرويات",
    "local_resources": "القمح الصلب المحلي",
    "lead_name": "فاطمة الزهراء",
    "other_members": "خديجة\nمريم",
}


def ideas_count():
    return db.session.scalar(select(func.count(Idea.id)))


def post(client, event, **overrides):
    return client.post(
        f"/e/{event.slug}/submit", data=form_data(**overrides), content_type="multipart/form-data"
    )


def test_form_page_carries_draft_key_token_and_stable_field_ids(client):
    event = make_event()
    page = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    assert f'data-draft-key="submit-{event.slug}"' in page
    token = re.search(r'id="submit_token" name="submit_token" type="hidden" value="([^"]+)"', page)
    assert token and len(token.group(1)) >= 16
    for name in (
        "title",
        "problem",
        "solution",
        "sector",
        "region_code",
        "province_code",
        "commune_code",
        "lead_phone",
        "lead_email",
        "budget_mad",
        "consent",
        "attachment",
    ):
        assert f'id="{name}"' in page and f'name="{name}"' in page
    assert "Casablanca-Settat" in page and "Agroalimentaire" in page
    # Every province under its region's name; no commune until a province is chosen.
    assert '<optgroup label="Oriental"><option value="02.113">Berkane</option>' in page
    assert 'name="commune_code"><option value="">Aucune en particulier</option></select>' in page
    assert "02.113.01.01" not in page


def test_arabic_submission_round_trips_byte_for_byte(client):
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit?lang=ar",
        data=form_data(**{k: f"  {v}\n" for k, v in ARABIC.items()}),
    )
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    for field, text in ARABIC.items():
        assert getattr(idea, field).encode() == text.encode()
    assert idea.locale == "ar" and idea.lead_phone == "+212612345678"
    assert idea.budget_mad == 250_000 and idea.consent_at is not None
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ARABIC["title"] in receipt and idea.receipt_code in receipt
    assert f'data-clear-draft="submit-{event.slug}"' in receipt
    assert 'dir="rtl"' in receipt


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Ce champ est obligatoire."),
        ("title", "x" * 201, "200 caractères au maximum (201 saisis)."),
        ("problem", "   ", "Ce champ est obligatoire."),
        ("solution", "", "Ce champ est obligatoire."),
        ("sector", "", "Choisissez une des options de la liste."),
        ("sector", "mining", "Choisissez une des options de la liste."),
        ("region_code", "", "Choisissez la région."),
        ("region_code", "Île-de-France", "Choisissez une des 12 régions de la liste."),
        ("region_code", "99", "Choisissez une des 12 régions de la liste."),
        ("province_code", "", "Choisissez la province."),
        ("province_code", "99.999", "Choisissez une des provinces de la liste."),
        ("province_code", "09.581", "Cette province n'est pas dans la région choisie"),  # Tiznit
        ("province_code", "0" * 5000, "Choisissez une des provinces de la liste."),
        ("commune_code", "02.411.99.99", "Choisissez une des communes de la liste, ou aucune."),
        ("commune_code", "02.113.01.01", "Cette commune n'est pas dans la province choisie"),
        ("commune_code", "x" * 5000, "Choisissez une des communes de la liste, ou aucune."),
        ("expected_jobs", "-3", "Saisissez un nombre entier de 0 à 100\u202f000."),
        ("expected_jobs", "huit", "Saisissez un nombre entier."),
        ("budget_mad", "250 000,50", "sans centimes"),
        ("budget_mad", "-100", "Saisissez un montant de 0 ou plus."),
        ("financing_sought_mad", "beaucoup", "Saisissez un montant en dirhams"),
        ("team_kind", "", "Choisissez une des options de la liste."),
        ("lead_name", "", "Ce champ est obligatoire."),
        ("lead_phone", "", "Ce champ est obligatoire."),
        ("lead_phone", "12345", "numéro de téléphone marocain"),
        ("lead_email", "fatima@", "Saisissez une adresse e-mail valide."),
        ("lead_gender", "robot", "Choisissez une des options de la liste."),
        ("consent", "", "consentement"),
    ],
)
def test_each_invalid_field_gets_its_message_and_nothing_is_stored(client, field, value, message):
    event = make_event()
    response = post(
        client,
        event,
        **{field: value, "title": "Mon idée à garder"} if field != "title" else {field: value},
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert message in page
    # The message sits next to its field, and what was typed comes back.
    assert f'id="{field}-error"' in page
    if field != "title":
        assert 'value="Mon idée à garder"' in page
    assert "Rien de ce que vous avez saisi n'est perdu" in page
    assert ideas_count() == 0


def test_the_place_is_stored_as_codes_and_shown_in_the_readers_language(client, login):
    event = make_event()
    response = post(client, event, commune_code="02.411.01.11")
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert (idea.region_code, idea.province_code, idea.commune_code, idea.place_note) == (
        "02",
        "02.411",
        "02.411.01.11",
        None,
    )
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}?lang=ar").get_data(as_text=True)
    assert "الشرق · وجدة-أنجاد · بني درار" in page  # HCP's Arabic names


def test_a_form_sent_back_lists_the_communes_of_the_province_chosen(client):
    event = make_event()
    response = post(client, event, title="", province_code="02.113")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<option selected value="02.113">Berkane</option>' in page
    assert '<option value="02.113.01.01">Ahfir</option>' in page  # the script is not needed


def test_the_communes_of_a_province_in_the_readers_language(client):
    rows = client.get("/places/02.113/communes.json?lang=ar").get_json()
    assert ["02.113.01.01", "أحفير"] in rows and all(code.startswith("02.113.") for code, _ in rows)
    assert client.get("/places/02.113/communes.json?lang=fr").get_json()[0][1].isascii()
    assert client.get("/places/99.999/communes.json").status_code == 404


@pytest.mark.parametrize(
    ("lang", "message"), [("ar", "هذا الحقل إلزامي."), ("en", "This field is required.")]
)
def test_messages_are_in_the_participants_language(client, lang, message):
    event = make_event()
    response = client.post(f"/e/{event.slug}/submit?lang={lang}", data=form_data(title=""))
    assert message in response.get_data(as_text=True)


def test_cooperative_team_needs_a_name(client):
    event = make_event()
    response = post(client, event, team_kind="cooperative", cooperative_name="")
    assert response.status_code == 422
    assert "Indiquez le nom de la coopérative." in response.get_data(as_text=True)
    assert ideas_count() == 0


@pytest.mark.parametrize("state", ["draft", "judging", "published", "archived"])
def test_closed_event_answers_clearly_and_stores_nothing(client, state):
    event = make_event(state=state)
    page = client.get(f"/e/{event.slug}/submit")
    assert page.status_code == 409
    response = post(client, event)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Oujda" in text and ("fermées" in text or "pas encore ouvertes" in text)
    assert ideas_count() == 0


def test_closed_event_answers_clearly_even_to_a_form_with_mistakes(client):
    """The fields are checked before the INSERT finds the event closed: a form with mistakes
    sent to a closed event still gets the closed page, not the form with its errors."""
    event = make_event(state=EventState.JUDGING)
    response = post(client, event, title="", lead_phone="123")
    assert response.status_code == 409
    assert "fermées" in response.get_data(as_text=True)
    assert ideas_count() == 0


def test_a_resend_after_the_event_closed_gets_the_same_receipt(client):
    event = make_event()
    first = post(client, event)
    db.session.execute(update(Event).where(Event.slug == event.slug).values(state="judging"))
    db.session.commit()
    again = post(client, event)
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert ideas_count() == 1


def test_unknown_event_is_a_404(client):
    assert client.get("/e/nowhere-2025/submit").status_code == 404


def test_double_tap_and_resend_give_one_idea_and_the_same_receipt(client):
    event = make_event()
    first = post(client, event)
    second = post(client, event)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert ideas_count() == 1
    # A resend after the event closed still gets its receipt (the idea was stored).
    event.state = "judging"
    db.session.commit()
    assert post(client, event).headers["Location"] == first.headers["Location"]


def test_a_token_sent_again_on_another_events_form_leads_to_its_own_receipt(client):
    oujda = make_event()
    rabat = make_event(city="Rabat", slug="rabat-2025")
    first = post(client, oujda)
    again = post(client, rabat)  # the same one-time token, posted to another event's form
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert f"/e/{oujda.slug}/receipt/" in again.headers["Location"]
    assert ideas_count() == 1


def test_a_valid_post_reads_nothing_before_its_insert(client, app):
    """The happy path: insert the idea and its audit entry, commit. The event is looked up by
    the first post only (then remembered: its INSERT checks it still holds); no look-up of the
    token or the receipt code before the insert (the unique indexes decide), and no reload of
    the idea or the event after the commit. The event's questions are read after the INSERT,
    in its transaction (a wrong answer rolls the idea back)."""
    from sqlalchemy import event as sa_event

    event = SimpleNamespace(slug=make_event().slug)  # the test's own reloads are not counted
    posts = []

    def seen(conn, cursor, statement, *args):
        posts[-1].append(statement.split()[0].upper())

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for _ in range(2):
            posts.append([])
            response = post(client, event, submit_token=secrets.token_urlsafe(24))
            assert response.status_code == 303
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    assert posts == [["SELECT", "INSERT", "SELECT", "INSERT"], ["INSERT", "SELECT", "INSERT"]]


def test_a_remembered_event_that_changed_is_checked_by_the_insert(client, app):
    """Each worker remembers an event's id, slug and city for its posts; the INSERT stores the
    idea only if the event is still open with that slug and city. Renamed city: the idea is
    stored, its receipt code from the new city. Closed: the closed page, nothing stored. New
    slug: the old address leads nowhere."""
    from sqlalchemy import text

    stored = make_event(city="Oujda")
    event, event_id = SimpleNamespace(slug=stored.slug), stored.id
    db.session.close()  # the test's own session holds no lock
    assert post(client, event, submit_token=secrets.token_urlsafe(24)).status_code == 303

    def change(sql):
        db.session.close()
        with db.engine.connect() as other:  # an organiser's request, in another worker
            other.execute(text(sql), {"id": event_id})
            other.commit()

    change("UPDATE events SET city = 'Rabat' WHERE id = :id")
    response = post(client, event, submit_token=secrets.token_urlsafe(24))
    assert response.status_code == 303
    assert "/receipt/RAB-" in response.headers["Location"]

    change("UPDATE events SET state = 'judging' WHERE id = :id")
    response = post(client, event, submit_token=secrets.token_urlsafe(24))
    assert response.status_code == 409
    change("UPDATE events SET state = 'open', slug = 'rabat-2026' WHERE id = :id")
    response = post(client, event, submit_token=secrets.token_urlsafe(24))
    assert response.status_code == 404
    db.session.rollback()
    assert ideas_count() == 2


def test_the_idea_is_checked_without_holding_the_sqlite_write_lock(client, app, monkeypatch):
    """A hall of phones posting at once: on SQLite the event is read outside any transaction and
    the write lock is taken only by the INSERTs, not while the fields are checked (two worker
    processes queued for the lock while it was held through the Python work)."""
    import submissions.services as services

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    event = SimpleNamespace(slug=make_event().slug)
    path = db.engine.url.database
    db.session.close()  # the test's own session must not hold a lock either
    seen = []
    real_clean = services.clean_idea

    def clean_while_another_phone_writes(raw, **kwargs):
        seen.append(sqlite_write_lock_state(path))  # "free" unless this post holds the lock
        return real_clean(raw, **kwargs)

    monkeypatch.setattr(services, "clean_idea", clean_while_another_phone_writes)
    response = post(client, event)
    assert response.status_code == 303
    assert seen == ["free"]
    assert ideas_count() == 1


def test_the_idea_and_its_audit_entry_are_one_sqlite_transaction(client, app, monkeypatch):
    """The reads before it run outside any transaction, but the writes do not: the write lock
    is held from the idea's INSERT to the commit, and a failure between the two INSERTs leaves
    neither (had the idea been written in autocommit mode, it would stay without its entry)."""
    import submissions.services as services

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    event = SimpleNamespace(slug=make_event().slug)
    path = db.engine.url.database
    db.session.close()
    seen = []

    def audit_that_fails(*args, **kwargs):
        seen.append(sqlite_write_lock_state(path))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "record", audit_that_fails)
    with pytest.raises(RuntimeError):
        post(client, event)
    assert seen == ["database is locked"]
    db.session.rollback()  # what the request's teardown does
    assert sqlite_write_lock_state(path) == "free"
    assert ideas_count() == 0


def test_an_event_closed_while_the_idea_is_checked_takes_no_idea(client, app, monkeypatch):
    """The event is read before the write transaction, so the INSERT itself checks that the
    event is still open: closed in between (an organiser moving it to judging), the
    participant gets the closed page and nothing is stored, not even an audit entry."""
    from sqlalchemy import text

    import submissions.services as services

    stored = make_event()
    event = SimpleNamespace(id=stored.id, slug=stored.slug)
    db.session.close()
    real_clean = services.clean_idea

    def clean_while_the_organiser_closes(raw, **kwargs):
        with db.engine.connect() as other:  # another request's connection
            other.execute(
                text("UPDATE events SET state = 'judging' WHERE id = :id"), {"id": event.id}
            )
            other.commit()
        return real_clean(raw, **kwargs)

    monkeypatch.setattr(services, "clean_idea", clean_while_the_organiser_closes)
    response = post(client, event)
    assert response.status_code == 409
    assert "Oujda" in response.get_data(as_text=True)
    assert ideas_count() == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_five_concurrent_posts_with_one_token_store_one_idea(app):
    event = make_event()
    slug = event.slug
    db.session.close()  # the test's own session must not hold the SQLite write lock
    locations, failures = [], []
    barrier = threading.Barrier(5)

    def send():
        try:
            with app.app_context():  # each thread: its own context, session and connection
                client = app.test_client()
                barrier.wait(timeout=10)
                response = client.post(f"/e/{slug}/submit", data=form_data())
                locations.append((response.status_code, response.headers.get("Location")))
                db.session.remove()
        except Exception:  # noqa: BLE001 - reported below
            failures.append(traceback.format_exc())

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures[0] if failures else ""
    assert len(locations) == 5
    assert {status for status, _ in locations} == {303}
    assert len({location for _, location in locations}) == 1
    db.session.expire_all()
    assert ideas_count() == 1
    assert db.session.scalar(select(Idea.submit_token)) == TOKEN


def test_different_tokens_give_different_ideas_and_codes(client):
    event = make_event()
    post(client, event, submit_token="first-token-" + "x" * 10)
    post(client, event, submit_token="second-token-" + "y" * 10)
    codes = db.session.scalars(select(Idea.receipt_code)).all()
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(re.fullmatch(r"OUJ-[2-9A-Z]{4}", code) for code in codes)


def test_missing_or_forged_token_is_refused_with_a_fresh_one(client):
    event = make_event()
    for token in ("", "short", "x" * 65, "bad token with spaces!!"):
        response = post(client, event, submit_token=token)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Ce formulaire a expiré" in page
        assert 'name="submit_token" type="hidden" value="' in page
    assert ideas_count() == 0


def test_receipt_code_collision_draws_another_code(client, monkeypatch):
    event = make_event()
    make_idea(event, receipt_code="OUJ-AAAA")
    codes = iter(["OUJ-AAAA", "OUJ-CCCC"])  # the first is already taken
    monkeypatch.setattr("submissions.services.new_receipt_code", lambda city: next(codes))
    response = post(client, event)
    assert response.status_code == 303
    assert (
        db.session.scalar(select(Idea.receipt_code).where(Idea.submit_token == TOKEN)) == "OUJ-CCCC"
    )


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (PDF, "projet.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (JPEG, "photo.jpeg", "image/jpeg"),
        (PDF, "sans-extension", "application/pdf"),
    ],
)
def test_pdf_and_images_are_accepted_by_their_content(client, uploads_dir, content, name, mime):
    event = make_event()
    response = post(client, event, attachment=upload(content, name))
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert idea.attachment_mime == mime and idea.attachment_name == name
    stored = uploads_dir / idea.attachment_path
    assert stored.read_bytes() == content
    assert name not in idea.attachment_path  # a random name on disk


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not really a pdf", "virus.pdf"),
        (b"<svg onload=alert(1)>", "image.png"),
        (b"PK\x03\x04 a zip", "doc.jpeg"),
    ],
)
def test_other_file_types_are_refused_whatever_their_name(client, content, name):
    event = make_event()
    response = post(client, event, attachment=upload(content, name))
    assert response.status_code == 422
    assert "Envoyez un fichier PDF ou une photo (PNG ou JPEG)." in response.get_data(as_text=True)
    assert ideas_count() == 0


def test_a_form_back_with_errors_keeps_its_token_or_gets_a_fresh_one(client):
    """The corrected form is sent with the same token (a double tap on it stays one idea); a
    form that came without a usable token gets a fresh one, never an empty or "None" value."""
    event = make_event()
    token_of = re.compile(r'name="submit_token" type="hidden" value="([^"]*)"')
    kept = post(client, event, title="").get_data(as_text=True)
    assert token_of.search(kept).group(1) == TOKEN
    for missing in ("", None):
        data = form_data(title="", attachment=upload(b"not a pdf", "x.pdf"))
        if missing is None:
            del data["submit_token"]
        else:
            data["submit_token"] = missing
        page = client.post(f"/e/{event.slug}/submit", data=data, content_type="multipart/form-data")
        assert page.status_code == 422
        fresh = token_of.search(page.get_data(as_text=True)).group(1)
        assert len(fresh) >= 16 and fresh != "None"
    assert ideas_count() == 0


def test_attachment_over_the_size_cap_is_refused(app, client, uploads_dir):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    event = make_event()
    response = post(client, event, attachment=upload(PDF + b"0" * 1000, "gros.pdf"))
    assert response.status_code == 422
    assert "Le fichier est trop volumineux" in response.get_data(as_text=True)
    assert ideas_count() == 0
    assert not any(uploads_dir.rglob("*.pdf"))


def test_bad_fields_with_a_good_attachment_leave_no_file_behind(client, uploads_dir):
    event = make_event()
    response = post(client, event, title="", attachment=upload(PDF, "p.pdf"))
    assert response.status_code == 422
    assert not any(uploads_dir.rglob("*.pdf"))


def test_resend_with_an_attachment_keeps_one_file(client, uploads_dir):
    event = make_event()
    post(client, event, attachment=upload(PDF, "p.pdf"))
    post(client, event, attachment=upload(PDF, "p.pdf"))
    assert ideas_count() == 1
    assert len(list(uploads_dir.rglob("*.pdf"))) == 1


def test_receipt_email_is_queued_when_an_email_is_given(client):
    outbox = pytest.importorskip("jobs.outbox")
    from jobs.models import OutboxEmail

    event = make_event()
    post(client, event, lead_email="fatima@example.ma")
    post(client, event)  # the resend queues nothing more
    idea = db.session.scalar(select(Idea))
    emails = db.session.scalars(select(OutboxEmail)).all()
    assert [(e.kind, e.recipient, e.dedupe_key) for e in emails] == [
        ("receipt", "fatima@example.ma", f"receipt:{idea.id}")
    ]
    assert outbox


def test_no_email_no_message_queued(client):
    pytest.importorskip("jobs.outbox")
    from jobs.models import OutboxEmail

    event = make_event()
    post(client, event)
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_public_submission_is_audited_without_personal_data(client):
    event = make_event()
    post(client, event)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "submit"))
    assert entry.entity == "idea" and entry.event_id == event.id and entry.source == "form"
    assert "612345678" not in str(entry.new)


def test_csrf_is_required_on_the_public_form(client, csrf_on):
    event = make_event()
    response = post(client, event)
    assert response.status_code == 400
    assert ideas_count() == 0


# --- Kiosk and assisted entry --------------------------------------------------------------


def start_kiosk(client, login, event):
    login(make_user("organiser"))
    response = client.post(f"/e/{event.slug}/kiosk/start")
    assert response.status_code == 303
    return response


def test_kiosk_is_refused_to_a_tablet_no_organiser_started(client):
    event = make_event()
    response = client.get(f"/e/{event.slug}/kiosk")
    assert response.status_code == 403
    assert client.post(f"/e/{event.slug}/kiosk", data=form_data()).status_code == 403
    assert ideas_count() == 0


def test_kiosk_needs_an_organiser_to_start_and_then_signs_them_out(client, login):
    event = make_event()
    start_kiosk(client, login, event)
    page = client.get(f"/e/{event.slug}/kiosk")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<body class="kiosk">' in text
    with client.session_transaction() as session:
        assert "_user_id" not in session  # signed out: organiser pages need a sign-in again


def test_kiosk_shows_the_receipt_then_a_blank_form_with_no_one_elses_data(client, login):
    event = make_event()
    start_kiosk(client, login, event)
    first = client.post(
        f"/e/{event.slug}/kiosk", data=form_data(title="Idée de Aïcha", lead_name="Aïcha")
    )
    receipt = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Idée de Aïcha" in receipt
    # The receipt stays until "Done" (2 minutes at most, as it says), not 20 s.
    assert f'content="120;url=/e/{event.slug}/kiosk"' in receipt and 'id="new-idea"' in receipt
    assert "Terminé : participant suivant" in receipt
    assert "ce reçu se ferme tout seul après 2 minutes" in html.unescape(receipt)
    idea = db.session.scalar(select(Idea))
    assert idea.source == "kiosk"

    blank = client.get(f"/e/{event.slug}/kiosk").get_data(as_text=True)
    assert "Aïcha" not in blank
    # The previous participant's receipt is no longer shown on this tablet.
    again = client.get(first.headers["Location"])
    assert again.status_code == 302 and "/receipt" in again.headers["Location"]
    second = client.post(
        f"/e/{event.slug}/kiosk",
        data=form_data(submit_token="kiosk-second-token-xx", title="Idée de Omar"),
    )
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Idée de Omar" in page and "Aïcha" not in page


def test_assisted_submission_is_recorded_with_the_facilitator(client, login):
    event = make_event()
    facilitator = login(make_user("organiser"))
    page = client.get(f"/e/{event.slug}/assist").get_data(as_text=True)
    assert "après que je le lui ai lu" in page
    response = client.post(f"/e/{event.slug}/assist", data=form_data())
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert idea.source == "assisted" and idea.assisted_by_id == facilitator.id
    assert idea.consent_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "submit"))
    assert entry.user_id == facilitator.id


def test_assisted_entry_keeps_no_draft_between_participants(client, login):
    """An organiser types one participant after another on one device: no draft of the last one
    is stored in the browser nor autofilled into the next form; the public form keeps its draft."""
    event = make_event()
    login(make_user("organiser"))
    assisted = client.get(f"/e/{event.slug}/assist").get_data(as_text=True)
    form_tag = assisted[assisted.index('id="idea-form"') :].split(">", 1)[0]
    assert "data-draft-key" not in form_tag and 'autocomplete="off"' in form_tag
    public = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    assert f'data-draft-key="submit-{event.slug}"' in public


def test_assisted_entry_still_needs_the_participants_consent(client, login):
    event = make_event()
    login(make_user("organiser"))
    response = client.post(f"/e/{event.slug}/assist", data=form_data(consent=""))
    assert response.status_code == 422 and ideas_count() == 0


def test_assisted_entry_needs_a_sign_in(client):
    event = make_event()
    assert client.get(f"/e/{event.slug}/assist").status_code == 302
    assert client.post(f"/e/{event.slug}/assist", data=form_data()).status_code == 302
    assert ideas_count() == 0


def test_assisted_entry_is_refused_to_jury_members(client, login):
    event = make_event()
    login(make_user("jury"))
    assert client.get(f"/e/{event.slug}/assist").status_code == 403


def test_qr_code_and_poster_point_to_the_public_form(app, client):
    app.config.update(APP_ENV="production", EXTERNAL_BASE_URL="https://ideathon.example.ma")
    event = make_event()
    svg = client.get(f"/e/{event.slug}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.get_data(as_text=True).startswith("<svg")
    poster = client.get(f"/e/{event.slug}/poster").get_data(as_text=True)
    assert f"https://ideathon.example.ma/e/{event.slug}/submit" in poster
    assert "<svg" in poster and "شارك فكرتك التعاونية" in poster


def test_control_characters_are_dropped_not_a_server_error(client):
    """A NUL pasted into a field would make PostgreSQL refuse the row: it is dropped."""
    event = make_event()
    response = post(client, event, title="Idée\x00 sans\x07 NUL", problem="ligne 1\r\n\tligne 2")
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert idea.title == "Idée sans NUL" and idea.problem == "ligne 1\r\n\tligne 2"


def test_blank_form_is_the_same_for_everyone_but_never_carries_someone_elses_typing(client):
    """The blank fields are rendered once per language: a form that came back with errors
    (with what one participant typed) never leaks into the next participant's blank form."""
    event = make_event()
    first = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    returned = post(client, event, title="Séchoir solaire de Fatima", lead_phone="12")
    assert returned.status_code == 422 and "Séchoir solaire de Fatima" in returned.get_data(
        as_text=True
    )
    second = client.get(f"/e/{event.slug}/submit").get_data(as_text=True)
    assert "Séchoir solaire de Fatima" not in second
    token = r'name="submit_token" type="hidden" value="([^"]+)"'
    assert re.search(token, first).group(1) != re.search(token, second).group(1)


def test_blank_form_fields_follow_the_language(client):
    event = make_event()
    french = client.get(f"/e/{event.slug}/submit?lang=fr").get_data(as_text=True)
    arabic = client.get(f"/e/{event.slug}/submit?lang=ar").get_data(as_text=True)
    assert "Titre de l'idée" in html.unescape(french)
    assert "عنوان الفكرة" in arabic and "عنوان الفكرة" not in french
    assert "Titre de l" not in html.unescape(arabic)


@pytest.mark.parametrize(
    ("lang", "future", "past"),
    [
        ("fr", "Une copie vous sera envoyée par e-mail", "Une copie est envoyée"),
        ("ar", "ستُرسل إليك نسخة", "أُرسلت نسخة"),
        ("en", "A copy will be sent by e-mail", "A copy is sent"),
    ],
)
def test_receipt_says_the_e_mail_copy_will_be_sent_not_that_it_was(client, lang, future, past):
    """Issue 17: the copy is only queued in the outbox when the receipt shows."""
    event = make_event()
    response = post(client, event, lead_email="fatima@example.ma")
    page = client.get(response.headers["Location"] + f"?lang={lang}").get_data(as_text=True)
    assert future in page and past not in page


def _in_kiosk(client, slug) -> bool:
    with client.session_transaction() as session:
        return session.get("kiosk_event") == slug


def test_only_an_organiser_or_facilitator_of_the_event_leaves_kiosk_mode(client, login):
    from tests.builders import PASSWORD

    event = make_event()
    start_kiosk(client, login, event)
    form = client.get(f"/e/{event.slug}/kiosk").get_data(as_text=True)
    assert f'href="/e/{event.slug}/kiosk/stop" id="kiosk-exit"' in form
    page = client.get(f"/e/{event.slug}/kiosk/stop?lang=ar")
    assert page.status_code == 200 and "الخروج من وضع الكشك" in page.get_data(as_text=True)
    stop = f"/e/{event.slug}/kiosk/stop"
    assert client.post(stop, data={}).status_code == 422
    judge = make_user("jury")
    other_facilitator = make_user("facilitator", events=[make_event()])
    organiser = make_user("organiser")
    db.session.commit()
    for who, password in (
        (organiser, "not-the-password"),  # a participant guessing
        (judge, PASSWORD),  # a judge of the tour: no kiosk of theirs
        (other_facilitator, PASSWORD),  # a facilitator of another event
    ):
        response = client.post(stop, data={"email": who.email, "password": password})
        assert response.status_code == 401, who.email
        assert "وحده منظم أو منشط" in response.get_data(as_text=True)  # Arabic chosen above
        assert _in_kiosk(client, event.slug)
        assert client.get(f"/e/{event.slug}/kiosk").status_code == 200  # still the kiosk
    failures = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_in_failed")
    ).all()
    assert len(failures) == 3 and {f.source for f in failures} == {"kiosk_exit"}

    facilitator = make_user("facilitator", events=[event])
    db.session.commit()
    response = client.post(stop, data={"email": facilitator.email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/e/{event.slug}/kiosk")
    assert not _in_kiosk(client, event.slug)
    with client.session_transaction() as session:
        assert session["_user_id"] == facilitator.get_id()
    start_page = client.get(f"/e/{event.slug}/kiosk").get_data(as_text=True)
    assert 'id="start-kiosk"' in start_page  # signed in again: the kiosk can be restarted


def test_start_over_sits_apart_from_send_and_asks_first(client, login):
    event = make_event()
    start_kiosk(client, login, event)
    page = client.get(f"/e/{event.slug}/kiosk").get_data(as_text=True)
    form = page.split('id="idea-form"')[1].split("</form>")[0]
    assert "data-start-over" not in form  # not beside Send any more
    assert 'id="start-over" data-start-over aria-haspopup="dialog"' in page
    dialog = re.search(
        r'<dialog class="kiosk-confirm" id="start-over-dialog".*?</dialog>', page, re.S
    )
    assert dialog and "data-start-over-confirm" in dialog.group(0)
    assert "data-start-over-cancel autofocus" in dialog.group(0)
