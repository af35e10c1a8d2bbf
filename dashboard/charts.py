"""Vega-Lite specs for the overview, coloured like the map (pure, no Streamlit)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.profile import load_profile

__all__ = ["areas_spec", "events_spec"]


def _colour(field: str, title: str) -> dict[str, Any]:
    palette = load_profile().palette
    return {
        "field": field,
        "type": "nominal",
        "title": title,
        "scale": {"domain": list(palette), "range": list(palette.values())},
    }


def areas_spec(areas_day: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Area held by each actor on the day, in km²."""
    data = areas_day[areas_day["area_km2"] > 0][["controller", "area_km2"]]
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "controller", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "area_km2", "type": "quantitative", "title": "km²"},
            "color": {**_colour("controller", "actor"), "legend": None},
            "tooltip": [{"field": "controller"}, {"field": "area_km2", "format": ",.0f"}],
        },
    }
    return data, spec


def events_spec(per_day: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Dated changes of control per day, stacked by actor."""
    long = (
        per_day.rename_axis("day")
        .reset_index()
        .melt(id_vars="day", var_name="actor", value_name="events")
    )
    long["day"] = long["day"].astype(str)
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": None},
            "y": {
                "field": "events",
                "type": "quantitative",
                "title": "changes reported",
                "axis": {"tickMinStep": 1},
            },
            "color": _colour("actor", "actor"),
            "tooltip": [{"field": "day"}, {"field": "actor"}, {"field": "events"}],
        },
    }
    return long, spec
