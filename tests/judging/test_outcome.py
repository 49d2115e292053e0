"""Every participant hears the outcome: results e-mails, the receipt look-up, certificates."""

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from competitions import services as tour
from extensions import db
from jobs.models import OutboxEmail
from judging import deliberation as delib
from judging import outcome, services
from judging.models import Certificate
from judging.services import save_comment
from tests.builders import make_user

from .conftest import build_judging, fill, set_state, sheet_of


def published_event(*, share_ranks=False, share_feedback=False, calibration=False):
    """Three ideas scored 5 / 4 / 3 by two judges with comments, published with 1 winner.
    Idea 0 writes in Arabic, idea 1 in French, idea 2 has no e-mail address."""
    event, ideas, judges = build_judging(
        n_ideas=4 if calibration else 3,
        n_judges=2,
        winners_count=1,
        share_ranks=share_ranks,
        share_feedback=share_feedback,
    )
    ideas[0].lead_email, ideas[0].locale = "amina@example.ma", "ar"
    ideas[1].lead_email, ideas[1].locale = "Karim@Example.ma", "fr"
    ideas[1].lead_phone = "+212698765432"
    if calibration:
        ideas[3].lead_email = "calibration@example.ma"
        services.set_calibration(event, ideas[3])
    db.session.commit()
    for idea, mark in zip(ideas[:3], (5, 4, 3), strict=True):
        for n, judge in enumerate(judges):
            sheet = sheet_of(idea, judge)
            save_comment(sheet, f"Avis {n + 1} sur {idea.receipt_code}", judge)
            fill(sheet, mark)
    if calibration:
        for judge in judges:
            fill(sheet_of(ideas[3], judge), 4)
    set_state(event, "deliberation")
    delib.validate_minutes(event, judges[0])
    tour.transition(event, "published", make_user("organiser"))
    db.session.commit()
    return event, ideas, judges


def results_emails():
    query = select(OutboxEmail).where(OutboxEmail.kind == "results").order_by(OutboxEmail.id)
    return list(db.session.scalars(query))


def test_publishing_queues_one_email_per_idea_with_an_address_once(app):
    event, ideas, judges = published_event()
    delib.on_state_changed(event, "deliberation", "published")  # the handler runs again
    db.session.commit()
    with pytest.raises(tour.TransitionError):  # publishing again is refused…
        tour.transition(event, "published", make_user("organiser"))
    db.session.rollback()
    assert outcome.announce_results(event) == 2  # …and announcing again adds nothing
    db.session.commit()
    emails = results_emails()
    assert [(e.recipient, e.locale) for e in emails] == [
        ("amina@example.ma", "ar"),
        ("karim@example.ma", "fr"),
    ]
    assert {e.dedupe_key for e in emails} == {
        f"results:{event.id}:{ideas[0].id}:v1",
        f"results:{event.id}:{ideas[1].id}:v1",
    }
    assert db.session.scalar(select(func.count(Certificate.id))) == 3


def test_results_email_says_won_or_not_in_the_teams_language(app):
    published_event()
    arabic, french = results_emails()
    assert "تهانينا" in arabic.subject + arabic.body_text
    assert "Résultats de l" in french.subject
    assert "ne fait pas partie des lauréates" in french.body_text
    assert "/certificate/" in arabic.body_text and arabic.body_text.rstrip().endswith("/receipt")


def test_results_email_hides_rank_and_comments_unless_the_event_shares_them(app):
    published_event()
    for email in results_emails():
        assert "Rang de votre idée" not in email.body_text
        assert "Avis 1" not in email.body_text and "Avis 1" not in email.body_html


def test_results_email_carries_rank_and_anonymous_comments_when_shared(app):
    event, ideas, judges = published_event(share_ranks=True, share_feedback=True)
    arabic, french = results_emails()
    assert "Rang de votre idée : 2" in french.body_text
    assert f"Avis 1 sur {ideas[1].receipt_code}" in french.body_text
    assert f"Avis 2 sur {ideas[1].receipt_code}" in french.body_html
    assert f"Avis 1 sur {ideas[0].receipt_code}" in arabic.body_text
    for judge in judges:
        assert judge.name not in french.body_text and judge.email not in french.body_text


def test_calibration_idea_gets_no_email_and_no_certificate(app):
    event, ideas, judges = published_event(calibration=True)
    assert "calibration@example.ma" not in {e.recipient for e in results_emails()}
    assert not db.session.scalar(select(Certificate).where(Certificate.idea_id == ideas[3].id))


# --- The receipt look-up -----------------------------------------------------------------------


def lookup(client, code, phone):
    return client.post("/receipt", data={"code": code, "phone": phone})


def test_receipt_lookup_shows_the_outcome_per_the_events_settings(app, client):
    event, ideas, judges = published_event(share_ranks=True, share_feedback=True)
    page = lookup(client, ideas[1].receipt_code, "0698765432").get_data(as_text=True)
    assert 'data-winner="no"' in page and "ne fait pas partie des lauréates" in page
    assert "Rang de votre idée : 2" in page
    assert f"Avis 2 sur {ideas[1].receipt_code}" in page
    code = db.session.scalar(select(Certificate.code).where(Certificate.idea_id == ideas[1].id))
    assert f"/certificate/{code}/ar.pdf" in page and f"/certificate/{code}/fr.pdf" in page
    winner = lookup(client, ideas[0].receipt_code, "0612345678").get_data(as_text=True)
    assert 'data-winner="yes"' in winner and "Félicitations" in winner


def test_receipt_lookup_without_shared_rank_or_feedback_shows_won_or_not_only(app, client):
    event, ideas, judges = published_event()
    page = lookup(client, ideas[1].receipt_code, "0698765432").get_data(as_text=True)
    assert 'data-winner="no"' in page
    assert 'id="idea-rank"' not in page and 'id="idea-comments"' not in page
    assert "consultez votre e-mail" not in page


def test_receipt_lookup_before_publication_shows_no_outcome(app, client):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    page = lookup(client, ideas[0].receipt_code, "0612345678").get_data(as_text=True)
    assert 'id="idea-outcome"' not in page and "/certificate/" not in page


def test_wrong_phone_or_throttled_lookup_reveals_no_certificate(app, client):
    event, ideas, judges = published_event()
    app.config["RECEIPT_LOOKUP_MAX_FAILURES"] = 2
    for _ in range(2):
        wrong = lookup(client, ideas[1].receipt_code, "0612345678")  # another idea's phone
        assert wrong.status_code == 404 and "/certificate/" not in wrong.get_data(as_text=True)
    throttled = lookup(client, ideas[1].receipt_code, "0698765432")
    assert throttled.status_code == 429 and "/certificate/" not in throttled.get_data(as_text=True)


# --- Certificates -------------------------------------------------------------------------------


def certificate_of(idea) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.idea_id == idea.id))


def test_certificate_codes_are_unguessable_and_typed_back_loosely(app):
    codes = {outcome.new_certificate_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(r"([2-9A-Z]{4}-){3}[2-9A-Z]{4}", code) for code in codes)
    assert outcome.normalise_certificate_code(" abcd efgh-jkmn pqrt ") == "ABCD-EFGH-JKMN-PQRT"


def test_certificate_check_confirms_a_known_code(app, client):
    event, ideas, judges = published_event()
    winner, other = certificate_of(ideas[0]), certificate_of(ideas[1])
    assert winner.kind == "winner" and other.kind == "participant"
    page = client.get(f"/certificate/{winner.code.lower()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="certificate-valid"' in text
    assert ideas[0].title in text and "Lauréat" in text and event.city in text
    assert "Participant" in client.get(f"/certificate/{other.code}").get_data(as_text=True)


def test_certificate_check_says_clearly_when_a_code_is_unknown(app, client):
    published_event()
    page = client.get("/certificate/AAAA-BBBB-CCCC-DDDD")
    assert page.status_code == 404
    assert "Aucune attestation ne porte le code AAAA-BBBB-CCCC-DDDD" in page.get_data(as_text=True)
    assert client.get("/certificate/AAAA-BBBB-CCCC-DDDD/fr.pdf").status_code == 404


def test_certificates_only_count_once_results_are_public(app, client):
    event, ideas, judges = published_event()
    code = certificate_of(ideas[0]).code
    event.state = "deliberation"  # as if the results were withdrawn
    db.session.commit()
    assert client.get(f"/certificate/{code}").status_code == 404
    assert client.get(f"/certificate/{code}/fr.pdf").status_code == 404


def test_certificate_pdf_in_a_language_not_offered_is_not_found(app, client):
    event, ideas, judges = published_event()
    assert client.get(f"/certificate/{certificate_of(ideas[0]).code}/de.pdf").status_code == 404


def test_participant_certificate_pdf_in_english(app, client):
    """English is the third language (issue 17): the certificate reads in English too."""
    event, ideas, judges = published_event()
    code = certificate_of(ideas[1]).code
    text = pdf_text(client.get(f"/certificate/{code}/en.pdf").data)
    assert "Certificate of participation" in text and "at the Ideathon of" in text
    assert code in text and ideas[1].title in text


def test_organisers_reach_every_certificate_from_the_results_page(app, client, login):
    event, ideas, judges = published_event()
    public = client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    assert "/certificate/" not in public
    login(make_user("organiser"))
    page = client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    for idea in ideas:
        assert f"/certificate/{certificate_of(idea).code}/ar.pdf" in page


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return unicodedata.normalize("NFKC", reader.pages[0].extract_text())


def embedded_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
        names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_winner_certificate_pdf_in_arabic_carries_shaped_arabic_text(app, client):
    event, ideas, judges = published_event()
    code = certificate_of(ideas[0]).code
    response = client.get(f"/certificate/{code}/ar.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"certificate-{code}-ar.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "شهادة تتويج" in text and ideas[0].title in text and code in text
    assert "CertArabic" in embedded_fonts(response.data)


def test_participant_certificate_pdf_in_french(app, client):
    event, ideas, judges = published_event()
    code = certificate_of(ideas[1]).code
    text = pdf_text(client.get(f"/certificate/{code}/fr.pdf").data)
    assert "Attestation de participation" in text and ideas[1].title in text
    assert code in text and "a participé avec l’idée" in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_certificate_pdfs_render_to_images(app, client, tmp_path):
    """The PNGs are what a person looks at (docs/screenshots/ holds two of them)."""
    event, ideas, judges = published_event()
    for idea, lang in ((ideas[0], "ar"), (ideas[1], "fr"), (ideas[1], "en")):
        pdf = tmp_path / f"{lang}.pdf"
        pdf.write_bytes(client.get(f"/certificate/{certificate_of(idea).code}/{lang}.pdf").data)
        subprocess.run(["pdftoppm", "-png", "-r", "30", pdf, tmp_path / lang], check=True)
        assert (tmp_path / f"{lang}-1.png").stat().st_size > 5000


def test_an_amendment_issues_the_certificates_it_calls_for_and_supersedes_the_old(app, client):
    event, ideas, judges = published_event()
    organiser = make_user("organiser")
    old = certificate_of(ideas[0])
    delib.start_amendment(event, "La deuxième idée méritait le prix", organiser)
    delib.choose_winners(event, [ideas[1].id], {ideas[1].id: "Jury unanime"}, organiser)
    delib.validate_minutes(event, judges[0])
    delib.publish_amendment(event, organiser)
    db.session.commit()
    page = client.get(f"/certificate/{old.code}").get_data(as_text=True)
    assert 'id="certificate-superseded"' in page and "elle ne les reflète plus" in page
    assert client.get(f"/certificate/{old.code}/fr.pdf").status_code == 404
    kinds = dict(
        db.session.execute(
            select(Certificate.kind, Certificate.code).where(Certificate.idea_id == ideas[0].id)
        ).all()
    )
    assert set(kinds) == {"winner", "participant"}
    now = client.get(f"/certificate/{kinds['participant']}").get_data(as_text=True)
    assert 'id="certificate-superseded"' not in now
    winner = lookup(client, ideas[1].receipt_code, "0698765432").get_data(as_text=True)
    assert 'data-winner="yes"' in winner
    assert len(results_emails()) == 2  # the amendment's own e-mail tells whom it changed


def test_a_publication_rolled_back_and_retried_leaves_one_email_per_idea(app):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1, winners_count=1, min_judges=1)
    for idea, mark in zip(ideas, (5, 3), strict=True):
        idea.lead_email = f"{idea.receipt_code.lower()}@example.ma"
        fill(sheet_of(idea, judges[0]), mark)
    set_state(event, "deliberation")
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    organiser = make_user("organiser")
    tour.transition(event, "published", organiser)
    db.session.rollback()  # the first attempt failed before its commit
    assert results_emails() == [] and event.state == "deliberation"
    tour.transition(event, "published", organiser)
    db.session.commit()
    assert sorted(e.recipient for e in results_emails()) == sorted(i.lead_email for i in ideas)


def test_an_ineligible_idea_hears_it_was_not_selected_and_gets_a_participant_certificate(
    app, client
):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1, winners_count=1, min_judges=1)
    ideas[1].eligibility, ideas[1].lead_email = "ineligible", "x@example.ma"
    fill(sheet_of(ideas[0], judges[0]), 5)
    set_state(event, "deliberation")
    delib.validate_minutes(event, judges[0])
    tour.transition(event, "published", make_user("organiser"))
    db.session.commit()
    (email,) = results_emails()
    assert "ne fait pas partie des lauréates" in email.body_text
    page = lookup(client, ideas[1].receipt_code, "0612345678").get_data(as_text=True)
    assert 'data-winner="no"' in page
    assert f"/certificate/{certificate_of(ideas[1]).code}/fr.pdf" in page


def test_the_publish_page_announces_as_many_emails_as_leave(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=1, winners_count=1, min_judges=1)
    for n, idea in enumerate(ideas):
        idea.lead_email = f"p{n}@example.ma"
    services.set_calibration(event, ideas[2])  # it has an address, but hears nothing
    db.session.commit()
    for idea, mark in zip(ideas, (5, 3, 4), strict=True):
        fill(sheet_of(idea, judges[0]), mark)
    set_state(event, "deliberation")
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}/state/published").get_data(as_text=True)
    assert "2 e-mails de résultats vont partir" in page
    client.post(f"/tour/events/{event.slug}/state", data={"state": "published", "confirm": "yes"})
    assert sorted(e.recipient for e in results_emails()) == ["p0@example.ma", "p1@example.ma"]
