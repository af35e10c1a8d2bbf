"""The offline gazetteer: every place frontline can name, behind one name index.

Sources (all shipped in ``geo/data``, see ``SOURCES.md``): the GeoNames cities500
extract for Syria and its neighbours, the Open-Syria governorates, districts and
sub-districts, the airportsdata air bases, a world supplement of capitals and big
cities, and ``place_aliases.csv``, a small table of press spellings and places the
sources lack, kept as data so analysts can extend it without touching code.

Names are matched on a *skeleton* (:func:`normalise`) that folds the ways Arabic
names are written in Latin script: diacritics and the ʿayn/hamza apostrophes,
the article (al-/el-/ad-/ash-...), Deir/Dayr/Dair, Tal/Tell/Tall, doubled letters,
ou/u, ee/i and the like. A second, vowel-less key (:func:`consonant_key`) backs
fuzzy matching for spellings the skeleton does not fold.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from . import settings
from .errors import DataError
from .models import Place
from .profile import Profile, load_profile

__all__ = [
    "REGION",
    "TRANSLITERATED",
    "Entry",
    "Gazetteer",
    "build_gazetteer",
    "consonant_key",
    "light_fold",
    "load_gazetteer",
    "normalise",
    "read_places",
]

#: Syria and its neighbours, in the order disambiguation prefers them.
REGION: tuple[str, ...] = ("SY", "LB", "IQ", "JO", "TR", "IL", "PS")

#: Countries whose names come from Arabic, where Latin spellings vary and are folded;
#: elsewhere (Turkish, Hebrew, world names) only the exact written forms count.
TRANSLITERATED: frozenset[str] = frozenset({"SY", "IQ", "LB", "JO", "PS"})

GEONAMES_FILE = "gazetteer_geonames_cities500_sy_neighbours.csv"
OPENSYRIA_FILE = "syria_admin_units_opensyria.csv"
AIRFIELDS_FILE = "airfields_airportsdata_sy_neighbours.csv"
WORLD_FILE = "world_places.csv"
COUNTRIES_FILE = "countries.csv"
ALIASES_FILE = "place_aliases.csv"
FALSE_FRIENDS_FILE = "false_friends.csv"
GIVEN_NAMES_FILE = "given_names.txt"

# neighbours' villages collide with English words and people's names far more often
# than they are news; below this population they need an alias row to be found
MIN_NEIGHBOUR_POPULATION = 10_000

# ---------------------------------------------------------------------------
# name normalisation

_APOSTROPHES = "'’‘ʿʾ`´ʼʻ′"
_FOLD_EXTRA = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        **{a: "'" for a in _APOSTROPHES},
    }
)
_ARTICLES = frozenset(
    (
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ag",
        "an",
        "en",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "at",
        "et",
        "ath",
        "az",
        "ez",
        "adh",
    )
)
_WORD_MAP = {
    **dict.fromkeys(("deir", "dayr", "dair", "der", "dier", "deyr"), "dayr"),
    **dict.fromkeys(("tal", "tell", "tall", "tel", "til"), "tal"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "jebal", "jabel"), "jabal"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "cheikh", "shaikh"), "shaykh"),
    **dict.fromkeys(("ain", "ayn", "ein", "ayin"), "ayn"),
    **dict.fromkeys(("abu", "abou", "abo"), "abu"),
    **dict.fromkeys(("kafr", "kfar", "kefr", "kufr", "kfr"), "kafr"),
    **dict.fromkeys(("ras", "raas"), "ras"),
}
# ordered: vowel digraphs first, then consonant spellings
_CHAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"a[eiy](?![aeiou])|e[iy](?![aeiou])", "ay"),
        (r"(?<=[^aeiou])uw", "w"),
        (r"aw(?![aeiou])", "u"),
        (r"o", "u"),
        (r"ph", "f"),
        (r"ck|q", "k"),
        (r"(?<=[aeiou])h$", ""),
        (r"(?<=[^aeiou])[ae]$", "a"),
        (r"(.)\1+", r"\1"),
    )
)
_TOKEN_SPLIT = re.compile(r"[\s\-.,/()]+")
_NON_WORD = re.compile(r"[^a-z0-9 ]")
_VOWELS = re.compile(r"[aeiou]")


def light_fold(name: str) -> str:
    """Lower-case, strip diacritics and unify apostrophes and dashes: the 'exact' form."""
    s = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().translate(_FOLD_EXTRA).split())


@functools.lru_cache(maxsize=200_000)
def skeleton_token(token: str) -> str:
    """Skeleton of one lower-cased, diacritic-free word; ``""`` for an article."""
    if token.endswith(("'s", "’s")) and len(token) > 3:
        token = token[:-2]
    token = _NON_WORD.sub("", token.replace("'", ""))
    if not token or token in _ARTICLES:
        return ""
    token = _WORD_MAP.get(token, token)
    for pattern, repl in _CHAR_RULES:
        token = pattern.sub(repl, token)
    return token


@functools.lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """The matching key of a name: folded words, articles dropped, spelling variants unified.

    >>> normalise("Deir el-Zour") == normalise("Dayr az-Zawr") == normalise("Deir al-Zor")
    True
    """
    words = (skeleton_token(t) for t in _TOKEN_SPLIT.split(light_fold(name)))
    return " ".join(w for w in words if w)


def consonant_key(skeleton: str) -> str:
    """Vowel-less form of a skeleton, for fuzzy candidates (Jaramna ~ Jaramana)."""
    return _VOWELS.sub("", skeleton.replace(" ", ""))


# ---------------------------------------------------------------------------
# reading the shipped files


def _open_csv(path: Path, *required: str) -> list[dict[str, str]]:
    """All rows of a shipped CSV; any problem is one :class:`DataError` naming the file."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or ())]
            if missing:
                msg = f"{path}: not a gazetteer file (missing columns {', '.join(missing)})"
                raise DataError(msg)
            return list(reader)
    except DataError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        reason = getattr(err, "strerror", None) or err
        msg = f"{path}: cannot read gazetteer file ({reason})"
        raise DataError(msg) from err


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


_GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "country_code",
    "population",
    "alternatenames",
)
_OPENSYRIA_COLUMNS = (
    "level",
    "id",
    "governorate_id",
    "name_en",
    "aliases",
    "latitude",
    "longitude",
    "ocha_pcode",
    "population",
)
_OS_KIND = {"governorate": "governorate", "district": "district", "subdistrict": "subdistrict"}
_GN_ADMIN1_SY = {
    "01": "Al-Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Ar-Raqqah",
    "05": "As-Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rif Dimashq",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Damascus",
    "14": "Tartus",
}


def read_places(data_dir: Path | None = None) -> list[Place]:
    """Read every shipped source into :class:`Place` records (the I/O edge of this module)."""
    data_dir = Path(data_dir or settings.data_dir)
    places: list[Place] = []
    governorates: dict[str, str] = {}

    admin_units = _open_csv(data_dir / OPENSYRIA_FILE, *_OPENSYRIA_COLUMNS)
    for r in admin_units:
        if r["level"] == "governorate":
            governorates[r["id"]] = r["name_en"]
    for r in admin_units:
        places.append(
            Place(
                id=f"os:{r['ocha_pcode']}",
                name=r["name_en"],
                lat=float(r["latitude"]),
                lon=float(r["longitude"]),
                country="SY",
                admin1=governorates.get(r["governorate_id"], ""),
                kind=_OS_KIND[r["level"]],
                population=_int(r["population"]),
                source="opensyria",
                aliases=_split(r["aliases"]),
            )
        )

    for r in _open_csv(data_dir / GEONAMES_FILE, *_GEONAMES_COLUMNS, "admin1_code", "admin1_name"):
        pop = _int(r["population"])
        cc = r["country_code"]
        admin1 = _GN_ADMIN1_SY.get(r["admin1_code"], "") if cc == "SY" else r["admin1_name"]
        if cc != "SY" and pop < MIN_NEIGHBOUR_POPULATION:
            continue
        places.append(
            Place(
                id=f"gn:{r['geonameid']}",
                name=r["name"],
                lat=float(r["latitude"]),
                lon=float(r["longitude"]),
                country=cc,
                admin1=admin1,
                kind="populated place",
                population=pop,
                source="geonames",
                aliases=_split(r["alternatenames"]),
            )
        )

    for r in _open_csv(data_dir / AIRFIELDS_FILE, "icao", "name", "subd", "country", "lat", "lon"):
        name = r["name"]
        kind = "air base" if re.search(r"\b(AB|Air ?Base|Airbase)\b", name) else "airport"
        places.append(
            Place(
                id=f"ap:{r['icao']}",
                name=name,
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                country=r["country"],
                admin1=r["subd"],
                kind=kind,
                source="airportsdata",
            )
        )

    for r in _open_csv(data_dir / WORLD_FILE, *_GEONAMES_COLUMNS, "kind"):
        places.append(
            Place(
                id=f"gn:{r['geonameid']}",
                name=r["name"],
                lat=float(r["latitude"]),
                lon=float(r["longitude"]),
                country=r["country_code"],
                kind=r["kind"],
                population=_int(r["population"]),
                source="geonames-world",
                aliases=_split(r["alternatenames"]),
            )
        )
    return places


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One row of ``place_aliases.csv``: a spelling for an existing place, or a place of its own."""

    alias: str
    target: str
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str
    kind: str
    source: str


def read_aliases(path: Path) -> list[AliasRow]:
    rows = []
    for r in _open_csv(path, "alias", "target"):
        lat, lon = r.get("lat") or "", r.get("lon") or ""
        rows.append(
            AliasRow(
                alias=r["alias"],
                target=r.get("target", ""),
                name=r.get("name", ""),
                lat=float(lat) if lat else None,
                lon=float(lon) if lon else None,
                country=r.get("country", ""),
                admin1=r.get("admin1", ""),
                kind=r.get("kind", ""),
                source=r.get("source", ""),
            )
        )
    return rows


# ---------------------------------------------------------------------------
# the index


@dataclass(frozen=True, slots=True)
class Entry:
    """What a key points to: a place, or a country / organisation / person name.

    ``origin`` says which name produced the key (``name``, ``alias``, ``alternate``,
    ``table``), and ``folded`` holds those names' :func:`light_fold`, which tells an
    exact match from a normalised one.
    """

    category: str  # place | country | org | person
    ref: str  # place id, ISO country code, or the organisation's name
    origin: str
    folded: tuple[str, ...]


_ORIGIN_RANK = {"alias": 0, "name": 1, "table": 1, "alternate": 2}


_KIND_RANK = {
    "capital": 0,
    "populated place": 0,
    "city": 0,
    "region": 1,
    "air base": 1,
    "district": 2,
    "neighbourhood": 1,
    "airport": 3,
    "governorate": 4,
    "subdistrict": 5,
}


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
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)
    #: memo of :mod:`geo.toponyms` (runs of names and their resolutions recur in a corpus)
    memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

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

    def rank(
        self,
        places: Iterable[Place],
        *,
        prefer: Iterable[str] = ("SY",),
        mentioned: Iterable[str] = (),
        kinds: Iterable[str] = (),
    ) -> list[Place]:
        """Order candidates: the preferred country first, then size weighed with nearness.

        Elsewhere a town wins over a far city of the same name only while it is not
        much smaller (log population, plus a bonus for the region and one for
        countries the text mentions), so "Kabul" is Afghanistan's capital and
        "Tripoli" Lebanon's port. ``kinds`` (e.g. ``governorate``) go first within a tier.
        """
        prefer, mentioned, kinds = list(prefer), set(mentioned), set(kinds)

        def score(p: Place) -> tuple[int, int, int, float]:
            tier = prefer.index(p.country) if p.country in prefer else len(prefer)
            kind_ok = 0 if not kinds or p.kind in kinds else 1
            weight = (
                math.log10(p.population + 10)
                + (1.5 if p.country in REGION else 0.0)
                + (1.0 if p.country in mentioned else 0.0)
            )
            return (tier, kind_ok, _KIND_RANK.get(p.kind, 3), -weight)

        return sorted(set(places), key=score)

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]:
        """Ranked places for a name; ``country`` (ISO 3166 alpha-2) restricts them."""
        found = self.candidates(name)
        if country:
            found = [p for p in found if p.country == country.upper()]
        return self.rank(found)


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


def build_gazetteer(
    places: list[Place],
    aliases: list[AliasRow],
    *,
    countries: list[dict[str, str]],
    false_friends: list[dict[str, str]],
    given_names: Iterable[str],
) -> Gazetteer:
    """Index places, aliases, countries and false friends by their normalised keys."""
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
    for p in by_id.values():
        compact = p.country in TRANSLITERATED
        for k in _keys_for(p.name, compact=compact) - stop:
            add(k, "place", p.id, "name", p.name)
        if p.kind == "governorate":
            for suffix in ("province", "governorate"):
                name = f"{p.name} {suffix}"
                add(normalise(name), "place", p.id, "name", name)
        for alt in p.aliases:
            if p.source == "opensyria" or _usable_alternate(alt):
                for k in _keys_for(alt, compact=compact) - stop:
                    add(k, "place", p.id, "alternate", alt)

    for a in aliases:
        target = a.target
        if not target:
            if a.lat is None or a.lon is None:
                msg = f"{ALIASES_FILE}: alias {a.alias!r} has neither a target nor coordinates"
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
                ),
            )
        elif target not in by_id:
            msg = f"{ALIASES_FILE}: alias {a.alias!r} points to unknown place {target!r}"
            raise DataError(msg)
        add(normalise(a.alias), "place", target, "alias", a.alias)

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
        if len(ck) >= 4 and any(
            e.category == "place" and by_id[e.ref].country == "SY" for e in entries
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
    )


def _read_given_names(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot read given-name list ({err})"
        raise DataError(msg) from err
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def read_gazetteer(data_dir: Path | None = None, *, profile: Profile | None = None) -> Gazetteer:
    """Read and index the shipped files (no cache)."""
    data_dir = Path(data_dir or settings.data_dir)
    profile = profile or load_profile()
    try:
        return _read_gazetteer(data_dir, profile)
    except (ValueError, KeyError) as err:
        msg = f"{data_dir}: a gazetteer file has a bad value ({err!r})"
        raise DataError(msg) from err


def _read_gazetteer(data_dir: Path, profile: Profile) -> Gazetteer:
    aliases = profile.files.get("aliases")
    return build_gazetteer(
        read_places(data_dir),
        read_aliases(aliases) if aliases else [],
        countries=_open_csv(data_dir / COUNTRIES_FILE, "iso2", "name"),
        false_friends=_open_csv(data_dir / FALSE_FRIENDS_FILE, "kind", "name"),
        given_names=_read_given_names(data_dir / GIVEN_NAMES_FILE),
    )


def load_gazetteer(data_dir: Path | None = None, *, profile: Profile | None = None) -> Gazetteer:
    """The shared gazetteer for ``data_dir`` (read once per process: about 0.4 s)."""
    return _load(Path(data_dir or settings.data_dir), profile or load_profile())


@functools.lru_cache(maxsize=4)
def _load(data_dir: Path, profile: Profile) -> Gazetteer:
    return read_gazetteer(data_dir, profile=profile)
