"""What the dashboard and the exports draw for one day: filtered events, places, territory.

Pure functions over a :class:`geo.build.Build`; no Streamlit here, so the same views feed
the app, the PNG/HTML/GIF exports and the tests.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from .export.style import is_inferred, provenance
from .territory import area_by_actor
from .timeline import FusedEvent

if TYPE_CHECKING:
    from .build import Build
    from .events import ControlEvent
    from .gazetteer import Gazetteer
    from .models import Article
    from .reviews import Review

__all__ = [
    "CHANGE_COLUMNS",
    "Filters",
    "ReviewNote",
    "View",
    "day_changes",
    "events_per_day",
    "excerpt_html",
    "make_view",
    "markdown_escape",
    "nearest_place",
    "parents_of",
    "place_timeline",
    "places_on",
    "review_notes",
    "reviews_table",
    "safe_text",
    "select_events",
    "sites_of",
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


def sites_of(view: View, gazetteer: Gazetteer) -> pd.DataFrame:
    """Every place the view has an event at, as on any of its days (``place_id``,
    ``place``, ``lat``, ``lon``, ``population``): what stays the same from day to day."""
    ids = list(dict.fromkeys(f.place.id for f in view.fused))
    state = view.state[view.state["site_id"].isin(ids)].drop_duplicates("site_id")
    return pd.DataFrame(
        {
            "place_id": state["site_id"].to_numpy(),
            "place": state["place"].to_numpy(),
            "lat": state["lat"].to_numpy(),
            "lon": state["lon"].to_numpy(),
            "population": [getattr(gazetteer.place(i), "population", 0) for i in state["site_id"]],
        }
    )


def parents_of(ids: Iterable[str], gazetteer: Gazetteer) -> dict[str, str]:
    """The town each of these places belongs to, where it has one (a neighbourhood's)."""
    return {
        pid: place.parent
        for pid in ids
        if (place := gazetteer.place(pid)) is not None and place.parent
    }


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


#: Text made literal wherever it is inserted as markup (the sources panel's HTML, which
#: Streamlit renders through Markdown; the map's labels, which its script puts in
#: innerHTML and template literals): HTML's characters as ``html.escape`` writes them;
#: Markdown's (links, images, code, emphasis, maths, tables) and JavaScript template
#: literals' as numeric references, so ``![x](http://…)`` or ``${…}`` in a report is
#: shown, never rendered, run or fetched; a line break would end the HTML block.
_LITERAL = str.maketrans(
    {
        "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
        **{c: f"&#{ord(c)};" for c in "\\`*_[]!$~|#"},
        "\n": " ", "\r": " ",
    }
)  # fmt: skip


def safe_text(text: object) -> str:
    """``text`` as literal markup (see :data:`_LITERAL`)."""
    return str(text).translate(_LITERAL)


def excerpt_html(report: ControlEvent, article: Article | None) -> str:
    """The report's sentence, escaped, with the place marked: article text never becomes
    markup, HTML or Markdown (see :data:`_LITERAL`)."""
    text = report.excerpt
    if article is None or report.origin == "curated":
        return safe_text(text)
    start = report.place_span.start - report.sentence.start
    end = report.place_span.end - report.sentence.start
    if not 0 <= start < end <= len(text):
        return safe_text(text)
    return (
        safe_text(text[:start])
        + "<mark>"
        + safe_text(text[start:end])
        + "</mark>"
        + safe_text(text[end:])
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


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")


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


# ---------------------------------------------------------------------------- what changed

#: Columns of :func:`day_changes` (and of the dashboard's "what changed" CSV).
CHANGE_COLUMNS = [
    "day",
    "place_id",
    "place",
    "lat",
    "lon",
    "change",
    "controller",
    "previous",
    "actor",
    "kind",
    "n_sources",
    "provenance",
    "basis",
    "event_ids",
    "confidence",
]
_CHANGE_ORDER = {"changed hands": 0, "contested": 1, "uncertain": 2}


def day_changes(view: View, day: dt.date) -> pd.DataFrame:
    """Every site that changed hands, became contested or became uncertain on ``day``.

    One row per site, the reported and curated ones first (most sources first), then
    those the territory model moved, each with the new controller, the one before, the
    event behind it (actor, kind, number of sources) and its provenance in words. The day
    before the period is the baseline.
    """
    state = view.state
    today = state[state["day"] == day]
    if today.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    before = state[state["day"] == day - dt.timedelta(days=1)]
    # the first day: the baseline's holders are not in the state, so a site is new to
    # the list when its own status says so (changed, contested, uncertain)
    previous: dict[str, tuple[str, str]] = {}
    if not before.empty:
        previous = dict(
            zip(
                before["site_id"],
                zip(before["controller"], before["status"], strict=True),
                strict=True,
            )
        )
    events = {f.id: f for f in view.fused}
    rows = []
    for r in today.itertuples(index=False):
        was, was_status = previous.get(r.site_id, (None, None))
        if r.status == "changed" or (was is not None and was != r.controller):
            change = "changed hands"
        elif r.status in ("contested", "uncertain") and was_status != r.status:
            change = str(r.status)
        else:
            continue
        ids = [i for i in str(r.event_ids or "").split(";") if i in events]
        behind = [events[i] for i in ids]
        event = next((f for f in reversed(behind) if f.day == day), behind[-1] if behind else None)
        rows.append(
            {
                "day": day.isoformat(),
                "place_id": r.site_id,
                "place": r.place,
                "lat": r.lat,
                "lon": r.lon,
                "change": change,
                "controller": r.controller,
                "previous": was or "",
                "actor": event.actor if event else r.controller,
                "kind": event.kind if event else "",
                "n_sources": event.n_sources if event else 0,
                "provenance": provenance(r.basis),
                "basis": r.basis,
                "event_ids": ";".join(ids),
                "confidence": float(r.confidence),
            }
        )
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    if frame.empty:
        return frame
    order = frame.assign(
        _inferred=frame["basis"].map(is_inferred),
        _change=frame["change"].map(_CHANGE_ORDER),
        _sources=-frame["n_sources"],
    ).sort_values(["_inferred", "_sources", "_change", "place"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


# ---------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class ReviewNote:
    """One analyst's decision about an event, as the sources panel shows it."""

    reviewer: str
    action: str
    when: dt.datetime | None
    reason: str
    #: what a correction changed ("day 2024-12-08 → 2024-12-07"), else ""
    change: str
    id: int | None = None


def review_notes(
    event: FusedEvent, reviews: Sequence[Review], *, before: FusedEvent | None = None
) -> list[ReviewNote]:
    """The live reviews of ``event`` (its reports, or its id for an added one), oldest
    first. ``before`` is the event as the machine made it, to say what a correction
    changed; one reviewer's notes are those that name them."""
    reports = {r.id for r in event.reports}
    notes = [
        ReviewNote(r.reviewer, r.action, r.created, r.reason, _correction(r, before or event), r.id)
        for r in reviews
        if not r.undone and (set(r.report_ids) & reports or r.event_id == event.id)
    ]
    return sorted(notes, key=lambda n: (n.when or dt.datetime.min, n.id or 0))


def _correction(review: Review, old: FusedEvent) -> str:
    """What a correction changes of ``old`` ("day 2024-12-08 → 2024-12-07; place …"),
    "" for any other action."""
    if review.action != "correct":
        return ""
    parts = [
        f"{name} {getattr(old, name)} → {value}"
        for name, value in (("day", review.day), ("actor", review.actor), ("kind", review.kind))
        if value is not None
    ]
    if review.place_id is not None:
        parts.append(f"place {old.place.id} → {review.place_id}")
    return "; ".join(parts)


#: Columns of :func:`reviews_table`.
REVIEW_COLUMNS = ["when", "reviewer", "action", "place", "place_id", "event", "detail", "id"]


def reviews_table(
    reviews: Sequence[Review],
    fused: Sequence[FusedEvent],
    gazetteer: Gazetteer,
    *,
    reviewer: str | None = None,
) -> pd.DataFrame:
    """The live reviews (``reviewer``'s only, when given), newest first, with the place and
    the event each is about as the machine made it (``fused``)."""
    by_report = {r.id: f for f in fused for r in f.reports}
    by_id = {f.id: f for f in fused}
    rows = []
    for r in reviews:
        if r.undone or (reviewer is not None and r.reviewer != reviewer):
            continue
        event = next((by_report[i] for i in r.report_ids if i in by_report), by_id.get(r.event_id))
        place_id = r.place_id if r.action == "add" or event is None else event.place.id
        place = gazetteer.place(place_id or "")
        if event is not None:
            about = f"{event.day or 'day unknown'} · {event.kind} · {event.actor}"
        elif r.action == "add":
            about = f"{r.day or 'day unknown'} · {r.kind} · {r.actor}"
        else:
            about = "orphaned: its reports are gone"
        detail = r.reason
        if r.action == "correct":
            change = _correction(r, event) if event is not None else ""
            detail = "; ".join(x for x in (change, r.reason) if x)
        if r.action == "add":
            detail = "; ".join(x for x in (f"source: {r.source}", r.reason) if x)
        rows.append(
            {
                "when": r.created,
                "reviewer": r.reviewer,
                "action": r.action,
                "place": place.name if place else (place_id or ""),
                "place_id": place_id or "",
                "event": about,
                "detail": detail,
                "id": r.id,
            }
        )
    frame = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    return frame.sort_values(["when", "id"], ascending=False, kind="stable").reset_index(drop=True)
