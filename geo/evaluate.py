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

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._io import number, read_table
from .models import Article, Mention
from .profile import load_profile

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = [
    "EventScore",
    "FoundEvent",
    "GoldEvent",
    "GoldPlace",
    "MapScore",
    "PlaceScore",
    "extract_found",
    "found_events",
    "haversine_km",
    "read_control_timeline",
    "read_gold_events",
    "read_gold_places",
    "read_traps",
    "score_events",
    "score_events_by_file",
    "score_map",
    "score_places",
    "score_places_strict",
    "timeline_side",
    "worst_files",
]

EARTH_RADIUS_KM = 6371.0088
_Row = TypeVar("_Row")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; enough for 25 km tolerances without a projection."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True, slots=True)
class GoldPlace:
    """A place row of a gold set: the seeds' ``seed_places.csv`` or the development
    corpus's ``places.csv`` (how near a mention must land is the scorer's rule, not the row's).
    """

    article: str
    surface: str
    kind: str
    country: str
    lat: float
    lon: float


def read_gold_places(path: str | Path) -> list[GoldPlace]:
    """Gold place rows (``article`` or, in the seeds' file, ``seed`` names the article)."""
    return [
        GoldPlace(article, r["surface"], r["type"], r["country"], lat, lon)
        for article, r, lat, lon in _gold_rows(path, ("surface", "lat", "lon", "type", "country"))
    ]


def _gold_rows(
    path: str | Path, columns: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, str], float, float]]:
    """Each row of a gold file with ``columns`` (``lat`` and ``lon`` among them): its
    article (``article`` or, in the seeds' files, ``seed``), the row and its point, checked."""
    path = Path(path)
    for r in read_table(path, columns):
        yield _article_column(r), r, number(r["lat"], path, "lat"), number(r["lon"], path, "lon")


def _article_column(row: dict[str, str]) -> str:
    return row.get("article") or row.get("seed") or ""


#: How near a gold row's point a mention must resolve, by the row's kind ("*": any other):
#: the seeds' rule and the shared scorer's for the development corpus.
_SEED_KM = {"region": 75.0, "*": 25.0}
_DEV_KM = {"governorate": 40.0, "region": 40.0, "*": 15.0}


def _near(m: Mention, g: GoldPlace, km: Mapping[str, float]) -> bool:
    return haversine_km(m.place.lat, m.place.lon, g.lat, g.lon) <= km.get(g.kind, km["*"])


@dataclass(frozen=True, slots=True)
class _Recall(Generic[_Row]):
    """Recall over the rows to find (``gold``): found are those not ``missed``."""

    gold: int
    missed: tuple[_Row, ...]

    @property
    def found(self) -> int:
        return self.gold - len(self.missed)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


@dataclass(frozen=True, slots=True)
class PlaceScore(_Recall[GoldPlace]):
    """Recall over the gold rows; precision over the mentions the scorer judges."""

    scored: int
    extra: tuple[tuple[str, Mention], ...]  # (article, mention) near no gold place

    @property
    def precision(self) -> float:
        return 1 - len(self.extra) / self.scored if self.scored else 1.0


def _by_article(mentions: Iterable[tuple[str, Mention]]) -> dict[str, list[Mention]]:
    """The mentions of each article, by its name, in their order."""
    by_article: dict[str, list[Mention]] = {}
    for name, m in mentions:
        by_article.setdefault(name, []).append(m)
    return by_article


def score_places(mentions: Iterable[tuple[str, Mention]], gold: list[GoldPlace]) -> PlaceScore:
    """Score ``(article name, mention)`` pairs against gold rows."""
    by_article = _by_article(mentions)
    missed = tuple(
        g for g in gold if not any(_near(m, g, _SEED_KM) for m in by_article.get(g.article, ()))
    )
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
    extra = tuple(
        (name, m)
        for name, m in scored
        if not any(_near(m, g, _SEED_KM) for g in gold_by_article.get(name, ()))
    )
    return PlaceScore(len(gold), missed, len(scored), extra)


# ---------------------------------------------------------------------------
# events: the rules of ../shared/eval/README.md, as ``score.py events`` applies them


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold row: an (article, place, kind) the text reports; optional rows are weak signals."""

    article: str
    place: str
    lat: float
    lon: float
    kind: str
    day: str  # YYYY-MM-DD or ""
    required: bool


@dataclass(frozen=True, slots=True)
class FoundEvent:
    """One row of ``geo events`` output, as the scorer reads it."""

    article: str
    place: str
    lat: float
    lon: float
    kind: str
    day: str
    excerpt: str


def read_gold_events(path: str | Path) -> list[GoldEvent]:
    """Gold events (``article`` or, in the seeds' file, ``seed`` names the article)."""
    columns = ("place", "lat", "lon", "kind", "date", "scored")
    return [
        GoldEvent(article, r["place"], lat, lon, r["kind"], r["date"], r["scored"] == "required")
        for article, r, lat, lon in _gold_rows(path, columns)
    ]


def read_traps(path: str | Path) -> list[tuple[str, str]]:
    """(article, text) of each trap: text that must not become an event."""
    return [(_article_column(r), r["text"]) for r in read_table(Path(path), ("text",))]


def found_events(rows: Iterable[dict[str, Any]]) -> list[FoundEvent]:
    """Rows of the events CSV (or :func:`geo.export.events_frame` records) to score."""
    out = []
    for r in rows:
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (KeyError, TypeError, ValueError):
            lat = lon = math.nan
        out.append(
            FoundEvent(
                str(r["article"]),
                str(r.get("place", "")),
                lat,
                lon,
                str(r["kind"]),
                str(r.get("day") or ""),
                str(r.get("excerpt") or ""),
            )
        )
    return out


#: Kinds close enough for a trap not to count (a capture reported as an entry).
_CLOSE = frozenset(
    {("captured", "entered"), ("entered", "captured"), ("withdrawal", "captured"),
     ("captured", "withdrawal")}
)  # fmt: skip


def _near_gold(g: GoldEvent, e: FoundEvent) -> bool:
    return e.article == g.article and haversine_km(g.lat, g.lon, e.lat, e.lon) <= 25.0


def _matches(g: GoldEvent, e: FoundEvent, *, strict: bool = True) -> bool:
    return _near_gold(g, e) and (g.kind == e.kind or (not strict and (g.kind, e.kind) in _CLOSE))


@dataclass(frozen=True, slots=True)
class EventScore(_Recall[GoldEvent]):
    """Precision, recall, F1, the day and the traps, overall or for one file.

    ``gold`` counts the required rows. Each count stands with the rows that fell short of
    it and the figures are derived from those, so the two can never disagree.
    """

    judged: int
    extra: tuple[FoundEvent, ...]  # judged events that match no required row
    dated: int
    wrong_days: tuple[str, ...]
    traps: int
    traps_hit: tuple[str, ...]

    @property
    def wrong(self) -> int:
        return len(self.extra)

    @property
    def dated_right(self) -> int:
        return self.dated - len(self.wrong_days)

    @property
    def precision(self) -> float:
        return 1 - self.wrong / self.judged if self.judged else (1.0 if not self.wrong else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def day_accuracy(self) -> float:
        return self.dated_right / self.dated if self.dated else 1.0

    @property
    def extracted(self) -> int:
        return self.judged

    @property
    def correct(self) -> int:
        return self.judged - self.wrong

    def line(self, label: str) -> str:
        """The figure as ``score.py`` prints it."""
        return (
            f"{label}: F1 {self.f1:.3f} (P {self.precision:.3f} R {self.recall:.3f}) "
            f"day {self.dated_right}/{self.dated} "
            f"traps {self.traps - len(self.traps_hit)}/{self.traps} rejected"
        )


def score_events(
    found: Iterable[FoundEvent], gold: list[GoldEvent], traps: list[tuple[str, str]]
) -> EventScore:
    """Score extracted events as ``../shared/eval/score.py events`` does.

    A required row is found when an event of its article lies within 25 km with its kind;
    an event near an optional row (and matching no required one) is not judged; a judged
    event matching no required row is wrong. A dated row's day is right when a matching
    event has its day. A trap is hit when an event's excerpt holds the trap's text and the
    event matches no row at all (kinds compared loosely).
    """
    found = list(found)
    required = [g for g in gold if g.required]
    optional = [g for g in gold if not g.required]
    missed = tuple(g for g in required if not any(_matches(g, e) for e in found))

    def judged_event(e: FoundEvent) -> bool:
        weak = any(_near_gold(g, e) for g in optional)
        return not weak or any(_matches(g, e) for g in required)

    judged = [e for e in found if judged_event(e)]
    extra = tuple(e for e in judged if not any(_matches(g, e) for g in required))
    dated = [g for g in required if g.day]
    wrong_days = tuple(
        f"{g.article[:3]} {g.place} {g.kind}: gold {g.day}, got "
        + (",".join(sorted({e.day or "none" for e in found if _matches(g, e)})) or "no event")
        for g in dated
        if not any(_matches(g, e) and e.day == g.day for e in found)
    )
    hits = tuple(
        f"{article[:3]} {text[:60]}"
        for article, text in traps
        if any(
            e.article == article
            and text in e.excerpt
            and not any(_matches(g, e, strict=False) for g in gold)
            for e in found
        )
    )
    return EventScore(
        len(required), missed, len(judged), extra, len(dated), wrong_days, len(traps), hits
    )


# ---------------------------------------------------------------------------- strict places


def _fold(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("province", "").replace("governorate", ""))


def same_name(a: str, b: str) -> bool:
    """One name in two spellings or with more words round it (the shared scorer's test)."""
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa[:5] == fb[:5] or fa in fb or fb in fa)


def score_places_strict(
    mentions: Iterable[tuple[str, Mention]], gold: list[GoldPlace], *, country: str
) -> PlaceScore:
    """Recall over the gold rows of ``country``; precision over mentions in the region's box."""
    by_article = _by_article(mentions)
    rows = [g for g in gold if g.country == country]

    def hit(g: GoldPlace, m: Mention) -> bool:
        return _near(m, g, _DEV_KM) and same_name(m.surface, g.surface)

    missed = tuple(g for g in rows if not any(hit(g, m) for m in by_article.get(g.article, ())))
    rules = load_profile().evaluation
    (lat0, lat1), (lon0, lon1) = rules["box"]
    unscored = frozenset(rules.get("unscored_kinds", ()))
    scored = [
        (name, m)
        for name, ms in by_article.items()
        for m in ms
        if lat0 < m.place.lat < lat1 and lon0 < m.place.lon < lon1 and m.place.kind not in unscored
    ]
    extra = tuple(
        (name, m)
        for name, m in scored
        if not any(
            g.article == name and haversine_km(g.lat, g.lon, m.place.lat, m.place.lon) <= 75
            for g in gold
        )
    )
    return PlaceScore(len(rows), missed, len(scored), extra)


# ---------------------------------------------------------------------------
# the map against a control timeline (the rules of ``score.py map``)


def timeline_side(actor: str) -> str:
    """The side a timeline's free-text actor names, by the profile's ``[evaluation]`` word
    lists (the first that matches), ``?`` when unknown, else the text itself."""
    rules = load_profile().evaluation
    a = (actor or "").lower()
    if a in rules.get("unknown_actors", ("",)):
        return "?"
    for side, words in rules.get("sides", {}).items():
        if any(w in a for w in words):
            return side
    return a


@dataclass(frozen=True, slots=True)
class MapScore:
    """How the map agrees with a control timeline: of ``place_days``, how many have the
    timeline's side within a day and on the exact day, and each place's count."""

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
    return sorted(read_table(Path(path), ("place", "date")), key=lambda r: r["date"])


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


def score_events_by_file(
    found: Iterable[FoundEvent], gold: list[GoldEvent], traps: list[tuple[str, str]]
) -> dict[str, EventScore]:
    """:func:`score_events` for each article of the gold set (the rules apply per article)."""
    found = list(found)
    names = sorted({g.article for g in gold} | {a for a, _ in traps})
    return {
        name: score_events(
            [e for e in found if e.article == name],
            [g for g in gold if g.article == name],
            [t for t in traps if t[0] == name],
        )
        for name in names
    }


def worst_files(by_file: dict[str, EventScore], n: int = 5) -> list[tuple[str, EventScore]]:
    """The files that lose most: missed rows plus wrong events plus traps hit."""

    def cost(item: tuple[str, EventScore]) -> tuple[int, float]:
        s = item[1]
        return (-(len(s.missed) + s.wrong + len(s.traps_hit)), s.f1)

    return sorted(by_file.items(), key=cost)[:n]


def extract_found(articles: Iterable[Article], gazetteer: Gazetteer) -> list[FoundEvent]:
    """What ``geo events`` writes for these articles (places, events, fusion), to score."""
    from .events import extract_events
    from .export import events_frame
    from .timeline import fuse
    from .toponyms import find_mentions

    articles = list(articles)
    reports = [
        e
        for a in articles
        for e in extract_events(a, find_mentions(a, gazetteer), gazetteer=gazetteer)
    ]
    frame = events_frame(fuse(reports), articles)
    return found_events(frame.drop(columns="geometry").to_dict("records"))
