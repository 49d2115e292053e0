"""E-mail templates organisers edit: today's texts as defaults, checks that give a clear message
(syntax, unknown variable, sandbox escapes, lengths), the preview, a test send through the outbox
to a real SMTP server, and the senders using an event's own text."""

import pytest
from sqlalchemy import select

from emailtemplates import services
from emailtemplates.models import EmailTemplate
from emailtemplates.variables import KINDS
from extensions import db
from jobs.models import OutboxEmail
from jobs.outbox import queue_email
from tests.builders import make_event, make_idea, make_user
from tests.jobs.conftest import smtp  # noqa: F401 - the real SMTP server fixture

BODY = "Bonjour {{ name }}, votre code : {{ receipt_code }}.\n\nSuivez-la : {{ follow_url }}"


def _refusal(kind="receipt", **raw):
    with pytest.raises(services.EmailTemplateError) as refused:
        services.clean(kind, {"subject": "Reçu {{ receipt_code }}", "body": BODY, **raw})
    return refused.value


@pytest.mark.parametrize("lang", services.LANGUAGES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_default_is_todays_text_and_passes_the_checks(app, kind, lang):
    subject, body = services.default_text(kind, lang)
    assert "{{ " in body and "{{ city }}" in subject + body or kind == "receipt"
    assert services.clean(kind, {"subject": subject, "body": body})
    event = make_event(city="Oujda")
    message = services.preview(event, kind, lang, {"subject": subject, "body": body})
    assert "{{" not in message.text and message.subject


def test_the_french_receipt_default_reads_as_the_message_sent_today(app):
    subject, body = services.default_text("receipt", "fr")
    assert subject == "Votre idée est enregistrée – reçu {{ receipt_code }}"
    assert body.startswith("Bonjour {{ name }},")
    assert "{{ follow_url }}" in body


def test_a_syntax_error_is_named_with_its_line(app):
    refusal = _refusal(body="Bonjour\n{{ name")
    assert refusal.field == "body" or "body" in refusal.errors
    assert "ligne 2" in str(refusal.errors["body"])


def test_an_unknown_variable_is_named_with_the_known_ones(app):
    refusal = _refusal(body="Bonjour {{ prenom }}")
    message = str(refusal.errors["body"])
    assert "prenom" in message and "receipt_code" in message


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ name.__init__.__globals__ }}",
        "{{ name.upper() }}",
        "{{ name|attr('__class__') }}",
        "{{ self }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ lipsum.__globals__ }}",
        "{% include 'base.html' %}",
        "{% extends 'email/_layout.html' %}",
        "{% import 'base.html' as b %}",
        "{{ 'a' * 100000000 }}",
        "{{ 9 ** 9 ** 9 }}",
        "{% for c in comments %}{{ loop.cycle }}{% endfor %}",
    ],
)
def test_sandbox_escapes_are_refused_with_a_message(app, escape):
    refusal = _refusal(kind="results", body=f"Bonjour {escape}")
    assert refusal.errors["body"]
    assert refusal.status == 422


def test_lengths_are_limited(app):
    assert "au maximum" in str(_refusal(subject="s" * 201).errors["subject"])
    assert "au maximum" in str(_refusal(body="b" * 10_001).errors["body"])
    assert services.clean("receipt", {"subject": "s" * 200, "body": "b" * 10_000})


def test_preview_writes_out_sample_data_safely(app):
    event = make_event(city="Oujda")
    message = services.preview(
        event, "receipt", "fr", {"subject": "Reçu {{ receipt_code }}", "body": BODY}
    )
    assert message.subject == "Reçu OUJ-7K3D"
    assert "Bonjour Fatima Zahra" in message.text
    assert "<a href=" in message.html
    assert db.session.scalar(select(EmailTemplate.id)) is None  # nothing kept


def test_a_value_typed_by_a_participant_is_escaped_in_the_html(app):
    event = make_event()
    idea = make_idea(event, lead_name="<script>x</script>")
    services.save(event, "receipt", "fr", {"subject": "Reçu", "body": BODY}, by=make_user())
    subject, text, html = services.override(
        "receipt", "fr", {"idea": idea, "event": event}, event.id
    )
    assert "<script>x</script>" in text
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_receipt_sender_uses_the_events_own_text(app):
    event, other = make_event(), make_event()
    organiser = make_user()
    services.save(
        event, "receipt", "fr", {"subject": "Reçu {{ receipt_code }}", "body": BODY}, by=organiser
    )
    db.session.commit()
    for e in (event, other):
        idea = make_idea(e)
        queue_email(
            kind="receipt",
            to="p@example.ma",
            locale="fr",
            template="receipt",
            context={"idea": idea, "event": e},
            dedupe_key=f"receipt:{idea.id}",
            event_id=e.id,
        )
    own, default = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id))
    assert own.subject.startswith("Reçu ") and own.body_text.startswith("Bonjour ")
    assert "votre code" in own.body_text
    assert default.subject.startswith("Votre idée est enregistrée")
    arabic = queue_email(
        kind="receipt",
        to="q@example.ma",
        locale="ar",
        template="receipt",
        context={"idea": make_idea(event), "event": event},
        dedupe_key="receipt:ar",
        event_id=event.id,
    )
    assert "votre code" not in arabic.body_text  # the French text is not the Arabic one


def test_reset_brings_the_default_back(app):
    event = make_event()
    services.save(event, "receipt", "fr", {"subject": "Reçu", "body": BODY}, by=make_user())
    services.reset(event, "receipt", "fr", by=make_user())
    assert services.template_of(event, "receipt", "fr") is None


def test_test_send_reaches_the_organiser_through_the_outbox(app, smtp):  # noqa: F811
    event = make_event(city="Oujda")
    organiser = make_user(email="orga@example.ma")
    services.send_test(
        event, "receipt", "fr", {"subject": "Essai {{ receipt_code }}", "body": BODY}, by=organiser
    )
    db.session.commit()
    [message] = smtp.wait_for(1)
    assert message["To"] == "orga@example.ma"
    assert message["Subject"] == "Essai OUJ-7K3D"
    assert "Bonjour Fatima Zahra" in message.get_body(("plain",)).get_content()


def test_the_editor_shows_messages_never_a_500(app, client, login):
    event = make_event()
    login(make_user())
    url = f"/e/{event.slug}/emails/receipt/fr"
    assert client.get(url).status_code == 200
    assert client.get(f"/e/{event.slug}/emails").status_code == 200
    assert client.get(f"/e/{event.slug}/emails/nothing/fr").status_code == 404
    bad = client.post(url, data={"action": "save", "subject": "x", "body": "{{ ''.__class__ }}"})
    assert bad.status_code == 422
    assert "variables" in bad.get_data(as_text=True)
    shown = client.post(url, data={"action": "preview", "subject": "x", "body": BODY})
    assert shown.status_code == 200 and "Fatima Zahra" in shown.get_data(as_text=True)
    saved = client.post(url, data={"action": "save", "subject": "x", "body": BODY})
    assert saved.status_code == 303
    assert services.template_of(event, "receipt", "fr").body == BODY
