"""Teams: member rows on the form (blank rows skipped, each begun row needs a name and the
member's consent, every bad input named), the counts of women and young people, carried into
the bank, and members' personal data erased with the idea's."""

import re

from sqlalchemy import func, select

from bank.models import BankProject
from bank.services import promote_winners
from competitions.states import EventState
from extensions import db
from submissions import privacy, team
from submissions.models import Idea, TeamMember
from tests.builders import add_result, make_event, make_idea, make_user
from tests.submissions.conftest import form_data


def member(row, **fields) -> dict:
    values = {
        "name": "Khadija",
        "role": "Trésorière",
        "gender": "female",
        "age_bracket": "under_25",
    }
    values.update(fields)
    values.setdefault("consent", "y")
    return {team.field_name(row, k): v for k, v in values.items()}


def post(client, event, **data):
    return client.post(
        f"/e/{event.slug}/submit", data=form_data(**data), content_type="multipart/form-data"
    )


def test_members_are_stored_with_their_consent_and_blank_rows_skipped(client):
    event = make_event()
    data = {**member(0), **member(2, name="Youssef", gender="male", age_bracket="45_plus")}
    data.update({team.field_name(2, "phone"): "06 11 22 33 44"})
    assert post(client, event, **data).status_code == 303
    idea = db.session.scalar(select(Idea))
    members = team.members_of(idea.id)
    assert [(m.name, m.position) for m in members] == [("Khadija", 1), ("Youssef", 2)]
    assert members[1].phone == "+212611223344" and all(m.consent_at for m in members)


def test_every_bad_member_input_has_its_message_and_nothing_is_stored(client):
    event = make_event()
    data = {
        **member(0, name="", consent="y"),
        **member(1, consent=""),
        **member(2, gender="robot", age_bracket="200"),
        **member(3, name="n" * 201),
    }
    data[team.field_name(4, "name")] = "Sara"
    data[team.field_name(4, "consent")] = "y"
    data[team.field_name(4, "phone")] = "12"
    data[team.field_name(5, "name")] = "Sara"
    data[team.field_name(5, "consent")] = "y"
    data[team.field_name(5, "role")] = "r" * 101
    response = post(client, event, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in (
        "member-0-name",
        "member-1-consent",
        "member-2-gender",
        "member-2-age_bracket",
        "member-3-name",
        "member-4-phone",
        "member-5-role",
    ):
        assert f'id="{field}-error"' in page, field
    assert db.session.scalar(select(func.count(TeamMember.id))) == 0
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_member_limits_come_from_the_columns():
    assert team.TYPES["name"].max_length == 200 and team.TYPES["role"].max_length == 100


def test_add_a_member_without_script_shows_one_more_row_and_keeps_what_was_typed(client):
    event = make_event()
    rows = {}
    for row in range(team.FORM_ROWS):
        rows.update(member(row, name=f"Membre {row}"))
    response = post(client, event, add_member="1", **rows)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'name="{team.field_name(team.FORM_ROWS, "name")}"' in page
    assert 'value="Membre 3"' in page and 'value="Fatima Zahra"' in page
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_counts_include_the_lead_and_count_women_and_the_young(client):
    event = make_event()
    data = {
        **member(0),
        **member(1, name="Omar", gender="male", age_bracket="25_34"),
        **member(2, name="Zineb", gender="female", age_bracket="45_plus"),
    }
    post(client, event, lead_gender="female", lead_age_bracket="35_44", **data)
    idea = db.session.scalar(select(Idea))
    assert team.team_counts(idea) == team.TeamCounts(members=4, women=3, youth=2)
    lone = make_idea(event, lead_gender="male", lead_age_bracket="under_25")
    assert team.counts_of([lone.id])[lone.id] == team.TeamCounts(members=1, women=0, youth=1)


def test_the_bank_receives_the_team_counts_when_an_idea_is_promoted(app):
    event = make_event(state=EventState.PUBLISHED)
    idea = make_idea(event, lead_gender="female", lead_age_bracket="under_25")
    team.store_members(
        idea.id,
        [
            {"name": "Omar", "role": "", "gender": "male", "age_bracket": "25_34", "position": 1},
            {"name": "Zineb", "role": "", "gender": "female", "age_bracket": None, "position": 2},
        ],
    )
    add_result(event, idea, 1, True)
    db.session.commit()
    promote_winners(event, make_user())
    project = db.session.scalar(select(BankProject))
    assert (project.members_count, project.women_members, project.youth_members) == (3, 2, 2)
    assert "Omar" in project.team


def test_erasing_an_idea_erases_its_members_names_and_phones(app):
    idea = make_idea(make_event())
    team.store_members(
        idea.id,
        [
            {
                "name": "Omar",
                "role": "Chef",
                "gender": "male",
                "age_bracket": "25_34",
                "phone": "+212611223344",
                "position": 1,
            }
        ],
    )
    done = privacy.anonymise_idea(idea, reason="retention")
    db.session.commit()
    (kept,) = team.members_of(idea.id)
    assert (kept.name, kept.role, kept.phone) == ("", "", None)
    assert (kept.gender, kept.age_bracket) == ("male", "25_34")  # the counts stay true
    assert done["members_erased"] == 1


def test_the_organisers_idea_page_shows_the_team_and_the_answers(client, login, uploads_dir):
    from submissions import questions
    from tests.submissions.conftest import PDF, upload

    event = make_event()
    organiser = make_user()
    asked = questions.add_question(event.id, {"text": "Plan", "kind": "file"}, by=organiser)
    db.session.commit()
    data = form_data(**member(0, phone="0611223344"))
    data[asked.field_name] = upload(PDF, "plan.pdf")
    client.post(f"/e/{event.slug}/submit", data=data, content_type="multipart/form-data")
    idea = db.session.scalar(select(Idea))
    login(organiser)
    page = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}").get_data(as_text=True)
    assert "Khadija" in page and "+212611223344" in page and "plan.pdf" in page
    counts = re.sub(r"<[^>]+>", "", page)
    assert "Membres : 2 · femmes : 2 · moins de 35 ans : 2" in counts
    file = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/answers/{asked.id}/file")
    assert file.status_code == 200 and file.data == PDF
    assert file.headers["Content-Disposition"].startswith("attachment")
    file.close()
    missing = client.get(f"/tour/events/{event.slug}/ideas/{idea.id}/answers/999/file")
    assert missing.status_code == 404


def test_the_participant_sees_the_members_and_answers_held(client):
    from submissions import questions

    event = make_event()
    asked = questions.add_question(event.id, {"text": "Local ?", "kind": "yes_no"}, by=make_user())
    db.session.commit()
    data = {**member(0, phone="0611223344"), asked.field_name: "oui"}
    post(client, event, **data)
    code = db.session.scalar(select(Idea.receipt_code))
    sent = {"code": code, "phone": "0612345678"}
    page = client.post("/privacy/my-data", data=sent).get_data(as_text=True)
    assert "Khadija" in page and "+212611223344" in page and "Local ?" in page
    held = client.post("/privacy/my-data", data={**sent, "format": "json"}).get_json()
    assert held["team_members"][0]["name"] == "Khadija"
    assert held["answers"] == [{"question": "Local ?", "answer": "Oui"}]
