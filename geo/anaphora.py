"""What "the city", "the two towns" and "the province" point back to.

Reports name a place once and then call it "the city" ("Rebels attacked Masyaf. By
nightfall the town had fallen"), "the two towns", "the capital", "the airport". A
definite description that no name follows is read as the last place of its kind named
before it, in its paragraph or the one before: a town for "the city", a governorate for
"the province", an air base for "the airport". Such a mention carries the antecedent's
place, the description's own span, and a lower confidence (``method`` says
``anaphor:<name>``). A description a name follows ("the capital, Damascus") is an
apposition, not an anaphor.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .models import Article, Mention, Span
from .scan import finditer_at, positions

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = ["anaphors", "as_towns", "reachable_sentences"]

_ANAPHOR = re.compile(
    r"(?<![a-z])(?:(?:the|those|these)\s+(?:(?P<n>two|three|four|both)\s+)?"
    r"|(?P<both>both)\s+(?:the\s+)?|(?P<its>its)\s+(?:main\s+|central\s+|local\s+)?)"
    r"(?:(?:strategic|key|northern|southern|eastern|western|central|besieged|coastal|border"
    r"|whole|entire|same|provincial|regime|government|army|rebel|opposition|kurdish)\s+)*"
    r"(?P<noun>(?:government|state|public|municipal)\s+(?:buildings?|offices|institutions)"
    r"|cities|towns|villages|enclaves|pockets|city(?:\s+cent(?:re|er))?|town(?:\s+cent(?:re|er))?|village"
    r"|capital|province|governorate|zone"
    r"|airport|air\s+base|airbase|base|crossing|district|prison|countryside|enclave"
    r"|pocket|strip|summit|mountain|hill|hilltop|peak|height|heights|ridge)(?![a-z'’-])(?=\s*(?:[,.;:!?)\"”]|$)|\s+(?:was|is|were|are|has|had|have|and|as"
    r"|after|before|on|in|with|without|from|by|itself|last|this|that|early|late|yesterday|today"
    r"|overnight|again|completely|fully|entirely|within|under|for|when|while|until|amid|some"
    r"|about|roughly|around(?!\s+(?:it|them)\b)|just"
    # "entered the coastal cities over the following days", "... the town unopposed"
    r"|over|throughout|soon|later|shortly|quickly|unopposed|peacefully"
    # "declared the city captured", "found the town abandoned"
    r"|captured|liberated|taken|seized|abandoned|freed|secured)\b|\s+\d+\s*(?:km|kilomet|miles))"
)
#: the state's buildings of a town "its" points back to ("took over its government offices")
_CIVIC = frozenset({"building", "buildings", "offices", "institutions"})
_COUNT = {"two": 2, "three": 3, "four": 4, "both": 2}
_KINDS_FOR = {
    "city": ("populated place",), "town": ("populated place",), "village": ("populated place",),
    "capital": ("populated place",), "province": ("governorate",),
    "governorate": ("governorate",), "airport": ("airport", "air base", "heliport"),
    "air base": ("air base", "airport"), "airbase": ("air base", "airport"),
    "base": ("military base", "air base", "airport"), "crossing": ("border crossing",),
    "prison": ("prison",), "district": ("district", "neighbourhood", "subdistrict"),
    **dict.fromkeys(
        ("summit", "mountain", "hill", "hilltop", "peak", "height", "heights", "ridge"),
        ("mountain",),
    ),
}  # fmt: skip
_PLURAL = {
    "cities": "city", "towns": "town", "villages": "village", "enclaves": "enclave",
    "pockets": "pocket",
}  # fmt: skip
_BACK = 2  # how many paragraphs back an antecedent may stand
#: "the village(s)" never points back to a seat of government or a town this large
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2"})
VILLAGE_MAX = 50_000


#: a place that only sets the clock ("9 p.m., the same hour in X", "noon X time")
_CLOCK_BEFORE = re.compile(r"\b(?:hour|time)\s+in\s+$")
_CLOCK_AFTER = re.compile(r"\s+time\b")


def anaphors(
    text: str,
    lowered: str,
    sentence: Span,
    mentions: Sequence[Mention],
    starts: Sequence[int],
    paragraph_start: int,
    country: str,
) -> list[Mention]:
    """Definite descriptions in a sentence that point back to places named before them.

    "the city" is the last city named before it (in this paragraph or the one before),
    "the two towns" the last two, "the area" the last place of any kind. A description
    followed by a name ("the capital, Damascus") is an apposition, not an anaphor.
    """
    out: list[Mention] = []
    # each starts with one of them ("both towns" needs no article)
    candidates = sorted(
        (
            *positions(lowered, "the", sentence.start, sentence.end),
            *positions(lowered, "both", sentence.start, sentence.end),
            *positions(lowered, "those", sentence.start, sentence.end),
            *positions(lowered, "these", sentence.start, sentence.end),
            *positions(lowered, "its", sentence.start, sentence.end),
        )
    )
    for m in finditer_at(_ANAPHOR, lowered, candidates, sentence.end):
        after = text[m.end() : m.end() + 3]
        if after[:1] == "'" or (after[:2] in {", ", " ("} and _names_next(text, m.end(), starts)):
            continue
        words = m.group("noun").split()
        if (words[-1] in _CIVIC) != bool(m.group("its")):
            continue  # "its government buildings" are a town's; "its airport" is no town
        noun = " ".join(w for w in words if w not in {"centre", "center"})  # in the city
        noun = "town" if words[-1] in _CIVIC else noun
        singular = _PLURAL.get(noun, noun)
        n = _COUNT.get(m.group("n") or m.group("both") or "", 2 if noun in _PLURAL else 1)
        kinds = _KINDS_FOR.get(singular)
        found: list[Mention] = []
        origins: list[Mention] = []  # "drove into X along the M4 from Y": Y is where they left
        i = bisect_left(starts, m.start()) - 1
        while i >= 0 and len(found) < n:
            prior = mentions[i]
            i -= 1
            if (
                prior.end > m.start()
                or prior.start < paragraph_start
                or prior.place.country != country
            ):
                continue
            if not _fits(prior, kinds, singular, found):
                continue
            clock = _CLOCK_BEFORE.search(lowered, max(0, prior.start - 20), prior.start) or (
                _CLOCK_AFTER.match(lowered, prior.end)
            )
            if clock or (
                _ORIGIN.search(lowered, max(0, prior.start - 10), prior.start)
                and not _LEFT.search(lowered, max(0, prior.start - 40), prior.start)
            ):
                origins.append(prior)
                continue
            found.append(prior)
        if len(found) < n:
            found += [p for p in origins if all(f.place.id != p.place.id for f in found)][
                : n - len(found)
            ]
        if len(found) < n:
            continue
        for prior in reversed(found):
            out.append(
                replace(
                    prior,
                    start=m.start(),
                    end=m.end(),
                    surface=text[m.start() : m.end()],
                    confidence=round(prior.confidence * 0.8, 3),
                    method=f"anaphor:{prior.surface}",
                )
            )
    return out


#: a place named as where a move started ("from Idlib") is an antecedent only when no other is
_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?$")
#: ... but the place left is the story in "withdrew from X", "were driven out of X"
_LEFT = re.compile(
    r"(?:withdr\w*|pull\w*(?:\s+out)?|retreat\w*|fled|flee\w*|expelled|ousted|evacuated"
    r"|driven\s+out|out|back|away)\s+(?:\w+\s+)?from\s+(?:the\s+)?$"
)


def _fits(
    prior: Mention, kinds: tuple[str, ...] | None, singular: str, found: list[Mention]
) -> bool:
    """Whether a place named before a description can be what it points back to."""
    town_like = prior.place.kind == "region" and bool(prior.place.parent)
    if (
        kinds is not None
        and prior.place.kind not in kinds
        and not (town_like and "populated place" in kinds)
    ):
        return False
    if singular == "capital" and prior.place.feature not in {"PPLC", "PPLA"}:
        return False
    if singular == "village" and (
        prior.place.feature in _SEATS or prior.place.population >= VILLAGE_MAX
    ):
        return False  # "the villages" are no provincial capital
    return all(f.place.id != prior.place.id for f in found)


def _names_next(text: str, pos: int, starts: Sequence[int]) -> bool:
    """Whether a place mention starts within a few characters after ``pos``."""
    i = bisect_left(starts, pos)
    return i < len(starts) and starts[i] - pos <= 4


def reachable_sentences(article: Article, starts: Sequence[int]) -> list[Span]:
    """The sentences that can report an event: in a paragraph that names a place, or after
    one that does ("the city" points back that far)."""
    named = set()
    for p in article.paragraphs:
        i = bisect_left(starts, p.start)
        if i < len(starts) and starts[i] < p.end:
            named.add(p.start)
    paragraphs = [p.start for p in article.paragraphs]
    out = []
    for s in article.sentences or (Span(0, len(article.text)),):
        i = bisect_right(paragraphs, s.start) - 1
        if i < 0 or paragraphs[i] in named or (i and paragraphs[i - 1] in named):
            out.append(s)
    return out


def as_towns(mentions: list[Mention], gazetteer: Gazetteer | None) -> list[Mention]:
    """ "the two cities" after "southern Suweida and Deraa": a region made from a town's
    name stands for the town itself."""
    if gazetteer is None:
        return mentions
    out = []
    for m in mentions:
        parent = m.place.parent if m.place.kind == "region" else ""
        town = gazetteer.place(parent) if parent else None
        out.append(replace(m, place=town) if town is not None else m)
    return out
