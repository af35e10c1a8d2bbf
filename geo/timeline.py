"""The inputs of the control state: the sub-district baseline, curated rows, fusion of reports.

- **Baseline** (the profile's ``baseline`` file): who held each site on the day before
  the period, with a source column. It is coarse: one
  controller per sub-district, from public control maps (see ``tools/build_baseline.py``).
- **Curated events** (``curated_events.csv``): analysts' rows for changes the corpus does
  not report, in the extracted events' schema plus a required ``source`` citation. Rows
  are checked strictly: a bad date, an unknown place or a missing column is one error
  naming the file, the line and the column.
- **Fusion**: reports of one change (same place and kind, compatible actors) become one
  :class:`FusedEvent` carrying every report. Its day is taken from the best-dated
  reports (an explicit day beats a phrase like "a week ago", which beats the article's
  own date), the most-supported day among them, the earliest on a tie. Reports that
  disagree are kept: the event records the earliest and latest day and the number of
  sources, and is flagged as a disagreement when explicit days differ by more than one
  day or an upper bound falls before the chosen day.
- The daily state of every site is :mod:`geo.control`'s (the territory model); this
  module gives it its inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ._io import read_rows
from .errors import DataError
from .events import KINDS, ControlEvent
from .gazetteer import Gazetteer
from .models import Place, Span
from .profile import Profile, load_profile

__all__ = [
    "CURATED_COLUMNS",
    "FusedEvent",
    "Site",
    "fuse",
    "period_days",
    "read_baseline",
    "read_curated",
]

CURATED_COLUMNS = ("place", "kind", "actor", "day", "source")
CURATED_OPTIONAL = ("place_id", "lat", "lon", "day_precision", "confidence", "excerpt", "note")
_DAY_RANK = {"exact": 0, "approximate": 1, "article": 2, "unknown": 3}
_FLEXIBLE = frozenset({"generic", "region", "default"})


@dataclass(frozen=True, slots=True)
class Site:
    """A point whose controller the state tracks: a baseline centroid or an event place."""

    id: str
    name: str
    lat: float
    lon: float
    controller: str
    source: str


@dataclass(frozen=True, slots=True)
class FusedEvent:
    """One change of control with every report of it."""

    id: str
    place: Place
    kind: str
    actor: str
    day: dt.date | None
    day_precision: str
    earliest: dt.date | None
    latest: dt.date | None
    disagreement: bool
    confidence: float
    origin: str  # extracted | curated | extracted+curated
    reports: tuple[ControlEvent, ...]
    review: str = ""  # "" (unreviewed) | confirmed | corrected | added

    @property
    def n_sources(self) -> int:
        return len({r.article_id or r.source for r in self.reports})


# ---------------------------------------------------------------------------
# reading the analysts' files


def _float(path: Path, line: int, column: str, value: str, lo: float, hi: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not lo <= number <= hi:
        msg = f"{path}:{line}: column {column!r}: {value!r} is not a number in [{lo}, {hi}]"
        raise DataError(msg)
    return number


def read_baseline(path: Path | None = None, *, profile: Profile | None = None) -> list[Site]:
    """The controller of every baseline site on the day before the period."""
    profile = profile or load_profile()
    path = Path(path or profile.file("baseline"))
    sites = []
    for line, r in read_rows(
        path, ("site_id", "name", "lat", "lon", "controller", "source"), strict=True
    ):
        if r["controller"] not in profile.actor_names:
            msg = f"{path}:{line}: column 'controller': unknown controller {r['controller']!r}"
            raise DataError(msg)
        sites.append(
            Site(
                r["site_id"],
                r["name"],
                _float(path, line, "lat", r["lat"], -90, 90),
                _float(path, line, "lon", r["lon"], -180, 180),
                r["controller"],
                r["source"],
            )
        )
    return sites


def read_curated(
    path: Path | None, gazetteer: Gazetteer, *, profile: Profile | None = None
) -> list[ControlEvent]:
    """Analysts' events; every row must cite a source and name a place the gazetteer knows."""
    profile = profile or load_profile()
    actors = profile.actor_names
    path = Path(path or profile.file("curated"))
    events = []
    for line, r in read_rows(path, CURATED_COLUMNS, strict=True):

        def bad(column: str, why: str, line: int = line) -> DataError:
            return DataError(f"{path}:{line}: column {column!r}: {why}")

        if r["kind"] not in KINDS:
            raise bad("kind", f"{r['kind']!r} is not one of {', '.join(KINDS)}")
        if r["actor"] not in actors:
            raise bad("actor", f"{r['actor']!r} is not one of {', '.join(actors)}")
        if not r["source"]:
            raise bad("source", "a curated event needs a source (URL or reference)")
        try:
            day = dt.date.fromisoformat(r["day"]) if r["day"] else None
        except ValueError:
            raise bad("day", f"{r['day']!r} is not a date (YYYY-MM-DD)") from None
        place = _curated_place(r, gazetteer, path, line, profile.country)
        precision = r.get("day_precision") or ("exact" if day else "unknown")
        if precision not in _DAY_RANK:
            raise bad("day_precision", f"{precision!r} is not exact, approximate or unknown")
        confidence = (
            _float(path, line, "confidence", r["confidence"], 0, 1) if r.get("confidence") else 1.0
        )
        key = f"curated:{path.name}:{r['place']}:{r['kind']}:{r['actor']}:{r['day']}"
        excerpt = r.get("excerpt", "")
        events.append(
            ControlEvent(
                id=hashlib.sha256(key.encode()).hexdigest()[:16],
                article_id="",
                place=place,
                kind=r["kind"],
                actor=r["actor"],
                actor_raw=r["actor"],
                actor_basis="text",
                day=day,
                day_precision=precision,
                day_cue="curated",
                confidence=confidence,
                sentence=Span(0, len(excerpt)),
                trigger=Span(0, 0),
                place_span=Span(0, 0),
                excerpt=excerpt,
                origin="curated",
                source=r["source"],
            )
        )
    return events


def _curated_place(
    r: dict[str, str], gazetteer: Gazetteer, path: Path, line: int, country: str
) -> Place:
    if r.get("place_id"):
        place = gazetteer.place(r["place_id"])
        if place is None:
            msg = f"{path}:{line}: column 'place_id': unknown place id {r['place_id']!r}"
            raise DataError(msg)
        return place
    if r.get("lat") and r.get("lon"):
        lat = _float(path, line, "lat", r["lat"], -90, 90)
        lon = _float(path, line, "lon", r["lon"], -180, 180)
        slug = "".join(c if c.isalnum() else "-" for c in r["place"].lower()).strip("-")
        slug = f"{slug[:40]}@{lat:.4f},{lon:.4f}"  # same name, other spot: another place
        return Place(
            id=f"cu:{slug}",
            name=r["place"],
            lat=lat,
            lon=lon,
            country=country,
            kind="populated place",
            source=f"curated: {path.name}",
        )
    found = gazetteer.lookup(r["place"], country=country) if r["place"] else []
    if not found:
        msg = (
            f"{path}:{line}: column 'place': unknown place {r['place']!r} "
            "(give place_id, or lat and lon)"
        )
        raise DataError(msg)
    return found[0]


# ---------------------------------------------------------------------------
# fusion


def _day_rank(e: ControlEvent) -> int:
    if e.day is None:
        return _DAY_RANK["unknown"]
    if e.day_cue == "article date":
        return _DAY_RANK["article"]
    return _DAY_RANK[e.day_precision]


def _compatible(a: ControlEvent, b: ControlEvent, state: str) -> bool:
    """Two reports can be one change: same actor, or an actor that was only guessed, never
    across the line between the state's forces and anyone else."""
    if a.actor == b.actor:
        return True
    if state in {a.actor, b.actor}:
        return False
    return a.actor_basis in _FLEXIBLE or b.actor_basis in _FLEXIBLE


def _cluster(events: list[ControlEvent], state: str) -> list[list[ControlEvent]]:
    clusters: list[list[ControlEvent]] = []
    for e in sorted(events, key=lambda e: (e.actor_basis in _FLEXIBLE, _day_rank(e))):
        for c in clusters:
            if all(_compatible(e, other, state) for other in c):
                c.append(e)
                break
        else:
            clusters.append([e])
    return clusters


def _fused(reports: list[ControlEvent]) -> FusedEvent:
    first = reports[0]
    specific = [r.actor for r in reports if r.actor_basis not in _FLEXIBLE]
    actor = Counter(specific or [r.actor for r in reports]).most_common(1)[0][0]
    dated = [r for r in reports if r.day is not None]
    day, precision, disagreement = None, "unknown", False
    if dated:
        best_rank = min(_day_rank(r) for r in dated)
        best = [r.day for r in dated if _day_rank(r) == best_rank]
        counts = Counter(best)
        top = max(counts.values())
        day = min(d for d, n in counts.items() if n == top)
        precision = "exact" if best_rank == 0 else "approximate"
        explicit = [r.day for r in dated if _day_rank(r) == 0]
        bounds = [r.day for r in dated if _day_rank(r) == _DAY_RANK["article"]]
        disagreement = (bool(explicit) and (max(explicit) - min(explicit)).days > 1) or any(
            b < day for b in bounds if b is not None
        )
    days = [r.day for r in dated if r.day is not None]
    origins = sorted({r.origin for r in reports})
    n = len({r.article_id or r.source for r in reports})
    confidence = min(1.0, max(r.confidence for r in reports) + 0.05 * (n - 1))
    key = f"{first.place.id}:{first.kind}:{actor}:{day}"
    return FusedEvent(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        place=first.place,
        kind=first.kind,
        actor=actor,
        day=day,
        day_precision=precision,
        earliest=min(days) if days else None,
        latest=max(days) if days else None,
        disagreement=disagreement,
        confidence=round(confidence, 2),
        origin="+".join(origins),
        reports=tuple(sorted(reports, key=lambda r: (r.origin, r.article_id, r.trigger.start))),
    )


def fuse(events: Iterable[ControlEvent], profile: Profile | None = None) -> list[FusedEvent]:
    """Merge reports of the same change; keep disagreements visible rather than dropping them."""
    state = (profile or load_profile()).state
    groups: dict[tuple[str, str], list[ControlEvent]] = {}
    for e in events:
        groups.setdefault((e.place.id, e.kind), []).append(e)
    fused = [_fused(c) for g in groups.values() for c in _cluster(g, state)]
    return sorted(fused, key=lambda f: (f.day or dt.date.max, f.place.name, f.kind))


# ---------------------------------------------------------------------------
# daily state


def period_days(profile: Profile | None = None) -> list[dt.date]:
    """Every mapped day of the profile's period."""
    return (profile or load_profile()).days()
