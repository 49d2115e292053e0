"""Taking a judge off the jury ends their access at once; reprinted jury cards revoke old ones."""

import html
import re

from sqlalchemy import select

from accounts.models import LoginLink, User
from audit.models import AuditEntry
from competitions.models import JuryMember
from extensions import db
from judging import services
from judging.models import Score, ScoreSheet
from tests.builders import PASSWORD, add_jury, make_user

from .conftest import build_judging, fill, sheet_of


def _organiser(app, login):
    organiser_client = app.test_client()
    login(make_user("organiser"), organiser_client)
    return organiser_client


def _remove(organiser_client, event, judge, choice="keep"):
    data = {"submitted": choice} if choice else {}
    return organiser_client.post(f"/tour/events/{event.slug}/jury/{judge.id}/remove", data=data)


def _sign_in(client, user):
    """The sign-in form (a session made now carries the account's current session version)."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _judged_by(event, judge_id) -> int:
    ranking = services.event_ranking(event)
    return sum(1 for j in ranking["judges"] if j["judge_id"] == judge_id)


# --- The removal asks first -----------------------------------------------------------------------


def test_removing_a_judge_asks_first_and_says_what_happens_to_the_sheets(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    fill(sheet_of(ideas[0], judges[1]), 4)
    fill(sheet_of(ideas[1], judges[1]), 3, submit=False)
    login(make_user("organiser"))
    before = db.session.query(AuditEntry).count()
    page = client.get(f"/tour/events/{event.slug}/jury/{judges[1].id}/remove")
    assert page.status_code == 200
    text = _text(page)
    assert 'data-open="2"' in text and 'data-submitted="1"' in text  # 1 draft + 1 to score
    assert "mises de côté" in text and "Annuler" in text
    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", text)
    assert [r.split('value="')[1].split('"')[0] for r in radios] == ["keep", "void"]
    assert not any("checked" in r for r in radios)  # no default: the organiser must choose
    assert "elles comptent toujours" in text and "elles ne comptent plus" in text
    assert db.session.query(AuditEntry).count() == before  # the GET wrote nothing
    assert db.session.query(JuryMember).filter_by(user_id=judges[1].id).count() == 1


def test_the_removal_needs_an_explicit_choice_for_the_submitted_sheets(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    fill(sheet_of(ideas[0], judges[1]), 4)
    login(make_user("organiser"))
    for data in ({}, {"submitted": "delete"}, {"submitted": ""}):
        response = client.post(f"/tour/events/{event.slug}/jury/{judges[1].id}/remove", data=data)
        assert response.status_code == 422
        assert "conserver ou les annuler" in _text(response)
    assert db.session.query(JuryMember).filter_by(user_id=judges[1].id).count() == 1
    assert sheet_of(ideas[0], judges[1]).status == "submitted"


def test_the_event_page_sends_the_remove_button_to_the_confirmation(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    login(make_user("organiser"))
    page = client.get(f"/tour/events/{event.slug}").get_data(as_text=True)
    link = f'href="/tour/events/{event.slug}/jury/{judges[0].id}/remove"'
    assert link in page


def test_a_judge_not_on_the_jury_has_no_removal_page(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    stranger = make_user("jury")
    login(make_user("organiser"))
    assert client.get(f"/tour/events/{event.slug}/jury/{stranger.id}/remove").status_code == 404
    assert client.get(f"/tour/events/{event.slug}/jury/999999/remove").status_code == 404


# --- Sheets after the removal ---------------------------------------------------------------------


def test_a_removed_judge_can_no_longer_score_submit_or_open_a_sheet(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    elsewhere, other_ideas, _ = build_judging(n_ideas=1, n_judges=1)
    add_jury(elsewhere, judges[1])  # still sits on another event: still signed in
    services.assign_event(elsewhere)
    db.session.commit()
    draft = sheet_of(ideas[0], judges[1])
    fill(draft, 3, submit=False)
    criterion = event.rubric.criteria[0]
    login(judges[1])
    assert _remove(_organiser(app, login), event, judges[1]).status_code == 303
    scores = db.session.query(Score).count()

    tap = client.post(
        f"/jury/sheets/{draft.id}/score", json={"criterion": criterion.id, "value": 5}
    )
    assert tap.status_code == 403 and tap.json["ok"] is False
    assert "ne faites plus partie du jury" in tap.json["error"]
    comment = client.post(f"/jury/sheets/{draft.id}/score", json={"comment": "encore"})
    assert comment.status_code == 403
    submit = client.post(f"/jury/sheets/{draft.id}/submit")
    assert submit.status_code == 303 and submit.headers["Location"].endswith("/jury")
    assert "ne faites plus partie du jury" in _text(client.get("/jury"))
    opened = client.get(f"/jury/sheets/{draft.id}")
    assert opened.status_code == 403 and "ne faites plus partie du jury" in _text(opened)
    conflict = client.post(f"/jury/sheets/{draft.id}/conflict", data={"reason": "mon frère"})
    assert conflict.status_code == 303

    db.session.expire_all()
    assert db.session.query(Score).count() == scores
    assert db.session.get(ScoreSheet, draft.id).status == "set_aside"
    assert db.session.get(ScoreSheet, draft.id).comment == ""
    # The other event's sheets are untouched and writable: that session is still valid.
    mine = sheet_of(other_ideas[0], judges[1])
    other_criterion = elsewhere.rubric.criteria[0]
    ok = client.post(
        f"/jury/sheets/{mine.id}/score", json={"criterion": other_criterion.id, "value": 2}
    )
    assert ok.status_code == 200
    listed = _text(client.get("/jury"))
    assert other_ideas[0].receipt_code in listed and ideas[0].receipt_code not in listed


def test_a_removed_judge_who_sits_nowhere_else_is_signed_out_at_once(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    sheet = sheet_of(ideas[0], judges[1])
    login(judges[1])
    assert client.get("/jury").status_code == 200
    assert _remove(_organiser(app, login), event, judges[1]).status_code == 303
    response = client.get("/jury")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    tap = client.post(
        f"/jury/sheets/{sheet.id}/score",
        json={"criterion": event.rubric.criteria[0].id, "value": 3},
    )
    assert tap.status_code in (302, 401) and db.session.query(Score).count() == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry.new["signed_out"] is True
    # A new sign-in with the password works again (the account itself is not disabled).
    _sign_in(client, judges[1])
    assert client.get("/jury").status_code == 200


def test_kept_submitted_sheets_count_and_drafts_are_set_aside(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=3)
    leaving = judges[2]
    for idea in ideas[:2]:
        for judge in judges:
            fill(sheet_of(idea, judge), 4)
    fill(sheet_of(ideas[2], leaving), 2, submit=False)
    assert _judged_by(event, leaving.id) == 1
    assert _remove(_organiser(app, login), event, leaving, "keep").status_code == 303

    db.session.expire_all()
    statuses = {idea.id: sheet_of(idea, leaving).status for idea in ideas}
    assert statuses == {
        ideas[0].id: "submitted",
        ideas[1].id: "submitted",
        ideas[2].id: "set_aside",
    }
    assert _judged_by(event, leaving.id) == 1  # the kept sheets still count
    ranked = {r["idea_id"]: r["judges"] for r in services.event_ranking(event)["ideas"]}
    assert ranked[ideas[0].id] == 3 and ranked[ideas[2].id] == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry.entity == "jury" and entry.entity_id == leaving.id
    assert entry.new["submitted"] == "keep"
    assert entry.new["kept"] == sorted(sheet_of(i, leaving).id for i in ideas[:2])
    assert entry.new["set_aside"] == [sheet_of(ideas[2], leaving).id]
    assert entry.new["voided"] == []


def test_voided_sheets_never_count_in_the_ranking(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=3)
    for idea in ideas:
        for judge in judges:
            fill(sheet_of(idea, judge), 5 if judge is judges[2] else 2)
    before = {r["idea_id"]: r["raw"] for r in services.event_ranking(event)["ideas"]}
    assert _remove(_organiser(app, login), event, judges[2], "void").status_code == 303

    db.session.expire_all()
    assert {sheet_of(i, judges[2]).status for i in ideas} == {"void"}
    after = services.event_ranking(event)
    assert _judged_by(event, judges[2].id) == 0
    assert all(r["judges"] == 2 for r in after["ideas"])
    assert all(r["raw"] < before[r["idea_id"]] for r in after["ideas"])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry.new["submitted"] == "void" and len(entry.new["voided"]) == 2


def test_the_progress_page_shows_removed_judges_and_their_sheets(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    fill(sheet_of(ideas[0], judges[1]), 4)
    fill(sheet_of(ideas[1], judges[1]), 4)
    organiser_client = _organiser(app, login)
    assert _remove(organiser_client, event, judges[1], "void").status_code == 303
    page = _text(organiser_client.get(f"/judging/{event.slug}/progress"))
    assert "Membres du jury retirés" in page and judges[1].name in page
    row = page.split(f'data-judge="{judges[1].id}" data-kept')[1].split("</tr>")[0]
    assert '="0" data-voided="2" data-set-aside="1"' in row
    assert "Annulées par l&#39;organisateur" in row or "Annulées par l'organisateur" in row
    # The matrix no longer has their column, and the dashboard figure ignores their sheets.
    assert f'<th scope="col" data-judge="{judges[1].id}"' not in page
    assert services.judging_progress([event.id])[event.id]["judging_progress"] == 0


def test_a_kept_sheet_of_a_removed_judge_cannot_be_reopened(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    sheet = sheet_of(ideas[0], judges[1])
    fill(sheet, 4)
    organiser_client = _organiser(app, login)
    assert _remove(organiser_client, event, judges[1], "keep").status_code == 303
    response = organiser_client.post(f"/judging/sheets/{sheet.id}/reopen", follow_redirects=True)
    assert "ne fait plus partie du jury : elle ne peut pas être rouverte" in _text(response)
    db.session.expire_all()
    assert db.session.get(ScoreSheet, sheet.id).status == "submitted"


def test_a_judge_put_back_on_the_jury_gets_the_set_aside_sheets_back(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    fill(sheet_of(ideas[0], judges[1]), 4)
    fill(sheet_of(ideas[1], judges[1]), 4, submit=False)
    organiser_client = _organiser(app, login)
    assert _remove(organiser_client, event, judges[1], "void").status_code == 303
    added = organiser_client.post(
        f"/tour/events/{event.slug}/jury", data={"email": judges[1].email, "panel": "1"}
    )
    assert added.status_code == 303
    db.session.expire_all()
    assert [sheet_of(i, judges[1]).status for i in ideas] == ["void", "draft", "assigned"]
    _sign_in(client, judges[1])
    listed = _text(client.get("/jury"))
    assert ideas[1].receipt_code in listed and ideas[0].receipt_code not in listed
    void = sheet_of(ideas[0], judges[1])
    tap = client.post(
        f"/jury/sheets/{void.id}/score", json={"criterion": event.rubric.criteria[0].id, "value": 1}
    )
    assert tap.status_code == 403


def test_split_panels_give_a_removed_judges_ideas_to_another_judge(app, client, login):
    event, ideas, judges = build_judging(
        n_ideas=2, n_judges=3, split_panels=True, judges_per_idea=2
    )
    leaving = db.session.scalars(
        select(ScoreSheet.judge_id).where(ScoreSheet.idea_id == ideas[0].id)
    ).first()
    assert _remove(_organiser(app, login), event, db.session.get(User, leaving)).status_code == 303
    services.assign_event(event)
    db.session.commit()
    active = db.session.scalars(
        select(ScoreSheet.judge_id).where(
            ScoreSheet.idea_id == ideas[0].id, ScoreSheet.status != "set_aside"
        )
    ).all()
    assert len(active) == 2 and leaving not in active


# --- Jury cards -----------------------------------------------------------------------------------


def _card_links(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [part.split("<")[0].split('"')[0].strip() for part in page.split("/login/link/")[1:]]


def test_reprinting_the_cards_revokes_every_earlier_card(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    organiser_client = _organiser(app, login)
    first = organiser_client.post(f"/tour/events/{event.slug}/jury/cards")
    old = _card_links(first)
    assert first.status_code == 200 and len(set(old)) == 2
    second = organiser_client.post(f"/tour/events/{event.slug}/jury/cards")
    new = _card_links(second)
    assert set(new).isdisjoint(old)
    for token in set(old):
        shown = app.test_client().get(f"/login/link/{token}")
        assert shown.status_code == 410 and "remplacée par une plus récente" in _text(shown)
        used = app.test_client().post(f"/login/link/{token}")
        assert used.status_code == 410 and "remplacée" in _text(used)
    assert db.session.query(LoginLink).filter_by(revoked_reason="replaced").count() == 2
    fresh = app.test_client()
    assert fresh.post(f"/login/link/{new[0]}").status_code == 303  # the newest card signs in
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "cards").order_by(AuditEntry.id)
    ).all()
    assert [e.new["revoked"] for e in entries] == [0, 2]


def test_reprinting_one_events_cards_leaves_another_events_cards_alone(app, client, login):
    event, _, judges = build_judging(n_ideas=1, n_judges=1)
    other, _, _ = build_judging(n_ideas=1, n_judges=1)
    add_jury(other, judges[0])
    organiser_client = _organiser(app, login)
    other_links = set(_card_links(organiser_client.post(f"/tour/events/{other.slug}/jury/cards")))
    organiser_client.post(f"/tour/events/{event.slug}/jury/cards")
    token = next(iter(other_links))
    assert app.test_client().get(f"/login/link/{token}").status_code == 200


def test_a_removed_judges_card_no_longer_signs_in(app, client, login):
    event, _, judges = build_judging(n_ideas=1, n_judges=2)
    organiser_client = _organiser(app, login)
    links = set(_card_links(organiser_client.post(f"/tour/events/{event.slug}/jury/cards")))
    assert _remove(organiser_client, event, judges[1]).status_code == 303
    mine = db.session.scalars(select(LoginLink).where(LoginLink.user_id == judges[1].id)).all()
    assert [link.revoked_reason for link in mine] == ["removed"]
    refused = [t for t in links if app.test_client().post(f"/login/link/{t}").status_code == 410]
    assert len(refused) == 1
    shown = _text(app.test_client().get(f"/login/link/{refused[0]}"))
    assert "ne fait plus partie du jury" in shown
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry.new["cards_revoked"] == 1


def test_the_confirmation_counts_open_and_submitted_sheets_only(app, client, login):
    event, ideas, judges = build_judging(n_ideas=3, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 4)
    fill(sheet_of(ideas[1], judges[0]), 4, submit=False)
    assert services.judge_sheet_counts(event, judges[0]) == {"open": 2, "submitted": 1}
    other, _, _ = build_judging(n_ideas=2, n_judges=1)
    add_jury(other, judges[0])
    services.assign_event(other)
    db.session.commit()
    assert services.judge_sheet_counts(event, judges[0]) == {"open": 2, "submitted": 1}


def test_the_confirmation_and_the_removed_judges_read_in_arabic(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2)
    fill(sheet_of(ideas[0], judges[1]), 4)
    login(make_user("organiser"))
    page = _text(client.get(f"/tour/events/{event.slug}/jury/{judges[1].id}/remove?lang=ar"))
    assert 'dir="rtl"' in page and f"سحب {judges[1].name} من لجنة التحكيم" in page
    assert "الاحتفاظ بأوراقه المقدَّمة" in page and "إلغاء أوراقه المقدَّمة" in page
    client.post(f"/tour/events/{event.slug}/jury/{judges[1].id}/remove", data={"submitted": "void"})
    page = _text(client.get(f"/judging/{event.slug}/progress?lang=ar"))
    assert "أعضاء التحكيم المسحوبون" in page and "ألغاها المنظم" in page


def test_closing_judging_does_not_wait_for_a_removed_judges_sheets(app, client, login):
    from judging.steps import missing_sheets

    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    for idea in ideas:
        fill(sheet_of(idea, judges[0]), 4)
    fill(sheet_of(ideas[0], judges[1]), 4)
    assert missing_sheets(event)["percent"] == 75
    assert _remove(_organiser(app, login), event, judges[1], "keep").status_code == 303
    missing = missing_sheets(event)
    assert missing["by_judge"] == [] and (missing["done"], missing["total"]) == (3, 3)
