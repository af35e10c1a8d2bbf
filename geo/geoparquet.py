"""GeoParquet copies of a build's tables, for GIS tools (QGIS, geopandas, DuckDB) to open as is.

``territory.parquet`` (polygons), ``state.parquet`` (the daily state, a point per site) and
``places.parquet`` (a point per mention), all in EPSG:4326 with GeoParquet's ``geo``
metadata. Columns and values are those of ``territory.geojson``, ``state.csv`` and
``places.csv`` (days as ISO text, as there), plus the geometry.

The first two are small and go through ``GeoDataFrame.to_parquet``. ``places.parquet``
can have hundreds of thousands of rows, so it is copied from ``places.csv`` a chunk at a
time with pyarrow's ``ParquetWriter``: the mentions are never all in memory at once (see
``geo.buildfolder._write_places``). Its ``geo`` metadata is written per the GeoParquet 1.0.0
specification, the CRS as PROJJSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from pyproj import CRS

from .export import PLACE_COLUMNS

__all__ = ["CRS_NAME", "PLACE_DTYPES", "write_frame", "write_places", "write_points"]

CRS_NAME = "EPSG:4326"
#: How ``places.csv``'s columns are read, so every chunk has the same Arrow schema.
PLACE_DTYPES: dict[str, str] = {
    **dict.fromkeys(PLACE_COLUMNS, "str"),
    "start": "int64",
    "end": "int64",
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",
}
CHUNK_ROWS = 100_000


def write_points(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """One GeoParquet file of ``frame`` with a point per row from its ``lon`` and ``lat``
    (EPSG:4326), written by pyarrow: no GeoDataFrame is built for a table of points."""
    pq.write_table(_table(frame, None), Path(path))


def write_frame(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> None:
    """One GeoParquet file of ``frame`` (reprojected to EPSG:4326 if it is not)."""
    frame.to_crs(CRS_NAME).to_parquet(path, index=False)


def _geo_metadata() -> bytes:
    column = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "crs": CRS(CRS_NAME).to_json_dict(),
    }
    meta = {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return json.dumps(meta).encode("utf-8")


def _table(chunk: pd.DataFrame, schema: pa.Schema | None) -> pa.Table:
    geometry = _point_wkb(chunk["lon"].to_numpy(float), chunk["lat"].to_numpy(float))
    table = pa.Table.from_pandas(chunk, preserve_index=False, schema=None)
    table = table.append_column("geometry", pa.array(geometry, type=pa.binary()))
    if schema is not None:
        return table.cast(schema)
    return table.replace_schema_metadata({b"geo": _geo_metadata()})


def _point_wkb(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """WKB points, each distinct position made once: a daily state repeats every site's
    point once a day (a position as one complex number, so one factorize finds them)."""
    codes, unique = pd.factorize(lon + 1j * lat, use_na_sentinel=False)
    return shapely.to_wkb(shapely.points(unique.real, unique.imag))[codes]


def write_places(csv_path: str | os.PathLike[str], path: str | os.PathLike[str]) -> int:
    """``places.parquet`` from ``places.csv``, a chunk at a time; returns the row count."""
    rows = 0
    writer: pq.ParquetWriter | None = None
    try:
        for chunk in pd.read_csv(
            csv_path, dtype=PLACE_DTYPES, keep_default_na=False, chunksize=CHUNK_ROWS
        ):
            table = _table(chunk, writer.schema if writer else None)
            if writer is None:
                writer = pq.ParquetWriter(Path(path), table.schema)
            writer.write_table(table)
            rows += len(chunk)
        if writer is None:  # a header and no mention
            empty = pd.read_csv(csv_path, dtype=PLACE_DTYPES, keep_default_na=False)
            pq.write_table(_table(empty, None), Path(path))
    finally:
        if writer is not None:
            writer.close()
    return rows
