"""The PNG of a busy day (a 50,000-article build: 10,000 places, thousands of changes):
what it costs grows with the places, never with their square, and it shows the same."""

from __future__ import annotations

import datetime as dt
import random
import textwrap

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from geo.export import legend, read_basemap, snapshot_png
from geo.export.labels import Boxes
from geo.views import CHANGE_COLUMNS

DAY = dt.date(2024, 12, 8)


def changes(n_reported: int, n_inferred: int = 0) -> pd.DataFrame:
    rows = [
        {
            "day": DAY.isoformat(), "place_id": f"gn:{i}", "place": f"Village {i}",
            "lat": 35.0, "lon": 37.0, "change": "changed hands",
            "controller": "HTS-led coalition", "previous": "Government",
            "actor": "HTS-led coalition", "kind": "captured" if i < n_reported else "",
            "n_sources": 1 + i % 3 if i < n_reported else 0,
            "provenance": "reported" if i < n_reported else "inferred (collapse)",
            "basis": "extracted" if i < n_reported else "collapse",
            "event_ids": "", "confidence": 0.8,
        }
        for i in range(n_reported + n_inferred)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def every_count(frame: pd.DataFrame, width: int) -> str:
    """The caption as it was made before: every number of items tried, all first."""
    full = legend.caption_text(frame.iloc[:0], DAY, width)  # the head, for an empty day
    head = full.split(": ")[0] + ": "
    inferred = frame["basis"].eq("collapse")
    items = [
        f"{r.place} → {r.controller} ({r.kind}, {r.n_sources} source{'s' * (r.n_sources != 1)})"
        for r in frame[~inferred].itertuples()
    ]
    tail = f"; and {int(inferred.sum())} places the territory model moved (inferred)"
    tail = tail if inferred.any() else ""
    for shown in range(len(items), -1, -1):
        rest = len(items) - shown
        more = f"; and {rest} more reported" if rest else ""
        lines = textwrap.wrap(head + "; ".join(items[:shown]) + more + tail + ".", width)
        if len(lines) <= legend.CAPTION_LINES:
            return "\n".join(lines)
    raise AssertionError("unreachable for these rows")


@pytest.mark.parametrize(
    ("reported", "inferred", "width"), [(3, 0, 150), (40, 5, 150), (60, 2, 60)]
)
def test_the_caption_is_the_one_every_count_would_give(
    reported: int, inferred: int, width: int
) -> None:
    frame = changes(reported, inferred)
    assert legend.caption_text(frame, DAY, width) == every_count(frame, width)


def test_a_busy_day_s_caption_wraps_a_few_texts_not_one_per_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    wrap = textwrap.wrap
    monkeypatch.setattr(
        textwrap, "wrap", lambda text, width: calls.append(text) or wrap(text, width)
    )
    caption = legend.caption_text(changes(3000, 500), DAY, 150)
    assert len(caption.splitlines()) <= legend.CAPTION_LINES
    assert "more reported" in caption and "and 500 places the territory model moved" in caption
    assert len(calls) < 50, len(calls)  # it was 3,000 wraps of texts of 100,000 characters
    assert max(map(len, calls)) < 5 * legend.CAPTION_LINES * 150


def test_boxes_touch_as_a_scan_of_them_all_would_say() -> None:
    rng = random.Random(3)
    boxes = Boxes()
    kept: list[tuple[float, float, float, float]] = []
    for _ in range(2000):
        x, y = rng.uniform(-50, 500), rng.uniform(-50, 500)
        box = (x, y, x + rng.uniform(0, 80), y + rng.uniform(0, 30))
        scan = any(
            not (box[2] < a0 or box[0] > a1 or box[3] < b0 or box[1] > b1)
            for a0, b0, a1, b1 in kept
        )
        assert boxes.touch(box) == scan
        if rng.random() < 0.3:
            boxes.add(box)
            kept.append(box)
    edge = kept[0]
    assert boxes.touch((edge[2], edge[3], edge[2] + 5, edge[3] + 5))  # corners touch


def test_ten_thousand_places_are_one_scatter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scatter per place cost 5 ms each (50 s for a big day, drawing them too)."""
    basemap = read_basemap()
    n = 10_000
    rng = np.random.default_rng(1)
    places = gpd.GeoDataFrame(
        {
            "place_id": [f"gn:{i}" for i in range(n)],
            "place": [f"Village {i}" for i in range(n)],
            "controller": rng.choice(["Government", "HTS-led coalition", "SDF"], n),
            "status": rng.choice(["held", "contested", "uncertain"], n),
            "changed": rng.random(n) < 0.1,
            "population": rng.integers(0, 100_000, n),
        },
        geometry=gpd.points_from_xy(36 + 5 * rng.random(n), 32.5 + 4.5 * rng.random(n)),
        crs="EPSG:4326",
    )
    territory = gpd.GeoDataFrame(
        {"day": [], "controller": [], "status": [], "basis": [], "area_km2": []},
        geometry=[],
        crs="EPSG:4326",
    )
    calls = []
    scatter = Axes.scatter
    monkeypatch.setattr(
        Axes, "scatter", lambda self, *a, **kw: calls.append(len(a[0])) or scatter(self, *a, **kw)
    )
    png = snapshot_png(territory, places, basemap, day=DAY, changes=changes(2000))
    assert png.startswith(b"\x89PNG")
    assert n in calls and len(calls) < 20, calls[:20]  # places, rings, cities
