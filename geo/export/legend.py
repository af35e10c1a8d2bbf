"""The snapshot's legend and caption: what each swatch, marker and line means, what changed.

Why apart from the map: the legend is a table drawn from
:func:`geo.export.style.legend_for`, whose cells are the very fills the map paints, so a
swatch is always the colour on the map; the caption lists the day's changes in a fixed
number of lines, so every day's snapshot has the same size (the GIF needs that).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from ..dates import MONTH_NAMES
from .labels import PLAIN, plain_label
from .style import is_inferred, legend_for

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CAPTION_IN",
    "LEGEND_WIDTH_IN",
    "MAP_WIDTH_IN",
    "caption_text",
    "draw_legend",
    "hatch_pattern",
]

MAP_WIDTH_IN = 7.2
LEGEND_WIDTH_IN = 3.0
CAPTION_IN = 0.62
CAPTION_LINES = 4
#: The markers the legend explains under the actors, each with its Line2D style (ms the
#: size, mfc and mec the face and edge colours, mew the edge width): a place's circle, the
#: ring round one that changed hands (on such a day only), a main city's square.
_MARKS: dict[str, tuple[str, dict[str, object]]] = {
    "place": (
        "place (filled like its holder's ground)",
        {"marker": "o", "ms": 5, "mfc": "#BDBDBD", "mec": "#1A1A1A", "mew": 0.8, "ls": "none"},
    ),
    "changed": (
        "changed hands that day",
        {"marker": "o", "ms": 8, "mfc": "none", "mec": "#000000", "mew": 1.5, "ls": "none"},
    ),
    "city": (
        "main city",
        {"marker": "s", "ms": 4, "mfc": "#222222", "mec": "white", "mew": 0.6, "ls": "none"},
    ),
}


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def hatch_pattern(hatch: str) -> str | None:
    """matplotlib's hatch for a :class:`~geo.export.style.Fill` hatch."""
    return {"/": "////", "\\": "\\\\\\\\"}.get(hatch)


def draw_legend(
    fig: Figure,
    width_in: float,
    height_in: float,
    top_in: float,
    territory_day: gpd.GeoDataFrame,
    places_day: gpd.GeoDataFrame,
    palette: Mapping[str, str],
    day: dt.date,
) -> None:
    """The legend as a table: a row per actor drawn, a column per way ground is drawn,
    each cell the very fill painted on the map; then the markers and what columns mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    legend = legend_for(territory_day, places_day, palette)
    left = (0.08 + MAP_WIDTH_IN + 0.18) / width_in
    top = 1 - (top_in + 0.02) / height_in
    row_h, sw_w, sw_h = 0.2 / height_in, 0.2 / width_in, 0.13 / height_in
    col_w = 0.3 / width_in

    def text(x: float, y: float, s: str, **kw: object) -> None:
        fig.text(x, y, s, va="center", ha="left", **PLAIN, **kw)

    text(left, top, f"Control on {long_date(day)}", fontsize=9, fontweight="bold")
    y = top - row_h
    for k, column in enumerate(legend.columns):
        text(left + k * col_w, y, column, fontsize=6, color="#555555", rotation=20)
    names_x = left + max(1, len(legend.columns)) * col_w + 0.04 / width_in
    for row in legend.rows:
        y -= row_h
        for k, cell in enumerate(row.cells):
            if cell is None:
                continue
            fig.add_artist(
                Rectangle(
                    (left + k * col_w, y - sw_h / 2),
                    sw_w,
                    sw_h,
                    transform=fig.transFigure,
                    facecolor=cell.colour,
                    hatch=hatch_pattern(cell.hatch),
                    hatchcolor=cell.hatch_colour,
                    edgecolor="#8A8A8A",
                    linewidth=0.5,
                )
            )
        text(names_x, y, plain_label(row.actor, limit=30), fontsize=7.2)
    y -= row_h * 0.6
    changed = (
        not places_day.empty
        and places_day.get("changed", pd.Series(dtype=bool)).fillna(False).any()
    )
    for key in ("place", "changed", "city") if changed else ("place", "city"):
        y -= row_h
        label, style = _MARKS[key]
        fig.add_artist(Line2D([left + sw_w / 2], [y], transform=fig.transFigure, **style))
        text(left + col_w, y, label, fontsize=7)
    notes = list(legend.notes)
    named = [r.removeprefix("inferred (").removesuffix(")") for r in legend.rules if "(" in r]
    if named:
        notes.append("inferred by the rules: " + ", ".join(named))
    y -= row_h * 0.4
    for note in notes:
        for line in textwrap.wrap(note, 46):
            y -= row_h * 0.72
            text(left, y, line, fontsize=6, color="#555555")


def _ink(text: str) -> int:
    """How many characters of ``text`` are not blank (what a wrapped line must hold)."""
    return len(text) - sum(c.isspace() for c in text)


def caption_text(changes: pd.DataFrame, day: dt.date, width: int) -> str:
    """What changed that day in at most :data:`CAPTION_LINES` lines."""
    head = f"What changed on {long_date(day)}: "
    if changes.empty:
        return head + "nothing changed hands, and nothing became contested or uncertain."
    inferred = changes["basis"].map(is_inferred)
    items = []
    for row in changes[~inferred].itertuples(index=False):
        who = row.actor if row.change == "contested" else row.controller
        verb = {"changed hands": "→", "contested": "contested by", "uncertain": "uncertain, last"}
        n = int(row.n_sources)
        extra = ", ".join(x for x in (row.kind, f"{n} source{'s' * (n != 1)}" if n else "") if x)
        items.append(
            f"{plain_label(row.place)} {verb[row.change]} {plain_label(who)}"
            + (f" ({extra})" if extra else "")
        )
    tail = (
        f"; and {int(inferred.sum())} places the territory model moved (inferred)"
        if inferred.any()
        else ""
    )
    # a text fits only if its non-blank characters fit the lines (wrapping keeps them
    # all): try from the most items that may, not from all of a busy day's thousands
    ink = _ink(head) + _ink(tail) + 1  # the least: no "and N more", and the full stop
    most = 0
    for item in items:
        ink += _ink(item) + (1 if most else 0)  # and the ";" before it
        if ink > CAPTION_LINES * width:
            break
        most += 1
    for shown in range(most, -1, -1):
        rest = len(items) - shown
        more = f"; and {rest} more reported" if rest else ""
        text = head + "; ".join(items[:shown]) + more + tail + "."
        lines = textwrap.wrap(text, width)
        if len(lines) <= CAPTION_LINES:
            return "\n".join(lines)
    return "\n".join(
        textwrap.wrap(head + f"{len(items)} reported changes{tail}.", width)[:CAPTION_LINES]
    )
