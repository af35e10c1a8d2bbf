"""Outputs GIS tools open directly: the build's GeoParquet files and the day's GeoPackage.

Each is read back with geopandas and compared with the file it copies (``state.csv``,
``places.csv``, ``territory.geojson``, the day's GeoJSON): CRS, columns, rows, values.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo import geoparquet
from geo.cli import EXIT_OK, main

DAY = dt.date(2024, 12, 8)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gis") / "build"
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    assert main(["build", str(seeds), "--out", str(out), "-q"]) == EXIT_OK
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, dtype=str)


def _same_values(parquet: gpd.GeoDataFrame, table: pd.DataFrame) -> None:
    """Every column of ``table`` in ``parquet`` with the same values, as the CSV writes them."""
    assert list(parquet.columns) == [*table.columns, "geometry"]
    assert len(parquet) == len(table) > 0
    as_csv = pd.read_csv(
        pd.io.common.StringIO(pd.DataFrame(parquet.drop(columns="geometry")).to_csv(index=False)),
        keep_default_na=False,
        dtype=str,
    )
    pd.testing.assert_frame_equal(as_csv, table, check_dtype=False)


@pytest.mark.parametrize("name", ["state", "places"])
def test_point_tables_match_their_csv(seed_build: Path, name: str) -> None:
    parquet = gpd.read_parquet(seed_build / f"{name}.parquet")
    table = _csv(seed_build / f"{name}.csv")
    assert parquet.crs is not None and parquet.crs.to_epsg() == 4326
    _same_values(parquet, table)
    assert set(parquet.geom_type) == {"Point"}
    assert (parquet.geometry.x == table["lon"].astype(float)).all()  # x is the longitude
    assert (parquet.geometry.y == table["lat"].astype(float)).all()


def test_territory_matches_its_geojson(seed_build: Path) -> None:
    parquet = gpd.read_parquet(seed_build / "territory.parquet")
    geojson = gpd.read_file(seed_build / "territory.geojson")
    doc = json.loads((seed_build / "territory.geojson").read_text(encoding="utf-8"))
    assert parquet.crs is not None and parquet.crs.to_epsg() == 4326
    assert list(parquet.columns) == [*doc["features"][0]["properties"], "geometry"]
    assert len(parquet) == len(doc["features"]) == len(geojson)
    days = [f["properties"]["day"] for f in doc["features"]]
    assert list(parquet["day"]) == days and days[0] == "2024-11-27"  # ISO text, as there
    for column in ("controller", "status", "basis"):
        assert list(parquet[column]) == [f["properties"][column] for f in doc["features"]]
    assert set(parquet.geom_type) <= {"Polygon", "MultiPolygon"}
    assert parquet.geometry.geom_equals_exact(geojson.geometry, tolerance=1e-9).all()
    assert (parquet["area_km2"] - geojson["area_km2"]).abs().max() < 1e-6


@pytest.mark.parametrize("rows", [0, 1, 7, 1000])
def test_places_are_copied_a_chunk_at_a_time(
    seed_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """Written in chunks of ``rows`` (0: a places.csv with no mention), read back whole."""
    source = seed_build / "places.csv"
    if rows == 0:
        source = tmp_path / "places.csv"
        source.write_text((seed_build / "places.csv").read_text().splitlines()[0] + "\n")
    else:
        monkeypatch.setattr(geoparquet, "CHUNK_ROWS", rows)
    out = tmp_path / "places.parquet"
    written = geoparquet.write_places(source, out)
    parquet = gpd.read_parquet(out)
    table = _csv(source)
    assert written == len(parquet) == len(table)
    assert parquet.crs is not None and parquet.crs.to_epsg() == 4326
    if rows:
        _same_values(parquet, table)
    else:
        assert list(parquet.columns) == [*table.columns, "geometry"]


def test_the_days_geopackage_matches_its_geojson(tmp_path: Path) -> None:
    from dashboard import downloads
    from geo.build import run
    from geo.gazetteer import load_gazetteer
    from geo.views import Filters, make_view

    build = run([Path(__file__).resolve().parents[1] / "seeds"])
    view, gaz = make_view(build, Filters()), load_gazetteer()
    path = tmp_path / "day.gpkg"
    path.write_bytes(downloads.day_geopackage(view, DAY, gaz))
    doc = json.loads(downloads.day_geojson(view, DAY, gaz))
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {"territory": "MultiPolygon", "places": "Point"}
    for layer, kind in (("territory", "territory"), ("places", "place")):
        frame = gpd.read_file(path, layer=layer)
        features = [f for f in doc["features"] if f["properties"]["kind"] == kind]
        assert frame.crs is not None and frame.crs.to_epsg() == 4326
        assert list(frame.columns) == [*features[0]["properties"], "geometry"]
        assert len(frame) == len(features) > 0
        assert set(frame["day"]) == {DAY.isoformat()}
        expected = gpd.GeoSeries(
            [shapely.geometry.shape(f["geometry"]) for f in features], crs="EPSG:4326"
        )
        assert frame.geometry.geom_equals(expected).all()  # polygons promoted to multi
        for column in ("controller", "status"):
            assert list(frame[column]) == [f["properties"][column] for f in features]


def test_a_day_without_places_still_has_both_layers(tmp_path: Path) -> None:
    from geo.export import day_geopackage

    square = shapely.box(36.0, 33.0, 37.0, 34.0)
    territory = gpd.GeoDataFrame(
        {"controller": ["SDF"], "status": ["held"], "basis": ["baseline"], "area_km2": [1.0]},
        geometry=[square],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        columns=["place_id", "place", "controller", "status", "changed", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )
    path = tmp_path / "day.gpkg"
    path.write_bytes(day_geopackage(territory, places, day=DAY))
    assert len(gpd.read_file(path, layer="territory")) == 1
    assert len(gpd.read_file(path, layer="places")) == 0
