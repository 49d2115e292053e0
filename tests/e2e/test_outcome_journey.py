"""A participant hears the outcome: the receipt look-up on a phone, then the certificate."""

import pytest

from tests.e2e.conftest import no_horizontal_overflow


def _published(live):
    from extensions import db
    from judging.models import Certificate
    from tests.judging.test_outcome import published_event

    def build():
        event, ideas, judges = published_event(share_ranks=True, share_feedback=True)
        winner = ideas[0]
        code = db.session.query(Certificate.code).filter_by(idea_id=winner.id).scalar()
        return winner.receipt_code, code

    return live.run(build)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_participant_looks_up_the_outcome_and_downloads_the_certificate(live, new_page, shot, lang):
    receipt, certificate = _published(live)
    page = new_page("phone", lang)
    page.goto(f"/receipt?lang={lang}")
    page.fill("#code", receipt)
    page.fill("#phone", "06 12 34 56 78")
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector("#idea-outcome")
    assert page.get_attribute("#idea-outcome", "data-winner") == "yes"
    assert page.inner_text("#idea-rank").strip().endswith("1")
    assert no_horizontal_overflow(page), "the outcome scrolls sideways on a phone"
    shot(page, "outcome")
    with page.expect_download() as download:
        page.click(f"#certificate-links a[lang={lang}]")
    assert download.value.suggested_filename == f"certificate-{certificate}-{lang}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.goto(f"/certificate/{certificate}")
    assert page.locator("#certificate-valid").is_visible()
