"""Long lists come a page at a time, and a page keeps what the reader asked: its filters in
the links, the winners chosen elsewhere in the deliberation's form, the next page in the API."""

import re

from competitions.states import EventState
from extensions import db
from judging import results as official
from judging.models import Conflict, WinnerChoice
from paging import page_number
from tests.builders import make_event, make_idea, make_user
from tests.judging.conftest import build_judging
from tests.test_page_budgets import build_event


def test_a_page_number_is_read_forgivingly():
    assert [page_number(x) for x in ("2", "0", "-3", "x", None, "9" * 30)] == [
        2, 1, 1, 1, 1, 1_000_000,
    ]  # fmt: skip


def test_triage_pages_keep_the_search_in_their_links(app, client, login):
    event = make_event()
    ideas = [make_idea(event, title=f"Couscous {n}") for n in range(55)]
    login(make_user("organiser"))
    first = client.get(f"/tour/events/{event.slug}/ideas?q=couscous").get_data(as_text=True)
    assert ideas[-1].receipt_code in first and ideas[0].receipt_code not in first
    assert "?q=couscous&amp;page=2" in first
    second = client.get(f"/tour/events/{event.slug}/ideas?q=couscous&page=2")
    assert ideas[0].receipt_code in second.get_data(as_text=True)


def test_the_deliberation_keeps_winners_chosen_on_another_page(app, client, login):
    event, _judges = build_event(60)
    organiser = make_user("organiser")
    rows = official.provisional_results(event).ranked_rows
    far = rows[55]
    db.session.add(
        WinnerChoice(event_id=event.id, idea_id=far.idea_id, override_reason="Coup de cœur")
    )
    db.session.commit()
    login(organiser)
    page = client.get(f"/judging/{event.slug}/deliberation").get_data(as_text=True)
    assert f'<input type="hidden" name="winner" value="{far.idea_id}">' in page
    assert f'name="reason_{far.idea_id}" value="Coup de cœur"' in page
    second = client.get(f"/judging/{event.slug}/deliberation?page=2").get_data(as_text=True)
    assert f'type="checkbox" name="winner" value="{far.idea_id}"' in second


def test_the_ranking_api_comes_in_pages_with_the_next_address(app, client, login):
    event, _judges = build_event(250)
    login(make_user("organiser"))
    first = client.get(f"/api/events/{event.slug}/ranking").json
    assert (first["page"], first["pages"], first["total"]) == (1, 2, 250)
    assert len(first["ideas"]) == 200 and first["next"].endswith("page=2")
    second = client.get(first["next"]).json
    assert len(second["ideas"]) == 50 and second["next"] is None
    assert {i["receipt_code"] for i in first["ideas"]}.isdisjoint(
        i["receipt_code"] for i in second["ideas"]
    )


def test_a_judge_reads_their_sheets_a_page_at_a_time_with_the_whole_count(app, client, login):
    event, judges = build_event(60)
    login(judges[0])
    page = client.get("/jury").get_data(as_text=True)
    assert len(re.findall(r'data-sheet="\d+"', page)) == 50
    assert "60 sur 60" in page and "page=2" in page
    assert (
        len(re.findall(r'data-sheet="\d+"', client.get("/jury?page=2").get_data(as_text=True)))
        == 10
    )


def test_an_organiser_records_a_conflict_by_receipt_code(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, state=EventState.OPEN)
    login(make_user("organiser"))
    client.post(
        f"/judging/{event.slug}/conflicts",
        data={
            "judge_id": judges[0].id,
            "idea_id": ideas[0].receipt_code.lower(),
            "reason": "Voisin",
        },
    )
    assert db.session.query(Conflict).filter_by(idea_id=ideas[0].id).count() == 1
