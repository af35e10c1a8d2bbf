"""Place recognition: which places an article names, where, and which gazetteer entry each is.

Only capitalised runs of words (with the lower-case particles of Arabic names, as
in "Deir ez-Zor") can name a place. Each distinct run is reduced to gazetteer
skeletons (:func:`geo.gazetteer.normalise`) and scanned with the gazetteer's
Aho-Corasick automaton; inside a run the longest match wins, so an organisation
("Hayat Tahrir al-Sham") or a listed person masks the place-like words inside it.
Runs that start with a title or a given name are people, and their last word is
remembered as a surname for the whole article ("Assad" alone is then a person
too). A place written next to an institution word ("University of Oklahoma") is
part of an organisation's name, not a location.

Resolution prefers a country named just before the mention ("Iraqi border town
al-Qaem"), then the country the article is about (Syria first when it is about
Syria), then the admin level a following word asks for ("Homs province"), then
size. A run that matches nothing but follows a locative cue ("the town of X") gets
a fuzzy look-up among Syrian names: same vowel-less key, then an edit-distance check.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .gazetteer import Gazetteer, consonant_key, light_fold, skeleton_token
from .models import Article, Mention, Place

__all__ = ["extract_mentions", "find_mentions"]

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u1e00-\u1eff"
_PARTICLES = "al|el|ad|ed|an|en|ar|er|as|es|ash|esh|at|et|ath|az|ez|adh|ul|bin|ibn|bani|of"
_WORD = rf"[ʿʾ‘'`]?[{_UPPER}][\w'’ʿʾ‘`]*"
_RUN = re.compile(rf"{_WORD}(?:(?:[ \u00a0]|-)(?:(?:{_PARTICLES})[ \u00a0-])?{_WORD})*")
_GLUED_ARTICLE = re.compile(rf"\b(?:{_PARTICLES})-$")
_RUN_TOKEN = re.compile(r"[^\s\-\u00a0]+")
_TRAILING = "'’‘`ʿʾ"
_POSSESSIVE = re.compile(r"['’]s$")

_LEVEL_AFTER = re.compile(
    r"\s*(?:(province|governorate|countryside)|(district)|(sub-?district)"
    r"|(air ?base|airport|military airport))\b",
    re.IGNORECASE,
)
_LEVEL_KINDS: tuple[tuple[str, ...], ...] = (
    ("governorate",),
    ("district",),
    ("subdistrict",),
    ("air base", "airport"),
)
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|into|outside|around|towards?|entered|captured|seized|took|reached"
    r"|far as)"
    r"|\b(?:town|city|village|suburb|suburbs|district|outskirts|countryside|province)\s+of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40
_OTHER_COUNTRY_MIN = 3
_FUZZY_CUTOFF = 80.0
_CACHE_LIMIT = 200_000
_CATEGORY_ORDER = ("org", "person", "country", "place")


@dataclass(frozen=True, slots=True)
class _Run:
    """What a run of capitalised words holds, independent of where it stands (so memoised)."""

    keys: tuple[str, ...]  # skeleton per word, "" for an article
    spans: tuple[tuple[int, int, int], ...]  # (start, end, start with glued article), relative
    matches: tuple[tuple[int, int, str, str], ...]  # (first, last, key, category), no overlaps
    person_from: int | None  # index of a title or given name that starts a person's name
    surname: str  # the person's surname, when the run names a person
    fuzzy: tuple[str, float] | None  # nearest Syrian key for a run that matched nothing


def _token_key(token: str) -> str:
    folded = token.lower() if token.isascii() else light_fold(token)
    return skeleton_token(folded)


def _category(gaz: Gazetteer, key: str) -> str:
    cats = {e.category for e in gaz.keys[key]}
    return next(c for c in _CATEGORY_ORDER if c in cats)


def _analyse(run: str, gaz: Gazetteer) -> _Run:
    cached = gaz.memo.get(run)
    if cached is not None:
        return cached  # type: ignore[return-value]
    keys: list[str] = []
    spans: list[tuple[int, int, int]] = []
    article_at = -1
    for m in _RUN_TOKEN.finditer(run):
        raw, start, end = m.group(), m.start(), m.end()
        if len(raw) > 3 and _POSSESSIVE.search(raw):
            raw, end = raw[:-2], end - 2
        stripped = raw.rstrip(_TRAILING)
        end -= len(raw) - len(stripped)
        key = _token_key(stripped) if stripped else ""
        # "al-Bab", and "Al Bab" with the article capitalised, start at the article
        joined = run[start - 1 : start] == "-" or run[article_at : article_at + 1].isupper()
        glued = article_at if article_at >= 0 and joined else start
        keys.append(key)
        spans.append((start, end, glued))
        article_at = start if not key else -1

    # scan " k1 k2 k3 " once; map each hit back to word indices
    kept = [i for i, k in enumerate(keys) if k]
    offsets, pos = [], 0
    for i in kept:
        offsets.append(pos)
        pos += len(keys[i]) + 1
    found = []
    for end, key in gaz.automaton.iter(" " + " ".join(keys[i] for i in kept) + " "):
        begin = end - len(key) - 1
        first = kept[bisect_right(offsets, begin) - 1]
        last = kept[bisect_right(offsets, end - 2) - 1]
        found.append((first, last, key, _category(gaz, key)))
    found.sort(key=lambda f: (f[0] - f[1], _CATEGORY_ORDER.index(f[3])))
    matches: list[tuple[int, int, str, str]] = []
    for f in found:
        if all(f[1] < m[0] or f[0] > m[1] for m in matches):
            matches.append(f)
    matches.sort()

    covered = {i for m in matches for i in range(m[0], m[1] + 1)}
    # a given name or title that is also a one-word place ("Bashar", "Abbas" are villages)
    # still starts a person's name; a longer name holding it ("Abu Kamal") does not
    held = {i for m in matches if m[1] > m[0] or m[3] != "place" for i in range(m[0], m[1] + 1)}
    person_from = None
    for i in kept[:-1]:
        if i not in held and (keys[i] in gaz.title_words or keys[i] in gaz.given_names):
            rest = [keys[j] for j in kept if j > i]
            if rest[-1] not in gaz.place_words:
                person_from = i
                break
    surname = ""
    if person_from is not None and kept[-1] not in covered:
        surname = keys[kept[-1]]
    for m in matches:
        if m[3] == "person":
            surname = keys[m[1]]

    fuzzy = None if matches or person_from is not None else _nearest_key(keys, gaz)
    result = _Run(tuple(keys), tuple(spans), tuple(matches), person_from, surname, fuzzy)
    if len(gaz.memo) >= _CACHE_LIMIT:
        gaz.memo.clear()
    gaz.memo[run] = result
    return result


def _institutional(info: _Run, first: int, last: int, gaz: Gazetteer) -> bool:
    """A place right before an institution word, or after "<institution> of"."""
    after = next((k for k in info.keys[last + 1 :] if k), "")
    if after in gaz.institution_words:
        return True
    before = [k for k in info.keys[:first] if k]
    return len(before) >= 2 and before[-1] == "uf" and before[-2] in gaz.institution_words


def find_mentions(
    article: Article, gaz: Gazetteer, *, focus: str | None = None, min_confidence: float = 0.5
) -> list[Mention]:
    """Every place ``article`` names, resolved; countries, people and groups are left out.

    ``focus`` is the country preferred when an article names no country; mentions
    below ``min_confidence`` (weak, uncued matches of obscure units) are dropped.
    """
    text = article.text
    runs = []
    for m in _RUN.finditer(text):
        start = m.start()
        if start and text[start - 1] == "-":
            glued = _GLUED_ARTICLE.search(text, max(0, start - 6), start)
            if glued:
                start = glued.start()
        runs.append((start, _analyse(text[start : m.end()], gaz)))
    surnames = {info.surname for _, info in runs if info.surname}
    country_ends: list[int] = []
    country_isos: list[str] = []
    for base, info in runs:
        for _first, last, key, cat in info.matches:
            if cat == "country":
                country_ends.append(base + info.spans[last][1])
                country_isos.append(next(e.ref for e in gaz.keys[key] if e.category == "country"))
    # the focus country comes first unless the article is plainly about another one
    focus = focus or gaz.focus
    counts = Counter(country_isos)
    order = [focus, *(c for c, _ in counts.most_common() if c != focus)]
    if len(order) > 1 and counts[order[1]] >= _OTHER_COUNTRY_MIN and not counts[focus]:
        order[0], order[1] = order[1], order[0]
    prefer = tuple(order)

    mentions: list[Mention] = []
    for base, info in runs:
        places = [m for m in info.matches if m[3] == "place"]
        if info.fuzzy is not None:
            mention = _fuzzy(article, gaz, base, info, surnames)
            if mention is not None and mention.confidence >= min_confidence:
                mentions.append(mention)
            continue
        for first, last, key, _cat in places:
            if first == last and key in surnames:
                continue
            if info.person_from is not None and first >= info.person_from:
                continue  # inside a person's name
            if _institutional(info, first, last, gaz):
                continue
            start, end = base + info.spans[first][2], base + info.spans[last][1]
            i = bisect_right(country_ends, start) - 1
            cue = None
            if (
                i >= 0
                and start - country_ends[i] <= _CUE_WINDOW
                and "\n" not in text[country_ends[i] : start]
            ):
                cue = country_isos[i]
            mention = _resolve(article, gaz, key, start, end, prefer, cue)
            if mention is not None and mention.confidence >= min_confidence:
                mentions.append(mention)
    return mentions


def _resolve(
    article: Article,
    gaz: Gazetteer,
    key: str,
    start: int,
    end: int,
    prefer: tuple[str, ...],
    cue: str | None,
) -> Mention | None:
    text = article.text
    kinds: tuple[str, ...] = ()
    level = _LEVEL_AFTER.match(text, end)
    if level:
        kinds = _LEVEL_KINDS[next(g for g in range(4) if level.group(g + 1))]
    surface = text[start:end]
    memo_key = ("resolve", key, surface, prefer, cue, kinds)
    decided = gaz.memo.get(memo_key)
    if decided is None:
        decided = _decide(gaz, key, surface, prefer, cue, kinds)
        gaz.memo[memo_key] = decided
    best, confidence, method = decided  # type: ignore[misc]
    if best is None:
        return None
    if (
        best.kind == "subdistrict"
        and not kinds
        and not _LOCATIVE_BEFORE.search(text, max(0, start - 40), start)
    ):
        # a bare word that only a sub-district is called: usually a common noun
        confidence -= 0.4
        method += "+weak"
    return Mention(article.id, start, end, surface, best, round(confidence, 2), method)


def _decide(
    gaz: Gazetteer,
    key: str,
    surface: str,
    prefer: tuple[str, ...],
    cue: str | None,
    kinds: tuple[str, ...],
) -> tuple[Place | None, float, str]:
    """The place a key written as ``surface`` denotes in this context, how sure, and why."""
    entries = [e for e in gaz.keys[key] if e.category == "place"]
    folded = light_fold(surface)
    exact = {e.ref for e in entries if folded in e.folded}
    # Turkish, Hebrew and world names are written in fixed forms: only those count
    usable = [
        e for e in entries if e.ref in exact or gaz.places[e.ref].country in gaz.transliterated
    ]
    if not usable:
        return None, 0.0, ""
    candidates = [gaz.places[e.ref] for e in usable]
    notes = []
    order = list(prefer)
    if cue and cue != prefer[0] and any(p.country == cue for p in candidates):
        order = [cue, *(c for c in prefer if c != cue)]
        notes.append(f"cue:{cue}")
    if kinds:
        notes.append(f"level:{kinds[0]}")
    ranked = gaz.rank(candidates, prefer=order[0], mentioned=order[1:], kinds=kinds, exact=exact)
    best = ranked[0]
    entry = next(e for e in usable if e.ref == best.id)
    if entry.origin == "alias":
        how, confidence = "alias", 0.9
    elif best.id in exact:
        how, confidence = "exact", 0.95 if entry.origin == "name" else 0.9
    else:
        how, confidence = "normalised", 0.8
    if len(ranked) > 1 and ranked[1].country != best.country and best.country not in order:
        confidence -= 0.15
        notes.append("ambiguous")
    return best, confidence, "+".join([how, *notes])


def _nearest_key(keys: list[str], gaz: Gazetteer) -> tuple[str, float] | None:
    """The Syrian key closest to an unmatched run: same vowel-less form, similar skeleton."""
    kept = [k for k in keys if k]
    if not kept or len(kept) > 3 or any(k in gaz.given_names for k in kept):
        return None
    key = " ".join(kept)
    pool = gaz.consonant_index.get(consonant_key(key), ())
    if not pool:
        return None
    score, cand = max((fuzz.ratio(key, c), c) for c in pool)
    return (cand, score) if score >= _FUZZY_CUTOFF else None


def _fuzzy(
    article: Article, gaz: Gazetteer, base: int, info: _Run, surnames: set[str]
) -> Mention | None:
    """A Syrian place for an unknown spelling after a locative cue ("the suburb of X")."""
    if info.fuzzy is None or any(k in surnames for k in info.keys if k):
        return None
    start = base + info.spans[0][2]
    if not _LOCATIVE_BEFORE.search(article.text, max(0, start - 40), start):
        return None
    cand, score = info.fuzzy
    places: list[Place] = gaz.rank(
        gaz.places[e.ref] for e in gaz.keys[cand] if e.category == "place"
    )
    last = max(i for i, k in enumerate(info.keys) if k)
    end = base + info.spans[last][1]
    confidence = round(0.55 + (score - _FUZZY_CUTOFF) / 100, 2)
    return Mention(
        article.id, start, end, article.text[start:end], places[0], confidence, f"fuzzy:{score:.0f}"
    )


def extract_mentions(articles: Iterable[Article], gaz: Gazetteer) -> list[Mention]:
    """Mentions of many articles, in article order."""
    return [m for a in articles for m in find_mentions(a, gaz)]
