"""The outbox on the in-process path (no REDIS_URL), sending to a real SMTP server on loopback."""

from datetime import timedelta

from sqlalchemy import func, select

from extensions import db, utcnow
from jobs.mail import send_outbox_email, send_pending
from jobs.models import OutboxEmail, UndeliverableAddress
from jobs.outbox import UNDELIVERABLE_NOTE, queue_email
from submissions.models import Idea
from tests.builders import make_event, make_idea, make_user
from tests.jobs.conftest import use_mail_server


def receipt(idea, event, locale="fr", to="participante@example.ma", key=None):
    return queue_email(
        kind="receipt",
        to=to,
        locale=locale,
        template="receipt",
        context={"idea": idea, "event": event},
        dedupe_key=key or f"receipt:idea:{idea.id}:{locale}",
        event_id=event.id,
    )


def outbox_rows():
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def html_part(message):
    return message.get_body(("html",)).get_content()


def text_part(message):
    return message.get_body(("plain",)).get_content()


def test_email_is_sent_only_after_the_transaction_commits(app, smtp):
    event = make_event(city="Oujda")
    idea = make_idea(event, title="Couscous bio de l'Oriental")
    email = receipt(idea, event)
    assert email.status == "pending" and email.id is not None
    assert smtp.messages == []  # nothing leaves before the commit
    db.session.commit()
    [message] = smtp.wait_for(1)
    assert message["To"] == "participante@example.ma"
    assert message["Subject"] == f"Votre idée est enregistrée – reçu {idea.receipt_code}"
    assert message["Content-Language"] == "fr"
    body = text_part(message)
    assert idea.receipt_code in body and "Couscous bio de l'Oriental" in body
    assert "Oujda" in body and "3 avril 2025" in body and "La suite" in body
    row = db.session.get(OutboxEmail, email.id)
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1


def test_rolled_back_transaction_stores_and_sends_nothing(app, smtp):
    event = make_event()
    idea = Idea(
        event=event,
        receipt_code="OUJ-ROLL",
        title="Annulée",
        problem="p",
        solution="s",
        sector="agrifood",
        region_code=event.region_code,
        province_code="02.411",
        lead_name="Amina",
        lead_phone="+212612345678",
    )
    db.session.add(idea)
    db.session.flush()
    receipt(idea, event)
    db.session.rollback()
    db.session.commit()  # a later, unrelated commit must not send the dropped message
    assert outbox_rows() == []
    assert smtp.wait_for(1, timeout=0.5) == []


def test_same_dedupe_key_twice_gives_one_row_and_one_email(app, smtp):
    event = make_event()
    idea = make_idea(event)
    first = receipt(idea, event, key="receipt:idea:1")
    second = receipt(idea, event, key="receipt:idea:1")
    db.session.commit()
    third = receipt(idea, event, key="receipt:idea:1")  # again, in a later transaction
    db.session.commit()
    assert first.id == second.id == third.id
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    assert len(smtp.wait_for(2, timeout=1)) == 1


def test_arabic_email_is_right_to_left_in_text_and_html(app, smtp):
    event = make_event(city="Oujda", city_ar="وجدة")
    idea = make_idea(event, title="تعاونية الكسكس")
    receipt(idea, event, locale="ar")
    db.session.commit()
    [message] = smtp.wait_for(1)
    assert message["Content-Language"] == "ar"
    assert message["Subject"] == f"تم تسجيل فكرتكم – الوصل {idea.receipt_code}"
    html = html_part(message)
    assert '<html lang="ar" dir="rtl">' in html and "text-align:right" in html
    assert "وجدة" in html and "تعاونية الكسكس" in html and "الخطوات التالية" in html
    assert "وجدة" in text_part(message)


def test_english_and_french_emails_are_left_to_right(app, smtp):
    event = make_event()
    idea = make_idea(event)
    receipt(idea, event, locale="en")
    receipt(idea, event, locale="fr")
    db.session.commit()
    english, french = sorted(smtp.wait_for(2), key=lambda m: m["Content-Language"])
    assert english["Subject"].startswith("Your idea is registered")
    assert '<html lang="en" dir="ltr">' in html_part(english)
    assert '<html lang="fr" dir="ltr">' in html_part(french)


def test_html_email_has_no_external_asset_and_escapes_user_text(app):
    event = make_event()
    idea = make_idea(event, title='<img src="http://evil.example/x.png">Coop')
    email = receipt(idea, event)
    html = email.body_html
    assert "<img" not in html and "&lt;img" in html
    assert "<link" not in html and "<script" not in html and 'src="http' not in html
    assert "<style" not in html  # inline styles only: mail clients drop style sheets
    assert (
        '<img src="http://evil.example/x.png">Coop' in email.body_text
    )  # plain text stays as typed


def test_every_template_renders_in_every_language(app):
    event = make_event(city="Fès", city_ar="فاس", venue="Chambre de commerce")
    idea = make_idea(event)
    judge = make_user("jury", name="Karim Benali")
    organiser = make_user("organiser")
    from jobs.models import ExportJob

    export = ExportJob(kind="rankings", params={}, requested_by_id=organiser.id, locale="fr")
    db.session.add(export)
    db.session.flush()
    cases = {
        "receipt": {"idea": idea, "event": event},
        "jury_invitation": {
            "user": judge,
            "event": event,
            "login_url": "http://x.ma/login/link/abc",
        },
        "results": {"idea": idea, "event": event, "is_winner": True},
        "export_ready": {"export": export, "download_url": "http://x.ma/tour/exports/1/download"},
        "jury_reminder": {
            "user": judge,
            "event": event,
            "login_url": "http://x.ma/jury",
            "done": 3,
            "total": 8,
        },
    }
    expected = {
        ("receipt", "fr"): "Votre code de reçu",
        ("receipt", "ar"): "رمز الوصل",
        ("jury_invitation", "fr"): "Chambre de commerce, Fès",
        ("jury_invitation", "ar"): "فاس",
        ("results", "fr"): "Félicitations",
        ("results", "ar"): "تهانينا",
        ("export_ready", "fr"): "les classements Excel",
        ("export_ready", "ar"): "ترتيبات إكسل",
        ("jury_reminder", "fr"): "remis 3 de vos 8 fiches",
        ("jury_reminder", "ar"): "تذكير",
        ("results", "en"): "Congratulations",
        ("export_ready", "en"): "the Excel rankings",
    }
    for template, context in cases.items():
        for locale in ("fr", "ar", "en"):
            email = queue_email(
                kind=template,
                to="x@example.ma",
                locale=locale,
                template=template,
                context=context,
                dedupe_key=f"{template}:{locale}",
            )
            assert email.subject and email.body_text.strip() and "</html>" in email.body_html
            if (template, locale) in expected:
                assert expected[(template, locale)] in email.body_text + email.body_html
    invitation = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.dedupe_key == "jury_invitation:fr")
    )
    assert (
        "http://x.ma/login/link/abc" in invitation.body_text
        and "Karim Benali" in invitation.body_text
    )


def test_results_email_thanks_participants_who_did_not_win(app):
    event = make_event(city="Agadir")
    idea = make_idea(event)
    email = queue_email(
        kind="results",
        to="p@example.ma",
        locale="fr",
        template="results",
        context={"idea": idea, "event": event, "is_winner": False},
        dedupe_key="results:1",
    )
    assert email.subject.startswith("Résultats de l") and email.subject.endswith("Agadir")
    assert "ne fait pas partie des lauréates" in email.body_text
    assert "Merci de votre participation" in email.body_text


def test_no_address_queues_nothing(app):
    event = make_event()
    idea = make_idea(event)
    assert receipt(idea, event, to=None) is None and receipt(idea, event, to="  ") is None
    assert outbox_rows() == []


def test_refused_recipient_fails_for_good_and_is_never_tried_again(app, smtp):
    smtp.refuse.add("inconnu@example.ma")
    event = make_event()
    idea = make_idea(event)
    email = receipt(idea, event, to="Inconnu@Example.ma")
    db.session.commit()
    row = db.session.get(OutboxEmail, email.id)
    assert row.status == "failed" and "550" in row.last_error
    marked = db.session.scalar(select(UndeliverableAddress))
    assert marked.email == "inconnu@example.ma" and "550" in marked.reason
    # Another message to that address: stored as failed (visible to organisers), never sent.
    later = receipt(idea, event, to="inconnu@example.ma", key="results:x")
    db.session.commit()
    assert later.status == "failed" and later.last_error == UNDELIVERABLE_NOTE
    assert send_pending()["sent"] == 0
    assert smtp.messages == []


def test_mail_server_down_retries_with_back_off_then_sends_once(app, smtp, closed_port):
    use_mail_server(app, closed_port)
    event = make_event()
    idea = make_idea(event)
    email = receipt(idea, event)
    db.session.commit()  # the in-process send fails: the commit still succeeds
    row = db.session.get(OutboxEmail, email.id)
    assert row.status == "pending" and row.attempts == 1 and "Connection" in row.last_error
    assert timedelta(seconds=50) < row.next_attempt_at - utcnow() <= timedelta(seconds=60)
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}  # not due yet
    # Second failure: the wait doubles.
    row.next_attempt_at = utcnow()
    db.session.commit()
    assert send_pending()["retry"] == 1
    row = db.session.get(OutboxEmail, email.id)
    assert row.attempts == 2 and timedelta(
        seconds=110
    ) < row.next_attempt_at - utcnow() <= timedelta(seconds=120)
    # The server is back: "retry now" sends it, exactly once.
    use_mail_server(app, smtp.port)
    assert send_pending(retry_now=True)["sent"] == 1
    assert send_pending(retry_now=True)["sent"] == 0
    assert len(smtp.wait_for(2, timeout=0.5)) == 1
    assert db.session.get(OutboxEmail, email.id).status == "sent"


def test_too_many_failures_end_as_failed(app, closed_port):
    use_mail_server(app, closed_port)
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    event = make_event()
    email = receipt(make_idea(event), event)
    db.session.commit()
    db.session.get(OutboxEmail, email.id).next_attempt_at = utcnow()
    db.session.commit()
    assert send_pending()["failed"] == 1
    assert db.session.get(OutboxEmail, email.id).status == "failed"


def test_a_sent_or_claimed_message_is_never_sent_twice(app, smtp):
    app.config["MAIL_SUPPRESS_SEND"] = True  # keep it in the outbox: we send by hand below
    event = make_event()
    email = receipt(make_idea(event), event)
    email.status = "sending"  # claimed by another worker a moment ago: its lease runs
    email.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert send_outbox_email(email.id) == "skipped"
    # That worker died: once its lease is over, the sweep sends the message.
    db.session.get(OutboxEmail, email.id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert send_outbox_email(email.id) == "sent"
    assert send_outbox_email(email.id) == "skipped"
    assert len(smtp.wait_for(2, timeout=0.5)) == 1


def test_send_pending_command_sends_what_waits(app, smtp, runner, closed_port):
    use_mail_server(app, closed_port)
    event = make_event()
    email = receipt(make_idea(event), event)
    db.session.commit()
    use_mail_server(app, smtp.port)
    result = runner.invoke(args=["send-pending", "--retry-now"])
    assert result.exit_code == 0, result.output
    assert "Envoyés : 1" in result.output
    assert db.session.get(OutboxEmail, email.id).status == "sent"
    assert len(smtp.wait_for(1)) == 1


def test_e_mails_name_the_city_in_the_recipients_language(app):
    from jobs.outbox import render_email
    from tests.builders import make_event, make_idea

    event = make_event(city="Oujda", city_ar="وجدة")
    idea = make_idea(event)
    for locale, city, other in (("ar", "وجدة", "Oujda"), ("fr", "Oujda", "وجدة")):
        subject, text, html = render_email("receipt", locale, {"idea": idea, "event": event})
        assert city in text and city in html
        assert other not in text


def test_the_outbox_explains_an_undeliverable_address_in_the_readers_language(app, client):
    from jobs.models import OutboxEmail
    from tests.builders import make_user

    db.session.add(
        OutboxEmail(
            kind="receipt", recipient="x@example.ma", subject="s", body_text="t", body_html="h",
            status="failed", last_error=UNDELIVERABLE_NOTE, dedupe_key="u:1",
        )
    )  # fmt: skip
    db.session.commit()
    organiser = make_user("organiser")
    with client.session_transaction() as session:
        session["_user_id"] = str(organiser.id)
    page = client.get("/tour/outbox?lang=ar").get_data(as_text=True)
    assert "غير قابل للتسليم" in page and UNDELIVERABLE_NOTE not in page
