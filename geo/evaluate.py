"""Scoring against a gold set, shared by the tests and ``make bench``.

A gold place row is recalled when a mention in the same article resolves within
25 km of its point (75 km for regions). A mention in Syria or a neighbour that
is near no gold row of its article counts against precision; mentions elsewhere
in the world are not scored (the gold set lists only some of them).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .gazetteer import REGION
from .models import Mention

__all__ = ["GoldPlace", "PlaceScore", "haversine_km", "read_gold_places", "score_places"]

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
    scored = [
        (name, m)
        for name, ms in by_article.items()
        for m in ms
        if m.place.country in REGION and m.place.kind != "country"
    ]
    wrong = tuple(
        m for name, m in scored if not any(_near(m, g) for g in gold_by_article.get(name, ()))
    )
    return PlaceScore(
        len(gold), len(gold) - len(missed), len(scored), len(scored) - len(wrong), missed, wrong
    )
