"""What the map draws, as plain data: the base (once per profile) and a layer per day.

Pure functions, testable without a browser. ``static/frontline/map.js`` draws these
payloads with Leaflet, in the dashboard (``component.py``) and in the standalone HTML
export (:func:`standalone_html`), so both show the same map. Every fill, marker and
legend swatch comes from :mod:`geo.export.style`, the table the PNG and GIF use too.
Every text in a payload is escaped here (:func:`geo.views.safe_text`): the front end inserts
it as markup, so article text can never become markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.export import Basemap, inline_assets
from geo.export.style import (
    LAND,
    MISSING,
    NEIGHBOURS,
    SEA,
    Fill,
    fill_for,
    is_inferred,
    legend_for,
    marker_for,
    provenance,
    variant_of,
)
from geo.models import Place
from geo.views import safe_text

from . import columns
from .columns import draw_order, drawn_places, sites_payload

__all__ = [
    "ASSET_FILES",
    "STATIC_PREFIX",
    "base_payload",
    "day_payload",
    "display_layers",
    "draw_order",
    "drawn_places",
    "for_display",
    "json_text",
    "key_of",
    "selection",
    "sites_payload",
    "standalone_html",
]

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = STATIC / "vendor"
#: Where Streamlit serves ``dashboard/static`` (``server.enableStaticServing``).
STATIC_PREFIX = "/app/static"
#: URL -> file, for the HTML export to inline.
ASSET_FILES = {
    f"{STATIC_PREFIX}/vendor/leaflet/leaflet.js": VENDOR / "leaflet" / "leaflet.js",
    f"{STATIC_PREFIX}/vendor/leaflet/leaflet.css": VENDOR / "leaflet" / "leaflet.css",
    f"{STATIC_PREFIX}/frontline/stamps.js": STATIC / "frontline" / "stamps.js",
    f"{STATIC_PREFIX}/frontline/map.js": STATIC / "frontline" / "map.js",
    f"{STATIC_PREFIX}/frontline/map.css": STATIC / "frontline" / "map.css",
}
WEB_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def json_text(payload: object) -> str:
    """Compact JSON that is safe inside an HTML ``<script>`` element too."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def key_of(text: str) -> str:
    """A short content hash: the front end redraws a payload only when its key changes."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def for_display(frame: gpd.GeoDataFrame, tolerance: float = 0.005) -> gpd.GeoDataFrame:
    """Lighter geometry for the browser, coordinates to 1e-4 degree (about 10 m).

    A frame whose polygons tile the ground (a day's territory) is simplified as a
    coverage, so neighbours keep their shared edges and no gap opens between them.
    """
    out = frame.copy()
    geoms = out.geometry.to_numpy()
    if len(geoms) and tolerance > 0:
        try:
            coverage = bool(shapely.coverage_is_valid(geoms))
        except shapely.errors.GEOSException:
            coverage = False
        polygonal = all(g is not None and g.geom_type.endswith("Polygon") for g in geoms)
        if coverage and polygonal:
            geoms = shapely.coverage_simplify(geoms, tolerance)
        else:
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(geoms, 1e-4)
    return out


def display_layers(
    outline: gpd.GeoDataFrame, governorates: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, ...]:
    """The base map's layers made light: the country at ~500 m, the neighbours at ~2 km."""
    return for_display(outline), for_display(governorates), for_display(neighbours, 0.02)


def _geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    return json.loads(frame[["geometry"]].to_json(drop_id=True))


def base_payload(
    basemap: Basemap,
    cities: Sequence[tuple[str, float, float]],
    *,
    web_tiles: bool = False,
) -> dict[str, Any]:
    """The static map: neighbours, the country and its governorates, city names, credits."""
    outline, governorates, neighbours = display_layers(
        basemap.outline, basemap.governorates, basemap.neighbours
    )
    west, south, east, north = (float(v) for v in basemap.outline.total_bounds)
    layers = [
        {"geojson": _geojson(neighbours), "fill": NEIGHBOURS, "edge": "#9A9A9A", "weight": 0.8},
        {"geojson": _geojson(outline), "fill": LAND, "edge": "#FFFFFF", "weight": 0},
        # above the territory, on the places' canvas: boundaries stay readable
        {
            "geojson": _geojson(governorates),
            "edge": "#5C5C5C",
            "weight": 0.8,
            "dash": "3 3",
            "over": True,
        },
        {"geojson": _geojson(outline), "edge": "#222222", "weight": 1.6, "over": True},
    ]
    return {
        "bounds": [[south, west], [north, east]],
        "country": [[south, west], [north, east]],
        "background": SEA,
        "tiles": WEB_TILES if web_tiles else None,
        "layers": layers,
        "cities": [{"label": safe_text(n), "lat": lat, "lon": lon} for n, lat, lon in cities],
        "attribution": safe_text(basemap.attribution),
    }


def _fill_dict(fill: Fill) -> dict[str, Any]:
    return asdict(fill)


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


#: At most this many reported and this many inferred changes go to the panel beside the
#: map (a person reads a few dozen; a 50,000-article build changes thousands of places a
#: day): the panel says how many more, and the day's CSV has them all.
SHOWN_CHANGES = {False: 100, True: 15}


def _changes(
    changes: pd.DataFrame | None, radius: Mapping[str, float]
) -> tuple[list[dict], dict[str, int]]:
    """The day's "what changed" list for the panel beside the map (texts escaped), the
    first :data:`SHOWN_CHANGES` of each provenance (``changes`` comes in reading order),
    and how many there are of each."""
    if changes is None or changes.empty:
        return [], {"reported": 0, "inferred": 0}
    inferred_rows = changes["basis"].map(is_inferred)
    totals = {"reported": int((~inferred_rows).sum()), "inferred": int(inferred_rows.sum())}
    changes = pd.concat(
        [
            changes[~inferred_rows].head(SHOWN_CHANGES[False]),
            changes[inferred_rows].head(SHOWN_CHANGES[True]),
        ]
    )
    verb = {"changed hands": "→", "contested": "contested by", "uncertain": "uncertain, last"}
    out = []
    for row in changes.itertuples(index=False):
        inferred = is_inferred(row.basis)
        who = row.actor if row.change == "contested" else row.controller
        n = int(row.n_sources)
        detail = [str(row.kind)] if row.kind else []
        if inferred or not n:
            detail.append(str(row.provenance))
        else:
            detail.append(f"{n} source{'s' if n != 1 else ''}")
        out.append(
            {
                "id": str(row.place_id),
                "place": safe_text(row.place),
                "what": safe_text(f"{verb[row.change]} {who}"),
                "detail": safe_text(" · ".join(detail)),
                "inferred": inferred,
                "lat": round(float(row.lat), 5),
                "lon": round(float(row.lon), 5),
                "r": radius.get(str(row.place_id), 3.0),
            }
        )
    return out, totals


def _areas(areas_day: pd.DataFrame | None, palette: Mapping[str, str]) -> list[dict]:
    """Km² held by each actor that day, largest first, coloured as its held ground."""
    if areas_day is None or areas_day.empty:
        return []
    held = areas_day[areas_day["area_km2"] > 0].sort_values("area_km2", ascending=False)
    return [
        {
            "actor": safe_text(a),
            "km2": round(float(km2)),
            "colour": fill_for(palette.get(a, MISSING), "held").colour,
        }
        for a, km2 in zip(held["controller"], held["area_km2"], strict=True)
    ]


def _overview(per_day: pd.DataFrame | None, day: dt.date, palette: Mapping[str, str]) -> dict:
    """Changes of control reported per day and actor, for the panel's small chart."""
    if per_day is None or per_day.empty:
        return {}
    days = list(per_day.index)
    order = [a for a in palette if a in per_day.columns]
    order += [a for a in per_day.columns if a not in palette]
    series = [
        {
            "actor": safe_text(a),
            "colour": fill_for(palette.get(a, MISSING), "held").colour,
            "counts": [int(v) for v in per_day[a]],
        }
        for a in order
        if per_day[a].sum() > 0
    ]
    return {
        "days": [safe_text(f"{d.day} {d:%b}") for d in days],
        "series": series,
        "chosen": days.index(day) if day in days else -1,
    }


def day_payload(
    territory_day: gpd.GeoDataFrame,
    places_day: gpd.GeoDataFrame,
    *,
    day: dt.date,
    palette: Mapping[str, str],
    sites: Mapping[str, Any],
    title: str = "",
    changes: pd.DataFrame | None = None,
    areas: pd.DataFrame | None = None,
    per_day: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """One day's territory, places, legend and title, styled (see :mod:`geo.export.style`),
    with what changed that day (:func:`geo.views.day_changes`), the areas held and the
    changes per day (:func:`geo.views.events_per_day`, the day marked) for the panel
    beside the map. Places and territory come in the compact form of
    :mod:`dashboard.columns`, the places against the view's ``sites``
    (:func:`dashboard.columns.sites_payload`, sent to the browser once per view)."""
    fills: list[dict[str, Any]] = []
    index: dict[Fill, int] = {}

    def fill_index(fill: Fill) -> int:
        if fill not in index:
            index[fill] = len(fills)
            fills.append(_fill_dict(fill))
        return index[fill]

    features: list[dict[str, Any]] = []
    if not territory_day.empty:
        sparse = territory_day.get("sparsely_populated", pd.Series(False, territory_day.index))
        shapes = columns.rings(territory_day.geometry.to_numpy())
        for controller, status, basis, desert, km2, shape in zip(
            territory_day["controller"],
            territory_day["status"],
            territory_day["basis"],
            sparse,
            territory_day["area_km2"],
            shapes,
            strict=True,
        ):
            variant = variant_of(status, basis, desert)
            colour = palette.get(controller, MISSING)
            note = ", sparsely populated desert" if variant == "desert" else ""
            label = f"{controller} — {status}, {provenance(basis)}{note} ({float(km2):,.0f} km²)"
            features.append(
                {"f": fill_index(fill_for(colour, variant)), "label": safe_text(label), "p": shape}
            )

    places = columns.day_places(places_day, sites, palette)
    legend = legend_for(territory_day, places_day, palette)
    marks = [{"kind": "place", "label": "place: filled like its holder's ground"}]
    if any(m["ring"] for m in places["marks"]):
        marks.append({"kind": "changed", "label": "changed hands that day"})
    if not places_day.empty and places_day["status"].eq("contested").any():
        marks.append({"kind": "contested", "label": "contested place"})
    marks.append({"kind": "selected", "label": "selected place"})
    notes = list(legend.notes)
    named = [r.removeprefix("inferred (").removesuffix(")") for r in legend.rules if "(" in r]
    if named:
        notes.append("inferred by the rules: " + ", ".join(named))
    radius = dict(zip(sites["id"], sites["r"], strict=True))
    shown, totals = _changes(changes, radius)
    title_html = f"{safe_text(title)}<small>{safe_text(_long_date(day))}</small>"
    if not title:
        title_html = safe_text(_long_date(day))
    payload = {
        "day": day.isoformat(),
        "date": safe_text(f"{day:%a} {day.day} {day:%b}"),
        "title": title_html,
        "changes": shown,
        "changes_total": totals,
        "areas": _areas(areas, palette),
        "overview": _overview(per_day, day, palette),
        "fills": fills,
        "territory": {"scale": columns.SCALE, "features": features},
        "sites": sites["key"],
        "places": places,
        "legend": {
            "title": safe_text(f"Control on {day.day} {day:%b %Y}"),
            "columns": [safe_text(c) for c in legend.columns],
            "rows": [
                {
                    "label": safe_text(row.actor),
                    "cells": [None if c is None else fill_index(c) for c in row.cells],
                }
                for row in legend.rows
            ],
            "marks": [{"kind": m["kind"], "label": safe_text(m["label"])} for m in marks],
            "notes": [safe_text(n) for n in notes],
        },
    }
    payload["key"] = key_of(json_text(payload))
    return payload


def selection(place: Place | None, places_day: pd.DataFrame | None = None) -> dict | None:
    """The selected place for the front end's ring (``None``: nothing selected)."""
    if place is None:
        return None
    radius = marker_for(MISSING, "held", place.population, changed=False).radius
    return {"id": place.id, "lat": place.lat, "lon": place.lon, "r": radius}


def standalone_html(
    base: Mapping[str, Any],
    layer: Mapping[str, Any],
    *,
    sites: Mapping[str, Any],
    page_title: str,
    selected: Mapping[str, Any] | None = None,
) -> str:
    """A map page that opens anywhere with no network: Leaflet, the map's script and
    style and the data inlined; title, date, legend and attribution drawn on the map."""
    data = {
        "base_key": "base",
        "base": dict(base),
        "layer_key": layer.get("key", "layer"),
        "layer": dict(layer),
        "sites_key": sites["key"],
        "sites": dict(sites),
        "selected": selected,
    }
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{safe_text(page_title)}</title>
<link rel="stylesheet" href="{STATIC_PREFIX}/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="{STATIC_PREFIX}/frontline/map.css">
<style>html, body {{ margin: 0; }} body {{ padding: 8px; }}
.frontline-wrap {{ --frontline-map-height: calc(100vh - 16px); }}</style>
</head><body>
<div class="frontline-wrap"><div class="frontline-map" id="frontline-map"></div>
<aside class="frontline-side" id="frontline-side"></aside></div>
<script type="application/json" id="frontline-data">{json_text(data)}</script>
<script src="{STATIC_PREFIX}/vendor/leaflet/leaflet.js"></script>
<script src="{STATIC_PREFIX}/frontline/stamps.js"></script>
<script src="{STATIC_PREFIX}/frontline/map.js"></script>
<script>FrontlineMap.standalone(document.getElementById("frontline-map"),
  document.getElementById("frontline-data"), document.getElementById("frontline-side"));</script>
</body></html>
"""
    return inline_assets(page, ASSET_FILES)
