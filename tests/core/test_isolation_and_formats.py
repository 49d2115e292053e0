"""Numbers, amounts, dates and what people typed, shown the same way in every language (issue
17): one set of filters in i18n.py formats them with Babel for the reader's locale and isolates
them, `<bdi>` in pages, Unicode isolates in plain-text e-mails, so that "250 000" never reads
"000 250" in Arabic and an Arabic title keeps its own direction in a French page."""

import datetime
import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from competitions.states import EventState
from tests.builders import make_event, make_idea, make_user

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def _render(app, source, lang, **context):
    with app.test_request_context("/"), force_locale(lang):
        return render_template_string(source, **context)


@pytest.mark.parametrize(
    ("lang", "figure", "unit"),
    [("ar", "350,000", "درهم"), ("fr", "350\u202f000", "MAD"), ("en", "350,000", "MAD")],
)
def test_amounts_show_the_currency_in_the_readers_language(app, lang, figure, unit):
    html = _render(app, "{{ 350000|mad }}", lang)
    assert html == f'<bdi class="amount"><bdi dir="ltr">{figure}</bdi>&nbsp;{unit}</bdi>'


@pytest.mark.parametrize(
    ("lang", "date", "_"),
    [
        ("ar", "11 أبريل 2025", "- 14:30"),
        ("fr", "11 avril 2025", "- 14:30"),
        ("en", "April 11, 2025", "- 14:30"),
    ],
)
def test_dates_have_one_long_format_per_language(app, lang, date, _):
    at = datetime.datetime(2025, 4, 11, 10, 30, tzinfo=datetime.UTC)  # the same day in Morocco
    source = "{{ day|format_date }}|{{ day|format_date('medium') }}|{{ at|format_datetime }}"
    html = _render(app, source, lang, day=at.date(), at=at)
    iso = '<bdi dir="auto">{}</bdi>'
    shown = html.split("|")
    assert shown[:2] == [iso.format(date), iso.format(date)]
    assert re.fullmatch(iso.format(re.escape(date) + r" 1[01]:30"), shown[2]), shown[2]


def test_plain_text_uses_unicode_isolates_not_markup(app):
    source = "{{ 250000|mad }} {{ '+212661234567'|ltr }} {{ 'تعاونية'|isolate }} {{ 1234|number }}"
    text = render_template_string_text(app, source, "ar")
    assert text == (
        f"{FSI}{LRI}250,000{PDI}\u00a0درهم{PDI} {LRI}+212661234567{PDI} "
        f"{FSI}تعاونية{PDI} {LRI}1,234{PDI}"
    )


def render_template_string_text(app, source, lang):
    """A template rendered as plain text (no autoescape), as the .txt e-mails are."""
    with app.test_request_context("/"), force_locale(lang):
        template = app.jinja_env.overlay(autoescape=False).from_string(source)
        return template.render()


def test_hints_hold_numbers_together_with_no_break_spaces(app):
    assert _render(app, "{{ '250 000'|nbsp }}", "ar") == '<bdi dir="ltr">250\u00a0000</bdi>'


def test_idea_page_isolates_phone_amounts_and_title_and_drops_the_repeated_unit(client, login):
    login(make_user("organiser", locale="ar"))
    event = make_event()
    idea = make_idea(event, title="Coopérative Tifawin", lead_phone="+212661234567")
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}?lang=ar").get_data(as_text=True)
    assert '<bdi dir="ltr">+212661234567</bdi>' in page
    assert f'<bdi dir="ltr">{idea.receipt_code}</bdi>' in page
    assert '<bdi dir="ltr">250,000</bdi>&nbsp;درهم' in page
    assert '<bdi dir="auto">Coopérative Tifawin</bdi>' in page
    assert "(درهم)" not in page.split('id="correct-form"')[0]  # the shown amounts: no repeated unit


def test_idea_form_inputs_keep_numbers_left_to_right_and_text_in_its_own_direction(client):
    event = make_event(state=EventState.OPEN)
    page = client.get(f"/e/{event.slug}/submit?lang=ar").get_data(as_text=True)
    budget = (
        page.split('id="budget_mad"')[0].rsplit("<input", 1)[1]
        + page.split('id="budget_mad"')[1].split(">", 1)[0]
    )
    assert 'dir="ltr"' in budget and 'inputmode="numeric"' in budget
    phone = (
        page.split('id="lead_phone"')[1].split(">", 1)[0]
        + page.split('id="lead_phone"')[0].rsplit("<input", 1)[1]
    )
    assert 'dir="ltr"' in phone and 'inputmode="tel"' in phone
    for name in ("title", "problem", "solution"):
        tag = (
            page.split(f'id="{name}"')[0].rsplit("<", 1)[1]
            + page.split(f'id="{name}"')[1].split(">", 1)[0]
        )
        assert 'dir="auto"' in tag, name
    assert '<bdi dir="ltr">250\u00a0000</bdi>' in page  # the hint's example


def test_correction_fields_comments_and_reasons_follow_the_texts_direction(client, login):
    login(make_user("organiser"))
    event = make_event()
    idea = make_idea(event)
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}").get_data(as_text=True)
    correct = page.split('id="correct-form"')[1].split("</form>")[0]
    fields = re.findall(r"<(?:textarea|input)\b[^>]*>", correct)
    typed = [f for f in fields if "<textarea" in f or 'type="text"' in f]
    assert len(typed) >= 5
    for tag in typed:
        assert 'dir="auto"' in tag or 'dir="ltr"' in tag, tag
    assert any('dir="auto"' in tag and "<textarea" in tag for tag in typed)


def test_receipt_e_mail_isolates_the_code_and_date_in_text_and_html(app):
    from jobs.outbox import render_email

    event = make_event(city="Oujda", city_ar="وجدة")
    idea = make_idea(event, title="تعاونية الأمل")
    subject, text, html = render_email("receipt", "ar", {"idea": idea, "event": event})
    assert f"{LRI}{idea.receipt_code}{PDI}" in text
    assert f"{FSI}تعاونية الأمل{PDI}" in text
    assert "<bdi" not in text
    assert f'<bdi dir="ltr">{idea.receipt_code}</bdi>' in html
    assert '<bdi dir="auto">تعاونية الأمل</bdi>' in html


def test_certificate_isolates_names_code_and_dates_with_unicode_isolates(app):
    from flask import render_template

    from jobs.outbox import external_url
    from judging.models import Certificate
    from judging.states import CertificateKind

    event = make_event()
    idea = make_idea(event, title="تعاونية الأمل")
    certificate = Certificate(idea=idea, event=event, code="CERT-1234", kind=CertificateKind.WINNER)
    with app.test_request_context("/"), force_locale("ar"):
        html = render_template(
            "judging/certificate.html",
            certificate=certificate,
            idea=idea,
            event=event,
            lang="ar",
            external_url=external_url,
            bidi_characters=True,  # as judging.certificates.certificate_pdf renders it
        )
    assert f"{LRI}CERT-1234{PDI}" in html  # WeasyPrint ignores <bdi>; Pango honours isolates
    assert f"{FSI}تعاونية الأمل{PDI}" in html
    assert f"{FSI}Fatima Zahra{PDI}" in html
    assert "<bdi dir=" not in html  # (a name falling back is marked by |marked, not isolated here)
