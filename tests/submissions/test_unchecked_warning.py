"""Ideas whose eligibility nobody has checked yet ("not yet checked") reach the jury as they are:
the organiser is warned beside "start judging" and beside "assign ideas to judges"."""

import html
import re

from competitions.states import EventState
from extensions import db
from submissions.states import Eligibility
from tests.builders import add_jury, make_event, make_idea, make_user


def _warning(page: str, element_id: str) -> str:
    match = re.search(
        rf'<div class="alert alert-warning warning-notice" id="{element_id}".*?</div>', page, re.S
    )
    return html.unescape(match.group(0)) if match else ""


def test_opening_judging_warns_of_ideas_not_yet_checked(client, login):
    event = make_event(state=EventState.OPEN)
    unchecked = make_idea(event, eligibility=Eligibility.PENDING, title="Miel du Rif")
    make_idea(event, eligibility=Eligibility.ELIGIBLE, title="Argan bleu")
    make_idea(event, eligibility=Eligibility.PENDING, is_calibration=True, title="Étalon")
    make_idea(event, eligibility=Eligibility.PENDING, duplicate_of_id=unchecked.id, title="Copie")
    db.session.commit()
    login(make_user())
    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    warning = _warning(page, "notice-judging-1")
    assert "1 idée est encore « Pas encore vérifiée »" in warning, warning
    assert f"{unchecked.receipt_code} Miel du Rif" in warning
    assert "Argan bleu" not in warning and "Étalon" not in warning and "Copie" not in warning
    assert f"/tour/events/{event.slug}/ideas?eligibility=pending" in warning
    assert 'aria-describedby="notices-judging"' in page

    unchecked.eligibility = Eligibility.ELIGIBLE
    db.session.commit()
    page = client.get(f"/tour/events/{event.slug}?lang=ar").get_data(as_text=True)
    assert "warning-notice" not in page


def test_assigning_ideas_warns_of_ideas_not_yet_checked_in_arabic(client, login):
    event = make_event(state=EventState.JUDGING)
    add_jury(event, make_user("jury"))
    ideas = [make_idea(event, eligibility=Eligibility.PENDING) for _ in range(12)]
    db.session.commit()
    login(make_user())
    page = client.get(f"/judging/{event.slug}/progress?lang=ar").get_data(as_text=True)
    warning = _warning(page, "unchecked-ideas")
    assert "12" in warning and "لم يتم التحقق منها" in warning, warning
    assert ideas[9].receipt_code in warning and ideas[10].receipt_code not in warning
    assert "و2 أخرى" in warning
    for idea in ideas:
        idea.eligibility = Eligibility.ELIGIBLE
    db.session.commit()
    page = client.get(f"/judging/{event.slug}/progress").get_data(as_text=True)
    assert "unchecked-ideas" not in page
