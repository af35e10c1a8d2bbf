"""Everything frontline writes: tables, GeoJSON and GeoPackage, PNG and GIF, standalone HTML.

One module per job (``tables``, ``basemap``, ``style``, ``snapshot``, ``html``); the
public names stay importable from ``geo.export``.
"""

from __future__ import annotations

from .animation import animation_gif, drawn_colours
from .basemap import Basemap, read_basemap
from .html import external_urls, inline_assets
from .snapshot import snapshot_png
from .tables import (
    DAY_PLACE_COLUMNS,
    DAY_TERRITORY_COLUMNS,
    EVENT_COLUMNS,
    FORMULA_STARTS,
    PLACE_COLUMNS,
    STATE_COLUMNS,
    day_geojson,
    day_geopackage,
    events_csv,
    events_frame,
    mentions_frame,
    safe_csv_cell,
    state_frame,
    write_frame,
)

__all__ = [
    "DAY_PLACE_COLUMNS",
    "DAY_TERRITORY_COLUMNS",
    "EVENT_COLUMNS",
    "FORMULA_STARTS",
    "PLACE_COLUMNS",
    "STATE_COLUMNS",
    "Basemap",
    "animation_gif",
    "day_geojson",
    "day_geopackage",
    "drawn_colours",
    "events_csv",
    "events_frame",
    "external_urls",
    "inline_assets",
    "mentions_frame",
    "read_basemap",
    "safe_csv_cell",
    "snapshot_png",
    "state_frame",
    "write_frame",
]
