"""One event from validation to an amendment: every change refused while the results are
official, and the results page, the minutes, the ranking API, the workbook, the bank and the
receipt look-up agreeing with each other at every step; earlier versions stay readable."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from bank.models import BankProject
from bank.services import promote_winners
from competitions import services as tour
from extensions import db
from judging import deliberation as delib
from judging import paper, results
from submissions import services as triage
from tests.builders import make_user

from .conftest import forget_request_state
from .test_official_results import (
    LOCKED_PUBLISHED,
    LOCKED_VALIDATED,
    assert_all_refused,
    scored_event,
    try_every_change,
)

PHONE = "+212612345678"


def _ids(html: str, container: str) -> set[int]:
    """The data-idea ids inside the first element whose class attribute holds `container`."""
    match = re.search(rf'class="[^"]*{container}[^"]*">(.*?)</ol>', html, re.S)
    return {int(i) for i in re.findall(r'data-idea="(\d+)"', match.group(1))} if match else set()


def readers(client, login, event, ideas) -> dict:
    """What each reader says the winners are (idea ids); None where it shows no results."""
    forget_request_state()
    seen = {}
    page = client.get(f"/e/{event.slug}/results")
    seen["results page"] = _ids(page.get_data(as_text=True), "results-winners") or None
    api = client.get(f"/api/events/{event.slug}/ranking")
    codes = {i.receipt_code: i.id for i in ideas}
    seen["api"] = (
        {codes[row["receipt_code"]] for row in api.json["ideas"] if row["is_winner"]}
        if api.status_code == 200
        else None
    )
    outcomes = [results.idea_outcome(i.id) for i in ideas]
    seen["receipt look-up"] = (
        {o.row.idea_id for o in outcomes if o and o.row.is_winner} if any(outcomes) else None
    )
    states = set()
    for idea in ideas:
        answer = client.post("/receipt", data={"code": idea.receipt_code, "phone": PHONE})
        states |= set(re.findall(r'data-state="(\w+)"', answer.get_data(as_text=True)))
    seen["receipt states"] = states
    login(make_user("organiser"))
    minutes = client.get(f"/judging/{event.slug}/minutes").get_data(as_text=True)
    seen["minutes"] = _ids(minutes, "winners")
    workbook = client.get(f"/tour/events/{event.slug}/rankings.xlsx")
    ws = load_workbook(io.BytesIO(workbook.data))[event.city]
    header = {cell.value: cell.column - 1 for cell in ws[1]}
    seen["workbook"] = {
        codes[row[header["Code de reçu"]]]
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[header["Lauréat"]] == "Oui"
    }
    seen["workbook order"] = [
        row[header["Rang"]] for row in ws.iter_rows(min_row=2, values_only=True)
    ]
    projects = db.session.scalars(select(BankProject).where(BankProject.is_winner)).all()
    seen["bank"] = {p.idea_id for p in projects} or None
    forget_request_state()
    return seen


def ranks_in_order(ranks) -> bool:
    ranked = [r for r in ranks if r is not None]
    return ranked == sorted(ranked) and ranks[: len(ranked)] == ranked


def test_official_results_hold_from_validation_to_amendment(app, client, login, tmp_path):
    event, ideas, judges = scored_event()
    for idea in ideas:
        idea.lead_email = f"lead{idea.id}@example.ma"
    db.session.commit()
    organiser = make_user("organiser")
    first, second, third = (i.id for i in ideas)
    sheet_bytes = paper.write_score_sheet(event, tmp_path / "s.xlsx").read_bytes()

    # Validated: frozen, not public; the minutes hold the validated version.
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    seen = readers(client, login, event, ideas)
    assert seen["results page"] is None and seen["api"] is None
    assert seen["receipt look-up"] is None and seen["receipt states"] == {"under_review"}
    assert seen["minutes"] == seen["workbook"] == {first}
    assert_all_refused(
        try_every_change(client, login, event, ideas, judges, sheet_bytes), LOCKED_VALIDATED
    )

    # Reopened with a reason: the validation is void; the deliberation changes the winner.
    delib.reopen_deliberation(event, "Le président a voté pour une idée en conflit", organiser)
    delib.choose_winners(event, [second], {second: "Ex aequo de cœur du jury"}, organiser)
    delib.validate_minutes(event, judges[0])
    tour.transition(event, "published", organiser)
    promote_winners(event, organiser)
    db.session.commit()
    seen = readers(client, login, event, ideas)
    assert results.results_in_force(event).number == 2
    for reader in ("results page", "api", "receipt look-up", "minutes", "workbook", "bank"):
        assert seen[reader] == {second}, reader
    assert seen["receipt states"] == {"results"} and ranks_in_order(seen["workbook order"])
    assert_all_refused(
        try_every_change(client, login, event, ideas, judges, sheet_bytes), LOCKED_PUBLISHED
    )

    # An amendment: inputs change, the published version stays in force meanwhile.
    delib.start_amendment(event, "La deuxième idée était un doublon de la première", organiser)
    triage.mark_duplicate(ideas[1], ideas[0].receipt_code, organiser)
    delib.choose_winners(event, [first], {}, organiser)
    db.session.commit()
    seen = readers(client, login, event, ideas)
    for reader in ("results page", "api", "receipt look-up", "minutes", "workbook", "bank"):
        assert seen[reader] == {second}, reader
    delib.validate_minutes(event, judges[0])
    db.session.commit()
    assert_all_refused(
        try_every_change(client, login, event, ideas, judges, sheet_bytes), LOCKED_VALIDATED
    )
    assert delib.publish_amendment(event, organiser) == 3  # each idea's rank or award moved
    db.session.commit()
    demoted = db.session.scalar(select(BankProject).where(BankProject.idea_id == second))
    assert not demoted.is_winner and demoted.origin_rank is None  # the bank follows at once
    promote_winners(event, organiser)  # the new winner joins the bank
    db.session.commit()
    seen = readers(client, login, event, ideas)
    for reader in ("results page", "api", "receipt look-up", "minutes", "workbook", "bank"):
        assert seen[reader] == {first}, reader
    assert ranks_in_order(seen["workbook order"])
    page = client.get(f"/e/{event.slug}/results").get_data(as_text=True)
    assert "Modifiés le" in page and "doublon de la première" in page

    # Every published version stays readable; the voided one never was public.
    v2 = client.get(f"/e/{event.slug}/results?version=2").get_data(as_text=True)
    assert _ids(v2, "results-winners") == {second}
    api = client.get(f"/api/events/{event.slug}/ranking?version=2").json
    assert {r["receipt_code"] for r in api["ideas"] if r["is_winner"]} == {ideas[1].receipt_code}
    assert client.get(f"/e/{event.slug}/results?version=1").status_code == 404
    assert [v.number for v in results.published_versions(event)] == [3, 2]
    assert third not in {r.idea_id for r in results.event_winners(event)}
