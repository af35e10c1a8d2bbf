"""The offline gazetteer: every place frontline can name, behind one name index.

:mod:`geo.index` assembles the places from their sources (Who's On First, Open-Syria,
GeoNames, OurAirports, the world supplement and the profile's alias table; see
:mod:`geo.sources`) at set-up time and keeps the built :class:`Gazetteer` as a
git-ignored file that loads in a fraction of a second. This module is the index itself:
names filed under their matching keys (:func:`geo.names.normalise`), the countries,
organisations and people that must not be read as places, and ranked look-ups.

A place is filed under its common English name, the source's own spelling and every
usable alternate; Arabic names go in a separate table for the place search.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import ahocorasick

from .errors import DataError
from .models import Place
from .names import consonant_key, light_fold, normalise, skeleton_token
from .place_tables import AliasRow

if TYPE_CHECKING:
    from .profile import Profile

__all__ = [
    "Entry",
    "Gazetteer",
    "arabic_key",
    "build_gazetteer",
    "consonant_key",
    "light_fold",
    "load_gazetteer",
    "normalise",
    "skeleton_token",
]


def load_gazetteer(profile: Profile | None = None) -> Gazetteer:
    """The profile's built gazetteer (see :func:`geo.index.load_gazetteer`)."""
    from .index import load_gazetteer as load

    return load(profile)


_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)


def arabic_key(name: str) -> str:
    """An Arabic name without vowel marks and tatweel, hamza seats and ta marbuta unified."""
    return " ".join(_ARABIC_MARKS.sub("", name).translate(_ARABIC_FOLD).split())


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _is_arabic(name: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in name)


# ---------------------------------------------------------------------------
# the index


class Entry(NamedTuple):
    """What a key points to: a place, or a country / organisation / person name.

    ``origin`` says which name produced the key (``name``, ``alias``, ``alternate``,
    ``table``), and ``folded`` holds those names' :func:`light_fold`, which tells an
    exact match from a normalised one. A named tuple, not a dataclass: about 50,000 of
    them are unpickled at every start, and a tuple loads several times faster.
    """

    category: str  # place | country | org | person
    ref: str  # place id, ISO country code, or the organisation's name
    origin: str
    folded: tuple[str, ...]


_ORIGIN_RANK = {"alias": 0, "name": 1, "table": 1, "alternate": 2}


#: How much less a kind of place is the usual meaning of a bare name: a town before the
#: district or governorate named after it (whose population counts all its villages), an
#: airport or heliport last.
KIND_PENALTY = {
    "capital": 0.0,
    "populated place": 0.0,
    "city": 0.0,
    "neighbourhood": 0.3,
    "region": 0.3,
    "air base": 0.3,
    "military base": 0.3,
    "prison": 0.3,
    "border crossing": 0.3,
    "airport": 0.8,
    "district": 2.5,
    "governorate": 2.0,
    "subdistrict": 3.0,
    "heliport": 2.0,
}
#: Weights of :meth:`Gazetteer.weight` (log10 population is the unit).
PREFERRED_COUNTRY = 2.0
REGION_COUNTRY = 1.0
MENTIONED_COUNTRY = 1.0
EXACT_FORM = 0.8
FOLDED_FORM = -0.4
#: In a transliterated country the written form says less (villages' spellings vary).
EXACT_FORM_TRANSLITERATED = 0.3
FOLDED_FORM_TRANSLITERATED = 0.0
LEVEL_ASKED = 3.0
LEVEL_NOT_ASKED = -1.0
#: A town whose population no source gives is weighed as this many people, by what it
#: is the seat of (GeoNames feature codes): a district seat is no hamlet.
DEFAULT_POPULATION = {"PPLC": 1_000_000, "PPLA": 100_000, "PPLA2": 20_000, "PPLA3": 5_000}
VILLAGE_POPULATION = 500
#: A region or facility of the profile's own tables weighs as a small town: the press
#: names it, so a same-named place elsewhere is no sure winner (coherence decides). A
#: part of a town weighs as a village: without its town named, a same-named town wins.
CURATED_SIZE = 5000
_CURATED = ("region:", "alias:")
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2"})
_TOWNS_AND_UNITS = frozenset({"populated place", "governorate", "district", "subdistrict"})


@dataclass
class Gazetteer:
    """Places and a name index over them; build with :func:`build_gazetteer`."""

    places: dict[str, Place]
    keys: dict[str, tuple[Entry, ...]]
    countries: dict[str, str]  # iso2 -> name
    neighbours: dict[str, tuple[str, ...]]
    given_names: frozenset[str]
    institution_words: frozenset[str]
    title_words: frozenset[str]
    place_words: frozenset[str]
    consonant_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the profile's country (preferred when an article names none) and its neighbours
    focus: str = ""
    region: tuple[str, ...] = ()
    #: countries whose names are transliterated from Arabic: spelling variants are folded
    transliterated: frozenset[str] = frozenset()
    #: polygons (WKB, EPSG:4326) of admin units and named regions, by place id
    shapes: dict[str, bytes] = field(default_factory=dict, repr=False)
    #: Arabic names (see :func:`arabic_key`) -> place ids, for the place search
    arabic: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)
    #: memo of :mod:`geo.toponyms` (runs of names and their resolutions recur in a corpus)
    memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    #: lookups made from the index itself (facilities by kind, seats, region shapes): kept
    #: when the memo is cleared, since they depend on nothing an article says
    derived: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def automaton(self) -> ahocorasick.Automaton:
        """Aho-Corasick automaton over ``" key "`` strings: whole-word matches in skeleton text."""
        if self._automaton is None:
            auto = ahocorasick.Automaton()
            for key in self.keys:
                auto.add_word(f" {key} ", key)
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def entries(self, name: str) -> tuple[Entry, ...]:
        return self.keys.get(normalise(name), ())

    def candidates(self, name: str) -> list[Place]:
        """Places a name may denote, unranked."""
        return [self.places[e.ref] for e in self.entries(name) if e.category == "place"]

    def weight(
        self,
        p: Place,
        *,
        prefer: str | None = None,
        mentioned: frozenset[str] | set[str] = frozenset(),
        kinds: frozenset[str] | set[str] = frozenset(),
        exact: frozenset[str] | set[str] | None = None,
    ) -> float:
        """How likely a bare name means ``p``: log population, weighed with where it is.

        The preferred country (the article's, else the profile's) and its neighbours get a
        bonus, so does a country the text names; a form written exactly as the place's
        own name beats a folded spelling (``exact`` holds those place ids); a level the
        text asks for ("Homs province") beats the town. So a Syrian hamlet whose folded
        name is "Ankara" does not beat Turkey's capital, and "Tripoli" is Lebanon's port
        unless Libya is named.
        """
        size = p.population or (
            DEFAULT_POPULATION.get(p.feature, VILLAGE_POPULATION)
            if p.kind == "populated place"
            else VILLAGE_POPULATION
            if p.kind == "neighbourhood"
            else CURATED_SIZE
            if p.source.startswith(_CURATED)
            else 0
        )
        w = math.log10(size + 10) - KIND_PENALTY.get(p.kind, 0.5)
        if p.country == (prefer or self.focus):
            w += PREFERRED_COUNTRY
        elif p.country in self.region:
            w += REGION_COUNTRY
        if p.country in mentioned:
            w += MENTIONED_COUNTRY
        if exact is not None:
            if p.country in self.transliterated:
                w += EXACT_FORM_TRANSLITERATED if p.id in exact else FOLDED_FORM_TRANSLITERATED
            else:
                w += EXACT_FORM if p.id in exact else FOLDED_FORM
        if kinds:
            w += LEVEL_ASKED if p.kind in kinds else LEVEL_NOT_ASKED
        return w

    def rank(
        self,
        places: Iterable[Place],
        *,
        prefer: Iterable[str] | str | None = None,
        mentioned: Iterable[str] = (),
        kinds: Iterable[str] = (),
        exact: Iterable[str] | None = None,
    ) -> list[Place]:
        """Candidates, most likely first (see :meth:`weight`; ties: the bigger, then by id)."""
        first = prefer if isinstance(prefer, str) or prefer is None else next(iter(prefer), None)
        options = {
            "prefer": first,
            "mentioned": frozenset(mentioned),
            "kinds": frozenset(kinds),
            "exact": frozenset(exact) if exact is not None else None,
        }
        return sorted(set(places), key=lambda p: (-self.weight(p, **options), -p.population, p.id))

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]:
        """Ranked places for a name; ``country`` (ISO 3166 alpha-2) restricts them."""
        entries = [e for e in self.entries(name) if e.category == "place"]
        found = [self.places[e.ref] for e in entries]
        folded = light_fold(name)
        exact = {e.ref for e in entries if folded in e.folded}
        if _is_arabic(name):
            ids = self.arabic.get(arabic_key(name), ())
            found += [self.places[i] for i in ids]
            exact.update(ids)
        if country:
            found = [p for p in found if p.country == country.upper()]
        return self.rank(found, exact=exact)

    def place(self, place_id: str) -> Place | None:
        """The place of an id, regions made from phrases (``rg:<town>:<bearing>``) included."""
        found = self.places.get(place_id)
        if found is None and place_id.startswith("rg:"):
            from .regions import derived_place

            found = derived_place(self, place_id)
        return found

    def shape(self, place_id: str) -> Any:
        """The polygon of an admin unit or region (shapely, EPSG:4326), or ``None``."""
        import shapely

        data = self.shapes.get(place_id)
        if data is not None:
            return shapely.from_wkb(data)
        from .regions import region_shape

        return region_shape(self, place_id)

    def governorate_shape(self, admin1: str, country: str) -> Any:
        """The polygon of the governorate called ``admin1`` in ``country``, or ``None``."""
        memo = ("governorate-shape", admin1, country)
        if memo not in self.derived:
            unit = next(
                (
                    p
                    for p in self.places.values()
                    if p.kind == "governorate" and p.name == admin1 and p.country == country
                ),
                None,
            )
            self.derived[memo] = self.shape(unit.id) if unit is not None else None
        return self.derived[memo]

    def facilities(self, kinds: Iterable[str]) -> list[Place]:
        """Every place of these kinds (air bases, crossings, prisons...)."""
        memo = ("facilities", tuple(sorted(kinds)))
        if memo not in self.derived:
            wanted = set(kinds)
            self.derived[memo] = [p for p in self.places.values() if p.kind in wanted]
        return self.derived[memo]  # type: ignore[return-value]

    def named_like(self, head: str, kinds: Iterable[str] = ()) -> list[Place]:
        """Facilities and regions one of whose names holds ``head`` ("military academy"), or,
        given ``kinds``, every place of those kinds: what a bare noun phrase can mean."""
        memo = ("named-like", head, tuple(sorted(kinds)))
        if memo not in self.derived:
            folded, wanted = light_fold(head), set(kinds)
            found = {p.id for p in self.places.values() if p.kind in wanted}
            found.update(
                ref for ref, forms in self._sites_forms() if any(folded in f for f in forms)
            )
            self.derived[memo] = [self.places[i] for i in sorted(found)]
        return self.derived[memo]  # type: ignore[return-value]

    def _sites_forms(self) -> list[tuple[str, tuple[str, ...]]]:
        """(place id, folded names) of every facility and region: one pass over the index
        for all the heads an article's bare nouns ask about, not one pass each."""
        memo = ("sites-forms",)
        if memo not in self.derived:
            towns = {i for i, p in self.places.items() if p.kind in _TOWNS_AND_UNITS}
            self.derived[memo] = [
                (e.ref, e.folded)
                for entries in self.keys.values()
                for e in entries
                if e.category == "place" and e.ref not in towns
            ]
        return self.derived[memo]  # type: ignore[return-value]

    def seat_of(self, unit: Place) -> Place | None:
        """The town a governorate or district is named after and run from."""
        memo = ("seat", unit.id)
        if memo not in self.derived:
            attr = "admin1" if unit.kind == "governorate" else "admin2"
            key = normalise(unit.name)
            towns = [
                self.places[e.ref]
                for e in self.keys.get(key, ())
                if e.category == "place" and self.places[e.ref].kind == "populated place"
            ]
            towns = [t for t in towns if getattr(t, attr) == unit.name] or [
                t for t in towns if t.country == unit.country
            ]
            self.derived[memo] = max(towns, key=lambda t: t.population) if towns else None
        return self.derived[memo]  # type: ignore[return-value]

    def __getstate__(self) -> dict[str, Any]:
        # the memo is per process; the automaton pickles (pyahocorasick supports it)
        state = dict(self.__dict__)
        state["memo"] = {}
        state["derived"] = {}
        return state


def _keys_for(name: str, *, compact: bool = False) -> set[str]:
    """Keys of a name; ``compact`` adds its words run together ("Albukamal", "Kafranbel")."""
    key = normalise(name)
    if not key:
        return set()
    if compact and " " in key:
        return {key, key.replace(" ", "")}
    return {key}


def _usable_alternate(alt: str) -> bool:
    """GeoNames alternates include airport codes, abbreviations and stray words: keep real names."""
    if len(alt) < 4 or alt.isupper() or any(ch.isdigit() for ch in alt):
        return False
    if not re.match(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'‘’ʿʾ`]", alt):
        return False
    return alt[0].isupper() or alt[:3].lower() in {"al-", "el-", "ad-", "as-", "an-", "ar-", "az-"}


#: A variant name of a town that is another town's own name this far away (km) was
#: attached to the wrong record (sources list "Kobani" among Afrin's names).
MISATTACHED_KM = 30.0


def _drop_misattached_variants(
    index: dict[str, dict[tuple[str, str], Entry]], by_id: Mapping[str, Place]
) -> None:
    """Drop a town's variant name that is the own name of another town elsewhere.

    Only towns whose population the sources give count: villages share names all the
    time, but two towns of tens of thousands do not swap theirs.
    """

    def town(ref: str) -> Place | None:
        p = by_id[ref]
        return p if p.kind == "populated place" and p.population > 0 else None

    for slot in index.values():
        if len(slot) < 2:
            continue
        own = [
            t
            for (c, r), e in slot.items()
            if c == "place" and e.origin == "name" and (t := town(r))
        ]
        if not own:
            continue
        for (c, r), e in list(slot.items()):
            if c != "place" or e.origin != "alternate" or (a := town(r)) is None:
                continue
            if any(
                b.id != a.id and b.country == a.country and _flat_km(a, b) > MISATTACHED_KM
                for b in own
            ):
                del slot[(c, r)]


def _flat_km(a: Place, b: Place) -> float:
    dy = (a.lat - b.lat) * 111.2
    dx = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def build_gazetteer(
    places: list[Place],
    aliases: list[AliasRow],
    *,
    countries: list[dict[str, str]],
    false_friends: list[dict[str, str]],
    given_names: Iterable[str],
    focus: str = "",
    region: Iterable[str] = (),
    transliterated: Iterable[str] = (),
    shapes: Mapping[str, bytes] | None = None,
) -> Gazetteer:
    """Index places, aliases, countries and false friends by their normalised keys.

    ``focus`` is the profile's country, ``region`` it and its neighbours, and
    ``transliterated`` the countries whose names are folded (Arabic-script ones).
    """
    transliterated = frozenset(transliterated)
    by_id: dict[str, Place] = {}
    for p in places:
        by_id.setdefault(p.id, p)
    index: dict[str, dict[tuple[str, str], Entry]] = {}

    def add(key: str, category: str, ref: str, origin: str, name: str) -> None:
        if not key:
            return
        slot = index.setdefault(key, {})
        old = slot.get((category, ref))
        folded = light_fold(name)
        if old is None:
            slot[(category, ref)] = Entry(category, ref, origin, (folded,))
        elif folded not in old.folded or _ORIGIN_RANK[origin] < _ORIGIN_RANK[old.origin]:
            best = min(old.origin, origin, key=_ORIGIN_RANK.__getitem__)
            forms = tuple(dict.fromkeys((*old.folded, folded)))
            slot[(category, ref)] = Entry(category, ref, best, forms)

    stop = {normalise(r["name"]) for r in false_friends if r["kind"] == "stopword"}
    stop.discard("")
    arabic: dict[str, list[str]] = {}
    for p in by_id.values():
        compact = p.country in transliterated
        for name in dict.fromkeys((p.name, p.gazetteer_name or p.name)):
            for k in _keys_for(name, compact=compact) - stop:
                add(k, "place", p.id, "name", name)
        if p.kind == "governorate":
            for suffix in ("province", "governorate"):
                name = f"{p.name} {suffix}"
                add(normalise(name), "place", p.id, "name", name)
        for alt in (*p.aliases, p.name_ar):
            if _is_arabic(alt):
                arabic.setdefault(arabic_key(alt), []).append(p.id)
            elif p.source == "opensyria" or _usable_alternate(alt):
                for k in _keys_for(alt, compact=compact) - stop:
                    add(k, "place", p.id, "alternate", alt)

    _drop_misattached_variants(index, by_id)

    for a in aliases:
        target = a.target
        if not target:
            if a.lat is None or a.lon is None:
                msg = f"alias table: alias {a.alias!r} has neither a target nor coordinates"
                raise DataError(msg)
            target = "al:" + re.sub(r"[^a-z0-9]+", "-", light_fold(a.name or a.alias)).strip("-")
            by_id.setdefault(
                target,
                Place(
                    id=target,
                    name=a.name or a.alias,
                    lat=a.lat,
                    lon=a.lon,
                    country=a.country,
                    admin1=a.admin1,
                    kind=a.kind or "populated place",
                    source=f"alias: {a.source}",
                    gazetteer_name=a.name or a.alias,
                    parent=a.parent,
                ),
            )
        elif target not in by_id:
            msg = f"alias table: alias {a.alias!r} points to unknown place {target!r}"
            raise DataError(msg)
        add(normalise(a.alias), "place", target, "alias", a.alias)

    # a neighbourhood or facility names the town it belongs to: keep that town's id
    for pid, p in list(by_id.items()):
        if p.parent and p.parent not in by_id:
            towns = [
                by_id[e.ref]
                for e in index.get(normalise(p.parent), {}).values()
                if e.category == "place" and by_id[e.ref].kind == "populated place"
            ]
            towns = [t for t in towns if t.country == p.country] or towns
            if not towns:
                msg = f"alias table: {p.name!r} belongs to unknown place {p.parent!r}"
                raise DataError(msg)
            home = max(towns, key=lambda t: (t.population, t.feature in _SEATS))
            by_id[pid] = replace(p, parent=home.id)

    iso_names: dict[str, str] = {}
    neighbours: dict[str, tuple[str, ...]] = {}
    for c in countries:
        iso_names[c["iso2"]] = c["name"]
        neighbours[c["iso2"]] = _split(c.get("neighbours"))
        for n in (c["name"], *_split(c.get("aliases")), *_split(c.get("demonyms"))):
            add(normalise(n), "country", c["iso2"], "table", n)

    institution, titles, place_words = set(), set(), set()
    for r in false_friends:
        kind, name = r["kind"], r["name"]
        if kind == "organisation":
            add(normalise(name), "org", name, "table", name)
        elif kind == "person":
            add(normalise(name), "person", name, "table", name)
        elif kind == "institution":
            institution.add(normalise(name))
        elif kind == "title":
            titles.add(normalise(name))
        elif kind == "place_word":
            place_words.add(normalise(name))

    keys = {k: tuple(v.values()) for k, v in index.items()}
    consonants: dict[str, set[str]] = {}
    for k, entries in keys.items():
        ck = consonant_key(k)
        if len(ck) >= 3 and any(
            e.category == "place" and by_id[e.ref].country == focus for e in entries
        ):
            consonants.setdefault(ck, set()).add(k)
    return Gazetteer(
        places=by_id,
        keys=keys,
        countries=iso_names,
        neighbours=neighbours,
        given_names=frozenset(normalise(g) for g in given_names if g.strip()),
        institution_words=frozenset(institution),
        title_words=frozenset(titles),
        place_words=frozenset(place_words),
        consonant_index={k: tuple(sorted(v)) for k, v in consonants.items()},
        focus=focus,
        region=tuple(region),
        transliterated=transliterated,
        shapes=dict(shapes or {}),
        arabic={k: tuple(dict.fromkeys(v)) for k, v in arabic.items()},
    )
