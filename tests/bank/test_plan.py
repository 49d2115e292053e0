"""The financial plan: its checks, what follows from it, the sector templates and its page."""

import pytest
from werkzeug.datastructures import MultiDict

from bank.models import BankProject
from bank.plan import clean_plan, figures, template_lines
from extensions import db
from tests.builders import make_user


def _clean(lines=(), years=(), budget=None):
    labels = [label for label, _ in lines]
    amounts = [amount for _, amount in lines]
    return clean_plan(
        labels,
        amounts,
        [y[0] for y in years],
        [y[1] for y in years],
        [y[2] for y in years],
        budget_mad=budget,
    )


def test_a_plan_adds_up_and_breaks_even_when_results_cover_the_investment(app):
    with app.test_request_context():
        plan, errors = _clean(
            [("Séchoir solaire", "120 000"), ("Local", "80000")],
            [("100 000", "60 000", "3"), ("180000", "90000", "5"), ("250000", "120000", "7")],
            budget=200_000,
        )
    assert errors == {}
    result = figures(plan)
    assert result.investment_mad == 200_000
    assert [y.result_mad for y in result.years] == [40_000, 90_000, 130_000]
    assert [y.cumulative_mad for y in result.years] == [-160_000, -70_000, 60_000]
    assert result.break_even_year == 3
    assert result.years[2].jobs == 7


def test_no_break_even_within_the_plan_is_said(app):
    plan, _ = _clean([("Bateau", "500000")], [("100000", "90000", "")])
    assert figures(plan).break_even_year is None
    assert figures({}).empty


@pytest.mark.parametrize(
    ("lines", "years", "budget", "field"),
    [
        ([("", "50 000")], [], None, "investment-0"),  # an amount without a label
        ([("Local", "")], [], None, "investment-0"),  # a label without an amount
        ([("Local", "-5")], [], None, "investment-0"),
        ([("Local", "cinquante")], [], None, "investment-0"),
        ([("x" * 121, "5")], [], None, "investment-0"),
        ([], [("100000", "", "2")], None, "year-1"),  # revenue without costs
        ([], [("100000", "50000", "-1")], None, "year-1"),
        ([], [("", "", ""), ("1000", "500", "1")], None, "year-1"),  # a gap before year 2
        ([("Local", "100 000")], [], 250_000, "investment"),  # does not add up to the budget
    ],
)
def test_figures_that_do_not_hold_are_refused_with_their_line(app, lines, years, budget, field):
    with app.test_request_context():
        _, errors = _clean(lines, years, budget)
    assert field in errors, errors


def test_blank_lines_and_trailing_years_are_dropped(app):
    plan, errors = _clean([("", ""), ("Local", "1000")], [("10", "5", "1"), ("", "", "")])
    assert errors == {} and len(plan["investment"]) == 1 and len(plan["years"]) == 1


def test_sector_templates_prefill_the_usual_lines_in_the_readers_language(app):
    with app.test_request_context("/?lang=fr"):
        tourism = [line["label"] for line in template_lines("tourism")]
    assert "Rénovation des chambres" in tourism
    assert all(line["amount_mad"] is None for line in template_lines("agriculture"))
    assert template_lines("digital")  # a sector without its own template gets the general one


def test_the_plan_page_saves_shows_and_refuses_with_what_was_typed(client, login):
    project = BankProject(
        title="Gîte", sector="tourism", region_code="09", province_code="09.581", budget_mad=300_000
    )
    db.session.add(project)
    db.session.commit()
    login(make_user())
    page = client.get(f"/tour/bank/{project.id}/plan").get_data(as_text=True)
    assert "Rénovation des chambres" in page  # the template pre-fills an empty plan
    form = MultiDict(
        [("investment_label", "Rénovation"), ("investment_amount", "300000")]
        + [("revenue", "200000"), ("costs", "100000"), ("jobs", "4")] * 4
    )
    assert client.post(f"/tour/bank/{project.id}/plan", data=form).status_code == 303
    db.session.expire_all()
    assert (
        db.session.get(BankProject, project.id).financial_plan["investment"][0]["amount_mad"]
        == 300_000
    )
    shown = client.get(f"/tour/bank/{project.id}").get_data(as_text=True)
    assert "année 3" in shown.lower() or "3e année" in shown.lower() or "year 3" in shown.lower()
    bad = MultiDict([("investment_label", "Rénovation"), ("investment_amount", "100000")])
    refused = client.post(f"/tour/bank/{project.id}/plan", data=bad)
    assert refused.status_code == 422 and 'value="100000"' in refused.get_data(as_text=True)
    feed = client.get(f"/api/bank/projects/{project.id}").get_json()
    assert feed["financial_plan"]["break_even_year"] == 3
