"""Which place a name found in an article denotes: the rules, one function each.

:mod:`geo.toponyms` finds the names; this module decides, for each, between the
gazetteer's candidates (30 times more of them than a city list has, so collisions with
words, people and same-named villages are the rule, not the exception):

1. **Weights** (:meth:`geo.gazetteer.Gazetteer.weight`): log population with the
   preferred country, a named country, the exact written form and the asked level.
2. **Facilities**: "X military airport", "the X border crossing", "X prison" resolve to
   the facility of that kind nearest X whose name holds X's (else the nearest one),
   never to the town (:func:`facility_for`).
3. **Regions**: "the X countryside", "western X", "rural X" become the region place of
   :mod:`geo.regions` around the town X names (:func:`region_for`).
4. **Spatial coherence**: among same-named candidates, the one near the article's other,
   unambiguous places wins; a neighbourhood wins when its town is named
   (:func:`cohere`).
5. **Fuzzy spellings**: a run that matched nothing but stands where a place stands (after
   "the village of", in a list with other places) takes the nearest Syrian spelling with
   the same consonants (:func:`fuzzy_key`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .gazetteer import Gazetteer, consonant_key, light_fold, normalise
from .models import Place
from .phrases import FACILITY_KINDS, Context
from .regions import countryside

__all__ = [
    "COHERENCE_MARGIN",
    "Choice",
    "candidates_for",
    "cohere",
    "facility_for",
    "fuzzy_keys",
    "generic_facility",
    "isolation_penalty",
    "region_for",
]

#: A name is ambiguous when the runner-up weighs within this much of the best.
COHERENCE_MARGIN = 2.0
#: Coherence bonus: NEAR_BONUS * exp(-d / NEAR_KM) for the nearest unambiguous place at d km.
NEAR_BONUS, NEAR_KM = 2.0, 40.0
FAR_PENALTY: tuple[tuple[float, float], ...] = ((1000.0, -1.5), (300.0, -0.5))
#: A neighbourhood or facility of a town the article names.
PARENT_BONUS = 2.5
#: Anchors this close in the text (characters) speak loudest; farther ones count this much.
LOCAL_CHARS, GLOBAL_SHARE = 300, 0.6
#: Candidates this close (km) are one spot, not an ambiguity.
SAME_SPOT_KM = 30.0
_UNITS = frozenset({"governorate", "district", "subdistrict"})
#: How far a facility may lie from the town a phrase names (km).
FACILITY_KM = {"air": 45.0, "crossing": 25.0, "base": 30.0}
DEFAULT_FACILITY_KM = 15.0
#: A facility whose name does not hold the town's must be this close to be the one meant.
UNNAMED_FACILITY_KM = 8.0
#: Similarity (rapidfuzz ratio) a fuzzy spelling needs; names of four consonants or
#: more that share them all need less (only their vowels differ: Horjelah ~ Harjilla).
FUZZY_CUTOFF = 80.0
FUZZY_CUTOFF_LONG = 70.0


@dataclass(slots=True)
class Choice:
    """A name found in an article and its weighed candidates, best first."""

    start: int
    end: int
    key: str
    ranked: list[tuple[float, Place]]
    how: str  # exact | alias | normalised | fuzzy:<score> | facility
    notes: list[str] = field(default_factory=list)
    context: Context | None = None
    #: the weights before coherence, which each round starts again from
    original: list[tuple[float, Place]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.original:
            self.original = list(self.ranked)

    @property
    def best(self) -> Place:
        return self.ranked[0][1]

    @property
    def extent(self) -> tuple[int, int]:
        """The span of the whole phrase: "Abu al-Duhur military airport", not the name alone."""
        if self.context is None or not (self.context.facility or self.context.region):
            return self.start, self.end
        return min(self.start, self.context.start), max(self.end, self.context.end)

    @property
    def ambiguous(self) -> bool:
        """Whether a candidate about as likely as the best lies somewhere else.

        The district or governorate a town is named after is not "somewhere else".
        """
        if len(self.ranked) < 2:
            return False
        top, best = self.ranked[0][0], self.ranked[0][1]
        return any(
            top - w < COHERENCE_MARGIN and p.kind not in _UNITS and _km(p, best) > SAME_SPOT_KM
            for w, p in self.ranked[1:]
        )


def _curated_here(p: Place, gaz: Gazetteer) -> bool:
    return p.country == gaz.focus and p.source.startswith(("region:", "alias:"))


def candidates_for(
    gaz: Gazetteer,
    key: str,
    surface: str,
    prefer: tuple[str, ...],
    cue: str | None,
    kinds: tuple[str, ...],
) -> tuple[list[tuple[float, Place]], str, list[str]] | None:
    """Weighed candidates of a key written as ``surface``, and how it matched (memoised)."""
    memo_key = ("candidates", key, surface, prefer, cue, kinds)
    cached = gaz.memo.get(memo_key)
    if cached is not None:
        return cached or None  # type: ignore[return-value]
    entries = [e for e in gaz.keys[key] if e.category == "place"]
    folded = light_fold(surface)
    exact = frozenset(e.ref for e in entries if folded in e.folded)
    if key in gaz.given_names:
        # "Ghazi" is a man before it is a respelling of Gaza
        entries = [e for e in entries if e.ref in exact or e.origin == "alias"]
    # Turkish, Hebrew and world names are written in fixed forms: only those count
    usable = [
        e for e in entries if e.ref in exact or gaz.places[e.ref].country in gaz.transliterated
    ]
    # our own tables name places of this war: a foreign place that only GeoNames' list of
    # other names calls so ("Jazira", a town in Iraq) yields to them
    if any(_curated_here(gaz.places[e.ref], gaz) for e in usable):
        usable = [
            e for e in usable if e.origin != "alternate" or gaz.places[e.ref].country == gaz.focus
        ]
    if not usable:
        gaz.memo[memo_key] = ()
        return None
    order = list(prefer)
    notes = []
    places = [gaz.places[e.ref] for e in usable]
    if cue and cue != prefer[0] and any(p.country == cue for p in places):
        order = [cue, *(c for c in prefer if c != cue)]
        notes.append(f"cue:{cue}")
    if kinds:
        notes.append(f"level:{kinds[0]}")
    options = {
        "prefer": order[0],
        "mentioned": frozenset(order[1:]),
        "kinds": frozenset(kinds),
        "exact": exact,
    }
    ranked = sorted(
        ((gaz.weight(p, **options), p) for p in set(places)),  # type: ignore[arg-type]
        key=lambda wp: (-wp[0], -wp[1].population, wp[1].id),
    )
    best = ranked[0][1]
    entry = next(e for e in usable if e.ref == best.id)
    how = "alias" if entry.origin == "alias" else "exact" if best.id in exact else "normalised"
    result = (ranked, how, notes)
    gaz.memo[memo_key] = result
    return result


def confidence_of(choice: Choice, prefer: tuple[str, ...]) -> float:
    """How sure a choice is: by how it matched, less when another country is as likely."""
    base = {"alias": 0.9, "exact": 0.95, "normalised": 0.8, "facility": 0.9, "generic": 0.7}.get(
        choice.how.split(":")[0], 0.65
    )
    if choice.how.startswith("fuzzy:"):
        base = 0.55 + max(0.0, float(choice.how.split(":")[1]) - FUZZY_CUTOFF) / 100
    best = choice.best
    if (
        len(choice.ranked) > 1
        and choice.ranked[1][1].country != best.country
        and best.country not in prefer
    ):
        base -= 0.15
        choice.notes.append("ambiguous")
    return round(base, 2)


_KM_PER_DEGREE = 111.2


def _km(a: Place, b: Place) -> float:
    """Distance in km, flat-earth (equirectangular): within 0.5 % over a few hundred km,
    and far cheaper than the haversine on the hot path."""
    dy = (b.lat - a.lat) * _KM_PER_DEGREE
    dx = (b.lon - a.lon) * _KM_PER_DEGREE * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def facility_for(gaz: Gazetteer, place: Place, context: Context, key: str) -> Place | None:
    """The facility a phrase like "X military airport" names, near the place X resolved to."""
    kinds = FACILITY_KINDS.get(context.facility, ())
    if place.kind in kinds:
        return place
    reach = FACILITY_KM.get(context.facility, DEFAULT_FACILITY_KM)
    memo_key = ("facility", place.id, context.facility, key)
    if memo_key in gaz.derived:
        return gaz.derived[memo_key]  # type: ignore[return-value]
    near = [
        (f, _km(place, f))
        for f in gaz.facilities(kinds)
        if f.country == place.country and _km(place, f) <= reach
    ]
    # one whose own name holds the town's ("Abu ad Duhur Air Base" for Abu al-Duhur); an
    # unnamed one only when it is right there (an air base a few km out of town)
    named = [
        (f, d)
        for f, d in near
        if any(key in normalise(n) for n in (f.name, f.gazetteer_name, *f.aliases) if n)
    ]
    pool = named or [(f, d) for f, d in near if d <= UNNAMED_FACILITY_KM]
    found = min(pool, key=lambda fd: fd[1])[0] if pool else None
    gaz.derived[memo_key] = found
    return found


def region_for(gaz: Gazetteer, place: Place, context: Context) -> Place | None:
    """The region "the X countryside" or "western X" makes of the place X resolved to."""
    if place.kind == "populated place":
        town: Place | None = place
    elif place.kind in ("governorate", "district"):
        town = gaz.seat_of(place)
    else:
        return None  # "eastern Ghouta" is the region itself; facilities have no countryside
    return countryside(gaz, town, context.bearing) if town is not None else None


def _nearness(p: Place, anchors: Sequence[Place]) -> float:
    d = min((_km(p, a) for a in anchors if a.id != p.id), default=None)
    if d is None:
        return 0.0
    far = next((loss for beyond, loss in FAR_PENALTY if d > beyond), 0.0)
    return far or NEAR_BONUS * math.exp(-d / NEAR_KM)


def cohere(choices: Sequence[Choice]) -> None:
    """Re-rank ambiguous choices by their nearness to the article's unambiguous places.

    Anchors are the choices that are not ambiguous and are towns, neighbourhoods or
    facilities (an admin unit's centroid says little about where a story is); those
    within :data:`LOCAL_CHARS` of the name count fully, the others by :data:`GLOBAL_SHARE`.
    """
    settled: set[int] = set()
    for _ in range(2):  # what the first round settles anchors the second
        # a choice's ranking changes only when its own turn comes, so this round's
        # ambiguity can be read once, up front
        unsure = [c.ambiguous for c in choices]
        firm = [
            c
            for i, c in enumerate(choices)
            if (i in settled or not unsure[i]) and c.best.kind not in _UNITS
        ]
        anchors = [c.best for c in firm]
        named = {c.best.id for c in firm}
        overall: dict[str, float] = {}  # nearness to all anchors, the same for every choice
        for i, c in enumerate(choices):
            if i in settled or (
                not unsure[i] and not any(p.parent in named for _, p in c.original if p.parent)
            ):
                continue
            local = [a.best for a in firm if a is not c and abs(a.start - c.start) <= LOCAL_CHARS]
            near_ids = {a.id for a in local}
            rescored = []
            for w, p in c.original:
                far = overall.get(p.id)
                if far is None:
                    far = overall[p.id] = GLOBAL_SHARE * _nearness(p, anchors)
                near = max(_nearness(p, local), far)
                if p.parent and p.parent in named:
                    # a part of a town: its town named close by says so; named pages
                    # away, less; and the town's nearness is the same evidence, not more
                    share = 1.0 if p.parent in near_ids else GLOBAL_SHARE
                    near = max(near, PARENT_BONUS * share)
                rescored.append((w + near, p))
            rescored.sort(key=lambda wp: (-wp[0], -wp[1].population, wp[1].id))
            if rescored[0][1].id != c.original[0][1].id and "near" not in c.notes:
                c.notes.append("near")
            c.ranked = rescored
            if rescored[0][0] - (rescored[1][0] if len(rescored) > 1 else 0.0) >= 1.0:
                settled.add(i)


#: How far from a place named in its sentence a bare facility noun may point (km).
GENERIC_FACILITY_KM = 40.0
_AIR_KINDS = ("air base", "airport")


def generic_facility(
    gaz: Gazetteer, head: str, near: Sequence[Place]
) -> tuple[Place, float] | None:
    """The facility a bare noun phrase means ("the military academy", "a military airbase"):
    of those whose name holds the noun (or of the air kinds for an air field), the one
    nearest the places named around it, if within :data:`GENERIC_FACILITY_KM`."""
    if not near:
        return None
    is_air = any(w in head for w in ("air base", "airbase", "airport", "airfield"))
    pool = gaz.named_like(head, _AIR_KINDS if is_air else ())
    reach = GENERIC_FACILITY_KM / _KM_PER_DEGREE * 1.5  # degrees, a loose box first
    best: tuple[Place, float] | None = None
    for f in pool:
        close = [p for p in near if abs(p.lat - f.lat) < reach and abs(p.lon - f.lon) < reach]
        if not close:
            continue
        d = min(_km(f, p) for p in close)
        if d <= GENERIC_FACILITY_KM and (best is None or d < best[1]):
            best = (f, d)
    return best


#: A village spelt otherwise than the gazetteer writes it, this far (km) from every other
#: place an article names, is more likely a village the gazetteer lacks than this one.
ISOLATED_KM, ISOLATED_PENALTY = 150.0, 0.35
_VILLAGE_CODES = frozenset({"", "PPL", "PPLL", "STLMT"})


def isolation_penalty(choice: Choice, choices: Sequence[Choice]) -> float:
    """How much less sure a folded or fuzzy match of a village far from the rest is."""
    best = choice.best
    if (
        best.kind != "populated place"
        or best.population
        or best.feature not in _VILLAGE_CODES
        or (choice.how not in ("normalised",) and not choice.how.startswith("fuzzy"))
    ):
        return 0.0
    others = [
        c.best for c in choices if c is not choice and not c.ambiguous and c.best.kind not in _UNITS
    ]
    if len(others) < 2 or min(_km(best, o) for o in others) <= ISOLATED_KM:
        return 0.0
    return ISOLATED_PENALTY


def fuzzy_keys(keys: Sequence[str], gaz: Gazetteer) -> tuple[tuple[str, float], ...]:
    """The country's keys close to an unmatched run: same consonants, similar skeleton.

    All that pass the cutoff, best first: which of them is meant is for the weights and
    the article's other places to say (Inhal is Inkhil, a town, before Nahl, a hamlet).
    """
    kept = [k for k in keys if k]
    if not kept or len(kept) > 3 or any(k in gaz.given_names for k in kept):
        return ()
    key = " ".join(kept)
    consonants = consonant_key(key)
    pool = gaz.consonant_index.get(consonants, ())
    cutoff = FUZZY_CUTOFF_LONG if len(consonants) >= 4 else FUZZY_CUTOFF
    scored = sorted(((fuzz.ratio(key, c), c) for c in pool), reverse=True)
    return tuple((c, score) for score, c in scored if score >= cutoff)
