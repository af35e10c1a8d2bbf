"""Still maps of a day (PNG) and of the period (GIF), drawn offline with matplotlib.

The snapshot is drawn in parts: the base (sea, neighbours, the country), the territory,
the boundaries, the places, the labels, the scale bar, the legend and, when given, a
caption of what changed that day. Fills, markers and legend swatches all come from
:mod:`geo.export.style`, as flat colours: each swatch is exactly the colour painted on
the map, and the GIF keeps those colours in its palette. Deterministic (same input,
same bytes) and safe with any text: labels are drawn as plain text, never mathtext.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .basemap import Basemap
from .labels import PLAIN, Labeller, plain_label
from .legend import (
    CAPTION_IN,
    LEGEND_WIDTH_IN,
    MAP_WIDTH_IN,
    caption_text,
    draw_legend,
    hatch_pattern,
    long_date,
)
from .style import LAND, MISSING, NEIGHBOURS, SEA, fills_of, marker_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["snapshot_png"]

# layout, in inches (see also .legend); margins in metres around the country's bounds
_TOP_IN = 0.5
_BOTTOM_IN = 0.45
_MARGIN_M = 45_000.0
# a place this close to a main city is that city (metres)
_SAME_SPOT_M = 1_500.0


@dataclass(frozen=True)
class _Frame:
    """The figure and the map's axes, with the extent in the profile's CRS."""

    fig: Figure
    ax: Axes
    extent: tuple[float, float, float, float]
    box_ll: tuple[float, float, float, float]
    width_in: float
    height_in: float


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


def _frame(basemap: Basemap, outline_m: gpd.GeoDataFrame, dpi: int, caption: bool) -> _Frame:
    from matplotlib.figure import Figure

    sx0, sy0, sx1, sy1 = outline_m.total_bounds
    x0, y0, x1, y1 = sx0 - _MARGIN_M, sy0 - _MARGIN_M, sx1 + _MARGIN_M, sy1 + _MARGIN_M
    extent_ll = (
        gpd.GeoSeries([shapely.box(x0, y0, x1, y1)], crs=basemap.crs)
        .to_crs("EPSG:4326")
        .total_bounds
    )
    pad = 0.5  # degrees: the extent box is not a lon/lat rectangle
    box_ll = (extent_ll[0] - pad, extent_ll[1] - pad, extent_ll[2] + pad, extent_ll[3] + pad)
    map_h = MAP_WIDTH_IN * (y1 - y0) / (x1 - x0)
    bottom = _BOTTOM_IN + (CAPTION_IN if caption else 0.0)
    fig_w, fig_h = MAP_WIDTH_IN + LEGEND_WIDTH_IN, map_h + _TOP_IN + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    ax = fig.add_axes(
        (0.08 / fig_w, bottom / fig_h, MAP_WIDTH_IN / fig_w, map_h / fig_h), facecolor=SEA
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    ax.apply_aspect()
    return _Frame(fig, ax, (x0, y0, x1, y1), box_ll, fig_w, fig_h)


def _draw_base(f: _Frame, basemap: Basemap, outline_m: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Neighbours, their provinces and the country under the territory; the neighbours."""
    neighbours = _clipped(basemap.neighbours, f.box_ll, basemap.crs)
    if not neighbours.empty:
        neighbours.plot(ax=f.ax, color=NEIGHBOURS, edgecolor="#9A9A9A", linewidth=0.7, zorder=1)
    lines = _clipped(basemap.neighbour_lines, f.box_ll, basemap.crs)
    if not lines.empty:
        lines.plot(ax=f.ax, color="#CFCFCF", linewidth=0.4, zorder=1.5)
    outline_m.plot(ax=f.ax, color=LAND, edgecolor="none", zorder=2)
    return neighbours


def _draw_territory(
    f: _Frame, territory_day: gpd.GeoDataFrame, palette: Mapping[str, str], crs: str
) -> None:
    """Each piece of ground in its flat fill (see :func:`geo.export.style.fill_for`)."""
    if territory_day.empty:
        return
    territory = _metric(territory_day, crs).reset_index(drop=True)
    fills = list(fills_of(territory, palette))
    for fill in dict.fromkeys(fills):
        rows = [i for i, other in enumerate(fills) if other == fill]
        territory.iloc[rows].plot(
            ax=f.ax,
            color=fill.colour,
            edgecolor=fill.edge or "none",
            linewidth=fill.edge_width * 0.75,
            linestyle=(0, (2, 2)) if fill.dash else "-",
            hatch=hatch_pattern(fill.hatch),
            hatchcolor=fill.hatch_colour,
            zorder=3 + (0.5 if fill.hatch else 0),
        )


def _draw_boundaries(f: _Frame, basemap: Basemap, outline_m: gpd.GeoDataFrame) -> None:
    _metric(basemap.governorates, basemap.crs).boundary.plot(
        ax=f.ax, color="#555555", linewidth=0.45, linestyle=(0, (4, 2)), alpha=0.8, zorder=5
    )
    outline_m.boundary.plot(ax=f.ax, color="#222222", linewidth=1.2, zorder=5.5)


def _points(places_day: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    return _metric(places_day, crs) if not places_day.empty else places_day


def _draw_places(
    f: _Frame, places: gpd.GeoDataFrame, palette: Mapping[str, str], dpi: int, labels: Labeller
) -> list[float]:
    """Circles sized in pixels as on the live map, smaller first; returns radii in points."""
    if places.empty:
        return []
    pt = 72.0 / dpi  # points per pixel
    population = places.get("population", pd.Series(0, index=places.index))
    changed = places.get("changed", pd.Series(False, index=places.index)).fillna(False)
    marks = [
        marker_for(palette.get(c, MISSING), s, p, changed=bool(ch))
        for c, s, p, ch in zip(
            places["controller"], places["status"], population, changed, strict=True
        )
    ]
    xs, ys = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
    order = np.argsort([m.radius for m in marks], kind="stable")
    rings = [i for i in order if marks[i].ring]
    if rings:
        f.ax.scatter(
            xs[rings],
            ys[rings],
            s=[(2 * marks[i].ring * pt) ** 2 for i in rings],
            facecolor="none",
            edgecolor="#000000",
            linewidth=1.5 * pt * 1.4,
            zorder=6,
        )
    # one collection, drawn in this order: a scatter per place cost 5 ms each
    shown = [marks[i] for i in order]
    f.ax.scatter(
        xs[order],
        ys[order],
        s=[(2 * m.radius * pt) ** 2 for m in shown],
        c=[m.fill for m in shown],
        edgecolors=[m.edge for m in shown],
        linewidths=[m.edge_width * pt * 1.4 for m in shown],
        linestyles=[(0, (2, 1.5)) if m.dash else "-" for m in shown],
        zorder=7,
    )
    radii = [max(m.radius, m.ring) * pt for m in marks]
    for x, y, r in zip(xs, ys, radii, strict=True):
        labels.block(x, y, r)
    return radii


def _draw_labels(
    f: _Frame,
    basemap: Basemap,
    neighbours: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    radii: Sequence[float],
    labels: Labeller,
) -> None:
    """Neighbours' and seas' names, main cities, then the day's places (changed first)."""
    import matplotlib.patheffects as pe

    ax, (x0, y0, x1, y1) = f.ax, f.extent
    halo = [pe.withStroke(linewidth=2.4, foreground="white")]
    big = 0.01 * (x1 - x0) * (y1 - y0)
    inside = neighbours[neighbours.area > big] if len(neighbours) else neighbours
    for name, shape in zip(inside.get("name_en", []), inside.geometry, strict=False):
        spot = shape.intersection(shapely.box(x0, y0, x1, y1)).representative_point()
        label = plain_label(name).upper()
        ax.text(
            spot.x,
            spot.y,
            label,
            fontsize=8,
            color="#8A8A8A",
            ha="center",
            va="center",
            fontstyle="italic",
            zorder=1.8,
            **PLAIN,
        )
        labels.reserve(spot.x, spot.y, label, 8)
    for text, lon, lat, rotation in basemap.labels:
        # geometry takes (x=lon, y=lat)
        spot = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(basemap.crs)[0]
        if x0 < spot.x < x1 and y0 < spot.y < y1:
            ax.text(
                spot.x,
                spot.y,
                plain_label(text),
                fontsize=7.5,
                color="#6E8EA8",
                fontstyle="italic",
                rotation=rotation,
                ha="center",
                va="center",
                parse_math=False,
                zorder=1.8,
            )

    cities = _metric(basemap.cities, basemap.crs) if not basemap.cities.empty else basemap.cities
    xy = list(zip(places.geometry.x, places.geometry.y, strict=True)) if not places.empty else []
    ids = [str(i) for i in places["place_id"]] if not places.empty else []
    city_ids = {str(getattr(row, "place_id", "")) for row in cities.itertuples(index=False)}
    for row in cities.itertuples(index=False):
        p = row.geometry
        near = [
            radii[i]
            for i, (x, y) in enumerate(xy)
            if ids[i] == str(getattr(row, "place_id", ""))
            or math.hypot(p.x - x, p.y - y) < _SAME_SPOT_M
        ]
        if not near:
            ax.scatter(
                [p.x],
                [p.y],
                s=14,
                marker="s",
                c="#222222",
                zorder=6.5,
                edgecolor="white",
                linewidth=0.6,
            )
            labels.block(p.x, p.y, 3)
        labels.place(
            p.x,
            p.y,
            plain_label(row.name),
            size=8.5,
            gap_pt=max(near, default=3.0) + 1.5,
            must=True,
            fontweight="bold",
            color="#111111",
            path_effects=halo,
        )
    if places.empty:
        return
    changed = places.get("changed", pd.Series(False, index=places.index)).fillna(False).tolist()
    names = [plain_label(n) for n in places["place"]]
    city_xy = [(c.x, c.y) for c in cities.geometry]  # once, not once per place
    for i in sorted(range(len(xy)), key=lambda i: (not changed[i], -radii[i], names[i])):
        x, y = xy[i]
        if ids[i] in city_ids or any(
            math.hypot(x - cx, y - cy) < _SAME_SPOT_M for cx, cy in city_xy
        ):
            continue
        labels.place(
            x, y, names[i], size=7, gap_pt=1.5 + radii[i], color="#111111", path_effects=halo
        )


def _draw_scale_bar(f: _Frame) -> None:
    """100 km, true in the profile's projected CRS, and a north arrow, bottom right."""
    from matplotlib.patches import Rectangle

    ax, (x0, y0, x1, y1) = f.ax, f.extent
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
    nx, ny = bx1 - bar / 2, by + 0.09 * (y1 - y0)
    ax.annotate(
        "N",
        xy=(nx, ny + 0.06 * (y1 - y0)),
        xytext=(nx, ny),
        ha="center",
        va="top",
        fontsize=8,
        fontweight="bold",
        zorder=9,
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2},
    )


def _note(f: _Frame, x_in: float, y_in: float, text: str, **style: object) -> None:
    """Text on the figure, placed in inches from its bottom-left corner."""
    f.fig.text(x_in / f.width_in, y_in / f.height_in, text, ha="left", **PLAIN, **style)


def snapshot_png(
    territory_day: gpd.GeoDataFrame,
    places_day: gpd.GeoDataFrame,
    basemap: Basemap,
    *,
    day: dt.date,
    title: str = "frontline — control of territory",
    dpi: int = 110,
    changes: pd.DataFrame | None = None,
) -> bytes:
    """A still map of one day for reports and social posts (PNG bytes, same input same bytes).

    Drawn in the profile's projected CRS so the scale bar is true; the legend is
    :func:`geo.export.legend.draw_legend`, the GIF of the days
    :func:`geo.export.animation.animation_gif`. With ``changes``
    (:func:`geo.views.day_changes`) a caption under the map says what changed that day;
    its height is fixed, so the snapshots of every day are the same size.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _check_day(territory_day, day, "territory_day")
    if dpi <= 0:
        msg = f"dpi must be positive, not {dpi!r}"
        raise ValueError(msg)
    palette = basemap.palette
    outline_m = _metric(basemap.outline, basemap.crs)
    f = _frame(basemap, outline_m, dpi, caption=changes is not None)
    neighbours = _draw_base(f, basemap, outline_m)
    _draw_territory(f, territory_day, palette, basemap.crs)
    _draw_boundaries(f, basemap, outline_m)
    labels = Labeller(f.ax, dpi)
    places = _points(places_day, basemap.crs)
    radii = _draw_places(f, places, palette, dpi, labels)
    _draw_labels(f, basemap, neighbours, places, radii, labels)
    _draw_scale_bar(f)
    draw_legend(f.fig, f.width_in, f.height_in, _TOP_IN, territory_day, places_day, palette, day)
    _note(f, 0.08, f.height_in - 0.14, f"{plain_label(title, limit=80)} — {long_date(day)}",
          fontsize=12.5, fontweight="bold", va="top")  # fmt: skip
    if changes is not None:
        _note(f, 0.08, _BOTTOM_IN + CAPTION_IN - 0.08, caption_text(changes, day, 150),
              fontsize=7.2, color="#222222", va="top", linespacing=1.35)  # fmt: skip
    _note(f, 0.08, 0.08, textwrap.fill(basemap.attribution, width=150),
          fontsize=6, color="#444444", va="bottom")  # fmt: skip
    # geopandas names the axes after the CRS: not wanted here
    f.ax.set_xlabel("")
    f.ax.set_ylabel("")
    buf = io.BytesIO()
    FigureCanvasAgg(f.fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()
