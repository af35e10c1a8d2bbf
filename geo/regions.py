"""Regions a phrase makes of a place: "the Aleppo countryside", "western Idlib", "rural Hama".

War reporting names ground by its town and a direction more often than by any admin
unit. Such a phrase becomes a region *place* (``rg:<town id>:<direction>``) whose shape is
the town's countryside, a disc of :data:`COUNTRYSIDE_KM` around it cut to its
governorate, narrowed to a sector of :data:`SECTOR_DEGREES` when a direction is given.
Its point is the shape's representative point, so a mention lands where the phrase
points (about 15 km out from the town for a direction). The id is enough to remake the
place and its shape, which the territory model uses for region events.

Distances are computed in an azimuthal equidistant projection centred on the town, so
the module needs no country-specific CRS.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import shapely
from pyproj import Transformer

from .models import Place

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = [
    "COUNTRYSIDE_KM",
    "DIRECTIONS",
    "SECTOR_DEGREES",
    "countryside",
    "direction_of",
    "is_derived",
    "region_shape",
]

#: How far a town's countryside reaches, in km.
COUNTRYSIDE_KM = 40.0
#: The width of a direction's sector, in degrees.
SECTOR_DEGREES = 120.0
#: Compass words and their bearing (degrees clockwise from north).
DIRECTIONS: dict[str, float] = {
    **dict.fromkeys(("north", "northern"), 0.0),
    **dict.fromkeys(("northeast", "north-east", "northeastern", "north-eastern"), 45.0),
    **dict.fromkeys(("east", "eastern"), 90.0),
    **dict.fromkeys(("southeast", "south-east", "southeastern", "south-eastern"), 135.0),
    **dict.fromkeys(("south", "southern"), 180.0),
    **dict.fromkeys(("southwest", "south-west", "southwestern", "south-western"), 225.0),
    **dict.fromkeys(("west", "western"), 270.0),
    **dict.fromkeys(("northwest", "north-west", "northwestern", "north-western"), 315.0),
}
_ADJECTIVE = {
    0.0: "northern",
    45.0: "north-eastern",
    90.0: "eastern",
    135.0: "south-eastern",
    180.0: "southern",
    225.0: "south-western",
    270.0: "western",
    315.0: "north-western",
}
_PREFIX = "rg:"
_AROUND = "around"


def direction_of(word: str) -> float | None:
    """The bearing a compass word names ("western" -> 270), or ``None``."""
    return DIRECTIONS.get(word.lower())


def is_derived(place_id: str) -> bool:
    """Whether an id names a region made from a phrase (``rg:<town id>:<direction>``)."""
    return place_id.startswith(_PREFIX) and place_id.count(":") >= 2


def _parse(place_id: str) -> tuple[str, float | None]:
    town, _, where = place_id[len(_PREFIX) :].rpartition(":")
    return town, None if where == _AROUND else float(where)


def _to_lonlat(town: Place) -> Transformer:
    """From metres around ``town`` (azimuthal equidistant) to longitude/latitude."""
    local = f"+proj=aeqd +lat_0={town.lat} +lon_0={town.lon} +units=m +ellps=WGS84"
    return Transformer.from_crs(local, "EPSG:4326", always_xy=True)


def _shape(town: Place, bearing: float | None, gaz: Gazetteer) -> Any:
    to_lonlat = _to_lonlat(town)
    radius = COUNTRYSIDE_KM * 1000.0
    area = shapely.Point(0, 0).buffer(radius, quad_segs=16)
    if bearing is not None:
        half = math.radians(SECTOR_DEGREES / 2)
        centre = math.radians(bearing)
        steps = [centre - half + k * (2 * half / 12) for k in range(13)]
        # x east, y north: a bearing b points to (sin b, cos b)
        fan = [(0.0, 0.0)] + [(2 * radius * math.sin(a), 2 * radius * math.cos(a)) for a in steps]
        area = area.intersection(shapely.Polygon(fan))
    area = shapely.transform(area, to_lonlat.transform, interleaved=False)
    unit = gaz.governorate_shape(town.admin1, town.country)
    if unit is not None:
        clipped = area.intersection(unit)
        if not clipped.is_empty and clipped.area > 0.05 * area.area:
            area = clipped
    return area


def countryside(gaz: Gazetteer, town: Place, bearing: float | None = None) -> Place:
    """The countryside of ``town`` (a sector of it towards ``bearing``) as a region place."""
    key = f"{_PREFIX}{town.id}:{_AROUND if bearing is None else f'{bearing:g}'}"
    cached = gaz.derived.get(("region", key))
    if cached is not None:
        return cached  # type: ignore[return-value]
    shape = _shape(town, bearing, gaz)
    point = shape.representative_point() if bearing is None else shape.centroid
    side = "" if bearing is None else f"{_ADJECTIVE.get(bearing, 'the')} "
    place = Place(
        id=key,
        name=f"{side}{town.name} countryside",
        lat=round(point.y, 5),  # geometry is (x=lon, y=lat)
        lon=round(point.x, 5),
        country=town.country,
        admin1=town.admin1,
        admin2=town.admin2,
        kind="region",
        source="phrase",
        gazetteer_name=f"{side}{town.gazetteer_name or town.name} countryside",
        parent=town.id,
    )
    gaz.derived[("region", key)] = place
    gaz.derived[("region-shape", key)] = shape
    return place


def region_shape(gaz: Gazetteer, place_id: str) -> Any:
    """The polygon of a region made from a phrase (EPSG:4326), or ``None`` for other ids."""
    if not is_derived(place_id):
        return None
    shape = gaz.derived.get(("region-shape", place_id))
    if shape is None:
        town_id, bearing = _parse(place_id)
        town = gaz.places.get(town_id)
        if town is None:
            return None
        countryside(gaz, town, bearing)
        shape = gaz.derived.get(("region-shape", place_id))
    return shape


def derived_place(gaz: Gazetteer, place_id: str) -> Place | None:
    """The region place an ``rg:<town id>:<direction>`` id names (read back from a store)."""
    if not is_derived(place_id):
        return None
    town_id, bearing = _parse(place_id)
    town = gaz.places.get(town_id)
    return countryside(gaz, town, bearing) if town is not None else None
