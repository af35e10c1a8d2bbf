"""Still maps of a day (PNG) and of the period (GIF), drawn offline with matplotlib.

Deterministic (same input, same bytes) and safe with any text: labels are drawn as plain
text, never parsed as mathtext or TeX.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..dates import MONTH_NAMES
from .basemap import Basemap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["animation_gif", "snapshot_png"]

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
        inferred = territory["basis"].eq("inferred")
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
