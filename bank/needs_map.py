"""The territorial map of needs and potential: Morocco's 12 regions (and a region's provinces)
drawn as SVG on the server, coloured by a layer an organiser picks: the tour's ideas, the bank's
projects, projects per 100,000 inhabitants, jobs planned, or a need from the 2024 census.

The tour's figures are counted in the database with one grouped query each, by the HCP codes
ideas and projects store (`places.reference`). The outlines and the census
figures are reference data, built once per process. Everything is computed here, so the page
needs no chart library, no tiles and no script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from bank.models import BankProject
from competitions.models import Event
from extensions import db
from places import boundaries, census
from places.reference import place, provinces, regions
from submissions.models import SECTORS, Idea
from submissions.states import Eligibility

CLASSES = 5  # colour classes of a layer, lightest to darkest


@dataclass(frozen=True)
class Layer:
    key: str
    label: object  # lazy text
    unit: object  # lazy text, or "%"
    source: object  # lazy text
    family: str  # "tour" (green) or "needs" (brown): the palette
    decimals: int = 0
    census_year: int | None = None  # the census layers' year; the tour's come from its events


LAYERS: tuple[Layer, ...] = (
    Layer("ideas", _l("Ideas received"), _l("ideas"), _l("Idea forms of the tour"), "tour"),
    Layer("projects", _l("Bank projects"), _l("projects"), _l("The project bank"), "tour"),
    Layer(
        "per_100k",
        _l("Bank projects per 100,000 inhabitants"),
        _l("projects per 100,000 inhabitants"),
        _l("The project bank; population: HCP, 2024 census"),
        "tour",
        decimals=2,
    ),
    Layer(
        "jobs",
        _l("Jobs planned"),
        _l("jobs"),
        _l("The project bank (jobs each project plans)"),
        "tour",
    ),
    Layer(
        "unemployment",
        _l("Unemployment rate"),
        "%",
        _l("HCP, 2024 census (labour force aged 15 and over)"),
        "needs",
        decimals=1,
        census_year=census.YEAR,
    ),
    Layer(
        "youth",
        _l("People aged 15 to 34"),
        "%",
        _l("HCP, 2024 census (share of the population)"),
        "needs",
        decimals=1,
        census_year=census.YEAR,
    ),
    Layer(
        "women_activity",
        _l("Women's activity rate"),
        "%",
        _l("HCP, 2024 census (women aged 15 and over in the labour force)"),
        "needs",
        decimals=1,
        census_year=census.YEAR,
    ),
)
LAYER_KEYS = tuple(layer.key for layer in LAYERS)


def layer_of(key: str | None) -> Layer:
    """The layer a `?layer=` names; an unknown or missing one is the first (ideas received)."""
    return next((layer for layer in LAYERS if layer.key == key), LAYERS[0])


# ---- the tour's figures --------------------------------------------------------------------


def _counted_ideas():
    """The tour's real ideas: not calibration, not ineligible or duplicates, not final copies."""
    return (
        Idea.is_calibration.is_(False),
        Idea.eligibility != Eligibility.INELIGIBLE,
        Idea.duplicate_of_id.is_(None),
        Idea.carried_from_id.is_(None),
    )


@dataclass
class Figures:
    ideas: int = 0
    projects: int = 0
    jobs: int = 0
    sectors_ideas: dict[str, int] = field(default_factory=dict)
    sectors_projects: dict[str, int] = field(default_factory=dict)


@dataclass
class Tally:
    """The tour's figures by place code, and what could not be placed (legacy records whose
    typed place no HCP place matched: an organiser chooses it on "Places to correct")."""

    by_code: dict[str, Figures]
    unplaced_ideas: int
    unplaced_projects: int
    years: tuple[int, ...]


def _tally(key: Callable[[str, str], str | None], region_code: str | None = None) -> Tally:
    by_code: dict[str, Figures] = defaultdict(Figures)
    unplaced_ideas = unplaced_projects = 0
    idea_rows = db.session.execute(
        select(Idea.region_code, Idea.province_code, Idea.sector, func.count())
        .where(*_counted_ideas())
        .group_by(Idea.region_code, Idea.province_code, Idea.sector)
    )
    for region, province, sector, count in idea_rows:
        code = key(region, province)
        if code is None:
            unplaced_ideas += count if region_code is None else 0
            continue
        figures = by_code[code]
        figures.ideas += count
        figures.sectors_ideas[sector] = figures.sectors_ideas.get(sector, 0) + count
    project_rows = db.session.execute(
        select(
            BankProject.region_code,
            BankProject.province_code,
            BankProject.sector,
            func.count(),
            func.coalesce(func.sum(BankProject.expected_jobs), 0),
        ).group_by(BankProject.region_code, BankProject.province_code, BankProject.sector)
    )
    for region, province, sector, count, jobs in project_rows:
        code = key(region, province)
        if code is None:
            unplaced_projects += count if region_code is None else 0
            continue
        figures = by_code[code]
        figures.projects += count
        figures.jobs += int(jobs)
        figures.sectors_projects[sector] = figures.sectors_projects.get(sector, 0) + count
    years = db.session.execute(
        select(func.min(Event.date), func.max(Event.date)).where(
            Event.id.in_(select(Idea.event_id).where(*_counted_ideas()))
        )
    ).one()
    span = tuple(sorted({d.year for d in years if d is not None}))
    return Tally(dict(by_code), unplaced_ideas, unplaced_projects, span)


def _value(layer: Layer, figures: Figures | None, needs) -> float | None:
    figures = figures or Figures()
    if layer.key == "ideas":
        return figures.ideas
    if layer.key == "projects":
        return figures.projects
    if layer.key == "jobs":
        return figures.jobs
    if layer.key == "per_100k":
        if needs is None or not needs.population:
            return None
        return round(figures.projects * 100_000 / needs.population, layer.decimals)
    if needs is None:
        return None
    return {
        "unemployment": needs.unemployment_rate,
        "youth": needs.youth_share,
        "women_activity": needs.women_activity_rate,
    }[layer.key]


# ---- colour classes ------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    shade: int  # 0 … CLASSES-1
    low: float  # the smallest and largest values in the class
    high: float


def classes(values: list[float], n: int = CLASSES) -> list[float]:
    """Upper bounds of up to n classes: each distinct value its own class when there are few,
    else quantiles, so that 12 regions spread over the shades rather than crowd into one."""
    ordered = sorted(values)
    distinct = sorted(set(ordered))
    if len(distinct) <= n:
        return distinct
    bounds: list[float] = []
    for i in range(1, n + 1):
        bound = ordered[min(len(ordered) - 1, round(i * len(ordered) / n) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _shade(index: int, count: int) -> int:
    """Spread `count` classes over the palette, lightest to darkest."""
    return 0 if count <= 1 else round(index * (CLASSES - 1) / (count - 1))


def shade_of(value: float | None, bounds: list[float]) -> int:
    """The shade of a value (-1: no data)."""
    if value is None or not bounds:
        return -1
    index = next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)
    return _shade(index, len(bounds))


def legend(values: list[float], bounds: list[float]) -> list[LegendEntry]:
    """One entry per class with the values it really holds ("0", "4 – 6")."""
    entries = []
    for index, bound in enumerate(bounds):
        low = bounds[index - 1] if index else None
        held = [v for v in values if (low is None or v > low) and v <= bound]
        if held:
            entries.append(LegendEntry(_shade(index, len(bounds)), min(held), max(held)))
    return entries


# ---- what the pages show -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """One region (or province) of a map: its outline, its name and every layer's value."""

    code: str
    name_fr: str
    name_ar: str
    path: str
    values: dict[str, float | None]
    shade: int
    figures: Figures

    def name(self, lang: str) -> str:
        return self.name_ar if lang == "ar" and self.name_ar else self.name_fr


@dataclass(frozen=True)
class MapView:
    layer: Layer
    view_box: str
    areas: list[Area]
    legend: list[LegendEntry]
    years: tuple[int, ...]
    unplaced_ideas: int = 0
    unplaced_projects: int = 0

    def ranked(self) -> list[Area]:
        """The areas with a value for the layer, highest first."""
        key = self.layer.key
        present = [area for area in self.areas if area.values[key] is not None]
        return sorted(present, key=lambda area: area.values[key], reverse=True)

    def year_label(self, layer: Layer | None = None) -> str:
        layer = layer or self.layer
        if layer.census_year:
            return str(layer.census_year)
        if not self.years:
            return "—"
        return "–".join(str(y) for y in sorted({self.years[0], self.years[-1]}))


def _view(layer: Layer, drawing, places_by_code, tally: Tally) -> MapView:
    values_by_code = {}
    for outline in drawing.outlines:
        needs = census.needs(outline.code)
        figures = tally.by_code.get(outline.code)
        values_by_code[outline.code] = {each.key: _value(each, figures, needs) for each in LAYERS}
    present = [v[layer.key] for v in values_by_code.values() if v[layer.key] is not None]
    bounds = classes(present)
    areas = []
    for outline in drawing.outlines:
        known = places_by_code.get(outline.code) or place(outline.code)
        values = values_by_code[outline.code]
        areas.append(
            Area(
                code=outline.code,
                name_fr=known.name_fr if known else outline.code,
                name_ar=known.name_ar if known else outline.code,
                path=outline.path,
                values=values,
                shade=shade_of(values[layer.key], bounds),
                figures=tally.by_code.get(outline.code) or Figures(),
            )
        )
    return MapView(
        layer=layer,
        view_box=drawing.view_box,
        areas=areas,
        legend=legend(present, bounds),
        years=tally.years,
        unplaced_ideas=tally.unplaced_ideas,
        unplaced_projects=tally.unplaced_projects,
    )


def regions_map(layer_key: str | None) -> MapView:
    """The country: the 12 regions coloured by the layer."""
    tally = _tally(lambda region, province: region)
    return _view(
        layer_of(layer_key),
        boundaries.regions_drawing(),
        {r.code: r for r in regions()},
        tally,
    )


def provinces_map(region_code: str, layer_key: str | None) -> MapView | None:
    """One region: its provinces and prefectures coloured by the layer (None: no such region)."""
    drawing = boundaries.provinces_drawing(region_code)
    if drawing is None:
        return None

    def key(region: str | None, province: str | None) -> str | None:
        if region != region_code:
            return None
        code = province
        # Casablanca's prefectures of arrondissements are drawn inside their prefecture.
        return ".".join(code.split(".")[:2]) if code else None

    return _view(
        layer_of(layer_key),
        drawing,
        {p.code: p for p in provinces(region_code)},
        _tally(key, region_code),
    )


def region_projects(region_code: str) -> list[BankProject]:
    """The bank's projects of a region, best ranked first (no personal data is read by the
    page: it shows titles, sectors and statuses)."""
    return list(
        db.session.scalars(
            select(BankProject)
            .where(BankProject.region_code == region_code)
            .order_by(BankProject.is_winner.desc(), BankProject.title)
        )
    )


def sector_rows(figures: Figures) -> list[tuple[str, int, int]]:
    """(sector, ideas, projects) for a region, in the form's order of sectors."""
    present = set(figures.sectors_ideas) | set(figures.sectors_projects)
    ordered = [s for s in SECTORS if s in present] + sorted(present - set(SECTORS))
    return [
        (s, figures.sectors_ideas.get(s, 0), figures.sectors_projects.get(s, 0)) for s in ordered
    ]
