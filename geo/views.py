"""What the dashboard and the exports draw for one day: filtered events, places, territory.

Pure functions over a :class:`geo.build.Build`; no Streamlit here, so the same views feed
the app, the PNG/HTML/GIF exports and the tests.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from .territory import area_by_actor
from .timeline import FusedEvent

if TYPE_CHECKING:
    from .build import Build
    from .events import ControlEvent
    from .gazetteer import Gazetteer
    from .models import Article

__all__ = [
    "Filters",
    "View",
    "events_per_day",
    "excerpt_html",
    "make_view",
    "markdown_escape",
    "nearest_place",
    "place_timeline",
    "places_on",
    "select_events",
    "source_line",
    "territory_on",
]

ORIGINS = frozenset({"extracted", "curated"})


@dataclass(frozen=True)
class Filters:
    """What an analyst asked to see; ``None`` means everything."""

    actors: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    min_confidence: float = 0.0
    origins: frozenset[str] = ORIGINS

    @property
    def is_default(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class View:
    """The events kept by the filters and the state and territory they imply, all days."""

    fused: tuple[FusedEvent, ...]
    state: pd.DataFrame
    territory: gpd.GeoDataFrame
    areas: pd.DataFrame


def select_events(
    fused: list[FusedEvent] | tuple[FusedEvent, ...], filters: Filters
) -> list[FusedEvent]:
    return [
        f
        for f in fused
        if (filters.actors is None or f.actor in filters.actors)
        and (filters.kinds is None or f.kind in filters.kinds)
        and f.confidence >= filters.min_confidence
        and set(f.origin.split("+")) & filters.origins
    ]


def make_view(build: Build, filters: Filters, *, fused: Sequence[FusedEvent] | None = None) -> View:
    """The map as the filters want it: state and territory recomputed from the kept events.

    ``fused`` replaces the build's events (the reviewed record); by default the build's own.
    """
    if filters.is_default and fused is None:
        return View(tuple(build.fused), build.state, build.territory, build.areas)
    from .build import state_and_territory

    kept = select_events(build.fused if fused is None else fused, filters)
    state, territory = state_and_territory(kept)
    return View(tuple(kept), state, territory, area_by_actor(territory))


def territory_on(view: View, day: dt.date) -> gpd.GeoDataFrame:
    return view.territory[view.territory["day"] == day].reset_index(drop=True)


def places_on(view: View, day: dt.date, gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """Every place with an event, as it stands on ``day`` (EPSG:4326 points)."""
    ids = list(dict.fromkeys(f.place.id for f in view.fused))
    columns = [
        "place_id",
        "place",
        "controller",
        "status",
        "since",
        "basis",
        "changed",
        "population",
        "events",
        "lat",
        "lon",
    ]
    if not ids:
        return gpd.GeoDataFrame(
            columns=[*columns, "geometry"], geometry="geometry", crs="EPSG:4326"
        )
    state = view.state[(view.state["day"] == day) & view.state["site_id"].isin(ids)]
    counts = pd.Series([f.place.id for f in view.fused]).value_counts()
    frame = pd.DataFrame(
        {
            "place_id": state["site_id"].to_numpy(),
            "place": state["place"].to_numpy(),
            "controller": state["controller"].to_numpy(),
            "status": state["status"].to_numpy(),
            "since": state["since"].to_numpy(),
            "basis": state["basis"].to_numpy(),
            "changed": (state["status"] == "changed").to_numpy(),
            "population": [getattr(gazetteer.place(i), "population", 0) for i in state["site_id"]],
            "events": counts.reindex(state["site_id"]).fillna(0).astype(int).to_numpy(),
            "lat": state["lat"].to_numpy(),
            "lon": state["lon"].to_numpy(),
        }
    )
    # geometry takes (x=lon, y=lat)
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def place_timeline(view: View, place_id: str) -> list[FusedEvent]:
    """The events of one place, oldest first (undated last)."""
    return sorted(
        (f for f in view.fused if f.place.id == place_id),
        key=lambda f: (f.day or dt.date.max, f.kind),
    )


def events_per_day(view: View) -> pd.DataFrame:
    """Dated events per day and actor, for the overview chart (every day of the period)."""
    rows = [(f.day, f.actor) for f in view.fused if f.day is not None and f.kind != "contested"]
    days = sorted(set(view.state["day"]))
    frame = pd.DataFrame(rows, columns=["day", "actor"])
    table = pd.crosstab(frame["day"], frame["actor"]) if rows else pd.DataFrame(index=days)
    return table.reindex(days, fill_value=0)


def excerpt_html(report: ControlEvent, article: Article | None) -> str:
    """The report's sentence, escaped, with the place marked: article text never becomes markup."""
    text = report.excerpt
    if article is None or report.origin == "curated":
        return html.escape(text)
    start = report.place_span.start - report.sentence.start
    end = report.place_span.end - report.sentence.start
    if not 0 <= start < end <= len(text):
        return html.escape(text)
    return (
        html.escape(text[:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:])
    )


def nearest_place(
    places_day: gpd.GeoDataFrame, lat: float, lon: float, *, max_km: float = 15.0
) -> str | None:
    """The place a map click meant: the nearest marker within ``max_km``."""
    if places_day.empty:
        return None
    scale = math.cos(math.radians(lat))
    d2 = (places_day["lat"] - lat) ** 2 + ((places_day["lon"] - lon) * scale) ** 2
    i = d2.idxmin()
    return str(places_day.loc[i, "place_id"]) if math.sqrt(d2[i]) * 111.2 <= max_km else None


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


def markdown_escape(text: str) -> str:
    """Text shown through Markdown, with every Markdown and HTML character made literal."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def source_line(report: ControlEvent, article: Article | None) -> str:
    """Where a report comes from: the article and outlet and date, or the curated citation."""
    if report.origin == "curated" or article is None:
        return f"curated · source: {report.source}"
    outlet = article.outlet or "outlet unknown"
    published = article.published.isoformat() if article.published else "date unknown"
    return (
        f"{article.name} · {outlet} · published {published} · this report's day: "
        f"{report.day or 'unknown'} ({report.day_cue or report.day_precision})"
    )
