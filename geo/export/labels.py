"""Labels on a still map that never overlap: greedy placement around each point.

Why a module of its own: the snapshot places city and place names beside their
markers, and a label that hides another label or a marker makes the map unreadable.
Data text is made one bounded line first (:func:`plain_label`); matplotlib draws it as
plain text, never mathtext.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PLAIN", "Boxes", "Labeller", "plain_label"]

#: Every text drawn by matplotlib: never read as TeX or mathtext (a "$" in a name is a "$").
PLAIN: dict[str, bool] = {"usetex": False, "parse_math": False}

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]+")


def plain_label(text: object, *, limit: int = 40) -> str:
    """Data text for a map label: one line, bounded, with no control characters."""
    label = _CONTROL_CHARS.sub(" ", str(text)).strip()
    return label if len(label) <= limit else label[: limit - 1] + "…"


Box = tuple[float, float, float, float]


class Boxes:
    """Boxes on the figure (pixels), binned on a grid: whether a box touches any of them
    costs the few in its cells, not all (a day of 10,000 places blocks 10,000 spots)."""

    CELL_PX = 24.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = (math.floor(v / self.CELL_PX) for v in box)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def touch(self, box: Box) -> bool:
        """Whether ``box`` overlaps or touches one of the boxes."""
        x0, y0, x1, y1 = box
        return any(
            not (x1 < a0 or x0 > a1 or y1 < b0 or y0 > b1)
            for key in self._keys(box)
            for a0, b0, a1, b1 in self._cells.get(key, ())
        )


class Labeller:
    """Greedy label placement: the first free spot around the point, else no label."""

    def __init__(self, ax: Axes, dpi: float) -> None:
        self.ax = ax
        self.px_per_pt = dpi / 72.0
        self.markers = Boxes()
        self.labels = Boxes()
        x0, y0, x1, y1 = ax.get_window_extent().extents
        self.frame = (x0, y0, x1, y1)
        # data to pixels, read once: the axes' limits are set before any label
        self._affine = (
            tuple(ax.transData.get_matrix()[:2].ravel()) if ax.transData.is_affine else None
        )

    def _pixels(self, x: float, y: float) -> tuple[float, float]:
        if self._affine is None:
            px, py = self.ax.transData.transform((x, y))
            return float(px), float(py)
        a, b, c, d, e, f = self._affine
        return a * x + b * y + c, d * x + e * y + f

    def block(self, x: float, y: float, radius_pt: float) -> None:
        """Keep labels off a marker."""
        px, py = self._pixels(x, y)
        r = radius_pt * self.px_per_pt
        self.markers.add((px - r, py - r, px + r, py + r))

    def reserve(self, x: float, y: float, text: str, size: float) -> None:
        """Keep labels off a text centred on the point (the neighbours' names)."""
        px, py = self._pixels(x, y)
        half_w = len(text) * size * 0.3 * self.px_per_pt
        half_h = size * 0.65 * self.px_per_pt
        self.labels.add((px - half_w, py - half_h, px + half_w, py + half_h))

    def _free(self, box: Box, *, markers: bool) -> bool:
        x0, y0, x1, y1 = box
        fx0, fy0, fx1, fy1 = self.frame
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            return False
        return not self.labels.touch(box) and not (markers and self.markers.touch(box))

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
        px, py = self._pixels(x, y)
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
            self.labels.add(box)
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
                clip_on=True,
                zorder=8,
                **PLAIN,
                **style,
            )
            return True
        return False
