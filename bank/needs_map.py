"""The needs-and-potential map: bank projects and the tour's ideas by region × sector.

The counts come from the database; the heat levels and the bar charts' geometry are computed
here, server-side, so the page needs no chart library and no script.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from bank.models import BankProject
from extensions import db
from submissions.models import SECTORS, Idea
from submissions.states import Eligibility


def _counts(query) -> dict[tuple[str, str], int]:
    return {(region, sector): count for region, sector, count in db.session.execute(query)}


def bank_counts() -> dict[tuple[str, str], int]:
    return _counts(
        select(BankProject.region, BankProject.sector, func.count()).group_by(
            BankProject.region, BankProject.sector
        )
    )


def idea_counts() -> dict[tuple[str, str], int]:
    """The tour's real ideas: not calibration, not ineligible or duplicates, not final copies."""
    return _counts(
        select(Idea.region, Idea.sector, func.count())
        .where(
            Idea.is_calibration.is_(False),
            Idea.eligibility != Eligibility.INELIGIBLE,
            Idea.duplicate_of_id.is_(None),
            Idea.carried_from_id.is_(None),
        )
        .group_by(Idea.region, Idea.sector)
    )


@dataclass
class HeatCell:
    count: int
    heat: float  # 0 … 1, used as a CSS variable for the cell's background

    @property
    def dark(self) -> bool:
        """Light text on the darkest cells, so the number stays readable."""
        return self.heat > 0.55


def heat_table(counts: dict[tuple[str, str], int], regions: list[str], sectors: list[str]):
    """Rows of HeatCells (regions × sectors) with row and column totals."""
    top = max(counts.values(), default=0)
    rows = []
    for region in regions:
        cells = []
        for sector in sectors:
            n = counts.get((region, sector), 0)
            cells.append(HeatCell(n, round(n / top, 2) if top else 0.0))
        rows.append({"region": region, "cells": cells, "total": sum(c.count for c in cells)})
    column_totals = [sum(counts.get((r, s), 0) for r in regions) for s in sectors]
    return {"rows": rows, "column_totals": column_totals, "total": sum(column_totals)}


@dataclass
class Bar:
    label: str
    value: int
    share: float  # of the longest bar, 0 … 1


def bar_chart(items: list[tuple[str, int]]) -> dict:
    """Horizontal bars drawn in HTML and CSS (a scaled SVG shrank its labels to ~6 px on a
    phone): the text keeps the page's size and the layout mirrors itself in Arabic."""
    top = max((value for _, value in items), default=0)
    return {
        "bars": [Bar(label, value, round(value / top, 3) if top else 0.0) for label, value in items]
    }


def needs_map(sector_label, region_label) -> dict:
    """Everything the map page shows: two heat-tables and two bar charts."""
    bank = bank_counts()
    ideas = idea_counts()
    regions = sorted({region for region, _ in bank} | {region for region, _ in ideas})
    present = {sector for _, sector in bank} | {sector for _, sector in ideas}
    sectors = [s for s in SECTORS if s in present] + sorted(present - set(SECTORS))
    by_sector = [
        (sector_label(s), sum(n for (_, s2), n in bank.items() if s2 == s)) for s in sectors
    ]
    by_region = [
        (region_label(r), sum(n for (r2, _), n in ideas.items() if r2 == r)) for r in regions
    ]
    return {
        "regions": regions,
        "sectors": sectors,
        "bank": heat_table(bank, regions, sectors),
        "ideas": heat_table(ideas, regions, sectors),
        "bank_by_sector": bar_chart(by_sector),
        "ideas_by_region": bar_chart(by_region),
    }
