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
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from .models import Article, Mention

if TYPE_CHECKING:
    from .timeline import FusedEvent

__all__ = [
    "EVENT_COLUMNS",
    "PLACE_COLUMNS",
    "STATE_COLUMNS",
    "events_frame",
    "mentions_frame",
    "state_frame",
    "write_frame",
]

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


#: Columns of ``events.csv`` and ``python -m geo events``: one row per report of a fused
#: event. The first ten are the stable contract; ``day`` is the fused event's day and
#: ``report_day`` the day this article gives.
EVENT_COLUMNS = [
    "event_id",
    "article",
    "place",
    "lat",
    "lon",
    "kind",
    "actor",
    "day",
    "confidence",
    "excerpt",
    "place_id",
    "country",
    "governorate",
    "origin",
    "source",
    "actor_raw",
    "actor_basis",
    "day_precision",
    "earliest",
    "latest",
    "n_sources",
    "disagreement",
    "report_id",
    "report_day",
    "report_day_precision",
    "report_day_cue",
    "report_confidence",
    "outlet",
    "published",
    "excerpt_place_start",
    "excerpt_place_end",
    "excerpt_trigger_start",
    "excerpt_trigger_end",
    "article_id",
]
#: Columns of ``state.csv``; the first six are the stable contract.
STATE_COLUMNS = [
    "place",
    "lat",
    "lon",
    "day",
    "controller",
    "status",
    "site_id",
    "since",
    "basis",
    "event_ids",
    "confidence",
]


def _iso(day: object) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else ""


def events_frame(fused: Iterable[FusedEvent], articles: Iterable[Article]) -> gpd.GeoDataFrame:
    """One row per supporting report of each fused event, points in EPSG:4326."""
    by_id = {a.id: a for a in articles}
    rows = []
    for f in fused:
        for r in f.reports:
            article = by_id.get(r.article_id)
            offset = r.sentence.start
            rows.append(
                {
                    "event_id": f.id,
                    "article": article.name if article else "",
                    "place": f.place.name,
                    "lat": f.place.lat,
                    "lon": f.place.lon,
                    "kind": f.kind,
                    "actor": f.actor,
                    "day": _iso(f.day),
                    "confidence": f.confidence,
                    "excerpt": r.excerpt,
                    "place_id": f.place.id,
                    "country": f.place.country,
                    "governorate": f.place.admin1,
                    "origin": r.origin,
                    "source": r.source,
                    "actor_raw": r.actor_raw,
                    "actor_basis": r.actor_basis,
                    "day_precision": f.day_precision,
                    "earliest": _iso(f.earliest),
                    "latest": _iso(f.latest),
                    "n_sources": f.n_sources,
                    "disagreement": f.disagreement,
                    "report_id": r.id,
                    "report_day": _iso(r.day),
                    "report_day_precision": r.day_precision,
                    "report_day_cue": r.day_cue,
                    "report_confidence": r.confidence,
                    "outlet": (article.outlet or "") if article else "",
                    "published": _iso(article.published) if article else "",
                    "excerpt_place_start": r.place_span.start - offset if article else "",
                    "excerpt_place_end": r.place_span.end - offset if article else "",
                    "excerpt_trigger_start": r.trigger.start - offset if article else "",
                    "excerpt_trigger_end": r.trigger.end - offset if article else "",
                    "article_id": r.article_id,
                }
            )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def state_frame(state: pd.DataFrame) -> pd.DataFrame:
    """The daily state with ISO days, in the public column order."""
    out = state.copy()
    out["day"] = out["day"].map(_iso)
    out["since"] = out["since"].map(_iso)
    return out[STATE_COLUMNS]


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
