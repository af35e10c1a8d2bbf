"""Outputs as contracts: tables and GeoJSON that scripts and other tools read.

The column names written here are a public interface (see ARCHITECTURE.md):
columns may be added, never renamed or dropped.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .models import Article, Mention

__all__ = ["PLACE_COLUMNS", "mentions_frame", "write_frame"]

#: Columns of ``python -m geo places``; the first eight are the stable contract.
PLACE_COLUMNS = [
    "article",
    "start",
    "end",
    "surface",
    "place",
    "lat",
    "lon",
    "country",
    "governorate",
    "feature_type",
    "place_id",
    "confidence",
    "method",
    "article_id",
]


def mentions_frame(mentions: Iterable[Mention], articles: Iterable[Article]) -> gpd.GeoDataFrame:
    """One row per mention, points in EPSG:4326."""
    names = {a.id: a.name for a in articles}
    rows = [
        {
            "article": names.get(m.article_id, m.article_id),
            "start": m.start,
            "end": m.end,
            "surface": m.surface,
            "place": m.place.name,
            "lat": m.place.lat,
            "lon": m.place.lon,
            "country": m.place.country,
            "governorate": m.place.admin1 if m.place.country == "SY" else "",
            "feature_type": m.place.kind,
            "place_id": m.place.id,
            "confidence": m.confidence,
            "method": m.method,
            "article_id": m.article_id,
        }
        for m in mentions
    ]
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    # geometry takes (x=lon, y=lat): the one place the order flips
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _render(frame: gpd.GeoDataFrame, fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        pd.DataFrame(frame.drop(columns="geometry")).to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue()
    if fmt == "geojson":
        return frame.to_json(drop_id=True, ensure_ascii=False, indent=None) + "\n"
    msg = f"unknown format {fmt!r}; use csv or geojson"
    raise ValueError(msg)


def write_frame(
    frame: gpd.GeoDataFrame, target: str | os.PathLike[str] | io.TextIOBase, fmt: str = "csv"
) -> None:
    """Write ``frame`` as CSV or GeoJSON; files are replaced atomically, never half-written."""
    text = _render(frame, fmt)
    if isinstance(target, io.TextIOBase):
        target.write(text)
        return
    path = Path(target)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
