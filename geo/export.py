"""Outputs as contracts: tables and GeoJSON that scripts and other tools read.

The column names written here are a public interface (see ARCHITECTURE.md):
columns may be added, never renamed or dropped.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .dates import MONTH_NAMES
from .errors import DataError
from .inference import INFERRED
from .models import Article, Mention
from .profile import Profile, load_profile

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from shapely.geometry.base import BaseGeometry

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
    "claimed_by",
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
    "review",
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
                    "claimed_by": r.claimed_by,
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
                    "review": f.review,
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


# ---------------------------------------------------------------------------
# map exports: PNG snapshot, GIF animation, GeoJSON of a day, safe CSV, standalone HTML

__all__ += [
    "DAY_PLACE_COLUMNS",
    "DAY_TERRITORY_COLUMNS",
    "Basemap",
    "animation_gif",
    "day_geojson",
    "day_geopackage",
    "events_csv",
    "external_urls",
    "inline_assets",
    "read_basemap",
    "safe_csv_cell",
    "snapshot_png",
]

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")


@dataclass(frozen=True, eq=False)
class Basemap:
    """The static layers of a snapshot, read once by the caller (all EPSG:4326)."""

    outline: gpd.GeoDataFrame
    governorates: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    neighbour_lines: gpd.GeoDataFrame
    #: the profile's snapshot cities as points: ``name``, gazetteer ``place_id``, ``population``
    cities: gpd.GeoDataFrame
    #: the profile's projected CRS (the scale bar is true in it), colours and attribution
    crs: str = "EPSG:3857"
    palette: Mapping[str, str] = field(default_factory=dict)
    attribution: str = ""
    #: fixed labels (seas, regions): text, lon, lat, rotation in degrees
    labels: tuple[tuple[str, float, float, float], ...] = ()


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    # world-atlas stores Palestine as a GeometryCollection; keep its polygons only
    if geom is None or geom.geom_type != "GeometryCollection":
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else None


def _read_layer(
    path: Path, kinds: tuple[str, ...], columns: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """One boundary file in EPSG:4326; any problem is one DataError naming the file."""
    if not path.is_file():
        msg = f"{path}: base map file not found"
        raise DataError(msg)
    try:
        frame = gpd.read_file(path)
    except (OSError, RuntimeError, ValueError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        msg = f"{path}: cannot read base map file ({first})"
        raise DataError(msg) from err
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{path}: base map file lacks columns {', '.join(missing)}"
        raise DataError(msg)
    if frame.empty:
        msg = f"{path}: base map file has no features"
        raise DataError(msg)
    frame = frame.set_geometry(frame.geometry.map(_polygonal)) if "Polygon" in kinds else frame
    geoms = frame.geometry.to_numpy()
    frame = frame[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if frame.empty or not frame.geometry.geom_type.isin(kinds).all():
        msg = f"{path}: base map file does not hold {' or '.join(kinds)} geometries"
        raise DataError(msg)
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    return frame.reset_index(drop=True)


def _empty_layer(columns: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype=object) for c in columns},
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        crs="EPSG:4326",
    )


def read_basemap(profile: Profile | None = None) -> Basemap:
    """Outline, governorates, neighbours and main cities for snapshots (callers cache it)."""
    from .gazetteer import load_gazetteer

    profile = profile or load_profile()
    files = profile.files
    outline = _read_layer(profile.file("outline"), _POLYGONAL)
    governorates = (
        _read_layer(files["governorates"], _POLYGONAL, columns=("name_en",))
        if "governorates" in files
        else _empty_layer(("name_en",))
    )
    if "neighbours" in files:
        region = _read_layer(files["neighbours"], _POLYGONAL, columns=("name_en",))
        is_home = region["name_en"].astype(str).str.casefold() == profile.title.casefold()
        if "iso_a2" in region.columns:
            is_home |= region["iso_a2"].astype(str) == profile.country
        neighbours = region.loc[~is_home, ["name_en", "geometry"]].reset_index(drop=True)
    else:
        neighbours = _empty_layer(("name_en",))
    lines = (
        _read_layer(files["neighbour_lines"], _LINEAR)
        if "neighbour_lines" in files
        else _empty_layer()
    )

    gazetteer = load_gazetteer()
    rows = []
    for name in profile.snapshot_cities:
        found = gazetteer.lookup(name, country=profile.country)
        if found:
            rows.append({"name": name, "place_id": found[0].id, "population": found[0].population})
            # geometry takes (x=lon, y=lat)
            rows[-1]["geometry"] = shapely.Point(found[0].lon, found[0].lat)
    cities = gpd.GeoDataFrame(
        rows,
        columns=["name", "place_id", "population", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )
    return Basemap(
        outline=outline[["geometry"]],
        governorates=governorates[["name_en", "geometry"]],
        neighbours=neighbours,
        neighbour_lines=lines[["geometry"]],
        cities=cities,
        crs=profile.crs,
        palette=profile.palette,
        attribution=profile.attribution,
        labels=profile.labels,
    )


# snapshot layout: inches, margins in metres around Syria's bounds
_MAP_WIDTH_IN = 7.2
_LEGEND_WIDTH_IN = 2.5
_TOP_IN = 0.5
_BOTTOM_IN = 0.45
_MARGIN_M = 45_000.0
_SEA = "#DDEBF4"
_LAND = "#EFEFEC"
_MISSING_COLOUR = "#BBBBBB"
# a place this close to a main city is that city (metres)
_SAME_SPOT_M = 1_500.0
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]+")


def _plain_label(text: object, *, limit: int = 40) -> str:
    """Data text for a map label: one line, bounded, with no control characters."""
    label = _CONTROL_CHARS.sub(" ", str(text)).strip()
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _check_day(frame: gpd.GeoDataFrame, day: dt.date, name: str) -> None:
    if "day" not in frame.columns or frame.empty:
        return
    other = {str(d)[:10] for d in frame["day"]} - {day.isoformat()}
    if other:
        msg = f"{name} holds other days than {day.isoformat()}: {sorted(other)[:3]!r}"
        raise ValueError(msg)


def _metric(frame: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    return frame.to_crs(crs)


def _clipped(
    frame: gpd.GeoDataFrame, box: tuple[float, float, float, float], crs: str
) -> gpd.GeoDataFrame:
    # clip in lon/lat first: fewer vertices to project and draw
    out = frame.copy()
    out["geometry"] = shapely.clip_by_rect(frame.geometry.to_numpy(), *box)
    out = out[~out.geometry.is_empty]
    return _metric(out, crs)


def _marker_size(population: object) -> float:
    """Marker area in points², growing with log population (towns 10, big cities ~60)."""
    try:
        pop = float(population)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pop = 0.0
    if not math.isfinite(pop) or pop <= 1000:
        return 10.0
    return 10.0 + 14.0 * min(math.log10(pop) - 3.0, 3.6)


class _Labeller:
    """Greedy label placement: the first free spot around the point, else no label."""

    def __init__(self, ax: Axes, dpi: float) -> None:
        self.ax = ax
        self.px_per_pt = dpi / 72.0
        self.markers: list[tuple[float, float, float, float]] = []
        self.labels: list[tuple[float, float, float, float]] = []
        x0, y0, x1, y1 = ax.get_window_extent().extents
        self.frame = (x0, y0, x1, y1)

    def block(self, x: float, y: float, radius_pt: float) -> None:
        """Keep labels off a marker."""
        px, py = self.ax.transData.transform((x, y))
        r = radius_pt * self.px_per_pt
        self.markers.append((px - r, py - r, px + r, py + r))

    def reserve(self, x: float, y: float, text: str, size: float) -> None:
        """Keep labels off a text centred on the point (the neighbours' names)."""
        px, py = self.ax.transData.transform((x, y))
        half_w = len(text) * size * 0.3 * self.px_per_pt
        half_h = size * 0.65 * self.px_per_pt
        self.labels.append((px - half_w, py - half_h, px + half_w, py + half_h))

    def _free(self, box: tuple[float, float, float, float], *, markers: bool) -> bool:
        x0, y0, x1, y1 = box
        fx0, fy0, fx1, fy1 = self.frame
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            return False
        taken = [*self.labels, *self.markers] if markers else self.labels
        return all(x1 < a0 or x0 > a1 or y1 < b0 or y0 > b1 for a0, b0, a1, b1 in taken)

    def place(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        gap_pt: float,
        must: bool = False,
        **style: object,
    ) -> bool:
        """Write ``text`` beside the point; ``must`` labels may cover markers if need be."""
        px, py = self.ax.transData.transform((x, y))
        width = len(text) * size * 0.56 * self.px_per_pt
        height = size * 1.25 * self.px_per_pt
        gap = gap_pt * self.px_per_pt
        # right, left, above, below, then the diagonals; (dx, dy) of the box, text anchor
        spots = (
            (gap, -height / 2, "left", "center"),
            (-gap - width, -height / 2, "right", "center"),
            (-width / 2, gap * 0.6, "center", "bottom"),
            (-width / 2, -gap * 0.6 - height, "center", "top"),
            (gap * 0.7, gap * 0.4, "left", "bottom"),
            (-gap * 0.7 - width, -gap * 0.4 - height, "right", "top"),
        )
        passes = (True, False) if must else (True,)
        candidates = [(m, spot) for m in passes for spot in spots]
        for markers, (dx, dy, ha, va) in candidates:
            bx0, by0 = px + dx, py + dy
            box = (bx0, by0, bx0 + width, by0 + height)
            if not self._free(box, markers=markers):
                continue
            self.labels.append(box)
            anchor_x = {"left": bx0, "right": bx0 + width, "center": bx0 + width / 2}[ha]
            anchor_y = {"bottom": by0, "top": by0 + height, "center": by0 + height / 2}[va]
            tx, ty = self.ax.transData.inverted().transform((anchor_x, anchor_y))
            self.ax.text(
                tx,
                ty,
                text,
                fontsize=size,
                ha=ha,
                va=va,
                usetex=False,
                parse_math=False,
                clip_on=True,
                zorder=8,
                **style,
            )
            return True
        return False


def snapshot_png(
    territory_day: gpd.GeoDataFrame,
    places_day: gpd.GeoDataFrame,
    basemap: Basemap,
    *,
    day: dt.date,
    title: str = "frontline — control of territory in Syria",
    dpi: int = 110,
) -> bytes:
    """A still map of one day for reports and social posts (PNG bytes, same input same bytes).

    Drawn in UTM 37N (EPSG:32637) so the scale bar is true. Place names are drawn as
    plain text (no mathtext, no TeX), so any string from an article is safe.
    """
    import matplotlib.patheffects as pe
    from matplotlib.artist import Artist
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    _check_day(territory_day, day, "territory_day")
    if dpi <= 0:
        msg = f"dpi must be positive, not {dpi!r}"
        raise ValueError(msg)

    # extent: Syria's bounds plus a margin, in metres
    crs, palette = basemap.crs, basemap.palette
    outline_m = _metric(basemap.outline, crs)
    sx0, sy0, sx1, sy1 = outline_m.total_bounds
    x0, y0, x1, y1 = sx0 - _MARGIN_M, sy0 - _MARGIN_M, sx1 + _MARGIN_M, sy1 + _MARGIN_M
    extent_ll = (
        gpd.GeoSeries([shapely.box(x0, y0, x1, y1)], crs=crs).to_crs("EPSG:4326").total_bounds
    )
    pad = 0.5  # degrees: the extent box is not a lon/lat rectangle
    box_ll = (extent_ll[0] - pad, extent_ll[1] - pad, extent_ll[2] + pad, extent_ll[3] + pad)

    map_h = _MAP_WIDTH_IN * (y1 - y0) / (x1 - x0)
    fig_w, fig_h = _MAP_WIDTH_IN + _LEGEND_WIDTH_IN, map_h + _TOP_IN + _BOTTOM_IN
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    ax = fig.add_axes(
        (0.08 / fig_w, _BOTTOM_IN / fig_h, _MAP_WIDTH_IN / fig_w, map_h / fig_h),
        facecolor=_SEA,
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    ax.apply_aspect()

    # base: neighbours, their provinces, Syria's outline under the territory
    neighbours = _clipped(basemap.neighbours, box_ll, crs)
    if not neighbours.empty:
        neighbours.plot(ax=ax, color=_LAND, edgecolor="#9A9A9A", linewidth=0.7, zorder=1)
    lines = _clipped(basemap.neighbour_lines, box_ll, crs)
    if not lines.empty:
        lines.plot(ax=ax, color="#CFCFCF", linewidth=0.4, zorder=1.5)
    outline_m.plot(ax=ax, color="white", edgecolor="none", zorder=2)

    # territory: fill by controller; contested hatched; inferred light with a dashed edge
    territory = _metric(territory_day, crs) if not territory_day.empty else territory_day
    present: list[str] = []
    if not territory.empty:
        colours = territory["controller"].map(lambda c: palette.get(c, _MISSING_COLOUR))
        # a rule drew it (geo.inference) or control is uncertain: drawn as inferred
        inferred = territory["basis"].isin([*INFERRED, "inferred"]) | territory["status"].eq(
            "uncertain"
        )
        contested = territory["status"].eq("contested")
        for is_inferred in (False, True):
            for is_contested in (False, True):
                mask = (inferred == is_inferred) & (contested == is_contested)
                if not mask.any():
                    continue
                territory[mask].plot(
                    ax=ax,
                    color=list(colours[mask]),
                    alpha=0.42 if is_inferred else 0.82,
                    edgecolor="#333333" if is_inferred else "#FFFFFF",
                    linewidth=0.8 if is_inferred else 0.3,
                    linestyle="--" if is_inferred else "-",
                    hatch="///" if is_contested else None,
                    hatchcolor="#222222",
                    zorder=3 + is_inferred,
                )
        present += list(territory["controller"])

    # governorate lines and the national border on top of the fill
    _metric(basemap.governorates, crs).boundary.plot(
        ax=ax, color="#555555", linewidth=0.45, linestyle=(0, (4, 2)), alpha=0.8, zorder=5
    )
    outline_m.boundary.plot(ax=ax, color="#222222", linewidth=1.2, zorder=5.5)

    halo = [pe.withStroke(linewidth=2.4, foreground="white")]
    labeller = _Labeller(ax, dpi)
    # each neighbour's name inside the part of it the map shows
    big = 0.01 * (x1 - x0) * (y1 - y0)
    inside = neighbours[neighbours.area > big] if len(neighbours) else neighbours
    for name, shape in zip(inside.get("name_en", []), inside.geometry, strict=False):
        spot = shape.intersection(shapely.box(x0, y0, x1, y1)).representative_point()
        label = _plain_label(name).upper()
        ax.text(
            spot.x,
            spot.y,
            label,
            fontsize=8,
            color="#8A8A8A",
            ha="center",
            va="center",
            fontstyle="italic",
            usetex=False,
            parse_math=False,
            zorder=1.8,
        )
        labeller.reserve(spot.x, spot.y, label, 8)
    # the profile's fixed labels (seas): geometry takes (x=lon, y=lat)
    for text, lon, lat, rotation in basemap.labels:
        spot = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(crs).iloc[0]
        if x0 < spot.x < x1 and y0 < spot.y < y1:
            ax.text(
                spot.x,
                spot.y,
                _plain_label(text),
                fontsize=7.5,
                color="#6E8EA8",
                fontstyle="italic",
                rotation=rotation,
                ha="center",
                va="center",
                parse_math=False,
                zorder=1.8,
            )

    # places: markers sized by population, a ring where control changed that day
    places = _metric(places_day, crs) if not places_day.empty else places_day
    place_xy: list[tuple[float, float]] = []
    sizes: list[float] = []
    changed: list[bool] = []
    if not places.empty:
        xs = places.geometry.x.to_numpy()
        ys = places.geometry.y.to_numpy()
        place_xy = list(zip(xs, ys, strict=True))
        sizes = [_marker_size(p) for p in places.get("population", pd.Series(0, places.index))]
        colours = [palette.get(c, _MISSING_COLOUR) for c in places["controller"]]
        changed = places["changed"].fillna(False).astype(bool).tolist()
        if any(changed):
            ring = [s * 3.2 for s, c in zip(sizes, changed, strict=True) if c]
            ax.scatter(
                xs[np.asarray(changed)],
                ys[np.asarray(changed)],
                s=ring,
                facecolor="none",
                edgecolor="#000000",
                linewidth=1.6,
                zorder=6,
            )
        ax.scatter(xs, ys, s=sizes, c=colours, edgecolor="#000000", linewidth=0.6, zorder=7)
        present += list(places["controller"])
        for (x, y), s, c in zip(place_xy, sizes, changed, strict=True):
            labeller.block(x, y, math.sqrt(s * (3.2 if c else 1.0)) / 2)

    # main cities: a small square unless a place of the day already marks the spot
    cities = _metric(basemap.cities, crs) if not basemap.cities.empty else basemap.cities
    place_ids = list(places["place_id"]) if not places.empty else []
    city_ids: set[str] = set()
    for row in cities.itertuples(index=False):
        point = row.geometry
        city_ids.add(str(getattr(row, "place_id", "")))
        radius = 3.0
        # the place of the day at this spot, if any: the city's label goes round its marker
        for i, (x, y) in enumerate(place_xy):
            if place_ids[i] == getattr(row, "place_id", None) or (
                math.hypot(point.x - x, point.y - y) < _SAME_SPOT_M
            ):
                radius = max(radius, math.sqrt(sizes[i] * (3.2 if changed[i] else 1.0)) / 2)
        if radius == 3.0:
            ax.scatter(
                [point.x],
                [point.y],
                s=14,
                marker="s",
                c="#222222",
                zorder=6.5,
                edgecolor="white",
                linewidth=0.6,
            )
            labeller.block(point.x, point.y, 3)
        labeller.place(
            point.x,
            point.y,
            _plain_label(row.name),
            size=8.5,
            gap_pt=radius + 1.5,
            must=True,
            fontweight="bold",
            color="#111111",
            path_effects=halo,
        )

    # then the places of the day: changed first, then the larger
    if not places.empty:
        order = sorted(
            range(len(places)),
            key=lambda i: (not changed[i], -sizes[i], _plain_label(places["place"].iloc[i])),
        )
        for i in order:
            x, y = place_xy[i]
            if str(place_ids[i]) in city_ids or any(
                math.hypot(x - c.x, y - c.y) < _SAME_SPOT_M for c in cities.geometry
            ):
                continue
            labeller.place(
                x,
                y,
                _plain_label(places["place"].iloc[i]),
                size=7,
                gap_pt=1.5 + math.sqrt(sizes[i] * (3.2 if changed[i] else 1.0)) / 2,
                color="#111111",
                path_effects=halo,
            )

    # scale bar and north arrow in the empty desert of the lower right
    bar = 100_000.0
    bx1 = x1 - 0.05 * (x1 - x0)
    bx0, by = bx1 - bar, y0 + 0.05 * (y1 - y0)
    tick = 0.008 * (y1 - y0)
    for left, colour in ((bx0, "#222222"), (bx0 + bar / 2, "white")):
        ax.add_patch(
            Rectangle(
                (left, by),
                bar / 2,
                tick,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.6,
                zorder=9,
            )
        )
    ax.text(bx0, by + 2.2 * tick, "0", fontsize=7, ha="center", va="bottom", zorder=9)
    ax.text(bx1, by + 2.2 * tick, "100 km", fontsize=7, ha="center", va="bottom", zorder=9)
    nx_, ny_ = bx1 - bar / 2, by + 0.09 * (y1 - y0)
    ax.annotate(
        "N",
        xy=(nx_, ny_ + 0.06 * (y1 - y0)),
        xytext=(nx_, ny_),
        ha="center",
        va="top",
        fontsize=8,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2},
        zorder=9,
    )

    # title, legend, attribution (geopandas names the axes after the CRS: not wanted here)
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.text(
        0.08 / fig_w,
        1 - 0.14 / fig_h,
        f"{_plain_label(title, limit=80)} — {_long_date(day)}",
        fontsize=12.5,
        fontweight="bold",
        ha="left",
        va="top",
        usetex=False,
        parse_math=False,
    )
    handles: list[Artist] = [
        Patch(facecolor=palette.get(c, _MISSING_COLOUR), edgecolor="#555555", label=c)
        for c in [*palette, *sorted(set(present) - set(palette))]
        if c in set(present)
    ]
    handles += [
        Patch(facecolor="white", edgecolor="#222222", hatch="///", label="contested"),
        Patch(
            facecolor="#9A9A9A",
            alpha=0.42,
            edgecolor="#333333",
            linestyle="--",
            label="inferred (not reported)",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=8,
            markerfacecolor="none",
            markeredgecolor="#000000",
            markeredgewidth=1.5,
            label="changed hands that day",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=5,
            markerfacecolor="#BBBBBB",
            markeredgecolor="#000000",
            markeredgewidth=0.6,
            label="place (size: population)",
        ),
        Line2D(
            [],
            [],
            marker="s",
            linestyle="none",
            markersize=4,
            markerfacecolor="#222222",
            markeredgecolor="white",
            label="main city",
        ),
    ]
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        frameon=False,
        fontsize=8,
        title="Control",
        title_fontproperties={"weight": "bold", "size": 9},
        alignment="left",
        borderaxespad=0.0,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    fig.text(
        0.08 / fig_w,
        0.08 / fig_h,
        textwrap.fill(basemap.attribution, width=150),
        fontsize=6,
        color="#444444",
        ha="left",
        va="bottom",
        usetex=False,
        parse_math=False,
    )

    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def animation_gif(frames: Sequence[bytes], *, ms_per_frame: int = 900) -> bytes:
    """The days as one looping GIF, for places that show no video.

    Pillow merges a frame identical to the one before it into that frame (durations
    add up), so the GIF may hold fewer frames than given but plays for as long.
    """
    from PIL import Image, UnidentifiedImageError

    if not frames:
        msg = "animation_gif needs at least one frame"
        raise ValueError(msg)
    if ms_per_frame <= 0:
        msg = f"ms_per_frame must be positive, not {ms_per_frame!r}"
        raise ValueError(msg)
    images = []
    for i, data in enumerate(frames):
        try:
            with Image.open(io.BytesIO(data)) as im:
                rgb = im.convert("RGB")
        except (UnidentifiedImageError, OSError) as err:
            msg = f"frame {i} is not an image ({err})"
            raise ValueError(msg) from err
        if images and rgb.size != images[0].size:
            msg = f"frame {i} is {rgb.size[0]}x{rgb.size[1]}, frame 0 is {images[0].size}"
            raise ValueError(msg)
        # flat map colours: an adaptive palette without dithering keeps them clean
        images.append(
            rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        )
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=ms_per_frame,
        loop=0,
        disposal=1,
    )
    return buf.getvalue()


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


_SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>\s*</script\s*>", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b(?P<attrs>[^>]*?)/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<(?:script|link)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"""(?P<name>[^\s"'=<>/]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+)))?"""
)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]*?)(?P=q)\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?P<q>["'])(?P<url>[^"']*)(?P=q)""", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"^\s*(?://|/\*)# sourceMappingURL=\S+(?:\s*\*/)?\s*$", re.MULTILINE)
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


def _attrs(text: str) -> dict[str, str]:
    """Attributes of a tag, names lower-cased, entities in values decoded."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        if value is None:
            value = m.group("bare") or ""
        out.setdefault(m.group("name").lower(), html_unescape(value))
    return out


def _read_asset(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot read asset ({err})"
        raise DataError(msg) from err


def _inline_css_urls(css: str, folder: Path) -> str:
    """CSS with ``url(images/x.png)`` beside the stylesheet turned into ``data:`` URIs."""
    root = folder.resolve()

    def swap(m: re.Match[str]) -> str:
        ref = m.group("url").strip()
        if not ref or _EXTERNAL.match(ref) or ref.startswith(("data:", "#", "/")):
            return m.group(0)
        path = (folder / ref.split("#")[0].split("?")[0]).resolve()
        mime = _MIME.get(path.suffix.lower())
        # only files under the stylesheet's folder, never ../../ elsewhere
        if mime is None or not path.is_relative_to(root) or not path.is_file():
            return m.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _CSS_URL.sub(swap, css)


def inline_assets(html: str, assets: Mapping[str, Path]) -> str:
    """A folium page made standalone: listed scripts and stylesheets copied into it.

    Tags whose URL is not a key of ``assets`` stay as they are; check the result with
    :func:`external_urls`. Source-map comments are dropped (they would point nowhere).
    """

    def script(m: re.Match[str]) -> str:
        attrs = _attrs(m.group("attrs"))
        path = assets.get(attrs.get("src", ""))
        if path is None:
            return m.group(0)
        code = _SOURCE_MAP.sub("", _read_asset(path))
        code = re.sub(r"</script", r"<\\/script", code, flags=re.IGNORECASE)
        kind = f' type="{html_escape(attrs["type"])}"' if "type" in attrs else ""
        return f"<script{kind}>\n{code}\n</script>"

    def link(m: re.Match[str]) -> str:
        attrs = _attrs(m.group("attrs"))
        rel = attrs.get("rel", "").lower().split()
        path = assets.get(attrs.get("href", ""))
        if path is None or "stylesheet" not in rel:
            return m.group(0)
        css = _inline_css_urls(_SOURCE_MAP.sub("", _read_asset(path)), Path(path).parent)
        css = re.sub(r"</style", r"<\\/style", css, flags=re.IGNORECASE)
        media = f' media="{html_escape(attrs["media"])}"' if "media" in attrs else ""
        return f"<style{media}>\n{css}\n</style>"

    return _LINK_TAG.sub(link, _SCRIPT_TAG.sub(script, html))


def external_urls(html: str) -> list[str]:
    """Every network URL a page would load: script/link tags and CSS ``url()``/``@import``.

    Protocol-relative ``//host/...`` counts too. In order of appearance, each once.
    """
    found: list[tuple[int, str]] = []
    for m in _ANY_TAG.finditer(html):
        attrs = _attrs(m.group("attrs"))
        found += [(m.start(), attrs[k]) for k in ("src", "href") if k in attrs]
    for pattern in (_CSS_URL, _CSS_IMPORT):
        found += [(u.start(), u.group("url").strip()) for u in pattern.finditer(html)]
    return list(dict.fromkeys(url for _, url in sorted(found) if _EXTERNAL.match(url)))
