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
    y: float
    bar_x: float
    bar_width: float
    label_x: float
    value_x: float
    label_anchor: str
    value_anchor: str


def bar_chart(items: list[tuple[str, int]], *, rtl: bool, width: int = 600, row: int = 30):
    """Horizontal bars laid out for an inline SVG; mirrored (labels on the right) in Arabic."""
    label_w, gap, value_w = 200, 8, 60
    track = width - label_w - gap * 2 - value_w
    top = max((value for _, value in items), default=0)
    bars = []
    for index, (label, value) in enumerate(items):
        w = round(track * value / top, 1) if top else 0.0
        y = index * row
        if rtl:
            bar_end = width - label_w - gap
            bars.append(
                Bar(label, value, y, bar_end - w, w, width - 4, bar_end - w - 6, "end", "end")
            )
        else:
            bars.append(
                Bar(
                    label,
                    value,
                    y,
                    label_w + gap,
                    w,
                    label_w,
                    label_w + gap + w + 6,
                    "end",
                    "start",
                )
            )
    return {"bars": bars, "width": width, "height": max(row * len(items), row), "row": row}


def needs_map(sector_label, region_label, rtl: bool) -> dict:
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
        "bank_by_sector": bar_chart(by_sector, rtl=rtl),
        "ideas_by_region": bar_chart(by_region, rtl=rtl),
    }
