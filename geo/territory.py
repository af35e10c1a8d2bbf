"""Who holds what, day by day: control areas drawn around sites with a known controller.

Method
------
The timeline gives, for every day, a table of *sites* (points) and who controls each:
the 272 Open-Syria sub-district centroids (the baseline, the same set every day) plus the
places named in events. We turn those points into areas in three steps.

1. **Cells.** Each site gets the part of Syria that is closer to it than to any other
   site (a Voronoi cell), computed once per build in metres (UTM zone 37N, EPSG:32637)
   and cut to the Natural Earth outline of Syria. The cells tile the country with no
   gaps or overlaps, so the areas of a day always add up to Syria's area. Sites at the
   same spot (within about a metre) share one cell: the first of them in the input
   makes the cell, the others are listed with the same cell, and on each day the cell
   goes to the best-sourced of them (curated, then extracted, then inferred, then
   baseline; the first in the input on a tie). A site whose cell lies wholly outside
   Syria gets no cell.
2. **Corridors** ("a city does not fall alone"). When a reported event (basis
   ``extracted`` or ``curated``) puts a site in the hands of an actor, we draw a straight
   line from it to the nearest site that actor held at the start (basis ``baseline``) and
   hand every baseline site of another controller within ``width_km`` (15 km by default)
   of that line to the actor, marked ``basis="inferred"``. Reported sites are never
   overwritten. An actor that held nothing at the start (no baseline site) takes the
   baseline sites within ``width_km`` of the place it took instead: a city's own
   surroundings fall with it. When two corridors claim the same site, the nearer line
   wins. Only the armed groups that advanced expand this way (HTS-led coalition, SNA, SDF, Southern
   Operations Room, Suwayda factions, US-led coalition); "Government", "local uprising"
   and "unknown" do not. A Government re-capture would in reality pull a corridor too;
   we leave it out to keep the rule simple.
3. **Areas.** The cells of a day are merged by (controller, status, basis), so contested
   and inferred ground stays apart from ground held by a reported event, and measured
   in km² in UTM 37N before the result is returned in longitude/latitude (EPSG:4326).

Limits
------
- The shape of an area is only as good as the density of sites: a cell ends half way to
  the next site, not at a real front line, river or road. Sparse desert sites make
  large, blocky cells (the Badia east of Homs is one or two sites wide).
- Corridors are straight bands; they ignore roads and terrain, and a single wrongly
  reported capture far behind the lines paints a long band of inferred control. An actor
  with no baseline site (a group that held nothing at the start) only takes the
  surroundings of the places it took.
- UTM 37N stretches areas at Syria's west and east edges by at most about 0.1 %.
- Natural Earth's outline leaves out the Golan west of the 1974 line (its de facto view),
  so the Al-Butayhah sub-district centroid (SY140201) there gets no cell.
- A site missing from a day's table is drawn as ``unknown`` (``held``, ``baseline``), so
  the country is always covered.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataError
from .profile import Profile, load_profile

__all__ = [
    "BASES",
    "METRIC_CRS",
    "STATUSES",
    "area_by_actor",
    "build_territory",
    "infer_corridors",
    "read_outline",
    "territory_for_day",
    "tessellate",
]

#: The projected CRS in which cells, distances and areas are computed (UTM zone 37N, metres).
METRIC_CRS = "EPSG:32637"

STATUSES: tuple[str, ...] = ("held", "contested", "changed")
BASES: tuple[str, ...] = ("baseline", "extracted", "curated", "inferred")

#: Bases that come from a reported event and are never overwritten by inference.
REPORTED: frozenset[str] = frozenset({"extracted", "curated"})

STATE_COLUMNS: tuple[str, ...] = ("site_id", "lat", "lon", "day", "controller", "status", "basis")
TERRITORY_COLUMNS: tuple[str, ...] = ("day", "controller", "status", "basis", "area_km2")

# which site of a shared cell speaks for it (lower wins)
_BASIS_RANK = {"curated": 0, "extracted": 1, "inferred": 2, "baseline": 3}
# points closer than this (metres) are the same place
_SAME_PLACE_M = 1.0
_MISSING = {"controller": "unknown", "status": "held", "basis": "baseline"}

# ---------------------------------------------------------------------------
# reading the outline


def read_outline(profile: Profile | None = None) -> gpd.GeoDataFrame:
    """The country's outline in EPSG:4326, one row; any problem is one DataError naming the file."""
    path = (profile or load_profile()).file("outline")
    if not path.is_file():
        msg = f"{path}: outline file not found"
        raise DataError(msg)
    try:
        frame = gpd.read_file(path)
    except (OSError, RuntimeError, ValueError) as err:
        msg = f"{path}: cannot read outline file ({err})"
        raise DataError(msg) from err
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
# input checks


def _check_state(
    state: pd.DataFrame, name: str = "state", profile: Profile | None = None
) -> pd.DataFrame:
    """The table with ``day`` as dates, or ValueError naming what is wrong."""
    if not isinstance(state, pd.DataFrame):
        msg = f"{name} must be a DataFrame, not {type(state).__name__}"
        raise TypeError(msg)
    missing = [c for c in STATE_COLUMNS if c not in state.columns]
    if missing:
        msg = f"{name} lacks columns {', '.join(missing)}"
        raise ValueError(msg)
    controllers = (profile or load_profile()).actor_names
    for column, allowed in (("controller", controllers), ("status", STATUSES), ("basis", BASES)):
        bad = state.loc[~state[column].isin(allowed), column]
        if not bad.empty:
            msg = f"{name} has an unknown {column} {bad.iloc[0]!r}"
            raise ValueError(msg)
    lat = pd.to_numeric(state["lat"], errors="coerce")
    lon = pd.to_numeric(state["lon"], errors="coerce")
    bad_rows = lat.isna() | lon.isna() | ~lat.between(-90, 90) | ~lon.between(-180, 180)
    if bad_rows.any():
        row = state.loc[bad_rows].iloc[0]
        where = f"{row['lat']!r}, {row['lon']!r}"
        msg = f"{name} has a bad coordinate for site {row['site_id']!r}: {where}"
        raise ValueError(msg)
    if pd.api.types.is_datetime64_any_dtype(state["day"]):
        state = state.assign(day=state["day"].dt.date)
    return state


def _one_day(state_day: pd.DataFrame) -> dt.date:
    days = pd.unique(state_day["day"])
    if len(days) != 1:
        msg = f"expected the sites of one day, got {len(days)} days ({list(days)[:3]!r}...)"
        raise ValueError(msg)
    dups = state_day["site_id"].duplicated()
    if dups.any():
        msg = f"site {state_day.loc[dups, 'site_id'].iloc[0]!r} appears twice on {days[0]}"
        raise ValueError(msg)
    return days[0]


def _metric_points(lat: pd.Series, lon: pd.Series) -> np.ndarray:
    # geometry takes (x=lon, y=lat): the one place the order flips
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return points.to_crs(METRIC_CRS).to_numpy()


# ---------------------------------------------------------------------------
# cells


def tessellate(sites: gpd.GeoDataFrame, outline: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One Voronoi cell per ``site_id``, cut to the outline, in EPSG:32637 (once per build).

    Sites at the same spot share the first one's cell (``cell_id`` names it); a site
    whose cell falls wholly outside the outline is left out.
    """
    if not isinstance(sites, gpd.GeoDataFrame) or sites.crs is None:
        msg = "sites must be a GeoDataFrame of points with a crs"
        raise TypeError(msg)
    if "site_id" not in sites.columns:
        msg = "sites lack a site_id column"
        raise ValueError(msg)
    if sites.empty:
        msg = "no sites to tessellate"
        raise ValueError(msg)
    if not (sites.geom_type == "Point").all():
        msg = "sites must be points"
        raise ValueError(msg)
    region = outline.to_crs(METRIC_CRS).geometry.union_all()

    frame = sites[["site_id", sites.geometry.name]].drop_duplicates("site_id")
    points = frame.geometry.to_crs(METRIC_CRS).to_numpy()
    # sites at the same spot: the first one's point makes the cell, the others share it
    xy = np.round(shapely.get_coordinates(points) / _SAME_PLACE_M)
    first = pd.DataFrame(xy).groupby([0, 1], sort=False).ngroup().to_numpy()
    lead = pd.Series(np.arange(len(frame))).groupby(first).transform("first").to_numpy()
    unique_idx = np.unique(lead)

    if len(unique_idx) == 1:
        cells = np.array([region])
    else:
        diagram = shapely.voronoi_polygons(
            shapely.multipoints(points[unique_idx]), extend_to=region, ordered=True
        )
        cells = shapely.intersection(shapely.get_parts(diagram), region)
    # cells come back in the order of the points given; spread them to every site
    position = np.searchsorted(unique_idx, lead)
    site_ids = frame["site_id"].astype(str).to_numpy()
    result = gpd.GeoDataFrame(
        {"site_id": site_ids, "cell_id": site_ids[lead]},
        geometry=cells[position],
        crs=METRIC_CRS,
    )
    result = result[~result.geometry.is_empty].reset_index(drop=True)
    return result


# ---------------------------------------------------------------------------
# corridors


def infer_corridors(state_day: pd.DataFrame, *, width_km: float = 15.0) -> pd.DataFrame:
    """A copy of one day's sites where reported gains pull the baseline sites between them
    and the actor's starting area (or, for an actor with none, around them) into the
    actor's hands (``basis="inferred"``).
    """
    if width_km < 0:
        msg = f"width_km must not be negative, got {width_km!r}"
        raise ValueError(msg)
    state_day = _check_state(state_day, "state_day")
    result = state_day.copy()
    if state_day.empty:
        return result
    _one_day(state_day)

    controller = state_day["controller"].to_numpy()
    basis = state_day["basis"].to_numpy()
    status = state_day["status"].to_numpy()
    gains = (
        np.isin(basis, list(REPORTED))
        & np.isin(controller, list(load_profile().advancing))
        & np.isin(status, ["changed", "held"])
    )
    is_baseline = basis == "baseline"
    anchors = is_baseline & (status == "held")
    if not gains.any():
        return result

    points = _metric_points(state_day["lat"], state_day["lon"])
    gain_idx = np.flatnonzero(gains)
    gain_actor = controller[gain_idx]

    # nearest baseline site each gaining actor held: a gains x sites distance table
    dist = shapely.distance(points[gain_idx, None], points[None, :])
    own = anchors[None, :] & (controller[None, :] == gain_actor[:, None])
    dist = np.where(own, dist, np.inf)
    nearest = dist.argmin(axis=1)
    has_anchor = np.isfinite(dist[np.arange(len(gain_idx)), nearest])
    # a corridor back to the actor's area, or just the place's surroundings when it has none
    segments = shapely.linestrings(
        np.stack(
            [
                shapely.get_coordinates(points[gain_idx]),
                shapely.get_coordinates(points[np.where(has_anchor, nearest, gain_idx)]),
            ],
            axis=1,
        )
    )
    segments = np.where(has_anchor, segments, points[gain_idx])

    # baseline sites of other controllers near a segment; the nearest segment wins
    to_line = shapely.distance(segments[:, None], points[None, :])
    claim = (
        (to_line <= width_km * 1000.0)
        & is_baseline[None, :]
        & (controller[None, :] != gain_actor[:, None])
    )
    to_line = np.where(claim, to_line, np.inf)
    winner = to_line.argmin(axis=0)
    flipped = np.isfinite(to_line[winner, np.arange(len(points))])
    # by position: the caller's index need not be unique
    rows = np.flatnonzero(flipped)
    result.iloc[rows, result.columns.get_loc("controller")] = gain_actor[winner[rows]]
    result.iloc[rows, result.columns.get_loc("basis")] = "inferred"
    result.iloc[rows, result.columns.get_loc("status")] = "held"
    return result


# ---------------------------------------------------------------------------
# areas


def territory_for_day(cells: gpd.GeoDataFrame, state_day: pd.DataFrame) -> gpd.GeoDataFrame:
    """One day's cells merged by (controller, status, basis), with km², in EPSG:4326."""
    state_day = _check_state(state_day, "state_day")
    if state_day.empty:
        msg = "state_day has no sites"
        raise ValueError(msg)
    day = _one_day(state_day)
    if cells.crs is None:
        msg = "cells must have a crs (use tessellate)"
        raise ValueError(msg)
    if "cell_id" not in cells.columns:
        cells = cells.assign(cell_id=cells["site_id"])

    columns = ["site_id", "controller", "status", "basis"]
    joined = cells[["site_id", "cell_id", cells.geometry.name]].merge(
        pd.DataFrame(state_day[columns]).astype({"site_id": str}), on="site_id", how="left"
    )
    joined = joined.fillna(_MISSING)
    # a shared cell goes to its best-sourced site, the first one on a tie
    rank = joined["basis"].map(_BASIS_RANK)
    joined = (
        joined.assign(_rank=rank, _order=np.arange(len(joined)))
        .sort_values(["_rank", "_order"])
        .drop_duplicates("cell_id")
    )
    joined = gpd.GeoDataFrame(joined, geometry=cells.geometry.name, crs=cells.crs)
    merged = joined[["controller", "status", "basis", joined.geometry.name]].dissolve(
        by=["controller", "status", "basis"], as_index=False
    )
    merged = merged[~merged.geometry.is_empty]
    area = merged.to_crs(METRIC_CRS).area / 1e6
    out = merged.assign(day=day, area_km2=area.to_numpy())
    out = out[[*TERRITORY_COLUMNS, out.geometry.name]].to_crs("EPSG:4326")
    if out.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    return out.reset_index(drop=True)


def _empty_territory() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in TERRITORY_COLUMNS})
    frame["area_km2"] = frame["area_km2"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def build_territory(
    state: pd.DataFrame,
    *,
    outline: gpd.GeoDataFrame | None = None,
    infer: bool = True,
) -> gpd.GeoDataFrame:
    """Control areas for every day in ``state``: cells once, then corridors and areas per day."""
    state = _check_state(state)
    if state.empty:
        return _empty_territory()
    if outline is None:
        outline = read_outline()
    sites = state.drop_duplicates("site_id")
    site_points = gpd.GeoDataFrame(
        {"site_id": sites["site_id"].astype(str).to_numpy()},
        # geometry takes (x=lon, y=lat): the one place the order flips
        geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
        crs="EPSG:4326",
    )
    cells = tessellate(site_points, outline)
    days = [
        territory_for_day(cells, infer_corridors(group) if infer else group)
        for _, group in state.groupby("day", sort=True)
    ]
    out = pd.concat(days, ignore_index=True)
    out = out.sort_values(["day", "controller", "status", "basis"], kind="stable")
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


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
