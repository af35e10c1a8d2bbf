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
from dataclasses import dataclass, replace

from .gazetteer import Gazetteer, light_fold, skeleton_token
from .models import Article, Mention, Place
from .phrases import Context, context_of, plural_level_after
from .resolution import (
    Choice,
    candidates_for,
    cohere,
    confidence_of,
    facility_for,
    fuzzy_keys,
    generic_facility,
    isolation_penalty,
    region_for,
)

__all__ = ["extract_mentions", "find_mentions"]

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u1e00-\u1eff"
_PARTICLES = "al|el|ad|ed|an|en|ar|er|as|es|ash|esh|at|et|ath|az|ez|adh|ul|bin|ibn|bani|of"
_WORD = rf"[ʿʾ‘'`]?[{_UPPER}][\w'’ʿʾ‘`]*"
_RUN = re.compile(
    r"(?:\d{1,3}(?:st|nd|rd|th)[ \u00a0](?=[A-Z]))?"  # "46th Regiment base"
    rf"{_WORD}(?:(?:[ \u00a0]|-)(?:(?:{_PARTICLES})[ \u00a0-])?{_WORD})*"
    r"(?:[ \u00a0]\d{1,3}(?!\d|[,.:/]\d|(?:st|nd|rd|th)\b))?"  # "Base 46", "Brigade 52"
)
_GLUED_ARTICLE = re.compile(rf"\b(?:{_PARTICLES})-$")
_RUN_TOKEN = re.compile(r"[^\s\-\u00a0]+")
_TRAILING = "'’‘`ʿʾ"
_POSSESSIVE = re.compile(r"['’]s$")

#: lower-case words that may continue a name the index knows ("Damascus countryside" is
#: Rif Dimashq, "Deir ez-Zor desert" a region of its own)
_CONTINUATION = re.compile(
    r"\s+(countryside|desert|province|governorate|valley|plain|mountains?|region|suburbs"
    r"|crossing|dam|prison|airport|square|camp)\b",
    re.IGNORECASE,
)
#: a facility named by a bare noun ("the military academy", "a Syrian military airbase")
_GENERIC_FACILITY = re.compile(
    r"\b(?i:the|an?|its|their)\s+(?:[A-Za-z][\w-]*\s+){0,2}?"
    r"(?P<head>military\s+academy|infantry\s+school|artillery\s+(?:school|college)"
    r"|military\s+(?:air\s?base|airbase|airport|college)|air\s?base|airbase|airport"
    r"|buffer\s+zone|(?:central|military)\s+prison|border\s+crossing"
    # parts of a city: "the Old City", "the Citadel" are those of the city named around them
    r"|(?-i:Old\s+City|[Oo]ld\s+[Qq]uarter|Citadel|[Cc]lock\s+[Tt]ower(?:\s+[Ss]quare)?))\b"
)
_SENTENCE_CHARS = 200
#: with no place that close, the places named last before a bare facility phrase locate it
_GENERIC_BEFORE = 2
#: a compass word right before a name may make a longer name the index knows
#: ("eastern Euphrates" for the region east of the river)
_DIRECTION_BEFORE = re.compile(r"(?<![\w-])((?:north|south|east|west)(?:ern)?)\s+$", re.IGNORECASE)
#: right after another name of a list
_IN_A_LIST = re.compile(r"[A-Za-z](?:,\s*(?:and\s+)?|\s+and\s+)$")
#: between two names of one list
_LIST_GLUE = re.compile(r"^(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)$")
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|into|outside|around|towards?|entered|captured|seized|took|reached"
    r"|far as)"
    r"|\b(?:town|city|village|suburb|suburbs|district|outskirts|countryside|province)\s+of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: facilities that lie inside a town: a phrase naming one the gazetteer lacks is no place
_INSIDE_TOWNS = frozenset({"square", "citadel"})
_CUE_WINDOW = 40
_OTHER_COUNTRY_MIN = 3
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
    fuzzy: tuple[tuple[str, float], ...]  # the country's keys near a run that matched nothing


def _token_key(token: str) -> str:
    folded = token.lower() if token.isascii() else light_fold(token)
    return skeleton_token(folded)


def _category(gaz: Gazetteer, key: str, surface: str) -> str:
    """What a key names here: of the kinds of name it has, those written exactly as
    ``surface`` first ("Mayadin" is the town, "Al-Mayadeen" the broadcaster), then in
    :data:`_CATEGORY_ORDER` (an organisation masks the place words inside it)."""
    entries = gaz.keys[key]
    folded = light_fold(surface)
    cats = {e.category for e in entries if folded in e.folded} or {e.category for e in entries}
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
        surface = run[spans[first][2] : spans[last][1]]
        found.append((first, last, key, _category(gaz, key, surface)))
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

    fuzzy = () if matches or person_from is not None else fuzzy_keys(keys, gaz)
    result = _Run(tuple(keys), tuple(spans), tuple(matches), person_from, surname, fuzzy)
    if len(gaz.memo) >= _CACHE_LIMIT:
        gaz.memo.clear()
    gaz.memo[run] = result
    return result


def _institutional(info: _Run, first: int, last: int, gaz: Gazetteer) -> bool:
    """A place one or two words before an institution word ("Deir ez-Zor Military Council"),
    or after "<institution> of"."""
    after = [k for k in info.keys[last + 1 :] if k][:2]
    if any(k in gaz.institution_words for k in after):
        return True
    before = [k for k in info.keys[:first] if k]
    return len(before) >= 2 and before[-1] == "uf" and before[-2] in gaz.institution_words


_TOWN_OF = re.compile(r"\b(?:town|city|village)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _named_as_town(text: str, gaz: Gazetteer, start: int, key: str) -> bool:
    """An organisation's name that is also a town's, after "the town of"."""
    if not _TOWN_OF.search(text, max(0, start - 20), start):
        return False
    return any(e.category == "place" for e in gaz.keys[key])


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

    choices: list[Choice] = []
    uncued: list[tuple[int, _Run]] = []
    for base, info in runs:
        if not info.matches and info.person_from is None:
            found = _directional_name(text, gaz, base, info, prefer)
            if found is not None:
                choices.append(found)
                continue
        if info.fuzzy:
            found = _fuzzy(text, gaz, base, info, surnames, choices, prefer)
            if found is not None:
                choices.append(found)
            else:
                uncued.append((base, info))
            continue
        for first, last, key, category in info.matches:
            # "the town of Al-Mayadeen" is the town, not the broadcaster
            town = category == "org" and _named_as_town(text, gaz, base + info.spans[first][2], key)
            if (category != "place" and not town) or (first == last and key in surnames):
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
            found = _choose(text, gaz, key, start, end, prefer, cue)
            if found is not None:
                choices.append(found)
    # one sense per article: a spelling read as a place where a cue said so ("in Minbic")
    # is that place where it stands bare too ("Minbic: ceasefire", "the assault on Minbic")
    read = {c.key for c in choices if c.how.startswith("fuzzy:")}
    for base, info in uncued:
        if info.fuzzy[0][0] in read:
            found = _fuzzy(text, gaz, base, info, surnames, choices, prefer, cued=False)
            if found is not None:
                choices.append(found)
    choices += _macro_regions(text, gaz, choices, prefer)
    choices.sort(key=lambda c: c.start)
    choices = _outermost(choices)
    _share_plural_levels(text, gaz, choices, prefer)
    cohere(choices)
    choices += _generic_facilities(text, gaz, choices)
    mentions = []
    for c in choices:
        far = isolation_penalty(c, choices)
        if far:
            c.notes.append("far")
        found = _finish(article, gaz, c, prefer)
        if far:
            found = [
                replace(m, confidence=round(m.confidence - far, 2))
                for m in found
                if m.confidence - far >= min_confidence
            ]
        else:
            found = [m for m in found if m.confidence >= min_confidence]
        mentions += found
    return mentions


def _choose(
    text: str,
    gaz: Gazetteer,
    key: str,
    start: int,
    end: int,
    prefer: tuple[str, ...],
    cue: str | None,
) -> Choice | None:
    """A name's candidates, given the words around it."""
    side = _DIRECTION_BEFORE.search(text, max(0, start - 12), start)
    if side:
        longer = f"{skeleton_token(side.group(1).lower())} {key}"
        if longer in gaz.keys and any(e.category == "place" for e in gaz.keys[longer]):
            key, start = longer, side.start(1)
    more = _CONTINUATION.match(text, end)
    if more:
        longer = f"{key} {skeleton_token(more.group(1).lower())}"
        if longer in gaz.keys and any(e.category == "place" for e in gaz.keys[longer]):
            key, end = longer, more.end()
    context = context_of(text, start, end)
    surface = text[start:end]
    if key in gaz.given_names and " " not in key and not context.kinds and not context.facility:
        # "Abbas told reporters": a man, unless the words before place him ("in Abbas",
        # "the villages of X, Y and Abbas")
        before = text[max(0, start - 40) : start]
        if not (_LOCATIVE_BEFORE.search(before) or _IN_A_LIST.search(before)):
            return None
    found = candidates_for(gaz, key, surface, prefer, cue, context.kinds)
    if found is None:
        return None
    ranked, how, notes = found
    return Choice(start, end, key, list(ranked), how, list(notes), context)


def _directional_name(
    text: str, gaz: Gazetteer, base: int, info: _Run, prefer: tuple[str, ...]
) -> Choice | None:
    """A name that is only one with the compass word before it ("eastern Euphrates")."""
    start = base + info.spans[0][2]
    side = _DIRECTION_BEFORE.search(text, max(0, start - 12), start)
    words = [k for k in info.keys if k]
    if side is None or not words:
        return None
    key = " ".join([skeleton_token(side.group(1).lower()), *words])
    if key not in gaz.keys:
        return None
    end = base + info.spans[max(i for i, k in enumerate(info.keys) if k)][1]
    found = candidates_for(gaz, key, text[side.start(1) : end], prefer, None, ())
    if found is None:
        return None
    return Choice(side.start(1), end, key, list(found[0]), found[1], list(found[2]), None)


_COMPASS = r"(?:north|south)(?:-?(?:east|west))?|east|west"
_MACRO = re.compile(
    rf"\bthe\s+(?:entire\s+|whole\s+(?:of\s+the\s+)?)(?P<a>{_COMPASS})(?:ern)?\b"
    r"(?!-|\s+(?!(?:and|or|as|by|in|on|to|from|after|with|while|where|which|that|of)\b)[a-z]+\s)"
    rf"|\bthe\s+(?P<c>{_COMPASS})(?:ern)?\s+of\s+(?:the\s+country|(?P<country2>[A-Z][a-z]+))\b"
    rf"|\b(?P<b>{_COMPASS})(?:ern)?\s+(?P<country>[A-Z][a-z]+)\b",
    re.IGNORECASE,
)


def _outermost(choices: list[Choice]) -> list[Choice]:
    """Drop a name read inside a longer phrase ("Jaber" in "the Nasib-Jaber border crossing")."""
    extents = [c.extent for c in choices]
    # a choice can only lie inside a phrase that starts before it and ends after it: the
    # farthest end among the others that start no later says whether to look at all
    order = sorted(range(len(choices)), key=lambda j: extents[j][0])
    starts = [extents[j][0] for j in order]
    top: list[tuple[int, int, int]] = []  # per prefix: farthest end, whose, the next one
    best_end, best_j, second = -1, -1, -1
    for j in order:
        end = extents[j][1]
        if end > best_end:
            best_end, best_j, second = end, j, best_end
        elif end > second:
            second = end
        top.append((best_end, best_j, second))
    kept = []
    for i, c in enumerate(choices):
        n = bisect_right(starts, c.start)
        if n:
            best_end, best_j, second = top[n - 1]
            reach = second if best_j == i else best_end
            if reach >= c.end and any(
                j != i and s <= c.start and c.end <= e and (e - s) > (c.end - c.start)
                for j, (s, e) in enumerate(extents)
            ):
                continue
        kept.append(c)
    return kept


def _macro_regions(
    text: str, gaz: Gazetteer, choices: list[Choice], prefer: tuple[str, ...]
) -> list[Choice]:
    """ "the southwest", "the entire south", "northern Syria": the country's named parts."""
    country = gaz.countries.get(gaz.focus, "")
    found = []
    for m in _MACRO.finditer(text):
        named = m.group("country") or m.group("country2")
        if named and named != country:
            continue
        start, end = m.start(), m.end()
        if any(c.start < end and start < c.end for c in choices):
            continue
        word = (m.group("a") or m.group("b") or m.group("c")).lower().replace("-", "")
        for form in (f"{word}ern {country}", f"{word} {country}"):
            key = " ".join(skeleton_token(w) for w in form.lower().split())
            if key in gaz.keys:
                ranked = candidates_for(gaz, key, text[start:end], prefer, None, ())
                if ranked is not None:
                    found.append(Choice(start, end, key, list(ranked[0]), "alias", ["part"]))
                break
    return found


def _generic_facilities(text: str, gaz: Gazetteer, choices: list[Choice]) -> list[Choice]:
    """ "the military academy", "a military airbase near the city of Hama": a bare noun
    phrase means the facility of that name nearest the places named around it. A foreign
    place that is only the phrase itself ("the Old City" of Jerusalem, in a report on Homs)
    gives way to it, and is taken out of ``choices``."""
    phrases = [(m.start("head"), m.end("head"), m.group("head"))
               for m in _GENERIC_FACILITY.finditer(text)]  # fmt: skip
    spans = {(start, end) for start, end, _ in phrases}
    homonym = {id(c) for c in choices if (c.start, c.end) in spans and c.best.country != gaz.focus}
    towns = [
        c
        for c in choices
        if id(c) not in homonym and c.best.kind not in ("governorate", "district", "subdistrict")
    ]
    found: list[Choice] = []
    for start, end, head in phrases:
        overlapping = [c for c in choices if c.extent[0] < end and start < c.extent[1]]
        if any(id(c) not in homonym for c in overlapping):
            continue  # part of a name already read ("the Nasib border crossing")
        near = [c.best for c in towns if abs(c.start - start) <= _SENTENCE_CHARS]
        if not near:  # "a bakery near the Clock Tower square", a paragraph after "Homs ..."
            near = [c.best for c in towns if c.start < start][-_GENERIC_BEFORE:]
        hit = generic_facility(gaz, " ".join(head.lower().split()), near)
        if hit is not None:
            found.append(Choice(start, end, "", [(0.0, hit[0])], "generic", ["near"], None))
            for c in overlapping:
                choices.remove(c)
    return found


def _share_plural_levels(
    text: str, gaz: Gazetteer, choices: list[Choice], prefer: tuple[str, ...]
) -> None:
    """ "Aleppo and Idlib provinces", "the provinces of Hama and Homs": the level is the list's."""
    for i, c in enumerate(choices):
        kinds = plural_level_after(text, c.end)
        if not kinds and c.context is not None and c.context.kinds:
            kinds = c.context.kinds
        if not kinds:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(choices):
                continue
            other = choices[j]
            lo, hi = (other, c) if j < i else (c, other)
            if other.context is None or other.context.kinds or other.context.region:
                continue
            if not _LIST_GLUE.match(text[lo.end : hi.start]):
                continue
            surface = text[other.start : other.end]
            found = candidates_for(gaz, other.key, surface, prefer, None, kinds)
            if found is not None:
                other.ranked = other.original = list(found[0])
                other.context = Context(kinds, start=other.start, end=other.end)


def _finish(article: Article, gaz: Gazetteer, c: Choice, prefer: tuple[str, ...]) -> list[Mention]:
    """The mentions a choice makes: the facility or region the phrase asks for, or the place.

    "northern Hama province" names a region and the governorate it lies in: both.
    """
    text = article.text
    place, start, end, how = c.best, c.start, c.end, c.how
    context = c.context
    inner: list[Mention] = []
    if context is not None and context.facility:
        facility = facility_for(gaz, place, context, c.key)
        if facility is not None:
            place, end, how = facility, context.end, "facility" if facility is not c.best else how
        elif context.facility in _INSIDE_TOWNS:
            return []  # "X Square" is in a town, not the village X
    elif context is not None and context.region:
        region = region_for(gaz, place, context)
        if region is not None:
            if place.kind in ("governorate", "district"):
                inner.append(
                    Mention(article.id, start, end, text[start:end], place, 0.8, f"{how}+inner")
                )
            place, start, end = region, min(start, context.start), max(end, context.end)
            c.notes.append("countryside" if context.countryside else "part")
    c.how = how
    confidence = confidence_of(c, prefer)
    method = "+".join([how, *c.notes])
    if (
        place.kind == "subdistrict"
        and not (context and context.kinds)
        and not _LOCATIVE_BEFORE.search(text, max(0, start - 40), start)
    ):
        # a bare word that only a sub-district is called: usually a common noun
        confidence -= 0.5
        method += "+weak"
    mention = Mention(article.id, start, end, text[start:end], place, round(confidence, 2), method)
    return [mention, *inner]


def _fuzzy(
    text: str,
    gaz: Gazetteer,
    base: int,
    info: _Run,
    surnames: set[str],
    before: list[Choice],
    prefer: tuple[str, ...],
    *,
    cued: bool = True,
) -> Choice | None:
    """An unknown spelling where a place stands: after a locative cue, or in a list of places
    (``cued=False``: the article has already read this spelling as a place)."""
    if not info.fuzzy or any(k in surnames for k in info.keys if k):
        return None
    start = base + info.spans[0][2]
    listed = bool(before) and bool(_LIST_GLUE.match(text[before[-1].end : start]))
    if cued and not listed and not _LOCATIVE_BEFORE.search(text, max(0, start - 40), start):
        return None
    last = max(i for i, k in enumerate(info.keys) if k)
    end = base + info.spans[last][1]
    ranked: list[tuple[float, Place]] = []
    scores: dict[str, float] = {}
    for cand, score in info.fuzzy:
        found = candidates_for(gaz, cand, text[start:end], prefer, None, ())
        for w, p in found[0] if found else ():
            if p.id not in scores:
                scores[p.id] = score
                ranked.append((w + (score - 100) / 20, p))  # closer spellings weigh more
    if not ranked:
        return None
    ranked.sort(key=lambda wp: (-wp[0], -wp[1].population, wp[1].id))
    best_key = info.fuzzy[0][0]
    return Choice(start, end, best_key, ranked, f"fuzzy:{scores[ranked[0][1].id]:.0f}", [], None)


def extract_mentions(articles: Iterable[Article], gaz: Gazetteer) -> list[Mention]:
    """Mentions of many articles, in article order."""
    return [m for a in articles for m in find_mentions(a, gaz)]
