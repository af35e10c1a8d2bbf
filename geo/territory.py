"""Who holds what, day by day: the ground of every site, merged into control areas.

Method
------
The state (:mod:`geo.control`) gives, for every day, the controller, status and basis of
every *site* (about 10,000 populated places, neighbourhoods and facilities, see
:mod:`geo.sites`). Each site stands for a *cell*: the ground closer to it than to any
other site of its district (a Voronoi cell in the profile's projected CRS, cut to the
district polygon and the country's outline), split into its settled part (within
:data:`geo.sites.SETTLED_KM` of the site) and the rest, flagged ``sparse``: desert and
steppe far from any town, drawn lighter with the controller of its nearest town rather
than as a confident block. Cells tile the outline, so a day's areas add up to the
country.

Areas are merged by (controller, status, basis, sparse): contested, uncertain and
inferred ground stays apart from reported ground, and ``basis`` names the rule that drew
every area (``baseline``, ``extracted``, ``curated``, ``region``, ``hinterland``,
``front``, ``vacated``, ``collapse``, ``stale``; see :mod:`geo.inference`). To make a day
fast, cells are first merged once into *atoms*: cells whose key is the same on every day
of the period. A day then merges a few hundred atoms (a coverage union), not ten thousand
cells. Atoms are simplified as a coverage (shared edges stay shared) by
:data:`SIMPLIFY_M` and measured in km² in the projected CRS before the result is returned
in longitude/latitude (EPSG:4326).

Limits
------
- A cell ends half way to the next site, not at a real front line, river or road; the
  sparse ground takes its nearest town's controller, whoever patrols the desert.
- Sub-districts are centroids only, so the baseline of a site is its nearest
  sub-district centroid's (corrected by the cited overrides).
- Natural Earth's outline leaves out the Golan west of its line (a de facto view), with
  the ruins of Quneitra about a kilometre outside it; no site there gets a cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._io import read_vector
from .errors import DataError
from .inference import BASES, INFERRED, STATUSES, Control
from .profile import Profile, load_profile
from .sites import Cells

__all__ = [
    "BASES",
    "INFERRED",
    "STATUSES",
    "TERRITORY_COLUMNS",
    "Atoms",
    "area_by_actor",
    "atoms_of",
    "read_outline",
    "territory",
    "territory_for_day",
]

TERRITORY_COLUMNS: tuple[str, ...] = (
    "day",
    "controller",
    "status",
    "basis",
    "sparsely_populated",
    "area_km2",
)
#: Atoms are simplified by this many metres (as a coverage: neighbours stay flush).
SIMPLIFY_M = 150.0


# ---------------------------------------------------------------------------
# reading the outline


def read_outline(profile: Profile | None = None) -> gpd.GeoDataFrame:
    """The country's outline in EPSG:4326, one row; any problem is one DataError naming the file."""
    path = (profile or load_profile()).file("outline")
    frame = read_vector(path, "outline")
    geoms = frame.geometry
    if frame.empty or not geoms.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        msg = f"{path}: not an outline file (expected polygons)"
        raise DataError(msg)
    if not geoms.is_valid.all():
        msg = f"{path}: the outline polygon is invalid"
        raise DataError(msg)
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    return gpd.GeoDataFrame(geometry=[frame.geometry.union_all()], crs="EPSG:4326")


# ---------------------------------------------------------------------------
# atoms and days


class Atoms:
    """Cells merged by their key on every day: ``codes[d, a]`` is atom ``a``'s key on day
    ``d`` (an index into ``keys``); geometries in EPSG:4326, areas in km²."""

    def __init__(
        self,
        geometry: np.ndarray,
        area_km2: np.ndarray,
        codes: np.ndarray,
        keys: list[tuple[str, str, str, bool]],
        days: list[dt.date],
    ) -> None:
        self.geometry = geometry
        self.area_km2 = area_km2
        self.codes = codes
        self.keys = keys
        self.days = days


def _union(parts: np.ndarray) -> object:
    if len(parts) == 1:
        return parts[0]
    try:
        return shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:  # not a clean coverage: the robust union
        return shapely.union_all(shapely.make_valid(parts))


def atoms_of(cells: Cells, controls: Sequence[Control], days: Sequence[dt.date]) -> Atoms:
    """Merge the cells whose (controller, status, basis, sparse) is the same every day."""
    if not len(controls):
        msg = "no days to draw"
        raise ValueError(msg)
    site = cells.site
    keys: dict[tuple[str, str, str, bool], int] = {}
    codes = np.empty((len(controls), len(site)), dtype=np.int64)
    for d, ctl in enumerate(controls):
        tuples = zip(
            ctl.controller[site].tolist(),
            ctl.status[site].tolist(),
            ctl.basis[site].tolist(),
            cells.sparse.tolist(),
            strict=True,
        )
        codes[d] = [keys.setdefault(t, len(keys)) for t in tuples]
    signature, atom_of = np.unique(codes.T, axis=0, return_inverse=True)
    atom_of = atom_of.ravel()
    order = np.argsort(atom_of, kind="stable")
    bounds = np.flatnonzero(np.diff(atom_of[order])) + 1
    groups = np.split(order, bounds)
    geoms = np.array([_union(cells.geometry[g]) for g in groups], dtype=object)
    areas = np.array([cells.area_km2[g].sum() for g in groups])
    try:
        geoms = shapely.coverage_simplify(geoms, SIMPLIFY_M)
    except (shapely.errors.GEOSException, AttributeError):  # pragma: no cover
        geoms = shapely.simplify(geoms, SIMPLIFY_M)
    geoms = gpd.GeoSeries(geoms, crs=cells.crs).to_crs("EPSG:4326").to_numpy()
    return Atoms(geoms, areas, signature.T.copy(), list(keys), list(days))


def territory_for_day(atoms: Atoms, d: int) -> gpd.GeoDataFrame:
    """Day ``d`` (an index into ``atoms.days``): one feature per key, in EPSG:4326."""
    codes = atoms.codes[d]
    rows, geoms = [], []
    for code in np.unique(codes):
        members = np.flatnonzero(codes == code)
        controller, status, basis, sparse = atoms.keys[code]
        rows.append(
            (
                atoms.days[d],
                controller,
                status,
                basis,
                bool(sparse),
                float(atoms.area_km2[members].sum()),
            )
        )
        geoms.append(_union(atoms.geometry[members]))
    frame = pd.DataFrame(rows, columns=list(TERRITORY_COLUMNS))
    out = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
    return out.sort_values(
        ["controller", "status", "basis", "sparsely_populated"], kind="stable"
    ).reset_index(drop=True)


def territory(
    cells: Cells, controls: Sequence[Control], days: Sequence[dt.date]
) -> gpd.GeoDataFrame:
    """Control areas for every day: atoms once, then one merge per day."""
    atoms = atoms_of(cells, controls, days)
    out = pd.concat([territory_for_day(atoms, d) for d in range(len(days))], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def _empty_territory() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in TERRITORY_COLUMNS})
    frame["area_km2"] = frame["area_km2"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def area_by_actor(territory: gpd.GeoDataFrame) -> pd.DataFrame:
    """km² per day and controller; a controller seen on any day is listed every day (0 if none)."""
    if territory.empty:
        return pd.DataFrame({"day": [], "controller": [], "area_km2": []})
    table = pd.pivot_table(
        pd.DataFrame(territory[["day", "controller", "area_km2"]]),
        index="day",
        columns="controller",
        values="area_km2",
        aggfunc="sum",
        fill_value=0.0,
    )
    tidy = table.reset_index().melt(id_vars="day", var_name="controller", value_name="area_km2")
    return tidy.sort_values(["day", "controller"], ignore_index=True)
