"""The profile's own place tables: what no source has, kept as data by people.

- ``place_aliases.csv``: a spelling of a known place (``alias`` → ``target`` id), or a place
  of its own (a base, prison, crossing, city district, square) with an approximate
  position, its kind, the town it belongs to (``parent``) and a cited ``source``;
- ``regions.csv``: named regions, made of admin units or a disc round a point;
- ``common_names.csv``: the name English readers know a place by;
- ``places.csv``: a profile's own places, for a country no repository dataset covers.

Every row must cite its source; a bad row is one line naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._io import listed, number, read_rows, read_table, whole
from .errors import DataError
from .models import Place

__all__ = [
    "AliasRow",
    "RegionRow",
    "profile_places",
    "read_aliases",
    "read_common_names",
    "read_regions",
]


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One row of the alias table: a spelling of a known place, or a place of its own."""

    alias: str
    target: str
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str
    kind: str
    source: str
    parent: str = ""


def read_aliases(path: Path) -> list[AliasRow]:
    """The profile's alias table; every row must cite a source."""
    rows = []
    for line, r in read_rows(path, ("alias", "target", "source")):
        lat, lon = (r.get("lat") or "").strip(), (r.get("lon") or "").strip()
        if not (r.get("source") or "").strip():
            msg = f"{path}:{line}: alias {r['alias']!r} cites no source"
            raise DataError(msg)
        rows.append(
            AliasRow(
                alias=r["alias"].strip(),
                target=(r.get("target") or "").strip(),
                name=(r.get("name") or "").strip(),
                lat=number(lat, path, f"line {line}'s lat") if lat else None,
                lon=number(lon, path, f"line {line}'s lon") if lon else None,
                country=(r.get("country") or "").strip(),
                admin1=(r.get("admin1") or "").strip(),
                kind=(r.get("kind") or "").strip(),
                source=(r.get("source") or "").strip(),
                parent=(r.get("parent") or "").strip(),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A named region no source has (Eastern Ghouta, "the southwest"): where and how big.

    Its shape is the union of the admin ``units`` it is made of when given, else a disc
    of ``radius_km`` around its point, cut to the country's outline.
    """

    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    radius_km: float
    units: tuple[str, ...]
    source: str


def read_regions(path: Path) -> list[RegionRow]:
    """The profile's named regions; every row cites a source."""
    rows = []
    needed = ("name", "aliases", "lat", "lon", "radius_km", "units", "source")
    for line, r in read_rows(path, needed):
        if not r["source"].strip() or not r["name"].strip():
            msg = f"{path}:{line}: a region needs a name and a source"
            raise DataError(msg)
        radius = r["radius_km"].strip()
        rows.append(
            RegionRow(
                name=r["name"].strip(),
                aliases=listed(r["aliases"]),
                lat=number(r["lat"], path, f"line {line}'s lat"),
                lon=number(r["lon"], path, f"line {line}'s lon"),
                radius_km=number(radius, path, f"line {line}'s radius_km") if radius else 0.0,
                units=listed(r["units"]),
                source=r["source"].strip(),
            )
        )
    return rows


def read_common_names(path: Path) -> dict[str, str]:
    """Place id -> the name English readers know it by (Hama, not Ḩamāh)."""
    table = {}
    for line, r in read_rows(path, ("place_id", "name", "source")):
        if not r["name"].strip() or not r["place_id"].strip():
            msg = f"{path}:{line}: a common name needs place_id and name"
            raise DataError(msg)
        table[r["place_id"].strip()] = r["name"].strip()
    return table


def profile_places(path: Path, country: str) -> list[Place]:
    """A profile's own table of places (``id,name,lat,lon,kind,feature,admin1,population,
    aliases,source``): for a country no repository dataset covers, or a place they lack."""
    rows = read_table(path, ("id", "name", "lat", "lon", "kind", "source"))
    return [
        Place(
            id=r["id"],
            name=r["name"],
            lat=number(r["lat"], path, f"the latitude of {r['name']!r}"),
            lon=number(r["lon"], path, f"the longitude of {r['name']!r}"),
            country=country,
            admin1=r.get("admin1") or "",
            kind=r["kind"] or "populated place",
            population=whole(r.get("population")),
            source=f"profile: {r['source']}",
            aliases=listed(r.get("aliases")),
            feature=r.get("feature") or "",
            gazetteer_name=r["name"],
        )
        for r in rows
    ]
