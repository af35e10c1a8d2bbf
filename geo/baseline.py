"""Who held every site on the day before the period: the audited table, site by site.

The profile ships two curated inputs (the method is in ``tools/build_baseline.py``):

- ``baseline`` — one controller per sub-district (Open-Syria centroids), each row citing
  the public control maps it was read from;
- ``baseline_overrides`` — what that grain misses, each row cited: a place and a radius
  (city neighbourhoods, towns whose sub-district centroid lies far from them, enclaves,
  a deconfliction zone) or a polygon (WKT, EPSG:4326: a river bank), optionally limited
  to one governorate. Rows apply in file order, later rows over earlier ones.

A site takes the controller of its sub-district (:mod:`geo.sites` assigns each site the
nearest sub-district centroid of its district), or of the nearest row for a sub-district
the table lacks, then every override that covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from ._io import read_rows
from .errors import DataError
from .gazetteer import Gazetteer
from .profile import Profile
from .sites import Sites
from .timeline import read_baseline

__all__ = ["Override", "read_overrides", "site_baseline"]

_COLUMNS = ("name", "controller", "source")


@dataclass(frozen=True, slots=True)
class Override:
    """A cited correction of the sub-district grain: an area and its controller."""

    name: str
    controller: str
    source: str
    shape: object  # shapely polygon, EPSG:4326
    admin1: str = ""


def _disc(lat: float, lon: float, radius_km: float) -> object:
    # a circle in degrees, widened in longitude by the latitude's cosine
    import math

    circle = shapely.Point(0, 0).buffer(1.0, quad_segs=16)
    scale_y = radius_km / 111.32
    scale_x = scale_y / max(math.cos(math.radians(lat)), 1e-6)
    return shapely.transform(circle, lambda xy: xy * [scale_x, scale_y] + [lon, lat])


def read_overrides(
    profile: Profile, gazetteer: Gazetteer, path: Path | None = None
) -> list[Override]:
    """The profile's overrides (none when it names no such file)."""
    if path is None:
        if "baseline_overrides" not in profile.files:
            return []
        path = profile.file("baseline_overrides")
    out = []
    for line, r in read_rows(Path(path), _COLUMNS, strict=True):
        missing = [c for c in _COLUMNS if not r.get(c)]
        if missing:
            msg = f"{path}:{line}: column {missing[0]!r} is empty"
            raise DataError(msg)
        if r["controller"] not in profile.actor_names:
            msg = f"{path}:{line}: column 'controller': unknown controller {r['controller']!r}"
            raise DataError(msg)
        try:
            if r.get("wkt"):
                shape = shapely.from_wkt(r["wkt"])
            else:
                lat, lon = float(r.get("lat") or "nan"), float(r.get("lon") or "nan")
                if r.get("place_id"):
                    place = gazetteer.place(r["place_id"])
                    if place is None:
                        msg = f"{path}:{line}: column 'place_id': unknown place {r['place_id']!r}"
                        raise DataError(msg)
                    lat, lon = place.lat, place.lon
                shape = _disc(lat, lon, float(r["radius_km"]))
        except (ValueError, KeyError, shapely.errors.GEOSException) as err:
            msg = f"{path}:{line}: needs place_id or lat/lon with radius_km, or wkt ({err})"
            raise DataError(msg) from err
        if shape is None or shapely.is_empty(shape) or not shapely.is_valid(shape):
            msg = f"{path}:{line}: the override's area is empty or invalid"
            raise DataError(msg)
        out.append(Override(r["name"], r["controller"], r["source"], shape, r.get("admin1", "")))
    return out


def site_baseline(
    sites: Sites,
    profile: Profile,
    gazetteer: Gazetteer,
    *,
    baseline_path: Path | None = None,
    overrides: list[Override] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each site's controller on the baseline day, and the source row that says so."""
    rows = read_baseline(baseline_path, profile=profile)
    by_id = {r.id: r for r in rows}
    controller = np.empty(len(sites), dtype=object)
    source = np.empty(len(sites), dtype=object)
    missing = []
    for i, sub in enumerate(sites.subdistrict):
        row = by_id.get(sub)
        if row is None:
            missing.append(i)
            continue
        controller[i], source[i] = row.controller, f"{row.id}: {row.source}"
    if missing:
        idx = np.array(missing)
        lat = np.array([r.lat for r in rows])
        lon = np.array([r.lon for r in rows])
        scale = np.cos(np.radians(sites.lat[idx]))[:, None]
        d2 = (sites.lat[idx, None] - lat[None, :]) ** 2 + (
            (sites.lon[idx, None] - lon) * scale
        ) ** 2
        for i, k in zip(idx, d2.argmin(axis=1), strict=True):
            controller[i], source[i] = rows[k].controller, f"{rows[k].id}: {rows[k].source}"
    governorates = {
        p.name: p.id
        for p in gazetteer.places.values()
        if p.kind == "governorate" and p.country == profile.country
    }
    for o in overrides if overrides is not None else read_overrides(profile, gazetteer):
        hit = shapely.contains_xy(o.shape, sites.lon, sites.lat)
        if o.admin1:
            unit = governorates.get(o.admin1, "?")
            hit &= np.array([d.startswith(unit) for d in sites.district])
        controller[hit] = o.controller
        source[hit] = f"override {o.name}: {o.source}"
    return controller, source
