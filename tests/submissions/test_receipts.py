"""Receipts: shown only to the browser that sent the idea; the look-up by code and phone tells
the state of one's own idea and nothing else, with the same answer for any mistake."""

import html

from sqlalchemy import func, select

from extensions import db
from submissions.models import ReceiptLookupFailure
from submissions.receipts import ALPHABET, new_receipt_code
from tests.builders import make_event, make_idea
from tests.submissions.conftest import form_data


def test_receipt_page_is_not_shown_to_someone_guessing_codes(app, client):
    event = make_event()
    idea = make_idea(event, title="Projet secret de Fatima", receipt_code="OUJ-7K3D")
    response = app.test_client().get(f"/e/{event.slug}/receipt/OUJ-7K3D")
    assert response.status_code == 302
    assert "Projet secret" not in response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/receipt?code=OUJ-7K3D")
    assert idea.id


def test_receipt_page_shows_code_and_title_to_the_sender(client):
    event = make_event()
    response = client.post(f"/e/{event.slug}/submit", data=form_data(title="Mon idée"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="receipt-code' in page and "Mon idée" in page
    assert "612345678" not in page  # not even the sender's phone


def lookup(client, code, phone, address="41.250.1.1"):
    return client.post(
        "/receipt", data={"code": code, "phone": phone}, environ_base={"REMOTE_ADDR": address}
    )


def test_right_code_and_phone_show_the_state_only(client):
    event = make_event()
    make_idea(
        event,
        receipt_code="OUJ-7K3D",
        eligibility="pending",
        lead_name="Fatima Zahra",
        title="Titre privé",
    )
    response = lookup(client, "ouj 7k3d", "06 12 34 56 78")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reçue" in page and "OUJ-7K3D" in page
    assert "Fatima" not in page and "Titre privé" not in page


def test_state_follows_triage_and_the_event(client):
    event = make_event()
    idea = make_idea(event, receipt_code="OUJ-7K3D", eligibility="eligible")
    assert "sera présentée au jury" in lookup(client, "OUJ-7K3D", "0612345678").get_data(
        as_text=True
    )
    event.state = "judging"
    db.session.commit()
    page = html.unescape(lookup(client, "OUJ-7K3D", "0612345678").get_data(as_text=True))
    assert "En cours d'évaluation par le jury." in page
    idea.eligibility, idea.ineligible_reason = "ineligible", "Hors thème"
    db.session.commit()
    page = lookup(client, "OUJ-7K3D", "0612345678").get_data(as_text=True)
    assert "Non retenue" in page and "Hors thème" not in page


def test_wrong_phone_and_unknown_code_get_the_same_answer(client):
    event = make_event()
    make_idea(event, receipt_code="OUJ-7K3D", title="Titre privé")
    wrong_phone = lookup(client, "OUJ-7K3D", "0699999999")
    unknown_code = lookup(client, "OUJ-ZZZZ", "0612345678")
    bad_phone = lookup(client, "OUJ-7K3D", "not a phone")

    def body(response):
        text = response.get_data(as_text=True)
        return text.split('id="lookup-not-found"')[1].split("</div>")[0]

    assert wrong_phone.status_code == unknown_code.status_code == bad_phone.status_code == 404
    assert body(wrong_phone) == body(unknown_code) == body(bad_phone)
    assert "Aucune idée ne correspond" in body(wrong_phone)
    for response in (wrong_phone, unknown_code, bad_phone):
        assert "Titre privé" not in response.get_data(as_text=True)


def test_lookups_are_throttled_per_code_and_address_even_with_the_right_phone_afterwards(client):
    event = make_event()
    make_idea(event, receipt_code="OUJ-7K3D")
    for n in range(5):
        assert lookup(client, "OUJ-7K3D", f"06000000{n:02d}").status_code == 404
    throttled = lookup(client, "OUJ-7K3D", "0612345678")
    assert throttled.status_code == 429
    assert "Trop de tentatives" in throttled.get_data(as_text=True)
    # Another participant's code, from the same hall, is not blocked.
    make_idea(event, receipt_code="OUJ-9W4X")
    assert lookup(client, "OUJ-9W4X", "0612345678").status_code == 200
    assert db.session.scalar(select(func.count(ReceiptLookupFailure.id))) == 5


def test_strangers_failing_on_a_code_never_lock_its_owner_out(client):
    """5 wrong phones from each of several addresses used to lock the code for everyone."""
    event = make_event()
    make_idea(event, receipt_code="OUJ-7K3D")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        for n in range(5):
            assert lookup(client, "OUJ-7K3D", f"06000000{n:02d}", address).status_code == 404
        assert lookup(client, "OUJ-7K3D", "0612345678", address).status_code == 429
    assert lookup(client, "OUJ-7K3D", "0612345678", "196.200.1.1").status_code == 200


def test_a_code_has_a_far_higher_ceiling_from_everywhere(client):
    event = make_event()
    make_idea(event, receipt_code="OUJ-7K3D")
    db.session.add_all(
        ReceiptLookupFailure(code="OUJ-7K3D", address=f"10.1.0.{n}") for n in range(100)
    )
    db.session.commit()
    throttled = lookup(client, "OUJ-7K3D", "0612345678", "196.200.1.1")
    assert throttled.status_code == 429
    assert "depuis de nombreux appareils" in throttled.get_data(as_text=True)


def test_lookup_page_prefills_the_code(client):
    page = client.get("/receipt?code=OUJ-7K3D").get_data(as_text=True)
    assert 'value="OUJ-7K3D"' in page


def test_receipt_codes_use_every_unambiguous_character_in_every_place():
    """The city's three letters, a hyphen, four characters drawn from the unambiguous alphabet;
    over many draws every character turns up in every place (a draw that fed only some digits
    of the number, or reused one character, would leave gaps and make collisions likelier)."""
    codes = [new_receipt_code("Laâyoune") for _ in range(3000)]
    assert all(len(code) == 8 and code.startswith("LAA-") for code in codes)
    for place in range(4, 8):
        assert {code[place] for code in codes} == set(ALPHABET)
    assert len(set(codes)) > 2900  # 390,625 possible codes
