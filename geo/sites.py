"""The sites whose control the map tracks, and the cells of ground each one stands for.

Control is a property of places people live in and of the facilities armies hold, so the
sites are the gazetteer's populated places in the profile's country (Who's On First
localities and GeoNames towns, about 10,000), its city neighbourhoods, and its
facilities (air bases, airports, military bases, prisons, border crossings). Sites at
the same spot (within :data:`SAME_SPOT_M`) are one site: the most populous keeps it.

Each site carries what the inference rules ask of it: its district (the district
polygon its point falls in), its sub-district (the nearest sub-district centroid of that
district: Open-Syria gives sub-districts as centroids only, so this is a proxy), whether
it is a district seat or a city, and a population (a default by seat level when the
sources give none).

Cells (:func:`site_cells`): each district is cut into Voronoi cells of its own sites, in
the profile's projected CRS, clipped to the district polygon and the country's outline,
so a cell never crosses a district line; ground no district polygon covers is cut among
all sites. A cell is then split in two: the ground within :data:`SETTLED_KM` of its site
(settled) and the rest (sparsely populated: the desert between distant towns, drawn
lighter, with the controller of its nearest town). Cells depend only on the gazetteer
and the outline, so they are computed once and kept beside the gazetteer index.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import settings
from .gazetteer import DEFAULT_POPULATION, VILLAGE_POPULATION, Gazetteer
from .names import consonant_key
from .profile import Profile

__all__ = [
    "CITY_POPULATION",
    "SETTLED_KM",
    "SITE_KINDS",
    "Cells",
    "Sites",
    "build_sites",
    "site_cells",
]

#: Kinds of gazetteer place that are sites.
SITE_KINDS: frozenset[str] = frozenset(
    {
        "populated place",
        "neighbourhood",
        "air base",
        "airport",
        "military base",
        "prison",
        "border crossing",
    }
)
#: Sites closer than this (metres) are one site.
SAME_SPOT_M = 100.0
#: A town of at least this many people is a city: its fall carries its district.
CITY_POPULATION = 50_000
#: How far (km) from its site a cell counts as settled; beyond is sparsely populated.
SETTLED_KM = 8.0
#: Spacing (km) of the lattice of points that stands for the sparsely populated ground.
LATTICE_KM = 12.0
#: GeoNames codes of a district seat (or higher).
DISTRICT_SEATS = frozenset({"PPLC", "PPLA", "PPLA2"})
#: A town named like its sub-district within this many km of the centroid is its seat.
SEAT_NEAR_KM = 15.0
#: GeoNames code of a sub-district seat.
SUBDISTRICT_SEAT = "PPLA3"
_CELLS_VERSION = 4


@dataclass(frozen=True, eq=False)
class Sites:
    """The tracked sites as parallel arrays (index ``i`` is one site) plus a frame view.

    ``x``/``y`` are metres in the profile's CRS. ``district`` and ``subdistrict`` are
    admin unit ids (``""`` when unknown); ``seat`` is ``"district"``, ``"subdistrict"``
    or ``""``; ``city`` marks towns of :data:`CITY_POPULATION` or more.
    """

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    x: np.ndarray
    y: np.ndarray
    district: np.ndarray
    subdistrict: np.ndarray
    seat: np.ndarray
    city: np.ndarray
    population: np.ndarray
    crs: str

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def points(self) -> np.ndarray:
        """Each site as a shapely point in the projected CRS (made once: rules look them up)."""
        return shapely.points(self.x, self.y)

    def __getstate__(self) -> dict[str, object]:
        # pickled without the points: unpickling 10^4 shapely objects one by one is slow
        return {k: v for k, v in self.__dict__.items() if k != "points"}

    def index(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.ids)}

    def nearest(self, lat: float, lon: float) -> int:
        """The site nearest a point given in degrees (the site whose cell most likely holds it)."""
        x, y = _project([lon], [lat], self.crs)
        return int(np.argmin((self.x - x[0]) ** 2 + (self.y - y[0]) ** 2))

    def within(self, shape_4326: object) -> np.ndarray:
        """Indices of the sites inside a polygon given in EPSG:4326."""
        if shape_4326 is None or shapely.is_empty(shape_4326):
            return np.zeros(0, dtype=int)
        return np.flatnonzero(shapely.contains_xy(shape_4326, self.lon, self.lat))

    def frame(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "site_id": self.ids,
                "name": self.names,
                "kind": self.kinds,
                "district": self.district,
                "subdistrict": self.subdistrict,
                "seat": self.seat,
                "city": self.city,
                "population": self.population,
                "lat": self.lat,
                "lon": self.lon,
            },
            geometry=self.points,
            crs=self.crs,
        )


def _project(lon: object, lat: object, crs: str) -> tuple[np.ndarray, np.ndarray]:
    # geometry takes (x=lon, y=lat): the one place the order flips
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(crs)
    return pts.x.to_numpy(), pts.y.to_numpy()


def _units(gazetteer: Gazetteer, country: str, kind: str) -> list:  # list[Place]
    return sorted(
        (p for p in gazetteer.places.values() if p.kind == kind and p.country == country),
        key=lambda p: p.id,
    )


def _index_stamp(profile: Profile) -> str | None:
    """What identifies the built gazetteer index on disk (``None`` if there is none)."""
    from .index import index_path

    try:
        st = index_path(profile).stat()
    except OSError:
        return None
    return f"{_CELLS_VERSION}:{profile.slug}:{profile.crs}:{st.st_mtime_ns}:{st.st_size}"


def build_sites(gazetteer: Gazetteer, profile: Profile) -> Sites:
    """Every site of the profile's country, with its district, sub-district and seat level.

    Kept beside the gazetteer index (a few tenths of a second saved per build) when the
    gazetteer is the index's own.
    """
    memo = ("sites", profile.slug, profile.crs)
    cached = gazetteer.derived.get(memo)
    if cached is not None:
        return cached  # type: ignore[return-value]
    stamp = _index_stamp(profile)
    path = None
    if stamp is not None and len(gazetteer.places) > 1000:
        key = hashlib.sha256(f"{stamp}:{len(gazetteer.places)}".encode()).hexdigest()[:20]
        path = Path(settings.index_dir) / f"sites-{profile.slug}-{key}.pickle"
        try:
            with path.open("rb") as f:
                found = pickle.load(f)
            if isinstance(found, Sites):
                gazetteer.derived[memo] = found
                return found
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            pass
    sites = _build_sites(gazetteer, profile)
    gazetteer.derived[memo] = sites
    if path is not None:
        _dump(sites, path)
    return sites


def _dump(value: object, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only folder: computed again next time


def _build_sites(gazetteer: Gazetteer, profile: Profile) -> Sites:
    places = sorted(
        (
            p
            for p in gazetteer.places.values()
            if p.kind in SITE_KINDS and p.country == profile.country
        ),
        key=lambda p: (p.kind != "populated place", -p.population, p.id),
    )
    x, y = _project([p.lon for p in places], [p.lat for p in places], profile.crs)
    # the same spot: the first (a town before a facility, the most populous) keeps it
    key = pd.DataFrame({"x": np.round(x / SAME_SPOT_M), "y": np.round(y / SAME_SPOT_M)})
    keep = np.flatnonzero(~key.duplicated().to_numpy())
    places = [places[i] for i in keep]
    x, y = x[keep], y[keep]
    points = shapely.points(x, y)

    districts = _units(gazetteer, profile.country, "district")
    district_ids = _districts_of(points, districts, gazetteer, profile.crs)
    subs = _units(gazetteer, profile.country, "subdistrict")
    sx, sy = _project([s.lon for s in subs], [s.lat for s in subs], profile.crs)
    subdistrict = _subdistricts_of(x, y, district_ids, subs, sx, sy)

    seats = {t.id for d in districts if (t := gazetteer.seat_of(d)) is not None}
    feature = np.array([p.feature for p in places], dtype=object)
    ids = np.array([p.id for p in places], dtype=object)
    sub_seats = _subdistrict_seats(places, x, y, subs, sx, sy)
    seat = np.where(
        np.isin(feature, list(DISTRICT_SEATS)) | np.isin(ids, list(seats)),
        "district",
        np.where((feature == SUBDISTRICT_SEAT) | np.isin(ids, list(sub_seats)), "subdistrict", ""),
    ).astype(object)
    population = np.array(
        [p.population or DEFAULT_POPULATION.get(p.feature, VILLAGE_POPULATION) for p in places]
    )
    kinds = np.array([p.kind for p in places], dtype=object)
    sites = Sites(
        ids=np.array([p.id for p in places], dtype=object),
        names=np.array([p.name for p in places], dtype=object),
        kinds=kinds,
        lat=np.array([p.lat for p in places]),
        lon=np.array([p.lon for p in places]),
        x=x,
        y=y,
        district=district_ids,
        subdistrict=subdistrict,
        seat=seat,
        city=(population >= CITY_POPULATION) & (kinds == "populated place"),
        population=population,
        crs=profile.crs,
    )
    return sites


def _districts_of(
    points: np.ndarray, districts: list, gazetteer: Gazetteer, crs: str
) -> np.ndarray:
    """The district polygon each point falls in (the nearest if none). Without district
    polygons each site is a district of its own: no rule carries a fall past the town."""
    if not districts:
        return np.array([f"site:{i}" for i in range(len(points))], dtype=object)
    polygons = (
        gpd.GeoSeries([gazetteer.shape(d.id) for d in districts], crs="EPSG:4326")
        .to_crs(crs)
        .to_numpy()
    )
    tree = shapely.STRtree(polygons)
    hit_point, hit_poly = tree.query(points, predicate="within")
    district_of = np.full(len(points), -1)
    district_of[hit_point] = hit_poly
    lost = np.flatnonzero(district_of < 0)
    if len(lost):
        district_of[lost] = tree.query_nearest(points[lost], all_matches=False)[1]
    return np.array([d.id for d in districts], dtype=object)[district_of]


def _subdistricts_of(
    x: np.ndarray,
    y: np.ndarray,
    district_ids: np.ndarray,
    subs: list,
    sx: np.ndarray,
    sy: np.ndarray,
) -> np.ndarray:
    """The nearest sub-district centroid of each site's own district (any district's if it
    has none); the district itself when the gazetteer has no sub-districts."""
    if not subs:
        return district_ids.copy()
    sub_ids = np.array([s.id for s in subs], dtype=object)
    sub_district = np.array([s.id[: len(s.id) - 2] for s in subs], dtype=object)
    subdistrict = np.empty(len(x), dtype=object)
    for d in np.unique(district_ids):
        rows = np.flatnonzero(district_ids == d)
        cand = np.flatnonzero(sub_district == d)
        if not len(cand):
            cand = np.arange(len(subs))
        d2 = (x[rows, None] - sx[None, cand]) ** 2 + (y[rows, None] - sy[None, cand]) ** 2
        subdistrict[rows] = sub_ids[cand[d2.argmin(axis=1)]]
    return subdistrict


def _subdistrict_seats(
    places: list, x: np.ndarray, y: np.ndarray, subs: list, sx: np.ndarray, sy: np.ndarray
) -> set[str]:
    """Towns a sub-district is named after: same vowel-less name, within
    :data:`SEAT_NEAR_KM` of its centroid (the most populous if several)."""
    by_key: dict[str, list[int]] = {}
    for i, p in enumerate(places):
        if p.kind == "populated place":
            by_key.setdefault(consonant_key(p.name), []).append(i)
    found = set()
    for s, cx, cy in zip(subs, sx, sy, strict=True):
        near = [
            i
            for i in by_key.get(consonant_key(s.name), [])
            if math.hypot(x[i] - cx, y[i] - cy) <= SEAT_NEAR_KM * 1000.0
        ]
        if near:
            found.add(places[max(near, key=lambda i: places[i].population)].id)
    return found


# ---------------------------------------------------------------------------
# cells


@dataclass(frozen=True, eq=False)
class Cells:
    """Pieces of ground in the profile's CRS: ``site[k]`` holds ``geometry[k]``; ``sparse[k]``
    marks the part of its cell beyond :data:`SETTLED_KM`. ``area_km2`` is each piece's area."""

    site: np.ndarray
    sparse: np.ndarray
    geometry: np.ndarray
    area_km2: np.ndarray
    crs: str

    def __getstate__(self) -> dict[str, object]:
        # the geometries as one WKB array, read back in one vectorised call: unpickled one
        # by one, 10^4 shapely objects cost a tenth of a second of every cold build
        return {**self.__dict__, "geometry": shapely.to_wkb(self.geometry)}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, shapely.from_wkb(value) if name == "geometry" else value)


def _cells_key(sites: Sites, outline: object) -> str:
    h = hashlib.sha256(f"{_CELLS_VERSION}:{SETTLED_KM}:{LATTICE_KM}:{sites.crs}".encode())
    h.update("|".join(sites.ids).encode())
    h.update(np.round(sites.x).tobytes() + np.round(sites.y).tobytes())
    h.update(shapely.to_wkb(outline))
    return h.hexdigest()[:20]


def site_cells(
    sites: Sites,
    outline_4326: gpd.GeoDataFrame,
    gazetteer: Gazetteer,
    profile: Profile,
    *,
    cache_dir: Path | None = None,
) -> Cells:
    """Every site's cell (settled and sparse parts), cut to its district and the outline.

    Kept on disk under ``cache_dir`` (the gazetteer index folder by default), keyed by a
    hash of the sites, the outline and the district polygons.
    """
    region = outline_4326.to_crs(sites.crs).geometry.union_all()
    key = _cells_key(sites, region)
    memo = ("cells", key)
    if memo in gazetteer.derived:
        return gazetteer.derived[memo]  # type: ignore[return-value]
    folder = Path(cache_dir or settings.index_dir)
    path = folder / f"cells-{profile.slug}-{key}.pickle"
    cells: Cells | None = None
    try:
        with path.open("rb") as f:
            cells = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        cells = None
    if not isinstance(cells, Cells):
        cells = _make_cells(sites, region)
        _dump(cells, path)
    gazetteer.derived[memo] = cells
    return cells


def _lattice(region: object, points: np.ndarray) -> np.ndarray:
    """Points of a :data:`LATTICE_KM` grid inside ``region`` and farther than
    :data:`SETTLED_KM` from every site: the sparsely populated ground."""
    step = LATTICE_KM * 1000.0
    x0, y0, x1, y1 = shapely.bounds(region)
    gx, gy = np.meshgrid(np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step))
    grid = shapely.points(gx.ravel(), gy.ravel())
    grid = grid[shapely.contains(region, grid)]
    if not len(grid):
        return grid
    near = shapely.STRtree(points).query(grid, predicate="dwithin", distance=SETTLED_KM * 1000.0)
    far = np.ones(len(grid), dtype=bool)
    far[near[0]] = False
    return grid[far]


def _make_cells(sites: Sites, region: object) -> Cells:
    # one Voronoi diagram of the sites and of lattice points in the empty ground, cut to
    # the outline: an exact coverage (neighbours share their edges vertex for vertex),
    # which the territory merges in milliseconds; a lattice point's cell is sparse
    # ground and goes with its nearest site
    points = sites.points
    lattice = _lattice(region, points)
    generators = np.concatenate([points, lattice])
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(generators), extend_to=region, ordered=True
    )
    cells = shapely.intersection(shapely.get_parts(diagram), region)
    owner = np.arange(len(generators))
    if len(lattice):
        owner[len(points) :] = shapely.STRtree(points).query_nearest(lattice, all_matches=False)[1]
    sparse = np.arange(len(generators)) >= len(points)
    area = shapely.area(cells) / 1e6
    keep = (area > 1e-6) & (shapely.get_type_id(cells) >= 3)
    return Cells(owner[keep], sparse[keep], cells[keep], area[keep], sites.crs)
