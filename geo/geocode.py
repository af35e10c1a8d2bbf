"""Geocoders: the offline gazetteer as a geopy ``Geocoder``, and online services as plugins.

:class:`GazetteerGeocoder` subclasses geopy's own base class and returns geopy
``Location`` objects (the gazetteer row in ``.raw``), so it works wherever a geopy
geocoder does: ``geopy.extra.rate_limiter.RateLimiter``,
``geopandas.tools.geocode(names, provider=GazetteerGeocoder)``, or replaced by an
online service through :func:`get_geocoder`. Online services are optional: they are
wrapped in :class:`CachedGeocoder` (answers kept on disk in SQLite) and a rate limiter,
and nothing in frontline needs them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import warnings
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from geopy.exc import GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from rapidfuzz import fuzz

from . import settings
from .errors import ConfigurationError, GeocoderUnavailable
from .gazetteer import Gazetteer, consonant_key, load_gazetteer, normalise
from .models import Place

__all__ = [
    "GEOCODERS",
    "CachedGeocoder",
    "FallbackGeocoder",
    "GazetteerGeocoder",
    "GeocoderFallbackWarning",
    "SupportsGeocode",
    "get_geocoder",
    "location_of",
    "search_places",
]


class SupportsGeocode(Protocol):
    """The narrow contract frontline relies on (geopy leaves it to each service)."""

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None: ...


def location_of(place: Place) -> Location:
    """A geopy ``Location`` for a gazetteer place, with the row in ``raw``."""
    label = place.name if place.kind == "populated place" else f"{place.name} ({place.kind})"
    address = ", ".join(x for x in (label, place.admin1, place.country) if x)
    raw = asdict(place)
    raw["aliases"] = list(place.aliases)
    return Location(address, (place.lat, place.lon), raw)


class GazetteerGeocoder(Geocoder):
    """Offline forward geocoding from the built gazetteer; never touches the network.

    Answers from the whole index: any name or spelling of a place, its Arabic name, and
    the phrases the recogniser reads ("Damascus international airport", "the Homs
    countryside", "western Aleppo"). ``exactly_one=False`` gives every candidate, most
    likely first. ``country_bias`` is the country preferred when a name is ambiguous
    (the profile's by default). A trailing ", Country" restricts the answer to it.
    Unknown spellings get a fuzzy look-up (same consonants, similar skeleton).
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        country_bias: str | None = None,
        min_similarity: float = 80.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.country_bias = country_bias or self.gazetteer.focus
        self.min_similarity = min_similarity

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country: str | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """Places named ``query``, best first; ``None`` when there is no match."""
        if not isinstance(query, str):
            msg = f"query must be a string, not {type(query).__name__}: {query!r}"
            raise TypeError(msg)
        name, country = self._split_country(query.strip(), country)
        ranked = search_places(self.gazetteer, name, prefer=country or self.country_bias)
        if not ranked:
            ranked = self.gazetteer.rank(self._candidates(name), prefer=[self.country_bias])
        if country:
            ranked = [p for p in ranked if p.country == country]
        if not ranked:
            return None
        locations = [location_of(p) for p in ranked]
        return locations[0] if exactly_one else locations

    def _split_country(self, query: str, country: str | None) -> tuple[str, str | None]:
        if country:
            return query, country.upper()
        head, sep, tail = query.rpartition(",")
        if sep:
            iso = next(
                (e.ref for e in self.gazetteer.entries(tail) if e.category == "country"), None
            )
            if iso:
                return head.strip(), iso
        return query, None

    def _candidates(self, name: str) -> list[Place]:
        found = self.gazetteer.candidates(name)
        if found or not name:
            return found
        key = normalise(name)
        pool = self.gazetteer.consonant_index.get(consonant_key(key), ())
        scored = [(fuzz.ratio(key, k), k) for k in pool]
        good = [k for s, k in sorted(scored, reverse=True) if s >= self.min_similarity]
        return [
            self.gazetteer.places[e.ref]
            for k in good[:1]
            for e in self.gazetteer.keys[k]
            if e.category == "place"
        ]


def search_places(
    gazetteer: Gazetteer, query: str, *, prefer: str | None = None, limit: int = 20
) -> list[Place]:
    """Places a person may mean by ``query``, most likely first: a name in any spelling or
    script (exact and folded forms, Arabic), else the phrase the recogniser reads in it."""
    query = " ".join(query.split())
    if not query:
        return []
    found = gazetteer.lookup(query)
    if prefer:
        found = gazetteer.rank(found, prefer=prefer, exact={p.id for p in found[:1]})
    if not found:
        from .articles import parse_article
        from .toponyms import find_mentions

        article = parse_article(query.encode("utf-8"), path="query.txt")
        mentions = find_mentions(article, gazetteer, min_confidence=0.0)
        # the phrase that covers most of what was typed
        mentions.sort(key=lambda m: -(m.end - m.start))
        found = list(dict.fromkeys(m.place for m in mentions))
    return found[:limit]


class CachedGeocoder:
    """Wraps any geopy geocoder with a SQLite answer cache, so each query goes online once.

    Service errors (timeouts, refusals, bad answers) become :class:`GeocoderUnavailable`,
    which callers may catch to fall back to the gazetteer.
    """

    def __init__(
        self,
        geocoder: SupportsGeocode,
        path: str | Path,
        *,
        min_delay_seconds: float = 1.0,
        max_retries: int = 1,
        error_wait_seconds: float = 2.0,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (query TEXT PRIMARY KEY, body TEXT)")
        self._call: Callable[..., Any] = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        cache_key = json.dumps([query, exactly_one, sorted(kwargs.items())])
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM answers WHERE query = ?", (cache_key,)
            ).fetchone()
        if row is not None:
            return _decode(json.loads(row[0]), exactly_one)
        try:
            answer = self._call(query, exactly_one=exactly_one, **kwargs)
        except GeopyError as err:
            msg = f"geocoding service failed for {query!r}: {err}"
            raise GeocoderUnavailable(msg) from err
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?)",
                (cache_key, json.dumps(_encode(answer))),
            )
        return answer

    def close(self) -> None:
        self._db.close()


def _encode(answer: Location | list[Location] | None) -> list[dict[str, Any]] | None:
    if answer is None:
        return None
    items = answer if isinstance(answer, list) else [answer]
    return [
        {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}
        for loc in items
    ]


def _decode(
    body: list[dict[str, Any]] | None, exactly_one: bool
) -> Location | list[Location] | None:
    if not body:
        return None
    locations = [Location(b["address"], (b["lat"], b["lon"]), b["raw"]) for b in body]
    return locations[0] if exactly_one else locations


class GeocoderFallbackWarning(UserWarning):
    """An online geocoder failed and the offline gazetteer answered instead."""


class FallbackGeocoder:
    """Ask an online service first; when it times out or errors, warn and use the gazetteer.

    An analyst in the field keeps working when the network goes: answers are never worse
    than offline, only sometimes better.
    """

    def __init__(self, primary: SupportsGeocode, fallback: SupportsGeocode | None = None) -> None:
        self.primary = primary
        self.fallback = fallback if fallback is not None else GazetteerGeocoder()

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        try:
            return self.primary.geocode(query, exactly_one=exactly_one, **kwargs)
        except (GeocoderUnavailable, GeopyError) as err:
            warnings.warn(
                f"online geocoder failed for {query!r} ({err}); using the offline gazetteer",
                GeocoderFallbackWarning,
                stacklevel=2,
            )
            return self.fallback.geocode(query, exactly_one=exactly_one)


def _nominatim(**kwargs: Any) -> SupportsGeocode:
    from geopy.geocoders import Nominatim

    cache = Path(kwargs.pop("cache_dir", settings.cache_dir)) / "nominatim.sqlite"
    offline = kwargs.pop("fallback", True)
    service = Nominatim(user_agent=kwargs.pop("user_agent", settings.user_agent), **kwargs)
    cached = CachedGeocoder(service, cache)
    return FallbackGeocoder(cached) if offline else cached


#: Geocoders by name; each value builds one from keyword arguments.
GEOCODERS: dict[str, Callable[..., SupportsGeocode]] = {
    "gazetteer": GazetteerGeocoder,
    "nominatim": _nominatim,
}


def get_geocoder(name: str | None = None, **kwargs: Any) -> SupportsGeocode:
    """The geocoder registered as ``name`` (default ``settings.geocoder``)."""
    name = name or settings.geocoder
    try:
        factory = GEOCODERS[name]
    except KeyError:
        msg = f"unknown geocoder {name!r}; choose one of {sorted(GEOCODERS)}"
        raise ConfigurationError(msg) from None
    return factory(**kwargs)
