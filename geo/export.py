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
    if fmt == "table":
        return _place_table(frame)
    msg = f"unknown format {fmt!r}; use csv or geojson"
    raise ValueError(msg)


def _place_table(frame: gpd.GeoDataFrame) -> str:
    """A reading summary: one line per place with its spellings, mentions and articles."""
    if frame.empty:
        return "no places found\n"
    grouped = (
        frame.groupby("place_id", sort=False)
        .agg(
            place=("place", "first"),
            country=("country", "first"),
            kind=("feature_type", "first"),
            lat=("lat", "first"),
            lon=("lon", "first"),
            mentions=("surface", "size"),
            articles=("article", "nunique"),
            spellings=("surface", lambda s: ", ".join(dict.fromkeys(s))),
        )
        .sort_values(["mentions", "place"], ascending=[False, True])
    )
    lines = [
        f"{'place':<28} {'cc':<3} {'type':<16} {'lat':>8} {'lon':>9} {'men':>4} "
        f"{'art':>4}  written as"
    ]
    lines += [
        f"{r.place[:28]:<28} {r.country:<3} {r.kind[:16]:<16} {r.lat:8.4f} {r.lon:9.4f} "
        f"{r.mentions:4d} {r.articles:4d}  {r.spellings}"
        for r in grouped.itertuples()
    ]
    return "\n".join(lines) + "\n"


def write_frame(
    frame: gpd.GeoDataFrame, target: str | os.PathLike[str] | io.TextIOBase, fmt: str = "csv"
) -> None:
    """Write ``frame`` as CSV, GeoJSON or a text table; files are replaced atomically."""
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
