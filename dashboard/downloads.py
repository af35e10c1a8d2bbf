"""The files the Export buttons give, built on demand from the current view (pure, no Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from geo import export, views
from geo.gazetteer import Gazetteer
from geo.models import Article

from . import mapview

__all__ = ["day_geojson", "day_geopackage", "events_csv", "gif", "html", "png"]


def png(view: views.View, day: dt.date, basemap: export.Basemap, gaz: Gazetteer) -> bytes:
    return export.snapshot_png(
        views.territory_on(view, day), views.places_on(view, day, gaz), basemap, day=day
    )


def html(
    view: views.View,
    day: dt.date,
    basemap: export.Basemap,
    cities: Sequence[tuple[str, float, float]],
    gaz: Gazetteer,
) -> bytes:
    """A standalone page: the same map as the app, Leaflet and jQuery inlined."""
    layers = mapview.display_layers(basemap.outline, basemap.governorates, basemap.neighbours)
    base = mapview.base_map(*layers, list(cities))
    layer = mapview.day_layer(views.territory_on(view, day), views.places_on(view, day, gaz))
    page = mapview.full_map(base, layer).get_root().render()
    return export.inline_assets(page, mapview.ASSET_FILES).encode("utf-8")


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


def gif(
    view: views.View, days: Sequence[dt.date], basemap: export.Basemap, gaz: Gazetteer
) -> bytes:
    return export.animation_gif([png(view, d, basemap, gaz) for d in days])
