"""A project's simple financial plan: investment lines, then for each of up to five years the
revenue, the running costs and the jobs; with what follows from them (total investment, yearly
result, cumulative result, break-even year) and the checks organisers need (a line without a
label, figures that do not add up to the budget).

Stored as JSON on the project: {"investment": [{"label", "amount_mad"}],
"years": [{"revenue_mad", "costs_mad", "jobs"}]}. Sector templates pre-fill the usual lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldtypes import Amount, FieldError, Integer, Text
from i18n import format_mad

YEARS = 5
MAX_LINES = 15
MAX_PLAN_MAD = 10**10
AMOUNT = Amount(MAX_PLAN_MAD)
JOBS = Integer(0, 100_000)
LABEL = Text(120)

# The usual investment lines of a cooperative project, by sector (pre-filled, editable).
SECTOR_TEMPLATES: dict[str, tuple] = {
    "agriculture": (
        _l("Farm equipment"),
        _l("Drip irrigation"),
        _l("Seeds and seedlings"),
        _l("Storage building"),
    ),
    "agrifood": (
        _l("Processing machines"),
        _l("Premises fitted to hygiene standards"),
        _l("Packaging and labelling"),
        _l("Sanitary approval (ONSSA)"),
    ),
    "handicrafts": (
        _l("Looms and tools"),
        _l("Workshop fitting"),
        _l("First stock of raw materials"),
        _l("Stand for fairs"),
    ),
    "tourism": (
        _l("Renovation of the rooms"),
        _l("Furniture and bedding"),
        _l("Website and booking"),
        _l("Signposting of the trails"),
    ),
    "fishing": (
        _l("Boat and engine"),
        _l("Nets and gear"),
        _l("Cold room"),
        _l("Refrigerated transport"),
    ),
}
DEFAULT_TEMPLATE = (_l("Equipment"), _l("Premises"), _l("Working capital"), _l("Training"))


def template_lines(sector: str | None) -> list[dict]:
    """The sector's usual investment lines, labels in the reader's language, amounts blank."""
    return [
        {"label": str(label), "amount_mad": None}
        for label in SECTOR_TEMPLATES.get(sector or "", DEFAULT_TEMPLATE)
    ]


@dataclass(frozen=True)
class YearFigures:
    year: int
    revenue_mad: int
    costs_mad: int
    jobs: int | None
    result_mad: int  # revenue - costs
    cumulative_mad: int  # results so far, minus the investment


@dataclass(frozen=True)
class PlanFigures:
    investment_mad: int
    years: list[YearFigures]
    break_even_year: int | None  # the first year whose cumulative result covers the investment

    @property
    def empty(self) -> bool:
        return not self.investment_mad and not self.years


def figures(plan: Mapping | None) -> PlanFigures:
    """What follows from a stored plan."""
    plan = plan or {}
    investment = sum(int(line.get("amount_mad") or 0) for line in plan.get("investment", []))
    cumulative, years, break_even = -investment, [], None
    for index, year in enumerate(plan.get("years", []), start=1):
        revenue, costs = int(year.get("revenue_mad") or 0), int(year.get("costs_mad") or 0)
        cumulative += revenue - costs
        years.append(
            YearFigures(index, revenue, costs, year.get("jobs"), revenue - costs, cumulative)
        )
        if break_even is None and cumulative >= 0 and (investment or revenue):
            break_even = index
    return PlanFigures(investment, years, break_even)


def clean_plan(
    labels: Sequence, amounts: Sequence, revenues: Sequence, costs: Sequence, jobs: Sequence,
    *, budget_mad: int | None,
) -> tuple[dict, dict[str, str]]:  # fmt: skip
    """The plan typed in the form (parallel lists, as the form's inputs give them) → (plan,
    {field: message}). Blank lines and blank trailing years are dropped."""
    errors: dict[str, str] = {}
    investment = []
    for n, (label, amount) in enumerate(zip(labels, amounts, strict=False)):
        try:
            text, value = LABEL.parse(label), AMOUNT.parse(amount)
        except FieldError as error:
            errors[f"investment-{n}"] = str(error.message)
            continue
        if not text and value is None:
            continue
        if not text:
            errors[f"investment-{n}"] = str(_l("Name this investment line."))
        elif value is None:
            errors[f"investment-{n}"] = str(_l("Give the amount of %(line)s.", line=text))
        else:
            investment.append({"label": text, "amount_mad": value})
    if len(investment) > MAX_LINES:
        errors["investment"] = str(_l("At most %(n)d investment lines.", n=MAX_LINES))
    years = []
    for n in range(min(YEARS, max(len(revenues), len(costs), len(jobs)))):
        raw = [seq[n] if n < len(seq) else "" for seq in (revenues, costs, jobs)]
        try:
            revenue, cost, job = AMOUNT.parse(raw[0]), AMOUNT.parse(raw[1]), JOBS.parse(raw[2])
        except FieldError as error:
            errors[f"year-{n + 1}"] = str(error.message)
            continue
        years.append({"revenue_mad": revenue, "costs_mad": cost, "jobs": job})
    while years and all(v is None for v in years[-1].values()):
        years.pop()
    for n, year in enumerate(years, start=1):
        if year["revenue_mad"] is None or year["costs_mad"] is None:
            errors.setdefault(
                f"year-{n}", str(_l("Give the revenue and the running costs of year %(n)d.", n=n))
            )
    total = sum(line["amount_mad"] for line in investment)
    if not errors and budget_mad and investment and total != budget_mad:
        errors["investment"] = str(
            _l(
                "The investment lines add up to %(total)s but the project's budget is %(budget)s: correct one or the other.",
                total=format_mad(total),
                budget=format_mad(budget_mad),
            )
        )
    return {"investment": investment, "years": years}, errors
