"""The static layers under every map: the country, its governorates, the neighbours, cities.

Read once from the profile's boundary files (callers cache the result); any problem with
a file is one :class:`~geo.errors.DataError` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from .._io import read_vector
from ..errors import DataError
from ..profile import Profile, load_profile

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["Basemap", "read_basemap"]

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")


@dataclass(frozen=True, eq=False)
class Basemap:
    """The static layers of a snapshot, read once by the caller (all EPSG:4326)."""

    outline: gpd.GeoDataFrame
    governorates: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    neighbour_lines: gpd.GeoDataFrame
    #: the profile's snapshot cities as points: ``name``, gazetteer ``place_id``, ``population``
    cities: gpd.GeoDataFrame
    #: the profile's projected CRS (the scale bar is true in it), colours and attribution
    crs: str = "EPSG:3857"
    palette: Mapping[str, str] = field(default_factory=dict)
    attribution: str = ""
    #: fixed labels (seas, regions): text, lon, lat, rotation in degrees
    labels: tuple[tuple[str, float, float, float], ...] = ()


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    # world-atlas stores Palestine as a GeometryCollection; keep its polygons only
    if geom is None or geom.geom_type != "GeometryCollection":
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else None


def _read_layer(
    path: Path, kinds: tuple[str, ...], columns: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """One boundary file in EPSG:4326; any problem is one DataError naming the file."""
    frame = read_vector(path, "base map")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{path}: base map file lacks columns {', '.join(missing)}"
        raise DataError(msg)
    if frame.empty:
        msg = f"{path}: base map file has no features"
        raise DataError(msg)
    frame = frame.set_geometry(frame.geometry.map(_polygonal)) if "Polygon" in kinds else frame
    geoms = frame.geometry.to_numpy()
    frame = frame[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if frame.empty or not frame.geometry.geom_type.isin(kinds).all():
        msg = f"{path}: base map file does not hold {' or '.join(kinds)} geometries"
        raise DataError(msg)
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    return frame.reset_index(drop=True)


def _empty_layer(columns: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype=object) for c in columns},
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        crs="EPSG:4326",
    )


def read_basemap(profile: Profile | None = None) -> Basemap:
    """Outline, governorates, neighbours and main cities for snapshots (callers cache it)."""
    from ..gazetteer import load_gazetteer

    profile = profile or load_profile()
    files = profile.files
    outline = _read_layer(profile.file("outline"), _POLYGONAL)
    governorates = (
        _read_layer(files["governorates"], _POLYGONAL, columns=("name_en",))
        if "governorates" in files
        else _empty_layer(("name_en",))
    )
    if "neighbours" in files:
        region = _read_layer(files["neighbours"], _POLYGONAL, columns=("name_en",))
        is_home = region["name_en"].astype(str).str.casefold() == profile.title.casefold()
        if "iso_a2" in region.columns:
            is_home |= region["iso_a2"].astype(str) == profile.country
        neighbours = region.loc[~is_home, ["name_en", "geometry"]].reset_index(drop=True)
    else:
        neighbours = _empty_layer(("name_en",))
    lines = (
        _read_layer(files["neighbour_lines"], _LINEAR)
        if "neighbour_lines" in files
        else _empty_layer()
    )

    gazetteer = load_gazetteer()
    rows = []
    for name in profile.snapshot_cities:
        found = gazetteer.lookup(name, country=profile.country)
        if found:
            rows.append({"name": name, "place_id": found[0].id, "population": found[0].population})
            # geometry takes (x=lon, y=lat)
            rows[-1]["geometry"] = shapely.Point(found[0].lon, found[0].lat)
    cities = gpd.GeoDataFrame(
        rows,
        columns=["name", "place_id", "population", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )
    return Basemap(
        outline=outline[["geometry"]],
        governorates=governorates[["name_en", "geometry"]],
        neighbours=neighbours,
        neighbour_lines=lines[["geometry"]],
        cities=cities,
        crs=profile.crs,
        palette=profile.palette,
        attribution=profile.attribution,
        labels=profile.labels,
    )
