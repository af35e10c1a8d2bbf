"""dashboard.downloads: the Export files of a day: CSV, GeoJSON, GeoPackage, PNG, HTML, GIF."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from PIL import Image, ImageColor

from geo import export, views
from geo.build import Build, run
from geo.events import ControlEvent
from geo.export.style import fill_for
from geo.gazetteer import Gazetteer
from geo.models import ArticleInfo, Place, Span
from geo.profile import load_profile
from geo.timeline import FusedEvent

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the dashboard is not an installed package
    sys.path.insert(0, str(ROOT))

from dashboard import downloads, mapview  # noqa: E402

LAST = dt.date(2024, 12, 8)
FORMULAS = ['=HYPERLINK("http://x.test/","go")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(scope="module")
def build(seeds_dir: Path) -> Build:
    return run([seeds_dir])


@pytest.fixture(scope="module")
def view(build: Build) -> views.View:
    return views.make_view(build, views.Filters())


@pytest.fixture(scope="module")
def basemap() -> export.Basemap:
    return export.read_basemap()


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def change(place: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c: "" for c in views.CHANGE_COLUMNS}
    row |= {"day": "2031-03-02", "place_id": "t:x", "place": place, "lat": -3.5, "lon": 36.25}
    return row | {"change": "changed hands", "n_sources": 2, "confidence": 0.75} | fields


# ---------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("cell", FORMULAS)
def test_changes_csv_neutralises_formula_cells(cell: str) -> None:
    frame = pd.DataFrame([change(cell, controller=cell, kind="captured")])
    (row,) = rows_of(downloads.changes_csv(frame))
    written = "'" + cell.replace("\r", "\n")
    assert row["place"] == written and row["controller"] == written
    assert row["kind"] == "captured"


def test_changes_csv_keeps_numbers_and_the_column_order() -> None:
    frame = pd.DataFrame([change("Pine Ford", extra="dropped")])
    frame = frame[list(reversed(frame.columns))]  # whatever order the frame holds
    data = downloads.changes_csv(frame)
    header, line = data.decode("utf-8").splitlines()
    assert header.split(",") == views.CHANGE_COLUMNS  # the extra column left out
    (row,) = rows_of(data)
    numbers = [row[c] for c in ("lat", "lon", "n_sources", "confidence")]
    assert numbers == ["-3.5", "36.25", "2", "0.75"]  # unquoted: -3.5 is no formula
    assert row["place"] == "Pine Ford" and line.startswith("2031-03-02,t:x,Pine Ford,-3.5,")


def test_changes_csv_of_a_day_of_the_seeds(view: views.View) -> None:
    changes = views.day_changes(view, LAST)
    rows = rows_of(downloads.changes_csv(changes))
    assert len(rows) == len(changes) and list(rows[0]) == views.CHANGE_COLUMNS
    assert [r["place_id"] for r in rows] == list(changes["place_id"])


def test_changes_csv_of_a_quiet_day_is_its_header() -> None:
    empty = pd.DataFrame(columns=views.CHANGE_COLUMNS)
    assert downloads.changes_csv(empty).decode("utf-8") == ",".join(views.CHANGE_COLUMNS) + "\n"


def test_events_csv_has_a_row_per_report_with_its_article() -> None:
    place = Place("t:ford", "=Pine Ford", -3.5, 36.25, "SY", "North")

    def report(rid: str, article_id: str, excerpt: str) -> ControlEvent:
        return ControlEvent(
            rid, article_id, place, "captured", "SDF", "the militia", "text",
            dt.date(2031, 3, 2), "exact", "on Sunday", 0.7, Span(10, 10 + len(excerpt)),
            Span(14, 20), Span(24, 33), excerpt,
        )  # fmt: skip

    reports = (
        report("r1", "a1", "The militia took =Pine Ford on Sunday."),
        report("r2", "gone", "@Pine Ford changed hands, a ferryman said."),
    )
    event = FusedEvent(
        "ev", place, "captured", "SDF", None, "unknown", None, None, False, 0.7, "extracted",
        reports,
    )  # fmt: skip
    article = ArticleInfo("a1", "notes/ferry.txt", outlet="+Valley Courier")
    view = views.View((event,), pd.DataFrame(), gpd.GeoDataFrame(), pd.DataFrame())
    rows = rows_of(downloads.events_csv(view, [article]))  # type: ignore[list-item]
    assert [(r["event_id"], r["report_id"]) for r in rows] == [("ev", "r1"), ("ev", "r2")]
    first, second = rows
    assert [first[c] for c in ("article", "outlet")] == ["ferry.txt", "'+Valley Courier"]
    # the row's day is its report's, which its excerpt says; the fused event has none
    assert (first["day"], first["day_precision"], first["event_day"]) == ("2031-03-02", "exact", "")
    assert first["place"] == "'=Pine Ford" and first["lat"] == "-3.5"
    assert first["excerpt"] == "The militia took =Pine Ford on Sunday."
    assert (first["excerpt_place_start"], first["excerpt_place_end"]) == ("14", "23")
    assert second["excerpt"].startswith("'@Pine Ford") and second["article"] == ""
    assert "geometry" not in first


def test_events_csv_of_the_seeds(build: Build, view: views.View) -> None:
    rows = rows_of(downloads.events_csv(view, build.articles))  # type: ignore[arg-type]
    assert len(rows) == sum(len(f.reports) for f in view.fused)
    assert {r["event_id"] for r in rows} == {f.id for f in view.fused}
    assert all(r["article"].endswith(".txt") for r in rows)


# ---------------------------------------------------------------------------- GIS files


def states(view: views.View, gazetteer: Gazetteer) -> list[tuple[str, str, str]]:
    """Each place of the last day with its holder and status (Damascus changed hands)."""
    places = views.places_on(view, LAST, gazetteer)
    found = list(zip(places["place_id"], places["controller"], places["status"], strict=True))
    assert ("gn:170654", "HTS-led coalition", "changed") in found
    return found


def test_day_geojson_holds_the_day_s_territory_and_places(
    view: views.View, gazetteer: Gazetteer
) -> None:
    doc = json.loads(downloads.day_geojson(view, LAST, gazetteer).decode("utf-8"))
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("territory") == len(views.territory_on(view, LAST))
    places = [f["properties"] for f in doc["features"] if f["properties"]["kind"] == "place"]
    assert [(p["place_id"], p["controller"], p["status"]) for p in places] == states(
        view, gazetteer
    )
    assert {f["properties"]["day"] for f in doc["features"]} == {LAST.isoformat()}


def test_day_geopackage_has_a_layer_each(
    view: views.View, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    path = tmp_path / "day.gpkg"
    path.write_bytes(downloads.day_geopackage(view, LAST, gazetteer))
    assert pyogrio.list_layers(path).tolist() == [
        ["territory", "MultiPolygon"],
        ["places", "Point"],
    ]
    places = gpd.read_file(path, layer="places")
    assert places.crs.to_epsg() == 4326
    found = zip(places["place_id"], places["controller"], places["status"], strict=True)
    assert list(found) == states(view, gazetteer)
    assert len(gpd.read_file(path, layer="territory")) == len(views.territory_on(view, LAST))


# ---------------------------------------------------------------------------- pictures and pages


def test_png_is_the_day_s_snapshot_with_what_changed(
    view: views.View, basemap: export.Basemap, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def snapshot(
        territory: gpd.GeoDataFrame, places: gpd.GeoDataFrame, base: object, **kw: Any
    ) -> bytes:
        seen.update(kw, territory=territory, places=places, base=base)
        return b"png"

    monkeypatch.setattr(export, "snapshot_png", snapshot)
    assert downloads.png(view, LAST, basemap, gazetteer) == b"png"
    assert seen["day"] == LAST and seen["base"] is basemap
    assert seen["title"] == f"frontline — {load_profile().title}"
    pd.testing.assert_frame_equal(seen["changes"], views.day_changes(view, LAST))
    assert set(seen["territory"]["day"]) == {LAST}
    assert list(seen["places"]["place_id"]) == list(
        views.places_on(view, LAST, gazetteer)["place_id"]
    )


def test_png_takes_the_day_s_views_the_caller_holds(
    view: views.View, basemap: export.Basemap, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard hands over its cached frames: none is made again, the file is the same."""
    frames = (views.territory_on(view, LAST), views.places_on(view, LAST, gazetteer))
    changes = views.day_changes(view, LAST)
    made = downloads.png(view, LAST, basemap, gazetteer)
    for name in ("territory_on", "places_on", "day_changes"):
        monkeypatch.setattr(views, name, lambda *a, **kw: pytest.fail("made again"))
    assert downloads.png(view, LAST, basemap, gazetteer, frames=frames, changes=changes) == made


def test_png_decodes(view: views.View, basemap: export.Basemap, gazetteer: Gazetteer) -> None:
    image = Image.open(io.BytesIO(downloads.png(view, LAST, basemap, gazetteer)))
    assert image.format == "PNG" and image.width > 600 and image.height > 400


def solid(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, format="PNG")
    return buf.getvalue()


def test_gif_has_a_frame_per_day_in_order(
    view: views.View, basemap: export.Basemap, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = [dt.date(2024, 12, 6), dt.date(2024, 12, 7), LAST]
    # fills the map paints: the GIF's palette holds them exactly
    held = [fill_for(basemap.palette[a], "held").colour for a in ("SDF", "SNA", "Government")]
    colours = dict(zip(days, held, strict=True))
    drawn: list[dt.date] = []

    def png(v: views.View, day: dt.date, base: export.Basemap, gaz: Gazetteer) -> bytes:
        assert v is view and base is basemap and gaz is gazetteer
        drawn.append(day)
        return solid(colours[day])

    monkeypatch.setattr(downloads, "png", png)
    gif = Image.open(io.BytesIO(downloads.gif(view, days, basemap, gazetteer)))
    assert drawn == days and gif.format == "GIF" and gif.n_frames == 3
    firsts = []
    for i in range(gif.n_frames):
        gif.seek(i)
        firsts.append(gif.convert("RGB").getpixel((0, 0)))
    assert firsts == [ImageColor.getrgb(c) for c in held]


def test_html_is_the_day_s_standalone_map(view: views.View, gazetteer: Gazetteer) -> None:
    base = {"bounds": [[32.0, 35.0], [37.0, 42.0]], "layers": [], "cities": []}
    selected = {"id": "gn:170654", "lat": 33.5, "lon": 36.3, "r": 6.0}
    page = downloads.html(view, LAST, base, gazetteer, selected=selected).decode("utf-8")
    assert export.external_urls(page) == [] and mapview.STATIC_PREFIX not in page
    title = f"frontline — {load_profile().title}"
    assert f"<title>{html.escape(title, quote=False)} — 2024-12-08</title>" in page
    found = re.search(r'id="frontline-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["base"] == base and data["selected"] == selected
    assert data["layer"]["day"] == "2024-12-08"
    ids = {p["id"] for p in mapview.drawn_places(data["layer"], data["sites"])}
    assert ids == set(views.places_on(view, LAST, gazetteer)["place_id"])


def test_downloads_need_no_streamlit() -> None:
    code = "import sys, dashboard.downloads; print('streamlit' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
