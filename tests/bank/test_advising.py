"""An adviser's projects: "My projects" lists the projects the account advises (next step, the
late ones marked), each opening its path, where the adviser keeps the milestones; another
adviser is refused; organisers reach every project."""

from datetime import date, timedelta

import pytest

from audit.models import AuditEntry
from bank import accompaniment
from bank.models import BankProject, Milestone
from extensions import db
from tests.builders import make_user


@pytest.fixture
def advised(app):
    organiser = make_user()
    salma = make_user("facilitator", name="Salma Adviser")
    karim = make_user("coordinator", name="Karim Adviser", region_code="09")
    late = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411"
    )
    on_time = BankProject(
        title="Gîte rural", sector="tourism", region_code="02", province_code="02.411"
    )
    theirs = BankProject(
        title="Atelier d'argan",
        sector="agrifood",
        region_code="09",
        province_code="09.541",
    )
    db.session.add_all([late, on_time, theirs])
    db.session.flush()
    for project, adviser in ((late, salma), (on_time, salma), (theirs, karim)):
        accompaniment.assign_adviser(project, adviser.id, organiser)
    accompaniment.plan_path(late, organiser, start=date.today() - timedelta(days=40))
    accompaniment.plan_path(on_time, organiser, start=date.today())
    db.session.commit()
    return {"organiser": organiser, "salma": salma, "karim": karim, "late": late,
            "on_time": on_time, "theirs": theirs}  # fmt: skip


def _card(page: str, project_id: int) -> str:
    start = page.rindex("<li", 0, page.index(f'id="project-{project_id}"'))
    return page[start : page.index("</li>", start)]


def test_an_adviser_sees_only_their_projects_the_late_ones_marked(client, login, advised):
    login(advised["salma"])
    page = client.get("/tour/bank/advising").get_data(as_text=True)
    assert "Séchoir solaire" in page and "Gîte rural" in page
    assert "Atelier" not in page
    late, on_time = advised["late"].id, advised["on_time"].id
    assert f'id="project-{late}"' in page
    late_card, on_time_card = _card(page, late), _card(page, on_time)
    assert "advised-late" in late_card and "text-bg-danger" in late_card
    assert "advised-late" not in on_time_card
    assert "Oriental" in late_card  # the region, in the reader's language
    # The menu leads there.
    assert 'href="/tour/bank/advising"' in client.get("/tour").get_data(as_text=True)


def test_the_advisers_page_of_a_project_shows_its_path_and_nothing_private(client, login, advised):
    advised["late"].contact_phone = "0612345678"
    advised["late"].receipt_code = "ORI-7K2Q"
    db.session.commit()
    login(advised["salma"])
    page = client.get(f"/tour/bank/advising/{advised['late'].id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    milestone = advised["late"].milestones[0]
    assert f"/tour/bank/milestones/{milestone.id}/documents" in body
    assert f"/tour/bank/milestones/{milestone.id}" in body
    assert "0612345678" not in body and "ORI-7K2Q" not in body
    documents = client.get(f"/tour/bank/milestones/{milestone.id}/documents").get_data(as_text=True)
    assert f"/tour/bank/advising/{advised['late'].id}#milestone-{milestone.id}" in documents
    assert "/tour/bank/" + str(advised["late"].id) + '"' not in body  # not the organisers' page


def test_another_adviser_is_refused(client, login, advised):
    login(advised["karim"])
    late = advised["late"]
    assert client.get(f"/tour/bank/advising/{late.id}").status_code == 403
    milestone = late.milestones[0]
    answer = client.post(f"/tour/bank/milestones/{milestone.id}", data={"note": "Pirate"})
    assert answer.status_code == 403
    assert db.session.get(Milestone, milestone.id).note == ""
    assert "Séchoir" not in client.get("/tour/bank/advising").get_data(as_text=True)
    assert client.get("/tour/bank/advising/999999").status_code == 404


def test_an_account_that_advises_nothing_has_no_menu_entry_and_no_page(client, login, advised):
    login(make_user("facilitator"))
    assert "/tour/bank/advising" not in client.get("/tour").get_data(as_text=True)
    assert client.get("/tour/bank/advising").status_code == 403


def test_an_organiser_still_reaches_every_project(client, login, advised):
    login(advised["organiser"])
    for project in ("late", "on_time", "theirs"):
        assert client.get(f"/tour/bank/advising/{advised[project].id}").status_code == 200
    page = client.get("/tour/bank/accompaniment").get_data(as_text=True)
    assert all(t in page for t in ("Séchoir solaire", "Gîte rural", "Atelier d&#39;argan"))
    milestone = advised["theirs"].milestones or None
    assert milestone is None  # not planned: nothing to save
    first = advised["late"].milestones[0]
    saved = client.post(
        f"/tour/bank/milestones/{first.id}",
        data={"due_on": first.due_on.isoformat(), "note": "Vu par l'organisation"},
    )
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/tour/bank/{advised['late'].id}#path")


def test_an_adviser_updates_a_milestone_audited(client, login, advised):
    salma = login(advised["salma"])
    first = advised["late"].milestones[0]
    today = date.today()
    refused = client.post(
        f"/tour/bank/milestones/{first.id}",
        data={
            "due_on": first.due_on.isoformat(),
            "done_on": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert refused.status_code == 422
    assert f'id="e-m{first.id}-done_on"' in refused.get_data(as_text=True)
    saved = client.post(
        f"/tour/bank/milestones/{first.id}",
        data={"due_on": first.due_on.isoformat(), "done_on": today.isoformat(), "note": "Faite"},
    )
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(
        f"/tour/bank/advising/{advised['late'].id}#milestone-{first.id}"
    )
    milestone = db.session.get(Milestone, first.id)
    assert milestone.done_on == today and milestone.note == "Faite"
    entry = (
        db.session.query(AuditEntry)
        .filter_by(entity="milestone", action="updated", entity_id=first.id)
        .one()
    )
    assert entry.user_id == salma.id and entry.new["note"] == "Faite"
