"""The profile's place tables: place_aliases.csv, regions.csv and common_names.csv.

Bases, prisons, crossings, city districts and named regions come from no source, only from
these tables: every row must load, resolve to the place it means, sit where that place is
(a district inside its city, a crossing on the border, a region's point inside its
polygon) and cite where it comes from.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
import shapely

from geo.gazetteer import Gazetteer
from geo.index import read_gazetteer
from geo.models import Place
from geo.profile import load_profile
from geo.territory import read_outline

PROFILE = load_profile()
ALIASES = PROFILE.files["aliases"]
REGIONS = PROFILE.files["regions"]
COMMON = PROFILE.files["common_names"]

KINDS = frozenset(
    {
        "neighbourhood",
        "square",
        "landmark",
        "military base",
        "prison",
        "border crossing",
        "bridge",
        "dam",
        "mountain",
        "region",
        "oil field",
        "camp",
    }
)
IN_A_CITY = frozenset({"neighbourhood", "square", "landmark"})
GOVERNORATES = frozenset(
    {
        "Al-Hasakah",
        "Aleppo",
        "As-Suwayda",
        "Damascus",
        "Daraa",
        "Deir ez-Zor",
        "Hama",
        "Homs",
        "Idlib",
        "Latakia",
        "Quneitra",
        "Raqqa",
        "Rif Dimashq",
        "Tartus",
    }
)
KM_PER_DEGREE = 111.2
#: 5 km of the border, in degrees of the outline's boundary distance
BORDER_DEGREES = 0.045


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ALIAS_ROWS = _rows(ALIASES)
REGION_ROWS = _rows(REGIONS)
COMMON_ROWS = _rows(COMMON)
#: the places of their own the alias table makes: name -> its first row
OWN_PLACES = {r["name"]: r for r in reversed(ALIAS_ROWS) if not r["target"]}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, good to a few metres at these ranges."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return KM_PER_DEGREE * math.hypot(lat2 - lat1, dx)


def _own_place(gazetteer: Gazetteer, name: str) -> Place:
    found = [p for p in gazetteer.places.values() if p.id.startswith("al:") and p.name == name]
    assert len(found) == 1, (name, [p.id for p in found])
    return found[0]


def _region(gazetteer: Gazetteer, name: str) -> Place:
    found = [p for p in gazetteer.places.values() if p.id.startswith("rg:") and p.name == name]
    assert len(found) == 1, (name, [p.id for p in found])
    return found[0]


@pytest.fixture(scope="module")
def outline() -> shapely.Geometry:
    return read_outline(PROFILE).geometry.iloc[0]


# ---------------------------------------------------------------------------- (a) the tables load


def test_the_index_accepts_the_tables() -> None:
    """Assembled from the fetched sources without the index file: a bad row would raise."""
    built = read_gazetteer(PROFILE)
    own = [p for p in built.places.values() if p.id.startswith("al:")]
    regions = [p for p in built.places.values() if p.id.startswith("rg:")]
    assert len(own) == len(OWN_PLACES)
    assert len(regions) == len(REGION_ROWS)


def test_the_tables_are_big_enough() -> None:
    assert len(ALIAS_ROWS) >= 250
    assert len(REGION_ROWS) >= 30


@pytest.mark.parametrize("row", ALIAS_ROWS, ids=lambda r: r["alias"])
def test_every_alias_row_is_well_formed(row: dict[str, str]) -> None:
    assert row["alias"].strip() and row["source"].strip()
    if row["target"]:
        # a spelling: nothing else filled in
        assert not any(row[c] for c in ("name", "lat", "lon", "country", "kind", "parent"))
        return
    assert row["name"] and row["kind"] in KINDS, row["kind"]
    for c in ("lat", "lon"):
        decimals = row[c].partition(".")[2]
        assert len(decimals) <= 3, f"{row[c]}: positions are approximate, 2-3 decimals"
    assert row["country"] in {PROFILE.country, *PROFILE.neighbours}
    if row["country"] == PROFILE.country:
        assert row["admin1"] in GOVERNORATES, row["admin1"]
    if row["kind"] in {"neighbourhood", "square"}:
        assert row["parent"], "a district or square names its city"


@pytest.mark.parametrize("name", sorted(OWN_PLACES))
def test_rows_of_one_place_agree(name: str) -> None:
    rows = [r for r in ALIAS_ROWS if r["name"] == name and not r["target"]]
    fields = {(r["lat"], r["lon"], r["country"], r["admin1"], r["kind"], r["parent"]) for r in rows}
    assert len(fields) == 1, fields


def test_no_alias_is_a_bare_generic_word() -> None:
    generic = {"base", "camp", "square", "school", "prison", "airport", "crossing", "bridge", "dam"}
    assert not [r["alias"] for r in ALIAS_ROWS if r["alias"].casefold() in generic]


# ---------------------------------------------------------------------------- (b) look-ups

SAMPLE = [
    # alias, kind, lat, lon (where the place is meant to be)
    ("Base 46", "military base", 36.16, 36.90),
    ("46th Regiment", "military base", 36.16, 36.90),
    ("Brigade 52", "military base", 32.76, 36.35),
    ("93rd Brigade", "military base", 36.40, 38.89),
    ("17th Division", "military base", 35.98, 39.02),
    ("al-Tanf garrison", "military base", 33.50, 38.65),
    ("Kharab al-Jir", "military base", 37.00, 42.02),
    ("Aleppo Artillery School", "military base", 36.16, 37.135),
    ("Saydnaya prison", "prison", 33.665, 36.33),
    ("Sednaya prison", "prison", 33.665, 36.33),
    ("Adra prison", "prison", 33.59, 36.48),
    ("Palestine Branch", "prison", 33.495, 36.32),
    ("Bab al-Hawa crossing", "border crossing", 36.225, 36.665),
    ("Bab al-Salama crossing", "border crossing", 36.63, 37.08),
    ("Nasib crossing", "border crossing", 32.53, 36.19),
    ("Jaber crossing", "border crossing", 32.515, 36.19),
    ("Albu Kamal crossing", "border crossing", 34.42, 40.95),
    ("Semalka", "border crossing", 37.05, 42.355),
    ("Masnaa", "border crossing", 33.705, 35.94),
    ("Jusiyah crossing", "border crossing", 34.42, 36.54),
    ("Tishreen Dam", "dam", 36.38, 38.18),
    ("Euphrates Dam", "dam", 35.87, 38.58),
    ("Qarqozak bridge", "bridge", 36.63, 38.22),
    ("Rastan bridge", "bridge", 34.935, 36.735),
    ("al-Omar oil field", "oil field", 35.08, 40.50),
    ("Conoco gas field", "oil field", 35.38, 40.30),
    ("al-Hol camp", "camp", 36.38, 41.14),
    ("Mount Qasioun", "mountain", 33.545, 36.275),
    ("Sheikh Maqsoud", "neighbourhood", 36.23, 37.15),
    ("New Aleppo", "neighbourhood", 36.209, 37.095),
    ("Salaheddine", "neighbourhood", 36.183, 37.133),
    ("Saadallah al-Jabiri Square", "square", 36.207, 37.15),
    ("Aleppo Citadel", "landmark", 36.199, 37.163),
    ("Umayyad Square", "square", 33.513, 36.276),
    ("Abbasiyin Square", "square", 33.522, 36.324),
    ("Kafr Sousa", "neighbourhood", 33.497, 36.268),
    ("Rukn al-Din", "neighbourhood", 33.535, 36.297),
    ("Bab Touma", "neighbourhood", 33.514, 36.316),
    ("Baba Amr", "neighbourhood", 34.718, 36.69),
    ("al-Waer", "neighbourhood", 34.745, 36.66),
    ("al-Karama Square", "square", 32.708, 36.567),
    ("Ancient city of Palmyra", "landmark", 34.553, 38.268),
    # spellings of places the gazetteer has
    ("T4", "air base", 34.523, 37.630),
    ("Menagh airbase", "air base", 36.522, 37.041),
    ("Kuweires airbase", "air base", 36.187, 37.583),
    ("Hama military airport", "air base", 35.118, 36.711),
    ("al-Thaala airport", "air base", 32.705, 36.413),
    ("Abu al-Duhur military airport", "air base", 35.732, 37.104),
    ("Nayrab airport", "airport", 36.181, 37.224),
    ("Mezzeh military airport", "airport", 33.477, 36.223),
    ("Hmeimim air base", "airport", 35.401, 35.949),
    ("Damascus airport", "airport", 33.411, 36.516),
    ("Maadamiyat al-Sham", "populated place", 33.465, 36.202),
    ("Qamishlo", "populated place", 37.052, 41.231),
    # named regions
    ("Golan", "region", 33.00, 35.75),
    ("Qalamoun", "region", 33.95, 36.60),
    ("Jebel Druze", "region", 32.70, 36.70),
    ("AANES", "region", 36.50, 40.60),
    ("Ghouta", "region", 33.55, 36.42),
    ("UNDOF buffer zone", "region", 33.09, 35.86),
    ("Homs desert", "region", 34.40, 38.40),
]


@pytest.mark.parametrize(("alias", "kind", "lat", "lon"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_alias_resolves_to_the_place_meant(
    gazetteer: Gazetteer, alias: str, kind: str, lat: float, lon: float
) -> None:
    found = gazetteer.lookup(alias)
    assert found, alias
    best = found[0]
    assert best.kind == kind, (best.id, best.name, best.kind)
    assert _km(best.lat, best.lon, lat, lon) <= 5, (best.id, best.lat, best.lon)


# ---------------------------------------------------------------------------- (c) inside the city

CITY_PLACES = sorted(n for n, r in OWN_PLACES.items() if r["kind"] in IN_A_CITY and r["parent"])


@pytest.mark.parametrize("name", CITY_PLACES)
def test_city_place_lies_within_12_km_of_its_city(gazetteer: Gazetteer, name: str) -> None:
    place = _own_place(gazetteer, name)
    city = gazetteer.places[place.parent]
    assert city.kind == "populated place"
    assert city.name == OWN_PLACES[name]["parent"], (city.id, city.name)
    assert _km(place.lat, place.lon, city.lat, city.lon) <= 12


# ---------------------------------------------------------------------------- (d) regions


@pytest.mark.parametrize("row", REGION_ROWS, ids=lambda r: r["name"])
def test_region_has_a_polygon_holding_its_point(gazetteer: Gazetteer, row: dict[str, str]) -> None:
    region = _region(gazetteer, row["name"])
    shape = gazetteer.shape(region.id)
    assert shape is not None and not shape.is_empty
    assert shape.contains(shapely.Point(region.lon, region.lat))  # x=lon, y=lat
    for alias in filter(None, row["aliases"].split("|")):
        assert region in gazetteer.lookup(alias), alias


def test_region_rows_are_not_also_alias_places() -> None:
    names = {r["name"].casefold() for r in REGION_ROWS}
    assert not [n for n in OWN_PLACES if n.casefold() in names]
    assert not [r for r in ALIAS_ROWS if r["kind"] == "region"]


# ---------------------------------------------------------------------------- (e) crossings

CROSSINGS = sorted(n for n, r in OWN_PLACES.items() if r["kind"] == "border crossing")


@pytest.mark.parametrize("name", CROSSINGS)
def test_crossing_lies_on_the_border(
    gazetteer: Gazetteer, outline: shapely.Geometry, name: str
) -> None:
    place = _own_place(gazetteer, name)
    point = shapely.Point(place.lon, place.lat)
    assert outline.boundary.distance(point) <= BORDER_DEGREES
    # its side of the line: Syria's posts inside the outline, the neighbours' outside
    # (give or take a kilometre of the outline's own precision)
    syrian = place.country == PROFILE.country
    assert outline.buffer(0.009 if syrian else -0.009).contains(point) == syrian


# ---------------------------------------------------------------------------- common names

COMMON_SAMPLE = [
    ("Hama", 35.13, 36.76),
    ("Palmyra", 34.56, 38.28),
    ("Al-Hol", 36.39, 41.15),
    ("Tal Tamr", 36.66, 40.37),
    ("Maskanah", 35.97, 38.04),
    ("Salkhad", 32.49, 36.71),
    ("Al-Haffah", 35.60, 36.03),
    ("Al-Zahraa", 36.36, 37.01),
    ("Al-Sukhnah", 34.89, 38.87),
    ("Saasaa", 33.28, 36.02),
]


@pytest.mark.parametrize("row", COMMON_ROWS, ids=lambda r: f"{r['place_id']}-{r['name']}")
def test_common_name_is_applied(gazetteer: Gazetteer, row: dict[str, str]) -> None:
    place = gazetteer.places[row["place_id"]]
    assert place.name == row["name"]
    assert row["source"].strip()


@pytest.mark.parametrize(("name", "lat", "lon"), COMMON_SAMPLE, ids=[s[0] for s in COMMON_SAMPLE])
def test_common_name_sits_on_the_right_namesake(
    gazetteer: Gazetteer, name: str, lat: float, lon: float
) -> None:
    rows = [r for r in COMMON_ROWS if r["name"] == name]
    assert len(rows) == 1, rows
    place = gazetteer.places[rows[0]["place_id"]]
    assert _km(place.lat, place.lon, lat, lon) <= 5, (place.id, place.lat, place.lon)
