"""Scoring against a gold set, shared by the tests and ``make bench``.

Seeds (:func:`score_places`): a gold place row is recalled when a mention in the same
article resolves within 25 km of its point (75 km for regions). A mention in Syria or a
neighbour that is near no gold row of its article counts against precision; mentions
elsewhere in the world are not scored (the gold set lists only some of them).

Development corpus (:func:`score_places_strict`), the rules the shared scorer applies:
a row is found when the article has a mention *of that name* (the same name, any spelling
of it) resolving within 15 km of the row's point (governorates and regions: 40 km);
precision counts mentions inside the region's box that land within 75 km of no row of
their article, countries, seas and continents left out.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Mention
from .profile import load_profile

__all__ = [
    "DevPlace",
    "EventScore",
    "GoldEvent",
    "GoldPlace",
    "MapScore",
    "PlaceScore",
    "haversine_km",
    "read_control_timeline",
    "read_gold_events",
    "read_gold_places",
    "read_traps",
    "score_events",
    "score_map",
    "score_places",
    "score_places_strict",
    "timeline_side",
]

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; enough for 25 km tolerances without a projection."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True, slots=True)
class GoldPlace:
    article: str
    surface: str
    lat: float
    lon: float
    kind: str
    country: str

    @property
    def tolerance_km(self) -> float:
        return 75.0 if self.kind == "region" else 25.0


def read_gold_places(path: str | Path) -> list[GoldPlace]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return [
            GoldPlace(
                r["seed"], r["surface"], float(r["lat"]), float(r["lon"]), r["type"], r["country"]
            )
            for r in csv.DictReader(f)
        ]


@dataclass(frozen=True, slots=True)
class PlaceScore:
    gold: int
    recalled: int
    scored_mentions: int
    correct_mentions: int
    missed: tuple[GoldPlace, ...]
    wrong: tuple[Mention, ...]

    @property
    def recall(self) -> float:
        return self.recalled / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct_mentions / self.scored_mentions if self.scored_mentions else 1.0


def _near(m: Mention, g: GoldPlace) -> bool:
    return haversine_km(m.place.lat, m.place.lon, g.lat, g.lon) <= g.tolerance_km


def score_places(mentions: Iterable[tuple[str, Mention]], gold: list[GoldPlace]) -> PlaceScore:
    """Score ``(article name, mention)`` pairs against gold rows."""
    by_article: dict[str, list[Mention]] = {}
    for name, m in mentions:
        by_article.setdefault(name, []).append(m)
    missed = tuple(g for g in gold if not any(_near(m, g) for m in by_article.get(g.article, ())))
    gold_by_article: dict[str, list[GoldPlace]] = {}
    for g in gold:
        gold_by_article.setdefault(g.article, []).append(g)
    region = load_profile().region
    scored = [
        (name, m)
        for name, ms in by_article.items()
        for m in ms
        if m.place.country in region and m.place.kind != "country"
    ]
    wrong = tuple(
        m for name, m in scored if not any(_near(m, g) for g in gold_by_article.get(name, ()))
    )
    return PlaceScore(
        len(gold), len(gold) - len(missed), len(scored), len(scored) - len(wrong), missed, wrong
    )


@dataclass(frozen=True, slots=True)
class GoldEvent:
    article: str
    place: str
    lat: float
    lon: float
    kind: str
    day: str  # YYYY-MM-DD or ""
    required: bool


def read_gold_events(path: str | Path) -> list[GoldEvent]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return [
            GoldEvent(
                r["seed"],
                r["place"],
                float(r["lat"]),
                float(r["lon"]),
                r["kind"],
                r["date"],
                r["scored"] == "required",
            )
            for r in csv.DictReader(f)
        ]


def read_traps(path: str | Path) -> list[tuple[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return [(r["seed"], r["text"]) for r in csv.DictReader(f)]


@dataclass(frozen=True, slots=True)
class EventScore:
    required: int
    recalled: int
    extracted: int
    correct: int
    dated: int
    dated_right: int
    traps: int
    traps_hit: tuple[str, ...]
    missed: tuple[GoldEvent, ...]
    wrong: tuple[str, ...]
    wrong_days: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.recalled / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def day_accuracy(self) -> float:
        return self.dated_right / self.dated if self.dated else 1.0


def _event_near(e: Any, g: GoldEvent) -> bool:
    return haversine_km(e.place.lat, e.place.lon, g.lat, g.lon) <= 25.0


def score_events(
    events: Iterable[tuple[str, Any]],
    gold: list[GoldEvent],
    traps: list[tuple[str, str]],
    texts: dict[str, str],
) -> EventScore:
    """Score ``(article name, ControlEvent)`` pairs (see eval/README.md for the rules).

    A required row matches an event of its article at its place (25 km) of its kind; an
    optional row matches on article and place. A trap is hit when an event's sentence
    contains the trap's text or the event's place is written inside the trap's text.
    """
    by_article: dict[str, list[Any]] = {}
    for name, e in events:
        by_article.setdefault(name, []).append(e)
    required = [g for g in gold if g.required]
    missed = tuple(
        g
        for g in required
        if not any(_event_near(e, g) and e.kind == g.kind for e in by_article.get(g.article, ()))
    )
    wrong = []
    extracted = 0
    for name, evs in by_article.items():
        for e in evs:
            extracted += 1
            rows = [g for g in gold if g.article == name and _event_near(e, g)]
            if not any(g.kind == e.kind or not g.required for g in rows):
                wrong.append(f"{name}: {e.kind} {e.place.name}")
    dated = [g for g in required if g.day]
    wrong_days = []
    for g in dated:
        match = [e for e in by_article.get(g.article, ()) if _event_near(e, g) and e.kind == g.kind]
        if not match or str(match[0].day or "") != g.day:
            got = str(match[0].day) if match else "no event"
            wrong_days.append(f"{g.article}: {g.kind} {g.place} gold {g.day}, got {got}")
    hit = []
    for article, trap in traps:
        text = texts.get(article, "")
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(trap), text)]
        for e in by_article.get(article, ()):
            inside = any(a <= e.place_span.start and e.place_span.end <= b for a, b in spans)
            if trap in e.excerpt or inside:
                hit.append(f"{article}: {trap!r} became {e.kind} {e.place.name}")
                break
    return EventScore(
        len(required),
        len(required) - len(missed),
        extracted,
        extracted - len(wrong),
        len(dated),
        len(dated) - len(wrong_days),
        len(traps),
        tuple(hit),
        missed,
        tuple(wrong),
        tuple(wrong_days),
    )


# ---------------------------------------------------------------------------- strict places


@dataclass(frozen=True, slots=True)
class DevPlace:
    """A place mention of the development corpus's gold (``places.csv``)."""

    article: str
    surface: str
    kind: str
    country: str
    lat: float
    lon: float

    @property
    def tolerance_km(self) -> float:
        return 40.0 if self.kind in ("governorate", "region") else 15.0


def read_dev_places(path: str | Path) -> list[DevPlace]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return [
            DevPlace(
                r["article"],
                r["surface"],
                r["type"],
                r["country"],
                float(r["lat"]),
                float(r["lon"]),
            )
            for r in csv.DictReader(f)
        ]


def _fold(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("province", "").replace("governorate", ""))


def same_name(a: str, b: str) -> bool:
    """One name in two spellings or with more words round it (the shared scorer's test)."""
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa[:5] == fb[:5] or fa in fb or fb in fa)


#: The shared scorer's box of Syria and its neighbours (lat, lon), and what it leaves out.
_BOX = ((29.0, 42.0), (33.0, 45.0))
_UNSCORED_KINDS = frozenset({"country", "continent", "sea"})


@dataclass(frozen=True, slots=True)
class StrictScore:
    gold: int
    found: int
    scored: int
    extra: tuple[tuple[str, Mention], ...]
    missed: tuple[DevPlace, ...]

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return 1 - len(self.extra) / self.scored if self.scored else 0.0


def score_places_strict(
    mentions: Iterable[tuple[str, Mention]], gold: list[DevPlace], *, country: str
) -> StrictScore:
    """Recall over the gold rows of ``country``; precision over mentions in the region's box."""
    by_article: dict[str, list[Mention]] = {}
    for name, m in mentions:
        by_article.setdefault(name, []).append(m)
    rows = [g for g in gold if g.country == country]

    def hit(g: DevPlace, m: Mention) -> bool:
        near = haversine_km(g.lat, g.lon, m.place.lat, m.place.lon) <= g.tolerance_km
        return near and same_name(m.surface, g.surface)

    missed = tuple(g for g in rows if not any(hit(g, m) for m in by_article.get(g.article, ())))
    (lat0, lat1), (lon0, lon1) = _BOX
    scored = [
        (name, m)
        for name, ms in by_article.items()
        for m in ms
        if lat0 < m.place.lat < lat1
        and lon0 < m.place.lon < lon1
        and m.place.kind not in _UNSCORED_KINDS
    ]
    extra = tuple(
        (name, m)
        for name, m in scored
        if not any(
            g.article == name and haversine_km(g.lat, g.lon, m.place.lat, m.place.lon) <= 75
            for g in gold
        )
    )
    return StrictScore(len(rows), len(rows) - len(missed), len(scored), extra, missed)


# ---------------------------------------------------------------------------
# the map against a control timeline (the rules of ``score.py map``)

#: Words that mark an actor of the opposition side in a timeline's free-text actors.
_OPPOSITION_WORDS = (
    "hts",
    "sna",
    "southern",
    "suwayda",
    "uprising",
    "opposition",
    "rebel",
    "local",
    "coalition",
)


def timeline_side(actor: str) -> str:
    """The side a timeline's actor text names: ``gov``, ``sdf``, ``opp`` or ``?``."""
    a = (actor or "").lower()
    if a in ("", "unknown", "unclear"):
        return "?"
    if "gov" in a or "regime" in a:
        return "gov"
    if "sdf" in a or "kurd" in a or "ypg" in a:
        return "sdf"
    return "opp" if any(k in a for k in _OPPOSITION_WORDS) else a


@dataclass(frozen=True, slots=True)
class MapScore:
    place_days: int
    within_a_day: int
    exact_day: int
    per_place: tuple[tuple[str, int], ...]  # place, days right within a day (worst first)

    @property
    def near(self) -> float:
        return self.within_a_day / self.place_days if self.place_days else 1.0

    @property
    def exact(self) -> float:
        return self.exact_day / self.place_days if self.place_days else 1.0


def read_control_timeline(path: str | Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return sorted(csv.DictReader(f), key=lambda r: r["date"])


def score_map(territory: Any, timeline: list[dict[str, str]], days: list[Any]) -> MapScore:
    """Agreement of the territory's side at each timeline place with the timeline's side,
    per day, on the day or a day either side (``score.py map``'s rule)."""
    import shapely

    by_day = {d: territory[territory["day"] == d] for d in days}
    trees = {d: (shapely.STRtree(t.geometry.to_numpy()), t) for d, t in by_day.items()}

    def drawn(lat: float, lon: float, d: Any) -> str:
        tree, frame = trees[d]
        hit = tree.query(shapely.Point(lon, lat), predicate="within")  # (x=lon, y=lat)
        if not len(hit):
            return "?"
        return timeline_side(str(frame.iloc[int(min(hit))]["controller"]))

    def truth(place: str, d: Any) -> str:
        changes = [g for g in timeline if g["place"] == place and g["event"] != "contested"]
        side = timeline_side(changes[0]["from_actor"]) if changes else "?"
        for g in changes:
            if g["date"] <= d.isoformat():
                side = timeline_side(g["to_actor"].split(";")[0])
        return side

    near = exact = n = 0
    per_place = {}
    for place in dict.fromkeys(g["place"] for g in timeline):
        g = next(x for x in timeline if x["place"] == place)
        lat, lon = float(g["lat"]), float(g["lon"])
        sides = {d: drawn(lat, lon, d) for d in days}
        ok_place = 0
        for k, d in enumerate(days):
            t = truth(place, d)
            window = [days[j] for j in (k - 1, k, k + 1) if 0 <= j < len(days)]
            ok = any(sides[w] == t for w in window)
            n += 1
            near += ok
            ok_place += ok
            exact += sides[d] == t
        per_place[place] = ok_place
    worst = tuple(sorted(per_place.items(), key=lambda kv: kv[1]))
    return MapScore(n, near, exact, worst)
