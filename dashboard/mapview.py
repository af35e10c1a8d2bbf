"""The dashboard's folium map, built by pure functions (testable without a browser).

The map is split the way streamlit-folium repaints fastest: a static base (boundaries from
the shipped data, city labels, legend) mounted once, and a per-day ``FeatureGroup``
(territory and places) swapped in with ``feature_group_to_add``. Leaflet and jQuery come
from ``dashboard/static/vendor`` (installed from the npm registry by ``make assets``),
never from a CDN, so the map appears offline. Web tiles are an optional layer.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement, Template

from geo.inference import INFERRED
from geo.models import Place
from geo.profile import load_profile

__all__ = [
    "ASSET_FILES",
    "STATIC_PREFIX",
    "base_map",
    "day_layer",
    "display_layers",
    "for_display",
    "full_map",
    "safe_text",
    "selection_layer",
    "use_local_assets",
]

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
#: Where Streamlit serves ``dashboard/static`` (``server.enableStaticServing``).
STATIC_PREFIX = "/app/static/vendor"
#: URL -> file, for the HTML export to inline.
ASSET_FILES = {
    f"{STATIC_PREFIX}/leaflet/leaflet.js": VENDOR / "leaflet" / "leaflet.js",
    f"{STATIC_PREFIX}/jquery/jquery.min.js": VENDOR / "jquery" / "jquery.min.js",
    f"{STATIC_PREFIX}/leaflet/leaflet.css": VENDOR / "leaflet" / "leaflet.css",
}
WEB_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def safe_text(text: str) -> str:
    """Text for folium tooltips, which paste it into HTML inside a JS template literal."""
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def use_local_assets(m: folium.Map, prefix: str = STATIC_PREFIX) -> folium.Map:
    """Point the map at the vendored Leaflet and jQuery (jQuery stays: folium popups use it)."""
    m.default_js = [
        ("leaflet", f"{prefix}/leaflet/leaflet.js"),
        ("jquery", f"{prefix}/jquery/jquery.min.js"),
    ]
    m.default_css = [("leaflet_css", f"{prefix}/leaflet/leaflet.css")]
    return m


_LEGEND = Template("""
{% macro script(this, kwargs) %}
(function () {
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
        var div = L.DomUtil.create("div", "frontline-legend");
        div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 8px;" +
            "font:12px sans-serif;border:1px solid #999;border-radius:4px;line-height:1.5";
        div.innerHTML = {{ this.body|tojson }};
        return div;
    };
    legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")


_LABEL = Template("""
{% macro script(this, kwargs) %}
L.marker({{ this.location|tojson }}, {
    icon: L.divIcon({html: {{ this.html|tojson }}, className: "frontline-label",
                     iconSize: null, iconAnchor: [-6, 6]}),
    interactive: false, keyboard: false
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")


_ICON_PATH = Template("""
{% macro script(this, kwargs) %}
L.Icon.Default.imagePath = {{ this.path|tojson }};
{% endmacro %}
""")


class _IconPath(MacroElement):
    """streamlit-folium's front end asks for Leaflet's marker images, and Leaflet guesses
    their folder wrongly from a local stylesheet: say where they are."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self._template = _ICON_PATH
        self.path = path


class _Label(MacroElement):
    """A city name on the map; unlike folium's Marker it never loads Leaflet's icon images."""

    def __init__(self, location: tuple[float, float], html_text: str) -> None:
        super().__init__()
        self._name = "Label"
        self._template = _LABEL
        self.location = list(location)
        self.html = html_text


class _Legend(MacroElement):
    def __init__(self, body: str) -> None:
        super().__init__()
        self._name = "Legend"
        self._template = _LEGEND
        self.body = body


def _legend_html() -> str:
    rows = [
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'border:1px solid #555;margin-right:4px"></span>{safe_text(name)}'
        for name, colour in load_profile().palette.items()
    ]
    rows += [
        '<span style="display:inline-block;width:12px;height:12px;border:2px dashed #333;'
        'margin-right:4px"></span>contested',
        '<span style="display:inline-block;width:12px;height:12px;background:#999;opacity:.35;'
        'margin-right:4px"></span>inferred (not reported)',
        '<span style="display:inline-block;width:10px;height:10px;border:2px solid #000;'
        'border-radius:50%;margin-right:4px"></span>changed hands that day',
    ]
    return "<b>Control</b><br>" + "<br>".join(rows)


def base_map(
    outline: gpd.GeoDataFrame,
    governorates: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    cities: list[tuple[str, float, float]],
    *,
    web_tiles: bool = False,
    served: bool = False,
) -> folium.Map:
    """The static part: neighbours, Syria and its governorates, city labels, legend, scale.

    Build a new one for every render: folium maps grow when streamlit-folium renders the
    same object twice. Pass geometry through :func:`for_display` first (once, cached).

    ``served`` is for the live app, where Streamlit serves Leaflet's images.
    """
    m = folium.Map(
        location=load_profile().center,
        zoom_start=7,
        tiles=None,
        control_scale=True,
        min_zoom=5,
        max_zoom=12,
        prefer_canvas=False,
    )
    use_local_assets(m)
    if served:
        _IconPath(f"{STATIC_PREFIX}/leaflet/images/").add_to(m)
    west, south, east, north = outline.total_bounds
    m.fit_bounds([[south, west], [north, east]], padding=(8, 8))
    if web_tiles:
        folium.TileLayer(
            WEB_TILES, attr="© OpenStreetMap contributors", name="web tiles", opacity=0.6
        ).add_to(m)
    for frame, name, style in (
        (
            neighbours,
            "neighbours",
            {"fillColor": "#E8E8E8", "color": "#888", "weight": 1, "fillOpacity": 1.0},
        ),
        (
            outline,
            "Syria",
            {"fillColor": "#FFFFFF", "color": "#222", "weight": 2, "fillOpacity": 1.0},
        ),
        (
            governorates,
            "governorates",
            {"fill": False, "color": "#666", "weight": 1, "dashArray": "3 3"},
        ),
    ):
        folium.GeoJson(
            frame[["geometry"]].to_json(),
            name=name,
            interactive=False,
            style_function=lambda _, style=style: style,
        ).add_to(m)
    for name, lat, lon in cities:
        label = (
            f'<div style="font:600 11px sans-serif;color:#222;white-space:nowrap;'
            f'text-shadow:0 0 3px #fff,0 0 3px #fff">{safe_text(name)}</div>'
        )
        _Label((lat, lon), label).add_to(m)
    _Legend(_legend_html()).add_to(m)
    return m


def display_layers(
    outline: gpd.GeoDataFrame, governorates: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, ...]:
    """The base map's layers made light: Syria at ~500 m, the neighbours (context) at ~2 km."""
    return for_display(outline), for_display(governorates), for_display(neighbours, 0.02)


def for_display(frame: gpd.GeoDataFrame, tolerance: float = 0.005) -> gpd.GeoDataFrame:
    """Lighter geometry for the browser: about 500 m of detail, coordinates to 1e-4 degree."""
    out = frame.copy()
    simple = shapely.simplify(out.geometry.values, tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(simple, 1e-4)
    return out


def _territory_style(feature: dict) -> dict:
    props = feature["properties"]
    style = {
        "fillColor": load_profile().palette.get(props["controller"], "#BBBBBB"),
        "color": "#333",
        "weight": 0.6,
        "fillOpacity": 0.55,
    }
    # inferred ground (a rule drew it) and uncertain ground: pale, dotted edge
    if props["basis"] in INFERRED or props["basis"] == "inferred" or props["status"] == "uncertain":
        style.update(fillOpacity=0.25, dashArray="2 4")
    if props["status"] == "contested":
        style.update(fillOpacity=0.3, weight=2.5, dashArray="6 4", color="#000")
    return style


def _place_style(feature: dict) -> dict:
    props = feature["properties"]
    contested = props["status"] == "contested"
    return {
        "radius": props["radius"],
        "color": "#000",
        "weight": 2.5 if contested else 1.5,
        "dashArray": "3 2" if contested else None,
        "fillColor": props["colour"],
        "fillOpacity": 0.25 if contested else 0.95,
    }


def _ring_style(feature: dict) -> dict:
    props = feature["properties"]
    return {
        "radius": props["radius"],
        "color": props["colour"],
        "weight": 3,
        "fill": False,
        "dashArray": props["dash"],
    }


def _points(rows: list[dict]) -> dict:
    # GeoJSON positions are (lon, lat)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")},
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(r["lon"], 5), round(r["lat"], 5)],
                },
            }
            for r in rows
        ],
    }


def day_layer(territory_day: gpd.GeoDataFrame, places_day: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Territory and places for one day; tooltips name the place and its state.

    Places are one GeoJSON layer of circle markers (a few folium elements, not one per
    place), which keeps each rerun of the app cheap.
    """
    fg = folium.FeatureGroup(name="day")
    if not territory_day.empty:
        t = for_display(
            territory_day[["controller", "status", "basis", "area_km2", "geometry"]],
            tolerance=0.002,
        )
        t["label"] = [
            safe_text(f"{c} — {s}, {b} ({a:,.0f} km²)")
            for c, s, b, a in zip(t.controller, t.status, t.basis, t.area_km2, strict=True)
        ]
        folium.GeoJson(
            json.loads(t.to_json()),
            name="territory",
            style_function=_territory_style,
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fg)
    places, rings = [], []
    for p in places_day.itertuples():
        radius = _radius(p.population)
        since = f", since {p.since}" if p.since and str(p.since) != "nan" else ""
        places.append(
            {
                "lat": p.lat,
                "lon": p.lon,
                "place_id": p.place_id,
                "radius": radius,
                "status": p.status,
                "colour": load_profile().palette.get(p.controller, "#BBBBBB"),
                "label": safe_text(f"{p.place} — {p.controller}, {p.status}{since}"),
            }
        )
        if p.changed:
            rings.append(
                {"lat": p.lat, "lon": p.lon, "radius": radius + 6, "colour": "#000", "dash": None}
            )
    if rings:
        folium.GeoJson(
            _points(rings),
            name="rings",
            marker=folium.CircleMarker(),
            style_function=_ring_style,
            interactive=False,
        ).add_to(fg)
    if places:
        folium.GeoJson(
            _points(places),
            name="places",
            marker=folium.CircleMarker(fill=True),
            style_function=_place_style,
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fg)
    return fg


def _radius(population: object) -> float:
    # whole pixels: fewer distinct styles, so a day layer with hundreds of places stays small
    return float(round(4 + 2.2 * math.log10(max(int(population), 0) + 10)))  # type: ignore[call-overload]


def selection_layer(place: Place | None) -> folium.FeatureGroup:
    """A ring around the selected place, kept apart so the day layers can be cached."""
    fg = folium.FeatureGroup(name="selection")
    if place is not None:
        ring = {
            "lat": place.lat,
            "lon": place.lon,
            "radius": _radius(place.population) + 11,
            "colour": "#0072B2",
            "dash": "4 3",
        }
        folium.GeoJson(
            _points([ring]),
            name="selected",
            marker=folium.CircleMarker(),
            style_function=_ring_style,
            interactive=False,
        ).add_to(fg)
    return fg


def full_map(base: folium.Map, layer: folium.FeatureGroup) -> folium.Map:
    """Base and day layer in one map, for the standalone HTML export."""
    layer.add_to(base)
    return base
