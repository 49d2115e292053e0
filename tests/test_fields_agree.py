"""The idea form, the paper import and the bank edit read a typed amount or phone the same way:
the same value, or the same refusal, everywhere (they all parse through `fieldtypes`)."""

from io import BytesIO

import pytest
from sqlalchemy import select

from bank.models import BankProject
from extensions import db
from submissions.models import Idea
from tests.builders import make_bank_project, make_event, make_user
from tests.submissions.conftest import form_data
from tests.submissions.test_paper_import import GOOD_ROW, filled

AMOUNTS = [
    ("٢٥٠٠٠٠", 250_000),
    ("1 250 000 MAD", 1_250_000),
    ("250'000", 250_000),
    ("1\u202f250\u00a0000 DH", 1_250_000),
    ("٥٠٠٠ درهم", 5_000),
]
BAD_AMOUNTS = [
    ("12,5", "sans centimes"),
    ("-5", "Saisissez un montant de 0 ou plus."),
    ("2 50000", "Saisissez un montant en dirhams, par ex. 250 000."),
]
PHONES = [
    ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),
    ("+212 (0)7 12-34-56-78", "+212712345678"),
    ("00212 5 36 12 34 56", "+212536123456"),
]
BAD_PHONES = [("08 12 34 56 78", "numéro de téléphone marocain")]
# The idea's field, and the bank project's field holding the same value.
FIELDS = {"amount": ("budget_mad", "budget_mad"), "phone": ("lead_phone", "contact_phone")}


def through_the_form(client, login, runner, tmp_path, kind, typed):
    field = FIELDS[kind][0]
    event = make_event()
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(**{field: typed}),
        content_type="multipart/form-data",
    )
    idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id))
    return response, getattr(idea, field) if idea else None


def through_the_import(client, login, runner, tmp_path, kind, typed):
    field = FIELDS[kind][0]
    event = make_event()
    login(make_user("organiser"))
    path = filled(runner, tmp_path, [dict(GOOD_ROW, **{field: typed})])
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (BytesIO(path.read_bytes()), "ideas.xlsx")},
    )
    idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id))
    return response, getattr(idea, field) if idea else None


def through_the_bank(client, login, runner, tmp_path, kind, typed):
    field = FIELDS[kind][1]
    project, data = make_bank_project(budget_mad=1)
    login(make_user())
    data[field] = typed
    response = client.post(f"/tour/bank/{project.id}/edit", data=data)
    db.session.expire_all()
    return response, getattr(db.session.get(BankProject, project.id), field)


ROUTES = (through_the_form, through_the_import, through_the_bank)


@pytest.mark.parametrize(
    ("kind", "typed", "value"),
    [("amount", *case) for case in AMOUNTS] + [("phone", *case) for case in PHONES],
)
def test_form_import_and_bank_read_the_same_value(
    client, login, runner, tmp_path, kind, typed, value
):
    read = [route(client, login, runner, tmp_path, kind, typed)[1] for route in ROUTES]
    assert read == [value, value, value]


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [("amount", *case) for case in BAD_AMOUNTS] + [("phone", *case) for case in BAD_PHONES],
)
def test_form_import_and_bank_refuse_the_same_value_with_the_same_message(
    client, login, runner, tmp_path, kind, typed, message
):
    for route in ROUTES:
        response, stored = route(client, login, runner, tmp_path, kind, typed)
        assert response.status_code == 422, route.__name__
        assert message in response.get_data(as_text=True), route.__name__
        assert stored in (None, 1), route.__name__  # nothing stored; the bank keeps its amount
