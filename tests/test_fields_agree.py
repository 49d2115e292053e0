"""The idea form, the paper import and the bank edit read a typed amount the same way: the same
value, or the same refusal, everywhere (they all parse through `fieldtypes`)."""

from io import BytesIO

import pytest
from sqlalchemy import select

from bank.models import BankProject
from extensions import db
from submissions.models import Idea
from tests.builders import make_event, make_user
from tests.submissions.conftest import form_data
from tests.submissions.test_paper_import import GOOD_ROW, filled

AGREED = [
    ("٢٥٠٠٠٠", 250_000),
    ("1 250 000 MAD", 1_250_000),
    ("250'000", 250_000),
    ("1\u202f250\u00a0000 DH", 1_250_000),
    ("٥٠٠٠ درهم", 5_000),
]
REFUSED = [
    ("12,5", "sans centimes"),
    ("-5", "Saisissez un montant de 0 ou plus."),
    ("2 50000", "Saisissez un montant en dirhams, par ex. 250 000."),
]


def through_the_form(client, typed):
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(budget_mad=typed),
        content_type="multipart/form-data",
    )
    idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id))
    return response, idea.budget_mad if idea else None


def through_the_import(client, login, runner, tmp_path, typed):
    event = make_event()
    login(make_user("organiser"))
    path = filled(runner, tmp_path, [dict(GOOD_ROW, budget_mad=typed)])
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (BytesIO(path.read_bytes()), "ideas.xlsx")},
    )
    idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id))
    return response, idea.budget_mad if idea else None


def through_the_bank(client, login, typed):
    project = BankProject(
        title="Miel", sector="agriculture", region="L'Oriental", province="Berkane", budget_mad=1
    )
    db.session.add(project)
    db.session.commit()
    login(make_user())
    response = client.post(
        f"/tour/bank/{project.id}/edit",
        data={
            "title": "Miel",
            "sector": "agriculture",
            "region": "L'Oriental",
            "province": "Berkane",
            "status": "idea",
            "budget_mad": typed,
        },
    )
    db.session.expire_all()
    return response, db.session.get(BankProject, project.id).budget_mad


@pytest.mark.parametrize(("typed", "value"), AGREED)
def test_form_import_and_bank_read_the_same_amount(client, login, runner, tmp_path, typed, value):
    _response, by_form = through_the_form(client, typed)
    _response, by_import = through_the_import(client, login, runner, tmp_path, typed)
    _response, by_bank = through_the_bank(client, login, typed)
    assert by_form == by_import == by_bank == value


@pytest.mark.parametrize(("typed", "message"), REFUSED)
def test_form_import_and_bank_refuse_the_same_amount_with_the_same_message(
    client, login, runner, tmp_path, typed, message
):
    for response, stored in (
        through_the_form(client, typed),
        through_the_import(client, login, runner, tmp_path, typed),
        through_the_bank(client, login, typed),
    ):
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert stored in (None, 1)  # nothing stored, the bank keeps its former amount
