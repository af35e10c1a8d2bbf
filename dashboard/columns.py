"""The big parts of the map's day layers in compact, columnar form (pure, no Streamlit).

Why: a 50,000-article build shows some 10,000 places and 60,000 vertices of territory a
day. As one dict per place and GeoJSON, a day's layer was 3 MB: too big to hand the
browser every day ahead, so each slider step waited for the server to make and send it.
Here, instead:

- the places a view can show are one table, sent once per view (:func:`sites_payload`):
  ids, names, where they are and their radius, in the order they are drawn;
- a day gives each of them a *mark*, an index into a short table of styles and of the
  label's holder, status and provenance, and the day since which it stands so
  (:func:`day_places`); ``-1``: not on the map that day;
- a day's territory rings are integer steps of 1e-4 degree (about 10 m) (:func:`rings`).

``static/frontline/map.js`` decodes them; :func:`drawn_places` is the same decoding in
Python, what the tests read. Every text here is escaped (:func:`geo.views.safe_text`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.export.style import MISSING, marker_for, marker_radius, provenance
from geo.views import safe_text

__all__ = ["SCALE", "day_places", "draw_order", "drawn_places", "rings", "sites_payload"]

#: Territory coordinates are sent as integers of 1/SCALE degree.
SCALE = 1_000


def _key(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def draw_order(places_day: pd.DataFrame, parents: Mapping[str, str] | None = None) -> list[int]:
    """Row positions in the order places are drawn: later ones sit on top and win clicks.

    A place whose parent (the town a neighbourhood or facility belongs to) is on the map
    comes before it; then the smaller before the larger, so a city is above its suburbs.
    """
    parents = parents or {}
    ids = list(places_day["place_id"])
    present = set(ids)
    population = pd.to_numeric(places_day.get("population", 0), errors="coerce")
    population = pd.Series(population, index=places_day.index).fillna(0).to_numpy()
    return sorted(
        range(len(ids)),
        key=lambda i: (parents.get(ids[i]) not in present, float(population[i]), ids[i]),
    )


def sites_payload(
    sites: pd.DataFrame, parents: Mapping[str, str] | None = None
) -> dict[str, list[Any] | str]:
    """Every place a view may draw, once (columns ``place_id``, ``place``, ``lat``,
    ``lon``, ``population``), in draw order: what does not change from day to day."""
    if sites.empty:
        rows = pd.DataFrame(columns=["place_id", "place", "lat", "lon", "population"])
    else:
        rows = sites.iloc[draw_order(sites, parents)]
    population = rows["population"] if "population" in rows else [0] * len(rows)
    payload: dict[str, Any] = {
        "id": [str(i) for i in rows["place_id"]],
        "name": [safe_text(n) for n in rows["place"]],
        "lat": [round(float(v), 5) for v in rows["lat"]],
        "lon": [round(float(v), 5) for v in rows["lon"]],
        "r": [marker_radius(p) for p in population],
    }
    payload["key"] = _key(payload)
    return payload


def _since(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def day_places(
    places_day: pd.DataFrame, sites: Mapping[str, Any], palette: Mapping[str, str]
) -> dict[str, Any]:
    """A day's places against the view's ``sites``: a mark and a "since" per site (as
    indices into the day's ``marks`` and ``sinces``, ``-1`` for none), one pass."""
    at = {pid: i for i, pid in enumerate(sites["id"])}
    mark = [-1] * len(at)
    since = [-1] * len(at)
    marks: list[dict[str, Any]] = []
    sinces: list[str] = []
    mark_of: dict[tuple[object, ...], int] = {}
    since_of: dict[str, int] = {}
    if places_day.empty:
        return {"marks": marks, "mark": mark, "sinces": sinces, "since": since}
    n = len(places_day)
    basis = places_day["basis"] if "basis" in places_day else [None] * n
    changed = places_day["changed"] if "changed" in places_day else [False] * n
    days = places_day["since"] if "since" in places_day else [None] * n
    for pid, controller, status, b, ch, day in zip(
        places_day["place_id"],
        places_day["controller"],
        places_day["status"],
        basis,
        changed,
        days,
        strict=True,
    ):
        i = at.get(str(pid))
        if i is None:
            msg = f"place {pid!r} is not among the view's sites"
            raise ValueError(msg)
        key = (controller, status, b, bool(ch))
        if key not in mark_of:
            mark_of[key] = len(marks)
            marks.append(_mark(palette, *key))
        mark[i] = mark_of[key]
        text = _since(day)
        if text:
            if text not in since_of:
                since_of[text] = len(sinces)
                sinces.append(safe_text(text))
            since[i] = since_of[text]
    return {"marks": marks, "mark": mark, "sinces": sinces, "since": since}


def _mark(
    palette: Mapping[str, str], controller: object, status: object, basis: object, changed: bool
) -> dict[str, Any]:
    """A marker's style (radius apart: it is the site's) and its label's middle."""
    m = marker_for(palette.get(str(controller), MISSING), status, 0, changed=changed)
    label = f"{controller}, {status}"
    shown = provenance(basis) if basis is not None else ""
    label += f", {shown}" if shown else ""
    return {
        "fill": m.fill,
        "edge": m.edge,
        "ew": m.edge_width,
        "dash": m.dash,
        "ring": round(m.ring - m.radius, 2) if m.ring else 0.0,  # how far out of the circle
        "label": safe_text(label),
    }


def drawn_places(layer: Mapping[str, Any], sites: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The markers a layer draws, in draw order, as ``map.js`` decodes them."""
    places = layer["places"]
    out = []
    for i, m in enumerate(places["mark"]):
        if m < 0:
            continue
        mark, s, r = places["marks"][m], places["since"][i], sites["r"][i]
        label = f"{sites['name'][i]} — {mark['label']}"
        label += f", since {places['sinces'][s]}" if s >= 0 else ""
        out.append(
            {
                "id": sites["id"][i],
                "lat": sites["lat"][i],
                "lon": sites["lon"][i],
                "r": r,
                "fill": mark["fill"],
                "edge": mark["edge"],
                "ew": mark["ew"],
                "dash": mark["dash"],
                "ring": round(r + mark["ring"], 2) if mark["ring"] else 0.0,
                "label": label,
            }
        )
    return out


def _polygonal(geom: Any) -> Any:
    """A geometry's polygons alone (a union may leave a line or a point beside them)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type.endswith("Polygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def rings(geoms: np.ndarray) -> list[list[list[list[int]]]]:
    """Each (multi)polygon as polygons of rings of flat ``[x, y, x, y, …]`` steps in
    1/:data:`SCALE` degree (longitude first): the first point of a geometry absolute,
    every next one from the one before, across its rings. Rings are not closed (the
    front end closes them); repeated points and rings of under three points are left out.
    """
    out: list[list[list[list[int]]]] = [[] for _ in range(len(geoms))]
    live = [i for i, g in enumerate(geoms) if g is not None and not shapely.is_empty(g)]
    if not live:
        return out
    polygonal = np.asarray([_polygonal(geoms[i]) for i in live], dtype=object)
    kind, coords, offsets = shapely.to_ragged_array(shapely.force_2d(polygonal))
    if kind == shapely.GeometryType.POLYGON:  # one polygon each
        ring_at, poly_at = offsets
        geom_at = np.arange(len(live) + 1)
    else:
        ring_at, poly_at, geom_at = offsets
    q = np.rint(coords * SCALE).astype(np.int64)
    ring_of = np.repeat(np.arange(len(ring_at) - 1), np.diff(ring_at))
    keep = np.ones(len(q), dtype=bool)
    keep[ring_at[1:] - 1] = False  # the closing point
    keep[1:] &= ~((q[1:] == q[:-1]).all(axis=1) & (ring_of[1:] == ring_of[:-1]))
    counts = np.bincount(ring_of[keep], minlength=len(ring_at) - 1)
    ring_ok = counts >= 3
    outer = poly_at[:-1]  # each polygon's first ring
    poly_ok = ring_ok[outer]
    poly_of_ring = np.repeat(np.arange(len(poly_at) - 1), np.diff(poly_at))
    ring_ok &= poly_ok[poly_of_ring]
    keep &= ring_ok[ring_of]
    kept = q[keep]
    geom_of_poly = np.repeat(np.arange(len(geom_at) - 1), np.diff(geom_at))
    geom_of = geom_of_poly[poly_of_ring[ring_of[keep]]]
    steps = np.diff(kept, axis=0, prepend=np.zeros((1, 2), np.int64))
    first = np.ones(len(kept), dtype=bool)
    first[1:] = geom_of[1:] != geom_of[:-1]
    steps[first] = kept[first]
    flat = steps.ravel().tolist()
    ends = np.cumsum(np.where(ring_ok, counts, 0)) * 2
    starts = ends - np.where(ring_ok, counts, 0) * 2
    for g in range(len(geom_at) - 1):
        polys = []
        for p in range(geom_at[g], geom_at[g + 1]):
            if not poly_ok[p]:
                continue
            polys.append(
                [flat[starts[r] : ends[r]] for r in range(poly_at[p], poly_at[p + 1]) if ring_ok[r]]
            )
        out[live[g]] = polys
    return out
