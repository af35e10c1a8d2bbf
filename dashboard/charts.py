"""Vega-Lite specs for the overview, coloured as the map draws each actor (pure, no Streamlit).

Bars take the actors' held-ground colours (:func:`geo.export.style.held_colours`), so a
bar is the colour of the ground it counts. Every actor keeps its label: the area chart
grows a row per actor rather than dropping names, and the overview marks the chosen day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from geo.export.style import held_colours

__all__ = ["ROW_PX", "areas_spec", "events_spec"]

#: height of one actor's bar in the area chart, label included
ROW_PX = 22


def _colour(field: str, title: str, palette: Mapping[str, str]) -> dict[str, Any]:
    colours = held_colours(palette)
    return {
        "field": field,
        "type": "nominal",
        "title": title,
        "scale": {"domain": list(colours), "range": list(colours.values())},
    }


def areas_spec(
    areas_day: pd.DataFrame, palette: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Area held by each actor on the day, in km², one labelled bar per actor."""
    data = areas_day[areas_day["area_km2"] > 0][["controller", "area_km2"]].copy()
    data["km2"] = data["area_km2"].round(0)
    spec = {
        "height": max(1, len(data)) * ROW_PX,
        "mark": {"type": "bar", "height": {"band": 0.8}},
        "encoding": {
            "y": {
                "field": "controller",
                "type": "nominal",
                "sort": "-x",
                "title": None,
                "axis": {"labelLimit": 220, "labelOverlap": False, "labelFontSize": 11},
            },
            "x": {
                "field": "area_km2",
                "type": "quantitative",
                "title": "km² held",
                "axis": {"format": "~s", "tickCount": 4},
            },
            "color": {**_colour("controller", "actor", palette), "legend": None},
            "tooltip": [
                {"field": "controller", "title": "actor"},
                {"field": "km2", "title": "km²", "format": ",.0f"},
            ],
        },
    }
    return data, spec


def events_spec(
    per_day: pd.DataFrame, palette: Mapping[str, str], day: dt.date | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Dated changes of control per day, stacked by actor, the chosen ``day`` marked."""
    long = (
        per_day.rename_axis("day")
        .reset_index()
        .melt(id_vars="day", var_name="actor", value_name="events")
    )
    long["label"] = [f"{d.day} {d:%b}" for d in long["day"]]
    long["chosen"] = long["day"] == day
    order = list(dict.fromkeys(long["label"]))
    x = {"field": "label", "type": "ordinal", "title": None, "sort": order}
    x["axis"] = {"labelAngle": 0, "labelOverlap": False}
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": x,
            "y": {
                "field": "events",
                "type": "quantitative",
                "title": "changes reported",
                "axis": {"tickMinStep": 1},
            },
            "color": {
                **_colour("actor", "actor", palette),
                "legend": {
                    "orient": "right",
                    "columns": 1,
                    "labelLimit": 200,
                    "symbolType": "square",
                },
            },
            "opacity": {"condition": {"test": "datum.chosen", "value": 1.0}, "value": 0.55},
            "tooltip": [
                {"field": "label", "title": "day"},
                {"field": "actor"},
                {"field": "events"},
            ],
        },
    }
    layers: list[dict[str, Any]] = [bars]
    if day is not None and (long["day"] == day).any():
        chosen = f"{day.day} {day:%b}"
        layers.insert(
            0,
            {
                "data": {"values": [{"label": chosen}]},
                "mark": {"type": "rect", "color": "#F2E6B8", "opacity": 0.9},
                "encoding": {"x": {**x, "field": "label"}},
            },
        )
        layers.append(
            {
                "data": {"values": [{"label": chosen, "text": "chosen day"}]},
                "mark": {"type": "text", "dy": -6, "fontSize": 10, "color": "#6B5A00"},
                "encoding": {
                    "x": {**x, "field": "label"},
                    "y": {"value": 0},
                    "text": {"field": "text"},
                },
            }
        )
    long["day"] = long["day"].astype(str)
    return long, {"layer": layers}
