"""The view in the URL: day, place and every filter, so a reload or a shared link reopens it.

Pure functions between the query string (as ``{name: [values]}``) and the values of the
sidebar's widgets (by their session-state key). Only values that differ from the
defaults are written, so the plain URL is the default view; a value the app does not
know (an actor no longer in the profile, a bad number) is dropped, never an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Defaults", "from_query", "to_query"]

#: widget key -> query parameter
PARAMS = {
    "actors": "actor",
    "kinds": "kind",
    "min_confidence": "conf",
    "origins": "origin",
    "raw": "raw",
    "web_tiles": "tiles",
    "reviews_by": "by",
}


@dataclass(frozen=True)
class Defaults:
    """What each widget shows when the URL says nothing, and what it may show."""

    days: tuple[dt.date, ...]
    actors: tuple[str, ...]
    kinds: tuple[str, ...]
    origins: tuple[str, ...]

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        """Every value each multi-choice widget may show (all of them is its default), by
        widget key: one list that reading and writing the URL both walk."""
        return {"actors": self.actors, "kinds": self.kinds, "origins": self.origins}


#: on/off widgets, written as "1" when on
_FLAGS = ("raw", "web_tiles")


def _last(query: Mapping[str, Sequence[str]], name: str) -> str:
    """The last value the URL gives ``name`` ("" when none): a repeated one wins."""
    return (query.get(name) or [""])[-1]


def _choices(values: Sequence[str], allowed: Sequence[str]) -> list[str] | None:
    kept = [v for v in allowed if v in set(values)]
    return kept if values else None


def from_query(query: Mapping[str, Sequence[str]], defaults: Defaults) -> dict[str, Any]:
    """Session-state values the URL asks for (only those it names, checked)."""
    out: dict[str, Any] = {}
    try:
        asked = dt.date.fromisoformat(_last(query, "day"))
        out["day"] = min(max(asked, defaults.days[0]), defaults.days[-1])
    except ValueError:
        pass
    place = _last(query, "place").strip()
    if place:
        out["place"] = place
    for key, allowed in defaults.choices.items():
        chosen = _choices(query.get(PARAMS[key], ()), allowed)
        if chosen is not None:
            out[key] = chosen
    try:
        conf = float(_last(query, PARAMS["min_confidence"]))
        if 0.0 <= conf <= 1.0:
            out["min_confidence"] = round(conf, 2)
    except ValueError:
        pass
    for key in _FLAGS:
        if _last(query, PARAMS[key]) == "1":
            out[key] = True
    by = _last(query, PARAMS["reviews_by"]).strip()
    if by:
        out["reviews_by"] = by
    return out


def to_query(
    values: Mapping[str, Any], defaults: Defaults, *, day: dt.date, place: str | None
) -> dict[str, str | list[str]]:
    """The query string for the view: day always, the rest only where not the default."""
    out: dict[str, str | list[str]] = {"day": day.isoformat()}
    if place:
        out["place"] = place
    for key, every in defaults.choices.items():
        chosen = list(values.get(key) or [])
        if set(chosen) != set(every):
            # nothing chosen is written as one empty value: "none", not "all"
            out[PARAMS[key]] = [v for v in every if v in chosen] or [""]
    conf = float(values.get("min_confidence") or 0.0)
    if conf > 0:
        out[PARAMS["min_confidence"]] = f"{conf:.2f}"
    for key in _FLAGS:
        if values.get(key):
            out[PARAMS[key]] = "1"
    by = values.get("reviews_by")
    if by:
        out[PARAMS["reviews_by"]] = str(by)
    return out
