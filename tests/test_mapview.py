"""dashboard.mapview: the map's base and day payloads, escaped, styled by geo.export.style."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box

from geo.export import Basemap
from geo.export.style import LAND, NEIGHBOURS, SEA, Fill, fill_for, legend_for, marker_radius
from geo.models import Place
from geo.views import CHANGE_COLUMNS, safe_text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the dashboard is not an installed package
    sys.path.insert(0, str(ROOT))

from dashboard import columns, mapview  # noqa: E402

DAY = dt.date(2031, 3, 4)
NORTH, HARBOUR = "Northern League", "Harbour Guard"
PALETTE = {NORTH: "#009E73", HARBOUR: "#E69F00"}
HOSTILE = '<script>alert(`x${1}`)</script> & \\ "q"'


def territory(*rows: tuple[str, str, str, bool, float]) -> gpd.GeoDataFrame:
    """Side-by-side squares: (controller, status, basis, sparse, km²) each."""
    columns = ["controller", "status", "basis", "sparsely_populated", "area_km2"]
    squares = [box(i, 0, i + 1, 1) for i in range(len(rows))]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=squares, crs="EPSG:4326")


def places(*rows: tuple[str, str, str, str, int, bool]) -> gpd.GeoDataFrame:
    """(id, name, controller, status, population, changed) each, along a line; the first
    held since 1 March."""
    columns = ["place_id", "place", "controller", "status", "population", "changed"]
    frame = pd.DataFrame(rows, columns=columns).assign(
        since=[None] * len(rows),
        basis="extracted",
        lat=35.0,
        lon=[36.0 + i / 10 for i in range(len(rows))],
    )
    frame.loc[0, "since"] = "2031-03-01"
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


GROUND = territory(
    (NORTH, "held", "extracted", False, 1200.4),
    (HARBOUR, "contested", "extracted", False, 30.0),
    (NORTH, "held", "frontier", False, 80.0),
    (NORTH, "held", "baseline", True, 500.0),
)
TOWNS = places(
    ("t:city", "Gullport", NORTH, "held", 2_000_000, True),
    ("t:hamlet", "Reedy", HARBOUR, "contested", 300, False),
    ("t:town", "Millford", "Nobody Known", "uncertain", 40_000, False),
)


def payload(
    ground: gpd.GeoDataFrame = GROUND,
    towns: gpd.GeoDataFrame = TOWNS,
    parents: dict[str, str] | None = None,
    **kw: Any,
) -> dict:
    sites = mapview.sites_payload(towns, parents)
    return mapview.day_payload(ground, towns, day=DAY, palette=PALETTE, sites=sites, **kw)


def drawn(
    ground: gpd.GeoDataFrame = GROUND,
    towns: gpd.GeoDataFrame = TOWNS,
    parents: dict[str, str] | None = None,
    **kw: Any,
) -> list[dict]:
    """The markers the day's layer draws, in draw order, as the front end decodes them."""
    sites = mapview.sites_payload(towns, parents)
    return mapview.drawn_places(payload(ground, towns, parents, **kw), sites)


# ---------------------------------------------------------------------------- text and keys


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("Tom & \"Jo\" 'K'", "Tom &amp; &quot;Jo&quot; &#x27;K&#x27;"),
        ("`${alert(1)}`", "&#96;&#36;{alert(1)}&#96;"),
        ("back\\slash", "back&#92;slash"),
        (42, "42"),
    ],
)
def test_safe_text(text: object, safe: str) -> None:
    assert safe_text(text) == safe


@pytest.mark.parametrize(
    "value",
    [
        {"label": "</script><script>alert(1)</script>"},
        ["a & b", "Ḩamāh حماة", "\u2028line\u2029"],
        {"n": 1.5, "none": None, "list": [1, 2]},
    ],
)
def test_json_text_is_compact_json_safe_in_a_script(value: object) -> None:
    text = mapview.json_text(value)
    assert json.loads(text) == value
    assert not set("<>&\u2028\u2029") & set(text)
    assert ": " not in text and ", " not in text.replace("a & b", "")


def test_json_text_keeps_non_ascii_and_refuses_nan() -> None:
    assert mapview.json_text(["Ḩamāh"]) == '["Ḩamāh"]'
    with pytest.raises(ValueError, match="JSON"):
        mapview.json_text({"x": math.nan})


def test_key_of_is_a_short_stable_content_hash() -> None:
    key = mapview.key_of("layer one")
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert key == mapview.key_of("layer one") != mapview.key_of("layer two")


# ---------------------------------------------------------------------------- the day's layer


def test_day_payload_keys_and_its_own_key() -> None:
    layer = payload()
    assert set(layer) == {
        "day", "date", "title", "changes", "changes_total", "areas", "overview", "fills",
        "territory", "sites", "places", "legend", "key",
    }  # fmt: skip
    assert (layer["day"], layer["date"]) == ("2031-03-04", "Tue 4 Mar")
    assert layer["sites"] == mapview.sites_payload(TOWNS)["key"]
    rest = {k: v for k, v in layer.items() if k != "key"}
    assert layer["key"] == mapview.key_of(mapview.json_text(rest))
    assert layer["key"] == payload()["key"]  # same inputs, same key: no redraw
    sites = mapview.sites_payload(TOWNS)
    later = mapview.day_payload(
        GROUND, TOWNS, day=DAY + dt.timedelta(1), palette=PALETTE, sites=sites
    )
    assert later["key"] != layer["key"]


def test_title_is_escaped_and_dated() -> None:
    assert payload()["title"] == "Tuesday 4 March 2031"
    titled = payload(title="War <i>notes</i>")["title"]
    assert titled == "War &lt;i&gt;notes&lt;/i&gt;<small>Tuesday 4 March 2031</small>"


def test_territory_features_point_at_their_style_fill() -> None:
    layer = payload()
    variants = ["held", "contested", "inferred", "desert"]
    features = layer["territory"]["features"]
    assert len(features) == len(GROUND)
    for feature, row, variant in zip(features, GROUND.itertuples(), variants, strict=True):
        fill = layer["fills"][feature["f"]]
        assert fill["colour"] == fill_for(PALETTE[row.controller], variant).colour
    labels = [html.unescape(f["label"]) for f in features]
    assert labels[0] == f"{NORTH} — held, reported (1,200 km²)"
    assert labels[2] == f"{NORTH} — held, inferred (frontier) (80 km²)"
    assert labels[3].endswith("curated (baseline), sparsely populated desert (500 km²)")
    # one fill per distinct style, shared by the features that use it
    assert len(layer["fills"]) == len({json.dumps(f, sort_keys=True) for f in layer["fills"]})


def test_markers_are_pixel_sized_and_smallest_first() -> None:
    shown = drawn()
    assert [p["id"] for p in shown] == ["t:hamlet", "t:town", "t:city"]
    assert [p["r"] for p in shown] == [marker_radius(300), marker_radius(40_000), 6.0]
    assert all(3.0 <= p["r"] <= 6.0 for p in shown)  # pixels: a city is no wider than 6
    hamlet, town, city = shown
    assert city["ring"] > city["r"] and hamlet["ring"] == town["ring"] == 0
    assert (hamlet["dash"], hamlet["edge"]) == ("2 2", "#000000")  # contested
    assert city["fill"] == fill_for(PALETTE[NORTH], "held").colour
    assert (city["lat"], city["lon"]) == (35.0, 36.0)


def test_a_town_is_drawn_above_the_places_that_belong_to_it() -> None:
    towns = places(
        ("t:city", "Gullport", NORTH, "held", 2_000_000, False),
        ("t:quay", "Gullport quay", NORTH, "held", 100, False),
        ("t:lone", "Lone pier", NORTH, "held", 50, False),
    )
    shown = drawn(towns=towns, parents={"t:quay": "t:city", "t:lone": "t:gone"})
    # the quay is drawn before the city it is part of; the lone pier's parent is absent
    assert [p["id"] for p in shown] == ["t:quay", "t:lone", "t:city"]


@pytest.mark.parametrize("name", [HOSTILE, "<img src=x onerror=alert(1)>", "${7*7}"])
def test_hostile_names_are_escaped_everywhere(name: str) -> None:
    towns = places(("t:h", name, name, "held", 5000, True))
    ground = territory((name, "held", "extracted", False, 10.0))
    changes = change_rows((name, "changed hands", name, 2))
    areas = pd.DataFrame({"controller": [name], "area_km2": [10.0]})
    per_day = pd.DataFrame({name: [1]}, index=[DAY])
    layer = payload(ground, towns, changes=changes, areas=areas, per_day=per_day, title=name)
    # the title's <small> is the payload's one piece of markup, around escaped text
    assert layer["title"].startswith(f"{safe_text(name)}<small>")
    text = json.dumps({k: v for k, v in layer.items() if k != "title"}, ensure_ascii=False)
    for char in "<>`$":
        assert char not in text
    sites = mapview.sites_payload(towns)
    (marker,) = mapview.drawn_places(layer, sites)
    assert html.unescape(marker["label"]).startswith(f"{name} — {name}, held")
    assert html.unescape(sites["name"][0]) == name and "<" not in json.dumps(sites)
    assert html.unescape(layer["legend"]["rows"][0]["label"]) == name
    assert html.unescape(layer["changes"][0]["place"]) == name
    assert html.unescape(layer["areas"][0]["actor"]) == name
    assert html.unescape(layer["overview"]["series"][0]["actor"]) == name


def test_labels_say_holder_status_provenance_and_since() -> None:
    labels = [html.unescape(p["label"]) for p in drawn()]
    assert labels == [
        f"Reedy — {HARBOUR}, contested, reported",
        "Millford — Nobody Known, uncertain, reported",
        f"Gullport — {NORTH}, held, reported, since 2031-03-01",
    ]


def test_legend_rows_come_from_the_style_table() -> None:
    layer = payload()
    legend = legend_for(GROUND, TOWNS, PALETTE)
    assert layer["legend"]["columns"] == list(legend.columns)
    assert [html.unescape(r["label"]) for r in layer["legend"]["rows"]] == [
        r.actor for r in legend.rows
    ]
    for row, expected in zip(layer["legend"]["rows"], legend.rows, strict=True):
        cells = [None if c is None else Fill(**layer["fills"][c]) for c in row["cells"]]
        assert cells == list(expected.cells)  # each swatch is the fill the map paints
    assert layer["legend"]["title"] == "Control on 4 Mar 2031"
    assert [m["kind"] for m in layer["legend"]["marks"]] == [
        "place", "changed", "contested", "selected",
    ]  # fmt: skip
    assert "inferred by the rules: frontier" in layer["legend"]["notes"]


def test_an_empty_day() -> None:
    nowhere = mapview.sites_payload(pd.DataFrame())
    empty = mapview.day_payload(
        gpd.GeoDataFrame(), gpd.GeoDataFrame(), day=DAY, palette=PALETTE, sites=nowhere
    )
    assert empty["territory"]["features"] == [] and empty["places"]["mark"] == []
    assert mapview.drawn_places(empty, nowhere) == []
    assert empty["fills"] == [] and empty["legend"]["rows"] == []
    assert [m["kind"] for m in empty["legend"]["marks"]] == ["place", "selected"]
    assert (empty["changes"], empty["areas"], empty["overview"]) == ([], [], {})


def change_rows(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    """What changed: (place, change, controller, sources) each, ids t:h, t:h1..."""
    frame = pd.DataFrame(
        [
            {
                "day": DAY.isoformat(), "place_id": "t:h" if i == 0 else f"t:h{i}",
                "place": place, "lat": 35.0, "lon": 36.0, "change": change,
                "controller": controller, "previous": HARBOUR, "actor": controller,
                "kind": "captured" if n else "", "n_sources": n,
                "provenance": "reported" if n else "inferred (collapse)",
                "basis": "extracted" if n else "collapse", "event_ids": "", "confidence": 0.8,
            }
            for i, (place, change, controller, n) in enumerate(rows)
        ]
    )  # fmt: skip
    return frame[CHANGE_COLUMNS]


def test_the_panel_gets_the_first_changes_of_a_busy_day_and_their_totals() -> None:
    """A big build changes thousands of places a day: the panel shows the first of each
    provenance and says how many there are; nothing is dropped from the totals."""
    reported = [(f"Town {i}", "changed hands", NORTH, 1) for i in range(140)]
    inferred = [(f"Hamlet {i}", "uncertain", NORTH, 0) for i in range(40)]
    layer = payload(changes=change_rows(*reported, *inferred))
    shown = layer["changes"]
    assert [c["inferred"] for c in shown].count(False) == mapview.SHOWN_CHANGES[False]
    assert [c["inferred"] for c in shown].count(True) == mapview.SHOWN_CHANGES[True]
    assert shown[0]["place"] == "Town 0"  # in the order given: the most sources first
    assert layer["changes_total"] == {"reported": 140, "inferred": 40}


def test_changes_areas_and_overview_for_the_side_panel() -> None:
    towns = places(("t:h", "Gullport", NORTH, "held", 2_000_000, True))
    changes = change_rows(
        ("Gullport", "changed hands", NORTH, 1),
        ("Reedy", "contested", HARBOUR, 3),
        ("Millford", "uncertain", NORTH, 0),
    )
    areas = pd.DataFrame({"controller": [HARBOUR, NORTH, "Idle"], "area_km2": [30.2, 900.6, 0]})
    per_day = pd.DataFrame({NORTH: [0, 2], HARBOUR: [0, 0]}, index=[DAY - dt.timedelta(1), DAY])
    layer = payload(towns=towns, changes=changes, areas=areas, per_day=per_day)
    first, second, third = layer["changes"]
    assert (html.unescape(first["what"]), first["detail"], first["r"]) == (
        f"→ {NORTH}",
        "captured · 1 source",
        mapview.sites_payload(towns)["r"][0],
    )
    assert (html.unescape(second["what"]), second["detail"]) == (
        f"contested by {HARBOUR}",
        "captured · 3 sources",
    )
    assert (third["detail"], third["inferred"], third["r"]) == ("inferred (collapse)", True, 3.0)
    assert html.unescape(third["what"]) == f"uncertain, last {NORTH}"
    assert [(a["actor"], a["km2"]) for a in layer["areas"]] == [(NORTH, 901), (HARBOUR, 30)]
    assert layer["areas"][0]["colour"] == fill_for(PALETTE[NORTH], "held").colour
    overview = layer["overview"]
    assert overview["days"] == ["3 Mar", "4 Mar"] and overview["chosen"] == 1
    assert [(s["actor"], s["counts"]) for s in overview["series"]] == [(NORTH, [0, 2])]
    other_day = mapview.day_payload(
        GROUND,
        TOWNS,
        day=DAY + dt.timedelta(9),
        palette=PALETTE,
        sites=mapview.sites_payload(TOWNS),
        per_day=per_day,
    )
    assert other_day["overview"]["chosen"] == -1


# ---------------------------------------------------------------------------- the base


@pytest.fixture
def basemap() -> Basemap:
    def frame(*geoms: object) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(geometry=list(geoms), crs="EPSG:4326")

    return Basemap(
        outline=frame(box(36.0, 33.0, 38.0, 35.0)),
        governorates=frame(box(36.0, 33.0, 37.0, 35.0), box(37.0, 33.0, 38.0, 35.0)),
        neighbours=frame(box(38.0, 33.0, 40.0, 35.0)),
        neighbour_lines=frame(),
        cities=gpd.GeoDataFrame({"name": ["Gullport"]}, geometry=[Point(36.5, 34.0)]),
        attribution=f"Invented shapes {HOSTILE}",
    )


def test_base_payload(basemap: Basemap) -> None:
    base = mapview.base_payload(basemap, [("Gullport", 34.0, 36.5), (HOSTILE, 33.5, 37.5)])
    assert base["bounds"] == base["country"] == [[33.0, 36.0], [35.0, 38.0]]  # [[S, W], [N, E]]
    assert (base["background"], base["tiles"]) == (SEA, None)
    fills = [layer.get("fill") for layer in base["layers"]]
    assert fills == [NEIGHBOURS, LAND, None, None]
    assert [bool(layer.get("over")) for layer in base["layers"]] == [False, False, True, True]
    assert len(base["layers"][2]["geojson"]["features"]) == 2  # the governorates
    assert base["cities"][0] == {"label": "Gullport", "lat": 34.0, "lon": 36.5}
    assert html.unescape(base["cities"][1]["label"]) == HOSTILE
    assert "<" not in base["cities"][1]["label"] and "<" not in base["attribution"]
    assert html.unescape(base["attribution"]) == f"Invented shapes {HOSTILE}"
    web = mapview.base_payload(basemap, [], web_tiles=True)
    assert web["tiles"] == mapview.WEB_TILES and web["tiles"].startswith("https://")


def test_selection_ring_is_sized_like_its_marker() -> None:
    assert mapview.selection(None) is None
    city = Place("t:city", "Gullport", 35.0, 36.0, "SY", population=2_000_000)
    assert mapview.selection(city) == {"id": "t:city", "lat": 35.0, "lon": 36.0, "r": 6.0}


def test_for_display_rounds_coordinates_and_keeps_shared_edges() -> None:
    squares = gpd.GeoDataFrame(
        geometry=[box(0.123456, 0, 1, 1), box(1, 0, 2.000049, 1)], crs="EPSG:4326"
    )
    light = mapview.for_display(squares)
    assert light.geometry.iloc[0].bounds[0] == pytest.approx(0.1235)
    assert light.geometry.iloc[1].bounds[2] == pytest.approx(2.0)
    shared = light.geometry.iloc[0].intersection(light.geometry.iloc[1])
    assert shared.length == pytest.approx(1.0)  # no gap opened between neighbours
    assert squares.geometry.iloc[0].bounds[0] == 0.123456  # the input is left alone


def test_standalone_page_inlines_everything(basemap: Basemap) -> None:
    base = mapview.base_payload(basemap, [])
    sites = mapview.sites_payload(TOWNS)
    page = mapview.standalone_html(base, payload(), sites=sites, page_title=HOSTILE)
    assert mapview.STATIC_PREFIX not in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1)
    assert html.unescape(title.group(1)) == HOSTILE
    data = re.search(r'id="frontline-data">(.*?)</script>', page, re.S)
    assert data is not None
    doc = json.loads(data.group(1))
    assert doc["layer"]["key"] == doc["layer_key"] and doc["selected"] is None
    assert doc["sites"] == sites and doc["sites_key"] == doc["layer"]["sites"]


def test_mapview_needs_no_streamlit() -> None:
    code = "import sys, dashboard.mapview; print('streamlit' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- compact layers


def decoded(polys: list, scale: int = columns.SCALE) -> list[list[list[tuple[float, float]]]]:
    """The front end's decoding of a feature's rings (map.js ``latLngs``), as (lon, lat)."""
    x = y = 0
    out = []
    for rings in polys:
        shape = []
        for flat in rings:
            ring = []
            for dx, dy in zip(flat[::2], flat[1::2], strict=True):
                x, y = x + dx, y + dy
                ring.append((x / scale, y / scale))
            shape.append(ring)
        out.append(shape)
    return out


def test_territory_rings_decode_to_the_ground_and_keep_shared_edges() -> None:
    holed = box(36.0, 33.0, 36.5, 33.5).difference(box(36.1, 33.1, 36.2, 33.2))
    ground = [holed, MultiPolygon([box(36.5, 33.0, 37.0, 33.5), box(38.0, 33.0, 38.123456, 33.1)])]
    shapes = columns.rings(np.array(ground, dtype=object))
    for geom, polys in zip(ground, decoded_all(shapes), strict=True):
        rebuilt = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polys])
        # off by at most half a step of 1/SCALE degree along the edges
        assert rebuilt.symmetric_difference(geom).area < geom.length * 0.5 / columns.SCALE
    (one,), (two, _) = decoded_all(shapes)
    assert set(one[0]) & set(two[0]) == {(36.5, 33.0), (36.5, 33.5)}  # the shared edge
    assert all(len(set(r)) == len(r) for polys in decoded_all(shapes) for p in polys for r in p)
    assert columns.rings(np.array([None, Polygon()], dtype=object)) == [[], []]


def decoded_all(shapes: list) -> list:
    return [decoded(polys) for polys in shapes]


def test_a_day_names_each_site_s_mark_and_the_sites_come_once() -> None:
    sites = mapview.sites_payload(TOWNS)
    layer = payload()
    assert sites["id"] == ["t:hamlet", "t:town", "t:city"]  # draw order
    places = layer["places"]
    assert len(places["mark"]) == len(places["since"]) == len(sites["id"])
    assert places["sinces"] == ["2031-03-01"] and places["since"] == [-1, -1, 0]
    # names and positions are the sites' alone: the day holds indices
    assert "Gullport" not in json.dumps(places) and "36.2" not in json.dumps(places)
    towns = TOWNS.iloc[1:]  # the hamlet and the town
    only_two = mapview.day_payload(GROUND, towns, day=DAY, palette=PALETTE, sites=sites)
    assert only_two["places"]["mark"][2] == -1  # the city is not on the map that day
    assert [p["id"] for p in mapview.drawn_places(only_two, sites)] == ["t:hamlet", "t:town"]
    with pytest.raises(ValueError, match="not among the view's sites"):
        mapview.day_payload(
            GROUND, TOWNS, day=DAY, palette=PALETTE, sites=mapview.sites_payload(TOWNS[:1])
        )


def test_a_busy_day_s_layer_is_compact() -> None:
    """10,000 places a day (a 50,000-article build): a few characters each, so every
    day's layer can be sent to the browser ahead of the slider (it was 200 each)."""
    rng = np.random.default_rng(5)
    n = 10_000
    actors = np.array([NORTH, HARBOUR])
    towns = gpd.GeoDataFrame(
        {
            "place_id": [f"gn:{100000 + i}" for i in range(n)],
            "place": [f"Village number {i}" for i in range(n)],
            "controller": actors[rng.integers(0, 2, n)],
            "status": np.array(["held", "contested", "changed"])[rng.integers(0, 3, n)],
            "basis": "extracted",
            "changed": rng.random(n) < 0.1,
            "population": rng.integers(0, 50_000, n),
            "since": "2031-03-01",
            "lat": 32.5 + 4 * rng.random(n),
            "lon": 36.0 + 5 * rng.random(n),
        },
        geometry=gpd.points_from_xy(np.zeros(n), np.zeros(n)),
        crs="EPSG:4326",
    )
    sites = mapview.sites_payload(towns)
    layer = mapview.day_payload(GROUND, towns, day=DAY, palette=PALETTE, sites=sites)
    assert len(mapview.json_text(layer["places"])) < 6 * n
    assert len(layer["places"]["marks"]) <= 2 * 3 * 2  # actor x status x changed
    assert len(mapview.drawn_places(layer, sites)) == n
