"""Accompaniment: the adviser, the path of milestones, overdue reminders sent once, and the
dashboard of where every project stands."""

from datetime import date, timedelta

import pytest

from audit.models import AuditEntry
from bank import accompaniment
from bank.models import BankProject, Milestone
from bank.services import BankValidationError
from bank.states import MilestoneKind
from extensions import db
from jobs.models import OutboxEmail
from tests.builders import make_user

TODAY = date(2026, 6, 1)


@pytest.fixture
def followed(app):
    adviser = make_user(name="Salma Adviser", email="salma@example.ma", locale="ar")
    project = BankProject(
        title="Séchoir solaire", sector="agrifood", region_code="02", province_code="02.411"
    )
    db.session.add(project)
    db.session.commit()
    return project, adviser


def test_the_path_is_planned_once_in_order(followed):
    project, adviser = followed
    added = accompaniment.plan_path(project, adviser, start=TODAY)
    assert [m.kind for m in added] == list(MilestoneKind)
    assert [m.due_on for m in added] == sorted(m.due_on for m in added)
    assert accompaniment.plan_path(project, adviser, start=TODAY) == []  # nothing twice
    assert db.session.query(AuditEntry).filter_by(action="path_planned").count() == 1


def test_an_adviser_is_chosen_among_staff_accounts(followed):
    project, adviser = followed
    accompaniment.assign_adviser(project, str(adviser.id), adviser)
    assert project.adviser == adviser
    judge = make_user(role="jury", email="judge@example.ma")
    for bad in (str(judge.id), "999999", "x"):
        with pytest.raises(BankValidationError):
            accompaniment.assign_adviser(project, bad, adviser)
    accompaniment.assign_adviser(project, "", adviser)
    assert project.adviser is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"done_on": "2026-06-02"}, "done_on"),  # in the future
        ({"due_on": "31/02/2026"}, "due_on"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_milestone_change_is_refused(followed, data, field):
    project, adviser = followed
    milestone = accompaniment.plan_path(project, adviser, start=TODAY)[0]
    with pytest.raises(BankValidationError) as refused:
        accompaniment.update_milestone(milestone, data, adviser, today=TODAY)
    assert field in refused.value.errors


def test_an_overdue_milestone_reminds_its_adviser_once(followed):
    project, adviser = followed
    accompaniment.assign_adviser(project, adviser.id, adviser)
    first = accompaniment.plan_path(project, adviser, start=TODAY - timedelta(days=40))[0]
    db.session.commit()
    assert accompaniment.remind_overdue(TODAY) == 1  # training was due 10 days ago
    db.session.commit()
    assert accompaniment.remind_overdue(TODAY) == 0  # not twice
    assert accompaniment.remind_overdue(TODAY + timedelta(days=1)) == 0
    email = db.session.query(OutboxEmail).one()
    assert email.recipient == "salma@example.ma" and email.locale == "ar"
    assert "Séchoir solaire" in email.subject
    # Moved to a new date that passes too: one more reminder, for that date.
    accompaniment.update_milestone(
        first, {"due_on": (TODAY + timedelta(days=2)).isoformat(), "note": ""}, adviser, today=TODAY
    )
    db.session.commit()
    assert accompaniment.remind_overdue(TODAY + timedelta(days=3)) == 1
    # Done: no more reminders.
    accompaniment.update_milestone(
        first,
        {"due_on": first.due_on.isoformat(), "done_on": TODAY.isoformat()},
        adviser,
        today=TODAY,
    )
    db.session.commit()
    assert accompaniment.remind_overdue(TODAY + timedelta(days=30)) == 1  # the business plan now


def test_a_project_without_adviser_reminds_nobody(followed):
    project, adviser = followed
    accompaniment.plan_path(project, adviser, start=TODAY - timedelta(days=400))
    assert accompaniment.overdue_milestones(TODAY) == []
    assert accompaniment.remind_overdue(TODAY) == 0


def test_the_dashboard_says_where_each_project_stands_and_how_long_steps_take(followed):
    project, adviser = followed
    project.created_at = project.created_at.replace(year=2026, month=1, day=1)
    path = accompaniment.plan_path(project, adviser, start=date(2026, 1, 1))
    path[0].done_on = date(2026, 1, 21)  # 20 days
    path[1].done_on = date(2026, 2, 20)  # 30 days after
    db.session.commit()
    standing = accompaniment.standing(TODAY)
    row = standing.rows[0]
    assert row.done == 2 and row.next_milestone.kind == MilestoneKind.STATUTES and row.overdue
    assert standing.by_region["02"] == {MilestoneKind.STATUTES.value: 1}
    assert standing.median_days[MilestoneKind.TRAINING] == 20
    assert standing.median_days[MilestoneKind.BUSINESS_PLAN] == 30
    assert standing.median_days[MilestoneKind.STATUTES] is None


def test_the_project_page_plans_and_saves_milestones(client, login, followed):
    project, adviser = followed
    organiser = make_user()
    login(organiser)
    assert client.post(f"/tour/bank/{project.id}/path").status_code == 303
    milestone = db.session.query(Milestone).filter_by(kind="training").one()
    refused = client.post(f"/tour/bank/milestones/{milestone.id}", data={"done_on": "2099-01-01"})
    assert refused.status_code == 422
    assert f'id="e-m{milestone.id}-done_on"' in refused.get_data(as_text=True)
    saved = client.post(
        f"/tour/bank/milestones/{milestone.id}",
        data={"due_on": "2026-01-01", "done_on": "2026-01-01", "note": "Formation à Oujda"},
    )
    assert saved.status_code == 303
    assert db.session.get(Milestone, milestone.id).note == "Formation à Oujda"
    assert (
        client.post(
            f"/tour/bank/{project.id}/adviser", data={"adviser_id": organiser.id}
        ).status_code
        == 303
    )
    page = client.get("/tour/bank/accompaniment").get_data(as_text=True)
    assert "Séchoir solaire" in page
