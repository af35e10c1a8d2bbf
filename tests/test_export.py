"""Map exports: PNG snapshot, GIF animation, GeoJSON of a day, safe CSV, standalone HTML."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geo.build import Build, run
from geo.errors import DataError
from geo.export import (
    Basemap,
    animation_gif,
    day_geojson,
    events_csv,
    external_urls,
    inline_assets,
    read_basemap,
    safe_csv_cell,
    snapshot_png,
)
from geo.gazetteer import Gazetteer
from geo.profile import read_profile

FIRST, LAST = dt.date(2024, 11, 27), dt.date(2024, 12, 8)
# a 1x1 PNG, for CSS images
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def build(seeds_dir: Path) -> Build:
    return run([seeds_dir])


@pytest.fixture(scope="module")
def basemap() -> Basemap:
    return read_basemap()


def territory_on(build: Build, day: dt.date) -> gpd.GeoDataFrame:
    return build.territory[build.territory["day"] == day].reset_index(drop=True)


def places_on(build: Build, gazetteer: Gazetteer, day: dt.date) -> gpd.GeoDataFrame:
    """The reported places of a day, shaped like the dashboard's ``places_day``."""
    state = build.state[
        (build.state["day"] == day) & build.state["basis"].isin(["extracted", "curated"])
    ]
    population = [
        gazetteer.places[i].population if i in gazetteer.places else 0 for i in state["site_id"]
    ]
    return gpd.GeoDataFrame(
        {
            "place_id": state["site_id"].to_numpy(),
            "place": state["place"].to_numpy(),
            "controller": state["controller"].to_numpy(),
            "status": state["status"].to_numpy(),
            "changed": state["status"].eq("changed").to_numpy(),
            "population": population,
        },
        geometry=gpd.points_from_xy(state["lon"], state["lat"]),
        crs="EPSG:4326",
    )


def odd_places(*names: str) -> gpd.GeoDataFrame:
    """Places with hostile names, in the empty desert where their labels fit."""
    return gpd.GeoDataFrame(
        {
            "place_id": [f"test:{i}" for i in range(len(names))],
            "place": list(names),
            "controller": ["SDF", "unknown", "HTS-led coalition"][: len(names)],
            "status": ["held"] * len(names),
            "changed": [i == 0 for i in range(len(names))],
            "population": [5000] * len(names),
        },
        geometry=gpd.points_from_xy(
            [38.2 + i * 0.9 for i in range(len(names))], [34.3] * len(names)
        ),
        crs="EPSG:4326",
    )


def png_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# ---------------------------------------------------------------------------
# basemap


def test_basemap_layers_are_lon_lat_frames(basemap: Basemap) -> None:
    assert len(basemap.outline) == 1
    assert len(basemap.governorates) == 14
    assert "Damascus" in set(basemap.governorates["name_en"])
    assert {"Turkey", "Iraq", "Jordan", "Lebanon"} <= set(basemap.neighbours["name_en"])
    assert "Syria" not in set(basemap.neighbours["name_en"])
    assert not basemap.neighbour_lines.empty
    assert list(basemap.cities["name"])[:2] == ["Damascus", "Aleppo"]
    for frame in (
        basemap.outline,
        basemap.governorates,
        basemap.neighbours,
        basemap.neighbour_lines,
        basemap.cities,
    ):
        assert frame.crs == "EPSG:4326"


@pytest.mark.parametrize("key", ["outline", "governorates", "neighbours", "neighbour_lines"])
def test_read_basemap_names_a_missing_file(profile_copy: Path, key: str) -> None:
    profile = read_profile(profile_copy)
    profile.file(key).unlink()
    with pytest.raises(DataError, match=profile.file(key).name) as info:
        read_basemap(profile)
    assert "\n" not in str(info.value)


def test_read_basemap_names_a_corrupt_file(profile_copy: Path) -> None:
    profile = read_profile(profile_copy)
    profile.file("governorates").write_text('{"type": "Feature', encoding="utf-8")
    with pytest.raises(DataError, match=profile.file("governorates").name) as info:
        read_basemap(profile)
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------------------
# PNG snapshot


def test_snapshot_is_a_png_of_map_size(
    build: Build, basemap: Basemap, gazetteer: Gazetteer
) -> None:
    data = snapshot_png(
        territory_on(build, LAST), places_on(build, gazetteer, LAST), basemap, day=LAST
    )
    image = png_of(data)
    assert image.format == "PNG"
    width, height = image.size
    assert 800 <= width <= 1600
    assert 600 <= height <= 1400
    # not a blank page: the map has many colours
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_snapshot_changes_with_the_day(
    build: Build, basemap: Basemap, gazetteer: Gazetteer
) -> None:
    first = snapshot_png(
        territory_on(build, FIRST), places_on(build, gazetteer, FIRST), basemap, day=FIRST
    )
    last = snapshot_png(
        territory_on(build, LAST), places_on(build, gazetteer, LAST), basemap, day=LAST
    )
    a = np.asarray(png_of(first).convert("RGB"))
    b = np.asarray(png_of(last).convert("RGB"))
    assert a.shape == b.shape
    changed = (a != b).any(axis=2).sum()
    # more than the title: territory changed hands between the two days
    assert changed > 0.02 * a.shape[0] * a.shape[1]


def test_snapshot_is_deterministic(build: Build, basemap: Basemap) -> None:
    territory = territory_on(build, LAST)
    places = odd_places("Tadmur")
    assert snapshot_png(territory, places, basemap, day=LAST) == snapshot_png(
        territory, places, basemap, day=LAST
    )


@pytest.mark.parametrize(
    "name",
    [
        r"$\frac{a}{b}$",
        # broken mathtext: raises if the label were parsed as math
        r"$\frac{a}{b$",
        "<script>alert(1)</script>",
        "Tell $x$ \\ and ^_{}%",
        "two\nlines\tand a very long name that goes on and on and on",
    ],
)
def test_snapshot_draws_hostile_names_as_text(build: Build, basemap: Basemap, name: str) -> None:
    data = snapshot_png(
        territory_on(build, LAST),
        odd_places(name, "Tadmur"),
        basemap,
        day=LAST,
        title="$\\frac{1}{0}$ frontline",
    )
    assert png_of(data).format == "PNG"


def test_snapshot_with_no_places_and_no_territory(basemap: Basemap) -> None:
    empty = gpd.GeoDataFrame(
        {"controller": [], "status": [], "basis": []}, geometry=[], crs="EPSG:4326"
    )
    assert png_of(snapshot_png(empty, odd_places()[0:0], basemap, day=FIRST)).format == "PNG"


def test_snapshot_refuses_another_day(build: Build, basemap: Basemap) -> None:
    with pytest.raises(ValueError, match="other days"):
        snapshot_png(build.territory, odd_places("x"), basemap, day=LAST)


# ---------------------------------------------------------------------------
# GIF


def solid_png(colour: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


def test_gif_has_every_frame_and_loops() -> None:
    frames = [solid_png(c) for c in ("#D55E00", "#009E73", "#F0E442", "#0072B2")]
    gif = Image.open(io.BytesIO(animation_gif(frames, ms_per_frame=500)))
    assert gif.format == "GIF"
    assert gif.n_frames == 4
    assert gif.info["loop"] == 0
    assert gif.info["duration"] == 500
    assert gif.size == (40, 30)


def test_gif_of_snapshots(build: Build, basemap: Basemap, gazetteer: Gazetteer) -> None:
    frames = [
        snapshot_png(territory_on(build, d), places_on(build, gazetteer, d), basemap, day=d)
        for d in (FIRST, LAST)
    ]
    gif = Image.open(io.BytesIO(animation_gif(frames)))
    assert gif.n_frames == 2
    assert gif.size == png_of(frames[0]).size


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ([], "at least one"),
        ([solid_png("red"), solid_png("blue", (41, 30))], "frame 1"),
        ([solid_png("red"), b"not a png"], "frame 1"),
    ],
)
def test_gif_refuses_bad_frames(frames: list[bytes], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        animation_gif(frames)


# ---------------------------------------------------------------------------
# GeoJSON of a day


def test_day_geojson_holds_territory_and_places(build: Build, gazetteer: Gazetteer) -> None:
    territory = territory_on(build, LAST)
    places = places_on(build, gazetteer, LAST)
    doc = json.loads(day_geojson(territory, places, day=LAST))
    assert doc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("territory") == len(territory)
    assert kinds.count("place") == len(places) > 0
    for feature in doc["features"]:
        props = feature["properties"]
        assert props["day"] == "2024-12-08"
        if props["kind"] == "territory":
            assert set(props) == {"kind", "day", "controller", "status", "basis", "area_km2"}
            assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
            assert props["area_km2"] > 0
        else:
            assert set(props) == {
                "kind",
                "day",
                "place_id",
                "place",
                "controller",
                "status",
                "changed",
            }
            assert isinstance(props["changed"], bool)
            lon, lat = feature["geometry"]["coordinates"]
            # lon/lat order: Syria is at 35-43 E, 32-38 N
            assert 35 < lon < 43
            assert 32 < lat < 38


def test_day_geojson_reprojects_to_lon_lat() -> None:
    places = odd_places("Tadmur").to_crs("EPSG:32637")
    territory = gpd.GeoDataFrame(
        {"controller": [], "status": [], "basis": [], "area_km2": []},
        geometry=[],
        crs="EPSG:4326",
    )
    doc = json.loads(day_geojson(territory, places, day=FIRST))
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(38.2)
    assert lat == pytest.approx(34.3)


# ---------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Aleppo", "Aleppo"),
        ("", ""),
    ],
)
def test_safe_csv_cell_quotes_formulas(cell: str, written: str) -> None:
    assert safe_csv_cell(cell) == written


@pytest.mark.parametrize("value", [-3.5, -1, 0, 2.25, True, None])
def test_safe_csv_cell_keeps_numbers(value: object) -> None:
    assert safe_csv_cell(value) is value


def test_events_csv_neutralises_formulas_and_round_trips_text() -> None:
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4", "e5"],
            "place": ['=HYPERLINK("http://x")', "+1", "-cmd", "@SUM(A1)", "Homs"],
            "lat": [-3.5, 34.7, 35.0, 36.2, 34.73],
            "excerpt": [
                'He said, "Homs fell", then left',
                "line one\nline two",
                "commas, everywhere, here",
                "plain",
                "-3.5",
            ],
        }
    )
    text = events_csv(events)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["event_id", "place", "lat", "excerpt"]
    assert [r[1] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "Homs",
    ]
    # a number is a number, a negative one too
    assert rows[1][2] == "-3.5"
    assert float(rows[1][2]) == -3.5
    assert [r[3] for r in rows[1:4]] == list(events["excerpt"][:3])
    # text that looks like a negative number is still text, so it is quoted
    assert rows[5][3] == "'-3.5"


def test_events_csv_drops_geometry(build: Build) -> None:
    from geo.export import events_frame

    frame = events_frame(build.fused, build.articles)
    text = events_csv(frame)
    header = next(csv.reader(io.StringIO(text)))
    assert "geometry" not in header
    assert header[:3] == ["event_id", "article", "place"]


# ---------------------------------------------------------------------------
# standalone HTML


@pytest.fixture
def fake_assets(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(PIXEL)
    (tmp_path / "lib.js").write_text(
        'var tag = "</script><b>";\nwindow.LIB = 1;\n//# sourceMappingURL=lib.js.map\n',
        encoding="utf-8",
    )
    (tmp_path / "lib.css").write_text(
        ".a { background: url(images/x.png); }\n"
        ".b { background: url('images/x.png?v=2'); }\n"
        ".c { behavior: url(#default#VML); }\n"
        "/* </style> */\n",
        encoding="utf-8",
    )
    return {
        "/app/static/vendor/lib.js": tmp_path / "lib.js",
        "/app/static/vendor/lib.css": tmp_path / "lib.css",
    }


PAGE = """<!DOCTYPE html>
<html><head>
<script src="/app/static/vendor/lib.js"></script>
<link rel="stylesheet" href="/app/static/vendor/lib.css"/>
{extra}
</head><body><div id="map"></div><script>var m = 1;</script></body></html>
"""


def test_inline_assets_makes_a_page_standalone(fake_assets: dict[str, Path]) -> None:
    page = inline_assets(PAGE.format(extra=""), fake_assets)
    assert external_urls(page) == []
    assert "/app/static/vendor/" not in page
    assert "window.LIB = 1;" in page
    assert '"<\\/script><b>"' in page
    assert "sourceMappingURL" not in page
    assert "<\\/style>" in page
    assert page.count("data:image/png;base64,") == 2
    assert "url(#default#VML)" in page
    # every script and style still closes where it should
    assert page.count("<script") == page.count("</script>") == 2
    assert page.count("<style") == page.count("</style>") == 1


def test_inline_assets_leaves_unknown_urls_for_the_caller(fake_assets: dict[str, Path]) -> None:
    cdn = "https://cdn.example.com/leaflet.js"
    page = inline_assets(PAGE.format(extra=f'<script src="{cdn}"></script>'), fake_assets)
    assert f'<script src="{cdn}"></script>' in page
    assert external_urls(page) == [cdn]


def test_inline_assets_stays_in_the_stylesheet_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(PIXEL)
    css_dir = tmp_path / "css"
    css_dir.mkdir()
    (css_dir / "a.css").write_text(".a { background: url(../secret.png); }", encoding="utf-8")
    page = inline_assets('<link rel="stylesheet" href="a.css">', {"a.css": css_dir / "a.css"})
    assert "url(../secret.png)" in page
    assert "data:" not in page


def test_external_urls_finds_tags_and_css() -> None:
    page = """
    <link rel="stylesheet" href="https://cdn.example.com/a.css"/>
    <link rel="icon" href="/favicon.ico">
    <script src='http://cdn.example.com/b.js'></script>
    <script src=//cdn.example.com/c.js></script>
    <style>@import "https://fonts.example.com/d.css";
      .x { background: url("https://cdn.example.com/e.png") }</style>
    <a href="https://example.com/not-loaded">a link is not loaded</a>
    """
    assert external_urls(page) == [
        "https://cdn.example.com/a.css",
        "http://cdn.example.com/b.js",
        "//cdn.example.com/c.js",
        "https://fonts.example.com/d.css",
        "https://cdn.example.com/e.png",
    ]


def test_a_leaflet_page_from_cdn_to_standalone(fake_assets: dict[str, Path]) -> None:
    cdn = PAGE.replace("/app/static/vendor/", "https://unpkg.example.com/leaflet@1.9.4/dist/")
    assert len(external_urls(cdn.format(extra=""))) == 2
    page = inline_assets(PAGE.format(extra=""), fake_assets)
    assert external_urls(page) == []
    assert "window.LIB = 1;" in page
