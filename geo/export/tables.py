"""Outputs as contracts: the tables and GeoJSON that scripts and other tools read.

The column names written here are a public interface (see ARCHITECTURE.md): columns may
be added, never renamed or dropped. Text cells are written as data; a spreadsheet-safe
CSV (:func:`events_csv`) neutralises cells that would run as formulas.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from ..control import STATE_COLUMNS as DAILY_STATE_COLUMNS
from ..corpus import PLACE_COLUMNS, mention_row
from ..models import Article, Mention
from ..profile import load_profile

if TYPE_CHECKING:
    from ..timeline import FusedEvent

__all__ = [
    "DAY_PLACE_COLUMNS",
    "DAY_TERRITORY_COLUMNS",
    "EVENT_COLUMNS",
    "FORMULA_STARTS",
    "PLACE_COLUMNS",
    "STATE_COLUMNS",
    "day_geojson",
    "day_geopackage",
    "events_csv",
    "events_frame",
    "mentions_frame",
    "safe_csv_cell",
    "state_frame",
    "write_frame",
]


def mentions_frame(mentions: Iterable[Mention], articles: Iterable[Article]) -> gpd.GeoDataFrame:
    """One row per mention, points in EPSG:4326."""
    names = {a.id: a.name for a in articles}
    home = load_profile().country
    rows = [(names.get(m.article_id, m.article_id), *mention_row(m, home)) for m in mentions]
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    # geometry takes (x=lon, y=lat): the one place the order flips
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


#: Columns of ``events.csv`` and ``python -m geo events``: one row per report of a fused
#: event. The first ten are the stable contract. A row's ``day`` (and ``day_precision``)
#: is the day its own article gives, so a row's excerpt and day agree (``report_day`` is
#: kept as its old name); ``event_day`` is the fused event's, ``earliest``/``latest`` the
#: range its reports span.
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
    "claimed_by",
    "day_precision",
    "event_day",
    "event_day_precision",
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
    "review",
]
_STATE_CONTRACT = ("place", "lat", "lon", "day", "controller", "status")
#: Columns of ``state.csv``: the six of the stable contract, then the daily state's others
#: (``shares``, the site an event place stands in, is for the map only).
STATE_COLUMNS = [
    *_STATE_CONTRACT,
    *(c for c in DAILY_STATE_COLUMNS if c not in _STATE_CONTRACT and c != "shares"),
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
                    "day": _iso(r.day),
                    "confidence": f.confidence,
                    "excerpt": r.excerpt,
                    "place_id": f.place.id,
                    "country": f.place.country,
                    "governorate": f.place.admin1,
                    "origin": r.origin,
                    "source": r.source,
                    "actor_raw": r.actor_raw,
                    "actor_basis": r.actor_basis,
                    "claimed_by": r.claimed_by,
                    "day_precision": r.day_precision,
                    "event_day": _iso(f.day),
                    "event_day_precision": f.day_precision,
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
                    "review": f.review,
                }
            )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def state_frame(state: pd.DataFrame) -> pd.DataFrame:
    """The daily state with ISO days, in the public column order."""
    out = state[STATE_COLUMNS].copy()
    for column in ("day", "since"):  # a dozen distinct days over ~10^5 rows: map each once
        days = out[column]
        out[column] = days.map({d: _iso(d) for d in days.unique()})
    return out


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
    """Write ``frame`` as CSV, GeoJSON or a text table; files are replaced atomically.

    A target that is not a regular file (``-o /dev/null``, a named pipe) is written to as
    it is: replacing it would turn ``/dev/null`` into a plain file, for every user.
    """
    text = _render(frame, fmt)
    if isinstance(target, io.TextIOBase):
        target.write(text)
        return
    path = Path(target)
    if path.exists() and not path.is_file():  # /dev/null, a FIFO: write to it, never replace it
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _json_value(value: object) -> object:
    """A property value JSON can hold: numpy scalars unwrapped, NaN and NaT as null."""
    if value is None or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _features(
    frame: gpd.GeoDataFrame, kind: str, day: str, columns: tuple[str, ...]
) -> list[dict[str, object]]:
    if frame.empty:
        return []
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{kind} frame lacks columns {', '.join(missing)}"
        raise ValueError(msg)
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    features = []
    for row in frame[[*columns, "geometry"]].itertuples(index=False):
        values = row._asdict()
        geom = values.pop("geometry")
        props: dict[str, object] = {"kind": kind, "day": day}
        props.update({k: _json_value(v) for k, v in values.items()})
        if kind == "place":
            props["changed"] = bool(props["changed"])
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": None
                if geom is None or geom.is_empty
                else json.loads(shapely.to_geojson(geom)),
            }
        )
    return features


#: The properties of a day's territory and places in its GeoJSON and GeoPackage (after
#: ``kind`` and ``day``).
DAY_TERRITORY_COLUMNS = ("controller", "status", "basis", "area_km2")
DAY_PLACE_COLUMNS = ("place_id", "place", "controller", "status", "changed")


def day_geojson(
    territory_day: gpd.GeoDataFrame, places_day: gpd.GeoDataFrame, *, day: dt.date
) -> str:
    """One day's territory and places as one GeoJSON FeatureCollection (lon/lat)."""
    iso = day.isoformat()
    features = _features(territory_day, "territory", iso, DAY_TERRITORY_COLUMNS) + _features(
        places_day, "place", iso, DAY_PLACE_COLUMNS
    )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False) + "\n"


def day_geopackage(
    territory_day: gpd.GeoDataFrame, places_day: gpd.GeoDataFrame, *, day: dt.date
) -> bytes:
    """One day's territory and places as a GeoPackage (EPSG:4326) that GIS tools open as
    is: a ``territory`` layer of multipolygons and a ``places`` layer of points, with the
    same properties as :func:`day_geojson`. GDAL writes a GeoPackage (an SQLite file) to
    a path, so it is made in a temporary folder and returned as bytes."""
    iso = day.isoformat()
    layers = (
        ("territory", territory_day, "territory", DAY_TERRITORY_COLUMNS, "MultiPolygon"),
        ("places", places_day, "place", DAY_PLACE_COLUMNS, "Point"),
    )
    import pyogrio  # GDAL's bindings: 75 ms to import, for this download alone

    with tempfile.TemporaryDirectory(prefix="frontline-gpkg-") as tmp:
        path = Path(tmp) / f"frontline-{iso}.gpkg"
        for layer, frame, kind, columns, geometry_type in layers:
            layer_frame = gpd.GeoDataFrame.from_features(
                _features(frame, kind, iso, columns),
                crs="EPSG:4326",
                columns=["kind", "day", *columns, "geometry"],
            )
            pyogrio.write_dataframe(
                layer_frame,
                path,
                layer=layer,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=geometry_type.startswith("Multi"),
            )
        return path.read_bytes()


#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text that could start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: object) -> object:
    """A safe cell whose line breaks are all LF: the CSV writer quotes a field holding LF
    but not one holding a bare CR, which readers take as a row break (and the text after
    it, unguarded, as a new row whose first cell may start a formula)."""
    value = safe_csv_cell(value)
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def events_csv(events: pd.DataFrame) -> str:
    """The events table as CSV text that is safe to open in a spreadsheet.

    Numbers stay numbers (-3.5 is written as -3.5); every text cell that starts like a
    formula, even "-1+2", gets a leading ``'``.
    """
    frame = pd.DataFrame(events).drop(columns="geometry", errors="ignore")
    safe = frame.astype(object).map(_csv_cell) if not frame.empty else frame
    buf = io.StringIO()
    safe.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()
