"""The files the Export buttons give, built on demand from the current view (pure, no Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import export, views
from geo.gazetteer import Gazetteer
from geo.models import Article
from geo.profile import load_profile

from . import mapview

__all__ = [
    "changes_csv",
    "day_geojson",
    "day_geopackage",
    "events_csv",
    "gif",
    "html",
    "png",
]


def png(
    view: views.View,
    day: dt.date,
    basemap: export.Basemap,
    gaz: Gazetteer,
    *,
    frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None,
    changes: pd.DataFrame | None = None,
) -> bytes:
    """The day's map with its legend and, as a caption, what changed that day.

    ``frames`` (the day's territory and places) and ``changes``: the views of that day
    when the caller holds them already (the dashboard's caches; on a big build making
    them again is half a second of the click)."""
    territory, places = frames or (views.territory_on(view, day), views.places_on(view, day, gaz))
    return export.snapshot_png(
        territory,
        places,
        basemap,
        day=day,
        title=f"frontline — {load_profile().title}",
        changes=views.day_changes(view, day) if changes is None else changes,
    )


def html(
    view: views.View,
    day: dt.date,
    base: Mapping[str, Any],
    gaz: Gazetteer,
    selected: Mapping[str, Any] | None = None,
) -> bytes:
    """A standalone page: the app's map of the day with title, date, legend and
    attribution, Leaflet and the data inlined (it opens with no network)."""
    title = f"frontline — {load_profile().title}"
    places = views.places_on(view, day, gaz)
    sites = mapview.sites_payload(places, views.parents_of(places["place_id"], gaz))
    layer = mapview.day_payload(
        views.territory_on(view, day),
        places,
        day=day,
        palette=load_profile().palette,
        sites=sites,
        title=title,
    )
    page = mapview.standalone_html(
        base, layer, sites=sites, page_title=f"{title} — {day.isoformat()}", selected=selected
    )
    return page.encode("utf-8")


def day_geojson(view: views.View, day: dt.date, gaz: Gazetteer) -> bytes:
    return export.day_geojson(
        views.territory_on(view, day), views.places_on(view, day, gaz), day=day
    ).encode("utf-8")


def day_geopackage(view: views.View, day: dt.date, gaz: Gazetteer) -> bytes:
    return export.day_geopackage(
        views.territory_on(view, day), views.places_on(view, day, gaz), day=day
    )


def events_csv(view: views.View, articles: Sequence[Article]) -> bytes:
    return export.events_csv(export.events_frame(view.fused, articles)).encode("utf-8")


def changes_csv(changes: pd.DataFrame) -> bytes:
    """The day's "what changed" list, one row per place (formula cells neutralised)."""
    return export.events_csv(changes[views.CHANGE_COLUMNS]).encode("utf-8")


def gif(
    view: views.View, days: Sequence[dt.date], basemap: export.Basemap, gaz: Gazetteer
) -> bytes:
    frames = [png(view, d, basemap, gaz) for d in days]
    return export.animation_gif(frames, colours=export.drawn_colours(basemap.palette))
